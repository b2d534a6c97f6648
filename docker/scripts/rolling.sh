#!/usr/bin/env bash
# Rolling update across both instances: one at a time out of the upstream, drained, replaced by VERSION,
# health-gated, and back in, so one instance always serves. Migrations run once, after a backup, when the first
# new instance is ready and before it takes traffic.
#
#   docker/scripts/rolling.sh <version> [--skip-backup]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_release_args "$@"

started=$SECONDS
ACTIVE="$(state_get active)"
[ -n "$ACTIVE" ] || die "nothing is deployed yet: the first release goes out with deploy.sh"
IDLE="$(other_colour "$ACTIVE")"
PREVIOUS_VERSION="$(state_get "$ACTIVE.version")"
MIGRATED=""
# The idle colour first: when it is not running there is nothing to take out, and it then covers for the other.
for colour in "$IDLE" "$ACTIVE"; do
  other="$(other_colour "$colour")"
  if is_up "$colour"; then
    log "taking $colour ($(state_get "$colour.version")) out; $other serves meanwhile"
    switch_to "$other"
    rt_stop "$colour"
  fi
  rt_start "$colour" "$VERSION"
  wait_ready "$colour" "$VERSION" || die "$colour did not become ready with $VERSION; $other still serves"
  if [ -z "$MIGRATED" ]; then
    backup_and_migrate "$colour" || die "$FAILED_STEP; $other still serves"
    MIGRATED=1
  fi
  switch_to blue green
done
state_set previous "$ACTIVE $PREVIOUS_VERSION"
rt_update_workers "$VERSION"
check_front "$VERSION"
log "rolled $VERSION out to both instances in $((SECONDS - started))s"
