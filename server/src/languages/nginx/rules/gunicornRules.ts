// The nginx rules about proxying to Gunicorn, in reporting order.

import type { NginxRule } from './types';

export const gunicornNginxRules: readonly NginxRule[] = [];
