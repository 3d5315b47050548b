// Tolerant, offset-preserving nginx configuration parser: tokens as nginx reads them, directives, blocks, contexts.

import { sharedParse } from '../../core/sharedParses';
import { LineIndex } from '../../core/text';
import type { Span } from '../gunicorn/model';
import { nginxCatalog, VALUE_CONTEXTS } from './catalog';
import type { NginxContext } from './catalogTypes';
import { tokenize, type Token } from './tokenize';

export type { Span } from '../gunicorn/model';

/** One word of a directive, as nginx tokenizes it. */
export interface NginxToken {
  /** The value nginx sees: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` escapes resolved. */
  value: string;
  /** The raw token in the text, quotes included. */
  span: Span;
  quote: '"' | "'" | null;
}

export interface NginxBlock {
  /** The `{`. */
  open: Span;
  /** The matching `}`, or null when the file ends first. */
  close: Span | null;
  children: NginxDirective[];
  /** The context of the children; null inside a block nginx does not know (their checks are skipped). */
  context: NginxContext | null;
}

export interface NginxDirective {
  name: string;
  nameToken: NginxToken;
  args: NginxToken[];
  /** From the name to the `;`, or through the closing `}` for blocks. */
  span: Span;
  /** What ended the directive: `;`, a block, or nothing (a parse problem was recorded). */
  end: ';' | '{' | 'missing';
  /** The `;` when there is one. */
  semicolon: Span | null;
  block: NginxBlock | null;
  parent: NginxDirective | null;
  /** The context the directive appears in; null inside an unknown block. */
  context: NginxContext | null;
}

export type NginxProblemCode =
  | 'missing-semicolon'
  | 'unexpected-brace'
  | 'unexpected-semicolon'
  | 'unclosed-block'
  | 'unterminated-quote'
  | 'missing-space'
  | 'binary';

export interface NginxProblem {
  code: NginxProblemCode;
  span: Span;
  message: string;
}

export interface NginxComment {
  /** From `#` to the end of the line. */
  span: Span;
  /** True when nothing but whitespace precedes it on its line. */
  aloneOnLine: boolean;
}

export interface NginxModel {
  text: string;
  lines: LineIndex;
  /** The context of the file's top level: `main` for nginx.conf, `http` for a site file, … */
  rootContext: NginxContext;
  /** True when the root context was given by the caller (the file is included from a known place). */
  rootContextKnown: boolean;
  /** Top-level directives. */
  directives: NginxDirective[];
  /** Every directive in document order, nested ones included. */
  all: NginxDirective[];
  comments: NginxComment[];
  problems: NginxProblem[];
}

export interface NginxParseOptions {
  /** Where the file's top level sits, when known (for example from the `include` that pulls it in). */
  rootContext?: NginxContext;
}

/** No offset: a directive without a `;`, a block without its `}`. */
const NO_OFFSET = -1;

/**
 * Parsed directives and blocks (and tokens, see tokenize.ts) keep their offsets as numbers and make a span when one
 * is asked for: parses are kept across model builds, and a span object for each token, directive, `;` and brace was
 * a fifth of a parse.
 */
class Block implements NginxBlock {
  /** The offset of the matching `}`, or NO_OFFSET until it is read. */
  closeAt = NO_OFFSET;
  children: NginxDirective[] = [];
  context: NginxContext | null = null;

  constructor(private readonly openAt: number) {}

  get open(): Span {
    return { from: this.openAt, to: this.openAt + 1 };
  }

  get close(): Span | null {
    return this.closeAt === NO_OFFSET ? null : { from: this.closeAt, to: this.closeAt + 1 };
  }
}

class Directive implements NginxDirective {
  readonly name: string;
  block: Block | null = null;
  context: NginxContext | null = null;

  constructor(
    readonly nameToken: Token,
    readonly args: Token[],
    readonly from: number,
    /** Moved to the closing `}` (or the end of the file) once the block is read. */
    public to: number,
    readonly end: NginxDirective['end'],
    private readonly semicolonAt: number,
    readonly parent: Directive | null,
  ) {
    this.name = nameToken.value;
  }

  get span(): Span {
    return { from: this.from, to: this.to };
  }

  get semicolon(): Span | null {
    return this.semicolonAt === NO_OFFSET ? null : { from: this.semicolonAt, to: this.semicolonAt + 1 };
  }
}

const MAIN_ONLY_BLOCKS = new Set(['events', 'http', 'stream', 'mail']);

