// Gunicorn launches in compose files: each service's command and entrypoint, with its environment, working_dir,
// env_file and build.

import type { Version } from '../../core/version';
import { findGunicornInvocation, splitCommands, type Token } from '../gunicorn/commandLine';
import {
  BOM,
  ENV_NAME,
  forwardLine,
  identity,
  isolated,
  setEnv,
  type CommandRegion,
  type Env,
  type EnvEntry,
  type ParsedSource,
  type Site,
  type Span,
} from '../gunicorn/launchSites';
import type { LineIndex } from '../../core/text';
import { shellScriptSites, type ShellState } from './shell';

interface YamlLine {
  line: number;
  indent: number;
  /** Offset of the first non-blank character and of the end of the line's content. */
  from: number;
  end: number;
  /** Blank or comment only. */
  empty: boolean;
}

interface YamlScalar {
  value: string;
  /** The raw scalar, quotes included. */
  raw: Span;
  /** The text inside the quotes (the whole scalar when plain or a block). */
  inner: Span;
  quoted: boolean;
  /** True when the document text of `inner` reads as the value (whitespace aside for blocks and folded lines). */
  exact: boolean;
}

type YamlNode =
  | { kind: 'scalar'; scalar: YamlScalar }
  | { kind: 'list'; items: YamlScalar[] }
  | { kind: 'map'; entries: { key: string; value?: YamlScalar }[] };

function yamlLines(text: string, lines: LineIndex, comments: Span[]): YamlLine[] {
  const result: YamlLine[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    let start = lines.lineStart(line);
    if (line === 0 && text.startsWith(BOM)) start++;
    const end = lines.lineEnd(line);
    const content = text.slice(start, end);
    const indent = content.length - content.trimStart().length;
    const trimmed = content.trim();
    const empty = trimmed === '' || trimmed.startsWith('#');
    if (trimmed.startsWith('#')) {
      comments.push({ from: start + indent, to: start + content.trimEnd().length });
    }
    result.push({ line, indent, from: start + indent, end: start + content.trimEnd().length, empty });
  }
  return result;
}

/** Offset of a ` #` comment on a plain scalar's line (or the end). */
function plainEnd(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (text[i] === '#' && (i === from || /\s/.test(text[i - 1]!))) return i;
  }
  return end;
}

function trimSpan(text: string, from: number, to: number): Span {
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { from, to };
}

const YAML_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '/': '/',
  '0': '\0',
};

/** A quoted scalar starting at `from` (on the quote); its end may be on a later line. */
function quotedScalar(text: string, from: number): { scalar: YamlScalar; end: number } {
  const quote = text[from]!;
  let i = from + 1;
  let value = '';
  let exact = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quote === "'" && ch === "'" && text[i + 1] === "'") {
      value += "'";
      exact = false;
      i += 2;
      continue;
    }
    if (ch === quote) break;
    if (quote === '"' && ch === '\\') {
      value += YAML_ESCAPES[text[i + 1] ?? ''] ?? text[i + 1] ?? '';
      exact = false;
      i += 2;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      // A line break inside quotes folds to a space with the next line's indentation.
      exact = false;
      value = value.trimEnd() + ' ';
      while (i < text.length && /\s/.test(text[i]!)) i++;
      continue;
    }
    value += ch;
    i++;
  }
  const close = Math.min(i, text.length);
  return {
    scalar: {
      value,
      raw: { from, to: Math.min(close + 1, text.length) },
      inner: { from: from + 1, to: close },
      quoted: true,
      exact,
    },
    end: Math.min(close + 1, text.length),
  };
}

/** Items of a flow sequence `[a, "b", 'c']` starting at `from` (on the bracket). */
function flowItems(text: string, from: number): { items: YamlScalar[]; end: number } {
  const items: YamlScalar[] = [];
  let i = from + 1;
  for (;;) {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
    if (i >= text.length) return { items, end: i };
    const ch = text[i]!;
    if (ch === ']') return { items, end: i + 1 };
    if (ch === '"' || ch === "'") {
      const quoted = quotedScalar(text, i);
      items.push(quoted.scalar);
      i = quoted.end;
      continue;
    }
    const start = i;
    while (i < text.length && !/[,\]\n\r]/.test(text[i]!)) i++;
    const span = trimSpan(text, start, i);
    if (span.to > span.from) {
      const value = text.slice(span.from, span.to);
      items.push({ value, raw: span, inner: span, quoted: false, exact: true });
    }
  }
}

