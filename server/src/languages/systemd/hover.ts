// Hover for systemd unit files: directive keys, section headers, enumerated values, and Gunicorn command lines.

import type { HoverResult } from '../../core/features';
import { checkedAgainst, PIN_ADVICE } from '../../core/assumedVersion';
import type { Version } from '../../core/version';
import { gunicornCatalog } from '../gunicorn/catalog';
import { findGunicornInvocation, type GunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, type Token } from '../gunicorn/commandWords';
import { settingMarkdown } from '../gunicorn/hover';
import type { Span } from '../gunicorn/model';
import { systemdCatalog, type UnitType } from './catalog';
import type { DirectiveInfo, DirectiveType, SystemdSection } from './catalogTypes';
import { directiveAt, valueOffsetAt, type Directive, type Section, type UnitModel } from './parse';
import { booleanValue, isBoolean } from './values';
import { versionLines } from './versionHover';
import type { SystemdTarget } from './version';

export interface UnitFeatureContext {
  /** From the file name (`app.service`, `app.service.d/override.conf`); undefined when unknown. */
  unitType: UnitType | undefined;
  /** The Gunicorn version command lines are read against, and how it was chosen. */
  gunicornVersion: Version;
  versionLabel: string;
  /** True when no pin and no setting gave the version: hovers say how to pin one. */
  versionAssumed?: boolean;
  /** The systemd release unit files are judged against; the newest catalogued one, assumed, when not given. */
  systemd?: SystemdTarget;
}

export type { HoverResult } from '../../core/features';

const TYPE_WORDS: Record<DirectiveType, string> = {
  bool: 'a boolean: `yes` or `no` (`true`/`false`, `on`/`off`, `1`/`0` also work)',
  timespan: 'a time span such as `30s`, `5min 20s` or `infinity` (a bare number is seconds)',
  calendar: 'a calendar expression such as `daily`, `weekly` or `Mon..Fri *-*-* 04:00:00`',
  enum: 'one of a fixed set of words',
  mode: 'an octal access mode such as `0644`',
  path: 'an absolute path',
  paths: 'absolute paths separated by spaces',
  command: 'a command line, run without a shell (optionally with exec prefixes)',
  unit: 'a unit name such as `app.socket`',
  units: 'unit names separated by spaces, such as `network-online.target`',
  size: 'a size in bytes with an optional K, M, G or T suffix (base 1024), a percentage, or `infinity`',
  limit: 'a resource limit `SOFT[:HARD]`, each a number or `infinity`',
  int: 'a whole number',
  signal: 'a signal name such as `SIGTERM` or `SIGHUP`, or a signal number',
  user: 'a user or group name, or a numeric id',
  string: 'free text',
  strings: 'words separated by spaces',
  listen: 'a socket address: a port, `ADDRESS:PORT`, `[IPv6]:PORT`, or an absolute socket path',
  env: '`KEY=VALUE` assignments separated by spaces (quote an assignment that contains spaces)',
  envfile: 'the path of an environment file; a leading `-` ignores a missing file',
  percent: 'a percentage such as `50%`',
  weight: 'a weight from 1 to 10000',
  nice: 'a nice level from -20 (most favoured) to 19',
  cpuset: 'CPU or NUMA node indices and ranges, such as `0-3 6`',
  condition:
    'a check that must hold for the unit to start; prefix `!` to negate it, `|` to make it one of several',
};

const code = (text: string): string => `\`${text}\``;

/** Human words for a directive's value, enum values spelled out. */
export function valueWords(info: DirectiveInfo): string {
  if (info.type !== 'enum') return TYPE_WORDS[info.type];
  const deprecated = new Set((info.deprecatedValues ?? []).map((d) => d.value));
  const values = (info.values ?? []).map((v) => `${code(v)}${deprecated.has(v) ? ' (deprecated)' : ''}`);
  for (const [value, since] of Object.entries(info.valuesSince ?? {})) {
    if (!info.values?.includes(value)) values.push(`${code(value)} (systemd ${since}+)`);
  }
  return `one of ${values.join(', ')}${info.acceptsBool ? ', or a boolean' : ''}`;
}

