// The Gunicorn command lines of a manifest's command fields: an argv list (Kubernetes `command` + `args`, a Fly
// `cmd` array), a shell line in one value (Render `startCommand`, App Engine `entrypoint`, `sh -c` scripts), with
// every word at its document offsets when the value's text maps one to one onto the file, else on the whole value.

import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, type Token } from '../gunicorn/commandWords';
import type { ContainerCommand, Span } from './containerFacts';
import { logicalLineEnd } from './shell';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The last text whose line breaks were blanked, and that copy (one copy per document, not one per value). */
let flattened: { text: string; flat: string } | undefined;

/**
 * The document up to `to`, with line breaks as blanks when `foldLines`, for readers that scan forward from an offset
 * (splitCommands): what precedes the value is never read, so it needs no blanking. Slicing a flat string is O(1),
 * so a manifest with thousands of values costs no copy per value.
 */
function readableUpTo(text: string, to: number, foldLines: boolean): string {
  if (!foldLines) return text.slice(0, to);
  if (flattened?.text !== text) flattened = { text, flat: text.replace(/[\r\n]/g, ' ') };
  return flattened.flat.slice(0, to);
}

/** Every command of every logical line of `text` from `from` to `to` (shell rules: `&&`, `;`, `|` split commands). */
function commandsIn(text: string, from: number, to: number): Token[][] {
  const commands: Token[][] = [];
  let i = from;
  while (i < to) {
    for (const command of splitCommands(text, i, 'shell')) if (command.length) commands.push(command);
    const end = logicalLineEnd(text, i);
    i = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
  }
  return commands;
}

function sameWords(a: Token[][], b: Token[][]): boolean {
  return (
    a.length === b.length &&
    a.every((command, i) => {
      const other = b[i]!;
      return command.length === other.length && command.every((word, k) => word.text === other[k]!.text);
    })
  );
}

/** How a value holding shell text is written in the document. */
export interface ShellText {
  /** The value as the program receives it. */
  value: string;
  /** Where the value's characters are written (for a quoted value: inside the quotes); unset when unknown. */
  inner?: Span;
  /** The whole value as written (quotes, block header included). */
  whole: Span;
  /** A YAML literal block (`|`): each line is a line of the script. Other forms fold line breaks into blanks. */
  literalLines?: boolean;
}

/**
 * The commands of a shell line written as one value. Words carry document offsets when splitting the document's
 * text gives the same words as splitting the value (plain and simply quoted values, block scalars: only indentation
 * differs); otherwise each word spans the whole value and `exact` is false.
 */
export function shellCommands(text: string, shell: ShellText): { commands: Token[][]; exact: boolean } {
  const fromValue = commandsIn(shell.value, 0, shell.value.length);
  if (shell.inner && shell.inner.from <= shell.inner.to && shell.inner.to <= text.length) {
    const readable = readableUpTo(text, shell.inner.to, !shell.literalLines);
    const fromText = commandsIn(readable, shell.inner.from, shell.inner.to);
    if (sameWords(fromText, fromValue)) return { commands: fromText, exact: true };
  }
  const { from, to } = shell.whole;
  return {
    commands: fromValue.map((command) => command.map((word) => ({ ...word, from, to }))),
    exact: false,
  };
}

/** The span from the first to the last word. */
function wordsSpan(words: readonly Token[]): Span {
  return { from: words[0]!.from, to: words[words.length - 1]!.to };
}

function commandOf(
  words: Token[],
  exact: boolean,
  field: string,
  shell?: ContainerCommand['shell'],
): ContainerCommand {
  return {
    words,
    span: wordsSpan(words),
    exact,
    form: shell ? 'shell' : 'exec',
    field,
    ...(shell ? { shell } : {}),
  };
}

/** One word of an argv list, with how its value is written when it may hold a script (`sh -c SCRIPT`). */
export interface ArgvWord {
  token: Token;
  /** Set when the token's offsets are only the whole value (escapes) and not its characters. */
  coarse?: boolean;
  /** The value's writing, for a word that a shell may run as a script. */
  shell?: ShellText;
}

/**
 * Gunicorn command lines in an argv (exec form: no shell between the orchestrator and the program). A shell with
 * `-c` runs its script, whose commands are read too (`["sh", "-c", "cd /app && exec gunicorn …"]`).
 */
