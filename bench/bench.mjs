// `npm run bench`: drives the bundled server over stdio like an editor and prints each figure next to its budget.
// Exits non-zero when a budget is missed. Figures are wall-clock on this machine; run it on an idle machine.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(root, 'dist', 'server.js');
const rows = [];
const record = (name, value, budget, unit = 'ms') =>
  rows.push({ name, value, budget, unit, ok: value <= budget });

/** A realistic config of about `lines` lines: settings, hooks, helpers and comments, repeated. */
function generateConfig(lines) {
  const block = readFileSync(join(root, 'examples', 'deployment', 'gunicorn.conf.py'), 'utf8').split('\n');
  const out = [];
  let round = 0;
  while (out.length < lines) {
    for (const line of block)
      out.push(line.replace(/^def (\w+)\(/, `def $1_${round}(`).replace(/^BASE_DIR/, `BASE_DIR_${round}`));
    round++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function session() {
  const started = performance.now();
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: 'pipe' });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const waiters = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    const waiter = waiters.get(`${params.uri}@${params.version}`);
    if (waiter) waiter(params);
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        hover: { contentFormat: ['markdown'] },
      },
    },
  });
  const initMs = performance.now() - started;
  await connection.sendNotification('initialized', {});
  const diagnostics = (uri, version) => new Promise((resolve) => waiters.set(`${uri}@${version}`, resolve));
  const rss = () =>
    Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const close = async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    connection.dispose();
  };
  return { connection, diagnostics, initMs, rss, close };
}

const inits = [];
for (let i = 0; i < 5; i++) {
  const s = await session();
  inits.push(s.initMs);
  await s.close();
}
record('process start → initialize result (median of 5)', percentile(inits, 50), 150);

const s = await session();
for (const lines of [50, 500, 5000]) {
  const uri = `file:///bench/gunicorn-${lines}.conf.py`;
  const text = generateConfig(lines);
  const waiting = s.diagnostics(uri, 1);
  const t = performance.now();
  await s.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'python', version: 1, text },
  });
  await waiting;
  const budget = lines === 5000 ? 150 : 30;
  record(`didOpen → first diagnostics, ${lines} lines`, performance.now() - t, budget);

  const edits = [];
  for (let version = 2; version < 12; version++) {
    const next = s.diagnostics(uri, version);
    const t0 = performance.now();
    await s.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        {
          range: { start: { line: 11, character: 10 }, end: { line: 11, character: 12 } },
          text: String(20 + version),
        },
      ],
    });
    await next;
    edits.push(performance.now() - t0);
  }
  record(`edit → fresh diagnostics p50, ${lines} lines`, percentile(edits, 50), lines === 5000 ? 150 : 60);

  const hovers = [];
  const completions = [];
  for (let i = 0; i < 200; i++) {
    let t0 = performance.now();
    await s.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 10, character: 2 },
    });
    hovers.push(performance.now() - t0);
    t0 = performance.now();
    await s.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 2, character: 0 },
    });
    completions.push(performance.now() - t0);
  }
  if (lines === 500) {
    record('hover p99 (200 requests, 500 lines)', percentile(hovers, 99), 5);
    record('completion p99 (200 requests, 500 lines)', percentile(completions, 99), 5);
  }
}
record('peak RSS of the server (3 open configs)', s.rss(), 60, 'MB');
await s.close();
record('bundled server size', statSync(server).size / 1024 / 1024, 1, 'MB');

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${'figure'.padEnd(width)}  ${'measured'.padStart(10)}  ${'budget'.padStart(10)}`);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(width)}  ${(r.value.toFixed(r.unit === 'MB' ? 2 : 1) + ' ' + r.unit).padStart(10)}  ${('≤ ' + r.budget + ' ' + r.unit).padStart(10)}  ${r.ok ? 'ok' : 'MISSED'}`,
  );
}
const missed = rows.filter((r) => !r.ok).length;
console.log(missed ? `${missed} budget(s) missed` : 'all budgets met');
process.exitCode = missed ? 1 : 0;
