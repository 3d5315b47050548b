#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what it needs (apt, npm), then runs every stage and
# prints each runner's summary plus one overall line "N passed, N failed". Exit code is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

total_passed=0
total_failed=0
stage_errors=0
declare -a report=()

step() { printf '\n=== %s\n' "$*"; }

# Debian packages used as oracles and as a second editor: gunicorn (20.1.0), neovim.
need_apt=()
[ -x /usr/bin/gunicorn ] || need_apt+=(gunicorn)
command -v nvim >/dev/null || need_apt+=(neovim)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi || { echo "apt-get failed"; stage_errors=$((stage_errors + 1)); }
fi

step "npm ci"
npm ci --no-audit --no-fund || exit 1
step "editor tools (node 24, code-server) into .tools/"
bash scripts/install-editor-tools.sh || stage_errors=$((stage_errors + 1))
step "build"
npm run --silent build || exit 1
node test/e2e/build.mjs || exit 1
npm run --silent compile || exit 1

# Runs a stage, shows its output, and adds its counts (mocha's "N passing"/"N failing", or "N passed, N failed").
run_stage() {
  local name=$1; shift
  step "$name"
  local log; log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local passed failed
  passed=$(grep -Eo '^ *[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1)
  failed=$(grep -Eo '^ *[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1)
  if [ -z "$passed" ]; then
    passed=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | awk '{print $1}')
    failed=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | awk '{print $3}')
  fi
  passed=${passed:-0}; failed=${failed:-0}
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then stage_errors=$((stage_errors + 1)); fi
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed))
  report+=("$(printf '%-28s %4s passed, %4s failed (exit %s)' "$name" "$passed" "$failed" "$status")")
  rm -f "$log"
}

run_stage "lint" bash -c 'npx eslint --max-warnings 0 . && echo "1 passed, 0 failed"'
run_stage "format" bash -c 'npx prettier --check . && echo "1 passed, 0 failed"'
run_stage "unit + protocol (mocha)" npx mocha 'out/test/unit/**/*.test.js' 'out/test/protocol/**/*.test.js'
run_stage "oracle: real Gunicorn" npx mocha 'out/test/oracle/**/*.test.js'
run_stage "neovim LSP client" bash test/nvim/run.sh
run_stage "real VS Code extension host" node test/e2e/runTest.js
run_stage "cli on the example" bash -c 'node dist/cli.js check examples/deployment; s=$?; [ $s -eq 1 ] && echo "1 passed, 0 failed" || { echo "0 passed, 1 failed (expected exit 1, got $s)"; exit 1; }'
run_stage "package .vsix" bash -c 'npm run --silent package >/dev/null && test -s gunicorn-config.vsix && echo "1 passed, 0 failed"'

printf '\n=== summary\n'
printf '%s\n' "${report[@]}"
if [ "$stage_errors" -gt 0 ]; then echo "$stage_errors stage(s) failed without a test count"; fi
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ] && [ "$stage_errors" -eq 0 ]
