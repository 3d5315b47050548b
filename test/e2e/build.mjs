// Bundles the extension-host test suite (it runs inside VS Code, so `vscode` stays external).
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['test/e2e/suite/index.ts'],
  outfile: 'dist/test/e2e-suite.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'error',
});
