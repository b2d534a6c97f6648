#!/usr/bin/env bash
# The Debian tools the suites and checks call: dump/restore clients and a mariadbd for the point-in-time tests,
# zstd for backup parts, redis-server for the private Redis the outage tests kill, nginx for the deploy drill,
# the shellcheck and docker-compose tools for `npm run lint:deploy`, promtool (prometheus) for the alert rules,
# chromium (/usr/bin/chromium) for the browser tests under test/browser/ (driven by playwright-core).
set -euo pipefail
packages=(zstd shellcheck docker-compose nginx-light openssl curl mariadb-server mariadb-client postgresql-client
  redis-server redis-tools prometheus chromium)
missing=()
for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "tools present: ${packages[*]}"
