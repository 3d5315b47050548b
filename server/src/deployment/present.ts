// How the deployment model shows up outside its rules: the effective-value line of a hover, and which workspace files
// a `-c FILE` with an unusual name may be (so hosts can add them as Gunicorn configs).

import { formatEndpoint } from './addresses';
import type { DeploymentModel, EffectiveSetting } from './model';
import { fileName, originLabel } from './rules/shared';
import type { Located } from './types';

function place(where: Located<unknown> | undefined): string {
  return where ? `${fileName(decodeURIComponent(where.uri))}:${where.range.start.line + 1}` : '';
}

/**
 * One markdown paragraph: "Effective: `4`, from the command line (shop.service:9); overrides `2` in the config file
 * (gunicorn.conf.py:3)". Undefined when there is nothing to add (the value is where the cursor is and nothing
 * overrides or is overridden).
 */
export function describeEffective(
  effective: EffectiveSetting,
  hoveredUri: string,
  hoveredLine: number,
): string | undefined {
  const here =
    effective.where && effective.where.uri === hoveredUri && effective.where.range.start.line === hoveredLine;
  if (here && effective.overrides.length === 0 && !effective.limit) return effective.note;
  const value = effective.known ? `\`${effective.value}\`` : 'not known statically';
  const from = `${originLabel(effective.origin)}${effective.where ? ` (${place(effective.where)})` : ''}`;
  const overridden = effective.overrides.map(
    (o) => `\`${o.value}\` from ${originLabel(o.origin)} (${place(o.where)})`,
  );
  const limit = effective.limit
    ? `; ${effective.limit.text}${effective.limit.where ? `: ${place(effective.limit.where)}` : ''}`
    : '';
  const line = `**Effective in this deployment:** ${value}, from ${from}${
    overridden.length ? `; overrides ${overridden.join(', ')}` : ''
  }${limit}.`;
  return effective.note ? `${line}  \n${effective.note}` : line;
}

/**
 * Workspace files that a `-c FILE` Gunicorn could not be matched to may be: same file name and, when the written path
 * has directories, the same tail. Hosts read them as Gunicorn configs and build the model again.
 */
export function unmatchedConfigCandidates(
  model: DeploymentModel,
  allPaths: readonly string[],
  known: { has(path: string): boolean },
): string[] {
  const found = new Set<string>();
  // The workspace's paths by their last one and last two segments, made on first need: one lookup per launch.
  let byTail: Map<string, string[]> | undefined;
  const tailIndex = (): Map<string, string[]> => {
    if (byTail) return byTail;
    byTail = new Map();
    for (const path of allPaths) {
      const parts = path.replace(/\\/g, '/').split('/');
      for (const depth of [1, 2]) {
        if (parts.length < depth) continue;
        const key = `${depth}\u0000${parts.slice(-depth).join('/')}`;
        const list = byTail.get(key) ?? [];
        list.push(path);
        byTail.set(key, list);
      }
    }
    return byTail;
  };
  for (const deployment of model.deployments) {
    if (!deployment.configUnknown || !deployment.configRef) continue;
    const written = deployment.configRef.value.trim().replace(/^file:/, '');
    if (!written || /^python:|[$%`]/.test(written)) continue;
    const tail = written
      .replace(/^(\.\/)+/, '')
      .split('/')
      .filter((p) => p && p !== '..');
    if (!tail.length) continue;
    const depth = Math.min(tail.length, 2);
    for (const path of tailIndex().get(`${depth}\u0000${tail.slice(-depth).join('/')}`) ?? []) {
      if (!known.has(path)) found.add(path);
    }
  }
  return [...found];
}

/**
 * What the nginx rules, hovers and completions learn from the deployments: the addresses Gunicorn listens on (as nginx
 * writes them) and its worker class when every Gunicorn of the workspace that nginx can reach uses the same known one.
 */
export function gunicornFactsForNginx(model: DeploymentModel): {
  gunicornAddresses?: Set<string>;
  gunicornAddressesComplete?: boolean;
  gunicornWorkerClass?: string;
} {
  const addresses = new Set<string>();
  const classes = new Set<string>();
  let unknownClass = false;
  let complete = model.deployments.length > 0 && model.leftOut.length === 0;
  for (const deployment of model.deployments) {
    const listens = (deployment.listens ?? []).filter((l) => l.endpoint.kind !== 'other');
    if (!listens.length || listens.length !== deployment.listens?.length) complete = false;
    if (!listens.length) continue;
    for (const listen of listens) addresses.add(formatEndpoint(listen.endpoint, true));
    const workerClass = model.effective(deployment, 'worker_class');
    if (workerClass?.known) classes.add(workerClass.value);
    else unknownClass = true;
  }
  return {
    ...(addresses.size ? { gunicornAddresses: addresses } : {}),
    ...(complete && addresses.size ? { gunicornAddressesComplete: true } : {}),
    ...(classes.size === 1 && !unknownClass ? { gunicornWorkerClass: [...classes][0]! } : {}),
  };
}
