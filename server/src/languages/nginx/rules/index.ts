// Every nginx rule, in reporting order: the generic nginx checks, then the Gunicorn-aware proxy checks.

import { genericNginxRules } from './genericRules';
import { gunicornNginxRules } from './gunicornRules';
import type { NginxRule } from './types';

export const nginxRules: readonly NginxRule[] = [...genericNginxRules, ...gunicornNginxRules];
