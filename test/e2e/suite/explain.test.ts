// "Gunicorn: Show Effective Configuration" in a real VS Code, on test/e2e/workspace.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export function registerExplainTests(): void {
  describe('deployment views', () => {
    it('opens the effective configuration as a read-only markdown document with the config line of a setting', async () => {
      const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      const config = path.join(workspace, 'crossfile', 'gunicorn.conf.py');
      const line =
        readFileSync(config, 'utf8')
          .split('\n')
          .findIndex((l) => l.startsWith('workers =')) + 1;
      assert.ok(line > 0, 'the fixture sets workers');
      const text = await vscode.commands.executeCommand<string | undefined>(
        'gunicornConfig.showEffectiveConfiguration',
        { preview: false },
      );
      assert.ok(text, 'the command opened no page');
      const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'gunicorn-config-explain');
      assert.ok(document, 'no virtual document with the explain scheme');
      assert.equal(document.getText(), text);
      assert.equal(document.languageId, 'markdown');
      const row = text
        .split('\n')
        .find(
          (l) => l.startsWith('| `workers`') && l.includes(`${vscode.Uri.file(config).toString()}#L${line}`),
        );
      assert.ok(row, `no workers row linking to crossfile/gunicorn.conf.py:${line}`);
    });
  });
}
