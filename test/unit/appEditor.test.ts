// The app spec in the editor and the Django settings module, at model level: the fixture projects' verdicts, Go to
// Definition sites, the modules a launch can import, completion in every place an app spec is written, and the
// django-settings-module-missing rule's sources of the name.

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definitionsAt, siteDefinition, type DefinitionSite } from '../../server/src/core/definitions';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import { parseVersion } from '../../server/src/core/version';
import { appCompletionScopes, appDefinitionSites } from '../../server/src/deployment/appEditorSites';
import type { DeploymentModel } from '../../server/src/deployment/model';
import { parseDocument, type DocumentContext, type LanguageId } from '../../server/src/languages/registry';
import type { AppSpecSource } from '../../server/src/languages/python/appCompletion';
import type { CommandSourceKind } from '../../server/src/languages/commands/index';
import { toLspDefinition } from '../../server/src/lsp/definition';
import { APP_FIXTURES_LIST, fixtureDir, type AppFixture } from '../helpers/appFixtures';
import { projectModel, removeProject, writeProject, type Files } from './appProjects';

const V = (text: string) => parseVersion(text)!;
const uriOf = (path: string) => pathToFileURL(path).href;

/** Findings of the app and Django rules, as `rule@file:severity` (file relative to the project). */
function verdicts(model: DeploymentModel, root: string): string[] {
  return [...model.findings].flatMap(([uri, list]) =>
    list
      .filter((f) => f.rule.startsWith('app-') || f.rule.startsWith('django-'))
      .map((f) => `${f.rule}@${decodeURIComponent(uri).slice(uriOf(root).length + 1)}:${f.severity}`),
  );
}

describe('fixture projects (test/fixtures/apps) at model level', () => {
  for (const fixture of APP_FIXTURES_LIST) {
    it(`${fixture.project}: the good variant has no app finding, the broken one ${fixture.broken.rule}`, () => {
      const good = fixtureDir(fixture, 'good');
      assert.deepEqual(verdicts(projectModel(good, V('23.0.0')), good), []);
      const broken = fixtureDir(fixture, 'broken');
      assert.deepEqual(verdicts(projectModel(broken, V('23.0.0')), broken), [
        `${fixture.broken.rule}@${fixture.broken.file}:${fixture.broken.severity}`,
      ]);
    });
  }
});

/** The definition sites of the fixture's launch file, and that file's text. */
function sitesOf(fixture: AppFixture, variant: 'good' | 'broken' = 'good') {
  const root = fixtureDir(fixture, variant);
  const model = projectModel(root, V('23.0.0'));
  const path = join(root, fixture.launch);
  const text = readFileSync(path, 'utf8');
  return { root, model, path, text, sites: appDefinitionSites(model, uriOf(path), text) };
}

