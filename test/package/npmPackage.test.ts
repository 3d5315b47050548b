// The npm package as a user gets it: packed from the repository, installed from the tarball into an empty prefix
// without a registry, its two bins run from there (the CLI on the example, the server answering `initialize`).

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, packAndInstall, removeInstalled, ROOT, type Installed } from './helpers';

/** Sends one framed JSON-RPC message. */
function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Starts the installed server bin and resolves with its answer to `initialize` (then shuts it down). */
function initializeServer(bin: string, cwd: string): Promise<{ capabilities: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--stdio'], { cwd, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = Buffer.alloc(0);
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer to initialize within 15 s; stderr: ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as {
          id?: number;
          result?: { capabilities: Record<string, unknown> };
        };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1 && message.result) {
          clearTimeout(timer);
          child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
          child.stdin.end(frame({ jsonrpc: '2.0', method: 'exit' }));
          resolve(message.result);
        }
      }
    });
    child.stdin.write(
      frame({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null },
      }),
    );
  });
}

describe('npm package', function () {
  this.timeout(120_000);
  let pkg: Installed;
  let work: string;

  before(function () {
    pkg = packAndInstall();
    work = mkdtempSync(join(tmpdir(), 'gc-package-work-'));
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
    removeInstalled();
  });

  it('ships the bundles, the catalogues and the static contributions, and no sources, tests or maps', function () {
    const listing = spawnSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' });
    assert.equal(listing.status, 0, listing.stderr);
    const files = listing.stdout
      .split('\n')
      .filter(Boolean)
      .map((path) => path.replace(/^package\//, ''));
    for (const needed of [
      'package.json',
      'dist/cli.js',
      'dist/server.js',
      'dist/worker.js',
      'dist/data/gunicorn/catalog.json',
      'dist/data/nginx/directives.json',
      'dist/data/systemd/directives.json',
      'LICENSE',
      'README.md',
    ]) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball: ${files.join(', ')}`);
    }
    const unwanted = files.filter((path) =>
      /(^|\/)(node_modules|test|src|scripts|examples|\.tools)\/|\.ts$|\.map$/.test(path),
    );
    assert.deepEqual(unwanted, []);
  });

  it('declares no run-time dependencies, and its bundles require only Node built-ins', function () {
    const manifest = JSON.parse(
      readFileSync(join(pkg.prefix, 'lib', 'node_modules', 'gunicorn-config', 'package.json'), 'utf8'),
    ) as { dependencies?: object; private?: boolean; bin: Record<string, string> };
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['gunicorn-config', 'gunicorn-config-server']);
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    const dist = join(pkg.prefix, 'lib', 'node_modules', 'gunicorn-config', 'dist');
    for (const bundle of readdirSync(dist).filter((name) => name.endsWith('.js') && name !== 'client.js')) {
      const text = readFileSync(join(dist, bundle), 'utf8');
      const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
      assert.deepEqual(
        required.filter((name) => !builtins.has(name)),
        [],
        `${bundle} requires modules that are not Node built-ins`,
      );
    }
  });

  it('gunicorn-config check on the example finds its mistakes and exits 1', function () {
    cpSync(join(ROOT, 'examples', 'deployment'), join(work, 'deployment'), { recursive: true });
    const run = spawnSync(pkg.bin('gunicorn-config'), ['check', 'deployment'], {
      cwd: work,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    assert.equal(run.status, 1, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
    assert.match(run.stdout, /deploy\/shop\.nginx:22:9 error nginx-unknown-directive .*proxy_read_timout/);
    // A cross-file finding: the config's preload_app against the unit's ExecReload=.
    assert.match(run.stdout, /gunicorn\.conf\.py:\d+:\d+ warning preload-hup-reload /);
  });

  it('gunicorn-config --help exits 0 and gunicorn-config check on a clean deployment exits 0', function () {
    const help = spawnSync(pkg.bin('gunicorn-config'), ['--help'], { env: cleanEnv(), encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: gunicorn-config check/);
    const clean = join(work, 'clean');
    const init = spawnSync(
      pkg.bin('gunicorn-config'),
      ['init', clean, '--name', 'shop', '--app', 'shop.wsgi:app'],
      {
        env: cleanEnv(),
        encoding: 'utf8',
      },
    );
    assert.equal(init.status, 0, init.stderr);
    const check = spawnSync(pkg.bin('gunicorn-config'), ['check', clean], {
      env: cleanEnv(),
      encoding: 'utf8',
    });
    assert.equal(check.status, 0, check.stdout);
    assert.match(check.stdout, / 0 errors, /);
  });

  it('gunicorn-config-server --stdio answers initialize', async function () {
    const result = await initializeServer(pkg.bin('gunicorn-config-server'), work);
    assert.ok(result.capabilities['textDocumentSync'], JSON.stringify(result.capabilities));
    assert.ok(result.capabilities['hoverProvider']);
    assert.ok(result.capabilities['completionProvider']);
  });
});
