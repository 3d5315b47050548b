// nginx's reader: the words, `;`, `{` and `}` of a configuration, split where nginx splits them (quotes, escapes,
// comments, variables' braces, Lua blocks), each with its offsets, and the reader's complaints.

import { sharedName } from '../../core/memo';
import type { Span } from '../gunicorn/model';
import { isLuaBlockDirective, luaBlockEnd } from './luaBlock';
import type { NginxComment, NginxProblem, NginxToken } from './parse';

/** A word as read, with its offsets as numbers: a span is made only when asked for (parses are kept across builds). */
export class Token implements NginxToken {
  constructor(
    readonly value: string,
    readonly from: number,
    readonly to: number,
    readonly quote: NginxToken['quote'],
  ) {}

  get span(): Span {
    return { from: this.from, to: this.to };
  }
}

export interface RawToken {
  kind: 'word' | ';' | '{' | '}';
  token: Token;
  /** True when the token is the first thing on its line. */
  startsLine: boolean;
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

/** Splits the text into words, `;`, `{` and `}` exactly where nginx's reader does, recording its complaints. */
export function tokenize(text: string, comments: NginxComment[], problems: NginxProblem[]): RawToken[] {
  const tokens: RawToken[] = [];
  const length = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineHasToken = false;
  // The first word of the statement being read: a Lua block's body is stepped over (see luaBlock.ts).
  let statementName: string | undefined;
  // After one Lua block runs to the end of the file unclosed, later ones would too: scanning again for each of them
  // would make a hostile file quadratic.
  let luaUnclosed = false;
  while (i < length) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineHasToken = false;
      i++;
      continue;
    }
    if (SPACE.has(ch)) {
      i++;
      continue;
    }
    const startsLine = !lineHasToken;
    if (ch === '#') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = length;
      if (text[end - 1] === '\r') end--;
      comments.push({ span: { from: i, to: end }, aloneOnLine: startsLine });
      i = end;
      continue;
    }
    lineHasToken = true;
    if (ch === ';' || ch === '{' || ch === '}') {
      tokens.push({ kind: ch, token: new Token(ch, i, i + 1, null), startsLine });
      i++;
      const lua = ch === '{' && statementName !== undefined && isLuaBlockDirective(statementName);
      statementName = undefined;
      const close = lua && !luaUnclosed ? luaBlockEnd(text, i) : undefined;
      if (lua && close === undefined) luaUnclosed = true;
      if (close !== undefined) {
        tokens.push({
          kind: '}',
          token: new Token('}', close, close + 1, null),
          startsLine: false,
        });
        i = close + 1;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      const start = i;
      let j = i + 1;
      const value = new TokenValue(text, j);
      let closed = false;
      while (j < length) {
        const c = text[j]!;
        if (c === '\\' && j + 1 < length) {
          value.escape(j);
          j += 2;
          continue;
        }
        if (c === ch) {
          closed = true;
          break;
        }
        j++;
      }
      if (!closed) {
        // nginx reads to the end of the file; end the string at its line so the rest of the file is still checked.
        let end = text.indexOf('\n', start);
        if (end < 0) end = length;
        if (text[end - 1] === '\r') end--;
        problems.push({
          code: 'unterminated-quote',
          span: { from: start, to: end },
          message: `Unterminated string: the ${ch} is never closed, so nginx reads to the end of the file.`,
        });
        tokens.push({
          kind: 'word',
          token: new Token(text.slice(start + 1, end), start, end, ch),
          startsLine,
        });
        i = end;
        continue;
      }
      tokens.push({
        kind: 'word',
        token: new Token(value.upTo(j), start, j + 1, ch),
        startsLine,
      });
      statementName ??= '';
      i = j + 1;
      // nginx insists on a space, `;`, `{` or `)` after a closing quote (`if ($a = "b")`); a `#` right after it is an
      // error, not a comment. A `}` is an error too, but the missing ";" before it already says so.
      const next = text[i];
      if (
        next !== undefined &&
        !SPACE.has(next) &&
        next !== ';' &&
        next !== '{' &&
        next !== '}' &&
        next !== ')'
      ) {
        problems.push({
          code: 'missing-space',
          span: { from: i, to: i + 1 },
          message: `Unexpected "${next}" right after a quoted string; nginx needs a space there.`,
        });
      }
      continue;
    }
    // A bare word: ends at whitespace, `;` or `{` (but `${` opens a variable name); a backslash escapes any character.
    const start = i;
    const word = new TokenValue(text, i);
    let afterDollar = false;
    while (i < length) {
      const c = text[i]!;
      if (c === '{' && afterDollar) {
        afterDollar = false;
        i++;
        continue;
      }
      afterDollar = false;
      if (c === '\\' && i + 1 < length) {
        word.escape(i);
        i += 2;
        continue;
      }
      if (SPACE.has(c) || c === ';' || c === '{') break;
      if (c === '$') afterDollar = true;
      i++;
    }
    // A statement's first word is a directive name: one string for each name, in every parse.
    const value = statementName === undefined ? sharedName(word.upTo(i)) : word.upTo(i);
    tokens.push({ kind: 'word', token: new Token(value, start, i, null), startsLine });
    statementName ??= value;
  }
  return tokens;
}

/**
 * A token's value read off the text: a slice of it, with the parts between escapes joined only when there are
 * escapes. (Adding a character at a time made each long token a chain of dozens of small strings that the parse kept:
 * about a fifth of an nginx parse's memory.)
 */
class TokenValue {
  /** The value up to `from`, escapes resolved. */
  private done = '';

  constructor(
    private readonly text: string,
    private from: number,
  ) {}

  /** The backslash at `at` and the character after it become what nginx reads for them. */
  escape(at: number): void {
    this.done += this.text.slice(this.from, at) + unescape(this.text[at + 1]!);
    this.from = at + 2;
  }

  /** The value of the text read up to `end`. */
  upTo(end: number): string {
    // Without escapes, `done` is empty and the value is the slice itself.
    return this.done + this.text.slice(this.from, end);
  }
}

/** nginx resolves these escapes in every token; any other backslash pair stays as written. */
function unescape(ch: string): string {
  switch (ch) {
    case '"':
    case "'":
    case '\\':
      return ch;
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'n':
      return '\n';
    default:
      return `\\${ch}`;
  }
}
