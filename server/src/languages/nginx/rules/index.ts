// Every nginx rule, in reporting order: whether the file is nginx at all, the generic nginx checks, then the
// Gunicorn-aware proxy checks.

import { genericNginxRules } from './genericRules';
import { gunicornNginxRules } from './gunicornRules';
import { nginxForeignFile } from './nginxForeignFile';
import type { NginxRule } from './types';

export const nginxRules: readonly NginxRule[] = [
  nginxForeignFile,
  ...genericNginxRules,
  ...gunicornNginxRules,
];
