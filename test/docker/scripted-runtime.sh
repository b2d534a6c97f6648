#!/usr/bin/env bash
# shellcheck shell=bash
# A scripted runtime for docker/scripts: it runs nothing, records every primitive call in $FAKE_DIR/calls and
# fails where the test says (FAKE_NEVER_READY=<version>, FAKE_FAIL=<inkstone subcommand>). The real primitives
# are exercised by the deploy drill; this isolates the scripts' decisions (order, aborts, what stays in front).

call() { echo "$*" >>"$FAKE_DIR/calls"; }

rt_start() {
  call "start $1 $2"
  state_set "$1.version" "$2"
  touch "$FAKE_DIR/up.$1"
}
rt_stop() {
  call "stop $1"
  rm -f "$FAKE_DIR/up.$1"
}
rt_inkstone() {
  local colour="$1"
  shift
  call "inkstone $colour $*"
  if [ "${FAKE_FAIL:-}" = "$1" ]; then
    echo "$1 failed (scripted)" >&2
    return 1
  fi
  if [ "$1" = migrate:status ]; then echo "${FAKE_STATUS:-[]}"; fi
}
rt_probe() {
  local version
  [ -e "$FAKE_DIR/up.$1" ] || return 1
  version="$(state_get "$1.version")"
  [ "${FAKE_NEVER_READY:-}" != "$version" ] || return 1
  printf '{"status":"ready","version":"%s"}' "$version"
}
rt_upstream_server() { echo "$1:3000"; }
rt_reload_proxy() { call "reload $(grep -o 'server [a-z]*' "$UPSTREAM_FILE" | cut -d' ' -f2 | tr '\n' ' ')"; }
rt_probe_proxy() {
  local colour
  colour="$(grep -o 'server [a-z]*' "$UPSTREAM_FILE" | head -1 | cut -d' ' -f2)"
  rt_probe "$colour" "$1"
}
rt_update_workers() { call "workers $1"; }
