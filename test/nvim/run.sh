#!/usr/bin/env bash
# Runs the Neovim smoke test against dist/server.js with throwaway XDG directories.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
XDG_CACHE_HOME=$tmp XDG_STATE_HOME=$tmp XDG_DATA_HOME=$tmp XDG_CONFIG_HOME=$tmp \
  timeout 60 nvim --headless --noplugin -u NONE -i NONE -n -c "luafile test/nvim/lsp_e2e.lua" test/nvim/workspace/gunicorn.conf.py
