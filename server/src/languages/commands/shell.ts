// Gunicorn launches in shell command lines: scripts, and the shell text of Dockerfiles, Procfiles and `sh -c` words,
// with the `cd` and `export` commands before them.

import type { Version } from '../../core/version';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, type Token } from '../gunicorn/commandWords';
import type { LaunchKind } from '../gunicorn/launch';
import {
  BOM,
  assignmentEntry,
  identity,
  isolated,
  setEnv,
  type Env,
  type EnvEntry,
  type ParsedSource,
  type Site,
  type Span,
} from '../gunicorn/launchSites';
import type { LineIndex } from '../../core/text';

export function baseName(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh']);

/** End of the logical line that starts at or before `from`: the first line break not escaped by a backslash. */
export function logicalLineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') return i;
    i++;
  }
  return text.length;
}

export interface ShellState {
  env: Env;
  cwd?: EnvEntry;
}

export function resolveDir(current: string | undefined, dir: string): string {
  if (dir.startsWith('/') || dir.startsWith('~') || dir.startsWith('$') || current === undefined) return dir;
  const base = current.endsWith('/') ? current.slice(0, -1) : current;
  return dir === '.' ? current : `${base}/${dir.replace(/^\.\//, '')}`;
}

/**
 * The Gunicorn invocations of one shell command line whose words carry document offsets. `cd DIR` and
 * `export VAR=value` commands before them update `state` (and so apply to later commands).
 */
export function shellLineSites(
  text: string,
  lineText: string,
  from: number,
  kind: LaunchKind,
  version: Version,
  state: ShellState,
  extra: Pick<Site, 'unit'> = {},
): { sites: Site[]; end: number } {
  const commands = splitCommands(lineText, from, 'shell');
  const sites: Site[] = [];
  let end = from;
  for (const words of commands) {
    const last = words[words.length - 1];
    if (last) end = Math.max(end, last.to);
    const first = words[0];
    if (!first) continue;
    const program = baseName(first.text);
    if (program === 'cd' && words.length <= 3) {
      const dir = words.find((w, i) => i > 0 && !w.text.startsWith('-'));
      if (dir) {
        state.cwd = {
          name: 'cwd',
          value: resolveDir(state.cwd?.value, dir.text),
          span: { from: dir.from, to: dir.to },
          exact: true,
        };
      }
      continue;
    }
    if (program === 'export' || (program === 'declare' && words[1]?.text === '-x')) {
      for (const word of words.slice(1)) {
        const m = /^([A-Za-z_]\w*)=/.exec(word.text);
        if (!m) continue;
        const entry = assignmentEntry(text, word, m[1]!, word.text.slice(m[0].length), identity);
        setEnv(state.env, entry);
      }
      continue;
    }
    const invocation = findGunicornInvocation(words, { version });
    if (invocation) {
      sites.push({
        kind,
        invocation,
        toDocument: identity,
        span: { from: first.from, to: last!.to },
        env: new Map(state.env),
        ...(state.cwd ? { cwd: state.cwd } : {}),
        ...(program === 'exec' ? { execs: true } : {}),
        ...extra,
      });
      continue;
    }
    // `sh -c 'gunicorn …'` / `bash -lc "…"`: the script is a command line of its own.
    sites.push(...shellScriptSites(text, words, kind, version, state, extra));
  }
  return { sites, end };
}

/** Invocations inside `sh -c SCRIPT` when the script's text maps one to one onto the document. */
export function shellScriptSites(
  text: string,
  words: readonly Token[],
  kind: LaunchKind,
  version: Version,
  state: ShellState,
  extra: Pick<Site, 'unit'>,
): Site[] {
  const program = baseName(words[0]?.text ?? '');
  if (!SHELLS.has(program)) return [];
  const flag = words.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word.text));
  const script = flag > 0 ? words[flag + 1] : undefined;
  if (!script) return [];
  const raw = text.slice(script.from, script.to);
  let span: Span | undefined;
  if (raw === script.text) span = { from: script.from, to: script.to };
  else if (raw === `'${script.text}'` || raw === `"${script.text}"`) {
    span = { from: script.from + 1, to: script.to - 1 };
  }
  if (span) {
    const inner: ShellState = { env: new Map(state.env), ...(state.cwd ? { cwd: state.cwd } : {}) };
    const shell = { program: words[0]!.text, implicit: false, span };
    return shellLineSites(text, isolated(text, span), span.from, kind, version, inner, extra).sites.map(
      (site) => (site.shell ? site : { ...site, shell }),
    );
  }
  // Escapes inside the script: read its words on their own and point at the whole script.
  const whole = { from: script.from, to: script.to };
  const sites: Site[] = [];
  for (const command of splitCommands(script.text.replace(/[\r\n]/g, ' '), 0, 'shell')) {
    const invocation = findGunicornInvocation(command, { version });
    if (!invocation) continue;
    sites.push({
      kind,
      invocation,
      toDocument: () => whole,
      span: whole,
      exact: false,
      env: new Map(state.env),
      ...(state.cwd ? { cwd: state.cwd } : {}),
      shell: { program: words[0]!.text, implicit: false, span: whole },
      ...(baseName(command[0]?.text ?? '') === 'exec' ? { execs: true } : {}),
      ...extra,
    });
  }
  return sites;
}

/** `#` comments: at the start of a line, or after a blank outside quotes. */
export function hashComments(lines: LineIndex, out: Span[]): void {
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const lineText = lines.lineText(line);
    let quote: string | undefined;
    for (let i = 0; i < lineText.length; i++) {
      const ch = lineText[i]!;
      if (quote) {
        if (ch === quote) quote = undefined;
        else if (ch === '\\' && quote === '"') i++;
        continue;
      }
      if (ch === '\\') {
        i++;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (
        ch === '#' &&
        (i === 0 || /\s/.test(lineText[i - 1]!) || lineText.slice(0, i).trim() === BOM)
      ) {
        out.push({ from: start + i, to: start + lineText.trimEnd().length });
        break;
      }
    }
  }
}

export function shellFileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { lines } = parsed;
  hashComments(lines, parsed.comments);
  const state: ShellState = { env: new Map() };
  const sites: Site[] = [];
  let i = text.startsWith(BOM) ? 1 : 0;
  let heredoc: string | undefined;
  while (i < text.length) {
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = text.length;
    const physical = text.slice(i, lineEnd).replace(/\r$/, '');
    if (heredoc !== undefined) {
      if (physical.replace(/^\t+/, '') === heredoc) heredoc = undefined;
      i = lineEnd + 1;
      continue;
    }
    if (/^\s*(#|$)/.test(physical)) {
      i = lineEnd + 1;
      continue;
    }
    const end = logicalLineEnd(text, i);
    parsed.regions.push({ from: i, to: end, text, form: 'shell' });
    const found = shellLineSites(text, text, i, 'shell', version, state);
    sites.push(...found.sites);
    const marker = /<<-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(text.slice(i, end));
    if (marker) heredoc = marker[2];
    // A quoted word may run over line breaks: continue after the line the command ended on.
    const next = text.indexOf('\n', Math.max(end, found.end));
    i = next < 0 ? text.length : next + 1;
  }
  return sites;
}
