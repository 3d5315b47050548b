// Fuzz: the editor's app-spec features on any text. Definition sites, completion scopes and app-spec completion in
// every language never throw or hang, and every range they give stays inside its file.

import fc from 'fast-check';
import { LineIndex } from '../../server/src/core/text';
import { appCompletionScopes, appDefinitionSites } from '../../server/src/deployment/appEditorSites';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { parseDocument, type LanguageId } from '../../server/src/languages/registry';
import type { CommandSourceKind } from '../../server/src/languages/commands/index';
import {
  assertRangeInside,
  corpusOf,
  fcParams,
  mutatedText,
  randomText,
  timed,
  VERSIONS,
} from './fuzzHelpers';

const PLACES: {
  language: LanguageId;
  kind?: CommandSourceKind;
  path: string;
  text: (spec: string) => string;
}[] = [
  { language: 'commands', kind: 'procfile', path: '/w/Procfile', text: (s) => `web: gunicorn -w 2 ${s}\n` },
  {
    language: 'commands',
    kind: 'dockerfile',
    path: '/w/Dockerfile',
    text: (s) => `FROM x\nCMD ["gunicorn", "${s}"]\n`,
  },
  {
    language: 'commands',
    kind: 'compose',
    path: '/w/compose.yaml',
    text: (s) => `services:\n  web:\n    command: gunicorn '${s}'\n`,
  },
  { language: 'systemd', path: '/w/a.service', text: (s) => `[Service]\nExecStart=/usr/bin/gunicorn ${s}\n` },
  { language: 'gunicorn', path: '/w/gunicorn.conf.py', text: (s) => `wsgi_app = "${s}\n` },
];

describe('fuzz: app spec definition and completion', function () {
  this.timeout(60_000);
  const pythonSeeds = corpusOf('gunicorn');

  it('never throws or hangs, and keeps ranges inside their files', () => {
    const spec = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('main:', 'main:a', 'shop.', 'shop.wsgi:', 'shop.wsgi:application', ':', 'a:b:c', '"x'),
    );
    const python = fc.oneof(randomText(), mutatedText(pythonSeeds));
    fc.assert(
      fc.property(
        spec,
        python,
        fc.constantFrom(...PLACES),
        fc.constantFrom(...VERSIONS),
        fc.nat(),
        (app, module, place, version, cut) => {
          const text = place.text(app);
          const sources: WorkspaceSource[] = [
            {
              uri: `file://${place.path}`,
              path: place.path,
              kind: place.kind ?? place.language,
              text,
            } as WorkspaceSource,
            { uri: 'file:///w/main.py', path: '/w/main.py', kind: 'python', text: module },
            { uri: 'file:///w/shop/wsgi.py', path: '/w/shop/wsgi.py', kind: 'python', text: module },
          ];
          const paths = [place.path, '/w/main.py', '/w/shop/__init__.py', '/w/shop/wsgi.py'];
          const model = timed('buildDeploymentModel', () =>
            buildDeploymentModel(sources, { version, versionLabel: 'fuzz' }, { paths }),
          );
          const uri = `file://${place.path}`;
          const sites = timed('appDefinitionSites', () =>
            appDefinitionSites(model, uri, text, (p) => `file://${p}`),
          );
          for (const site of sites) {
            if (site.from < 0 || site.to > text.length || site.from > site.to) {
              throw new Error('site outside');
            }
          }
          const scopes = timed('appCompletionScopes', () => appCompletionScopes(model, uri, place.path));
          const modules = scopes[0]?.modules ?? [{ name: 'main', path: '/w/main.py', isPackage: false }];
          const document = parseDocument(place.language, text, {
            ...(place.kind ? { commandSourceKind: place.kind } : {}),
            path: place.path,
          });
          // A random place, and the end of the spec (where completion is asked while it is typed).
          const specEnd = text.indexOf(app) + app.length;
          const lines = new LineIndex(text);
          for (const offset of [cut % (text.length + 1), specEnd]) {
            const { entries } = timed('completions', () =>
              document.completions(offset, {
                uri,
                path: place.path,
                version,
                versionLabel: 'fuzz',
                appSpec: () => ({ modules, read: () => module }),
              }),
            );
            for (const entry of entries) if (entry.range) assertRangeInside(lines, entry.range, entry.label);
          }
        },
      ),
      fcParams(80),
    );
  });
});