/**
 * The markdown that documents a directive (also used by completion). `section` is where the key is written, when
 * known: it decides which entry applies and whether to warn that the key does not belong there.
 */
export function directiveMarkdown(
  info: DirectiveInfo,
  section: string | undefined,
  ctx: Pick<UnitFeatureContext, 'unitType' | 'systemd'>,
): string {
  const catalog = systemdCatalog();
  const entries = catalog.entries(info.name);
  const homes = [...new Set(entries.flatMap((e) => e.sections))];
  const where = section && info.sections.includes(section as SystemdSection) ? info.sections : homes;
  const lines = [`**${info.name}=** — ${where.map((s) => `[${s}]`).join(', ')} · ${info.man}`, ''];
  const warnings: string[] = [];
  if (section !== undefined && !catalog.directive(info.name, section)) {
    const allowed = new Set(catalog.sectionsFor(ctx.unitType).map((s) => s.name as string));
    const targets = homes.filter((s) => allowed.has(s));
    warnings.push(
      `⚠ Not valid in [${section}]: systemd ignores it there. ${
        targets.length
          ? `It belongs in [${targets.join('], [')}].`
          : `It belongs in [${homes.join('], [')}]${ctx.unitType ? `, which a .${ctx.unitType} unit does not have` : ''}.`
      }`,
    );
  }
  if (info.deprecated) warnings.push(deprecationLine(info.deprecated, 'Deprecated', true));
  const deprecatedHere = info.deprecatedIn?.find((d) => d.section === section);
  if (deprecatedHere) {
    const label = `Deprecated in [${deprecatedHere.section}]`;
    if (deprecatedHere.replacement === info.name) {
      // The same key, documented in another section (StartLimitBurst= moved from [Service] to [Unit]).
      const others = info.sections.filter((s) => s !== deprecatedHere.section);
      const move = others.length ? ` Move it to [${others.join('], [')}].` : '';
      warnings.push(`⚠ ${label}: ${deprecatedHere.message}${move}`);
    } else {
      warnings.push(deprecationLine(deprecatedHere, label, true));
    }
  }
  if (section && info.ignoredIn?.includes(section as SystemdSection)) {
    warnings.push(`⚠ Accepted in [${section}] but not supported for this unit type: systemd ignores it.`);
  }
  const version = versionLines(info, section, ctx.systemd);
  if (version.warning) warnings.push(version.warning);
  for (const warning of warnings) lines.push(warning, '');
  lines.push(info.doc, '');
  lines.push(`- Value: ${valueWords(info)}`);
  if (info.type === 'command' && info.prefixes?.length) {
    lines.push(`- Exec prefixes: ${info.prefixes.map(code).join(', ')}`);
  }
  if (info.type !== 'enum' && info.values?.length) {
    const shown = info.values.slice(0, 12).map(code).join(', ');
    lines.push(`- Well-known values: ${shown}${info.values.length > 12 ? ', …' : ''}`);
  }
  if (info.list) {
    lines.push(`- May be repeated; the values add up, and an empty \`${info.name}=\` resets the list.`);
  }
  if (info.aliasOf) lines.push(`- Undocumented alias of \`${info.aliasOf}=\`; prefer that name.`);
  lines.push(...version.facts);
  if (info.example) lines.push(`- Example: \`${info.name}=${info.example}\``);
  lines.push('', `[${info.man}](${catalog.docsUrl(info)})`);
  return lines.join('\n');
}

function deprecationLine(
  deprecation: { message: string; replacement?: string },
  label: string,
  replacementIsKey = false,
): string {
  const { message, replacement } = deprecation;
  // Messages often say "Deprecated…" and name what to use instead themselves.
  const head = /^deprecated\b/i.test(message) ? '⚠' : `⚠ ${label}:`;
  if (!replacement || message.includes(replacement) || /\binstead\b/.test(message)) {
    return `${head} ${message}`;
  }
  const instead = replacementIsKey && /^[A-Za-z]+$/.test(replacement) ? `${replacement}=` : replacement;
  return `${head} ${message} Use \`${instead}\` instead.`;
}

