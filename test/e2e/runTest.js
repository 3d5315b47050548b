// Standard @vscode/test-electron entry point, pointed at our offline shim instead of a downloaded VS Code.
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

(async () => {
  const root = path.resolve(__dirname, '..', '..');
  try {
    await runTests({
      vscodeExecutablePath: path.join(__dirname, 'harness', 'code-shim.mjs'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'e2e-suite.js'),
      launchArgs: [path.join(__dirname, 'workspace')],
    });
  } catch (error) {
    console.error('e2e tests failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
