// Every rule the server can report: each language's and the cross-file deployment model's. One list for settings
// (package.json is generated from it), docs links, SARIF and the CLI; it sits above languages/ and deployment/ so
// that no language has to know the deployment rules.

import type { RuleMeta } from './core/findings';
import { deploymentRules } from './deployment/rules/index';
import { commandRules } from './languages/commands/index';
import { gunicornRules } from './languages/gunicorn/rules/index';
import { nginxRules } from './languages/nginx/rules/index';
import { unitRules } from './languages/systemd/rules/index';
import { templatePlaceholderMeta } from './languages/templates/templatePlaceholder';

/** Every rule of every language and of the cross-file deployment model, for settings, docs links and the CLI. */
export const allRules: readonly RuleMeta[] = [
  ...new Map(
    // Command sources reuse the unit files' gunicorn-command-line rule: one id, listed once.
    [...gunicornRules, ...unitRules, ...nginxRules, ...commandRules, ...deploymentRules].map(
      (r) => [r.meta.id, r.meta] as const,
    ),
  ).values(),
  templatePlaceholderMeta,
];
