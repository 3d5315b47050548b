// What nginx hover and completion read from a parsed file besides the catalogue: the statement under the cursor,
// upstream blocks, variables the file defines, variable references inside a word, and comment positions.

import { nginxCatalog, VALUE_CONTEXTS } from './catalog';
import type { NginxContext } from './catalogTypes';
import { directivesOf, type NginxDirective, type NginxModel, type NginxToken, type Span } from './parse';

/** The statement the cursor is in: where it sits, its words so far, and the word being typed. */
export interface NginxStatement {
  /** The context the statement is written in (null inside a block nginx does not know). */
  context: NginxContext | null;
  /** The directive being written, when it has at least a name. */
  directive: NginxDirective | undefined;
  /** Name and arguments of that directive, in order (empty for a fresh statement). */
  words: readonly NginxToken[];
  /** Which word the cursor is on: 0 is the name, 1 the first argument… */
  index: number;
  /** The word containing the cursor (it started before the cursor), if any. */
  token: NginxToken | undefined;
  /** The raw text of that word from its start up to the cursor; '' when the cursor starts a new word. */
  typed: string;
  /** Where `typed` starts in the document. */
  typedFrom: number;
  /** The directives of the block (or file) the statement is written in. */
  siblings: readonly NginxDirective[];
}

export function isBinary(model: NginxModel): boolean {
  return model.problems.some((p) => p.code === 'binary');
}

/** True when `offset` lies inside a comment (after its `#`). */
export function inComment(model: NginxModel, offset: number): boolean {
  const comments = model.comments;
  // Comments are in document order: binary search for the last one starting before the offset.
  let lo = 0;
  let hi = comments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid]!.span.from < offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return false;
  const span = comments[found]!.span;
  return offset > span.from && offset <= span.to;
}

