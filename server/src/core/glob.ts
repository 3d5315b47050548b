// Glob patterns as VS Code's settings write them (`**/deploy/*.conf.py`, `**/{a,b}.py`), matched against a full path.

const cache = new Map<string, RegExp>();

/** `**` crosses directories, `*` and `?` stay inside one, `{a,b}` picks one of several, `[...]` is a character class. */
export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole directories; a trailing `**` matches the rest.
      if (glob[i + 2] === '/') {
        source += '(?:[^/]*/)*';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '{') {
      braces++;
      source += '(?:';
    } else if (ch === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (ch === ',' && braces > 0) source += '|';
    else if (ch === '[') {
      const bracket = characterClass(glob, i);
      source += bracket.source;
      i = bracket.end;
    } else source += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  while (braces-- > 0) source += ')';
  // A relative pattern (`deploy/*.py`) may match at any depth, as VS Code's document filters do for `**/`-less globs.
  const anchored = glob.startsWith('/') || glob.startsWith('**') ? `^${source}$` : `(?:^|/)${source}$`;
  const regex = new RegExp(anchored);
  if (cache.size > 200) cache.clear();
  cache.set(glob, regex);
  return regex;
}

/**
 * The regular expression for a `[...]` class starting at `start` (`[!a-z]` negates, as in shell globs) and the index
 * of its `]`; a `[` without a `]` is a literal bracket.
 */
export function characterClass(glob: string, start: number): { source: string; end: number } {
  const close = glob.indexOf(']', start + 1);
  if (close < 0) return { source: '\\[', end: start };
  const body = glob
    .slice(start + 1, close)
    .replace(/^!/, '^')
    .replace(/\\/g, '\\\\');
  return { source: `[${body}]`, end: close };
}

export function matchesGlob(glob: string, path: string): boolean {
  try {
    return globToRegExp(glob).test(path.replace(/\\/g, '/'));
  } catch {
    return false; // a pattern that makes no regular expression matches nothing
  }
}
