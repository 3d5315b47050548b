import { strict as assert } from 'node:assert';
import { parseVersion } from '../../server/src/core/version';
import { gunicornCompletions } from '../../server/src/languages/gunicorn/completion';
import { gunicornHover } from '../../server/src/languages/gunicorn/hover';
import { parseGunicornConfig } from '../../server/src/languages/gunicorn/parse';
import { resolvePlaceholders, snippetCompletions } from '../../server/src/languages/gunicorn/snippets';
import { check, cursor } from '../helpers/check';

const ctx = (version: string) => ({ version: parseVersion(version)!, versionLabel: `${version} (test)` });

describe('hover', () => {
  it('documents a setting with its flag, default, version and docs link', () => {
    const { text, offset } = cursor('time$0out = 30\n');
    const hover = gunicornHover(parseGunicornConfig(text), offset, ctx('23.0.0'))!;
    assert.match(hover.markdown, /\*\*timeout\*\*/);
    assert.match(hover.markdown, /`-t`, `--timeout`/);
    assert.match(hover.markdown, /Checked against Gunicorn 23\.0\.0 \(test\)/);
    assert.match(hover.markdown, /docs\.gunicorn\.org\/en\/stable\/settings\.html#timeout/);
    assert.deepEqual(hover.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
  });

  it('says when a setting is too new for the target, and documents worker classes and hooks', () => {
    const tooNew = cursor('http_$0protocols = "h1"\n');
    assert.match(
      gunicornHover(parseGunicornConfig(tooNew.text), tooNew.offset, ctx('24.1.0'))!.markdown,
      /Not in Gunicorn 24\.1\.0/,
    );
    const worker = cursor('worker_class = "gth$0read"\n');
    assert.match(
      gunicornHover(parseGunicornConfig(worker.text), worker.offset, ctx('23.0.0'))!.markdown,
      /ThreadWorker/,
    );
    const hook = cursor('def post_f$0ork(server, worker):\n    pass\n');
    assert.match(
      gunicornHover(parseGunicornConfig(hook.text), hook.offset, ctx('23.0.0'))!.markdown,
      /def post_fork\(server, worker\)/,
    );
  });
});

describe('completion', () => {
  it('offers the settings of the target version at a statement start, even on a half-typed line', () => {
    const { text, offset } = cursor('workers = 2\nhttp$0\n');
    const old = gunicornCompletions(parseGunicornConfig(text), offset, ctx('24.1.0')).map((c) => c.label);
    const recent = gunicornCompletions(parseGunicornConfig(text), offset, ctx('25.0.0')).map((c) => c.label);
    assert.ok(old.includes('worker_class') && !old.includes('http_protocols'));
    assert.ok(recent.includes('http_protocols'));
  });

  it('completes worker classes inside the string, without removed ones', () => {
    const { text, offset } = cursor('worker_class = "$0"\n');
    const labels = gunicornCompletions(parseGunicornConfig(text), offset, ctx('26.1.0')).map((c) => c.label);
    assert.ok(labels.includes('gthread') && labels.includes('uvicorn_worker.UvicornWorker'));
    assert.ok(!labels.includes('eventlet') && !labels.includes('gaiohttp'));
  });

  it('writes hook skeletons with the right parameters after def', () => {
    const { text, offset } = cursor('def $0');
    const postFork = gunicornCompletions(parseGunicornConfig(text), offset, ctx('26.1.0')).find(
      (c) => c.label === 'post_fork',
    )!;
    assert.equal(postFork.plainInsertText, 'post_fork(server, worker):\n    pass');
  });
});

describe('snippets', () => {
  it('are served as completions and produce configs without warnings or errors', () => {
    const entries = snippetCompletions();
    assert.equal(entries.length, 4);
    for (const entry of entries) {
      const findings = check(resolvePlaceholders(entry.insertText) + '\n').filter(
        (f) => f.severity === 'error' || f.severity === 'warning',
      );
      assert.deepEqual(
        findings.map((f) => `${entry.label}: ${f.rule} ${f.message}`),
        [],
      );
    }
  });
});

describe('value completion', () => {
  it('offers the choices of enumerated settings, quoted unless a quote is open', () => {
    const open = cursor('loglevel = "$0');
    const inside = gunicornCompletions(parseGunicornConfig(open.text), open.offset, ctx('26.1.0'));
    assert.deepEqual(
      inside.map((c) => c.insertText),
      ['debug', 'info', 'warning', 'error', 'critical'],
    );
    const bare = cursor('reload_engine = $0');
    assert.ok(
      gunicornCompletions(parseGunicornConfig(bare.text), bare.offset, ctx('26.1.0')).some(
        (c) => c.insertText === '"poll"',
      ),
    );
    const bool = cursor('preload_app = $0');
    assert.deepEqual(
      gunicornCompletions(parseGunicornConfig(bool.text), bool.offset, ctx('26.1.0')).map((c) => c.label),
      ['True', 'False'],
    );
  });
});

describe('access-log atoms and enumerated values', () => {
  const hoverAt = (fixture: string, version = '23.0.0') => {
    const { text, offset } = cursor(fixture);
    return gunicornHover(parseGunicornConfig(text), offset, ctx(version));
  };

  it('hover explains the atom under the cursor, braced forms included, and flags unknown ones', () => {
    const status = hoverAt('access_log_format = \'%(h)s "%(r)s" %($0s)s\'\n')!;
    assert.match(status.markdown, /\*\*%\(s\)s\*\* — access-log atom/);
    assert.deepEqual(status.range, { start: { line: 0, character: 35 }, end: { line: 0, character: 40 } });
    assert.match(hoverAt('access_log_format = "%({user-ag$0ent}i)s"\n')!.markdown, /access-log atom/);
    assert.match(hoverAt('access_log_format = "%(zz$0)s"\n')!.markdown, /not an atom Gunicorn knows/);
    assert.equal(hoverAt('access_log_format = "%(h)s $0 %(r)s"\n'), null);
  });

  it('hover explains an enumerated value', () => {
    assert.match(
      hoverAt('reload_engine = "ino$0tify"\n')!.markdown,
      /\*\*inotify\*\* — a value of `reload_engine`/,
    );
    assert.equal(hoverAt('reload_engine = "nope$0"\n'), null);
  });

  it('completes atoms after %( with the closing )s, braced atoms as snippets', () => {
    const { text, offset } = cursor('access_log_format = "%(h)s %($0');
    const items = gunicornCompletions(parseGunicornConfig(text), offset, ctx('23.0.0'));
    const status = items.find((i) => i.label === '%(s)s')!;
    assert.equal(status.insertText, 's)s');
    const header = items.find((i) => i.label === '%({header}i)s')!;
    assert.equal(header.insertText, '{${1:header}}i)s');
    assert.equal(header.isSnippet, true);
    assert.ok(items.every((i) => i.kind === 'value'));
    const elsewhere = cursor('proc_name = "%($0');
    assert.deepEqual(
      gunicornCompletions(parseGunicornConfig(elsewhere.text), elsewhere.offset, ctx('23.0.0')).map(
        (i) => i.label,
      ),
      [],
    );
  });
});