/** The markdown that documents a section header (also used by completion). */
export function sectionMarkdown(name: string, ctx: Pick<UnitFeatureContext, 'unitType'>): string | undefined {
  const info = systemdCatalog().section(name);
  if (!info) return undefined;
  const lines = [
    `**[${info.name}]** — section`,
    '',
    info.doc,
    '',
    `Used in ${info.unitTypes.map(code).join(', ')} units.`,
  ];
  if (ctx.unitType && !info.unitTypes.includes(`.${ctx.unitType}`)) {
    lines.push('', `⚠ Not valid in a .${ctx.unitType} unit: systemd ignores this section there.`);
  }
  return lines.join('\n');
}

/** The directive entry that applies to `directive` where it is written (or its first entry when misplaced). */
export function directiveInfoFor(directive: Directive): DirectiveInfo | undefined {
  const catalog = systemdCatalog();
  const section = directive.section?.name;
  return (
    (section !== undefined ? catalog.directive(directive.key, section) : undefined) ??
    catalog.entries(directive.key)[0]
  );
}

export function systemdHover(model: UnitModel, offset: number, ctx: UnitFeatureContext): HoverResult | null {
  const range = (span: Span) => model.lines.range(span.from, span.to);
  const header = model.sections.find((s) => offset >= s.headerSpan.from && offset <= s.headerSpan.to);
  if (header) return sectionHover(header, ctx, range);
  const directive = directiveAt(model, offset);
  if (!directive || directive.key === '') return null;
  if (offset >= directive.keySpan.from && offset <= directive.keySpan.to) {
    const info = directiveInfoFor(directive);
    if (!info) return null;
    return {
      markdown: directiveMarkdown(info, directive.section?.name, ctx),
      range: range(directive.keySpan),
    };
  }
  if (offset < directive.valueSpan.from || offset > directive.valueSpan.to) return null;
  const info = directiveInfoFor(directive);
  if (!info) return null;
  if (info.type === 'command') return commandHover(model, directive, offset, ctx);
  if (info.type === 'enum') return enumValueHover(model, directive, info, offset);
  return null;
}

function sectionHover(
  section: Section,
  ctx: UnitFeatureContext,
  range: (span: Span) => HoverResult['range'],
): HoverResult | null {
  const markdown = sectionMarkdown(section.name, ctx);
  if (markdown) return { markdown, range: range(section.headerSpan) };
  if (/^X-/.test(section.name)) {
    return {
      markdown: `**[${section.name}]** — extension section\n\nsystemd ignores sections whose name starts with \`X-\`; other tools may read them.`,
      range: range(section.headerSpan),
    };
  }
  return null;
}

/** Document span of value characters [from, to) of a directive. */
function valueRange(directive: Directive, from: number, to: number): Span {
  const start = valueOffsetAt(directive, from) ?? directive.valueSpan.to;
  const end = to > from ? (valueOffsetAt(directive, to - 1) ?? start) + 1 : start;
  return { from: start, to: end };
}

/** The whitespace-separated word of the value under `offset`, with its document span. */
function valueWordAt(directive: Directive, offset: number): { word: string; span: Span } | undefined {
  for (const match of directive.value.matchAll(/\S+/g)) {
    const span = valueRange(directive, match.index, match.index + match[0].length);
    if (offset >= span.from && offset <= span.to) return { word: match[0], span };
  }
  return undefined;
}

