// Editors other than VS Code attach the server to whole filetypes (every `yaml`, `sh` or `python` buffer, as the
// README's Neovim, Helix and Emacs setups do): a buffer that is none of our kinds gets no diagnostics, while the files
// that are ours still do.

import * as assert from 'node:assert/strict';
import { Session } from '../helpers/lspSession';

describe('attached to whole filetypes (Neovim, Helix, Emacs)', function () {
  let session: Session;
  before(async () => {
    session = new Session();
    await session.start({ textDocument: { publishDiagnostics: {} } });
  });
  after(async () => assert.equal(await session.stop(), 0));

  it('says nothing about a CI workflow, an extensionless shell script or a Python module', async function () {
    const workflow = 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
    const script = '#!/bin/sh\nset -e\nexec "$@"\n';
    for (const [uri, languageId, text] of [
      ['file:///tmp/project/.github/workflows/ci.yml', 'yaml', workflow],
      ['file:///tmp/project/tools/release', 'sh', script],
      ['file:///tmp/project/shop/views.py', 'python', 'def index(:\n'],
    ] as const) {
      const { diagnostics } = await session.open(text, uri, languageId);
      assert.deepEqual(diagnostics, [], `${uri} (${languageId})`);
    }
  });

  it('still checks a compose file sent as yaml and a script sent as sh', async function () {
    const compose = await session.open(
      'services:\n  web:\n    command: gunicorn --worker 3 app:app\n',
      'file:///tmp/project/docker-compose.yml',
      'yaml',
    );
    assert.ok(
      compose.diagnostics.some((d) => d.code === 'gunicorn-command-line'),
      JSON.stringify(compose.diagnostics),
    );
    const script = await session.open(
      '#!/bin/sh\nexec gunicorn --worker 3 app:app\n',
      'file:///tmp/project/start.sh',
      'sh',
    );
    assert.ok(
      script.diagnostics.some((d) => d.code === 'gunicorn-command-line'),
      JSON.stringify(script.diagnostics),
    );
  });
});
