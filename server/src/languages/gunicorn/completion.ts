// Completion for gunicorn.conf.py: setting names at statement start, hook skeletons after `def`, worker classes.

import type { ConfigModel } from './model';
import type { CompletionEntry } from '../../core/features';
import { gunicornCatalog } from './catalog';
import { isAtLeast } from '../../core/version';
import { snippetCompletions } from './snippets';
import { settingMarkdown, type FeatureContext } from './hover';
import { appSpecCompletions, type AppSpecSourceAt } from '../python/appCompletion';

export type { CompletionEntry } from '../../core/features';

export function gunicornCompletions(
  model: ConfigModel,
  offset: number,
  ctx: FeatureContext & { appSpec?: AppSpecSourceAt },
): CompletionEntry[] {
  const catalog = gunicornCatalog();
  const { line, character } = model.lines.positionAt(offset);
  const before = model.lines.lineText(line).slice(0, character);
  const available = catalog.availableIn(ctx.version);
  const assigned = new Set(model.bindings.map((b) => b.name));
  if (/^def\s+\w*$/.test(before)) {
    return available
      .filter((s) => s.hook)
      .map((s) => ({
        label: s.name,
        kind: 'hook' as const,
        detail: `(${s.hook!.params.join(', ')})`,
        documentation: settingMarkdown(s, ctx),
        insertText: `${s.name}(${s.hook!.params.join(', ')}):\n    \${0:pass}`,
        plainInsertText: `${s.name}(${s.hook!.params.join(', ')}):\n    pass`,
        isSnippet: true,
      }));
  }
  const atomPrefix = /^\s*access_log_format\s*=.*%\(([\w{}-]*)$/.exec(before);
  if (atomPrefix) {
    // Complete the atom and its closing `)s`; braced atoms get a placeholder for the header or variable name.
    return catalog.accessLogAtoms
      .filter((a) => isAtLeast(ctx.version, a.since))
      .map((a) => {
        const braced = /^\{(\w+)\}([ieo])$/.exec(a.atom);
        return {
          label: `%(${a.atom})s`,
          kind: 'value' as const,
          detail: a.description.split(/(?<=\.)\s/)[0],
          documentation: a.description,
          filterText: a.atom,
          insertText: braced ? `{\${1:${braced[1]!}}}${braced[2]!})s` : `${a.atom})s`,
          plainInsertText: `${a.atom})s`,
          isSnippet: !!braced,
        };
      });
  }
  // The app Gunicorn loads (20.1+): module names, then the module's names after the colon.
  const wsgiApp = /^\s*wsgi_app\s*=\s*(["'])([^"'\\]*)$/.exec(before);
  if (wsgiApp) {
    const source = ctx.appSpec?.(offset);
    if (!source) return [];
    const start = offset - wsgiApp[2]!.length;
    return appSpecCompletions(wsgiApp[2]!, model.lines.range(start, offset), source, ctx.version);
  }
  const workerValue = /^\s*worker_class\s*=\s*["']?[\w.]*$/.test(before);
  if (workerValue) {
    const quoted = /["'][\w.]*$/.test(before);
    return catalog.workerClasses
      .filter(
        (w) => isAtLeast(ctx.version, w.since) && !(w.removed && isAtLeast(ctx.version, w.removed.since)),
      )
      .map((w) => ({
        label: w.name,
        kind: 'value' as const,
        detail: w.className,
        documentation: w.description,
        insertText: quoted ? w.name : JSON.stringify(w.name),
        isSnippet: false,
        deprecated: !!w.deprecated,
      }));
  }
  const valueOf = /^\s*([a-z_0-9]+)\s*=\s*(["']?)[\w-]*$/.exec(before);
  const setting = valueOf ? catalog.get(valueOf[1]!) : undefined;
  if (valueOf && setting) {
    const quoted = valueOf[2] !== '';
    if (setting.choices) {
      return setting.choices.map((choice) => ({
        label: choice.value,
        kind: 'value' as const,
        documentation: choice.description,
        insertText: quoted ? choice.value : JSON.stringify(choice.value),
        isSnippet: false,
      }));
    }
    if (setting.validator === 'validate_bool' && !quoted) {
      return ['True', 'False'].map((label) => ({
        label,
        kind: 'value' as const,
        insertText: label,
        isSnippet: false,
      }));
    }
    return [];
  }
  if (/^[A-Za-z_-]*$/.test(before)) {
    const settings: CompletionEntry[] = available
      .filter((s) => !s.hook)
      .map((s) => {
        const value = s.insertValue ?? 'None';
        return {
          label: s.name,
          kind: 'setting' as const,
          detail: `${s.type} — default ${s.default}`,
          documentation: settingMarkdown(s, ctx),
          insertText: `${s.name} = \${1:${value.replace(/[$}\\]/g, '\\$&')}}`,
          plainInsertText: `${s.name} = ${value}`,
          isSnippet: true,
          deprecated: !!s.deprecated,
          sortText: `${s.deprecated ? 2 : assigned.has(s.name) ? 1 : 0}${s.name}`,
        };
      });
    return [...settings, ...snippetCompletions()];
  }
  return [];
}
