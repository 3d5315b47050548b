// The generic nginx rules (syntax, names, contexts, arguments, duplicates), in reporting order.

import { nginxArgumentCount } from './nginxArgumentCount';
import { nginxBlockMismatch } from './nginxBlockMismatch';
import { nginxDirectiveContext } from './nginxDirectiveContext';
import { nginxDirectiveVersion } from './nginxDirectiveVersion';
import { nginxDuplicateDirective } from './nginxDuplicateDirective';
import { nginxEmptyUpstream } from './nginxEmptyUpstream';
import { nginxIncludeCycle } from './nginxIncludeCycle';
import { nginxInvalidFlag } from './nginxInvalidFlag';
import { nginxInvalidValue } from './nginxInvalidValue';
import { nginxModuleDirective } from './nginxModuleDirective';
import { nginxModuleLoadOrder } from './nginxModuleLoadOrder';
import { nginxSyntax } from './nginxSyntax';
import { nginxUnknownDirective } from './nginxUnknownDirective';
import type { NginxRule } from './types';

export const genericNginxRules: readonly NginxRule[] = [
  nginxSyntax,
  nginxUnknownDirective,
  nginxModuleDirective,
  nginxModuleLoadOrder,
  nginxDirectiveVersion,
  nginxDirectiveContext,
  nginxBlockMismatch,
  nginxArgumentCount,
  nginxInvalidFlag,
  nginxInvalidValue,
  nginxDuplicateDirective,
  nginxIncludeCycle,
  nginxEmptyUpstream,
];
