// Rule: preload-hup-reload — `systemctl reload` sends SIGHUP to a Gunicorn that preloads the app, so new code is not
// loaded: the master keeps the application it imported at start.

import { splitCommands } from '../../languages/gunicorn/commandWords';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { originLabel, unitRelated } from './shared';

function sendsHup(value: string): boolean {
  for (const words of splitCommands(value, 0, 'systemd')) {
    const program = (words[0]?.text ?? '').replace(/^[-@:+!]+/, '');
    const name = program.slice(program.lastIndexOf('/') + 1);
    const args = words.slice(1).map((w) => w.text.toUpperCase());
    if (name !== 'kill' && !(name === 'systemctl' && args.includes('KILL'))) continue;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (['-S', '-N', '--SIGNAL', '-S'].includes(arg) && /^(SIG)?HUP$|^1$/.test(args[i + 1] ?? '')) {
        return true;
      }
      if (/^(?:-|--SIGNAL=)(SIG)?HUP$/.test(arg) || arg === '-1') return true;
    }
  }
  return false;
}

export const preloadHupReload: DeploymentRule = {
  meta: {
    id: 'preload-hup-reload',
    defaultSeverity: 'warning',
    description:
      'preload_app with an ExecReload= that sends SIGHUP: a reload replaces the workers but not the code, because the master imported the app once at start.',
    docsUrl: deploymentRuleDocsUrl('preload-hup-reload'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const reload = view.last('Service', 'ExecReload');
      if (!reload || !sendsHup(reload.directive.value)) continue;
      const preload = facts.setting(deployment, 'preload_app');
      if (!preload?.known || preload.parsed.bool !== true || !preload.where) continue;
      report({
        uri: preload.where.uri,
        range: preload.where.range,
        message: `preload_app is on (from ${originLabel(preload.origin)}), so the Gunicorn master imports the application once; \`systemctl reload ${deployment.service!.name}\` sends SIGHUP, which starts new workers forked from that master with the old code. Deploys that rely on reload keep serving the previous version: restart the service instead, or turn preload_app off.`,
        related: [unitRelated(reload, 'systemctl reload sends SIGHUP here')],
      });
    }
  },
};