/** The last directive of a list (sorted by position) whose span starts at or before `offset`. */
function lastStartingBefore(list: readonly NginxDirective[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.span.from <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Fewest arguments any catalogue entry of `name` needs (0 for unknown names). */
function fewestArgs(name: string): number {
  const entries = nginxCatalog().entries(name);
  return entries.length ? Math.min(...entries.map((e) => e.args.min)) : 0;
}

/** The statement at `offset`: found in the parse tree, so quotes, comments and blocks are read as nginx reads them. */
export function statementAt(model: NginxModel, offset: number): NginxStatement {
  let list: readonly NginxDirective[] = model.directives;
  let context: NginxContext | null = model.rootContext;
  const fresh = (): NginxStatement => ({
    context,
    directive: undefined,
    words: [],
    index: 0,
    token: undefined,
    typed: '',
    typedFrom: offset,
    siblings: list,
  });
  for (;;) {
    const at = lastStartingBefore(list, offset);
    const hit = at >= 0 ? list[at] : undefined;
    if (hit && offset <= hit.span.to) {
      const block = hit.block;
      if (block && offset > block.open.from) {
        if (block.close && offset > block.close.from) return fresh(); // right after the `}`
        list = block.children;
        context = block.context;
        continue;
      }
      if (hit.semicolon && offset > hit.semicolon.from) return fresh(); // right after the `;`
      return headStatement(model, hit, context, offset, list);
    }
    // A directive left without `;` just before the cursor still takes words typed on its line, or on the next
    // lines while it lacks required arguments (nginx would read on, too).
    if (hit && hit.end === 'missing') {
      const gap = model.text.slice(hit.span.to, offset);
      const sameLine = /^[ \t]*$/.test(gap);
      if (sameLine || (/^\s*$/.test(gap) && hit.args.length < fewestArgs(hit.name))) {
        return headStatement(model, hit, context, offset, list);
      }
    }
    return fresh();
  }
}

function headStatement(
  model: NginxModel,
  directive: NginxDirective,
  context: NginxContext | null,
  offset: number,
  siblings: readonly NginxDirective[],
): NginxStatement {
  const words = [directive.nameToken, ...directive.args];
  let index = 0;
  for (const word of words) {
    if (word.span.from < offset && offset <= word.span.to) {
      return {
        context,
        directive,
        words,
        index,
        token: word,
        typed: model.text.slice(word.span.from, offset),
        typedFrom: word.span.from,
        siblings,
      };
    }
    if (word.span.to < offset) index++;
  }
  return { context, directive, words, index, token: undefined, typed: '', typedFrom: offset, siblings };
}

/** An upstream block defined in the file. */
export interface UpstreamDefinition {
  name: string;
  directive: NginxDirective;
  /** `http` or `stream` (the context the block sits in), null when unknown. */
  family: 'http' | 'stream' | null;
}

/** A variable the file defines itself (`set $x`, `map … $x {`, `geo … $x {`, …). */
export interface VariableDefinition {
  name: string;
  directive: NginxDirective;
}

interface FileSymbols {
  upstreams: UpstreamDefinition[];
  variables: Map<string, VariableDefinition>;
}

const symbolsMemo = new WeakMap<NginxModel, FileSymbols>();

/** The argument of a defining directive that names the variable it defines. */
function definedVariableToken(directive: NginxDirective): NginxToken | undefined {
  switch (directive.name) {
    case 'set':
    case 'auth_request_set':
    case 'js_set':
    case 'perl_set':
      return directive.args[0];
    case 'map':
    case 'split_clients':
      return directive.args[1];
    case 'geo':
    case 'geoip2':
      return directive.args[directive.args.length - 1];
    default:
      return undefined;
  }
}

export function familyOf(context: NginxContext | null): 'http' | 'stream' | null {
  if (context === 'http') return 'http';
  if (context === 'stream') return 'stream';
  return null;
}

/** Upstreams and variables defined in the file, computed once per parse. */
export function fileSymbols(model: NginxModel): FileSymbols {
  let symbols = symbolsMemo.get(model);
  if (symbols) return symbols;
  symbols = { upstreams: [], variables: new Map() };
  for (const directive of directivesOf(model)) {
    if (directive.name === 'upstream' && directive.block && directive.args[0]) {
      symbols.upstreams.push({
        name: directive.args[0].value,
        directive,
        family: familyOf(directive.context),
      });
      continue;
    }
    const token = definedVariableToken(directive);
    const match = token ? /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(token.value) : null;
    if (match && !symbols.variables.has(match[1]!)) {
      symbols.variables.set(match[1]!, { name: match[1]!, directive });
    }
  }
  symbolsMemo.set(model, symbols);
  return symbols;
}

/** A `$name` or `${name}` reference inside a word, with its document span. */
export interface VariableReference {
  name: string;
  span: Span;
  braced: boolean;
}

/** Variable references in a token's raw text (variables expand inside quoted strings too). */
export function variableReferences(model: NginxModel, token: NginxToken): VariableReference[] {
  const raw = model.text.slice(token.span.from, token.span.to);
  const result: VariableReference[] = [];
  for (const match of raw.matchAll(/\$(?:\{([A-Za-z0-9_]*)\}?|([A-Za-z0-9_]+))/g)) {
    const name = match[1] ?? match[2] ?? '';
    if (!name) continue;
    const from = token.span.from + match.index;
    result.push({ name, span: { from, to: from + match[0].length }, braced: match[1] !== undefined });
  }
  return result;
}

/** Whether `context` holds value pairs rather than directives (`map`, `geo`, `types`, `split_clients`). */
export function isValueContext(context: NginxContext | null): boolean {
  return context !== null && VALUE_CONTEXTS.has(context);
}

/**
 * The word VS Code replaces when it inserts a completion (the match of the nginx word pattern that touches the
 * cursor, see language-configuration/nginx.json), as a document offset; the cursor itself when no word touches it.
 */
export function wordStart(model: NginxModel, offset: number): number {
  const { line, character } = model.lines.positionAt(offset);
  const lineStart = offset - character;
  const text = model.lines.lineText(line).slice(0, character);
  const pattern = /(\d+(?:\.\d+)?[A-Za-z]*)|(\$\{?[A-Za-z_]\w*\}?)|([A-Za-z_][\w.-]*)/g;
  for (const match of text.matchAll(pattern)) {
    if (match.index + match[0].length === character) return lineStart + match.index;
  }
  return offset;
}

/**
 * The text to insert so that the word at the cursor becomes `full`, written from `from` (the start of what is
 * being completed): clients replace only the word, so anything before it stays and is cut from the insertion.
 * Undefined when what is typed before the word does not lead to `full`.
 */
export function fitter(
  model: NginxModel,
  offset: number,
): (from: number, full: string) => string | undefined {
  const start = wordStart(model, offset);
  return (from, full) => {
    if (start <= from) return model.text.slice(start, from) + full;
    const head = model.text.slice(from, start);
    if (!full.toLowerCase().startsWith(head.toLowerCase())) return undefined;
    return full.slice(head.length);
  };
}
