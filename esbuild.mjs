// Bundles the client, the language server and the CLI into dist/ (one file each, CommonJS for Node 20), with the
// catalogues the server and the CLI read on first use in dist/data/.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const nodeFlags = JSON.parse(readFileSync(new URL('./server/data/node-flags.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
// `--no-minify` keeps names readable in a production build, for CPU profiles (`--cpu-prof`) of the bundled server.
const minify = production && !process.argv.includes('--no-minify');
// `--outdir=DIR` builds somewhere else than dist/ (the bench builds a private copy, so a concurrent build cannot race it).
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
/**
 * The catalogues (half a megabyte of JSON) are not in the bundle: each is a file beside it in data/, read and parsed on
 * first use. In the bundle they were part of the script source V8 keeps in memory for the process's lifetime (and the
 * parsed module held its string too), whether or not the language was ever used.
 */
const CATALOGUES =
  /[\\/]server[\\/]data[\\/](gunicorn[\\/]catalog|nginx[\\/](directives|modules)|systemd[\\/]directives)\.json$/;
const shippedCatalogues = new Set();
const catalogueFiles = {
  name: 'catalogue-files',
  setup(build) {
    build.onLoad({ filter: CATALOGUES }, (args) => {
      const path = relative('server/data', args.path).split('\\').join('/');
      shippedCatalogues.add(path);
      return {
        contents: `module.exports = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, 'data', ${JSON.stringify(path)}), 'utf8'));`,
        loader: 'js',
      };
    });
  },
};

/**
 * Other JSON modules (the version list, snippets, node flags) become `JSON.parse('…')` of one string instead of object
 * literals: V8 parses JSON faster than the equivalent literal, and a module required on first use costs only its
 * string until then (an object literal, even inside a lazily evaluated module, is pre-parsed at start-up).
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

/**
 * Node modules that the LSP libraries import at start-up but need only on rare paths become proxies that load the real
 * module on first use. The server: `crypto` and `child_process` (a random pipe name, a global npm lookup), about 2 MB of
 * resident memory in every server process. The client: `crypto`, `net` and `readline` (pipe and socket transports we do
 * not use), milliseconds of activation in a fresh process.
 */
const lazyBuiltins = (names) => ({
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: names }, (args) =>
      args.importer.includes('node_modules') ? { path: args.path, namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real;
const load = () => (real ??= require('node:${args.path}'));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`,
      loader: 'js',
    }));
  },
});

const shared = {
  plugins: [catalogueFiles, jsonAsString],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * V8 keeps a script's source in memory as one-byte Latin-1 only when every character fits; a single non-ASCII
 * character (a literal `µ` in a regular expression, say) doubles the memory the server's source takes. esbuild escapes
 * strings, not every construct, so the build checks.
 */
function assertAscii(file) {
  const text = readFileSync(file, 'utf8');
  const at = text.search(/[^\x00-\x7f]/);
  if (at >= 0)
    throw new Error(
      `${file} has a non-ASCII character near: ${JSON.stringify(text.slice(at - 40, at + 10))}`,
    );
}

await Promise.all([
  esbuild.build({
    ...shared,
    entryPoints: ['client/src/extension.ts'],
    outfile: `${outdir}/client.js`,
    external: ['vscode'],
    plugins: [...shared.plugins, lazyBuiltins(/^(crypto|net|readline)$/)],
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['server/src/main.ts'],
    outfile: `${outdir}/server.js`,
    plugins: [...shared.plugins, lazyBuiltins(/^(crypto|child_process)$/)],
    // `env -S` splits the line, so the server binary runs with the same Node flags as under VS Code.
    banner: {
      js: `#!/usr/bin/env -S ${Object.entries(nodeFlags.env)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')} node ${nodeFlags.execArgv.join(' ')}`,
    },
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['server/src/worker.ts'],
    outfile: `${outdir}/worker.js`,
  }),
  esbuild.build({
    ...shared,
    entryPoints: ['server/src/cli.ts'],
    outfile: `${outdir}/cli.js`,
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
// Written without the generators' indentation: smaller to ship and quicker to parse.
for (const path of shippedCatalogues) {
  mkdirSync(dirname(join(outdir, 'data', path)), { recursive: true });
  writeFileSync(
    join(outdir, 'data', path),
    JSON.stringify(JSON.parse(readFileSync(join('server/data', path), 'utf8'))),
  );
}
// Development builds keep comments (with their dashes and ellipses); what ships is the production build.
if (minify) for (const bundle of ['server.js', 'worker.js']) assertAscii(`${outdir}/${bundle}`);
