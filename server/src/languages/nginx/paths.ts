// Which files are nginx configuration by their path, as the extension's manifest associates them.

import { forwardSlashes } from '../../core/paths';
import { isTemplatePath, untemplatedPath } from '../../core/templates';
import { isDropIn } from '../systemd/catalog';

/** nginx files by path, as the manifest associates them: nginx.conf, *.nginx, nginx/…/*.conf, sites-*, conf.d/*.conf. */
export function isNginxPath(path: string): boolean {
  const normalized = untemplatedPath(forwardSlashes(path));
  // `nginx_override.conf`, `nginx/override.conf`: a drop-in for nginx.service, not nginx's own configuration.
  if (isDropIn(normalized)) return false;
  // A template names its kind less strictly (`templates/nginx-site.conf.j2`), but only with nginx in its name:
  // `vhost.conf.j2` may as well be Apache's.
  if (isTemplatePath(path) && /(?:^|\/)[^/]*nginx[^/]*\.conf$/i.test(normalized)) return true;
  return (
    /(^|\/)nginx\.conf$/.test(normalized) ||
    /\.nginx$/.test(normalized) ||
    /(^|\/)nginx\/(.+\/)?[^/]+\.conf$/.test(normalized) ||
    /(^|\/)sites-(available|enabled)\/[^/]+$/.test(normalized) ||
    /(^|\/)conf\.d\/[^/]+\.conf$/.test(normalized)
  );
}
