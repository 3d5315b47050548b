// Bundles the client, the language server and the CLI into dist/ (one file each, CommonJS for Node 20).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const nodeFlags = JSON.parse(readFileSync(new URL('./server/data/node-flags.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
// `--outdir=DIR` builds somewhere else than dist/ (the bench builds a private copy, so a concurrent build cannot race it).
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
/**
 * JSON modules (catalogues, snippets) become `JSON.parse('…')` of one string instead of object literals: V8 parses
 * JSON faster than the equivalent literal, and a catalogue that is required on first use costs only its string until
 * then (an object literal, even inside a lazily evaluated module, is pre-parsed and kept in memory at start-up).
 */
const jsonAsString = {
  name: 'json-as-string',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

const shared = {
  plugins: [jsonAsString],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

await Promise.all([
  esbuild.build({
    ...shared,
    entryPoints: ['client/src/extension.ts'],
    outfile: `${outdir}/client.js`,
    external: ['vscode'],
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['server/src/main.ts'],
    outfile: `${outdir}/server.js`,
    // `env -S` splits the line, so the server binary runs with the same Node flags as under VS Code.
    banner: { js: `#!/usr/bin/env -S node ${nodeFlags.execArgv.join(' ')}` },
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['server/src/cli.ts'],
    outfile: `${outdir}/cli.js`,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
