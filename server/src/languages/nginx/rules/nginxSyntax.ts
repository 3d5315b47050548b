// Rule: nginx-syntax — text nginx cannot even read as directives (missing ";", stray braces, open quotes, a BOM…).

import type { NginxModel, NginxProblem } from '../parse';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/**
 * Directives that take any number of words nginx does not check (names, files, MIME types, format parts): with the
 * ";" missing, nginx silently reads the next directive as more of their arguments.
 */
const FREE_FORM = new Set([
  'server_name',
  'index',
  'try_files',
  'log_format',
  'gzip_types',
  'sub_filter_types',
  'ssi_types',
  'charset_types',
  'addition_types',
  'xslt_types',
]);

/**
 * The directive a missing ";" would glue onto this one, when nginx accepts the result: a free-form directive followed
 * by a plain directive ending in ";".
 */
function silentlyGlued(model: NginxModel, problem: NginxProblem): string | undefined {
  const directive = model.all.find((d) => d.end === 'missing' && d.span.to === problem.span.from);
  if (!directive || !FREE_FORM.has(directive.name)) return undefined;
  const siblings = directive.parent?.block?.children ?? model.directives;
  const next = siblings[siblings.indexOf(directive) + 1];
  return next && next.end === ';' ? next.name : undefined;
}

export const nginxSyntax: NginxRule = {
  meta: {
    id: 'nginx-syntax',
    defaultSeverity: 'error',
    description:
      'The file cannot be read as nginx directives (missing ";", unbalanced braces, an unclosed quote); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-syntax'),
  },
  check({ model, range, report }) {
    if (model.text.charCodeAt(0) === 0xfeff) {
      // nginx does not skip a byte order mark: it becomes part of the first word, which is then an unknown directive.
      const bom = range({ from: 0, to: 1 });
      report({
        range: bom,
        message:
          'The file starts with a byte order mark; nginx reads it as part of the first directive name and rejects it. Save the file as UTF-8 without BOM.',
        fixes: [
          {
            title: 'Remove the byte order mark',
            edits: [{ range: bom, newText: '' }],
            isPreferred: true,
            safe: true,
          },
        ],
      });
    }
    // An open quote swallows the rest of the file for nginx: the braces and ";" it hides are its consequences.
    const quote = model.problems.find((p) => p.code === 'unterminated-quote');
    for (const problem of model.problems) {
      if (
        quote &&
        (problem.code === 'unclosed-block' ||
          (problem.code === 'missing-semicolon' && problem.span.from >= quote.span.from))
      ) {
        continue;
      }
      const where = range(problem.span);
      switch (problem.code) {
        case 'missing-semicolon': {
          // nginx starts anyway, but the next directive is lost: a warning, since nginx does not fail.
          const glued = silentlyGlued(model, problem);
          report({
            range: where,
            ...(glued
              ? {
                  severity: 'warning' as const,
                  message: `${problem.message} nginx accepts the result but takes "${glued}" and its values as more arguments, so "${glued}" has no effect.`,
                }
              : { message: problem.message }),
            fixes: [{ title: 'Insert ";"', edits: [{ range: where, newText: ';' }], isPreferred: true }],
          });
          break;
        }
        case 'unexpected-semicolon':
          report({
            range: where,
            message: problem.message,
            // An empty statement configures nothing: nginx only rejects it.
            fixes: [{ title: 'Remove the stray ";"', edits: [{ range: where, newText: '' }], safe: true }],
          });
          break;
        default:
          report({ range: where, message: problem.message });
      }
    }
  },
};
