#!/usr/bin/env bash
# The shipped Prometheus alert rules must parse and behave: `promtool check rules` plus the unit tests in
# docker/prometheus/alerts.test.yml (promtool comes with Debian's prometheus package; scripts/ci/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
promtool check rules docker/prometheus/alerts.yml
promtool test rules docker/prometheus/alerts.test.yml
