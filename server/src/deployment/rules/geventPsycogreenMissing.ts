// Rule: gevent-psycogreen-missing — a gevent worker whose app uses psycopg2 without psycogreen's wait callback: each
// query blocks the whole worker, every greenlet in it included.

import { originLabel } from './shared';
import { appModuleText, declaresAny, packageUses, usesLabel } from './appPackages';
import { appendHookFix } from './configHooks';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

/**
 * What makes psycopg2 cooperate with gevent: psycogreen's patch, the older gevent_psycopg2 copy of it, or a wait
 * callback registered by hand. Any mention counts: the call may sit in a helper we do not read.
 */
const PATCHED = /psycogreen|gevent_psycopg2|patch_psycopg|set_wait_callback|make_psycopg_green/;

/** Worker classes built on gevent: Gunicorn's own and subclasses such as gevent-websocket's. */
function isGevent(name: string): boolean {
  return /gevent/i.test(name);
}

export const geventPsycogreenMissing: DeploymentRule = {
  meta: {
    id: 'gevent-psycogreen-missing',
    defaultSeverity: 'warning',
    description:
      "A gevent worker with psycopg2 and no psycogreen patch: gevent's monkey-patching cannot reach psycopg2's C library, so every query blocks the whole worker.",
    docsUrl: deploymentRuleDocsUrl('gevent-psycogreen-missing'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const worker = facts.setting(deployment, 'worker_class');
      const name = worker?.known ? worker.parsed.str?.trim() : undefined;
      if (!worker?.where || !name || !isGevent(name)) continue;
      const uses = packageUses(facts, deployment, {
        modules: ['psycopg2'],
        packages: ['psycopg2', 'psycopg2-binary'],
      });
      if (!uses.length) continue;
      // Declaring psycogreen means it is applied somewhere, possibly in a module we do not read.
      if (declaresAny(facts, deployment, ['psycogreen', 'gevent-psycopg2'])) continue;
      const texts = [deployment.config?.model.text, appModuleText(facts, deployment)];
      if (texts.some((text) => text !== undefined && PATCHED.test(text))) continue;
      const fix = appendHookFix(
        deployment,
        worker.where.uri,
        {
          name: 'post_fork',
          params: 'server, worker',
          body: [
            '# Let psycopg2 wait for the database through gevent instead of blocking the worker.',
            'from psycogreen.gevent import patch_psycopg',
            '',
            'patch_psycopg()',
          ],
        },
        'Add a post_fork hook that applies psycogreen (needs the psycogreen package)',
        false,
      );
      report({
        uri: worker.where.uri,
        range: worker.where.range,
        message: `worker_class is ${name} (${originLabel(worker.origin)}) and the app uses psycopg2 (${usesLabel(uses)}), but nothing applies psycogreen: gevent's monkey-patching does not reach psycopg2's C library, so each query blocks the whole worker and every request it is serving until the database answers. Install psycogreen and call psycogreen.gevent.patch_psycopg() in a post_fork hook (or before the app connects), or move to psycopg 3.1.14 or later, which cooperates with gevent by itself.`,
        related: uses.map((use) => use.related),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};
