// Navigation in a real VS Code, on test/e2e/workspace/navigate (an nginx.conf including two sites, a Procfile and a
// config): F12 from proxy_pass to the upstream in another file, rename of the upstream across both files, and the
// include glob's document links.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Where a text first occurs in a document. */
function find(document: vscode.TextDocument, needle: string): vscode.Position {
  const at = document.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${document.uri.fsPath}`);
  return document.positionAt(at);
}

/**
 * Asks `ask` until it answers something: navigation answers from the model's build that saw the document open, and
 * every build republishes the document's diagnostics, so each republish is the moment to ask again. A file without
 * diagnostics may see no change event: then it asks again after a second, ten times at most.
 */
async function untilAnswered<T>(uri: vscode.Uri, ask: () => Thenable<T[] | undefined>): Promise<T[]> {
  for (let round = 0; round < 10; round++) {
    const answer = await ask();
    if (answer?.length) return answer;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const timer = setTimeout(done, 1000);
      const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === uri.toString())) done();
      });
    });
  }
  throw new Error(`no answer for ${uri.fsPath} after 10 rounds`);
}

export function registerNavigationTests(): void {
  describe('Navigation across files in a real VS Code', () => {
    let folder: string;
    before(() => {
      folder = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'navigate');
    });

    it('goes from proxy_pass to the upstream block in another file (F12)', async () => {
      const uri = vscode.Uri.file(path.join(folder, 'nginx', 'sites-enabled', 'navshop.conf'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const pass = find(document, 'http://navshop').translate(0, 'http://'.length + 2);
      const answer = await untilAnswered(uri, () =>
        vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          uri,
          pass,
        ),
      );
      const first = answer[0]!;
      const target = 'targetUri' in first ? first.targetUri : first.uri;
      const range = 'targetUri' in first ? (first.targetSelectionRange ?? first.targetRange) : first.range;
      assert.ok(target.fsPath.endsWith(path.join('sites-enabled', 'upstream.conf')), target.fsPath);
      const upstream = await vscode.workspace.openTextDocument(target);
      assert.equal(upstream.getText(range), 'navshop');
      assert.equal(upstream.lineAt(range.start.line).text, 'upstream navshop {');
    });

    it('renames the upstream in its block and in the pass of the other file', async () => {
      const uri = vscode.Uri.file(path.join(folder, 'nginx', 'sites-enabled', 'upstream.conf'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const name = find(document, 'navshop {');
      // Until the model's build has seen this file open, the server refuses (the text may have changed): ask again.
      const entries = await untilAnswered(uri, async () => {
        try {
          const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>(
            'vscode.executeDocumentRenameProvider',
            uri,
            name.translate(0, 2),
            'navstore',
          );
          return edit?.entries();
        } catch {
          return undefined;
        }
      });
      const byFile = new Map(entries.map(([u, edits]) => [path.basename(u.fsPath), edits]));
      assert.deepEqual([...byFile.keys()].sort(), ['navshop.conf', 'upstream.conf']);
      for (const edits of byFile.values()) for (const e of edits) assert.equal(e.newText, 'navstore');
      const site = await vscode.workspace.openTextDocument(
        vscode.Uri.file(path.join(folder, 'nginx', 'sites-enabled', 'navshop.conf')),
      );
      const [pass] = byFile.get('navshop.conf')!;
      assert.equal(site.getText(pass!.range), 'navshop');
      assert.equal(document.getText(byFile.get('upstream.conf')![0]!.range), 'navshop');
    });

    it('links each file the include glob matches', async () => {
      const uri = vscode.Uri.file(path.join(folder, 'nginx', 'nginx.conf'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const links = await untilAnswered(uri, () =>
        vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri),
      );
      assert.deepEqual(links.map((l) => path.basename(l.target!.fsPath)).sort(), [
        'navshop.conf',
        'upstream.conf',
      ]);
      for (const link of links) assert.equal(document.getText(link.range), 'sites-enabled/*.conf');
    });
  });
}
