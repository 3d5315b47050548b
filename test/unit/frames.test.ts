// The stdio framing guard tells the server of each whole frame, and whether it looks like a request.

import { strict as assert } from 'node:assert';
import { FrameGuard } from '../../server/src/lsp/frames';

/** A frame as clients write it: the header, a blank line, the JSON body. */
function frame(body: object): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${json.length}\r\n\r\n`, 'ascii'), json]);
}

/** What onFrame heard for `chunks` written in turn, and the bodies the reader got. */
async function framesOf(chunks: Buffer[]): Promise<{ heard: boolean[]; bodies: string[] }> {
  const guard = new FrameGuard();
  const heard: boolean[] = [];
  const passed: Buffer[] = [];
  guard.onFrame = (request) => heard.push(request);
  guard.on('data', (chunk: Buffer) => passed.push(chunk));
  for (const chunk of chunks) guard.write(chunk);
  guard.end();
  await new Promise<void>((resolve) => guard.on('end', resolve));
  const all = Buffer.concat(passed).toString('utf8');
  const bodies = all.split(/Content-Length: \d+\r\n\r\n/).filter(Boolean);
  return { heard, bodies };
}

describe('frame guard', () => {
  const hover = { jsonrpc: '2.0', id: 7, method: 'textDocument/hover', params: { position: { line: 1 } } };
  const didChange = {
    jsonrpc: '2.0',
    method: 'textDocument/didChange',
    // An "id" deep in the params (a document's text, a setting) does not make a notification a request.
    params: { contentChanges: [{ text: 'x' }], settings: { id: 3 } },
  };
  const response = { jsonrpc: '2.0', id: 2, result: [{ gunicornVersion: '23.0.0' }] };

  it('tells each whole frame, a request as one and a notification or a response as none', async () => {
    const { heard, bodies } = await framesOf([frame(hover), frame(didChange), frame(response)]);
    assert.deepEqual(heard, [true, false, false]);
    assert.deepEqual(
      bodies.map((body) => JSON.parse(body) as unknown),
      [hover, didChange, response],
    );
  });

  it('tells a frame once it is whole, however it was split', async () => {
    const bytes = Buffer.concat([frame(didChange), frame(hover)]);
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const { heard } = await framesOf(chunks);
    assert.deepEqual(heard, [false, true]);
  });

  it('tells nothing of a dropped header', async () => {
    const { heard } = await framesOf([Buffer.from('Content-Length: abc\r\n\r\n'), frame(hover)]);
    assert.deepEqual(heard, [true]);
  });
});
