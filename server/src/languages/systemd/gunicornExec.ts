// The Gunicorn command lines of a systemd unit: which ExecStart= runs Gunicorn, how, and where its words are.

import type { Position, TextEdit } from '../../core/text';
import type { Version } from '../../core/version';
import {
  effectiveCliSettings,
  findGunicornInvocation,
  type CliOption,
  type CliSettingValue,
  type GunicornInvocation,
} from '../gunicorn/commandLine';
import { splitCommands, type Token } from '../gunicorn/commandWords';
import type { Span } from '../gunicorn/model';
import { valueSubSpan, type Directive, type UnitModel } from './parse';
import type { UnitRuleContext } from './rules/types';

/** One Gunicorn invocation found in an `ExecStart=` line. */
export interface GunicornExec {
  directive: Directive;
  invocation: GunicornInvocation;
  /** What the command line sets, by Gunicorn setting name (options Gunicorn rejects are left out). */
  settings: Map<string, CliSettingValue>;
  /**
   * True when the process systemd starts is the Gunicorn master itself (possibly through `env` or a shell's `exec`),
   * so `$MAINPID`, readiness notifications and KillMode= concern Gunicorn and not a runner or shell in front of it.
   */
  direct: boolean;
  /** Offset of the command-line text the invocation's tokens point into, within `directive.value`. */
  base: number;
  /** The document span of invocation offsets [from, to). */
  span(from: number, to: number): Span;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);
const EXEC_PREFIX = /^[-@:+!]+/;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function programName(token: Token | undefined): string {
  return token ? basename(token.text.replace(EXEC_PREFIX, '')) : '';
}

/**
 * Per unit model, the invocations read for each Gunicorn version. Under an assumed version the rules that read it run
 * once per release, one rule after the other, so a cache of the last version alone missed on every call.
 */
const cache = new WeakMap<UnitModel, Map<string, GunicornExec[]>>();

/** The words of each command of an `ExecStart=` value, which no version changes: split once per directive. */
const commandsOf = new WeakMap<Directive, Token[][]>();

/** Every Gunicorn invocation in the `ExecStart=` lines of the unit's [Service] section, in document order. */
export function gunicornExecs(model: UnitModel, version: Version): GunicornExec[] {
  const key = version.join('.');
  let byVersion = cache.get(model);
  if (!byVersion) cache.set(model, (byVersion = new Map()));
  const cached = byVersion.get(key);
  if (cached) return cached;
  const execs: GunicornExec[] = [];
  for (const directive of model.directives) {
    if (directive.key !== 'ExecStart' || directive.section?.name !== 'Service' || directive.value === '') {
      continue;
    }
    execs.push(...execsOf(directive, version));
  }
  byVersion.set(key, execs);
  return execs;
}

function execsOf(directive: Directive, version: Version): GunicornExec[] {
  const found: GunicornExec[] = [];
  const make = (invocation: GunicornInvocation, direct: boolean, base: number): GunicornExec => ({
    directive,
    invocation,
    settings: effectiveCliSettings(invocation),
    direct,
    base,
    span: (from, to) => valueSubSpan(directive, base + from, base + to),
  });
  let commands = commandsOf.get(directive);
  if (!commands) commandsOf.set(directive, (commands = splitCommands(directive.value, 0, 'systemd')));
  for (const command of commands) {
    const invocation = findGunicornInvocation(command, { version });
    if (invocation) {
      found.push(make(invocation, isDirect(command, invocation), 0));
      continue;
    }
    const script = shellScript(directive.value, command);
    if (!script) continue;
    const commands = splitCommands(script.text, 0, 'shell');
    commands.forEach((words, index) => {
      const inner = findGunicornInvocation(words, { version });
      if (!inner) return;
      // The shell stays the main process unless it replaces itself with Gunicorn (`exec gunicorn` as the last command).
      const direct = index === commands.length - 1 && programName(words[0]) === 'exec';
      found.push(make(inner, direct, script.base));
    });
  }
  return found;
}

function isDirect(command: readonly Token[], invocation: GunicornInvocation): boolean {
  const program = invocation.interpreter ?? invocation.launcher;
  const first = command[0];
  if (!first) return false;
  // The exec prefix is stripped from the first word, so compare ends; `env` replaces itself with the program.
  return program.to === first.to || programName(first) === 'env';
}

/**
 * The script of `sh -c 'SCRIPT'`, when its text maps one to one onto the value (plain or simply quoted, no escapes),
 * so that offsets inside it can be pointed at.
 */
