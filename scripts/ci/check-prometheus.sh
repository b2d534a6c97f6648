#!/usr/bin/env bash
# The shipped Prometheus alert rules must parse and behave: `promtool check rules` plus the unit tests in
# docker/prometheus/alerts.test.yml. promtool comes with Debian's prometheus package (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v promtool >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
promtool check rules docker/prometheus/alerts.yml
promtool test rules docker/prometheus/alerts.test.yml
