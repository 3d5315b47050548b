// Helpers for the property/fuzz tests: the repo's real inputs as a corpus, text arbitraries (random strings, mutations
// of real files, pathological shapes), and one checker that runs every feature entry point of a parsed document and
// asserts the invariants every caller relies on (no throw, bounded time, ranges inside the text, fixes apply,
// determinism).

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import type { Finding } from '../../server/src/core/findings';
import { MAX_OUTLINE_SYMBOLS, type OutlineSymbol } from '../../server/src/core/outline';
import { resolvePlaceholders } from '../../server/src/core/snippets';
import { applyEdits, comparePositions, LineIndex, type Range } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { newDeployment } from '../../server/src/deployment/template';
import type { CommandSourceKind } from '../../server/src/languages/commands/index';
import type { NginxContext } from '../../server/src/languages/nginx/catalogTypes';
import {
  commandSourceKindOf,
  detectLanguage,
  parseDocument,
  type DocumentContext,
  type LanguageId,
  type ParseHints,
} from '../../server/src/languages/registry';

export const ROOT = resolve(__dirname, '../../..');

// ---------------------------------------------------------------------------------------------------------------
// Run configuration

/** FUZZ_SEED fixes the seed (fast-check prints the seed and path of a failure); else a random seed per run. */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED;
  const scale = Number(process.env.FUZZ_SCALE ?? '1') || 1;
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  };
}

/**
 * Generous per-call bound for inputs up to ~200 KB: a guard against hangs and runaway (quadratic) work, not a speed
 * test (speed is measured by `npm run bench`). It counts the CPU time this process spent in the call, not wall time,
 * so a machine busy with other work (CI's two cores shared with editors and other stages) cannot fail it.
 */
export const CALL_BUDGET_MS = Number(process.env.FUZZ_CALL_BUDGET_MS ?? '2000');

