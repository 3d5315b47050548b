// Formats an nginx configuration by rewriting only the whitespace between nginx's own tokens, so nginx reads the
// same directives and arguments: indentation by block depth, one directive per line, comments kept where they are.

import {
  countLineFeeds,
  finalLineBreaks,
  indentUnit,
  lineBreakOf,
  type FormatOptions,
  type OffsetEdit,
} from '../../core/formatting';
import type { Span } from '../gunicorn/model';
import { isLuaBlockDirective } from './luaBlock';
import type { NginxDirective, NginxModel } from './parse';

/** One thing the formatter never changes: a word, `;`, `{`, `}` or a comment. */
interface Atom {
  from: number;
  to: number;
  kind: 'name' | 'arg' | ';' | '{' | '}' | 'comment';
  /** A Lua block's `{`: its body, up to the `}`, is Lua source and stays exactly as written. */
  lua?: boolean;
}

/** Whitespace anywhere between atoms: nginx's tokenizer skips exactly these. */
const WHITESPACE = /^[ \t\r\n]*$/;

/**
 * The edits that format `model`'s text, or none when the file does not parse cleanly (rewriting a file nginx rejects
 * could change what the user meant). With `range`, only the statements it touches are formatted, each of them whole.
 */
export function formatNginx(model: NginxModel, options: FormatOptions, range?: Span): OffsetEdit[] {
  if (model.problems.length) return [];
  const text = model.text;
  const atoms = atomsOf(model);
  if (!atoms.length) return [];
  const eol = lineBreakOf(text);
  const unit = indentUnit(options);
  const indent = (depth: number): string => unit.repeat(Math.max(0, depth));
  const edits: OffsetEdit[] = [];
  let depth = 0;
  // Between a directive's name and its `;` or `{`: atoms on a new line are continuation lines, one level deeper.
  let inStatement = false;
  let previous: Atom | undefined;
  let cursor = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let luaBody = false;
  for (const atom of atoms) {
    // Atoms come in document order; one that does not would mean a misread tree: touch nothing.
    if (atom.from < cursor) return [];
    const gap = text.slice(cursor, atom.from);
    if (!luaBody) {
      // The atoms cover everything nginx reads; anything else in a gap means we misread the file: touch nothing.
      if (!WHITESPACE.test(gap)) return [];
      if (atom.kind === '}') depth--;
      const lineFeeds = countLineFeeds(gap);
      let wanted: string;
      if (!previous) wanted = '';
      else if (atom.kind === 'comment' && lineFeeds === 0) wanted = ' ';
      else if (inStatement) {
        if (previous.kind === 'comment' || (lineFeeds > 0 && atom.kind === 'arg')) {
          wanted = eol + indent(depth + 1);
        }
        // No gap at all between two words happens only after a closing quote (`($a = "b")`): nginx reads it as is.
        else if (atom.kind === ';' || (atom.kind === 'arg' && gap === '')) wanted = '';
        else wanted = ' ';
      } else wanted = eol.repeat(Math.min(2, Math.max(1, lineFeeds))) + indent(depth);
      edits.push({ from: cursor, to: atom.from, text: wanted });
    } else if (atom.kind === '}') {
      // The Lua body stays as written; only a `}` alone on its last line is indented like its directive (the spaces
      // before it mean nothing to Lua: the `}` was found outside any Lua string).
      const lastLine = gap.lastIndexOf('\n') + 1;
      if (lastLine > 0 && /^[ \t]*$/.test(gap.slice(lastLine))) {
        edits.push({ from: cursor + lastLine, to: atom.from, text: indent(depth) });
      }
      luaBody = false;
      inStatement = false;
      previous = atom;
      cursor = atom.to;
      continue;
    }
    if (atom.kind === 'name') inStatement = true;
    else if (atom.kind === ';' || atom.kind === '{') inStatement = false;
    if (atom.kind === '{') {
      if (atom.lua) luaBody = true;
      else depth++;
    }
    previous = atom;
    cursor = atom.to;
  }
  const tail = text.slice(cursor);
  if (!WHITESPACE.test(tail)) return [];
  edits.push({
    from: cursor,
    to: text.length,
    text: eol.repeat(finalLineBreaks(countLineFeeds(tail), options)),
  });
  return range ? withinStatements(model, edits, range) : edits;
}

/** Every token and comment of the file in document order (the tree walked in order, merged with the comments). */
function atomsOf(model: NginxModel): Atom[] {
  const tokens: Atom[] = [];
  // An explicit stack, not recursion (deeply nested junk): directives still to visit, or a block's `}` to emit.
  const stack: (NginxDirective | Atom)[] = [...model.directives].reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (!('name' in next)) {
      tokens.push(next);
      continue;
    }
    tokens.push({ from: next.nameToken.span.from, to: next.nameToken.span.to, kind: 'name' });
    for (const arg of next.args) tokens.push({ from: arg.span.from, to: arg.span.to, kind: 'arg' });
    if (next.semicolon) tokens.push({ from: next.semicolon.from, to: next.semicolon.to, kind: ';' });
    const block = next.block;
    if (!block) continue;
    const open: Atom = { from: block.open.from, to: block.open.to, kind: '{' };
    if (isLuaBlockDirective(next.name)) open.lua = true;
    tokens.push(open);
    if (block.close) stack.push({ from: block.close.from, to: block.close.to, kind: '}' });
    for (let i = block.children.length - 1; i >= 0; i--) stack.push(block.children[i]!);
  }
  const atoms: Atom[] = [];
  let c = 0;
  const comments = model.comments;
  for (const token of tokens) {
    while (c < comments.length && comments[c]!.span.from < token.from) {
      atoms.push({ from: comments[c]!.span.from, to: comments[c]!.span.to, kind: 'comment' });
      c++;
    }
    atoms.push(token);
  }
  for (; c < comments.length; c++) {
    atoms.push({ from: comments[c]!.span.from, to: comments[c]!.span.to, kind: 'comment' });
  }
  return atoms;
}

/**
 * The edits inside the statements `range` touches. A block directive counts as touched through its own line (name to
 * `{`) or its `}`, not through its children: a range inside a `server {}` formats what it touches, not the server.
 */
function withinStatements(model: NginxModel, edits: readonly OffsetEdit[], range: Span): OffsetEdit[] {
  const touches = (span: Span): boolean => span.from <= range.to && range.from <= span.to;
  let from = Infinity;
  let to = -Infinity;
  const extend = (span: Span): void => {
    from = Math.min(from, span.from);
    to = Math.max(to, span.to);
  };
  for (const directive of model.all) {
    const head: Span = { from: directive.span.from, to: (directive.block?.open ?? directive.span).to };
    const close = directive.block?.close;
    if (touches(head) || (close && touches(close))) extend(directive.span);
  }
  for (const comment of model.comments) {
    // A comment the range touches, or one trailing on the line where the touched statements end.
    const trailing =
      to > -Infinity &&
      !comment.aloneOnLine &&
      comment.span.from >= to &&
      !model.text.slice(to, comment.span.from).includes('\n');
    if (touches(comment.span) || trailing) extend(comment.span);
  }
  // Each edit is the whitespace before an atom (or the file's end): it belongs to the statement holding that atom.
  return edits.filter((edit) => edit.to >= from && edit.to <= to);
}
