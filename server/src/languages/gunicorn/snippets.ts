// Snippets from snippets/gunicorn.json, served as completion items so every LSP client gets them.

import snippets from '../../../../snippets/gunicorn.json';
import type { CompletionEntry } from './completion';

interface SnippetDefinition {
  prefix: string;
  description: string;
  body: string[];
}

/** Replaces `${1:default}` by `default` and drops bare tab stops, for clients without snippet support. */
export function resolvePlaceholders(snippet: string): string {
  let previous;
  let text = snippet;
  do {
    previous = text;
    text = text.replace(/\$\{\d+:([^{}]*)\}/g, '$1');
  } while (text !== previous);
  return text.replace(/\$\d+/g, '');
}

export function snippetCompletions(): CompletionEntry[] {
  return Object.entries(snippets as Record<string, SnippetDefinition>).map(([name, snippet]) => {
    const body = snippet.body.join('\n');
    return {
      label: snippet.prefix,
      kind: 'snippet',
      detail: name,
      documentation: snippet.description,
      insertText: body,
      plainInsertText: resolvePlaceholders(body),
      isSnippet: true,
      sortText: `9${snippet.prefix}`,
    };
  });
}
