// Property/fuzz tests for every parser and feature entry point: random text, mutations of the repo's real files and
// pathological shapes never make a language, the launch finder, the deployment model or the nginx workspace index
// throw, hang, or report a position outside the document. FUZZ_SEED=<n> reproduces a run (fast-check prints the seed
// and counterexample path of a failure; FUZZ_PATH=<path> replays it), FUZZ_SCALE=<k> multiplies the number of runs.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import { launchesIn, readLaunches } from '../../server/src/deployment/launches';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import { navigationIndex } from '../../server/src/deployment/navigationSites';
import { renameAt } from '../../server/src/core/navigation';
import type { GunicornLaunch, SourceKind, WorkspaceSource } from '../../server/src/deployment/types';
import { dockerCopies } from '../../server/src/languages/commands/dockerCopies';
import { parseAppSpec } from '../../server/src/languages/gunicorn/appSpec';
import { includeTargets, indexNginxWorkspace } from '../../server/src/languages/nginx/workspace';
import { pythonModuleFacts } from '../../server/src/languages/python/moduleFacts';
import {
  assertEditsDisjoint,
  assertRangeInside,
  checkDocument,
  corpus,
  corpusOf,
  deploymentSets,
  documentSetup,
  fcParams,
  languageText,
  mutatedText,
  pathologicalText,
  randomText,
  timed,
  VERSIONS,
  type FuzzLanguage,
} from './fuzzHelpers';

const LANGUAGES: readonly FuzzLanguage[] = [
  'gunicorn',
  'systemd',
  'nginx',
  'dockerfile',
  'procfile',
  'compose',
  'shell',
];

const KINDS: readonly SourceKind[] = [
  'gunicorn',
  'systemd',
  'nginx',
  'dockerfile',
  'procfile',
  'compose',
  'shell',
];

