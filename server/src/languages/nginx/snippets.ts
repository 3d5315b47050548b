// The nginx snippets of snippets/nginx.json as completion entries, offered where nginx accepts their directives.

import snippets from '../../../../snippets/nginx.json';
import type { CompletionEntry } from '../../core/features';
import { snippetEntries, type SnippetDefinition } from '../../core/snippets';
import { nginxCatalog } from './catalog';
import type { NginxContext } from './catalogTypes';

/** Snippets are about HTTP proxying to Gunicorn: only these contexts are considered. */
const SNIPPET_CONTEXTS: readonly NginxContext[] = ['http', 'server', 'location'];

/** The names of the directives a snippet body writes at its own top level (lines that are not indented). */
function topLevelNames(body: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of body) {
    const match = /^([A-Za-z_][\w-]*)/.exec(line);
    if (match) names.push(match[1]!);
  }
  return names;
}

let memo: Map<NginxContext, CompletionEntry[]> | undefined;

function build(): Map<NginxContext, CompletionEntry[]> {
  const catalog = nginxCatalog();
  const definitions = snippets as Record<string, SnippetDefinition>;
  const byContext = new Map<NginxContext, CompletionEntry[]>();
  for (const context of SNIPPET_CONTEXTS) {
    const fitting = Object.fromEntries(
      Object.entries(definitions).filter(([, snippet]) => {
        const names = topLevelNames(snippet.body);
        return names.length > 0 && names.every((name) => catalog.directive(name, context));
      }),
    );
    byContext.set(
      context,
      snippetEntries(fitting).map((entry) => ({
        ...entry,
        // Snippet escapes (`\$host`) mean a literal `$` for clients that insert the plain text.
        plainInsertText: (entry.plainInsertText ?? entry.insertText).replace(/\\([$}\\])/g, '$1'),
      })),
    );
  }
  return byContext;
}

/** Snippets whose directives nginx accepts in `context` (none outside http, server and location). */
export function nginxSnippetEntries(context: NginxContext | null): CompletionEntry[] {
  memo ??= build();
  return context ? [...(memo.get(context) ?? [])] : [];
}