function shellScript(value: string, command: readonly Token[]): { text: string; base: number } | undefined {
  if (!SHELLS.has(programName(command[0]))) return undefined;
  const flag = command.findIndex((token, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(token.text));
  const script = flag > 0 ? command[flag + 1] : undefined;
  if (!script) return undefined;
  const raw = value.slice(script.from, script.to);
  if (raw === script.text) return { text: script.text, base: script.from };
  if (raw === `'${script.text}'` || raw === `"${script.text}"`) {
    return { text: script.text, base: script.from + 1 };
  }
  return undefined;
}

/** The span of an option's flag word (the whole word for `-Dw4` clusters and `--flag=value`). */
export function flagSpan(exec: GunicornExec, option: CliOption): Span {
  return exec.span(option.flagToken.from, option.flagToken.to);
}

/** The span of an option's value, when it has one. */
export function optionValueSpan(exec: GunicornExec, option: CliOption): Span | undefined {
  if (option.valueFrom === undefined || option.valueTo === undefined) return undefined;
  return exec.span(option.valueFrom, option.valueTo);
}

/**
 * An edit that removes the words [from, to) (invocation offsets) with the blanks before them, joining continuation
 * lines correctly. Undefined when that would also remove a comment line inside the continued value.
 */
export function removeWordsEdit(
  model: UnitModel,
  exec: GunicornExec,
  from: number,
  to: number,
): TextEdit | undefined {
  const value = exec.directive.value;
  let start = exec.base + from;
  while (start > 0 && /\s/.test(value[start - 1]!)) start--;
  const span = valueSubSpan(exec.directive, start, exec.base + to);
  const word = exec.span(from, to);
  if (!/^[\s\\]*$/.test(model.text.slice(span.from, word.from))) return undefined;
  return { range: model.lines.range(span.from, span.to), newText: '' };
}

/** An edit that removes a value-less option word such as `--daemon`; undefined for a glued cluster like `-Dw4`. */
export function removeFlagEdit(
  model: UnitModel,
  exec: GunicornExec,
  option: CliOption,
): TextEdit | undefined {
  if (option.value !== undefined || option.flagToken.text !== option.flag) return undefined;
  return removeWordsEdit(model, exec, option.flagToken.from, option.flagToken.to);
}

/** Options of the invocation that set `setting` and that Gunicorn accepts. */
export function optionsFor(exec: GunicornExec, setting: string): CliOption[] {
  return exec.invocation.options.filter((option) => option.setting === setting && !option.problem);
}

/** True for a service unit (or a drop-in of one, or a file of unknown type with a [Service] section). */
export function isServiceUnit(context: UnitRuleContext): boolean {
  if (context.unitType) return context.unitType === 'service';
  return context.model.sections.some((section) => section.name === 'Service');
}

/** The Gunicorn started by a service unit's (first) ExecStart=, when the file is a service and runs Gunicorn. */
export function serviceGunicornExec(context: UnitRuleContext): GunicornExec | undefined {
  return isServiceUnit(context) ? gunicornExecs(context.model, context.gunicornVersion)[0] : undefined;
}

/** The assignment of `key` in [Service] that systemd uses (the last one), when the file has one. */
export function serviceDirective(model: UnitModel, key: string): Directive | undefined {
  let found: Directive | undefined;
  for (const directive of model.directives) {
    if (directive.key === key && directive.section?.name === 'Service') found = directive;
  }
  return found;
}

/** The unit's name without its type (`app` for `.../app.service`), from the document URI. */
export function unitBaseName(uri: string): string | undefined {
  let path = uri;
  try {
    path = decodeURIComponent(uri);
  } catch {
    // Keep the raw URI.
  }
  return /([^/\\]+)\.service$/.exec(path)?.[1];
}

function lineIndent(model: UnitModel, line: number): string {
  return /^\s*/.exec(model.lines.lineText(line))![0];
}

/** An edit that inserts `Key=value` as a new line after the assignment `after` (continuation lines included). */
export function insertLineAfter(model: UnitModel, after: Directive, text: string): TextEdit {
  const lines = model.lines;
  const last = lines.positionAt(after.span.to).line;
  const indent = lineIndent(model, after.line);
  const eol = lines.eol;
  if (last + 1 < lines.lineCount) {
    const at: Position = { line: last + 1, character: 0 };
    return { range: { start: at, end: at }, newText: `${indent}${text}${eol}` };
  }
  const end: Position = { line: last, character: lines.lineText(last).length };
  return { range: { start: end, end }, newText: `${eol}${indent}${text}` };
}

/** An edit that inserts `Key=value` as a new line before the assignment `before`. */
export function insertLineBefore(model: UnitModel, before: Directive, text: string): TextEdit {
  const at: Position = { line: before.line, character: 0 };
  return {
    range: { start: at, end: at },
    newText: `${lineIndent(model, before.line)}${text}${model.lines.eol}`,
  };
}

/** An edit that replaces a directive's whole value. */
export function replaceValueEdit(model: UnitModel, directive: Directive, newText: string): TextEdit {
  return { range: model.lines.range(directive.valueSpan.from, directive.valueSpan.to), newText };
}
