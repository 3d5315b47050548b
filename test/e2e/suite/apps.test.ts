// The app spec in a real VS Code, on the fixture projects (test/fixtures/apps, copied into the throwaway workspace as
// apps/ by runTest.js): a diagnostic with related information, the hover, Go to Definition and completion.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, hasCode, hoverText, waitForDiagnostics } from './helpers';

/** Where a text first occurs in a document. */
function find(document: vscode.TextDocument, needle: string): vscode.Position {
  const at = document.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${document.uri.fsPath}`);
  return document.positionAt(at);
}

/** The target of a definition answer, whether the editor got links or locations. */
function targetOf(answer: (vscode.Location | vscode.LocationLink)[]): { uri: vscode.Uri; line: number } {
  const first = answer[0]!;
  return 'targetUri' in first
    ? { uri: first.targetUri, line: (first.targetSelectionRange ?? first.targetRange).start.line }
    : { uri: first.uri, line: first.range.start.line };
}

export function registerAppTests(): void {
  describe('The app spec in a real VS Code (fixture projects)', () => {
    let apps: string;
    before(() => {
      apps = path.join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'apps');
    });

    it('reports a Django settings module that cannot be imported, with related information at the wsgi module', async () => {
      const uri = vscode.Uri.file(path.join(apps, 'django', 'broken', 'Dockerfile'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const line = find(document, 'bookshop.settings.production').line;
      const diagnostics = await waitForDiagnostics(uri, hasCode('django-settings-module-missing', line));
      const settings = diagnostics.find((d) => codeOf(d) === 'django-settings-module-missing')!;
      assert.equal(settings.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(document.getText(settings.range), 'bookshop.settings.production');
      assert.ok(
        settings.relatedInformation?.some((r) =>
          r.location.uri.fsPath.endsWith(path.join('broken', 'bookshop', 'wsgi.py')),
        ),
        JSON.stringify(settings.relatedInformation?.map((r) => r.location.uri.fsPath)),
      );
    });

    it('hovers the app spec, goes to its definition and completes the module’s names', async () => {
      // The same Dockerfile: its cross-file diagnostic says the model was built from the text shown, hover and
      // definition sites included.
      const uri = vscode.Uri.file(path.join(apps, 'django', 'broken', 'Dockerfile'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(uri, hasCode('django-settings-module-missing'));
      const spec = find(document, 'bookshop.wsgi:application');
      const inSpec = spec.translate(0, 3);
      const hover = hoverText(
        await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, inSpec),
      );
      assert.match(hover, /bookshop\/wsgi\.py/);
      assert.match(hover, /WSGI app, Django/);

      const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        uri,
        inSpec,
      );
      assert.ok(definitions.length > 0, 'no definition');
      const target = targetOf(definitions);
      assert.ok(target.uri.fsPath.endsWith(path.join('broken', 'bookshop', 'wsgi.py')), target.uri.fsPath);
      const wsgi = await vscode.workspace.openTextDocument(target.uri);
      assert.match(wsgi.lineAt(target.line).text, /^application = get_wsgi_application\(\)/);

      const afterColon = spec.translate(0, 'bookshop.wsgi:'.length);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        afterColon,
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('application'), labels.slice(0, 30).join(' '));
      const modules = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        spec.translate(0, 'bookshop.w'.length),
      );
      const moduleLabels = modules.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(moduleLabels.includes('bookshop.wsgi'), moduleLabels.slice(0, 30).join(' '));
    });
  });
}
