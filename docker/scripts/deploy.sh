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

if [ -n "$SKIP_BACKUP" ]; then
  log "backup skipped (--skip-backup)"
elif ! rt_inkstone "$TARGET" backup:run --only-db; then
  rt_stop "$TARGET" || true
  die "backup failed, so nothing was migrated; $STILL"
fi

if ! rt_inkstone "$TARGET" migrate --force; then
  rt_stop "$TARGET" || true
  die "migration failed (see above); $STILL; check inkstone migrate:status"
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
