// The generic nginx rules (syntax, names, contexts, arguments, duplicates), in reporting order.

import type { NginxRule } from './types';

export const genericNginxRules: readonly NginxRule[] = [];
