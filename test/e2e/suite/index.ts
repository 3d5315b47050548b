// Runs inside the real VS Code extension host: activation, diagnostics, hover, completion and a quick fix applied.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';

const EXTENSION_ID = 'gunicorn-config.gunicorn-config';

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gunicorn-config');
}

/** Resolves when the document's diagnostics satisfy `accept`, driven by onDidChangeDiagnostics events. */
function diagnosticsFor(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
  ms = 30000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const current = ours(uri);
    if (accept(current)) return resolve(current);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(
        new Error(
          `timed out waiting for diagnostics on ${uri.fsPath}; have ${JSON.stringify(ours(uri).map(codeOf))}`,
        ),
      );
    }, ms);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = ours(uri);
      if (accept(diagnostics)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(diagnostics);
      }
    });
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  const config = vscode.Uri.file(path.join(workspace, 'gunicorn.conf.py'));

  describe('Gunicorn Config in a real VS Code', () => {
    let document: vscode.TextDocument;
    before(async () => {
      document = await vscode.workspace.openTextDocument(config);
      await vscode.window.showTextDocument(document);
    });

    it('activates', async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, 'extension not found');
      await extension.activate();
      assert.equal(extension.isActive, true);
    });

    it('shows diagnostics with rule codes on gunicorn.conf.py', async () => {
      const diagnostics = await diagnosticsFor(config, (d) => d.length >= 2);
      const summary = diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line}`);
      assert.ok(summary.includes('unknown-setting@0'), summary.join(', '));
      assert.ok(summary.includes('invalid-value@1'), summary.join(', '));
    });

    it('hovers a setting with its documentation', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        config,
        new vscode.Position(2, 2),
      );
      const text = hovers
        .flatMap((h) =>
          h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)),
        )
        .join('\n');
      assert.match(text, /\*\*timeout\*\*/);
      assert.match(text, /docs\.gunicorn\.org/);
    });

    it('completes setting names', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        config,
        new vscode.Position(3, 0),
      );
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(
        labels.includes('worker_class') && labels.includes('max_requests_jitter'),
        `${labels.length} items`,
      );
    });

    it('applies a quick fix', async () => {
      const [unknown] = await diagnosticsFor(config, (d) => d.some((x) => codeOf(x) === 'unknown-setting'));
      const target = ours(config).find((d) => codeOf(d) === 'unknown-setting') ?? unknown!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        config,
        target.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const rename = actions.find((a) => a.title === "Change to 'workers'");
      assert.ok(rename?.edit, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(rename.edit));
      assert.equal(document.lineAt(0).text, 'workers = 4');
      await diagnosticsFor(config, (d) => !d.some((x) => codeOf(x) === 'unknown-setting'));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    it('leaves other Python files alone', async () => {
      const app = vscode.Uri.file(path.join(workspace, 'app.py'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(app));
      // The config gets diagnostics for the same mistake, so the server has had its chance to answer for app.py too.
      await diagnosticsFor(config, (d) => d.length > 0);
      assert.deepEqual(ours(app), []);
    });
  });

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}