export function timed<T>(label: string, run: () => T): T {
  const start = process.cpuUsage();
  const result = run();
  const spent = process.cpuUsage(start);
  const elapsed = (spent.user + spent.system) / 1000;
  assert.ok(
    elapsed <= CALL_BUDGET_MS,
    `${label} took ${elapsed.toFixed(0)} ms of CPU time (budget ${CALL_BUDGET_MS} ms)`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus: the repo's real files, snippets expanded, the deployment template's output, command sources

export type FuzzLanguage = 'gunicorn' | 'systemd' | 'nginx' | 'dockerfile' | 'procfile' | 'compose' | 'shell';

export interface CorpusFile {
  /** Path relative to the repo (or a synthetic one). */
  path: string;
  language: FuzzLanguage;
  text: string;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function languageOfPath(path: string): FuzzLanguage | undefined {
  const language = detectLanguage(path);
  if (language === 'commands') {
    // Manifests have their own fuzz cases (kubernetesManifests.test.ts, platformManifests.test.ts).
    const kind = commandSourceKindOf(path);
    return kind === 'manifest' ? undefined : kind;
  }
  if (language === 'gunicorn') return path.endsWith('.py') ? 'gunicorn' : undefined;
  return language;
}

/** Command sources written like the ones in launches.test.ts (the repo has few real ones). */
const COMMAND_SEEDS: CorpusFile[] = [
  {
    path: 'synthetic/Dockerfile',
    language: 'dockerfile',
    text: [
      'FROM python:3.12-slim',
      'ENV PYTHONUNBUFFERED=1 GUNICORN_CMD_ARGS="--threads 4"',
      'ENV LEGACY some value',
      'ARG PORT=9999',
      'WORKDIR /app',
      'WORKDIR src',
      'CMD ["gunicorn", "--bind", "0.0.0.0:8000", \\',
      '     "--workers=2", "--worker-class", "gthread", "-c", "gunicorn.conf.py", "app.main:app"]',
      '',
    ].join('\n'),
  },
  {
    path: 'synthetic/shell.Dockerfile',
    language: 'dockerfile',
    text: '# escape=`\nFROM python AS base\nCMD cd /srv && exec gunicorn `\n  # a comment\n  -w 4 --reload --bind unix:/run/shop.sock wsgi:app\nFROM base\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["sh", "-c", "exec gunicorn -b 0.0.0.0:$PORT --timeout 0 app:app"]\n',
  },
  {
    path: 'synthetic/Procfile',
    language: 'procfile',
    text: 'web: GUNICORN_CMD_ARGS="--workers 5" WEB_CONCURRENCY=2 gunicorn shop.wsgi --bind 0.0.0.0:$PORT --log-file - -k uvicorn.workers.UvicornWorker\nworker: celery -A shop worker\n# web2: gunicorn x:y\nrelease: python manage.py migrate && gunicorn --check-config shop.wsgi\n',
  },
  {
    path: 'synthetic/compose.yaml',
    language: 'compose',
    text: [
      'services:',
      '  web:',
      '    build: .',
      '    command: gunicorn -b 0.0.0.0:8000 --workers=3 --keep-alive 75 app:app  # serve',
      '    environment:',
      '      - GUNICORN_CMD_ARGS=--threads 2 --bind=:8000',
      '      - "PORT=8000"',
      '    working_dir: /code',
      '    env_file: .env',
      '  api:',
      '    entrypoint: ["gunicorn", "-b", ":9000",',
      '      "api:app"]',
      '    environment:',
      '      GUNICORN_CMD_ARGS: "--timeout 60"',
      '      WEB_CONCURRENCY: 4',
      '  folded:',
      '    command: >',
      '      gunicorn',
      '      -k gthread',
      '      main:app',
      '  literal:',
      '    command: |',
      '      gunicorn -w 2',
      '      lit:app',
      '  list:',
      '    command:',
      '    - gunicorn',
      '    - --bind=0.0.0.0:8000',
      '    - "wsgi:application"',
      'volumes:',
      '  data:',
      '    command: gunicorn not:aservice',
    ].join('\n'),
  },
  {
    path: 'synthetic/start.sh',
    language: 'shell',
    text: [
      '#!/bin/sh',
      'set -e',
      'export GUNICORN_CMD_ARGS="--bind=:9000 --workers 2"',
      'cd /srv/app',
      'python manage.py migrate',
      'cat <<EOF',
      'gunicorn in:heredoc',
      'EOF',
      'exec gunicorn \\',
      '  --timeout 30 -c /srv/app/gunicorn.conf.py --max-requests=1000 \\',
      '  app.wsgi &',
      'python -m gunicorn --bind "[::1]:80" b:app',
    ].join('\n'),
  },
  // Command lines with problems, so the fuzzed texts carry findings and fixes (flags, values, daemon, reload).
  {
    path: 'synthetic/bad.Dockerfile',
    language: 'dockerfile',
    text: 'FROM python\nENV GUNICORN_CMD_ARGS="--workers=abc --daemon --bogus -c other.py"\nCMD ["gunicorn", "--worker", "3", "--reload", "-D", "--bind", "--threads=x", "--keepalive", "2", "app:app"]\n',
  },
  {
    path: 'synthetic/bad.Procfile',
    language: 'procfile',
    text: "web: gunicorn --workers=0 --daemon --reload --timeout=-1 -k eventlet --paste x.ini --bind= app:app\nweb2: GUNICORN_CMD_ARGS='--reload --bogus' gunicorn -w\n",
  },
  {
    path: 'synthetic/bad.compose.yaml',
    language: 'compose',
    text: 'services:\n  web:\n    command: ["gunicorn", "--daemon", "--workers", "many", "--log-level", "loud", "app:app"]\n    environment:\n      GUNICORN_CMD_ARGS: "--reload -w 0 --unknown"\n',
  },
  {
    path: 'synthetic/bad.sh',
    language: 'shell',
    text: '#!/bin/bash\nexport GUNICORN_CMD_ARGS="--bogus --threads two"\nexec gunicorn --daemon --worker-class=nope --max-requests \\\n  -x --bind=unix: app:app # comment\n',
  },
];

let corpusCache: CorpusFile[] | undefined;

export function corpus(): CorpusFile[] {
  if (corpusCache) return corpusCache;
  const files: CorpusFile[] = [];
  for (const dir of ['examples/deployment', 'test/fixtures', 'test/e2e/workspace']) {
    for (const full of listFiles(join(ROOT, dir))) {
      const path = relative(ROOT, full).replace(/\\/g, '/');
      const language = languageOfPath(path);
      if (!language) continue;
      files.push({ path, language, text: readFileSync(full, 'utf8') });
    }
  }
  const snippetLanguages: Record<string, FuzzLanguage> = {
    'gunicorn.json': 'gunicorn',
    'systemd.json': 'systemd',
    'nginx.json': 'nginx',
  };
  for (const [file, language] of Object.entries(snippetLanguages)) {
    const definitions = JSON.parse(readFileSync(join(ROOT, 'snippets', file), 'utf8')) as Record<
      string,
      { body: string[] }
    >;
    for (const [name, snippet] of Object.entries(definitions)) {
      const body = snippet.body.join('\n');
      const path =
        language === 'systemd'
          ? 'snippets/app.service'
          : language === 'nginx'
            ? 'snippets/site.nginx'
            : 'snippets/gunicorn.conf.py';
      files.push({ path, language, text: resolvePlaceholders(body) });
      files.push({ path: `${path}#${name}`, language, text: body });
    }
  }
  for (const generated of newDeployment({
    name: 'shop',
    app: 'shop.wsgi:application',
    projectDir: '/srv/shop',
    serverName: 'shop.example.com',
    gunicornVersion: '23.0.0',
  })) {
    const language = languageOfPath(generated.path);
    if (language) files.push({ path: `generated/${generated.path}`, language, text: generated.text });
  }
  files.push(...COMMAND_SEEDS);
  corpusCache = files;
  return files;
}

/** Whole deployments (files that refer to each other), as `WorkspaceSource`-shaped records rooted at `/srv/<name>`. */
export function deploymentSets(): { path: string; language: FuzzLanguage; text: string }[][] {
  const sets = new Map<string, CorpusFile[]>();
  for (const file of corpus()) {
    const match =
      /^(test\/fixtures\/deployments\/[^/]+|examples\/deployment|test\/e2e\/workspace|generated)\//.exec(
        file.path,
      );
    if (!match) continue;
    const root = match[1]!;
    sets.set(root, [
      ...(sets.get(root) ?? []),
      { ...file, path: `/srv/app/${file.path.slice(root.length + 1)}` },
    ]);
  }
  return [...sets.values()];
}

export function corpusOf(language: FuzzLanguage): CorpusFile[] {
  const all = corpus();
  const own = all.filter((f) => f.language === language);
  return own.length ? own : all;
}

// ---------------------------------------------------------------------------------------------------------------
// Text arbitraries

/** Characters that matter to some parser: structure, quotes, escapes, line breaks, NUL, BOM, surrogates. */
const SPECIAL = [
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\u000b',
  '\u000c',
  '\u0085',
  '\u2028',
  '\u2029',
  '\uFEFF',
  '\ud800',
  '\udc00',
  '\udbff\udfff',
  '\u{1F600}',
  'é',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ';',
  ':',
  '=',
  '"',
  "'",
  '`',
  '\\',
  '\\\n',
  '#',
  '$',
  '${',
  '-',
  '--',
  '*',
  '?',
  '|',
  '>',
  '&&',
  '<<',
  ',',
  '.',
  '/',
  'gunicorn ',
  '-c ',
  '--bind ',
  '-w ',
  'unix:/run/a.sock',
  '127.0.0.1:8000',
  'app:app',
  'server ',
  'location / ',
  'proxy_pass http://app',
  'include ',
  'upstream ',
  'ExecStart=',
  'Environment=',
  '[Service]',
  '[Socket]',
  'ListenStream=',
  'bind = ',
  'workers = ',
  'def on_starting(server):\n    pass\n',
  'CMD ',
  'ENV ',
  'services:\n  web:\n    command: ',
  'web: ',
  'GUNICORN_CMD_ARGS=',
  'export ',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** One "character": mostly ASCII, often structural, sometimes anything UTF-16 can hold. */
export const fuzzChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 5, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: controlChar },
  { weight: 1, arbitrary: anyCodeUnit },
);

export const randomText = (maxLength = 400): fc.Arbitrary<string> =>
  fc.array(fuzzChar, { maxLength }).map((parts) => parts.join(''));

type Mutation = (text: string) => string;

function clampSlice(text: string, a: number, b: number): [number, number] {
  const x = Math.min(a, text.length);
  const y = Math.min(b, text.length);
  return x <= y ? [x, y] : [y, x];
}

/** One mutation of a text: insert / delete / duplicate / swap slices, truncate, change line endings, BOM, tabs. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), randomText(40)).map(
    ([at, insert]): Mutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)) + insert + t.slice(at % (t.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 200 })).map(([at, n]): Mutation => (t) => {
    const [a, b] = clampSlice(t, at % (t.length + 1), (at % (t.length + 1)) + n);
    return t.slice(0, a) + t.slice(b);
  }),
  fc
    .tuple(fc.nat(), fc.nat({ max: 200 }), fc.integer({ min: 1, max: 4 }))
    .map(([at, n, times]): Mutation => (t) => {
      const [a, b] = clampSlice(t, at % (t.length + 1), (at % (t.length + 1)) + n);
      return t.slice(0, b) + t.slice(a, b).repeat(times) + t.slice(b);
    }),
  fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 120 })).map(([p, q, n]): Mutation => (t) => {
    if (!t.length) return t;
    let a = p % t.length;
    let b = q % t.length;
    if (a > b) [a, b] = [b, a];
    const m = Math.min(n, b - a);
    const first = t.slice(a, a + m);
    const second = t.slice(b, b + m);
    return t.slice(0, a) + second + t.slice(a + m, b) + first + t.slice(b + m);
  }),
  fc.nat().map(
    (at): Mutation =>
      (t) =>
        t.slice(0, at % (t.length + 1)),
  ),
  // A slice of another real file (any language) spliced in: Dockerfile lines in a unit, nginx blocks in Python…
  fc
    .tuple(fc.nat(), fc.nat(), fc.nat({ max: 300 }), fc.nat())
    .map(([at, from, n, which]): Mutation => (t) => {
      const files = corpus();
      const other = files[which % files.length]!.text;
      const start = from % (other.length + 1);
      const cut = at % (t.length + 1);
      return t.slice(0, cut) + other.slice(start, start + n) + t.slice(cut);
    }),
  fc.constantFrom<Mutation>(
    (t) => t.replace(/\r?\n/g, '\r\n'),
    (t) => t.replace(/\r?\n/g, '\r'),
    (t) =>
      t.replace(/\r?\n/g, (_m, offset: number) =>
        offset % 3 === 0 ? '\r\n' : offset % 3 === 1 ? '\r' : '\n',
      ),
    (t) => `\uFEFF${t}`,
    (t) => t.replace(/ {2,4}/g, '\t'),
    (t) => t.replace(/ /g, '\t'),
    (t) => t.replace(/\n/g, '\\\n'),
    (t) => t.replace(/"/g, "'"),
    (t) => t.replace(/[;{}]/g, ''),
    (t) => t.toUpperCase(),
    (t) => `${t}\u0000`,
    (t) => `${t}\ud800`,
    (t) => t.replace(/\n/g, '\n\ud83d'),
    (t) => t.split('\n').reverse().join('\n'),
    (t) => t.trimEnd(),
  ),
);

export function mutatedText(seeds: readonly CorpusFile[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
    .map(([seed, mutations]) => mutations.reduce((text, apply) => apply(text), seed.text));
}

export function realText(seeds: readonly CorpusFile[]): fc.Arbitrary<string> {
  return fc.constantFrom(...seeds).map((seed) => seed.text);
}

/** Shapes that break naive parsers: huge lines, deep nesting, endless continuations, odd line endings. */
export function pathologicalText(language: FuzzLanguage, seeds: readonly CorpusFile[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds).map((s) => s.text);
  const longLine = fc
    .tuple(
      fc.constantFrom('x', ' ', '"', '\\', '{', '(', ';', 'gunicorn -w 2 ', '# ', 'é', '\ud83d\ude00', '$'),
      seed,
    )
    .map(([unit, text]) => {
      const line = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
      const cut = Math.floor(text.length / 2);
      return `${text.slice(0, cut)}${line}\n${text.slice(cut)}`;
    });
  const nested: fc.Arbitrary<string> = fc.constantFrom(
    'http {'.repeat(5000),
    'http { '.repeat(20000) + 'proxy_pass http://app;' + ' }'.repeat(20000),
    'location / {'.repeat(10000),
    '{'.repeat(5000),
    `${'server { location / { '.repeat(2500)}${'}'.repeat(5000)}`,
    'x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000) + '\n',
    'bind = ' + '['.repeat(5000) + '\n',
    'x = ' + '{'.repeat(5000),
    'workers = ' + '-'.repeat(5000) + '1\n',
    'x = ' + 'not '.repeat(5000) + '1\n',
    'x = 1' + ' + 1'.repeat(5000) + '\n',
    '[Service]\nExecStart=gunicorn \\\n' + '  -w 2 \\\n'.repeat(2000) + '  app:app\n',
    '[Service]\nEnvironment=A=1 \\\n' + ' \\\n'.repeat(2000),
    '[Service]\n' + '\\\n'.repeat(2000),
    'CMD gunicorn \\\n' + '  -w 2 \\\n'.repeat(2000),
    'exec gunicorn \\\n' + '  --bind :80 \\\n'.repeat(2000) + 'app:app\n',
    'services:\n' + '  '.repeat(2000) + 'command: gunicorn app:app\n',
    'services:\n  web:\n    command: [' + '['.repeat(5000),
    'web: gunicorn ' + '"'.repeat(5001),
    'gunicorn ' + '$('.repeat(5000),
    '`'.repeat(5000),
    '\\'.repeat(10_000),
    '\r'.repeat(10_000),
    '\r\n'.repeat(10_000),
    '\n'.repeat(20_000),
  );
  const lineEndings = fc
    .tuple(seed, fc.constantFrom('\r\n', '\r', 'mixed', 'bom', 'bom-crlf', 'tabs'))
    .map(([text, how]) => {
      if (how === 'bom') return `\uFEFF${text}`;
      if (how === 'bom-crlf') return `\uFEFF${text.replace(/\r?\n/g, '\r\n')}`;
      if (how === 'tabs') return text.replace(/ +/g, '\t');
      if (how === 'mixed') {
        let i = 0;
        return text.replace(/\r?\n/g, () => ['\n', '\r\n', '\r'][i++ % 3]!);
      }
      return text.replace(/\r?\n/g, how);
    });
  const repeated = fc
    .tuple(seed, fc.integer({ min: 10, max: 40 }))
    .map(([text, n]) => text.repeat(n).slice(0, 200_000));
  void language;
  return fc.oneof(longLine, nested, lineEndings, repeated);
}

/** Every kind of input for one language, weighted towards the cheap ones. */
export function languageText(language: FuzzLanguage): fc.Arbitrary<string> {
  const seeds = corpusOf(language);
  const others = corpus();
  return fc.oneof(
    { weight: 3, arbitrary: randomText() },
    { weight: 2, arbitrary: realText(seeds) },
    { weight: 6, arbitrary: mutatedText(seeds) },
    { weight: 1, arbitrary: mutatedText(others) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Documents and their contexts

export const VERSIONS: readonly Version[] = [
  [19, 9, 0],
  [20, 1, 0],
  [21, 2, 0],
  [22, 0, 0],
  [23, 0, 0],
  [25, 0, 0],
  [26, 1, 0],
];

const NGINX_CONTEXTS: readonly (NginxContext | undefined)[] = [
  undefined,
  'main',
  'http',
  'server',
  'location',
  'upstream',
  'events',
  'stream',
  'stream-server',
  'if',
  'map',
  'mail',
];

export interface DocumentSetup {
  language: LanguageId;
  hints: ParseHints;
  ctx: DocumentContext;
}

const PATHS: Record<FuzzLanguage, readonly string[]> = {
  gunicorn: ['/w/gunicorn.conf.py', '/w/conf/settings.py'],
  systemd: [
    '/w/deploy/app.service',
    '/w/deploy/app.socket',
    '/w/deploy/app.timer',
    '/w/deploy/app.service.d/override.conf',
    '/w/deploy/app',
  ],
  nginx: ['/w/nginx/nginx.conf', '/w/nginx/sites-enabled/app', '/w/deploy/app.nginx'],
  dockerfile: ['/w/Dockerfile'],
  procfile: ['/w/Procfile'],
  compose: ['/w/compose.yaml'],
  shell: ['/w/start.sh'],
};

export function documentSetup(language: FuzzLanguage): fc.Arbitrary<DocumentSetup> {
  return fc
    .record({
      path: fc.constantFrom(...PATHS[language]),
      version: fc.constantFrom(...VERSIONS),
      // Without a pin the version is assumed, and findings are rechecked against every release.
      assumed: fc.boolean(),
      nginxContext: fc.constantFrom(...NGINX_CONTEXTS),
      upstreams: fc.boolean(),
      cycles: fc.array(fc.integer({ min: -2, max: 60 }), { maxLength: 3 }),
      severity: fc.option(
        fc.dictionary(
          fc.constantFrom(
            'unknown-setting',
            'nginx-unknown-directive',
            'systemd-unknown-key',
            'internal-error',
          ),
          fc.constantFrom(
            'error' as const,
            'warning' as const,
            'info' as const,
            'hint' as const,
            'ignore' as const,
          ),
        ),
        { nil: undefined },
      ),
    })
    .map(({ path, version, assumed, nginxContext, upstreams, cycles, severity }) => {
      const registryLanguage: LanguageId =
        language === 'gunicorn' || language === 'systemd' || language === 'nginx' ? language : 'commands';
      const hints: ParseHints = {};
      if (registryLanguage === 'commands') hints.commandSourceKind = language as CommandSourceKind;
      if (registryLanguage === 'nginx' && nginxContext) hints.nginxRootContext = nginxContext;
      const ctx: DocumentContext = {
        uri: `file://${path}`,
        path,
        version,
        versionLabel: version.join('.'),
        ...(assumed ? { versionAssumed: true } : {}),
        ...(severity ? { severity } : {}),
        workspaceUnits: new Set(['app.service', 'app.socket']),
        nginxWorkspace: {
          ...(upstreams ? { upstreams: new Set(['app', 'shop']) } : {}),
          gunicornAddresses: new Set(['unix:/run/app.sock', '127.0.0.1:8000']),
          gunicornWorkerClass: 'sync',
          ...(cycles.length
            ? { includeCycles: cycles.map((line) => ({ line, target: '/w/nginx/x.conf' })) }
            : {}),
        },
      };
      return { language: registryLanguage, hints, ctx };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// The invariants

export function assertRangeInside(lines: LineIndex, range: Range, what: string): void {
  for (const [name, p] of [
    ['start', range.start],
    ['end', range.end],
  ] as const) {
    assert.ok(
      Number.isInteger(p.line) && Number.isInteger(p.character),
      `${what}: ${name} is not an integer position: ${JSON.stringify(range)}`,
    );
    assert.ok(
      p.line >= 0 && p.line < lines.lineCount,
      `${what}: ${name} line ${p.line} of ${lines.lineCount}`,
    );
    const length = lines.lineEnd(p.line) - lines.lineStart(p.line);
    assert.ok(
      p.character >= 0 && p.character <= length,
      `${what}: ${name} character ${p.character} past line ${p.line}'s length ${length}`,
    );
  }
  assert.ok(
    comparePositions(range.start, range.end) <= 0,
    `${what}: start after end: ${JSON.stringify(range)}`,
  );
}

/** Sorted non-overlapping edits (touching is fine; two inserts at one point are fine). */
export function assertEditsDisjoint(
  lines: LineIndex,
  edits: readonly { range: Range }[],
  what: string,
): void {
  const spans = edits
    .map((e) => ({ from: lines.offsetAt(e.range.start), to: lines.offsetAt(e.range.end) }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 1; i < spans.length; i++) {
    assert.ok(
      spans[i]!.from >= spans[i - 1]!.to,
      `${what}: overlapping edits ${JSON.stringify(spans[i - 1])} and ${JSON.stringify(spans[i])}`,
    );
  }
}

/** Offsets to probe: 0, the end, every line end (bounded), and some random ones. */
export function probeOffsets(
  text: string,
  lines: LineIndex,
  random: readonly number[],
  maxLineEnds = 64,
): number[] {
  const offsets = new Set<number>([0, text.length]);
  const count = lines.lineCount;
  const step = Math.max(1, Math.ceil(count / maxLineEnds));
  for (let line = 0; line < count; line += step) offsets.add(lines.lineEnd(line));
  offsets.add(lines.lineEnd(count - 1));
  for (const r of random) offsets.add(text.length ? r % (text.length + 1) : 0);
  return [...offsets];
}

function stable(findings: readonly Finding[]): string {
  return JSON.stringify(findings);
}

export interface CheckOptions {
  /** Extra offsets to probe (random ones come from the property). */
  offsets?: readonly number[];
  /** How many fixed texts to re-parse and analyze (every fix is still range-checked and applied). */
  maxFixReparses?: number;
  /** Also check determinism with a second parse. */
  determinism?: boolean;
  maxLineEnds?: number;
}

/** Runs parse, analyze, hover and completions on a text and asserts every invariant. */
export function checkDocument(text: string, setup: DocumentSetup, options: CheckOptions = {}): void {
  const { language, hints, ctx } = setup;
  const label = `${language}${hints.commandSourceKind ? `/${hints.commandSourceKind}` : ''}`;
  const lines = new LineIndex(text);
  const doc = timed(`${label} parse`, () => parseDocument(language, text, hints));
  const findings = timed(`${label} analyze`, () => doc.analyze(ctx));
  let reparses = options.maxFixReparses ?? 12;
  let applications = 100;
  assert.ok(Array.isArray(findings));
  for (const finding of findings) {
    const what = `${label} finding ${finding.rule} (${finding.message.slice(0, 80)})`;
    assert.notEqual(finding.rule, 'internal-error', `${label}: a rule threw: ${finding.message}`);
    assertRangeInside(lines, finding.range, what);
    for (const related of finding.related ?? []) {
      if (related.uri === ctx.uri) assertRangeInside(lines, related.range, `${what} related`);
    }
    for (const fix of finding.fixes ?? []) {
      const fixWhat = `${what} fix "${fix.title}"`;
      for (const edit of fix.edits) {
        assertRangeInside(lines, edit.range, fixWhat);
        assert.equal(typeof edit.newText, 'string', fixWhat);
      }
      assertEditsDisjoint(lines, fix.edits, fixWhat);
      // applyEdits indexes the whole text: bounded, for files with 100k findings (a line of 100k `;`).
      if (applications-- <= 0) continue;
      const fixed = applyEdits(text, fix.edits);
      if (reparses-- > 0) {
        const again = timed(`${label} re-parse after fix`, () => parseDocument(language, fixed, hints));
        const after = timed(`${label} analyze after fix`, () => again.analyze(ctx));
        for (const f of after) {
          assert.notEqual(f.rule, 'internal-error', `${fixWhat}: a rule threw after the fix: ${f.message}`);
        }
      }
    }
  }
  // Deterministic: the same parse analyzed again, and a fresh parse, give the same findings.
  assert.equal(
    stable(timed(`${label} analyze again`, () => doc.analyze(ctx))),
    stable(findings),
    `${label} analyze twice`,
  );
  if (options.determinism !== false) {
    const fresh = parseDocument(language, text, hints);
    assert.equal(
      stable(timed(`${label} analyze fresh`, () => fresh.analyze(ctx))),
      stable(findings),
      `${label} reparse`,
    );
  }
  for (const region of timed(`${label} folding`, () => doc.foldingRegions())) {
    assert.ok(
      region.startLine < region.endLine && region.endLine < lines.lineCount,
      `${label} folding ${region.startLine}-${region.endLine}`,
    );
  }
  // The outline: every symbol named, inside the text, its selection inside its range, bounded in number.
  let symbols = 0;
  const visit = (list: readonly OutlineSymbol[]): void => {
    for (const symbol of list) {
      symbols++;
      const what = `${label} outline "${symbol.name}"`;
      assert.ok(symbol.name.length > 0, what);
      assertRangeInside(lines, symbol.range, what);
      assertRangeInside(lines, symbol.selectionRange, `${what} selection`);
      assert.ok(
        comparePositions(symbol.range.start, symbol.selectionRange.start) <= 0 &&
          comparePositions(symbol.selectionRange.end, symbol.range.end) <= 0,
        `${what}: selection outside its range`,
      );
      visit(symbol.children ?? []);
    }
  };
  visit(timed(`${label} outline`, () => doc.outline(ctx)));
  assert.ok(symbols <= MAX_OUTLINE_SYMBOLS, `${label} outline: ${symbols} symbols`);
  for (const offset of probeOffsets(text, lines, options.offsets ?? [], options.maxLineEnds)) {
    const hover = timed(`${label} hover@${offset}`, () => doc.hover(offset, ctx));
    if (hover) {
      assert.equal(typeof hover.markdown, 'string', `${label} hover@${offset}`);
      if (hover.range) assertRangeInside(lines, hover.range, `${label} hover@${offset} range`);
    }
    const list = timed(`${label} completions@${offset}`, () => doc.completions(offset, ctx));
    assert.ok(Array.isArray(list.entries), `${label} completions@${offset}`);
    if (list.range) assertRangeInside(lines, list.range, `${label} completions@${offset} list range`);
    for (const entry of list.entries) {
      assert.equal(typeof entry.label, 'string', `${label} completions@${offset}`);
      assert.equal(typeof entry.insertText, 'string', `${label} completions@${offset}`);
      if (entry.range) assertRangeInside(lines, entry.range, `${label} completions@${offset} range`);
    }
  }
}
