import { strict as assert } from 'node:assert';
import { parseDocument } from '../../server/src/languages/registry';

const regions = (language: 'systemd' | 'nginx' | 'gunicorn', text: string) =>
  parseDocument(language, text)
    .foldingRegions()
    .map((r) => `${r.startLine}-${r.endLine}`);

describe('folding regions', () => {
  it('folds each unit file section from its header to its last non-blank line', () => {
    const unit =
      '# app\n[Unit]\nDescription=app\n\n[Service]\nExecStart=/bin/true\nRestart=always\n\n\n[Install]\n';
    assert.deepEqual(regions('systemd', unit), ['1-2', '4-6']);
  });

  it('folds nginx blocks up to the line before their closing brace, nested ones too', () => {
    const conf = 'http {\n    server {\n        listen 80;\n        location / { return 204; }\n    }\n}\n';
    assert.deepEqual(regions('nginx', conf).sort(), ['0-4', '1-3']);
    assert.deepEqual(regions('nginx', 'events {}\nhttp {\n'), [], 'one-line and unclosed blocks do not fold');
  });

  it('leaves Python to the editor, and survives CRLF', () => {
    assert.deepEqual(regions('gunicorn', 'def post_fork(server, worker):\n    pass\n'), []);
    assert.deepEqual(regions('systemd', '[Unit]\r\nDescription=a\r\n[Service]\r\nExecStart=/bin/true\r\n'), [
      '0-1',
      '2-3',
    ]);
  });
});
