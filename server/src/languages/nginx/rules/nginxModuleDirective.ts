// Rule: nginx-module-directive — a directive of a third-party module (headers-more, brotli, Lua, njs…): an error when
// the workspace's main nginx.conf evidently does not load that module, else a note naming the module and its package;
// and, like core directives, the context and argument count the module accepts.

import type { Fix } from '../../../core/findings';
import type { NginxContext } from '../catalogTypes';
import {
  accepts,
  acceptsArgs,
  baseName,
  isCoreName,
  loadModuleLine,
  nginxModuleCatalog,
  packageNote,
  type NginxModuleCatalog,
  type NginxModuleEntry,
  type NginxModuleInfo,
} from '../modules';
import type { NginxDirective } from '../parse';
import { describeArgs, describeContext, isJudged, rootIsKnown } from './genericShared';
import type { NginxRule, NginxRuleContext, NginxWorkspaceFacts } from './types';
import { nginxRuleDocsUrl } from './types';

/** In a fragment whose top level was guessed, `server`/`upstream` may sit in stream as well as in http. */
const TWINS: Partial<Record<NginxContext, readonly NginxContext[]>> = {
  server: ['stream-server'],
  'stream-server': ['server'],
  upstream: ['stream-upstream'],
  'stream-upstream': ['upstream'],
};

export const nginxModuleDirective: NginxRule = {
  meta: {
    id: 'nginx-module-directive',
    defaultSeverity: 'error',
    description:
      'A directive of a third-party module: an error when the main nginx.conf in the workspace does not load that module (or it is used where the module does not accept it), otherwise a note naming the module and its package.',
    docsUrl: nginxRuleDocsUrl('nginx-module-directive'),
  },
  check(context) {
    const { model, catalog } = context;
    let modules: NginxModuleCatalog | undefined;
    const noted = new Set<string>();
    for (const directive of model.all) {
      if (!isJudged(directive) || isCoreName(catalog, directive.name)) continue;
      // Loaded only for files that use a name core nginx does not know.
      modules ??= nginxModuleCatalog();
      const entries = modules.entriesFor(directive.name, directive.context);
      if (!entries.length) continue;
      const shapeReported = checkShape(context, directive, entries);
      const verdict = loadVerdict(modules, context.workspace, entries);
      if (verdict.kind === 'loaded') continue;
      const module = entries[0]!.module;
      if (verdict.kind === 'missing') {
        if (!shapeReported) reportMissing(context, directive, module, verdict.mainConfig);
      } else if (!noted.has(module.id)) {
        noted.add(module.id);
        context.report({
          range: context.range(directive.nameToken.span),
          severity: 'info',
          message: `"${directive.name}" comes from the ${module.title} module (${packageNote(module)}); make sure the main nginx.conf loads it (\`${loadModuleLine(module)}\`).`,
        });
      }
    }
  },
};

type Verdict = { kind: 'loaded' } | { kind: 'missing'; mainConfig: string } | { kind: 'unknown' };

/** Whether the module is evidently loaded, evidently not loaded, or nobody can tell from the workspace. */
function loadVerdict(
  modules: NginxModuleCatalog,
  workspace: NginxWorkspaceFacts,
  entries: readonly NginxModuleEntry[],
): Verdict {
  if (workspace.staticModules === 'custom') return { kind: 'unknown' };
  if (workspace.staticModules === 'openresty' && entries.some((e) => e.module.openresty)) {
    return { kind: 'loaded' };
  }
  const facts = workspace.modules;
  if (!facts) return { kind: 'unknown' };
  const files = new Set(entries.map((e) => e.module.file));
  if (facts.loaded.some((file) => files.has(file))) return { kind: 'loaded' };
  // A `.so` we do not know might provide the directive under another name; an unresolved include might load it.
  const unknownLoaded = facts.loaded.some((file) => !modules.moduleOfFile(file));
  if (facts.unresolvedIncludes || unknownLoaded) return { kind: 'unknown' };
  return { kind: 'missing', mainConfig: facts.mainConfig };
}

function reportMissing(
  context: NginxRuleContext,
  directive: NginxDirective,
  module: NginxModuleInfo,
  mainConfig: string,
): void {
  const here = mainConfig === normalise(context.path);
  const where = here ? 'this file' : baseName(mainConfig);
  const fixes: Fix[] = here
    ? [
        {
          title: `Load the ${module.title} module (${loadModuleLine(module)})`,
          edits: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              newText: `${loadModuleLine(module)}\n`,
            },
          ],
        },
      ]
    : [];
  context.report({
    range: context.range(directive.nameToken.span),
    message: `"${directive.name}" comes from the ${module.title} module, but the main configuration (${where}) has no \`${loadModuleLine(module)}\`: nginx will refuse to start (unknown directive). Add that line at its top (${packageNote(module)}).`,
    fixes,
  });
}

const normalise = (path: string): string => path.replace(/\\/g, '/');

/** Reports a module directive written where its module does not accept it, or with a wrong argument count. */
function checkShape(
  context: NginxRuleContext,
  directive: NginxDirective,
  entries: readonly NginxModuleEntry[],
): boolean {
  const { model, path, range, report } = context;
  const where = directive.context;
  if (where === null) return false;
  const known = rootIsKnown(model, path);
  // At the top of a fragment the file may be included anywhere.
  if (!known && directive.parent === null) return checkArgs(context, directive, entries);
  const inServerIf = where === 'if' && directive.parent?.context === 'server';
  const contexts = known ? [where] : [where, ...(TWINS[where] ?? [])];
  const fitting = entries.filter((e) => contexts.some((c) => accepts(e.directive, c, inServerIf)));
  if (!fitting.length) {
    const homes = [...new Set(entries.flatMap((e) => e.directive.contexts))];
    report({
      range: range(directive.nameToken.span),
      message: `"${directive.name}" (${entries[0]!.module.title} module) is not allowed in ${describeContext(where, directive)}; nginx will refuse to start.${
        homes.length ? ` It belongs in ${homes.map((c) => describeContext(c)).join(', ')}.` : ''
      }`,
    });
    return true;
  }
  return checkArgs(context, directive, fitting);
}

function checkArgs(
  context: NginxRuleContext,
  directive: NginxDirective,
  entries: readonly NginxModuleEntry[],
): boolean {
  const shaped =
    directive.end === 'missing'
      ? entries
      : entries.filter((e) => !!e.directive.block === (directive.end === '{'));
  if (!shaped.length) {
    const block = entries[0]!.directive.block;
    context.report({
      range: context.range(directive.nameToken.span),
      message: `"${directive.name}" (${entries[0]!.module.title} module) ${
        block ? 'opens a block: it needs { … }' : 'is a simple directive: it ends with ";", not a block'
      }; nginx will refuse to start.`,
    });
    return true;
  }
  const count = directive.args.length;
  if (shaped.some((e) => acceptsArgs(e.directive, count))) return false;
  const wanted = [...new Set(shaped.map((e) => describeCounts(e)))].join(' or ');
  context.report({
    range: context.range(directive.nameToken.span),
    message: `"${directive.name}" (${entries[0]!.module.title} module) takes ${wanted}, but has ${count}; nginx will refuse to start.`,
  });
  return true;
}

function describeCounts(entry: NginxModuleEntry): string {
  const counts = entry.directive.args.counts;
  return counts ? `${counts.join(' or ')} arguments` : describeArgs(entry.directive.args);
}
