// The `source.fixAll.gunicornConfig` code action: every safe fix of one document as one edit (core/fixAll.ts decides).

import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/findings';
import { changedSpan, fixAll } from '../core/fixAll';

/** Our fix-all kind; `editor.codeActionsOnSave: { "source.fixAll": … }` asks for it through its parent kind. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.gunicornConfig`;

const kindsOf = (only: unknown): string[] | undefined =>
  Array.isArray(only) ? only.filter((kind): kind is string => typeof kind === 'string') : undefined;

/** `kind` is `asked` or one of its sub-kinds (`source` covers `source.fixAll.gunicornConfig`). */
const covers = (asked: string, kind: string): boolean => kind === asked || kind.startsWith(`${asked}.`);

/** Whether a request's `only` asks for fix-all. Without `only` (the light bulb) it does not: that shows quick fixes. */
export function wantsFixAll(only: unknown): boolean {
  return kindsOf(only)?.some((asked) => covers(asked, FIX_ALL_KIND)) ?? false;
}

/** Whether a request wants quick fixes: always without `only`, else when `only` names quickfix (or a parent of it). */
export function wantsQuickFixes(only: unknown): boolean {
  const kinds = kindsOf(only);
  return !kinds || kinds.some((asked) => covers(asked, CodeActionKind.QuickFix));
}

/**
 * The fix-all action for a document, or undefined when no safe fix applies. `analyze` checks a text as this document
 * (same language, path and settings); fix-all edits this document only, never another file.
 */
export function fixAllAction(
  document: TextDocument,
  analyze: (text: string) => readonly Finding[],
): CodeAction | undefined {
  const before = document.getText();
  const result = fixAll(before, analyze);
  const span = changedSpan(before, result.text);
  if (!span) return undefined;
  return {
    title: `Fix all safe Gunicorn Config problems (${result.applied})`,
    kind: FIX_ALL_KIND,
    edit: {
      changes: {
        [document.uri]: [
          {
            range: { start: document.positionAt(span.from), end: document.positionAt(span.to) },
            newText: span.newText,
          },
        ],
      },
    },
  };
}
