// Fix-all and inlay hints in a real VS Code: the source.fixAll.gunicornConfig action applied through the workspace
// edit API, and the value a unit file's command line sets shown next to the config line it overrides.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hasCode, ours, waitForDiagnostics } from './helpers';

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append('gunicornConfig');

/** Resolves at the next diagnostics event for `uri`, or after `ms` (whichever comes first). */
function nextDiagnostics(uri: vscode.Uri, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      resolve();
    }, ms);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

export function registerFixAllTests(): void {
  describe('fix-all and inlay hints in a real VS Code', () => {
    let config: vscode.Uri;
    let document: vscode.TextDocument;

    before(async () => {
      const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      config = vscode.Uri.file(path.join(workspace, 'fixall', 'gunicorn.conf.py'));
      document = await vscode.workspace.openTextDocument(config);
      await vscode.window.showTextDocument(document);
      await waitForDiagnostics(config, hasCode('unknown-setting'));
    });

    it('shows the value the unit file sets next to the setting it overrides', async () => {
      const line = document.lineAt(4);
      assert.equal(line.text, 'workers = 2');
      // The hint comes with the deployment build, a moment after the diagnostics: ask again after each republish.
      const deadline = Date.now() + 30_000;
      let labels: string[] = [];
      while (Date.now() < deadline) {
        const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
          'vscode.executeInlayHintProvider',
          config,
          new vscode.Range(0, 0, document.lineCount, 0),
        );
        labels = hints.map(
          (h) =>
            `${h.position.line}:${h.position.character} ${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')}`,
        );
        if (labels.some((l) => l.includes('fixall.service'))) break;
        await nextDiagnostics(config, 2_000);
      }
      assert.ok(labels.includes('4:11 \u2192 4 from fixall.service:7'), labels.join(' | '));
    });

    it('applies every safe fix with source.fixAll.gunicornConfig and leaves the unsafe ones', async () => {
      // A kind-filtered request can come back empty when the provider registry changes meanwhile (see
      // extension.test.ts): ask a few times.
      let actions: vscode.CodeAction[] = [];
      for (let attempt = 0; attempt < 5 && !actions.length; attempt++) {
        actions = (
          (await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            config,
            new vscode.Range(0, 0, document.lineCount, 0),
            FIX_ALL.value,
          )) ?? []
        ).filter((a) => a.kind && FIX_ALL.contains(a.kind));
      }
      assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(actions[0]!.edit!), 'applyEdit refused fix-all');
      assert.equal(
        document.getText(),
        '# Fix-all and inlay hints in a real VS Code (test/e2e/suite/fixAll.test.ts).\n' +
          'keepalive = 5\nloglevel = "warning"\nmax_requests = 1000\nworkers = 2\n',
      );
      // The jitter fix changes what the deployment does: its finding stays.
      const left = await waitForDiagnostics(config, (d) => !hasCode('unknown-setting')(d));
      assert.ok(
        hasCode('max-requests-without-jitter')(left),
        JSON.stringify(ours(config).map((d) => d.code)),
      );
    });
  });
}
