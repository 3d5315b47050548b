// Rule: syntax-error — Python that does not parse; Gunicorn refuses to start with "Failed to read config file".

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';

export const syntaxError: GunicornRule = {
  meta: {
    id: 'syntax-error',
    defaultSeverity: 'error',
    description: 'The file is not valid Python, so Gunicorn cannot load it at all.',
    docsUrl: ruleDocsUrl('syntax-error'),
  },
  check({ model, report }) {
    for (const problem of model.errors) {
      report({ range: model.lines.range(problem.span.from, problem.span.to), message: problem.message });
    }
  },
};
