#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, and run the checker on the example deployment.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 2
fi
npm run --silent build || exit 2
echo "\$ gunicorn-config check examples/deployment"
node dist/cli.js check examples/deployment
status=$?
# Exit 1 only means "the example has errors", which it has on purpose; 2 or more is a real failure.
if [ "$status" -le 1 ]; then
  echo "(checker exit code $status: 0 = no errors, 1 = errors found; the example contains deliberate mistakes)"
  exit 0
fi
exit "$status"
