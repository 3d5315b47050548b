// Rule: nginx-invalid-value — an argument nginx's own parser refuses (size, time, number, enumeration, bitmask, or
// a directive with its own reader such as listen, limit_req, expires, return, error_page).

import type { Fix } from '../../../core/findings';
import type { TextEdit } from '../../../core/text';
import type { NginxCatalog } from '../catalog';
import type { NginxContext, NginxDirectiveInfo } from '../catalogTypes';
import type { NginxDirective, NginxToken, Span } from '../parse';
import { VALUE_HANDLERS, type ArgProblem } from '../valueHandlers';
import { hasPlaceholder, parseNginxValue, type NginxValueSpec } from '../values';
import { acceptsCount, governingEntries } from './genericShared';
import type { NginxRule, NginxRuleContext } from './types';
import { nginxRuleDocsUrl } from './types';

/** The most findings one directive gets. */
const MAX_PER_DIRECTIVE = 10;

export interface InvalidValueOptions {
  /** How a catalogue entry's arguments are read; by default what the catalogue says. */
  valueSpec?: (entry: NginxDirectiveInfo) => NginxValueSpec | undefined;
}

/** The one spec every entry agrees on, or undefined when they differ or one has none. */
function agreedSpec(
  entries: readonly NginxDirectiveInfo[],
  specOf: (entry: NginxDirectiveInfo) => NginxValueSpec | undefined,
): NginxValueSpec | undefined {
  const specs = entries.map(specOf);
  const first = specs[0];
  if (!first) return undefined;
  const key = (s: NginxValueSpec | undefined): string => (s ? `${s.kind}:${(s.values ?? []).join(',')}` : '');
  return specs.every((s) => key(s) === key(first)) ? first : undefined;
}

/** http's contexts, against those of stream and mail. */
const HTTP_CONTEXTS: ReadonlySet<NginxContext> = new Set([
  'http',
  'server',
  'location',
  'if',
  'limit_except',
  'upstream',
]);

/** True when every catalogue entry of the name sits in contexts that pass `inside` (a directive only that world has). */
function onlyIn(catalog: NginxCatalog, name: string, inside: (context: NginxContext) => boolean): boolean {
  const entries = catalog.entries(name);
  return entries.length > 0 && entries.every((e) => e.contexts.every(inside));
}

/**
 * In a file whose top level was only guessed, a `server {}` may be http's, stream's or mail's, so the directive has
 * entries of each (listen is read by three different handlers). When the block holds a directive only http has
 * (`location`, `proxy_set_header`, `try_files`…) and none only stream or mail has, it is http's: keep http's entries.
 */
function narrowedByBlock(
  catalog: NginxCatalog,
  directive: NginxDirective,
  entries: readonly NginxDirectiveInfo[] | undefined,
): readonly NginxDirectiveInfo[] | undefined {
  const isHttp = (e: NginxDirectiveInfo): boolean => e.contexts.some((c) => HTTP_CONTEXTS.has(c));
  if (!entries || entries.every(isHttp) || !entries.some(isHttp)) return entries;
  const siblings = directive.parent?.block?.children ?? [];
  const http = siblings.some((d) => onlyIn(catalog, d.name, (c) => HTTP_CONTEXTS.has(c)));
  const other = siblings.some((d) => onlyIn(catalog, d.name, (c) => !HTTP_CONTEXTS.has(c)));
  return http && !other ? entries.filter(isHttp) : entries;
}

/** Problems with the arguments of a generic-slot directive: the first argument, or every one for a bitmask. */
function genericProblems(
  directive: NginxDirective,
  spec: NginxValueSpec,
  /** The release that first takes a keyword this one refuses, if any. */
  keywordSince: (word: string) => string | undefined,
): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const args = spec.kind === 'bitmask' ? directive.args : directive.args.slice(0, 1);
  args.forEach((token, index) => {
    // nginx's generic readers expand no variables, but a `$` here is far more often a template placeholder filled in
    // before nginx reads the file: unknown, not wrong.
    if (hasPlaceholder(token.value) || problems.length >= MAX_PER_DIRECTIVE) return;
    const result = parseNginxValue(token.value, spec);
    if (result.ok) return;
    const since = spec.kind === 'enum' || spec.kind === 'bitmask' ? keywordSince(token.value) : undefined;
    if (since) {
      problems.push({ arg: index, reason: `nginx takes it from ${since} on, and the target nginx is older` });
      return;
    }
    problems.push({
      arg: index,
      reason: result.reason,
      ...(result.replacement ? { replacement: result.replacement } : {}),
      ...(result.suggestions ? { suggestions: result.suggestions } : {}),
    });
  });
  return problems;
}

/** The span of the refused part: a sub-range only where the raw text is the value itself (no quotes or escapes). */
function problemSpan(directive: NginxDirective, token: NginxToken | undefined, problem: ArgProblem): Span {
  if (!token) return directive.nameToken.span;
  const raw = token.span.to - token.span.from;
  if (problem.part && token.quote === null && raw === token.value.length) {
    return { from: token.span.from + problem.part.from, to: token.span.from + problem.part.to };
  }
  return token.span;
}

/** Deletes an argument and the blanks before it, so `listen 443 ssl quic;` becomes `listen 443 ssl;`. */
function removal(context: NginxRuleContext, directive: NginxDirective, token: NginxToken): TextEdit {
  let from = token.span.from;
  const text = context.model.text;
  while (from > directive.nameToken.span.to && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return { range: context.range({ from, to: token.span.to }), newText: '' };
}

/** Inserts a directive on the line after this one, with the same indentation. */
function insertionAfter(context: NginxRuleContext, directive: NginxDirective, line: string): TextEdit {
  const { text, lines } = context.model;
  const lineStart = directive.span.from - lines.positionAt(directive.span.from).character;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, directive.span.from))![0];
  const end = (directive.semicolon ?? directive.span).to;
  return { range: context.range({ from: end, to: end }), newText: `\n${indent}${line}` };
}

