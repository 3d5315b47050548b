// The nginx rules about proxying to Gunicorn, in reporting order.

import { nginxAliasTraversal } from './nginxAliasTraversal';
import { nginxFailTimeout } from './nginxFailTimeout';
import { nginxMissingProxyHeaders } from './nginxMissingProxyHeaders';
import { nginxProxyBufferingOff } from './nginxProxyBufferingOff';
import { nginxProxyPassUnix } from './nginxProxyPassUnix';
import { nginxUnknownUpstream } from './nginxUnknownUpstream';
import { nginxUpstreamKeepalive } from './nginxUpstreamKeepalive';
import { nginxWebsocketUpgrade } from './nginxWebsocketUpgrade';
import { nginxWrongPassForGunicorn } from './nginxWrongPassForGunicorn';
import type { NginxRule } from './types';

export const gunicornNginxRules: readonly NginxRule[] = [
  nginxUnknownUpstream,
  nginxProxyPassUnix,
  nginxMissingProxyHeaders,
  nginxWrongPassForGunicorn,
  nginxProxyBufferingOff,
  nginxWebsocketUpgrade,
  nginxUpstreamKeepalive,
  nginxAliasTraversal,
  nginxFailTimeout,
];
