// Snippet files (VS Code's snippet JSON) turned into completion entries, so every LSP client gets the snippets.

import type { CompletionEntry } from './features';

/** One entry of a VS Code snippet file. */
export interface SnippetDefinition {
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

/** Completion entries for the snippets of a snippet file (`name` → definition), sorted after everything else. */
export function snippetEntries(definitions: Readonly<Record<string, SnippetDefinition>>): CompletionEntry[] {
  return Object.entries(definitions).map(([name, snippet]) => {
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
