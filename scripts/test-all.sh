#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as `npm test` runs it. Works on a fresh Debian 12 machine as root
# with only the npm registry and Debian apt: installs what is missing (apt packages, the Debian 13 oracle judges,
# npm ci, Node 24 + code-server into .tools/), builds, then runs every stage even when an earlier one fails. Prints each runner's own output and
# summary, a table with each stage's counts and time, and finally one line "N passed, N failed" (the sum over all
# stages; a stage or setup step that errors without reporting a count adds 1 failed). Exit code 0 only if all passed.
# Stage logs are kept in .test-runs/test-all/.
#
# Locally, `npm ci` is skipped when node_modules already matches package-lock.json (CI=true always runs it).
# Tests never change the repository: the last stage fails if `git status --porcelain` differs from what it was before
# the run (editors work on throwaway copies of their fixture workspaces; builds and logs go to git-ignored folders).
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export NO_COLOR=1 FORCE_COLOR=0 npm_config_color=false

LOGS=.test-runs/test-all
rm -rf "$LOGS"
mkdir -p "$LOGS"
total_passed=0
total_failed=0
errors=0
report=()
T0=$(date +%s%N)

now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e9 }'; }
banner() { printf '\n=== %s\n' "$*"; }
slug() { echo "$1" | tr -cs 'A-Za-z0-9' '-' | sed 's/^-//; s/-$//'; }
record() { # NAME PASSED FAILED STATUS NS
  report+=("$(printf '%-34s %5s passed %4s failed   exit %-3s %7s s' "$1" "$2" "$3" "$4" "$(secs "$5")")")
}

# A setup step: counts as 1 failed if it fails, but the run goes on.
setup() { # NAME COMMAND...
  local name=$1 t log status
  shift
  banner "$name"
  log="$LOGS/$(slug "$name").log"
  t=$(now)
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    echo "!!! setup step '$name' failed (exit $status)"
    errors=$((errors + 1))
    total_failed=$((total_failed + 1))
    record "setup: $name" 0 1 "$status" $(($(now) - t))
  else
    record "setup: $name" - - 0 $(($(now) - t))
  fi
  return 0
}

# A test stage. KIND says how the runner reports its counts:
#   mocha   - mocha's epilogue "N passing" / "N failing"
#   summary - a last line "N passed, N failed" (our own runners: Neovim, extension host, .vsix)
stage() { # NAME KIND TIMEOUT_S COMMAND...
  local name=$1 kind=$2 limit=$3 t log status passed failed line
  shift 3
  banner "$name"
  log="$LOGS/$(slug "$name").log"
  t=$(now)
  timeout -k 10 "$limit" "$@" </dev/null 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  passed=
  failed=
  if [ "$kind" = mocha ]; then
    passed=$(grep -E '^ *[0-9]+ passing' "$log" | tail -1 | grep -Eo '[0-9]+' | head -1)
    failed=$(grep -E '^ *[0-9]+ failing' "$log" | tail -1 | grep -Eo '[0-9]+' | head -1)
    [ -n "$passed" ] && failed=${failed:-0}
  else
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
    if [ -n "$line" ]; then
      passed=$(echo "$line" | awk '{print $1}')
      failed=$(echo "$line" | awk '{print $3}')
    fi
  fi
  if [ -z "$passed" ]; then
    echo "!!! stage '$name' reported no test counts (exit $status); counted as 1 failed"
    passed=0
    failed=1
    errors=$((errors + 1))
  elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    [ "$status" -eq 124 ] && echo "!!! stage '$name' timed out after $limit s" ||
      echo "!!! stage '$name' exited $status although no test failed; counted as 1 failed"
    failed=1
    errors=$((errors + 1))
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  record "$name" "$passed" "$failed" "$status" $(($(now) - t))
}

# --- setup ------------------------------------------------------------------------------------------------------

