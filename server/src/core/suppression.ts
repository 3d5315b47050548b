// Suppression comments shared by every language: `gunicorn-config: disable=<id>[,<id>]` on a line (or alone on the line
// before), `disable-next-line=` and `disable-file=`. Without `=ids` every rule is silenced.

const DIRECTIVE = /^\s*gunicorn-config:\s*(disable-file|disable-next-line|disable)\b\s*(?:=\s*([\w\-, ]*))?/;

export interface Suppressions {
  /** True when `rule` is silenced for a finding that starts on `line`. */
  isSuppressed(rule: string, line: number): boolean;
}

/** One comment: its text after the comment marker, its line, and whether code precedes it on that line. */
export interface CommentLine {
  text: string;
  line: number;
  aloneOnLine: boolean;
}

export function collectSuppressionComments(comments: Iterable<CommentLine>): Suppressions {
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  for (const comment of comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const ids = (match[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const list = ids.length ? ids : ['*'];
    if (match[1] === 'disable-file') {
      list.forEach((id) => fileWide.add(id));
      continue;
    }
    const target = match[1] === 'disable-next-line' || comment.aloneOnLine ? comment.line + 1 : comment.line;
    const set = byLine.get(target) ?? new Set<string>();
    list.forEach((id) => set.add(id));
    byLine.set(target, set);
  }
  return {
    isSuppressed(rule, line) {
      if (fileWide.has('*') || fileWide.has(rule)) return true;
      const set = byLine.get(line);
      return !!set && (set.has('*') || set.has(rule));
    },
  };
}
