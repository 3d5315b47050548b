#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }). It accepts the
// desktop command line that runTests builds (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a folder, plus flags such as --disable-updates that only mean something to desktop VS Code) and
// runs the tests in the real VS Code server + headless Chromium instead of Electron. Exit code = test result.
import path from 'node:path';
import { runExtensionTests } from './run-ext-tests-lib.mjs';

const args = process.argv.slice(2);
const values = new Map();
const positional = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const m = /^--([\w-]+)(?:=(.*))?$/s.exec(a);
  if (!m) positional.push(a);
  else if (m[2] !== undefined) values.set(m[1], m[2]);
  else if (
    ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(m[1])
  )
    values.set(m[1], args[++i]); // "--flag value" form
  // other bare flags (--no-sandbox, --disable-updates, --skip-welcome, ...) do not apply to the server
}
const extensionDevelopmentPath = values.get('extensionDevelopmentPath');
const extensionTestsPath = values.get('extensionTestsPath');
const folder = positional[0];
if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
  console.error(
    'code-shim: need --extensionDevelopmentPath, --extensionTestsPath and a folder; got',
    args.join(' '),
  );
  process.exit(2);
}
const userDataDir = values.get('user-data-dir');
process.exit(
  await runExtensionTests({
    extensionDevelopmentPath,
    extensionTestsPath,
    folder,
    // runTest.js puts the user-data and extensions dirs inside a fresh run directory; keep the logs next to them.
    runDir: userDataDir ? path.dirname(path.resolve(userDataDir)) : undefined,
    userDataDir,
    extensionsDir: values.get('extensions-dir'),
  }),
);
