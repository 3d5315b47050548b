// Completion for nginx configurations: directives allowed where the cursor is, on/off and enumerated values,
// upstreams and Gunicorn addresses for proxy_pass, proxy headers, variables after `$`, and the snippets of
// snippets/nginx.json.

import type { CompletionEntry, CompletionList } from '../../core/features';
import { formatVersion } from '../../core/version';
import { nginxCatalog } from './catalog';
import type { NginxContext, NginxDirectiveInfo } from './catalogTypes';
import { directiveMarkdown, entryFor, signature, VALUE_KEYWORDS, variableMarkdown } from './describe';
import type { NginxFeatureContext } from './features';
import { familyOfDirective, upstreamMarkdown } from './hover';
import { moduleDirectiveEntries } from './moduleCompletion';
import type { NginxModel } from './parse';
import { nginxSnippetEntries } from './snippets';
import type { NginxTarget } from './target';
import {
  fileSymbols,
  fitter,
  wordStart,
  inComment,
  isBinary,
  isValueContext,
  statementAt,
  type NginxStatement,
} from './symbols';

export type { CompletionEntry } from '../../core/features';

type Fit = (from: number, full: string) => string | undefined;

export function nginxCompletions(
  model: NginxModel,
  offset: number,
  ctx: NginxFeatureContext,
): CompletionEntry[] {
  const { entries, range } = nginxCompletionList(model, offset, ctx);
  return entries.map((entry) => (entry.range || !range ? entry : { ...entry, range }));
}

/** The same entries, with the replace range they share given once (the server's form: no copy per entry). */
export function nginxCompletionList(
  model: NginxModel,
  offset: number,
  ctx: NginxFeatureContext,
): CompletionList {
  if (!Number.isInteger(offset) || offset < 0 || offset > model.text.length) return { entries: [] };
  // The insert texts replace the word at the cursor as VS Code's nginx word pattern sees it; saying so explicitly
  // (a replace range) makes editors with other word rules (Neovim, Helix) insert the same text, not `$$host`.
  return {
    entries: entriesAt(model, offset, ctx),
    range: model.lines.range(wordStart(model, offset), offset),
  };
}

function entriesAt(model: NginxModel, offset: number, ctx: NginxFeatureContext): CompletionEntry[] {
  if (isBinary(model) || inComment(model, offset)) return [];
  const statement = statementAt(model, offset);
  const fit = fitter(model, offset);
  if (statement.index >= 1 && statement.token) {
    const variable = /\$(\{?)([A-Za-z0-9_]*)$/.exec(statement.typed);
    if (variable) {
      const from = statement.typedFrom + variable.index;
      const closed = variable[1] === '{' && /^[A-Za-z0-9_]*\}/.test(model.text.slice(offset));
      return variableCompletions(model, fit, from, variable[1] === '{', closed);
    }
  }
  if (statement.token?.quote) return [];
  if (statement.index === 0) return nameCompletions(model, offset, statement, ctx);
  return argumentCompletions(model, fit, statement, ctx);
}

// ---------------------------------------------------------------------------------------------------------
// Directive names

const snippetEscape = (text: string): string => text.replace(/[$}\\]/g, '\\$&');
const choiceEscape = (text: string): string => text.replace(/[,|$}\\]/g, '\\$&');