/** The context of the top level when nobody says: whichever of main, http, server, location accepts its directives. */
export function inferRootContext(topLevelNames: readonly string[]): NginxContext {
  // Blocks that exist only at the top of nginx.conf settle it, whatever else a broken file holds at its top level.
  if (topLevelNames.some((name) => MAIN_ONLY_BLOCKS.has(name))) return 'main';
  const catalog = nginxCatalog();
  const known = topLevelNames.filter((name) => catalog.isKnown(name) && name !== 'include');
  const candidates: NginxContext[] = ['main', 'http', 'server', 'location', 'stream'];
  let best: NginxContext = 'main';
  let bestCount = -1;
  for (const context of candidates) {
    const count = known.filter((name) => catalog.directive(name, context)).length;
    if (count === known.length) return context;
    if (count > bestCount) {
      best = context;
      bestCount = count;
    }
  }
  return best;
}

function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  return sample.includes('\u0000');
}

/**
 * The parse of a workspace file's text, shared with the run's other passes over that file, or kept across the
 * server's model builds (core/sharedParses.ts).
 */
export function parseNginxFile(
  path: string | undefined,
  text: string,
  options: NginxParseOptions = {},
): NginxModel {
  return sharedParse(`nginx:${options.rootContext ?? ''}`, path, text, () => parseNginxConfig(text, options));
}

export function parseNginxConfig(text: string, options: NginxParseOptions = {}): NginxModel {
  const lines = new LineIndex(text);
  const comments: NginxComment[] = [];
  const problems: NginxProblem[] = [];
  const model: NginxModel = {
    text,
    lines,
    rootContext: options.rootContext ?? 'main',
    rootContextKnown: options.rootContext !== undefined,
    directives: [],
    all: [],
    comments,
    problems,
  };
  if (looksBinary(text)) {
    problems.push({
      code: 'binary',
      span: { from: 0, to: Math.min(text.length, 1) },
      message:
        'This file contains NUL bytes: it looks binary, not like an nginx configuration. It was not checked.',
    });
    return model;
  }
  const tokens = tokenize(text, comments, problems);
  const catalog = nginxCatalog();

  // Build the tree without contexts first; contexts are assigned once the root context is known.
  interface Frame {
    owner: Directive | null;
    children: NginxDirective[];
  }
  const root: Frame = { owner: null, children: model.directives };
  const stack: Frame[] = [root];
  let pending: Token[] = [];

  const top = (): Frame => stack[stack.length - 1]!;
  const makeDirective = (words: Token[], end: NginxDirective['end'], endSpan: Token | null): Directive => {
    const nameToken = words[0]!;
    const last = words[words.length - 1]!;
    const directive = new Directive(
      nameToken,
      words.slice(1),
      nameToken.from,
      endSpan ? endSpan.to : last.to,
      end,
      end === ';' ? endSpan!.from : NO_OFFSET,
      top().owner,
    );
    top().children.push(directive);
    model.all.push(directive);
    return directive;
  };
  const missingSemicolon = (words: Token[], before: string): void => {
    const last = words[words.length - 1]!;
    problems.push({
      code: 'missing-semicolon',
      span: { from: last.span.to, to: last.span.to },
      message: `Missing ";" after ${words[0]!.value}: nginx reads on ${before}.`,
    });
    makeDirective(words, 'missing', null);
  };

  for (const { kind, token, startsLine } of tokens) {
    if (kind === 'word') {
      // A known directive name at the start of a line after a complete directive: the ";" before it is missing.
      // nginx would glue the lines together and blame the argument count; saying what is wrong helps more.
      if (
        pending.length >= 2 &&
        startsLine &&
        token.quote === null &&
        catalog.isKnownInAnyRelease(token.value) &&
        completeWithout(pending)
      ) {
        missingSemicolon(pending, `into the next line (${token.value})`);
        pending = [];
      }
      pending.push(token);
      continue;
    }
    if (kind === ';') {
      if (!pending.length) {
        problems.push({
          code: 'unexpected-semicolon',
          span: token.span,
          message: 'Unexpected ";" with no directive before it.',
        });
        continue;
      }
      makeDirective(pending, ';', token);
      pending = [];
      continue;
    }
    if (kind === '{') {
      if (!pending.length) {
        problems.push({
          code: 'unexpected-brace',
          span: token.span,
          message: 'Unexpected "{" with no directive name before it.',
        });
        // Still read the block so its closing brace does not close the enclosing one.
        const anonymous: Frame = { owner: null, children: [] };
        stack.push(anonymous);
        continue;
      }
      const directive = makeDirective(pending, '{', token);
      directive.block = new Block(token.from);
      stack.push({ owner: directive, children: directive.block.children });
      pending = [];
      continue;
    }
    // kind === '}'
    if (pending.length) missingSemicolon(pending, 'into the "}"');
    pending = [];
    if (stack.length === 1) {
      problems.push({
        code: 'unexpected-brace',
        span: token.span,
        message: 'Unexpected "}": no block is open here.',
      });
      continue;
    }
    const frame = stack.pop()!;
    if (frame.owner?.block) {
      frame.owner.block.closeAt = token.from;
      frame.owner.to = token.to;
    }
  }
  if (pending.length) missingSemicolon(pending, 'to the end of the file');
  for (let level = stack.length - 1; level > 0; level--) {
    const owner = stack[level]!.owner;
    const open = owner?.block?.open;
    if (owner && open) owner.to = text.length;
    problems.push({
      code: 'unclosed-block',
      span: open ?? { from: text.length, to: text.length },
      message: `Unclosed block${owner ? ` ${owner.name}` : ''}: this "{" has no matching "}" before the end of the file.`,
    });
  }

  if (!options.rootContext) model.rootContext = inferRootContext(model.directives.map((d) => d.name));
  assignContexts(model.directives, model.rootContext);
  model.all.sort((a, b) => a.span.from - b.span.from);
  // Parses are kept across model builds, and an array grown a push at a time keeps spare room (half again its
  // length and more): copies hold just their items.
  model.directives = model.directives.slice();
  model.all = model.all.slice();
  model.comments = comments.slice();
  for (const directive of model.all) {
    if (directive.block) directive.block.children = directive.block.children.slice();
  }
  return model;
}

