// Helpers for the extension-host suite: our diagnostics, their rule codes, and waiting on diagnostic events.

import * as vscode from 'vscode';

export const EXTENSION_ID = 'gunicorn-config.gunicorn-config';
export const SOURCE = 'gunicorn-config';

/** The rule id: `code` is a string, or `{ value, target }` when the server sends a codeDescription link. */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** The diagnostics our language server published for the document (other sources are ignored). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function describeAll(diagnostics: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(
    diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`),
  );
}

/**
 * Resolves with the document's diagnostics once they satisfy `accept`, driven by
 * vscode.languages.onDidChangeDiagnostics (no fixed sleeps); rejects after `ms`.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  ms = 30000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const current = ours(uri);
    if (accept(current)) return resolve(current);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(
        new Error(
          `timed out after ${ms} ms waiting for diagnostics on ${uri.fsPath}; have ${describeAll(ours(uri))}`,
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

export function hasCode(code: string, line?: number): (diagnostics: vscode.Diagnostic[]) => boolean {
  return (diagnostics) =>
    diagnostics.some((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line));
}

export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}