/** The example's words up to `;` or `{`, quotes kept. */
function exampleHead(info: NginxDirectiveInfo): string[] {
  const head = (info.example ?? '').split(/\s\{|;\s*$/)[0] ?? '';
  const words = head.match(/"[^"]*"|'[^']*'|[^\s;{]+/g) ?? [];
  return words[0] === info.name ? words.slice(1) : [];
}

/** The snippet that writes a directive, and its plain-text form. */
function directiveInsert(info: NginxDirectiveInfo): { snippet: string; plain: string } {
  const { name } = info;
  const args = exampleHead(info);
  if (info.block) {
    const head = info.args.max === 0 ? name : name === 'if' ? 'if ($1)' : `${name} $1`;
    return { snippet: `${head} {\n\t$0\n}`, plain: `${[name, ...args].join(' ')} {\n\t\n}` };
  }
  if (info.args.flag) return { snippet: `${name} \${1|on,off|};`, plain: `${name} ${info.default ?? 'on'};` };
  if (info.values?.length && info.args.max === 1) {
    const choices = info.values.map(choiceEscape).join(',');
    return { snippet: `${name} \${1|${choices}|};`, plain: `${name} ${info.values[0]};` };
  }
  if (info.args.max === 0) return { snippet: `${name};`, plain: `${name};` };
  const count = Math.min(args.length, 4);
  if (count === 0) return { snippet: `${name} $1;`, plain: `${name} ;` };
  const placeholders = args.slice(0, count).map((arg, i) => {
    const rest = i === count - 1 ? args.slice(i).join(' ') : arg;
    return `\${${i + 1}:${snippetEscape(rest)}}`;
  });
  return { snippet: `${name} ${placeholders.join(' ')};`, plain: `${name} ${args.join(' ')};` };
}

const directiveMemo = new Map<string, CompletionEntry[]>();

/** One entry per directive the target nginx accepts in `context`, built once per version and context. */
function directiveEntries(context: NginxContext, target: NginxTarget | undefined): CompletionEntry[] {
  const catalog = nginxCatalog(target?.version);
  const key = `${formatVersion(catalog.version)} ${context}`;
  let entries = directiveMemo.get(key);
  if (entries) return entries;
  entries = [];
  const seen = new Set<string>();
  for (const info of catalog.directivesIn(context)) {
    if (seen.has(info.name)) continue;
    seen.add(info.name);
    const insert = directiveInsert(info);
    entries.push({
      label: info.name,
      kind: 'directive',
      describe: () => ({ detail: signature(info), documentation: directiveMarkdown(info, context, target) }),
      insertText: insert.snippet,
      plainInsertText: insert.plain,
      isSnippet: true,
      sortText: `1${info.name}`,
    });
  }
  directiveMemo.set(key, entries);
  return entries;
}

function keywordEntries(context: NginxContext, target: NginxTarget | undefined): CompletionEntry[] {
  const keywords = Object.entries(VALUE_KEYWORDS[context] ?? {}).map(([name, keyword]) => ({
    label: name,
    kind: 'directive' as const,
    detail: `${context} keyword`,
    documentation: keyword.doc,
    insertText: keyword.insert,
    plainInsertText: keyword.insert.replace(/\$\{1:([^}]*)\}/, '$1'),
    isSnippet: true,
    sortText: `0${name}`,
  }));
  return [...keywords, ...directiveEntries(context, target)];
}

