// Entry point of the extension-host test run (bundled to dist/test/e2e-suite.js by test/e2e/build.mjs): VS Code
// calls run() inside the extension host once the workbench has loaded the extension under development.

import Mocha from 'mocha';
import { registerAppTests } from './apps.test';
import { registerTests } from './extension.test';
import { registerSymbolTests } from './symbols.test';
import { registerNavigationTests } from './navigation.test';
import { registerFixAllTests } from './fixAll.test';
import { registerExplainTests } from './explain.test';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha); // defines describe/it/before as globals
  registerTests();
  registerAppTests();
  registerSymbolTests();
  registerNavigationTests();
  registerFixAllTests();
  registerExplainTests();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The last line of every runner in this repository; scripts/test-all.sh adds these up.
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}
