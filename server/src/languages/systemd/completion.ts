// Completion for systemd unit files: section headers, directives per section, values per type, Gunicorn flags in
// ExecStart= command lines, and the unit snippets of snippets/systemd.json.

import snippets from '../../../../snippets/systemd.json';
import type { CompletionEntry } from '../../core/features';
import { gunicornCatalog } from '../gunicorn/catalog';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands } from '../gunicorn/commandWords';
import {
  appSpecCompletions,
  isAppSpecPosition,
  wordTextStart,
  type AppSpecSourceAt,
} from '../python/appCompletion';
import { settingMarkdown } from '../gunicorn/hover';
import { snippetEntries, type SnippetDefinition } from '../../core/snippets';
import { systemdCatalog } from './catalog';
import type { DirectiveInfo } from './catalogTypes';
import { directiveInfoFor, directiveMarkdown, sectionMarkdown, type UnitFeatureContext } from './hover';
import { sectionAt, valueOffsetAt, type Directive, type Section, type UnitModel } from './parse';
import { readBy } from './availability';
import { resolveSystemdVersion } from './version';

export type { CompletionEntry } from '../../core/features';

export type UnitCompletionContext = UnitFeatureContext & {
  workspaceUnits?: ReadonlySet<string>;
  /** The modules the launch at a position can import, for completing its app spec. */
  appSpec?: AppSpecSourceAt;
};

/** Targets most units order themselves after or get pulled in by. */
const COMMON_TARGETS = [
  'multi-user.target',
  'network-online.target',
  'network.target',
  'sockets.target',
  'timers.target',
  'default.target',
  'graphical.target',
  'basic.target',
  'sysinit.target',
  'local-fs.target',
  'remote-fs.target',
  'nss-lookup.target',
  'time-sync.target',
  'paths.target',
];

/** Signals worth offering, with what a Gunicorn master does on each. */
const SIGNALS: [string, string][] = [
  [
    'SIGTERM',
    'Terminate. Gunicorn: graceful shutdown (workers finish their requests within `graceful_timeout`).',
  ],
  ['SIGINT', 'Interrupt. Gunicorn: quick shutdown.'],
  ['SIGQUIT', 'Quit. Gunicorn: quick shutdown.'],
  ['SIGHUP', 'Hang-up. Gunicorn: reload the configuration and replace the workers gracefully.'],
  ['SIGKILL', 'Kill at once; cannot be caught.'],
  ['SIGUSR1', 'User signal 1. Gunicorn: reopen the log files.'],
  ['SIGUSR2', 'User signal 2. Gunicorn: upgrade the binary on the fly (a new master is started).'],
  ['SIGWINCH', 'Window change. Gunicorn: stop the workers gracefully when daemonized.'],
  ['SIGTTIN', 'Gunicorn: add one worker.'],
  ['SIGTTOU', 'Gunicorn: remove one worker.'],
  ['SIGCONT', 'Continue a stopped process.'],
  ['SIGSTOP', 'Stop (pause) the process; cannot be caught.'],
  ['SIGABRT', 'Abort; usually leaves a core dump.'],
  ['SIGALRM', 'Timer alarm.'],
];

/** Snippets whose body is a whole unit (starts with a section header) or a fragment for [Service]. */
function unitSnippets(whole: boolean): CompletionEntry[] {
  const definitions = snippets as Record<string, SnippetDefinition>;
  return snippetEntries(
    Object.fromEntries(
      Object.entries(definitions).filter(([, snippet]) => (snippet.body[0] ?? '').startsWith('[') === whole),
    ),
  );
}

