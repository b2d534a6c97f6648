#!/usr/bin/env bash
# shellcheck shell=bash
# Deploy primitives on Docker Compose: colours are the services app_blue and app_green, versions are image tags.
# Sourced by lib.sh.

COMPOSE_FILE="${INKSTONE_COMPOSE_FILE:-$ROOT_DIR/docker-compose.yml}"
STOP_TIMEOUT="${INKSTONE_STOP_TIMEOUT:-30}"
PUBLIC_URL="${INKSTONE_HEALTH_URL:-http://127.0.0.1}"

compose() { docker compose -f "$COMPOSE_FILE" --project-directory "$ROOT_DIR" "$@"; }

# Each colour runs the image tag recorded for it; compose reads BLUE_TAG / GREEN_TAG from the environment.
colour_env() {
  BLUE_TAG="$(state_get blue.version)"
  GREEN_TAG="$(state_get green.version)"
  WORKER_TAG="$(state_get worker.version)"
  export BLUE_TAG="${BLUE_TAG:-latest}" GREEN_TAG="${GREEN_TAG:-latest}" WORKER_TAG="${WORKER_TAG:-latest}"
}

rt_start() {
  local colour="$1" version="$2"
  state_set "$colour.version" "$version"
  colour_env
  compose pull --quiet "app_$colour"
  compose up -d --no-deps "app_$colour"
}

# docker stop sends SIGTERM (through tini): the app answers ready=503, finishes in-flight requests and exits 0.
rt_stop() {
  colour_env
  compose stop --timeout "$STOP_TIMEOUT" "app_$1"
}

rt_inkstone() {
  local colour="$1"
  shift
  colour_env
  compose exec -T "app_$colour" node bin/inkstone.js "$@"
}

rt_probe() {
  colour_env
  compose exec -T "app_$1" node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); })
      .catch(() => process.exit(1));' "http://127.0.0.1:3000$2"
}

rt_upstream_server() { echo "app_$1:3000"; }

# nginx is PID 1 in its container; its workers are its children. Reload, then wait until the old workers exited,
# i.e. every request that was in flight on the old upstream has finished.
rt_reload_proxy() {
  compose exec -T nginx nginx -t -q
  # shellcheck disable=SC2016 # expanded by the shell inside the nginx container
  compose exec -T nginx sh -c '
    old="$(pgrep -P 1 | tr "\n" " ")"
    nginx -s reload
    i=0
    while [ "$i" -lt 600 ]; do
      alive=""
      for p in $old; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ -z "$alive" ] && exit 0
      i=$((i + 1)); sleep 0.1
    done
    echo "old nginx workers still running after 60 s" >&2; exit 1'
}

rt_probe_proxy() { curl -fsS --max-time 5 "$PUBLIC_URL$1"; }

# Queue worker and scheduler follow the version in front. Compose recreates them: SIGTERM lets the worker finish
# its current job (stop_grace_period), and the queue keeps what it has not started.
rt_update_workers() {
  state_set worker.version "$1"
  colour_env
  compose up -d --no-deps worker scheduler
}
