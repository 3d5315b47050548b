// Standard @vscode/test-electron entry point, pointed at our offline shim (test/e2e/harness/code-shim.mjs) instead of
// a downloaded VS Code: the suite runs in the real VS Code 1.139 Node extension host of code-server's VS Code server.
// Needs: bash scripts/install-editor-tools.sh, apt chromium, npm run build, node test/e2e/build.mjs.
// Exit code = test result. Environment: E2E_TIMEOUT_MS (default 180000), E2E_VERBOSE=1, CHROMIUM=/path,
// E2E_EXTENSION_PATH (test another copy of the extension, e.g. the one installed from the .vsix; default: the repo).
//
// The editor opens a fresh copy of test/e2e/workspace made in the system's temporary folder for this run and deleted
// afterwards: the suite applies fixes, changes settings and writes new files, and none of that may reach the
// repository or the next run (a saved fix once failed the next stage).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

(async () => {
  const root = path.resolve(__dirname, '..', '..');
  const runs = path.join(root, '.test-runs');
  fs.mkdirSync(runs, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(runs, 'vscode-')); // throwaway profile, home and logs for this run
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gunicorn-config-e2e-'));
  const workspace = path.join(copy, 'workspace');
  fs.cpSync(path.join(__dirname, 'workspace'), workspace, { recursive: true });
  // The fixture projects (Flask, Django, FastAPI, factory, src layout) are part of the editor's workspace too.
  fs.cpSync(path.join(root, 'test', 'fixtures', 'apps'), path.join(workspace, 'apps'), { recursive: true });
  // A Fly.io and a Render app with the platform mistakes of the orchestrator rules.
  for (const platform of ['fly', 'render']) {
    const fixture = path.join(root, 'test', 'fixtures', 'deployments', `${platform}-broken`);
    fs.cpSync(fixture, path.join(workspace, 'platforms', platform), { recursive: true });
  }
  let failed = false;
  try {
    await runTests({
      vscodeExecutablePath: path.join(__dirname, 'harness', 'code-shim.mjs'),
      extensionDevelopmentPath: process.env.E2E_EXTENSION_PATH || root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'e2e-suite.js'),
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(runDir, 'ud')}`,
        `--extensions-dir=${path.join(runDir, 'exts')}`,
      ],
    });
  } catch (error) {
    console.error('e2e tests failed:', error instanceof Error ? error.message : error);
    failed = true;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
})();
