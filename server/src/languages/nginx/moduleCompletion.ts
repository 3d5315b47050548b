// Completion entries for third-party module directives: ranked with the core ones when the workspace evidently loads
// the module (its load_module line, or an OpenResty build for OpenResty's modules), else lower and labelled with the
// module, so a user of a stock nginx is not steered to directives it would reject.

import type { CompletionEntry } from '../../core/features';
import type { NginxContext } from './catalogTypes';
import {
  accepts,
  evidentlyLoaded,
  moduleDirectiveMarkdown,
  nginxModuleCatalog,
  type NginxModuleDirective,
} from './modules';
import type { NginxWorkspaceFacts } from './rules/types';

function insertOf(directive: NginxModuleDirective): { snippet: string; plain: string } {
  const { name, args } = directive;
  if (directive.block) {
    const head = args.max === 0 ? name : `${name} $1`;
    return { snippet: `${head} {\n\t$0\n}`, plain: `${name} {\n\t\n}` };
  }
  if (args.flag) return { snippet: `${name} \${1|on,off|};`, plain: `${name} on;` };
  if (args.max === 0) return { snippet: `${name};`, plain: `${name};` };
  return { snippet: `${name} $1;`, plain: `${name} ;` };
}

const memo = new Map<string, CompletionEntry[]>();

/** The module directives accepted in `context`, minus names core nginx already offers there. */
export function moduleDirectiveEntries(
  context: NginxContext,
  inServerIf: boolean,
  workspace: NginxWorkspaceFacts,
  coreNames: ReadonlySet<string>,
): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const seen = new Set<string>();
  for (const module of nginxModuleCatalog().modules) {
    const loaded = evidentlyLoaded(module, workspace);
    const key = `${context} ${inServerIf} ${loaded} ${module.id}`;
    let entries = memo.get(key);
    if (!entries) {
      entries = module.directives
        .filter((d) => accepts(d, context, inServerIf))
        .map((directive) => {
          const insert = insertOf(directive);
          const label = `${module.title} module${loaded ? '' : ', if loaded'}`;
          return {
            label: directive.name,
            kind: 'directive' as const,
            detail: label,
            describe: () => ({
              detail: label,
              documentation: moduleDirectiveMarkdown([{ module, directive }]),
            }),
            insertText: insert.snippet,
            plainInsertText: insert.plain,
            isSnippet: true,
            // After every core directive when the module is not known to be loaded.
            sortText: `${loaded ? '1' : '8'}${directive.name}`,
          };
        });
      memo.set(key, entries);
    }
    for (const entry of entries) {
      if (coreNames.has(entry.label) || seen.has(entry.label)) continue;
      seen.add(entry.label);
      out.push(entry);
    }
  }
  return out;
}
