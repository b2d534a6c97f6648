#!/usr/bin/env bash
# shellcheck shell=bash
# Deploy primitives for the drill: colours are app processes on loopback ports, versions are release
# directories under $DRILL_DIR/releases, the proxy is a native nginx. Same contract as docker/scripts/runtime/compose.sh;
# sourced by docker/scripts/lib.sh when INKSTONE_RUNTIME points here.
#
# Needs: DRILL_DIR, DRILL_BLUE_PORT, DRILL_GREEN_PORT, DRILL_PROXY_PORT, DRILL_NGINX_PREFIX, DRILL_NGINX_CONF.

STOP_TIMEOUT="${INKSTONE_STOP_TIMEOUT:-30}"

colour_port() { if [ "$1" = blue ]; then echo "$DRILL_BLUE_PORT"; else echo "$DRILL_GREEN_PORT"; fi; }

# The wrapper shell keeps the app's exit code, so rt_stop can insist on a clean exit 0.
rt_start() {
  local colour="$1" version="$2" run="$DRILL_DIR/run"
  state_set "$colour.version" "$version"
  mkdir -p "$run" "$DRILL_DIR/logs"
  rm -f "$run/$colour.pid" "$run/$colour.exit"
  # shellcheck disable=SC2016 # expanded by the wrapper shell
  PORT="$(colour_port "$colour")" sh -c 'node --max-semi-space-size=4 "$1" serve & echo $! >"$2"; wait $!; echo $? >"$3"' \
    sh "$DRILL_DIR/releases/$version/bin/inkstone.js" "$run/$colour.pid" "$run/$colour.exit" \
    >>"$DRILL_DIR/logs/$colour.log" 2>&1 </dev/null &
}

rt_stop() {
  local colour="$1" run="$DRILL_DIR/run" pid code deadline started=$SECONDS
  pid="$(cat "$run/$colour.pid" 2>/dev/null)" || {
    log "$colour is not running"
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while [ ! -s "$run/$colour.exit" ]; do
    [ "$SECONDS" -lt "$deadline" ] || {
      log "$colour (pid $pid) still running ${STOP_TIMEOUT}s after SIGTERM"
      return 1
    }
    sleep 0.05
  done
  code="$(cat "$run/$colour.exit")"
  rm -f "$run/$colour.pid"
  [ "$code" = 0 ] || {
    log "$colour exited with code $code after SIGTERM"
    return 1
  }
  log "$colour drained and exited 0 ($((SECONDS - started))s)"
}

rt_inkstone() {
  local version
  version="$(state_get "$1.version")"
  shift
  node "$DRILL_DIR/releases/$version/bin/inkstone.js" "$@"
}

rt_probe() { curl -fsS --max-time 2 "http://127.0.0.1:$(colour_port "$1")$2"; }

rt_upstream_server() { echo "127.0.0.1:$(colour_port "$1")"; }

# Reload, then wait until the workers that ran the old upstream have exited (their in-flight requests are done).
rt_reload_proxy() {
  local master old p alive i=0
  master="$(cat "$DRILL_NGINX_PREFIX/nginx.pid")"
  old="$(ps --ppid "$master" -o pid= | tr '\n' ' ')"
  nginx -p "$DRILL_NGINX_PREFIX" -c "$DRILL_NGINX_CONF" -e "$DRILL_NGINX_PREFIX/logs/error.log" -t -q
  nginx -p "$DRILL_NGINX_PREFIX" -c "$DRILL_NGINX_CONF" -e "$DRILL_NGINX_PREFIX/logs/error.log" -s reload
  while [ "$i" -lt 600 ]; do
    alive=""
    for p in $old; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && return 0
    i=$((i + 1))
    sleep 0.05
  done
  log "old nginx workers still running 30 s after the reload"
  return 1
}

rt_probe_proxy() { curl -fsS --max-time 5 "http://127.0.0.1:$DRILL_PROXY_PORT$1"; }

# The drill runs no queue worker or scheduler: nothing to update.
rt_update_workers() { log "no worker/scheduler in the drill"; }
