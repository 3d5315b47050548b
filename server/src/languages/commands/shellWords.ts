// Shell words with their offsets, for reading commands inside a Dockerfile RUN: quotes, escapes, and the operators
// (`&&`, `||`, `;`, `|`, `&`) that separate commands.

export interface ShellWord {
  /** The word with quotes and escapes removed. */
  value: string;
  from: number;
  to: number;
  /** True when it expands something (`$VAR`, `$(…)`, a backtick) outside single quotes: its value is unknown. */
  dynamic: boolean;
}

/** The commands of a shell text (words of each), in order; offsets are `base` plus the position in `text`. */
export function shellCommands(text: string, base = 0): ShellWord[][] {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let word: ShellWord | undefined;
  const end = (): void => {
    if (word) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    end();
    if (words.length) commands.push(words);
    words = [];
  };
  const start = (at: number): ShellWord =>
    (word ??= { value: '', from: base + at, to: base + at, dynamic: false });
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      end();
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
      continue;
    }
    if (c === '#' && !word) {
      // A comment runs to the end of the line.
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      continue;
    }
    const w = start(i);
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      w.value += text.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        if (text[j] === '$' || text[j] === '`') w.dynamic = true;
        w.value += text[j];
      }
      i = j;
    } else if (c === '\\') {
      if (i + 1 < text.length) w.value += text[++i];
    } else {
      if (c === '$' || c === '`') w.dynamic = true;
      w.value += c;
    }
    w.to = base + i + 1;
  }
  endCommand();
  return commands;
}
