// Completion for nginx configurations.

import type { CompletionEntry } from '../../core/features';
import type { NginxFeatureContext } from './features';
import type { NginxModel } from './parse';

export function nginxCompletions(
  _model: NginxModel,
  _offset: number,
  _ctx: NginxFeatureContext,
): CompletionEntry[] {
  return [];
}
