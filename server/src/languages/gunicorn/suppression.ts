// Suppression comments in gunicorn.conf.py: `# gunicorn-config: disable=<id>` at the end of a line or alone on the line
// before, `disable-next-line=` and `disable-file=` (the syntax lives in core/suppression.ts).

import { collectSuppressionComments, type Suppressions } from '../../core/suppression';
import type { ConfigModel } from './model';

export type { Suppressions } from '../../core/suppression';

export function collectSuppressions(model: ConfigModel): Suppressions {
  return collectSuppressionComments(
    model.comments.map((comment) => {
      const { line } = model.lines.positionAt(comment.span.from);
      const lineStart = model.lines.lineStart(line);
      return {
        text: comment.text,
        line,
        aloneOnLine: model.text.slice(lineStart, comment.span.from).trim() === '',
      };
    }),
  );
}
