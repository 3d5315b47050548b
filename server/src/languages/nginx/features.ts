// What nginx hover and completion need besides the parse: workspace facts and the Gunicorn version.

import type { Version } from '../../core/version';
import type { NginxWorkspaceFacts } from './rules/types';

export interface NginxFeatureContext {
  workspace: NginxWorkspaceFacts;
  gunicornVersion: Version;
  versionLabel: string;
}
