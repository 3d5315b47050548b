// Runs an extension's test module inside the real VS Code extension host: starts the bundled VS Code server, opens
// the web workbench in headless Chromium with the extension-test payload, and resolves with the host's exit code.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { format } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, '..', '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once the server's log says it is listening (an event, not a poll of the port). */
function waitForListening(logFile, child, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('VS Code server did not start in time')), ms);
    const check = () => {
      if (fs.readFileSync(logFile, 'utf8').includes('Extension host agent listening')) {
        clearTimeout(timer);
        watcher.close();
        resolve();
      }
    };
    const watcher = fs.watch(logFile, check);
    child.on('exit', (code) => reject(new Error(`VS Code server exited with ${code}`)));
    check();
  });
}

export async function runExtensionTests({
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  timeoutMs = 180000,
}) {
  const t0 = Date.now();
  const port = await freePort();
  fs.mkdirSync(path.join(ROOT, '.test-runs'), { recursive: true });
  const runDir = fs.mkdtempSync(path.join(ROOT, '.test-runs', 'vscode-'));
  const logFile = path.join(runDir, 'server.log');
  const server = spawn(path.join(HERE, 'start-vscode-server.sh'), [String(port), runDir], {
    detached: true,
    stdio: ['ignore', fs.openSync(logFile, 'w'), fs.openSync(path.join(runDir, 'server.err'), 'w')],
  });
  let browser;
  try {
    await waitForListening(logFile, server, 60000);
    console.log(`[e2e] VS Code server up on port ${port} after ${Date.now() - t0} ms (logs in ${runDir})`);
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = [
      ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
      ['extensionTestsPath', remote(extensionTestsPath)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const home = path.join(runDir, 'chromium-home');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
        XDG_CACHE_HOME: `${home}/.cache`,
      },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage();
    // Only loopback traffic: anything else is aborted.
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      return ['127.0.0.1', 'localhost'].includes(u.hostname) || ['data:', 'blob:'].includes(u.protocol)
        ? route.continue()
        : route.abort();
    });
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (
        process.env.E2E_VERBOSE ||
        !/queryRawGalleryExtensions|ECONNREFUSED 127\.0\.0\.1:9|^\s+at |Service Worker|Creating a socket|connection token|grace-time|AgentHost|AccountPolicyGate|builtin extensions cache|vsda/.test(
          line,
        )
      ) {
        console.log(line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    await page.goto(url);
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    console.log(`[e2e] extension host exited with ${code} after ${Date.now() - t0} ms`);
    return code === 0 ? 0 : 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    try {
      process.kill(-server.pid, 'SIGTERM'); // the server's own process group: extension hosts otherwise linger
    } catch {
      // already gone
    }
  }
}