/** Entries of a flow mapping `{A: b, C: "d"}` starting at `from`. */
function flowEntries(text: string, from: number): { key: string; value?: YamlScalar }[] {
  const close = text.indexOf('}', from);
  const body = close < 0 ? text.length : close;
  const entries: { key: string; value?: YamlScalar }[] = [];
  let i = from + 1;
  while (i < body) {
    let next = text.indexOf(',', i);
    if (next < 0 || next > body) next = body;
    const colon = text.indexOf(':', i);
    if (colon > i && colon < next) {
      const key = text
        .slice(i, colon)
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2');
      const valueSpan = trimSpan(text, colon + 1, next);
      const value = scalarAt(text, valueSpan.from, valueSpan.to);
      entries.push({ key, ...(value ? { value } : {}) });
    }
    i = next + 1;
  }
  return entries;
}

/** A one-line scalar in [from, end): quoted or plain (a trailing comment dropped). */
function scalarAt(text: string, from: number, end: number): YamlScalar | undefined {
  if (from >= end) return undefined;
  if (text[from] === '"' || text[from] === "'") return quotedScalar(text, from).scalar;
  const span = trimSpan(text, from, plainEnd(text, from, end));
  if (span.to <= span.from) return undefined;
  return { value: text.slice(span.from, span.to), raw: span, inner: span, quoted: false, exact: true };
}

