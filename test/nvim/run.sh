#!/usr/bin/env bash
# Neovim headless smoke test against the bundled server (npm run build first) as installed from the packed npm
# tarball, with throwaway XDG directories so nothing is written to ~/.cache/nvim or ~/.local/state/nvim, on a
# throwaway copy of test/nvim/workspace so nothing is written into the repository. Needs apt neovim (0.7.2 on Debian 12).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nvim >/dev/null || { echo "nvim not found: apt-get install neovim"; echo "0 passed, 1 failed"; exit 1; }
[ -f dist/server.js ] || { echo "dist/server.js missing: npm run build"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The server as users install it: the packed npm tarball, installed offline into a throwaway prefix (no run-time
# dependencies to fetch). If packing or installing fails, the test still runs against dist/server.js and says so.
if npm pack --ignore-scripts --silent --pack-destination "$tmp" >/dev/null 2>"$tmp/pack.log" &&
  npm install -g --offline --no-audit --no-fund --prefix "$tmp/prefix" "$tmp"/gunicorn-config-*.tgz >"$tmp/install.log" 2>&1 &&
  [ -x "$tmp/prefix/bin/gunicorn-config-server" ]; then
  export GUNICORN_CONFIG_SERVER_BIN=$tmp/prefix/bin/gunicorn-config-server
  echo "server: $GUNICORN_CONFIG_SERVER_BIN (installed from the packed tarball)"
else
  echo "server: dist/server.js (packing or installing the tarball failed: $(tail -3 "$tmp/pack.log" "$tmp/install.log" 2>/dev/null | tr '\n' ' '))"
fi
cp -R test/nvim/workspace "$tmp/workspace"
cp -R test/fixtures/apps "$tmp/workspace/apps"
GC_NVIM_WORKSPACE=$tmp/workspace XDG_CACHE_HOME=$tmp/cache XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config \
  timeout 60 nvim --headless --noplugin -u NONE -i NONE -n \
  -c "luafile test/nvim/lsp_e2e.lua" "$tmp/workspace/gunicorn.conf.py" </dev/null
