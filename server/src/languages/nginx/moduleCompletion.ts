// Completion entries for third-party module directives: ranked with the core ones when the workspace evidently loads
// the module (its load_module line, or an OpenResty build for OpenResty's modules), else lower and labelled with the
// module, so a user of a stock nginx is not steered to directives it would reject.

import type { CompletionEntry } from '../../core/features';
import { nginxCatalog } from './catalog';
import type { NginxContext } from './catalogTypes';
import {
  accepts,
  evidentlyLoaded,
  isCoreName,
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

/**
 * The module directives accepted in `context` whose names core nginx does not know (a module never shadows a core
 * directive), one list per context and set of evidently loaded modules.
 */
export function moduleDirectiveEntries(
  context: NginxContext,
  inServerIf: boolean,
  workspace: NginxWorkspaceFacts,
): CompletionEntry[] {
  const modules = nginxModuleCatalog().modules;
  const loaded = modules.filter((m) => evidentlyLoaded(m, workspace));
  const key = `${context} ${inServerIf} ${loaded.map((m) => m.id).join(',')}`;
  let out = memo.get(key);
  if (out) return out;
  out = [];
  const seen = new Set<string>();
  for (const module of modules) {
    const isLoaded = loaded.includes(module);
    const detail = `${module.title} module${isLoaded ? '' : ', if loaded'}`;
    for (const directive of module.directives) {
      if (!accepts(directive, context, inServerIf) || seen.has(directive.name)) continue;
      if (isCoreName(nginxCatalog(), directive.name)) continue;
      seen.add(directive.name);
      const insert = insertOf(directive);
      out.push({
        label: directive.name,
        kind: 'directive',
        detail,
        describe: () => ({ detail, documentation: moduleDirectiveMarkdown([{ module, directive }]) }),
        insertText: insert.snippet,
        plainInsertText: insert.plain,
        isSnippet: true,
        // After every core directive when the module is not known to be loaded.
        sortText: `${isLoaded ? '1' : '8'}${directive.name}`,
      });
    }
  }
  // A handful of keys at most per session (contexts x the workspace's loaded set); bound it anyway.
  if (memo.size > 200) memo.clear();
  memo.set(key, out);
  return out;
}
