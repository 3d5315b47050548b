// What nginx hover and completion need besides the parse: the workspace's facts (no Gunicorn version: only the
// rules use it, and resolving it loads the Gunicorn catalogue).

import type { NginxWorkspaceFacts } from './rules/types';

export interface NginxFeatureContext {
  workspace: NginxWorkspaceFacts;
}
