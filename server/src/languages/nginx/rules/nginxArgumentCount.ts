// Rule: nginx-argument-count — a directive given fewer or more arguments than nginx accepts for it.

import { hasPlaceholder } from '../../../core/templates';
import { acceptsCount, describeArgs, governingEntries, otherReleaseVerdict } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxArgumentCount: NginxRule = {
  meta: {
    id: 'nginx-argument-count',
    defaultSeverity: 'error',
    description:
      'A directive with too few or too many arguments (often a missing value or an unquoted space); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-argument-count'),
  },
  check({ model, catalog, nginxTarget, path, range, report }) {
    for (const directive of model.all) {
      const entries = governingEntries(catalog, model, path, directive);
      if (!entries?.length) continue;
      // Only the entries with the directive's shape (block or not) apply; a shape mismatch is reported elsewhere.
      const shaped =
        directive.end === 'missing'
          ? entries
          : entries.filter((e) => Boolean(e.block) === (directive.end === '{'));
      if (!shaped.length) continue;
      // A placeholder may stand for several words or none (`gzip_buffers {{ buffers }};` renders to `16 8k`), and one
      // written with spaces (`<http or https>`) is several words itself: look at the arguments' whole text.
      const firstArg = directive.args[0];
      const lastArg = directive.args[directive.args.length - 1];
      if (firstArg && lastArg && hasPlaceholder(model.text.slice(firstArg.span.from, lastArg.span.to))) {
        continue;
      }
      const count = directive.args.length;
      if (shaped.some((e) => acceptsCount(e.args, count))) continue;
      const wanted = [...new Set(shaped.map((e) => describeArgs(e.args)))].join(' or ');
      const extra = shaped.every((e) => e.args.max !== null && count > e.args.max);
      const first = directive.args[0];
      const last = directive.args[directive.args.length - 1];
      const span =
        extra && first && last ? { from: first.span.from, to: last.span.to } : directive.nameToken.span;
      const block = directive.end === '{';
      const other = otherReleaseVerdict(
        catalog,
        nginxTarget,
        directive.name,
        (e) => acceptsCount(e.args, count) && (directive.end === 'missing' || Boolean(e.block) === block),
      );
      report({
        range: range(span),
        message: `"${directive.name}" takes ${wanted}, but has ${count}; nginx will refuse to start.${
          extra && !other ? ' A value with spaces must be quoted.' : ''
        }${other?.note ?? ''}`,
        ...(other ? { severity: other.severity } : {}),
      });
    }
  },
};