function enumValueHover(
  model: UnitModel,
  directive: Directive,
  info: DirectiveInfo,
  offset: number,
): HoverResult | null {
  const found = valueWordAt(directive, offset);
  if (!found) return null;
  const { word, span } = found;
  const key = code(`${info.name}=`);
  const lines: string[] = [];
  const deprecated = info.deprecatedValues?.find((d) => d.value === word);
  const since = info.valuesSince?.[word];
  if (info.values?.includes(word) || since !== undefined) {
    lines.push(`**${word}** — a value of ${key}`);
    if (since !== undefined) lines.push('', `Since systemd ${since}; older versions reject it.`);
  } else if (info.acceptsBool && isBoolean(word)) {
    lines.push(`**${word}** — the boolean ${booleanValue(word) ? '`yes`' : '`no`'} for ${key}`);
  } else {
    lines.push(`**${word}** — not a value ${key} accepts; systemd ignores the assignment.`);
  }
  if (deprecated) lines.push('', deprecationLine(deprecated, 'Deprecated value'));
  lines.push('', `${key} takes ${valueWords(info)}.`);
  return { markdown: lines.join('\n'), range: model.lines.range(span.from, span.to) };
}

/** A command line token mapped to its document span. */
interface PlacedToken {
  token: Token;
  span: Span;
}

/** The Gunicorn invocations in a command directive's value, read against the target version. */
export function gunicornInvocationsIn(directive: Directive, version: Version): GunicornInvocation[] {
  return splitCommands(directive.value, 0, 'systemd')
    .map((command) => findGunicornInvocation(command, { version }))
    .filter((found): found is GunicornInvocation => found !== undefined);
}

function commandHover(
  model: UnitModel,
  directive: Directive,
  offset: number,
  ctx: UnitFeatureContext,
): HoverResult | null {
  const place = (token: Token): PlacedToken => ({ token, span: valueRange(directive, token.from, token.to) });
  const within = (span: Span) => offset >= span.from && offset <= span.to;
  const range = (span: Span) => model.lines.range(span.from, span.to);
  const catalog = gunicornCatalog();
  for (const invocation of gunicornInvocationsIn(directive, ctx.gunicornVersion)) {
    const launcher = place(invocation.launcher);
    if (within(launcher.span)) {
      const how = invocation.interpreter
        ? ` (\`${invocation.interpreter.text} -m ${invocation.launcher.text}\`)`
        : '';
      return {
        markdown: [
          `**${invocation.launcher.text}** — recognised as Gunicorn`,
          '',
          `This command starts Gunicorn${how}: its options and app are checked against Gunicorn ${ctx.versionLabel}.`,
          '',
          ctx.versionAssumed
            ? PIN_ADVICE
            : 'Set `gunicornConfig.gunicornVersion` (or pin gunicorn in the workspace) to check against another version.',
        ].join('\n'),
        range: range(launcher.span),
      };
    }
    for (const option of invocation.options) {
      const flag = place(option.flagToken);
      const value =
        option.valueFrom !== undefined && option.valueTo !== undefined
          ? valueRange(directive, option.valueFrom, option.valueTo)
          : undefined;
      const onFlag = within(flag.span);
      if (!onFlag && !(value && within(value))) continue;
      const setting = option.setting ? catalog.get(option.setting) : undefined;
      const hoverSpan = onFlag ? flag.span : value!;
      if (setting) {
        return {
          markdown: settingMarkdown(setting, {
            version: ctx.gunicornVersion,
            versionLabel: ctx.versionLabel,
            ...(ctx.versionAssumed ? { versionAssumed: true } : {}),
          }),
          range: range(hoverSpan),
        };
      }
      if (option.problem?.kind === 'unknown' || option.problem?.kind === 'ambiguous') {
        return {
          markdown: `**${option.flag}** — not an option of Gunicorn ${ctx.versionLabel}.`,
          range: range(hoverSpan),
        };
      }
      return null;
    }
    for (const positional of invocation.positionals) {
      const placed = place(positional);
      if (!within(placed.span)) continue;
      return {
        markdown: `**${positional.text}** — the application Gunicorn loads, as \`MODULE:VARIABLE\` (a dotted module path, no \`.py\`).\n\n${checkedAgainst(ctx.versionLabel, ctx.versionAssumed)}`,
        range: range(placed.span),
      };
    }
  }
  return null;
}
