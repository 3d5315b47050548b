// Suppression comments: `# gunicorn-config: disable=<id>[,<id>]` (this line, or the next when alone on a line)
// and `# gunicorn-config: disable-file=<id>[,<id>]` (the whole file). Without `=ids` every rule is silenced.

import type { ConfigModel } from './model';

const DIRECTIVE = /^\s*gunicorn-config:\s*(disable-file|disable-next-line|disable)\b\s*(?:=\s*([\w\-, ]*))?/;

export interface Suppressions {
  /** True when `rule` is silenced for a finding that starts on `line`. */
  isSuppressed(rule: string, line: number): boolean;
}

export function collectSuppressions(model: ConfigModel): Suppressions {
  const fileWide = new Set<string>();
  const byLine = new Map<number, Set<string>>();
  const add = (set: Set<string>, ids: string[]): void => ids.forEach((id) => set.add(id));
  for (const comment of model.comments) {
    const match = DIRECTIVE.exec(comment.text);
    if (!match) continue;
    const ids = (match[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const list = ids.length ? ids : ['*'];
    if (match[1] === 'disable-file') {
      add(fileWide, list);
      continue;
    }
    const { line } = model.lines.positionAt(comment.span.from);
    const lineStart = model.lines.lineStart(line);
    const aloneOnLine = model.text.slice(lineStart, comment.span.from).trim() === '';
    const target = match[1] === 'disable-next-line' || aloneOnLine ? line + 1 : line;
    const set = byLine.get(target) ?? new Set<string>();
    add(set, list);
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