export function argvCommands(text: string, argv: readonly ArgvWord[], field: string): ContainerCommand[] {
  const words = argv.map((word) => word.token);
  if (!words.length) return [];
  if (findGunicornInvocation(words)) {
    return [commandOf(words, !argv.some((word) => word.coarse), field)];
  }
  if (!SHELLS.has(baseName(words[0]!.text))) return [];
  const flag = words.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word.text));
  const script = flag > 0 ? argv[flag + 1] : undefined;
  if (!script?.shell) return [];
  const { commands, exact } = shellCommands(text, script.shell);
  const shell = { commands: commands.length, program: words[0]!.text };
  return commands
    .filter((command) => findGunicornInvocation(command))
    .map((command) => commandOf(command, exact, field, shell));
}

/**
 * Gunicorn command lines in a shell line written as one value (Render `startCommand`, App Engine `entrypoint`), and
 * in the scripts of `sh -c '…'` commands inside it (their words then span the script unless it maps one to one).
 */
export function shellLineCommands(text: string, shell: ShellText, field: string): ContainerCommand[] {
  const { commands, exact } = shellCommands(text, shell);
  const found: ContainerCommand[] = [];
  for (const words of commands) {
    if (findGunicornInvocation(words)) {
      found.push(commandOf(words, exact, field, { commands: commands.length }));
      continue;
    }
    if (!SHELLS.has(baseName(words[0]!.text))) continue;
    const flag = words.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word.text));
    const script = flag > 0 ? words[flag + 1] : undefined;
    if (!script) continue;
    const raw = text.slice(script.from, script.to);
    const quoted = raw.length >= 2 && (raw[0] === "'" || raw[0] === '"') && raw.endsWith(raw[0]!);
    const whole = { from: script.from, to: script.to };
    const inner = quoted ? { from: script.from + 1, to: script.to - 1 } : whole;
    const nested = shellCommands(text, { value: script.text, ...(exact ? { inner } : {}), whole });
    const nestedShell = { commands: nested.commands.length, program: words[0]!.text };
    for (const command of nested.commands) {
      if (findGunicornInvocation(command)) found.push(commandOf(command, nested.exact, field, nestedShell));
    }
  }
  return found;
}

/**
 * The words of a value split like a shell would, as an exec-form argv (a Fly process string: no shell is
 * documented for it). A quoted word keeps how it is written, so `sh -c '…'` scripts are read too.
 */
export function splitArgv(text: string, shell: ShellText): ArgvWord[] {
  const { commands, exact } = shellCommands(text, shell);
  return commands.flat().map((token) => {
    const whole = { from: token.from, to: token.to };
    if (!exact) return { token, coarse: true, shell: { value: token.text, whole } };
    const raw = text.slice(token.from, token.to);
    const quoted = raw.length >= 2 && (raw[0] === "'" || raw[0] === '"') && raw.endsWith(raw[0]!);
    const inner = quoted ? { from: token.from + 1, to: token.to - 1 } : whole;
    return { token, shell: { value: token.text, inner, whole } };
  });
}

const PLAIN_WORD = /^[^\s'"\\;&|<>()`#$*?[\]{}~]+$/;

/**
 * One item of an argv list written as its own value (a YAML or TOML list item): with per-character offsets when its
 * characters are written as they are (so fixes may edit inside it), else spanning the whole item. `dynamic` says
 * whether the orchestrator expands something in it (Kubernetes `$(VAR)`).
 */
export function argvWordAt(
  text: string,
  shell: ShellText,
  options: { quoted: boolean; dynamic?: boolean },
): ArgvWord {
  const { value, inner, whole } = shell;
  if (inner && text.slice(inner.from, inner.to) === value && PLAIN_WORD.test(value)) {
    const [token] = splitCommands(text.slice(0, inner.to), inner.from, 'shell').flat();
    if (token && token.text === value && token.from === inner.from && token.to === inner.to) {
      if (options.quoted) token.quoted = true;
      return { token, shell };
    }
  }
  const token: Token = {
    text: value,
    from: whole.from,
    to: whole.to,
    quoted: options.quoted,
    ...(options.dynamic ? { dynamic: true } : {}),
  };
  const exact = inner !== undefined && text.slice(inner.from, inner.to) === value;
  return { token, shell, ...(exact ? {} : { coarse: true }) };
}
