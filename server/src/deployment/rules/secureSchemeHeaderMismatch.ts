// Rule: secure-scheme-header-mismatch — Gunicorn's secure_scheme_headers look for a header (or value) nginx never sends.

import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { distinctPasses, fixAcross, pyString, replaceSettingEdit } from './shared';

/** Headers proxies use to say the client came over TLS. */
const SCHEME_HEADERS = new Set([
  'x-forwarded-proto',
  'x-forwarded-protocol',
  'x-forwarded-ssl',
  'x-forwarded-scheme',
  'x-scheme',
  'front-end-https',
  'x-url-scheme',
]);

/** The value nginx sends on an HTTPS request, when it is certain: `$scheme` is "https" there; literals are literal. */
function valueOnHttps(value: string): string | undefined {
  if (value === '$scheme') return 'https';
  return value.includes('$') ? undefined : value;
}

export const secureSchemeHeaderMismatch: DeploymentRule = {
  meta: {
    id: 'secure-scheme-header-mismatch',
    defaultSeverity: 'warning',
    description:
      'secure_scheme_headers names no header (or no value) that nginx actually sends for HTTPS requests, so Gunicorn never marks a request as https.',
    docsUrl: deploymentRuleDocsUrl('secure-scheme-header-mismatch'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const setting = facts.setting(deployment, 'secure_scheme_headers');
      if (!setting?.known || !setting.where || setting.origin !== 'config' || !setting.parsed.dict) continue;
      const pairs = setting.parsed.dict;
      for (const target of distinctPasses(deployment, (t) => t.protocol === 'http')) {
        const headers = facts.nginx.headers(target.file, target.pass);
        if (headers === 'unknown') continue;
        const sent = [...headers].filter(([name]) => SCHEME_HEADERS.has(name));
        if (!sent.length) continue;
        // Gunicorn compares header names case-insensitively and values exactly.
        const matches = pairs.some(([key, value]) => {
          const header = headers.get(key.toLowerCase());
          if (!header) return false;
          const onHttps = valueOnHttps(header.value);
          return onHttps === undefined || onHttps === value;
        });
        if (matches) continue;
        const [name, header] = sent[0]!;
        const onHttps = valueOnHttps(header.value);
        const written = header.directive.args[0]!.value;
        const fixes = [];
        if (onHttps !== undefined) {
          const entries = pairs.filter(([key]) => key.toLowerCase() !== name);
          const dict = `{${[...entries, [written.toUpperCase(), onHttps] as [string, string]]
            .map(([key, value]) => `${pyString(key)}: ${pyString(value)}`)
            .join(', ')}}`;
          const edit = replaceSettingEdit(deployment, setting, { python: dict, cli: dict });
          if (edit) {
            fixes.push(fixAcross(setting.where.uri, `Recognise ${written}: ${onHttps}`, [edit], true));
          }
        }
        report({
          uri: setting.where.uri,
          range: setting.where.range,
          message: `nginx marks HTTPS requests with ${written}: ${header.value}${onHttps && onHttps !== header.value ? ` ("${onHttps}" on HTTPS)` : ''}, but secure_scheme_headers only accepts ${pairs.map(([k, v]) => `${k}: ${v}`).join(', ') || 'nothing'} (names compared without case, values exactly), so Gunicorn never treats a request as https.`,
          related: [
            {
              uri: header.file.uri,
              range: header.file.model.lines.range(header.directive.span.from, header.directive.span.to),
              message: `nginx sets ${written}`,
            },
          ],
          fixes,
        });
      }
    }
  },
};
