// "Gunicorn: Show Effective Configuration": asks the server for the deployments' page and shows it as a read-only
// virtual markdown document (its own URI scheme), in the markdown preview when that is available.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const EXPLAIN_SCHEME = 'gunicorn-config-explain';
const EXPLAIN_URI = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: '/Effective configuration.md' });

/** Registers the content provider and the command; the command returns the page's text (for tests). */
export function registerExplainView(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
): void {
  let page = '';
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent: () => page,
  };
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, provider),
    vscode.commands.registerCommand(
      'gunicornConfig.showEffectiveConfiguration',
      async (options?: { preview?: boolean }): Promise<string | undefined> => {
        const running = client();
        if (!running) return undefined;
        const answer = (await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Gunicorn: reading the deployment…' },
          () => running.sendRequest('workspace/executeCommand', { command: 'gunicornConfig.server.explain' }),
        )) as { markdown?: string; error?: string } | undefined;
        if (!answer?.markdown) {
          void vscode.window.showErrorMessage(
            `Show Effective Configuration: ${answer?.error ?? 'the server gave no answer.'}`,
          );
          return undefined;
        }
        page = answer.markdown;
        changed.fire(EXPLAIN_URI);
        const document = await vscode.workspace.openTextDocument(EXPLAIN_URI);
        if (options?.preview !== false && (await hasMarkdownPreview())) {
          await vscode.commands.executeCommand('markdown.showPreview', EXPLAIN_URI);
        } else {
          await vscode.window.showTextDocument(document, { preview: true });
        }
        return document.getText();
      },
    ),
  );
}

async function hasMarkdownPreview(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes('markdown.showPreview');
}
