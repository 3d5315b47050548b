// Which files are nginx configuration by their path, as the extension's manifest associates them.

import { forwardSlashes } from '../../core/paths';
import { isTemplatePath, untemplatedPath } from '../../core/templates';
import { isDropIn } from '../systemd/catalog';

/** Programs whose configuration folders also have `conf.d` or `sites-available` (any depth below their folder). */
const OTHER_PROGRAMS =
  /(^|\/)(?:supervisor|supervisord|httpd|apache2?|php[\d.]*|php-fpm|mysql|mariadb|redis|fail2ban|rsyslog|logrotate|dnsmasq|varnish|haproxy)\/(?:[^/]+\/)*(?:conf\.d|sites-(?:available|enabled))\//i;

/** nginx files by path, as the manifest associates them: nginx.conf, *.nginx, nginx/…/*.conf, sites-*, conf.d/*.conf. */
export function isNginxPath(path: string): boolean {
  const normalized = untemplatedPath(forwardSlashes(path));
  // `nginx_override.conf`, `nginx/override.conf`: a drop-in for nginx.service, not nginx's own configuration.
  if (isDropIn(normalized)) return false;
  // A template names its kind less strictly (`templates/nginx-site.conf.j2`), but only with nginx in its name:
  // `vhost.conf.j2` may as well be Apache's.
  if (isTemplatePath(path) && /(?:^|\/)[^/]*nginx[^/]*\.conf$/i.test(normalized)) return true;
  // `conf.d` and `sites-*` folders of other programs (supervisor's programs, Apache's sites), outside any nginx folder.
  if (isOtherProgramsFolder(normalized)) return false;
  return (
    /(^|\/)nginx\.conf$/.test(normalized) ||
    /\.nginx$/.test(normalized) ||
    /(^|\/)nginx\/(.+\/)?[^/]+\.conf$/.test(normalized) ||
    /(^|\/)sites-(available|enabled)\/[^/]+$/.test(normalized) ||
    /(^|\/)conf\.d\/[^/]+\.conf$/.test(normalized)
  );
}

/** Whether a path is in another program's `conf.d` or `sites-*` folder (supervisor, Apache…), outside any nginx folder. */
export function isOtherProgramsFolder(path: string): boolean {
  const normalized = forwardSlashes(path);
  return OTHER_PROGRAMS.test(normalized) && !/(^|\/)nginx\//i.test(normalized);
}