function nameCompletions(
  model: NginxModel,
  offset: number,
  statement: NginxStatement,
  ctx: NginxFeatureContext,
): CompletionEntry[] {
  const { context } = statement;
  const target = ctx.target;
  if (context === null || !/^([A-Za-z_][\w-]*)?$/.test(statement.typed)) return [];
  // With `proxy_pa|ss http://app;` the arguments are already there: insert the name alone.
  const { line, character } = model.lines.positionAt(offset);
  const after = model.lines.lineText(line).slice(character);
  const nameOnly = /^[\w.-]*[ \t]*[^\s#}]/.test(after);
  const bare = (entry: CompletionEntry): CompletionEntry =>
    nameOnly ? { ...entry, insertText: entry.label, plainInsertText: entry.label, isSnippet: false } : entry;
  if (isValueContext(context)) return keywordEntries(context, target).map(bare);
  const present = new Set(statement.siblings.filter((d) => d !== statement.directive).map((d) => d.name));
  const catalog = nginxCatalog(target?.version);
  const entries = directiveEntries(context, target).map((entry) => {
    const repeated = present.has(entry.label) && !!catalog.directive(entry.label, context)?.unique;
    if (!nameOnly && !repeated) return entry;
    return {
      ...entry,
      ...(nameOnly ? { insertText: entry.label, plainInsertText: entry.label, isSnippet: false } : {}),
      ...(repeated ? { sortText: `5${entry.label}` } : {}),
    };
  });
  entries.push(
    ...moduleDirectiveEntries(context, inServerIf(model, offset, context), ctx.workspace).map(bare),
  );
  if (!nameOnly) entries.push(...nginxSnippetEntries(context));
  return entries;
}

/** True in an `if` block directly inside `server {}`, where modules accept fewer directives than in a location's. */
function inServerIf(model: NginxModel, offset: number, context: NginxContext): boolean {
  if (context !== 'if') return false;
  const owner = model.all
    .filter((d) => d.block && d.block.open.to <= offset && (!d.block.close || offset <= d.block.close.from))
    .pop();
  return owner?.context === 'server';
}

// ---------------------------------------------------------------------------------------------------------
// Arguments

function valueEntry(
  fit: Fit,
  from: number,
  label: string,
  extra: Partial<CompletionEntry>,
): CompletionEntry[] {
  const insertText = fit(from, label);
  if (!insertText) return [];
  return [{ label, kind: 'value', insertText, isSnippet: false, filterText: insertText, ...extra }];
}

/** Headers a Gunicorn app behind nginx usually needs, with the values that go with them. */
const PROXY_HEADERS: [string, string, [string, string][]][] = [
  ['Host', 'The host the client asked for, so the app builds correct URLs.', [['$host', '']]],
  [
    'X-Forwarded-For',
    'The chain of client addresses; Gunicorn reads the client address from it for trusted proxies.',
    [['$proxy_add_x_forwarded_for', 'the incoming X-Forwarded-For with the client address appended']],
  ],
  [
    'X-Forwarded-Proto',
    'The scheme the client used; Gunicorn trusts it from addresses in forwarded_allow_ips.',
    [['$scheme', '']],
  ],
  ['X-Real-IP', 'The address of the client that connected to nginx.', [['$remote_addr', '']]],
  ['Upgrade', 'Passes a WebSocket upgrade request on (with Connection).', [['$http_upgrade', '']]],
  [
    'Connection',
    'Needed with Upgrade for WebSockets; an empty value lets keep-alive connections to the upstream work.',
    [
      ['$connection_upgrade', 'a `map $http_upgrade $connection_upgrade` variable'],
      ['"upgrade"', 'always ask the upstream to upgrade'],
      ['""', 'clear the header (for upstream keep-alive)'],
    ],
  ],
  ['X-Forwarded-Host', 'The host the client asked for, as many frameworks read it.', [['$host', '']]],
  ['X-Forwarded-Port', 'The port the client connected to.', [['$server_port', '']]],
  ['X-Request-ID', 'A unique id per request, to match nginx and app logs.', [['$request_id', '']]],
];

function argumentCompletions(
  model: NginxModel,
  fit: Fit,
  statement: NginxStatement,
  ctx: NginxFeatureContext,
): CompletionEntry[] {
  const { context, directive, index, typedFrom } = statement;
  const name = statement.words[0]?.value;
  if (!directive || name === undefined || isValueContext(context)) return [];
  const argIndex = index - 1;
  const info = entryFor(name, context, ctx.target);
  if (argIndex === 0 && PASS_TARGETS.has(name)) return targetCompletions(model, fit, statement, ctx);
  if (name === 'proxy_set_header') {
    if (argIndex === 0) {
      return PROXY_HEADERS.flatMap(([header, doc], i) =>
        valueEntry(fit, typedFrom, header, {
          detail: 'header',
          documentation: doc,
          sortText: `0${String(i).padStart(2, '0')}`,
        }),
      );
    }
    if (argIndex === 1) {
      const header = statement.words[1]?.value.toLowerCase();
      const known = PROXY_HEADERS.find(([h]) => h.toLowerCase() === header);
      return (known?.[2] ?? []).flatMap(([value, doc], i) =>
        valueEntry(fit, typedFrom, value, {
          detail: `for ${known![0]}`,
          documentation: doc || builtinDoc(value),
          sortText: `0${i}`,
        }),
      );
    }
    return [];
  }
  if (!info) return [];
  if (info.args.flag) {
    if (argIndex !== 0) return [];
    return ['on', 'off'].flatMap((value) =>
      valueEntry(fit, typedFrom, value, {
        detail: info.default === value ? `${name} (default)` : name,
        documentation: `Turns \`${name}\` ${value}.`,
      }),
    );
  }
  if (info.values?.length) {
    if (info.args.max === 1 && argIndex !== 0) return [];
    const used = new Set(statement.words.slice(1).map((w) => w.value));
    const defaults = new Set((info.default ?? '').split(/\s+/));
    return info.values
      .filter((value) => !used.has(value) || value === statement.token?.value)
      .flatMap((value, i) =>
        valueEntry(fit, typedFrom, value, {
          detail: defaults.has(value) ? `${name} (default)` : name,
          documentation: `A value of \`${name}\`: ${info.values!.map((v) => `\`${v}\``).join(', ')}.`,
          sortText: String(i).padStart(2, '0'),
        }),
      );
  }
  return [];
}

function builtinDoc(value: string): string {
  const info = value.startsWith('$') ? nginxCatalog().variable(value.slice(1)) : undefined;
  return info?.doc ?? '';
}

/** The scheme each pass directive writes before an upstream name ('' when it takes a bare address). */
const PASS_TARGETS = new Map<string, string>([
  ['proxy_pass', 'http://'],
  ['uwsgi_pass', ''],
  ['fastcgi_pass', ''],
  ['scgi_pass', ''],
  ['grpc_pass', 'grpc://'],
]);

function targetCompletions(
  model: NginxModel,
  fit: Fit,
  statement: NginxStatement,
  ctx: NginxFeatureContext,
): CompletionEntry[] {
  const name = statement.words[0]!.value;
  const family = familyOfDirective(statement.directive!);
  const stream = family === 'stream';
  // Stream proxy_pass takes a bare address; Gunicorn speaks HTTP, so only HTTP proxy_pass is offered its sockets.
  const scheme = stream ? '' : (PASS_TARGETS.get(name) ?? '');
  const entries: CompletionEntry[] = [];
  const add = (label: string, extra: Partial<CompletionEntry>) =>
    entries.push(...valueEntry(fit, statement.typedFrom, label, extra));
  const seen = new Set<string>();
  for (const upstream of fileSymbols(model).upstreams) {
    if (upstream.family !== null && family !== null && upstream.family !== family) continue;
    if (seen.has(upstream.name)) continue;
    seen.add(upstream.name);
    add(`${scheme}${upstream.name}`, {
      detail: 'upstream in this file',
      documentation: upstreamMarkdown(model, upstream, ctx),
      sortText: `0${upstream.name}`,
    });
  }
  if (!stream) {
    for (const upstream of [...(ctx.workspace.upstreams ?? [])].sort()) {
      if (seen.has(upstream)) continue;
      seen.add(upstream);
      add(`${scheme}${upstream}`, {
        detail: 'upstream in the workspace',
        documentation: `The upstream \`${upstream}\`, defined in another nginx file of the workspace.`,
        sortText: `1${upstream}`,
      });
    }
  }
  if (name === 'proxy_pass' && !stream) {
    for (const address of [...(ctx.workspace.gunicornAddresses ?? [])].sort()) {
      add(`http://${address}`, {
        detail: 'Gunicorn listens here',
        documentation: `Gunicorn binds \`${address}\` according to the workspace's Gunicorn configuration.`,
        sortText: `2${address}`,
      });
    }
  }
  if (scheme) {
    add(scheme, { detail: 'scheme', documentation: 'Then an address or an upstream name.', sortText: '3' });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------------------
// Variables

let builtinMemo: { name: string; detail: string; documentation: string; prefix: boolean }[] | undefined;

function builtins(): NonNullable<typeof builtinMemo> {
  builtinMemo ??= nginxCatalog().variables.map((info) => ({
    name: info.name,
    detail: info.prefix ? `$${info.name}… (${info.module})` : info.module,
    documentation: info.prefix ? info.doc : variableMarkdown(info.name, info),
    prefix: !!info.prefix,
  }));
  return builtinMemo;
}

function variableCompletions(
  model: NginxModel,
  fit: Fit,
  from: number,
  braced: boolean,
  closed: boolean,
): CompletionEntry[] {
  const open = braced ? '${' : '$';
  const close = braced && !closed ? '}' : '';
  const entries: CompletionEntry[] = [];
  for (const [name, defined] of fileSymbols(model).variables) {
    const insertText = fit(from, `${open}${name}${close}`);
    if (insertText === undefined) continue;
    const line = model.lines.positionAt(defined.directive.span.from).line + 1;
    entries.push({
      label: `$${name}`,
      kind: 'variable',
      detail: `${defined.directive.name} on line ${line}`,
      documentation: `Defined in this file by \`${defined.directive.name}\` on line ${line}.`,
      insertText,
      isSnippet: false,
      filterText: insertText,
      sortText: `0${name}`,
    });
  }
  const defined = fileSymbols(model).variables;
  for (const variable of builtins()) {
    if (defined.has(variable.name)) continue;
    if (variable.prefix) {
      const head = fit(from, `${open}${variable.name}`);
      if (head === undefined) continue;
      entries.push({
        label: `$${variable.name}…`,
        kind: 'variable',
        detail: variable.detail,
        documentation: variable.documentation,
        insertText: `${snippetEscape(head)}\${1:name}${close}`,
        plainInsertText: head,
        isSnippet: true,
        filterText: head,
        sortText: `2${variable.name}`,
      });
      continue;
    }
    const insertText = fit(from, `${open}${variable.name}${close}`);
    if (insertText === undefined) continue;
    entries.push({
      label: `$${variable.name}`,
      kind: 'variable',
      detail: variable.detail,
      documentation: variable.documentation,
      insertText,
      isSnippet: false,
      filterText: insertText,
      sortText: `1${variable.name}`,
    });
  }
  return entries;
}
