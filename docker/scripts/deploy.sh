#!/usr/bin/env bash
# Blue-green deploy: start VERSION in the idle colour, wait until it is ready, back up, migrate, switch nginx to
# it, then drain and stop the old colour. The old colour keeps serving until the switch, so a failure before it
# leaves production as it was.
#
#   docker/scripts/deploy.sh <version> [--skip-backup]
#
# --skip-backup  do not run `inkstone backup:run --only-db` before migrating (the drill, or a build without backups)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parse_release_args "$@"

started=$SECONDS
ACTIVE="$(state_get active)"
if [ -z "$ACTIVE" ]; then
  ACTIVE=green # first deploy: nothing runs yet, so blue comes up and nothing is stopped
  FIRST=1
else
  FIRST=""
fi
TARGET="$(other_colour "$ACTIVE")"
OLD_VERSION="$(state_get "$ACTIVE.version")"
if [ -n "$FIRST" ]; then
  STILL="nothing was serving before"
  log "first deploy: $VERSION to $TARGET"
else
  STILL="$ACTIVE still serves $OLD_VERSION"
  log "deploying $VERSION to $TARGET (now serving: $ACTIVE $OLD_VERSION)"
fi

[ -n "$FIRST" ] || make_idle "$TARGET" "$ACTIVE"
rt_start "$TARGET" "$VERSION"
if ! wait_ready "$TARGET" "$VERSION"; then
  rt_stop "$TARGET" || true
  die "$VERSION never became ready; $STILL"
fi

if ! backup_and_migrate "$TARGET"; then
  rt_stop "$TARGET" || true
  die "$FAILED_STEP; $STILL; check inkstone migrate:status"
fi

switch_to "$TARGET"
[ -n "$FIRST" ] || state_set previous "$ACTIVE $OLD_VERSION"
state_set active "$TARGET"
rt_update_workers "$VERSION"

if [ -z "$FIRST" ]; then
  log "draining and stopping $ACTIVE ($OLD_VERSION)"
  rt_stop "$ACTIVE"
fi
check_front "$VERSION"
log "deployed $VERSION in $((SECONDS - started))s"
