// Hover for gunicorn.conf.py: setting and hook names, worker class values, enumerated values, access-log atoms.

import type { ConfigModel } from './model';
import type { SettingInfo } from './catalogTypes';
import { workerPackageLine } from '../packages/workerPackages';
import { gunicornCatalog } from './catalog';
import type { Version } from '../../core/version';
import type { HoverResult } from '../../core/features';
import { BoundedMemo } from '../../core/memo';
import { checkedAgainst } from '../../core/assumedVersion';

export interface FeatureContext {
  version: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the version: hovers say how to pin one. */
  versionAssumed?: boolean;
}

export type { HoverResult } from '../../core/features';

/** Documentation by version and setting: completion lists ask for every setting's text on every request. */
const markdownMemo = new BoundedMemo<string>();

/** The markdown that documents a setting or hook (also used by completion). */
export function settingMarkdown(setting: SettingInfo, ctx: FeatureContext): string {
  return markdownMemo.get(
    `${ctx.version.join('.')}|${ctx.versionLabel}|${ctx.versionAssumed ? 1 : 0}|${setting.name}`,
    () => buildSettingMarkdown(setting, ctx),
  );
}

function buildSettingMarkdown(setting: SettingInfo, ctx: FeatureContext): string {
  const catalog = gunicornCatalog();
  const lines = [
    `**${setting.name}** — ${setting.kind === 'hook' ? 'server hook' : 'setting'} (${setting.section})`,
    '',
    setting.description,
    '',
  ];
  if (setting.hook) lines.push(`\`def ${setting.name}(${setting.hook.params.join(', ')})\``, '');
  else lines.push(`- Type: ${setting.type}`, `- Default: \`${setting.default}\``);
  if (setting.cli.length) lines.push(`- Command line: ${setting.cli.map((c) => `\`${c}\``).join(', ')}`);
  if (setting.envVars.length) {
    lines.push(`- Environment: ${setting.envVars.map((e) => `\`${e}\``).join(', ')}`);
  }
  lines.push(`- Since: ${setting.since}`);
  if (setting.deprecated) {
    lines.push(
      `- Deprecated${setting.deprecated.since ? ` since ${setting.deprecated.since}` : ''}: ${setting.deprecated.message}`,
    );
  }
  if (setting.removed) lines.push(`- Removed in ${setting.removed.since}`);
  const availability = catalog.availability(setting, ctx.version);
  if (availability === 'not-yet') lines.push('', `⚠ Not in Gunicorn ${ctx.versionLabel}.`);
  if (availability === 'removed') lines.push('', `⚠ Removed before Gunicorn ${ctx.versionLabel}.`);
  lines.push(
    '',
    `${checkedAgainst(ctx.versionLabel, ctx.versionAssumed)} [Gunicorn docs](${setting.docsUrl})`,
  );
  return lines.join('\n');
}

export function gunicornHover(model: ConfigModel, offset: number, ctx: FeatureContext): HoverResult | null {
  const catalog = gunicornCatalog();
  for (const binding of model.bindings) {
    const range = model.lines.range(binding.nameSpan.from, binding.nameSpan.to);
    if (offset >= binding.nameSpan.from && offset <= binding.nameSpan.to) {
      const setting = catalog.get(binding.name);
      return setting ? { markdown: settingMarkdown(setting, ctx), range } : null;
    }
    const value = binding.value;
    if (value.kind !== 'str' || offset < value.span.from || offset > value.span.to) continue;
    const valueRange = model.lines.range(value.span.from, value.span.to);
    if (binding.name === 'access_log_format') return logAtomHover(model, value.span, offset, ctx);
    const choice = catalog.get(binding.name)?.choices?.find((c) => c.value === value.value);
    if (choice && binding.name !== 'worker_class') {
      return {
        markdown: `**${choice.value}** — a value of \`${binding.name}\`\n\n${choice.description}\n\n${checkedAgainst(ctx.versionLabel, ctx.versionAssumed)}`,
        range: valueRange,
      };
    }
    if (binding.name === 'worker_class') {
      const worker = catalog.workerClass(value.value);
      const needs = workerPackageLine(value.value, ctx.version);
      if (!worker) {
        // A class of another project (aiohttp's, meinheld's): which package provides it is still worth saying.
        return needs
          ? { markdown: `**${value.value}** — worker class\n\n${needs}`, range: valueRange }
          : null;
      }
      const parts = [`**${worker.name}** — worker class \`${worker.className}\``, '', worker.description];
      if (needs) parts.push('', needs);
      else if (worker.requires) parts.push('', `Requires the \`${worker.requires}\` package.`);
      if (worker.deprecated) parts.push('', `Deprecated: ${worker.deprecated.message}`);
      parts.push('', checkedAgainst(ctx.versionLabel, ctx.versionAssumed));
      return { markdown: parts.join('\n'), range: valueRange };
    }
  }
  return null;
}

/** The `%(x)s` atom under the cursor inside an access_log_format literal, found in the source text. */
function logAtomHover(
  model: ConfigModel,
  span: { from: number; to: number },
  offset: number,
  ctx: FeatureContext,
): HoverResult | null {
  const source = model.text.slice(span.from, span.to);
  for (const match of source.matchAll(/%\(([^)]*)\)s/g)) {
    const from = span.from + match.index;
    const to = from + match[0].length;
    if (offset < from || offset > to) continue;
    const atom = gunicornCatalog().logAtom(match[1]!);
    const markdown = atom
      ? `**%(${match[1]!})s** — access-log atom\n\n${atom.description}${atom.since ? `\n\nSince Gunicorn ${atom.since}.` : ''}`
      : `**%(${match[1]!})s** — not an atom Gunicorn knows; it logs \`-\` there.`;
    return {
      markdown: `${markdown}\n\n${checkedAgainst(ctx.versionLabel, ctx.versionAssumed)}`,
      range: model.lines.range(from, to),
    };
  }
  return null;
}