/** True when the directive in `words` already has enough arguments to stand on its own (per the catalogue). */
function completeWithout(words: readonly NginxToken[]): boolean {
  const entries = nginxCatalog().entries(words[0]!.value);
  if (!entries.length) return true;
  const args = words.length - 1;
  return entries.some(
    (entry) => args >= entry.args.min && (entry.args.max === null || args <= entry.args.max),
  );
}

function assignContexts(directives: readonly NginxDirective[], context: NginxContext | null): void {
  const catalog = nginxCatalog();
  // An explicit work list, not recursion: a file of thousands of nested blocks (`http {` × 20000) overflowed the
  // call stack here and made parsing throw.
  const pending: { directives: readonly NginxDirective[]; context: NginxContext | null }[] = [
    { directives, context },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const directive of next.directives) {
      directive.context = next.context;
      if (!directive.block) continue;
      let inner: NginxContext | null = null;
      if (next.context && !VALUE_CONTEXTS.has(next.context)) {
        // A known block in the wrong place still opens its usual context, so its contents are checked sensibly.
        inner =
          catalog.blockContext(directive.name, next.context) ??
          catalog.anyBlockContext(directive.name) ??
          null;
      }
      directive.block.context = inner;
      pending.push({ directives: directive.block.children, context: inner });
    }
  }
}

/** The innermost directive whose span contains `offset`. */
export function directiveAt(model: NginxModel, offset: number): NginxDirective | undefined {
  let found: NginxDirective | undefined;
  let list: readonly NginxDirective[] = model.directives;
  for (;;) {
    // When two directives touch (`listen 80;listen 81;`), the one starting at `offset` wins.
    const hit =
      list.find((d) => d.span.from <= offset && offset < d.span.to) ??
      list.find((d) => d.span.from <= offset && offset <= d.span.to);
    if (!hit) return found;
    found = hit;
    if (!hit.block) return found;
    list = hit.block.children;
  }
}

/** The context at `offset`: inside the innermost block whose braces contain it, else the root context. */
export function contextAt(model: NginxModel, offset: number): NginxContext | null {
  let context: NginxContext | null = model.rootContext;
  let list: readonly NginxDirective[] = model.directives;
  for (;;) {
    const inside = list.find(
      (d) => d.block && d.block.open.to <= offset && (d.block.close === null || offset <= d.block.close.from),
    );
    if (!inside?.block) return context;
    context = inside.block.context;
    list = inside.block.children;
  }
}

/** Walks every directive, depth first, in document order. */
/**
 * Every directive of a parse's block tree, depth first in document order, listed once per parse: the workspace index
 * walks every nginx file of the workspace on each model build, and walking by generator made two short-lived objects
 * per directive each time.
 */
export function directivesOf(model: NginxModel): readonly NginxDirective[] {
  let list = treeOrder.get(model);
  if (!list) treeOrder.set(model, (list = [...walk(model.directives)]));
  return list;
}

const treeOrder = new WeakMap<NginxModel, readonly NginxDirective[]>();

export function* walk(directives: readonly NginxDirective[]): Generator<NginxDirective> {
  // An explicit stack of sibling iterators, not nested `yield*`: deeply nested blocks overflowed the call stack (and
  // every directive passed up through one generator per level).
  const stack: Iterator<NginxDirective>[] = [directives[Symbol.iterator]()];
  while (stack.length) {
    const next = stack[stack.length - 1]!.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    yield next.value;
    if (next.value.block) stack.push(next.value.block.children[Symbol.iterator]());
  }
}