# Debian packages: gunicorn (oracle), nginx + its stream module and systemd (oracles for those file types), neovim (second LSP client), pre-commit (the hook),
# chromium (drives the VS Code workbench), libkrb5-dev + build tools (code-server's native addons).
apt_packages() {
  local want=(gunicorn nginx libnginx-mod-stream libnginx-mod-http-headers-more-filter libnginx-mod-http-echo libnginx-mod-http-brotli-filter libnginx-mod-http-lua libnginx-mod-http-set-misc libnginx-mod-rtmp neovim pre-commit chromium libkrb5-dev systemd make g++ python3) missing=() p sudo=
  for p in "${want[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all present: ${want[*]}"
    return 0
  fi
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

npm_dependencies() {
  if [ -z "${CI:-}" ] && [ -d node_modules ] && npm ls --depth=0 >/dev/null 2>&1; then
    echo "node_modules matches package-lock.json; skipping npm ci (CI=true forces it)"
    return 0
  fi
  npm ci --no-audit --no-fund
}

build() {
  npm run --silent build && node test/e2e/build.mjs && echo "built dist/client.js dist/server.js dist/worker.js dist/cli.js, dist/data/ and dist/test/e2e-suite.js"
}

echo "node $(node --version 2>/dev/null || echo missing), npm $(npm --version 2>/dev/null || echo missing), $(nproc) cores"
git status --porcelain >"$LOGS/tree-before.txt" 2>/dev/null || echo "not a git checkout" >"$LOGS/tree-before.txt"
setup "apt packages" apt_packages
setup "Debian 13 judges (trixie root)" bash scripts/install-trixie-judges.sh
setup "npm ci" npm_dependencies
setup "Node 24 + code-server" bash scripts/install-editor-tools.sh
setup "build" build

# --- stages -----------------------------------------------------------------------------------------------------

stage "lint (eslint)" summary 600 bash -c 'npx eslint --max-warnings 0 . && echo "1 passed, 0 failed"'
stage "format (prettier --check)" summary 600 bash -c 'npx prettier --check . && echo "1 passed, 0 failed"'
stage "unit + protocol (mocha)" mocha 1200 npm run test:unit
stage "oracles: Gunicorn, ipaddress, systemd, nginx" mocha 1200 npm run test:oracle
stage "Neovim LSP client" summary 120 bash test/nvim/run.sh
stage "VS Code extension host" summary 300 node test/e2e/runTest.js
stage "cli on the example" summary 120 bash -c 'node dist/cli.js check examples/deployment; s=$?
  if [ $s -eq 1 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed (expected exit 1, got $s)"; exit 1; fi'
# The npm package from its tarball, the pre-commit hook through Debian's pre-commit, the Action's steps, vsce ls.
stage "npm package, pre-commit, Action" mocha 900 npm run test:package
# Last, because `npm run package` rebuilds dist/ minified.
stage ".vsix: package, install, run" summary 600 bash -c 'npm run --silent package && bash test/e2e/vsix.sh'

# Compares the working tree with the snapshot taken before the first stage.
tree_unchanged() {
  local now
  now=$(git status --porcelain 2>/dev/null || echo "not a git checkout")
  if [ "$now" = "$(cat "$LOGS/tree-before.txt")" ]; then
    echo "git status --porcelain is as it was before the run${now:+ (the tree had local changes before it started)}"
    echo "1 passed, 0 failed"
  else
    echo "the test run changed the repository; git status --porcelain before:"
    sed 's/^/  /' "$LOGS/tree-before.txt"
    echo "after:"
    echo "$now" | sed 's/^/  /'
    echo "0 passed, 1 failed"
    return 1
  fi
}
export -f tree_unchanged
export LOGS
stage "repository unchanged by the tests" summary 60 bash -c tree_unchanged

# --- summary ----------------------------------------------------------------------------------------------------

banner "summary (logs in $LOGS/)"
printf '%s\n' "${report[@]}"
printf '%-34s %5s passed %4s failed            %7s s\n' "total" "$total_passed" "$total_failed" "$(secs $(($(now) - T0)))"
[ "$errors" -eq 0 ] || echo "$errors stage(s) or setup step(s) errored without a test count (each counted as 1 failed)"
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ] && [ "$errors" -eq 0 ]
