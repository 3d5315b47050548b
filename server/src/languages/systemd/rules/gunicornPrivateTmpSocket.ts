// Rule: gunicorn-private-tmp-socket — a unix socket in /tmp while PrivateTmp= hides the service's /tmp from others.

import type { Fix } from '../../../core/findings';
import {
  gunicornExecs,
  insertLineBefore,
  isServiceUnit,
  optionsFor,
  optionValueSpan,
  serviceDirective,
  unitBaseName,
} from '../gunicornExec';
import { booleanValue } from '../values';
import type { UnitRule } from './types';
import { unitRuleDocsUrl } from './types';

/** Gunicorn reads `unix:PATH` and `unix://PATH` as a unix socket at PATH. */
const TMP_SOCKET = /^unix:(?:\/\/)?(\/(?:var\/)?tmp\/(?:.*\/)?([^/]+))$/;

export const gunicornPrivateTmpSocket: UnitRule = {
  meta: {
    id: 'gunicorn-private-tmp-socket',
    defaultSeverity: 'warning',
    description:
      'Gunicorn binds a unix socket under /tmp or /var/tmp while PrivateTmp= gives the service its own private copy of those directories.',
    docsUrl: unitRuleDocsUrl('gunicorn-private-tmp-socket'),
  },
  check(context) {
    const { model, gunicornVersion, uri, range, report } = context;
    if (!isServiceUnit(context)) return;
    const privateTmp = serviceDirective(model, 'PrivateTmp');
    if (!privateTmp || (booleanValue(privateTmp.value) !== true && privateTmp.value !== 'disconnected')) {
      return;
    }
    const runtime = serviceDirective(model, 'RuntimeDirectory');
    const existing = runtime?.value.split(/\s+/)[0];
    const directory = existing || unitBaseName(uri);
    for (const exec of gunicornExecs(model, gunicornVersion)) {
      for (const option of optionsFor(exec, 'bind')) {
        if (option.value === undefined || option.valueDynamic) continue;
        const match = TMP_SOCKET.exec(option.value.trim());
        const span = optionValueSpan(exec, option);
        if (!match || !span) continue;
        const path = match[1]!;
        const fixes: Fix[] = [];
        if (directory && /^[\w.-]+$/.test(directory) && /^[\w.-]+$/.test(match[2]!)) {
          const bind = `unix:/run/${directory}/${match[2]!}`;
          fixes.push({
            title: `Bind to ${bind}${existing ? '' : ` and add RuntimeDirectory=${directory}`}`,
            edits: [
              ...(existing ? [] : [insertLineBefore(model, exec.directive, `RuntimeDirectory=${directory}`)]),
              { range: range(span), newText: bind },
            ],
            isPreferred: true,
          });
        }
        report({
          range: range(span),
          message: `With PrivateTmp=${privateTmp.value} this service has its own ${path.startsWith('/var/') ? '/var/tmp' : '/tmp'}, so the socket ${path} is created where nginx and every other service cannot see it. Put it under /run instead: RuntimeDirectory= creates /run/NAME for the service (and the proxy's socket path must change with it).`,
          related: [{ uri, range: range(privateTmp.span), message: 'the private /tmp' }],
          fixes,
        });
      }
    }
  },
};