/** The value of `key:` whose line is `lines[index]`, with its text starting at `valueFrom`. */
function yamlValue(text: string, lines: YamlLine[], index: number, valueFrom: number): YamlNode | undefined {
  const owner = lines[index]!;
  const inline = trimSpan(text, valueFrom, plainEnd(text, valueFrom, owner.end));
  const first = text[inline.from];
  // The lines that belong to this value: more indented, or `- ` items at the key's own indentation.
  const body: YamlLine[] = [];
  for (let k = index + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.empty) {
      body.push(line);
      continue;
    }
    const dash = text[line.from] === '-' && /[\s]/.test(text[line.from + 1] ?? ' ');
    if (line.indent > owner.indent || (dash && line.indent === owner.indent && inline.from === inline.to)) {
      body.push(line);
    } else {
      break;
    }
  }
  while (body.length && body[body.length - 1]!.empty) body.pop();
  if (inline.from < inline.to) {
    if (first === '|' || first === '>') {
      const content = body.filter((line) => !line.empty || line.from < line.end);
      const textLines = body.filter((line) => !(line.from === line.end));
      if (!textLines.length) return undefined;
      const span = { from: textLines[0]!.from, to: textLines[textLines.length - 1]!.end };
      const indent = Math.min(...textLines.map((line) => line.indent));
      const parts = content.map((line) =>
        line.from === line.end ? '' : ' '.repeat(line.indent - indent) + text.slice(line.from, line.end),
      );
      const value = first === '|' ? parts.join('\n') : parts.join(' ').replace(/ +/g, ' ').trim();
      return { kind: 'scalar', scalar: { value, raw: span, inner: span, quoted: false, exact: true } };
    }
    if (first === '[') return { kind: 'list', items: flowItems(text, inline.from).items };
    if (first === '{') return { kind: 'map', entries: flowEntries(text, inline.from) };
    if (first === '"' || first === "'") {
      return { kind: 'scalar', scalar: quotedScalar(text, inline.from).scalar };
    }
    // A plain scalar continues on more indented lines.
    const more = body.filter((line) => !line.empty);
    const last = more[more.length - 1];
    const span = { from: inline.from, to: last ? plainEnd(text, last.from, last.end) : inline.to };
    const trimmed = trimSpan(text, span.from, span.to);
    const value = text
      .slice(trimmed.from, trimmed.to)
      .split(/\r?\n|\r/)
      .map((part) => part.trim())
      .join(' ');
    return { kind: 'scalar', scalar: { value, raw: trimmed, inner: trimmed, quoted: false, exact: true } };
  }
  const content = body.filter((line) => !line.empty);
  if (!content.length) return undefined;
  if (text[content[0]!.from] === '-') {
    const itemIndent = content[0]!.indent;
    const items: YamlScalar[] = [];
    for (const line of content) {
      if (line.indent !== itemIndent || text[line.from] !== '-') continue;
      const scalar = scalarAt(text, trimSpan(text, line.from + 1, line.end).from, line.end);
      if (scalar) items.push(scalar);
    }
    return { kind: 'list', items };
  }
  const keyIndent = content[0]!.indent;
  const entries: { key: string; value?: YamlScalar }[] = [];
  for (const line of content) {
    if (line.indent !== keyIndent) continue;
    const m = /^("[^"]*"|'[^']*'|[^:#\s][^:]*?)\s*:(?=\s|$)/.exec(text.slice(line.from, line.end));
    if (!m) continue;
    const key = m[1]!.replace(/^(["'])(.*)\1$/, '$2');
    const value = scalarAt(text, trimSpan(text, line.from + m[0].length, line.end).from, line.end);
    entries.push({ key, ...(value ? { value } : {}) });
  }
  return { kind: 'map', entries };
}

interface ComposeService {
  name: string;
  keys: Map<string, YamlNode | undefined>;
}

const COMPOSE_KEYS = new Set(['command', 'entrypoint', 'environment', 'working_dir', 'env_file', 'build']);

function composeServices(text: string, lines: YamlLine[]): ComposeService[] {
  const services: ComposeService[] = [];
  const key = (line: YamlLine) =>
    /^("[^"]*"|'[^']*'|[\w.-]+)\s*:(?=\s|$)/.exec(text.slice(line.from, line.end));
  const at = lines.findIndex((line) => !line.empty && line.indent === 0 && key(line)?.[1] === 'services');
  if (at < 0) return services;
  let serviceIndent = -1;
  let keyIndent = -1;
  let current: ComposeService | undefined;
  for (let k = at + 1; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.empty) continue;
    if (line.indent === 0) break;
    if (serviceIndent < 0) serviceIndent = line.indent;
    const m = key(line);
    if (line.indent === serviceIndent) {
      current = m ? { name: m[1]!.replace(/^(["'])(.*)\1$/, '$2'), keys: new Map() } : undefined;
      if (current) services.push(current);
      keyIndent = -1;
      continue;
    }
    if (!current || line.indent < serviceIndent) continue;
    if (keyIndent < 0) keyIndent = line.indent;
    if (line.indent !== keyIndent || !m || !COMPOSE_KEYS.has(m[1]!)) continue;
    current.keys.set(m[1]!, yamlValue(text, lines, k, line.from + m[0].length));
  }
  return services;
}

/** Words that could only be placed on their whole scalar (escapes inside it). */
const coarseTokens = new WeakSet<Token>();

const PLAIN_WORD = /^[^\s'"\\;&|<>()`#]+$/;

/** One argv element of a list form, as a token (with exact offsets when the scalar is a plain shell word). */
function itemToken(text: string, scalar: YamlScalar): Token {
  if (PLAIN_WORD.test(scalar.value) && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value) {
    const [token] = splitCommands(forwardLine(text, scalar.raw), scalar.raw.from, 'shell').flat();
    if (token && token.text === scalar.value && token.to === scalar.raw.to) return token;
  }
  return {
    text: scalar.value,
    from: scalar.raw.from,
    to: scalar.raw.to,
    quoted: scalar.quoted,
    // Compose interpolates ${VAR} and $VAR in every value from the environment it runs in.
    ...(/\$[{\w]/.test(scalar.value) ? { dynamic: true } : {}),
  };
}

/** The argv of a compose command/entrypoint: a list as it is, a string split into words like a shell would. */
function composeWords(
  text: string,
  node: YamlNode | undefined,
  regions: CommandRegion[],
): Token[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'list') {
    const first = node.items[0];
    const last = node.items[node.items.length - 1];
    if (first && last) regions.push({ from: first.raw.from, to: last.raw.to, text, form: 'json' });
    return node.items.map((item) => itemToken(text, item));
  }
  if (node.kind !== 'scalar') return undefined;
  const { scalar } = node;
  if (scalar.exact) {
    const line = isolated(text, scalar.inner);
    regions.push({ from: scalar.inner.from, to: scalar.inner.to, text: line, form: 'shell' });
    return splitCommands(line, scalar.inner.from, 'shell').flat();
  }
  const whole = scalar.raw;
  return splitCommands(scalar.value.replace(/[\r\n]/g, ' '), 0, 'shell')
    .flat()
    .map((token) => {
      const placed = { ...token, from: whole.from, to: whole.to };
      coarseTokens.add(placed);
      return placed;
    });
}

function composeEnv(text: string, node: YamlNode | undefined): Env {
  const env: Env = new Map();
  if (!node) return env;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (!entry.value || !ENV_NAME.test(entry.key)) continue;
      const scalar = entry.value;
      setEnv(env, {
        name: entry.key,
        value: scalar.value,
        span: scalar.inner,
        exact: scalar.exact && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value,
      });
    }
    return env;
  }
  if (node.kind !== 'list') return env;
  for (const item of node.items) {
    const eq = item.value.indexOf('=');
    if (eq <= 0) continue;
    const name = item.value.slice(0, eq);
    if (!ENV_NAME.test(name)) continue;
    const value = item.value.slice(eq + 1);
    const exact = item.exact && text.slice(item.inner.from, item.inner.to) === item.value;
    const span = exact ? { from: item.inner.from + eq + 1, to: item.inner.to } : item.inner;
    setEnv(env, { name, value, span, exact });
  }
  return env;
}

/** A service's `build:`: a context folder, or a map with `context:` and `dockerfile:`. */
function composeBuild(node: YamlNode | undefined): { context: string; dockerfile?: string } | undefined {
  if (node?.kind === 'scalar') return node.scalar.value ? { context: node.scalar.value } : undefined;
  if (node?.kind !== 'map') return undefined;
  const entry = (key: string) => node.entries.find((e) => e.key === key)?.value?.value;
  const dockerfile = entry('dockerfile');
  return { context: entry('context') ?? '.', ...(dockerfile ? { dockerfile } : {}) };
}

export function composeSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const lines = yamlLines(text, parsed.lines, parsed.comments);
  const sites: Site[] = [];
  for (const service of composeServices(text, lines)) {
    const command = composeWords(text, service.keys.get('command'), parsed.regions);
    const entrypoint = composeWords(text, service.keys.get('entrypoint'), parsed.regions);
    if (!command && !entrypoint) continue;
    const env = composeEnv(text, service.keys.get('environment'));
    const dir = service.keys.get('working_dir');
    const cwd: EnvEntry | undefined =
      dir?.kind === 'scalar'
        ? { name: 'cwd', value: dir.scalar.value, span: dir.scalar.inner, exact: dir.scalar.exact }
        : undefined;
    const files = service.keys.get('env_file');
    const environmentFiles: EnvEntry[] = (
      files?.kind === 'list' ? files.items : files?.kind === 'scalar' ? [files.scalar] : []
    ).map((file) => ({ name: 'env_file', value: file.value, span: file.inner, exact: file.exact }));
    const build = composeBuild(service.keys.get('build'));
    const base = {
      kind: 'compose' as const,
      toDocument: identity,
      env,
      ...(cwd ? { cwd } : {}),
      unit: service.name,
      ...(environmentFiles.length ? { environmentFiles } : {}),
      ...(build ? { build } : {}),
    };
    const state: ShellState = { env: new Map(env), ...(cwd ? { cwd } : {}) };
    const sitesOf = (words: Token[]): Site[] => {
      const invocation = findGunicornInvocation(words, { version });
      if (invocation) {
        const span = { from: words[0]!.from, to: words[words.length - 1]!.to };
        return [{ ...base, invocation, span, exact: !words.some((word) => coarseTokens.has(word)) }];
      }
      return shellScriptSites(text, words, 'compose', version, state, { unit: service.name }).map((site) => ({
        ...site,
        ...(environmentFiles.length ? { environmentFiles } : {}),
        ...(build ? { build } : {}),
      }));
    };
    const combined = sitesOf([...(entrypoint ?? []), ...(command ?? [])]);
    // An entry-point script that runs its arguments (`exec "$@"`): the command is what it starts.
    sites.push(...(combined.length || !entrypoint || !command ? combined : sitesOf(command)));
  }
  return sites;
}
