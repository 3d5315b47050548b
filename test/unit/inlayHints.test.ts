// Inlay hints as data: the overriding value next to a setting another place decides, and Gunicorn's defaults.

import { strict as assert } from 'node:assert';
import { LineIndex } from '../../server/src/core/text';
import { defaultHints, overrideHints } from '../../server/src/deployment/inlayHints';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { buildDeploymentModel } from '../../server/src/deployment/model';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { parseGunicornConfig } from '../../server/src/languages/gunicorn/parse';
import { inlayHintsFor } from '../../server/src/lsp/inlayHints';
import { TextDocument } from 'vscode-languageserver-textdocument';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

const SERVICE = (flags: string) =>
  `[Service]\nType=notify\nExecStart=/srv/app/venv/bin/gunicorn -c /srv/app/gunicorn.conf.py ${flags} app:app\n`;

/** "line:character label" for each hint of `text`. */
function hintsOf(sources: WorkspaceSource[], of: WorkspaceSource): string[] {
  const model = buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
  const lines = new LineIndex(of.text);
  return overrideHints(model.effectiveSites(of.uri), of.uri, (offset) => lines.positionAt(offset).line).map(
    (hint) => {
      const at = lines.positionAt(hint.offset);
      return `${at.line}:${at.character} ${hint.label}`;
    },
  );
}

describe('inlay hints', () => {
  it('puts the command line value after the config assignment it overrides, and nothing elsewhere', () => {
    const config = source('/w/gunicorn.conf.py', 'workers = 2\ntimeout = 30\nkeepalive = 5\n');
    const unit = source('/w/deploy/app.service', SERVICE('--workers 4 --timeout $TIMEOUT'));
    assert.deepEqual(hintsOf([config, unit], config), [
      '0:11 \u2192 4 from app.service:3',
      '1:12 \u2192 overridden by app.service:3',
    ]);
    // The command line decides: it gets no hint of its own.
    assert.deepEqual(hintsOf([config, unit], unit), []);
  });

  it('says nothing for a config no launch overrides, or that no launch loads', () => {
    const config = source('/w/gunicorn.conf.py', 'workers = 2\n');
    assert.deepEqual(hintsOf([config, source('/w/deploy/app.service', SERVICE('--timeout 60'))], config), []);
    assert.deepEqual(hintsOf([config], config), []);
  });

  it('marks an earlier assignment of the same file with the later one that wins', () => {
    const config = source('/w/gunicorn.conf.py', 'workers = 2\nworkers = 3\n');
    assert.deepEqual(hintsOf([config, source('/w/deploy/app.service', SERVICE(''))], config), [
      '0:11 \u2192 3 from gunicorn.conf.py:2',
    ]);
  });

  it("keeps the last build's hints away from an edit made since, and drops those inside it", () => {
    const built = 'workers = 2\ntimeout = 30\nthreads = 2\n';
    const config = source('/w/gunicorn.conf.py', built);
    const model = buildDeploymentModel(
      [config, source('/w/deploy/app.service', SERVICE('--workers 4 --timeout 60 --threads 8'))],
      { version: [23, 0, 0], versionLabel: '23.0.0' },
    );
    const result = {
      path: config.path,
      uri: config.uri,
      text: built,
      findings: [],
      effective: model.effectiveSites(config.uri),
    };
    // The user has typed on line 1 since the build: `timeout = 30` became `timeout = 300`, and a line was added above.
    const now = '# tuned\nworkers = 2\ntimeout = 300\nthreads = 2\n';
    const document = TextDocument.create(config.uri, 'python', 2, now);
    const hints = inlayHintsFor(
      document,
      { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } },
      { built: result, markdown: false },
    ).map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`);
    // One changed span covers the inserted line through the edited value: hints after it move, hints in it go.
    const moved = inlayHintsFor(
      TextDocument.create(config.uri, 'python', 2, 'workers = 2\ntimeout = 300\nthreads = 2\n'),
      { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
      { built: result, markdown: false },
    ).map((h) => `${h.position.line}:${h.position.character} ${String(h.label)}`);
    assert.deepEqual(moved, ['0:11 \u2192 4 from app.service:3', '2:11 \u2192 8 from app.service:3']);
    // The changed span runs from the inserted line to the digit typed before `0`: workers' hint falls inside it and
    // is left out until the next build; timeout's (after the span) and threads' move with the text.
    assert.deepEqual(hints, ['2:13 \u2192 60 from app.service:3', '3:11 \u2192 8 from app.service:3']);
  });

  it("shows Gunicorn's default where the value differs, and says when a line only repeats it", () => {
    const text =
      'workers = 4\ntimeout = 30\nbind = x\nloglevel = "debug"\ndef on_starting(server):\n    pass\n';
    const model = parseGunicornConfig(text);
    const lines = new LineIndex(text);
    const shown = defaultHints(model, [23, 0, 0]).map((h) => {
      const at = lines.positionAt(h.offset);
      return `${at.line}:${at.character} ${h.label}`;
    });
    // bind = x is not known statically; hooks have no default to show.
    assert.deepEqual(shown, ['0:11 default: 1', '1:12 (default)', '3:18 default: info']);
  });

  it('gives every hint of a 500-line config (the bench times the request: p99 within 5 ms)', () => {
    const settings = ['workers', 'timeout', 'keepalive', 'threads', 'backlog'];
    const text = Array.from({ length: 500 }, (_, i) => `${settings[i % 5]} = ${i + 1}`).join('\n') + '\n';
    const config = source('/w/gunicorn.conf.py', text);
    const model = buildDeploymentModel(
      [config, source('/w/deploy/app.service', SERVICE('--workers 4 --timeout 90'))],
      { version: [23, 0, 0], versionLabel: '23.0.0' },
    );
    const lines = new LineIndex(text);
    const overrides = overrideHints(
      model.effectiveSites(config.uri),
      config.uri,
      (o) => lines.positionAt(o).line,
    );
    // workers and timeout (200 lines) lose to the command line; of the other three settings' 300 lines the last of
    // each wins.
    assert.equal(overrides.length, 200 + 297);
    assert.equal(defaultHints(parseGunicornConfig(text), [23, 0, 0]).length, 500);
  });
});
