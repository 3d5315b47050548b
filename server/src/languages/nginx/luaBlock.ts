// The body of a Lua module `*_by_lua_block { … }` is Lua source, which the module reads with its own lexer, not
// nginx's: quotes, `#`, `;` and braces inside Lua strings and comments mean nothing to nginx there. This finds where
// such a body ends, so the nginx tokenizer can step over it instead of reporting Lua code as nginx syntax errors.

/** True for the Lua modules' (http and stream) block directives, e.g. `content_by_lua_block`. */
export function isLuaBlockDirective(name: string): boolean {
  return name.endsWith('_by_lua_block');
}

/**
 * The offset of the `}` that closes a Lua block whose body starts at `from` (just after its `{`), skipping Lua
 * strings ('…', "…", [[…]], [==[…]==]), comments (-- to the line end, --[[…]]) and nested braces. Undefined when the
 * text ends first.
 */
export function luaBlockEnd(text: string, from: number): number | undefined {
  let depth = 0;
  let i = from;
  const length = text.length;
  while (i < length) {
    const ch = text[i]!;
    if (ch === '-' && text[i + 1] === '-') {
      const long = longBracketLevel(text, i + 2);
      if (long !== undefined) {
        const end = longBracketEnd(text, i + 2, long);
        if (end === undefined) return undefined;
        i = end;
        continue;
      }
      const newline = text.indexOf('\n', i);
      if (newline < 0) return undefined;
      i = newline + 1;
      continue;
    }
    if (ch === '[') {
      const long = longBracketLevel(text, i);
      if (long !== undefined) {
        const end = longBracketEnd(text, i, long);
        if (end === undefined) return undefined;
        i = end;
        continue;
      }
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < length && text[j] !== ch && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      // An unterminated Lua string ends at its line, as far as finding the block's end goes.
      i = j + 1;
      continue;
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return undefined;
}

/** The level of a long bracket `[==[` opening at `at` (the number of `=`), or undefined when none opens there. */
function longBracketLevel(text: string, at: number): number | undefined {
  if (text[at] !== '[') return undefined;
  let j = at + 1;
  while (text[j] === '=') j++;
  return text[j] === '[' ? j - at - 1 : undefined;
}

/** The offset just after the `]==]` closing a long bracket of `level` that opens at `at`. */
function longBracketEnd(text: string, at: number, level: number): number | undefined {
  const close = `]${'='.repeat(level)}]`;
  const end = text.indexOf(close, at + level + 2);
  return end < 0 ? undefined : end + close.length;
}