describe('fuzz: every language entry point', function () {
  this.timeout(60_000);

  for (const language of LANGUAGES) {
    describe(language, () => {
      it('random, real and mutated inputs: no throw, bounded time, ranges inside, fixes apply, deterministic', () => {
        fc.assert(
          fc.property(
            languageText(language),
            documentSetup(language),
            fc.array(fc.nat(), { maxLength: 8 }),
            (text, setup, offsets) => checkDocument(text, setup, { offsets }),
          ),
          fcParams(100),
        );
      });

      it('pathological inputs: 100k-char lines, deep nesting, long continuations, CR/CRLF/mixed, BOM, tabs', () => {
        fc.assert(
          fc.property(
            pathologicalText(language, corpusOf(language)),
            documentSetup(language),
            fc.array(fc.nat(), { maxLength: 4 }),
            (text, setup, offsets) =>
              checkDocument(text, setup, { offsets, determinism: false, maxLineEnds: 12, maxFixReparses: 2 }),
          ),
          fcParams(10),
        );
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Launches (the deployment model's per-file parser)

function sourceText(): fc.Arbitrary<string> {
  const files = corpus();
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...files).map((f) => f.text) },
    { weight: 4, arbitrary: mutatedText(files) },
    { weight: 1, arbitrary: randomText(200) },
  );
}

function assertLaunchInside(launch: GunicornLaunch, lines: LineIndex, what: string): void {
  assertRangeInside(lines, launch.range, `${what} range`);
  for (const [name, located] of [...launch.commandLine, ...launch.cmdArgs]) {
    assertRangeInside(lines, located.range, `${what} setting ${name}`);
  }
  for (const [name, located] of launch.env) assertRangeInside(lines, located.range, `${what} env ${name}`);
  for (const [name, located] of [
    ['configFile', launch.configFile],
    ['workingDirectory', launch.workingDirectory],
    ['app', launch.app],
  ] as const) {
    if (located) assertRangeInside(lines, located.range, `${what} ${name}`);
  }
}

describe('fuzz: launchesIn / readLaunches', function () {
  this.timeout(60_000);

  it('never throws and keeps every launch position inside its file, whatever the kind', () => {
    fc.assert(
      fc.property(
        sourceText(),
        fc.constantFrom(...KINDS),
        fc.constantFrom(...VERSIONS),
        (text, kind, version) => {
          const source: WorkspaceSource = { uri: 'file:///w/x', path: '/w/x', kind, text };
          const lines = new LineIndex(text);
          const parsed = timed(`readLaunches ${kind}`, () => readLaunches(source, version));
          for (const record of parsed.records) assertLaunchInside(record.launch, lines, `${kind} launch`);
          for (const region of parsed.regions) {
            assert.ok(
              0 <= region.from && region.from <= region.to && region.to <= text.length,
              `${kind} region`,
            );
          }
          for (const comment of parsed.comments) {
            assert.ok(
              0 <= comment.from && comment.from <= comment.to && comment.to <= text.length,
              `${kind} comment`,
            );
          }
          for (const def of parsed.cmdArgsDefinitions) {
            assert.ok(
              0 <= def.span.from && def.span.from <= def.span.to && def.span.to <= text.length,
              `${kind} cmdargs`,
            );
          }
          assert.equal(
            JSON.stringify(launchesIn(source, version), (_k, v: unknown) => (v instanceof Map ? [...v] : v)),
            JSON.stringify(
              parsed.records.map((r) => r.launch),
              (_k, v: unknown) => (v instanceof Map ? [...v] : v),
            ),
            `${kind}: launches are deterministic`,
          );
        },
      ),
      fcParams(400),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The deployment model

const DIRS = [
  '/w',
  '/w/deploy',
  '/srv/app',
  '/w/nginx/sites-enabled',
  '/w/nginx/conf.d',
  'C:\\w\\deploy',
  '',
];

const sourceArb: fc.Arbitrary<WorkspaceSource> = fc
  .record({
    file: fc.constantFrom(...corpus()),
    dir: fc.constantFrom(...DIRS),
    ownName: fc.boolean(),
    randomName: fc.string({ maxLength: 12 }),
    kindRight: fc.boolean(),
    kind: fc.constantFrom(...KINDS),
    text: fc.oneof(
      { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
      { weight: 4, arbitrary: mutatedText(corpus()) },
      { weight: 1, arbitrary: randomText(200) },
    ),
  })
  .map(({ file, dir, ownName, randomName, kindRight, kind, text }) => {
    const name = ownName ? file.path.split('/').pop()! : randomName;
    const path = `${dir}/${name}`;
    return {
      uri: `file://${path}`,
      path,
      kind: kindRight ? file.language : kind,
      text: text ?? file.text,
    };
  });

/** 0–300 sources, with duplicate paths (same uri and same text, or another uri). */
const sourcesArb: fc.Arbitrary<WorkspaceSource[]> = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: fc.array(sourceArb, { maxLength: 12 }) },
      { weight: 1, arbitrary: fc.array(sourceArb, { minLength: 50, maxLength: 300 }) },
    ),
    fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 4 }),
  )
  .map(([sources, duplicates]) => {
    const out = [...sources];
    for (const [index, sameUri] of duplicates) {
      if (!sources.length) break;
      const original = sources[index % sources.length]!;
      out.push(sameUri ? { ...original } : { ...original, uri: `${original.uri}?copy=${index}` });
    }
    return out;
  });

/** A real deployment whose files refer to each other, some of them mutated, plus a few strangers. */
const deploymentArb: fc.Arbitrary<WorkspaceSource[]> = fc
  .tuple(
    fc.constantFrom(...deploymentSets()),
    fc.array(fc.tuple(fc.nat(), mutatedText(corpus())), { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 3 })), { maxLength: 3 }),
    fc.array(sourceArb, { maxLength: 3 }),
  )
  .map(([files, replacements, splices, strangers]) => {
    const sources: WorkspaceSource[] = files.map((f) => ({
      uri: `file://${f.path}`,
      path: f.path,
      kind: f.language,
      text: f.text,
    }));
    // Replace a file by a mutation of some file, or splice lines of the file itself around.
    for (const [index, text] of replacements) {
      const target = sources[index % sources.length]!;
      target.text = text;
    }
    for (const [index, cuts] of splices) {
      const target = sources[index % sources.length]!;
      const lines = target.text.split('\n');
      for (const cut of cuts) lines.splice(cut % (lines.length + 1), 1);
      target.text = lines.join(cuts.length % 2 ? '\r\n' : '\n');
    }
    return [...sources, ...strangers];
  });

function checkDeploymentModel(
  sources: readonly WorkspaceSource[],
  version: (typeof VERSIONS)[number],
  probes: readonly [number, number][],
): number {
  // The newest version stands for one we assumed, so rechecks against every release are fuzzed too.
  const options = {
    version,
    versionLabel: version.join('.'),
    versionAssumed: version === VERSIONS[VERSIONS.length - 1],
  };
  const model = timed(`buildDeploymentModel(${sources.length} sources)`, () =>
    buildDeploymentModel(sources, options),
  );
  const texts = new Map<string, string[]>();
  for (const s of sources) texts.set(s.uri, [...(texts.get(s.uri) ?? []), s.text]);
  const inside = (uri: string, range: Parameters<typeof assertRangeInside>[1], what: string): string => {
    const candidates = texts.get(uri);
    assert.ok(candidates, `${what}: uri ${uri} is not a source`);
    const errors: string[] = [];
    for (const text of candidates) {
      try {
        assertRangeInside(new LineIndex(text), range, what);
        return text;
      } catch (error) {
        errors.push(String(error));
      }
    }
    return assert.fail(errors.join('\n'));
  };
  let count = 0;
  for (const [uri, findings] of model.findings) {
    for (const finding of findings) {
      count++;
      const what = `deployment finding ${finding.rule} in ${uri} (${finding.message.slice(0, 80)})`;
      assert.notEqual(finding.rule, 'internal-error', `${what}: a rule threw`);
      const text = inside(uri, finding.range, what);
      for (const related of finding.related ?? []) inside(related.uri, related.range, `${what} related`);
      for (const fix of finding.fixes ?? []) {
        for (const edit of fix.edits) inside(uri, edit.range, `${what} fix ${fix.title}`);
        assertEditsDisjoint(new LineIndex(text), fix.edits, `${what} fix ${fix.title}`);
        applyEdits(text, fix.edits);
        for (const other of fix.otherFiles ?? []) {
          let otherText = '';
          for (const edit of other.edits) {
            otherText = inside(other.uri, edit.range, `${what} fix ${fix.title} in ${other.uri}`);
          }
          assertEditsDisjoint(
            new LineIndex(otherText),
            other.edits,
            `${what} fix ${fix.title} in ${other.uri}`,
          );
          applyEdits(otherText, other.edits);
        }
      }
    }
  }
  for (const deployment of model.deployments) {
    for (const setting of ['bind', 'workers', 'timeout', 'worker_class', 'nonexistent']) {
      model.effective(deployment, setting);
    }
  }
  const uris = [...texts.keys(), 'file:///nowhere'];
  for (const [which, offset] of probes) {
    const uri = uris[which % uris.length]!;
    const length = texts.get(uri)?.[0]?.length ?? 0;
    timed('effectiveAt', () => model.effectiveAt(uri, offset % (length + 2)));
  }
  // Navigation: every site inside its file; every rename's edits inside and disjoint.
  const uriByPath = new Map(sources.map((s) => [s.path, s.uri]));
  const navigation = timed('navigationIndex', () =>
    navigationIndex({
      model,
      sources,
      allPaths: sources.map((s) => s.path),
      uriOf: (path) => uriByPath.get(path) ?? `file://${path}`,
    }),
  );
  for (const site of navigation.sites) inside(site.uri, site.range, `navigation site ${site.key}`);
  for (const [key, kind] of Object.entries(navigation.renamable)) {
    const site = navigation.sites.find((s) => s.key === key);
    const result = renameAt(navigation, site, kind === 'upstream' ? 'renamed' : '/run/renamed.sock');
    if (!('edits' in result)) continue;
    for (const [uri, edits] of result.edits) {
      const text = inside(uri, edits[0]!.range, `rename ${key}`);
      for (const edit of edits) inside(uri, edit.range, `rename ${key}`);
      assertEditsDisjoint(new LineIndex(text), edits, `rename ${key}`);
    }
  }
  // Deterministic: the same sources give the same findings.
  const again = buildDeploymentModel(sources, options);
  assert.equal(JSON.stringify([...again.findings]), JSON.stringify([...model.findings]), 'deterministic');
  return count;
}

describe('fuzz: buildDeploymentModel', function () {
  this.timeout(60_000);

  it('mutated real deployments: cross-file findings and their fixes stay inside the files they name', () => {
    fc.assert(
      fc.property(
        deploymentArb,
        fc.constantFrom(...VERSIONS),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
        (sources, version, probes) => {
          checkDeploymentModel(sources, version, probes);
        },
      ),
      fcParams(100),
    );
  });

  it('never throws; findings, related information and fixes point into the sources; effectiveAt never throws', () => {
    fc.assert(
      fc.property(
        sourcesArb,
        fc.constantFrom(...VERSIONS),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
        (sources, version, probes) => {
          checkDeploymentModel(sources, version, probes);
        },
      ),
      fcParams(60),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The nginx workspace index

const NGINX_PATHS = [
  '/w/nginx/nginx.conf',
  '/w/nginx/conf.d/a.conf',
  '/w/nginx/conf.d/b.conf',
  '/w/nginx/sites-enabled/shop',
  '/w/nginx/sites-available/shop',
  '/w/nginx/snippets/proxy.conf',
  '/w/nginx/proxy_params',
  '/w/deploy/app.nginx',
  '/w/other/conf.d/c.conf',
  'C:\\w\\nginx\\conf.d\\d.conf',
];

const patternArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...NGINX_PATHS,
    '/etc/nginx/conf.d/*.conf',
    '/etc/nginx/sites-enabled/*',
    'conf.d/*.conf',
    'conf.d/?.conf',
    'conf.d/[ab].conf',
    'conf.d/[!a].conf',
    'conf.d/[b-a].conf',
    'conf.d/[\\].conf',
    'conf.d/[^].conf',
    'conf.d/[',
    '*',
    '*/*',
    '/*',
    '/',
    '..',
    '../nginx/nginx.conf',
    'snippets/*.conf',
    'proxy_params',
    'nginx.conf',
    '(.*)+$',
    '{a,b}.conf',
  ),
  fc.string({ maxLength: 20 }),
  fc
    .array(
      fc.constantFrom(
        '*',
        '?',
        '[',
        ']',
        '!',
        '^',
        '-',
        '\\',
        '/',
        'a',
        '.',
        '(',
        ')',
        '{',
        '}',
        '+',
        '$',
        '|',
      ),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('')),
);

const includeFileArb = fc.record({
  path: fc.oneof(
    fc.constantFrom(...NGINX_PATHS),
    fc.string({ maxLength: 10 }).map((s) => `/w/nginx/conf.d/${s}`),
  ),
  statements: fc.array(
    fc.oneof(
      patternArb.map((p) => `include ${p};`),
      patternArb.map((p) => `http { include ${p}; }`),
      patternArb.map((p) => `server { location / { include ${p}; } }`),
      patternArb.map((p) => `include "${p}" extra;`),
      fc.constantFrom(
        'upstream shop { server unix:/run/shop.sock; }',
        'server { listen 80; }',
        'http {',
        '}',
        ';',
      ),
      randomText(30),
    ),
    { maxLength: 8 },
  ),
});

describe('fuzz: indexNginxWorkspace and includeTargets', function () {
  this.timeout(60_000);

  it('terminates on random include graphs with cycles, self-includes and globs; facts stay consistent', () => {
    fc.assert(
      fc.property(
        fc.array(includeFileArb, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        (files, extraSeeds, unreadable) => {
          const texts = new Map<string, string>();
          files.forEach((file, i) => {
            if (!unreadable[i]) texts.set(file.path, file.statements.join(i % 2 ? '\n' : '\r\n'));
          });
          const allPaths = [...new Set(files.map((f) => f.path))];
          const seeds = [
            ...allPaths.filter((_, i) => i % 2 === 0),
            ...extraSeeds.map((n) => NGINX_PATHS[n % NGINX_PATHS.length]!),
          ];
          const index = timed(`indexNginxWorkspace(${files.length} files)`, () =>
            indexNginxWorkspace({ seeds, allPaths, read: (path) => texts.get(path) }),
          );
          const norm = (p: string) => p.replace(/\\/g, '/');
          const known = new Set([...allPaths, ...seeds].map(norm));
          for (const path of index.paths) assert.ok(known.has(path), `indexed ${path} is no workspace path`);
          for (const path of [...index.paths, ...allPaths]) {
            index.includedAt(path);
            const facts = index.factsFor(path);
            for (const cycle of facts.includeCycles ?? []) {
              const text = texts.get(path) ?? [...texts].find(([p]) => norm(p) === norm(path))?.[1] ?? '';
              assert.ok(
                cycle.line >= 0 && cycle.line < new LineIndex(text).lineCount,
                `cycle line in ${path}`,
              );
            }
          }
          for (const pattern of files.flatMap((f) => f.statements).slice(0, 20)) {
            const found = includeTargets(pattern, '/w/nginx/nginx.conf', allPaths);
            for (const target of found) {
              assert.ok(allPaths.map(norm).includes(target), `${pattern} → ${target}`);
            }
          }
        },
      ),
      fcParams(150),
    );
  });

  it('includeTargets never throws on any glob', () => {
    fc.assert(
      fc.property(patternArb, fc.constantFrom(...NGINX_PATHS), (pattern, from) => {
        const found = includeTargets(pattern, from, NGINX_PATHS);
        for (const target of found) assert.ok(NGINX_PATHS.map((p) => p.replace(/\\/g, '/')).includes(target));
      }),
      fcParams(500),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Named examples: what the properties found, kept as plain regressions

describe('fuzz: named examples', () => {
  it('LineIndex clamps an offset between the \\r and \\n of a CRLF to the line end', () => {
    // A Python syntax error on `a b\r\n` spans the `\r`; its range ended at character 4 of a 3-character line.
    const lines = new LineIndex('a b\r\nx');
    assert.deepEqual(lines.positionAt(4), { line: 0, character: 3 });
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 3 });
    assert.deepEqual(lines.positionAt(5), { line: 1, character: 0 });
    checkDocument('a b\r\n', {
      language: 'gunicorn',
      hints: {},
      ctx: {
        uri: 'file:///w/gunicorn.conf.py',
        path: '/w/gunicorn.conf.py',
        version: [23, 0, 0],
        versionLabel: '23',
      },
    });
  });
});

describe('fuzz: app targets (spec, module facts, Docker COPY, resolution)', function () {
  this.timeout(60_000);
  const pythonSeeds = corpusOf('gunicorn');

  it('never throws or hangs on any spec, Python module or Dockerfile, and findings stay inside their files', () => {
    const spec = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'main:app',
        'shop.wsgi.application',
        'app:create_app()',
        'a:f(x)',
        'app:create_app',
        'main',
      ),
    );
    const python = fc.oneof(
      randomText(),
      mutatedText(pythonSeeds),
      pathologicalText('gunicorn', pythonSeeds),
    );
    fc.assert(
      fc.property(spec, python, fc.constantFrom(...VERSIONS), (app, module, version) => {
        timed('parseAppSpec', () => parseAppSpec(app, version));
        timed('pythonModuleFacts', () => pythonModuleFacts(module));
        timed('dockerCopies', () => dockerCopies(module));
        const procfile = `web: gunicorn '${app.replace(/'/g, '')}'\n`;
        const sources: WorkspaceSource[] = [
          { uri: 'file:///w/Procfile', path: '/w/Procfile', kind: 'procfile', text: procfile },
          { uri: 'file:///w/main.py', path: '/w/main.py', kind: 'python', text: module },
          { uri: 'file:///w/shop/wsgi.py', path: '/w/shop/wsgi.py', kind: 'python', text: module },
        ];
        const model = timed('buildDeploymentModel', () =>
          buildDeploymentModel(
            sources,
            { version, versionLabel: 'fuzz' },
            {
              paths: ['/w/Procfile', '/w/main.py', '/w/shop/__init__.py', '/w/shop/wsgi.py'],
            },
          ),
        );
        for (const [uri, findings] of model.findings) {
          const source = sources.find((s) => s.uri === uri)!;
          for (const finding of findings) {
            assertRangeInside(new LineIndex(source.text), finding.range, finding.rule);
          }
        }
      }),
      fcParams(60),
    );
  });
});
