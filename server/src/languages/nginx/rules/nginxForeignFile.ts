// Rule: nginx-foreign-file — a file taken for nginx by its path (`nginx/**/*.conf`, `conf.d/*.conf`) that reads as
// another program's configuration (a PHP-FPM pool, a logrotate file, Apache): said once, and not checked as nginx.

import type { NginxModel } from '../parse';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

/** Lines read for the first statement: a file's kind shows at its top. */
const LINES_READ = 100;

/**
 * What other kind of file `model` is, from its first statement, when that can never start an nginx file: an INI
 * section (`[www]`, PHP-FPM and supervisor), `key = value` (INI), a path (`/var/log/nginx/*.log {`, logrotate), an Apache tag (`<VirtualHost *:80>`). Undefined for anything nginx could read.
 */
export function foreignFormat(model: NginxModel): string | undefined {
  const lines = model.text.split('\n', LINES_READ);
  const first = lines
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('#') && !line.startsWith(';'));
  if (first === undefined) return undefined;
  if (/^\[[^\]]+\]$/.test(first)) return `an INI file (its first line is the section ${first})`;
  if (/^[A-Za-z_][\w.-]*\s*=/.test(first)) return 'an INI file (its first line sets a key with "=")';
  // nginx directive names never start with a slash; logrotate's stanzas start with the paths they rotate.
  if (first.startsWith('/')) return 'a logrotate file (its first line is a path)';
  if (/^<[A-Za-z]/.test(first)) return 'an Apache configuration (its first line is a tag)';
  return undefined;
}

export const nginxForeignFile: NginxRule = {
  meta: {
    id: 'nginx-foreign-file',
    defaultSeverity: 'info',
    description:
      "A file taken for nginx by its path that reads as another program's configuration (PHP-FPM, logrotate, Apache): not checked as nginx.",
    docsUrl: nginxRuleDocsUrl('nginx-foreign-file'),
  },
  check({ model, range, report }) {
    const format = foreignFormat(model);
    if (!format || model.rootContextKnown) return;
    report({
      range: range({ from: 0, to: 0 }),
      message: `This file reads as ${format}, not as nginx configuration, so it is not checked as nginx. If an nginx file includes it, nginx will refuse to start.`,
    });
  },
};
