// What nginx hover and completion need besides the parse: the workspace's facts (no Gunicorn version: only the
// rules use it, and resolving it loads the Gunicorn catalogue).

import type { NginxWorkspaceFacts } from './rules/types';
import type { NginxTarget } from './target';

export interface NginxFeatureContext {
  workspace: NginxWorkspaceFacts;
  /** The nginx version hovers describe and completion offers (the newest release, assumed, when absent). */
  target?: NginxTarget;
}
