// Rule: proxy-read-timeout-short — nginx stops waiting for Gunicorn before Gunicorn's own worker timeout.

import type { TextEdit } from '../../core/text';
import type { NginxDirective } from '../../languages/nginx/parse';
import { parseNginxTime, type NginxFile } from '../nginxFacts';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { deploymentName, distinctPasses, originLabel, seconds, settingRelated, workerKindOf } from './shared';

/** nginx's default for proxy_read_timeout and uwsgi_read_timeout. */
const NGINX_DEFAULT = 60;
const MARGIN = 5;

/** Inserts a directive on its own line before `before`, with the same indentation. */
export function insertNginxBefore(file: NginxFile, before: NginxDirective, text: string): TextEdit {
  const lines = file.model.lines;
  const position = lines.positionAt(before.span.from);
  const leading = lines.lineText(position.line).slice(0, position.character);
  if (/^[ \t]*$/.test(leading)) {
    const at = { line: position.line, character: 0 };
    return { range: { start: at, end: at }, newText: `${leading}${text}${lines.eol}` };
  }
  return { range: { start: position, end: position }, newText: `${text} ` };
}

export const proxyReadTimeoutShort: DeploymentRule = {
  meta: {
    id: 'proxy-read-timeout-short',
    defaultSeverity: 'warning',
    description:
      "nginx's proxy_read_timeout (60 s by default) for a location proxied to Gunicorn is shorter than Gunicorn's worker timeout, so clients get 504 while the request still runs.",
    docsUrl: deploymentRuleDocsUrl('proxy-read-timeout-short'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      if (!deployment.nginx.length) continue;
      // Only a sync worker is killed for a long request; elsewhere timeout is a heartbeat.
      if (workerKindOf(facts, deployment).kind !== 'sync') continue;
      const timeout = facts.setting(deployment, 'timeout');
      if (!timeout?.known || timeout.parsed.num === undefined || timeout.parsed.num <= 0) continue;
      const limit = timeout.parsed.num;
      for (const target of distinctPasses(deployment, (t) => t.protocol !== 'other')) {
        const name = target.protocol === 'uwsgi' ? 'uwsgi_read_timeout' : 'proxy_read_timeout';
        const effective = facts.nginx.effective(target.file, target.pass, name);
        if (effective.status !== 'known') continue;
        const found = effective.found;
        const nginxSeconds = found ? parseNginxTime(found.directive.args[0]!.value) : NGINX_DEFAULT;
        if (nginxSeconds === undefined || nginxSeconds >= limit) continue;
        const wanted = `${limit + MARGIN}s`;
        const where = found ?? { file: target.file, directive: target.pass };
        const range = where.file.model.lines.range(where.directive.span.from, where.directive.span.to);
        const edit: TextEdit = found
          ? {
              range: found.file.model.lines.range(
                found.directive.args[0]!.span.from,
                found.directive.args[0]!.span.to,
              ),
              newText: wanted,
            }
          : insertNginxBefore(target.file, target.pass, `${name} ${wanted};`);
        const related = settingRelated(
          deployment,
          timeout,
          `Gunicorn's timeout for ${deploymentName(deployment)}: ${limit} s (${originLabel(timeout.origin)})`,
        );
        report({
          uri: where.file.uri,
          range,
          message: `nginx waits ${seconds(nginxSeconds)} for Gunicorn's response (${found ? `${name} ${found.directive.args[0]!.value}` : `${name} default`}), but Gunicorn lets a sync worker run a request for up to ${seconds(limit)} (timeout from ${originLabel(timeout.origin)}). Slow requests get 504 Gateway Timeout from nginx while the worker keeps working on them; give nginx at least as long as Gunicorn.`,
          ...(related ? { related: [related] } : {}),
          fixes: [{ title: `Set ${name} ${wanted}`, edits: [edit], isPreferred: true }],
        });
      }
    }
  },
};