describe('Go to Definition from the app spec', () => {
  for (const fixture of APP_FIXTURES_LIST) {
    it(`${fixture.project}: ${fixture.spec} leads to its binding in ${fixture.module}`, () => {
      const { root, path, text, sites } = sitesOf(fixture);
      const at = text.indexOf(fixture.spec);
      assert.ok(at >= 0, `${fixture.spec} not in ${path}`);
      const definition = definitionsAt(
        [(_uri, offset) => siteDefinition(sites, offset)],
        uriOf(path),
        at + 1,
      );
      assert.ok(definition, 'no definition');
      // The origin is the spec as written (with no quotes).
      assert.equal(text.slice(definition.origin.from, definition.origin.to), fixture.spec);
      const [target] = definition.targets;
      assert.equal(target!.uri, uriOf(join(root, fixture.module)));
      const moduleText = readFileSync(join(root, fixture.module), 'utf8');
      const line = moduleText.split('\n')[target!.selectionRange.start.line]!;
      assert.ok(line.trimStart().startsWith(fixture.binding), line);
      const name = fixture.spec.split(':')[1]!.replace(/\(.*$/, '');
      const lines = new LineIndex(moduleText);
      assert.equal(
        moduleText.slice(lines.offsetAt(target!.range.start), lines.offsetAt(target!.range.end)),
        name,
      );
    });
  }

  it('leads from a spec without a name to the module file, and from a dot for the colon to the name meant', () => {
    const root = writeProject({
      'shop/__init__.py': '',
      'shop/wsgi.py': 'import os\n\napplication = object()\n',
      Procfile: 'web: gunicorn shop.wsgi.application\nworker: gunicorn --chdir shop wsgi\n',
    });
    try {
      const model = projectModel(root, V('23.0.0'));
      const procfile = join(root, 'Procfile');
      const text = readFileSync(procfile, 'utf8');
      const sites = appDefinitionSites(model, uriOf(procfile), text);
      const at = (needle: string) => siteDefinition(sites, text.indexOf(needle) + 2)?.targets[0];
      const dotted = at('shop.wsgi.application')!;
      assert.deepEqual([dotted.uri.endsWith('/shop/wsgi.py'), dotted.selectionRange.start.line], [true, 2]);
      // `wsgi` alone: Gunicorn's default name `application` exists there, so its binding.
      assert.equal(at(' wsgi\n')?.selectionRange.start.line, 2);
    } finally {
      removeProject(root);
    }
  });

  it('leads from DJANGO_SETTINGS_MODULE in the environment to the settings module, when the launch can import it', () => {
    const django = APP_FIXTURES_LIST.find((f) => f.project === 'django')!;
    const at = (variant: 'good' | 'broken') => {
      const root = fixtureDir(django, variant);
      const model = projectModel(root, V('23.0.0'));
      const path = join(root, 'Dockerfile');
      const text = readFileSync(path, 'utf8');
      const sites = appDefinitionSites(model, uriOf(path), text, uriOf);
      const value = text.indexOf('DJANGO_SETTINGS_MODULE=') + 'DJANGO_SETTINGS_MODULE='.length;
      return { root, definition: siteDefinition(sites, value + 2) };
    };
    const good = at('good');
    assert.deepEqual(
      good.definition?.targets.map((t) => [t.uri, t.range.start.line]),
      [[uriOf(join(good.root, 'bookshop', 'settings.py')), 0]],
    );
    // bookshop.settings.production does not exist: nothing to go to.
    assert.equal(at('broken').definition, undefined);
  });

  it('has no target for a module that is not in the workspace', () => {
    const root = writeProject({ Procfile: 'web: gunicorn somepkg.app:app\n' });
    try {
      const model = projectModel(root, V('23.0.0'));
      const procfile = join(root, 'Procfile');
      assert.deepEqual(appDefinitionSites(model, uriOf(procfile), readFileSync(procfile, 'utf8')), []);
    } finally {
      removeProject(root);
    }
  });

  it('answers the narrowest site, each place once, as links with the origin or as plain locations', () => {
    const place = (line: number) => ({
      uri: 'file:///m.py',
      range: { start: { line, character: 0 }, end: { line, character: 3 } },
      selectionRange: { start: { line, character: 0 }, end: { line, character: 3 } },
    });
    const sites: DefinitionSite[] = [
      { from: 0, to: 20, targets: [place(9)] },
      { from: 5, to: 10, targets: [place(1)] },
      { from: 5, to: 10, targets: [place(1), place(2)] },
    ];
    const found = siteDefinition(sites, 6)!;
    assert.deepEqual(found.origin, { from: 5, to: 10 });
    assert.deepEqual(
      found.targets.map((t) => t.selectionRange.start.line),
      [1, 2],
    );
    assert.equal(siteDefinition(sites, 30), undefined);
    const origin = (from: number, to: number) => ({
      start: { line: 0, character: from },
      end: { line: 0, character: to },
    });
    const links = toLspDefinition(found, origin, true) as { originSelectionRange: unknown }[];
    assert.deepEqual(links[0]!.originSelectionRange, origin(5, 10));
    const locations = toLspDefinition(found, origin, false) as { uri: string }[];
    assert.deepEqual(Object.keys(locations[0]!).sort(), ['range', 'uri']);
    assert.equal(toLspDefinition(undefined, origin, true), null);
  });
});

describe('modules a launch can import (completion scopes)', () => {
  for (const fixture of APP_FIXTURES_LIST) {
    it(`${fixture.project}: offers ${fixture.importable}${fixture.notImportable ? `, not ${fixture.notImportable}` : ''}`, () => {
      const { model, path } = sitesOf(fixture);
      const scopes = appCompletionScopes(model, uriOf(path), path);
      assert.ok(scopes.length > 0, 'no scope');
      const names = new Set(scopes.flatMap((s) => s.modules.map((m) => m.name)));
      assert.ok(names.has(fixture.importable), [...names].join(', '));
      assert.ok(names.has(fixture.spec.split(':')[0]!), [...names].join(', '));
      if (fixture.notImportable) assert.ok(!names.has(fixture.notImportable), [...names].join(', '));
    });
  }

  it('gives each launch of a file the lines it spans, and a config file one scope for its whole text', () => {
    const root = writeProject({
      'api/main.py': 'app = 1\n',
      'web/site.py': 'app = 2\n',
      Procfile: 'web: gunicorn --chdir api main:app\nworker: gunicorn --chdir web site:app\n',
      'gunicorn.conf.py': 'workers = 2\n',
      'other/gunicorn.conf.py': 'wsgi_app = "wsgi"\n',
      'other/wsgi.py': 'application = None\n',
    });
    try {
      const model = projectModel(root, V('23.0.0'));
      const script = join(root, 'Procfile');
      const scopes = appCompletionScopes(model, uriOf(script), script);
      assert.deepEqual(
        scopes.map((s) => [
          s.lines?.from,
          s.modules
            .map((m) => m.name)
            .sort()
            .join(' '),
        ]),
        [
          [0, 'main'],
          [1, 'site'],
        ],
      );
      // The config both launches load: their scopes, for the whole file.
      const config = join(root, 'gunicorn.conf.py');
      const configScopes = appCompletionScopes(model, uriOf(config), config);
      assert.deepEqual(
        configScopes.map((s) => [s.lines, s.modules.map((m) => m.name).join(' ')]),
        [
          [undefined, 'main'],
          [undefined, 'site'],
        ],
      );
      // A config no launch loads: its own folder.
      const lone = join(root, 'other', 'gunicorn.conf.py');
      assert.deepEqual(
        appCompletionScopes(model, uriOf(lone), lone).flatMap((s) => s.modules.map((m) => m.name)),
        ['wsgi'],
      );
    } finally {
      removeProject(root);
    }
  });
});

/** Completion at the `|` of a text, for a language, with app specs sourced from `files` (path → text). */
function complete(
  language: LanguageId,
  withCursor: string,
  files: Record<string, string>,
  options: { kind?: CommandSourceKind; path?: string; version?: string } = {},
) {
  const offset = withCursor.indexOf('|');
  const text = withCursor.replace('|', '');
  const source: AppSpecSource = {
    modules: Object.keys(files).map((path) => ({
      name: path.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.'),
      path,
      isPackage: path.endsWith('__init__.py'),
    })),
    read: (path) => files[path],
  };
  const ctx: DocumentContext = {
    uri: 'file:///w/x',
    path: options.path ?? '/w/x',
    version: V(options.version ?? '23.0.0'),
    versionLabel: 'test',
    appSpec: () => source,
  };
  const document = parseDocument(language, text, {
    ...(options.kind ? { commandSourceKind: options.kind } : {}),
    path: ctx.path,
  });
  const { entries } = document.completions(offset, ctx);
  return { entries, text, offset };
}

const MODULES = {
  'shop/__init__.py': '',
  'shop/wsgi.py':
    'import os\nfrom django.core.wsgi import get_wsgi_application\n\nDEBUG = False\napplication = get_wsgi_application()\n',
  'factory.py':
    'from flask import Flask\n\n\ndef helper(x):\n    return x\n\n\ndef create_app():\n    return Flask(__name__)\n\n\nclass Config:\n    pass\n',
};

describe('completion of an app spec', () => {
  it('offers module names as Gunicorn’s positional argument of a Procfile, replacing the word typed', () => {
    const { entries, text, offset } = complete('commands', 'web: gunicorn --workers 2 sh|\n', MODULES, {
      kind: 'procfile',
      path: '/w/Procfile',
    });
    const labels = entries.map((e) => e.label);
    assert.ok(labels.includes('shop.wsgi') && labels.includes('factory'), labels.join(' '));
    const range = entries[0]!.range!;
    assert.deepEqual(range.start.character, text.indexOf('sh'));
    assert.deepEqual(range.end.character, offset);
  });

  it('offers the module’s names after the colon, apps first, factories called, classes and dunders left out', () => {
    const { entries } = complete('commands', 'web: gunicorn shop.wsgi:|\n', MODULES, { kind: 'procfile' });
    const sorted = [...entries].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    assert.equal(sorted[0]!.label, 'application');
    assert.equal(sorted[0]!.insertText, 'shop.wsgi:application');
    assert.match(sorted[0]!.detail ?? '', /WSGI app, Django/);
    const factory = complete('commands', "web: gunicorn 'factory:cr|'\n", MODULES, {
      kind: 'procfile',
    }).entries;
    const labels = factory.map((e) => e.label);
    assert.ok(labels.includes('create_app()') && labels.includes('helper'), labels.join(' '));
    assert.ok(!labels.includes('Config'), labels.join(' '));
    // Before 20.0.1 a factory cannot be called from the spec: the plain name.
    const old = complete('commands', 'web: gunicorn factory:|\n', MODULES, {
      kind: 'procfile',
      version: '20.0.0',
    });
    assert.ok(old.entries.some((e) => e.label === 'create_app'));
  });

  it('completes in a Dockerfile exec form, including after an ENTRYPOINT that starts Gunicorn', () => {
    const cmd = complete('commands', 'FROM python\nCMD ["gunicorn", "-b", ":8000", "sho|"]\n', MODULES, {
      kind: 'dockerfile',
      path: '/w/Dockerfile',
    });
    assert.ok(cmd.entries.some((e) => e.label === 'shop.wsgi'));
    const split = complete(
      'commands',
      'FROM python\nENTRYPOINT ["gunicorn", "--workers", "2"]\nCMD ["shop.wsgi:|"]\n',
      MODULES,
      { kind: 'dockerfile', path: '/w/Dockerfile' },
    );
    assert.ok(split.entries.some((e) => e.insertText === 'shop.wsgi:application'));
  });

  it('completes in a compose command, a unit’s ExecStart= and wsgi_app in the config file', () => {
    const compose = complete('commands', 'services:\n  web:\n    command: gunicorn -w 2 fac|\n', MODULES, {
      kind: 'compose',
      path: '/w/compose.yaml',
    });
    assert.ok(compose.entries.some((e) => e.label === 'factory'));
    const unit = complete(
      'systemd',
      '[Service]\nExecStart=/usr/bin/gunicorn --workers 2 shop.wsgi:app|\n',
      MODULES,
      { path: '/w/shop.service' },
    );
    assert.ok(unit.entries.some((e) => e.insertText === 'shop.wsgi:application'));
    assert.equal(unit.entries[0]!.range!.start.character, '/usr/bin/gunicorn --workers 2 '.length + 10);
    const config = complete('gunicorn', 'workers = 2\nwsgi_app = "shop.|"\n', MODULES, {
      path: '/w/gunicorn.conf.py',
    });
    assert.ok(config.entries.some((e) => e.label === 'shop.wsgi'));
    assert.equal(config.entries[0]!.range!.start.character, 'wsgi_app = "'.length);
  });

  it('offers nothing for a flag’s value, a second positional, or a word before Gunicorn', () => {
    const none = (text: string) =>
      complete('commands', text, MODULES, { kind: 'procfile' }).entries.filter(
        (e) => e.kind === 'module' || e.kind === 'function',
      );
    assert.deepEqual(none('web: gunicorn --bind sh|\n'), []);
    assert.deepEqual(none('web: gunicorn shop.wsgi:application sh|\n'), []);
    assert.deepEqual(none('web: sh|\n'), []);
    assert.deepEqual(none('web: gunicorn shop.wsgi:|$X\n'), []);
    // Without a workspace source (no folder, no build yet) there is nothing to offer either.
    const bare = parseDocument('commands', 'web: gunicorn sh\n', { commandSourceKind: 'procfile' });
    const ctx: DocumentContext = {
      uri: 'file:///w/P',
      path: '/w/Procfile',
      version: V('23.0.0'),
      versionLabel: 't',
    };
    assert.deepEqual(bare.completions('web: gunicorn sh'.length, ctx).entries, []);
  });
});

/** The django rule's findings for a project. */
function djangoFindings(files: Files) {
  const root = writeProject(files);
  try {
    const model = projectModel(root, V('23.0.0'));
    return [...model.findings]
      .flatMap(([uri, list]) => list.map((f) => ({ ...f, uri })))
      .filter((f) => f.rule === 'django-settings-module-missing');
  } finally {
    removeProject(root);
  }
}

const WSGI = (settings: string) =>
  `import os\n\nfrom django.core.wsgi import get_wsgi_application\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${settings}")\n\napplication = get_wsgi_application()\n`;

describe('django-settings-module-missing', () => {
  const project = (wsgi: string, procfile: string, extra: Files = {}): Files => ({
    'site/__init__.py': '',
    'site/settings.py': 'DEBUG = False\n',
    'site/wsgi.py': wsgi,
    Procfile: procfile,
    ...extra,
  });

  it('reports the app module’s default when no environment sets the variable, at the spec, related to the line', () => {
    const [finding, ...rest] = djangoFindings(project(WSGI('site.setings'), 'web: gunicorn site.wsgi\n'));
    assert.equal(rest.length, 0);
    assert.ok(finding!.uri.endsWith('/Procfile'));
    // A Procfile's platform may set the variable in its config vars: only a warning that says so.
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /unless the environment it runs in sets/);
    assert.match(finding!.message, /Did you mean 'site\.settings'/);
    assert.ok(finding!.related?.some((r) => r.uri.endsWith('/site/wsgi.py') && r.range.start.line === 4));
  });

  it('is an error for a unit, whose environment is all in the unit', () => {
    const root = writeProject({
      'srv/site/__init__.py': '',
      'srv/site/settings.py': '',
      'srv/site/wsgi.py': WSGI('site.setings'),
    });
    try {
      // The unit runs in the checkout itself, so every folder it searches is known.
      writeFileSync(
        join(root, 'site.service'),
        `[Service]\nWorkingDirectory=${root}/srv\nExecStart=/usr/bin/gunicorn site.wsgi\n`,
      );
      const findings = [...projectModel(root, V('23.0.0')).findings.values()]
        .flat()
        .filter((f) => f.rule === 'django-settings-module-missing');
      assert.deepEqual(
        findings.map((f) => f.severity),
        ['error'],
      );
    } finally {
      removeProject(root);
    }
  });

  it('lets the environment win over the default, and raw_env over both; fixes the value where it is written', () => {
    const envSet = djangoFindings(
      project(WSGI('site.settings'), 'web: DJANGO_SETTINGS_MODULE=site.prod gunicorn site.wsgi\n'),
    );
    assert.equal(envSet.length, 1);
    assert.match(envSet[0]!.message, /'site\.prod'/);
    const procfile = 'web: DJANGO_SETTINGS_MODULE=site.prod gunicorn site.wsgi\n';
    const edit = envSet[0]!.fixes![0]!.edits;
    assert.equal(
      applyEdits(procfile, edit),
      'web: DJANGO_SETTINGS_MODULE=site.settings gunicorn site.wsgi\n',
    );
    // --env wins over the process environment: a good value there is the one Django reads.
    assert.deepEqual(
      djangoFindings(
        project(
          WSGI('site.settings'),
          'web: DJANGO_SETTINGS_MODULE=site.prod gunicorn --env DJANGO_SETTINGS_MODULE=site.settings site.wsgi\n',
        ),
      ),
      [],
    );
    assert.equal(
      djangoFindings(
        project(WSGI('site.settings'), 'web: gunicorn -e DJANGO_SETTINGS_MODULE=site.nope site.wsgi\n'),
      ).length,
      1,
    );
  });

  it('says nothing for existing settings, a settings package, an installed name, a variable, or a non-Django app', () => {
    const quiet = (files: Files) =>
      assert.deepEqual(
        djangoFindings(files).map((f) => f.message),
        [],
      );
    quiet(project(WSGI('site.settings'), 'web: gunicorn site.wsgi\n'));
    quiet({
      'site/__init__.py': '',
      'site/settings/__init__.py': '',
      'site/settings/prod.py': '',
      'site/wsgi.py': WSGI('site.settings.prod'),
      Procfile: 'web: gunicorn site.wsgi\n',
    });
    // Not the project's own package: may be installed.
    quiet(project(WSGI('config.settings'), 'web: gunicorn site.wsgi\n'));
    quiet(project(WSGI('site.settings'), 'web: DJANGO_SETTINGS_MODULE=$SETTINGS gunicorn site.wsgi\n'));
    quiet({
      'main.py': 'from flask import Flask\napp = Flask(__name__)\n',
      Procfile: 'web: DJANGO_SETTINGS_MODULE=main.nope gunicorn main:app\n',
    });
  });

  it('says nothing when an environment file the model cannot read may set the variable', () => {
    assert.deepEqual(
      djangoFindings({
        'site/__init__.py': '',
        'site/wsgi.py': WSGI('site.nope'),
        'site.service':
          '[Service]\nWorkingDirectory=/x\nEnvironmentFile=/etc/site.env\nExecStart=/usr/bin/gunicorn site.wsgi\n',
      }),
      [],
    );
  });
});
