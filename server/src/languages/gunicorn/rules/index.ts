// Registry of every Gunicorn config rule. Add one import and one array entry per rule file.

import { syntaxError } from './syntaxError';
import type { GunicornRule } from './types';

export const gunicornRules: readonly GunicornRule[] = [syntaxError];
