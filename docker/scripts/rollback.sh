#!/usr/bin/env bash
# Rollback: put VERSION back in front in the idle colour, roll back the migrations it does not know (with the
# newer build, which holds their `down`), optionally restore a backup, stop the newer colour, health check.
#
#   docker/scripts/rollback.sh <version> [backup-id]
#
# Migrations are expected to be expand-only (the older code runs on the newer schema), so the older version can
# take traffic before its schema is rolled back. A backup restore is only needed when a migration lost data.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  echo "usage: $0 <version> [backup-id]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
VERSION="$1"
BACKUP_ID="${2:-}"
if [ "${VERSION#-}" != "$VERSION" ]; then usage; fi

started=$SECONDS
ACTIVE="$(state_get active)"
[ -n "$ACTIVE" ] || die "nothing is deployed yet (no $STATE_DIR/active)"
NEWER_VERSION="$(state_get "$ACTIVE.version")"
TARGET="$(other_colour "$ACTIVE")"
log "rolling back from $NEWER_VERSION ($ACTIVE) to $VERSION ($TARGET)"

make_idle "$TARGET" "$ACTIVE"
rt_start "$TARGET" "$VERSION"
# The migrations applied in the database that VERSION does not know (the newer release added them), asked of
# VERSION's build while it boots: one process start less on the way to having it in front.
status_file="$(mktemp)"
trap 'rm -f "$status_file"' EXIT
rt_inkstone "$TARGET" migrate:status --json >"$status_file" &
status_pid=$!
if ! wait_ready "$TARGET" "$VERSION"; then
  rt_stop "$TARGET" || true
  die "$VERSION never became ready; $ACTIVE still serves $NEWER_VERSION"
fi
wait "$status_pid" || die "cannot read the migration status with $VERSION"
unknown="$(grep -o '"missingInCode":true' "$status_file" | wc -l | tr -d ' ')"

switch_to "$TARGET"
state_set active "$TARGET"
state_set previous "$ACTIVE $NEWER_VERSION"
rt_update_workers "$VERSION"

if [ "$unknown" -gt 0 ]; then
  log "rolling back $unknown migration(s) that $VERSION does not know, with the $NEWER_VERSION build"
  rt_inkstone "$ACTIVE" migrate:rollback --step="$unknown" --force || die "migrate:rollback failed; $VERSION serves on the newer schema"
else
  log "no migrations to roll back"
fi

if [ -n "$BACKUP_ID" ]; then
  log "restoring backup $BACKUP_ID (database only)"
  rt_inkstone "$TARGET" backup:restore "$BACKUP_ID" --only-db || die "restore of $BACKUP_ID failed"
fi

log "draining and stopping $ACTIVE ($NEWER_VERSION)"
rt_stop "$ACTIVE"
check_front "$VERSION"
log "rolled back to $VERSION in $((SECONDS - started))s"