function fixesFor(
  context: NginxRuleContext,
  directive: NginxDirective,
  token: NginxToken | undefined,
  problem: ArgProblem,
  added: Set<NginxDirective | null>,
): Fix[] {
  if (!token) return [];
  const where = context.range(token.span);
  const fixes: Fix[] = [];
  if (problem.replacement !== undefined) {
    fixes.push({
      title: `Change to ${problem.replacement}`,
      edits: [{ range: where, newText: problem.replacement }],
      isPreferred: true,
    });
  }
  for (const suggestion of problem.suggestions ?? []) {
    if (suggestion === problem.replacement || suggestion.endsWith('=')) continue;
    fixes.push({ title: `Change to ${suggestion}`, edits: [{ range: where, newText: suggestion }] });
  }
  const add = problem.addDirective;
  if (add) {
    // Offered once per block, and only when the block lacks the directive: a second one would be a duplicate.
    const block = directive.parent;
    const name = add.split(' ')[0]!;
    const siblings = block?.block?.children ?? context.model.directives;
    if (!added.has(block) && !siblings.some((d) => d.name === name)) {
      added.add(block);
      fixes.push({
        title: `Write "${add}" instead`,
        edits: [removal(context, directive, token), insertionAfter(context, directive, add)],
        isPreferred: true,
      });
      return fixes;
    }
  }
  if (problem.remove) {
    fixes.push({
      title: `Remove ${token.value}`,
      edits: [removal(context, directive, token)],
      isPreferred: problem.replacement === undefined,
    });
  }
  return fixes;
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

function message(directive: NginxDirective, token: NginxToken | undefined, problem: ArgProblem): string {
  const choices = problem.suggestions?.filter((s) => s !== token?.value) ?? [];
  const hint = choices.length ? ` Did you mean ${choices.map((s) => `"${s}"`).join(' or ')}?` : '';
  if (problem.severity === 'warning') return `${capitalize(problem.reason)}.${hint}`;
  const subject = token ? `"${directive.name}" does not accept "${token.value}": ` : '';
  return `${subject}${subject ? problem.reason : capitalize(problem.reason)}. nginx will refuse to start.${hint}`;
}

/** The catalogue's value kind for an entry (present once the catalogue carries kinds). */
function catalogSpec(catalog: NginxCatalog): (entry: NginxDirectiveInfo) => NginxValueSpec | undefined {
  return (entry) => catalog.valueSpec(entry);
}

/** The rule, for a given version and value-kind source (tests and the oracle pin both). */
export function createInvalidValueRule(options: InvalidValueOptions = {}): NginxRule {
  return {
    meta: {
      id: 'nginx-invalid-value',
      defaultSeverity: 'error',
      description:
        'An argument nginx refuses (a size, time, number, listen parameter, status code or word it does not know); nginx will refuse to start.',
      docsUrl: nginxRuleDocsUrl('nginx-invalid-value'),
    },
    check(context) {
      const { model, catalog, path } = context;
      // A target only assumed (the newest release) is judged leniently: anything the newest nginx takes passes, and
      // nothing that depends on knowing the version (the listen … http2 deprecation) is said.
      const target = context.nginxTarget;
      const version = target.assumed ? undefined : target.version;
      const specOf = options.valueSpec ?? catalogSpec(catalog);
      const added = new Set<NginxDirective | null>();
      for (const directive of model.all) {
        // The catalogue is the one of the target release: a directive whose value kind changed between releases
        // (proxy_http_version 2 from 1.29.4) has the entry of that release only.
        const entries = narrowedByBlock(
          catalog,
          directive,
          governingEntries(catalog, model, path, directive),
        );
        if (!entries?.length) continue;
        // A wrong argument count is reported by nginx-argument-count, and nginx stops there before reading values.
        if (!entries.some((e) => acceptsCount(e.args, directive.args.length))) continue;
        // A custom reader belongs to one module: the same name elsewhere (stream's listen, upstream's
        // keepalive_timeout) is read by another handler, generic or not.
        const handler = VALUE_HANDLERS.get(directive.name);
        let problems: ArgProblem[];
        if (handler && entries.every((e) => e.module === handler.module)) {
          problems = handler.check(
            directive.args.map((a) => a.value),
            version,
          );
        } else {
          const spec = agreedSpec(entries, specOf);
          // on/off directives have their own rule, nginx-invalid-flag.
          if (!spec || (spec.kind === 'flag' && entries.every((e) => e.args.flag))) continue;
          problems = genericProblems(directive, spec, (word) => catalog.keywordSince(entries[0]!, word));
        }
        // nginx stops at the first; a few more help, thousands (a fuzzed or generated line) do not.
        for (const problem of problems.slice(0, MAX_PER_DIRECTIVE)) {
          const token = problem.arg >= 0 ? directive.args[problem.arg] : undefined;
          context.report({
            range: context.range(problemSpan(directive, token, problem)),
            message: message(directive, token, problem),
            ...(problem.severity ? { severity: problem.severity } : {}),
            fixes: fixesFor(context, directive, token, problem, added),
          });
        }
      }
    },
  };
}

export const nginxInvalidValue: NginxRule = createInvalidValueRule();
