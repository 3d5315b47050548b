// Rule: app-worker-mismatch — an ASGI app under a WSGI worker class, or a WSGI app under an ASGI worker class.

import { checkable, moduleRelated, specLabel, workerProtocolOf } from './appShared';
import { originLabel } from './shared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appWorkerMismatch: DeploymentRule = {
  meta: {
    id: 'app-worker-mismatch',
    defaultSeverity: 'warning',
    description:
      'The app is ASGI (FastAPI, Starlette, Quart, Django get_asgi_application) but the worker class speaks WSGI (sync, gthread, gevent, eventlet), or the reverse: Gunicorn boots, and every request fails.',
    docsUrl: deploymentRuleDocsUrl('app-worker-mismatch'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const moduleFacts = target.module?.facts;
      if (target.status !== 'found' || !moduleFacts || !checkable(target)) continue;
      const bindings = moduleFacts.names.get(target.parsed.attribute);
      if (!bindings || bindings.length !== 1) continue;
      const binding = bindings[0]!;
      // The app is what the name holds, or what the factory builds when the spec calls it.
      const app = target.parsed.call
        ? binding.creates
        : binding.kind === 'assignment'
          ? binding.app
          : undefined;
      if (!app) continue;
      const worker = workerProtocolOf(facts, target.deployment);
      if (!worker || worker.protocol === app.protocol) continue;
      const advice =
        app.protocol === 'asgi'
          ? 'run it with an ASGI worker (-k uvicorn_worker.UvicornWorker, or uvicorn.workers.UvicornWorker)'
          : 'run it with a WSGI worker (sync, gthread, gevent), or serve an ASGI app';
      const settingWhere = worker.setting.where;
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        message: `${specLabel(target)} is ${app.protocol === 'asgi' ? 'an ASGI' : 'a WSGI'} ${app.framework} app (${app.call}), but worker_class is ${worker.name} (${originLabel(worker.setting.origin)}), which ${worker.protocol === 'wsgi' ? 'calls the app the WSGI way (environ, start_response)' : 'speaks ASGI (scope, receive, send)'}: Gunicorn boots and every request fails. ${advice[0]!.toUpperCase()}${advice.slice(1)}.`,
        related: [
          ...moduleRelated(facts, target.module?.uri, `${app.framework} app created here`, binding),
          ...(settingWhere && worker.setting.origin !== 'default'
            ? [{ uri: settingWhere.uri, range: settingWhere.range, message: `worker_class ${worker.name}` }]
            : []),
        ],
      });
    }
  },
};
