#!/usr/bin/env bash
# shellcheck shell=bash
# Shared by deploy.sh, rolling.sh and rollback.sh: state, health gating and the upstream switch.
# The runtime file (runtime/compose.sh by default, INKSTONE_RUNTIME to override) supplies the primitives:
#   rt_start COLOUR VERSION   rt_stop COLOUR   rt_inkstone COLOUR ARGS...   rt_probe COLOUR PATH
#   rt_upstream_server COLOUR rt_reload_proxy  rt_probe_proxy PATH  rt_update_workers VERSION
# so the same orchestration runs against Docker Compose in production and against native processes in the drill.

set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="${INKSTONE_ROOT:-$(cd "$SCRIPTS_DIR/../.." && pwd)}"
STATE_DIR="${INKSTONE_STATE_DIR:-$ROOT_DIR/.deploy}"
UPSTREAM_FILE="${INKSTONE_UPSTREAM_FILE:-$ROOT_DIR/docker/nginx/upstream/active.conf}"
READY_TIMEOUT="${INKSTONE_READY_TIMEOUT:-60}"

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$(basename "$0" .sh)" "$*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# shellcheck source-path=SCRIPTDIR source=runtime/compose.sh
source "${INKSTONE_RUNTIME:-$SCRIPTS_DIR/runtime/compose.sh}"

mkdir -p "$STATE_DIR"

state_get() { cat "$STATE_DIR/$1" 2>/dev/null || true; }
state_set() {
  printf '%s\n' "$2" >"$STATE_DIR/$1.tmp"
  mv "$STATE_DIR/$1.tmp" "$STATE_DIR/$1"
}
other_colour() { if [ "$1" = blue ]; then echo green; else echo blue; fi; }

# deploy.sh and rolling.sh take `<version> [--skip-backup]`: sets VERSION and SKIP_BACKUP, or exits 2 with usage.
parse_release_args() {
  local arg
  VERSION="${1:-}"
  if [ -z "$VERSION" ] || [ "${VERSION#-}" != "$VERSION" ]; then release_usage; fi
  shift
  SKIP_BACKUP=""
  for arg in "$@"; do
    case "$arg" in
      --skip-backup) SKIP_BACKUP=1 ;;
      *) release_usage ;;
    esac
  done
}
release_usage() {
  echo "usage: $0 <version> [--skip-backup]" >&2
  exit 2
}

# Before a release takes traffic: a database backup (unless SKIP_BACKUP), then the migrations, both run with
# COLOUR's (the new) build. On failure returns 1 with FAILED_STEP saying what failed; nothing is migrated after a
# failed backup.
# shellcheck disable=SC2034 # FAILED_STEP is read by the scripts that source this file
backup_and_migrate() {
  local colour="$1"
  if [ -n "$SKIP_BACKUP" ]; then
    log "backup skipped (--skip-backup)"
  elif ! rt_inkstone "$colour" backup:run --only-db; then
    FAILED_STEP="backup failed, so nothing was migrated"
    return 1
  fi
  if ! rt_inkstone "$colour" migrate --force; then
    FAILED_STEP="migration failed (see above)"
    return 1
  fi
}

# Waits until COLOUR answers /health/ready with VERSION (so an old container still on the port does not count).
wait_ready() {
  local colour="$1" version="$2" deadline=$((SECONDS + READY_TIMEOUT)) body
  while [ "$SECONDS" -lt "$deadline" ]; do
    if body="$(rt_probe "$colour" /health/ready 2>/dev/null)" && [[ "$body" == *"\"version\":\"$version\""* ]]; then
      log "$colour is ready with $version"
      return 0
    fi
    sleep 0.2
  done
  log "$colour did not become ready with $version within ${READY_TIMEOUT}s (last answer: ${body:-none})"
  return 1
}

# Puts exactly the given colours in front: writes the upstream block atomically, then reloads the proxy, which
# returns once the proxy's old workers finished their in-flight requests.
switch_to() {
  local tmp="$UPSTREAM_FILE.tmp" colour
  {
    echo "# Written by docker/scripts/{deploy,rolling,rollback}.sh: the app instances nginx sends traffic to."
    echo "upstream inkstone_app {"
    for colour in "$@"; do echo "    server $(rt_upstream_server "$colour");"; done
    echo "    keepalive 32;"
    echo "}"
  } >"$tmp"
  mv "$tmp" "$UPSTREAM_FILE"
  rt_reload_proxy
  log "traffic now goes to: $*"
}

is_up() { rt_probe "$1" /health/live >/dev/null 2>&1; }

# After a rolling update both colours serve; blue-green needs the idle one idle: out of the upstream, stopped.
make_idle() {
  local colour="$1" keep="$2"
  is_up "$colour" || return 0
  log "$colour runs too (a rolling update left both in front): taking it out first"
  switch_to "$keep"
  rt_stop "$colour"
}

# Through the proxy, /health/ready answers 200 with VERSION.
check_front() {
  local version="$1" body
  body="$(rt_probe_proxy /health/ready)" || die "health check through the proxy failed: ${body:-no answer}"
  [[ "$body" == *"\"version\":\"$version\""* ]] || die "the proxy answers with another version: $body"
  log "health check through the proxy: ready, $version"
}