export function systemdCompletions(
  model: UnitModel,
  offset: number,
  ctx: UnitCompletionContext,
): CompletionEntry[] {
  const { line, character } = model.lines.positionAt(offset);
  const lineText = model.lines.lineText(line);
  let before = lineText.slice(0, character);
  const after = lineText.slice(character);
  if (line === 0 && before.startsWith('\uFEFF')) before = before.slice(1);
  const continued = continuedDirective(model, line);
  if (continued) return valueCompletions(model, continued, offset, ctx);
  const typed = before.trimStart();
  if (typed.startsWith('#') || typed.startsWith(';')) return [];
  if (typed.startsWith('[')) {
    return /^\[[\w-]*$/.test(typed) ? sectionCompletions(model, ctx, true, after.startsWith(']')) : [];
  }
  if (typed.includes('=')) {
    const directive = model.directives.find((d) => d.line === line);
    if (!directive || offset <= directive.keySpan.to) return [];
    return valueCompletions(model, directive, offset, ctx);
  }
  if (!/^[A-Za-z][\w-]*$|^$/.test(typed)) return [];
  const result: CompletionEntry[] = [];
  if (model.sections.length === 0 && model.directives.length === 0) result.push(...unitSnippets(true));
  const section = sectionAt(model, offset);
  if (section) {
    // With `Exec|Start=…` the rest of the key and its value are already there: insert the key alone.
    const keyOnly = /^[\w-]*\s*=/.test(after);
    result.push(...directiveCompletions(section, ctx, keyOnly));
    if (section.name === 'Service' && !keyOnly) result.push(...unitSnippets(false));
  }
  result.push(...sectionCompletions(model, ctx, false, false));
  return result;
}

/** The directive whose value continues (trailing backslash) onto `line`, when `line` is not its first line. */
function continuedDirective(model: UnitModel, line: number): Directive | undefined {
  let owner: Directive | undefined;
  for (const directive of model.directives) {
    if (directive.line < line) owner = directive;
    else break;
  }
  if (!owner) return undefined;
  const { lines } = model;
  let current = owner.line;
  // Follow continuations the way the parser does: comment lines inside a continued value are skipped.
  while (/\\\s*$/.test(lines.lineText(current)) && current + 1 < lines.lineCount) {
    current++;
    while (current < lines.lineCount - 1 && /^\s*[#;]/.test(lines.lineText(current))) current++;
    if (current >= line) break;
  }
  return line <= current && !/^\s*[#;]/.test(lines.lineText(line)) ? owner : undefined;
}

function sectionCompletions(
  model: UnitModel,
  ctx: UnitCompletionContext,
  bracketTyped: boolean,
  closeTyped: boolean,
): CompletionEntry[] {
  const present = new Set(model.sections.map((s) => s.name));
  const order = (name: string) => (name === 'Unit' ? 0 : name === 'Install' ? 2 : 1);
  return systemdCatalog()
    .sectionsFor(ctx.unitType)
    .map((info) => ({
      label: `[${info.name}]`,
      kind: 'section' as const,
      detail: info.unitTypes.join(' '),
      documentation: sectionMarkdown(info.name, ctx) ?? info.doc,
      insertText: bracketTyped ? `${info.name}${closeTyped ? '' : ']'}` : `[${info.name}]`,
      isSnippet: false,
      filterText: info.name,
      sortText: `${bracketTyped ? '' : '5'}${present.has(info.name) ? 1 : 0}${order(info.name)}${info.name}`,
    }));
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/** The directive entries of a section before ranking, built once per section, form and unit type. */
const directiveEntryCache = new Map<string, { info: DirectiveInfo; entry: CompletionEntry }[]>();

function directiveEntries(
  section: string,
  ctx: UnitCompletionContext,
  keyOnly: boolean,
): { info: DirectiveInfo; entry: CompletionEntry }[] {
  const target = ctx.systemd ?? resolveSystemdVersion('auto');
  const key = `${section}|${keyOnly}|${ctx.unitType ?? ''}|${target.version}|${target.label}`;
  const cached = directiveEntryCache.get(key);
  if (cached) return cached;
  const seen = new Set<string>();
  const entries: { info: DirectiveInfo; entry: CompletionEntry }[] = [];
  for (const info of systemdCatalog().directivesIn(section)) {
    if (info.aliasOf || seen.has(info.name)) continue;
    // Only what the target release reads (a range the sources leave open is offered).
    if (!readBy(info, section, target.version)) continue;
    seen.add(info.name);
    // Deprecated or ignored here sorts last; per request only a key already assigned in the section moves (rank 1).
    const deprecated = !!info.deprecated || !!info.deprecatedIn?.some((d) => d.section === section);
    const ignored = !!info.ignoredIn?.includes(section as DirectiveInfo['sections'][number]);
    entries.push({
      info,
      entry: {
        label: info.name,
        kind: 'directive',
        deprecated,
        sortText: `${deprecated || ignored ? 2 : 0}${info.name}`,
        describe: () => ({
          detail: directiveDetail(info),
          documentation: directiveMarkdown(info, section, { ...ctx, systemd: target }),
        }),
        insertText: keyOnly ? info.name : `${info.name}=\${1:${escapeSnippet(info.example)}}`,
        plainInsertText: keyOnly ? info.name : `${info.name}=`,
        isSnippet: !keyOnly,
      },
    });
  }
  // A handful of sections × two forms × unit types: small, and bounded anyway.
  if (directiveEntryCache.size > 64) directiveEntryCache.clear();
  directiveEntryCache.set(key, entries);
  return entries;
}

function directiveCompletions(
  section: Section,
  ctx: UnitCompletionContext,
  keyOnly: boolean,
): CompletionEntry[] {
  const assigned = new Set(section.directives.map((d) => d.key));
  // Entries are shared across requests: only the few keys already assigned get a copy with their own rank.
  return directiveEntries(section.name, ctx, keyOnly).map(({ info, entry }) =>
    entry.sortText?.startsWith('0') && assigned.has(info.name) && !info.list
      ? { ...entry, sortText: `1${info.name}` }
      : entry,
  );
}

function directiveDetail(info: DirectiveInfo): string {
  if (info.type === 'enum' && info.values) {
    const values = info.values.join(' | ');
    return values.length > 60 ? `${values.slice(0, 57)}…` : values;
  }
  return info.list ? `${info.type} (list)` : info.type;
}

function valueEntry(label: string, extra: Partial<CompletionEntry> = {}): CompletionEntry {
  return { label, kind: 'value', insertText: label, isSnippet: false, ...extra };
}

function valueCompletions(
  model: UnitModel,
  directive: Directive,
  offset: number,
  ctx: UnitCompletionContext,
): CompletionEntry[] {
  const info = directiveInfoFor(directive);
  if (!info) return [];
  const key = `${info.name}=`;
  switch (info.type) {
    case 'command':
      return gunicornFlagCompletions(model, directive, offset, ctx);
    case 'enum': {
      const deprecated = new Map((info.deprecatedValues ?? []).map((d) => [d.value, d]));
      const entries = (info.values ?? []).map((value) => {
        const note = deprecated.get(value);
        return valueEntry(value, {
          detail: note ? 'deprecated' : key,
          documentation: note ? `Deprecated: ${note.message}` : `A value of \`${key}\`.`,
          deprecated: !!note,
          sortText: `${note ? 9 : 0}${value}`,
        });
      });
      for (const [value, since] of Object.entries(info.valuesSince ?? {})) {
        if (info.values?.includes(value)) continue;
        entries.push(
          valueEntry(value, {
            detail: `systemd ${since}+`,
            documentation: `A value of \`${key}\` since systemd ${since}; older versions reject it.`,
            sortText: `5${value}`,
          }),
        );
      }
      if (info.acceptsBool) {
        for (const value of ['yes', 'no']) {
          entries.push(valueEntry(value, { detail: 'boolean', sortText: `7${value}` }));
        }
      }
      return entries;
    }
    case 'bool':
      return ['yes', 'no'].map((value) => valueEntry(value, { detail: 'boolean' }));
    case 'unit':
    case 'units': {
      const workspace = [...(ctx.workspaceUnits ?? [])].sort();
      const names = [...new Set([...workspace, ...COMMON_TARGETS])];
      return names.map((name) =>
        valueEntry(name, {
          detail: ctx.workspaceUnits?.has(name) ? 'unit in this workspace' : 'well-known target',
          sortText: `${ctx.workspaceUnits?.has(name) ? 0 : 1}${name}`,
        }),
      );
    }
    case 'signal':
      return SIGNALS.map(([name, doc], i) =>
        valueEntry(name, { documentation: doc, sortText: String(i).padStart(2, '0') }),
      );
    default:
      return (info.values ?? []).map((value) => valueEntry(value, { detail: key }));
  }
}

/**
 * Gunicorn flags after a space in a Gunicorn command line. The value is read as systemd joins it (continuations
 * become spaces), up to the cursor; the word being typed is completed without the dashes already typed.
 */
function gunicornFlagCompletions(
  model: UnitModel,
  directive: Directive,
  offset: number,
  ctx: UnitCompletionContext,
): CompletionEntry[] {
  const length = directive.value.length;
  let count = 0;
  while (count < length && valueOffsetAt(directive, count)! < offset) count++;
  if (count === 0) return [];
  // Anything between the last value character and the cursor (blanks, a continuation) separates words.
  const gap = model.text.slice(valueOffsetAt(directive, count - 1)! + 1, offset);
  const prefix = directive.value.slice(0, count) + (gap === '' ? '' : ' ');
  const commands = splitCommands(prefix, 0, 'systemd');
  const words = [...(commands[commands.length - 1] ?? [])];
  const last = words[words.length - 1];
  let partial = '';
  if (last && last.to === prefix.length && !/\s$/.test(prefix)) {
    words.pop();
    if (!last.text.startsWith('-')) {
      // The positional APP_MODULE being typed: module names, then the module's names after the colon.
      const source = ctx.appSpec?.(offset);
      if (!source || !isAppSpecPosition(words, ctx.gunicornVersion)) return [];
      const start = wordTextStart(model.text, last, (at) => valueOffsetAt(directive, at) ?? offset);
      return appSpecCompletions(last.text, model.lines.range(start, offset), source, ctx.gunicornVersion);
    }
    if (last.quoted || !/^-{0,2}[\w-]*$/.test(last.text)) return [];
    partial = last.text;
  }
  if (partial !== '' && !partial.startsWith('-')) return [];
  const invocation = findGunicornInvocation(words, { version: ctx.gunicornVersion });
  if (!invocation) return [];
  const lastWord = words[words.length - 1];
  const pending = invocation.options.find(
    (o) => o.flagToken === lastWord && o.problem?.kind === 'missing-value',
  );
  if (pending && partial === '') return [];
  if (invocation.args.some((t) => t.text === '--' && !t.quoted)) return [];
  const dashes = /^-*/.exec(partial)![0].length;
  const featureContext = { version: ctx.gunicornVersion, versionLabel: ctx.versionLabel };
  const entries: CompletionEntry[] = [];
  for (const setting of gunicornCatalog().availableIn(ctx.gunicornVersion)) {
    for (const flag of setting.cli) {
      const long = flag.startsWith('--');
      if (dashes === 2 && !long) continue;
      const rest = flag.slice(dashes);
      entries.push({
        label: flag,
        kind: 'setting',
        detail: `${setting.name} — ${setting.type}`,
        documentation: settingMarkdown(setting, featureContext),
        insertText: `${rest} `,
        isSnippet: false,
        filterText: rest,
        deprecated: !!setting.deprecated,
        sortText: `${setting.deprecated ? 2 : 0}${long ? 0 : 1}${flag}`,
      });
    }
  }
  return entries;
}
