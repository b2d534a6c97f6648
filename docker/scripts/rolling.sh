#!/usr/bin/env bash
# Rolling update across both instances: one at a time out of the upstream, drained, replaced by VERSION,
# health-gated, and back in, so one instance always serves. Migrations run once, after a backup, when the first
# new instance is ready and before it takes traffic.
#
#   docker/scripts/rolling.sh <version> [--skip-backup]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  echo "usage: $0 <version> [--skip-backup]" >&2
  exit 2
}
VERSION="${1:-}"
if [ -z "$VERSION" ] || [ "${VERSION#-}" != "$VERSION" ]; then usage; fi
shift
SKIP_BACKUP=""
for arg in "$@"; do
  case "$arg" in
    --skip-backup) SKIP_BACKUP=1 ;;
    *) usage ;;
  esac
done

started=$SECONDS
MIGRATED=""
for colour in blue green; do
  other="$(other_colour "$colour")"
  old="$(state_get "$colour.version")"
  log "updating $colour (${old:-not running}) to $VERSION; $other serves meanwhile"
  switch_to "$other"
  [ -z "$old" ] || rt_stop "$colour"
  rt_start "$colour" "$VERSION"
  wait_ready "$colour" "$VERSION" || die "$colour did not become ready with $VERSION; $other still serves"
  if [ -z "$MIGRATED" ]; then
    if [ -n "$SKIP_BACKUP" ]; then
      log "backup skipped (--skip-backup)"
    else
      rt_inkstone "$colour" backup:run --only-db || die "backup failed, so nothing was migrated"
    fi
    rt_inkstone "$colour" migrate --force || die "migration failed; $other still serves"
    MIGRATED=1
  fi
  switch_to blue green
done
state_set active blue
rt_update_workers "$VERSION"
check_front "$VERSION"
log "rolled $VERSION out to both instances in $((SECONDS - started))s"
