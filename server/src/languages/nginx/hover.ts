// Hover for nginx configurations.

import type { HoverResult } from '../../core/features';
import type { NginxFeatureContext } from './features';
import type { NginxModel } from './parse';

export function nginxHover(
  _model: NginxModel,
  _offset: number,
  _ctx: NginxFeatureContext,
): HoverResult | null {
  return null;
}
