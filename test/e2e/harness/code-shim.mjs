#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): it takes the desktop
// flags and runs the tests in the real VS Code server + headless Chromium instead of Electron. Exit code = result.
import { runExtensionTests } from './run-ext-tests.mjs';

const args = process.argv.slice(2);
const get = (key) => {
  const i = args.findIndex((a) => a === `--${key}` || a.startsWith(`--${key}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].split('=').slice(1).join('=') : args[i + 1];
};
const extensionDevelopmentPath = get('extensionDevelopmentPath');
const extensionTestsPath = get('extensionTestsPath');
const folder = args.find(
  (a, i) => !a.startsWith('-') && !(i > 0 && /^--[\w-]+$/.test(args[i - 1]) && !args[i - 1].includes('=')),
);
if (!extensionDevelopmentPath || !extensionTestsPath || !folder) {
  console.error(
    'code-shim: need --extensionDevelopmentPath, --extensionTestsPath and a folder; got',
    args.join(' '),
  );
  process.exit(2);
}
process.exit(await runExtensionTests({ extensionDevelopmentPath, extensionTestsPath, folder }));
