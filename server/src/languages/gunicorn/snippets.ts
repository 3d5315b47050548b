// Snippets from snippets/gunicorn.json, served as completion items so every LSP client gets them.

import snippets from '../../../../snippets/gunicorn.json';
import { snippetEntries, type SnippetDefinition } from '../../core/snippets';
import type { CompletionEntry } from '../../core/features';

export { resolvePlaceholders } from '../../core/snippets';

export function snippetCompletions(): CompletionEntry[] {
  return snippetEntries(snippets as Record<string, SnippetDefinition>);
}
