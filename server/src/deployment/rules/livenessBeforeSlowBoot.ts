// Rule: liveness-before-slow-boot — a Kubernetes liveness probe with no startupProbe in front of an app that loads a
// machine-learning framework: the probe starts counting while the app is still importing, and the kubelet kills the
// container before it ever serves (a restart loop).

import { packageUses, usesLabel } from './appPackages';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

/**
 * Frameworks whose import (and the model loading that usually comes with it) takes tens of seconds to minutes on a
 * cold container: the case Kubernetes' startupProbe exists for.
 */
const MODULES = [
  'torch',
  'tensorflow',
  'jax',
  'transformers',
  'sentence_transformers',
  'ctranslate2',
  'spacy',
];
const PACKAGES: readonly (string | RegExp)[] = [
  'torch',
  'tensorflow',
  'tensorflow-cpu',
  'tensorflow-gpu',
  'jax',
  'transformers',
  'sentence-transformers',
  'ctranslate2',
  'spacy',
];

/** A liveness window of a minute or more gives a cold import of these a fair chance: say nothing then. */
const SHORT_WINDOW_SECONDS = 60;

export const livenessBeforeSlowBoot: DeploymentRule = {
  meta: {
    id: 'liveness-before-slow-boot',
    defaultSeverity: 'warning',
    description:
      'A Kubernetes liveness probe with no startupProbe gives an app that loads torch, TensorFlow, transformers or the like less than a minute to boot: the kubelet kills the container before it serves and restarts it in a loop.',
    docsUrl: deploymentRuleDocsUrl('liveness-before-slow-boot'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const container = deployment.launch?.container;
      if (container?.orchestrator !== 'kubernetes' || !container.probes?.length) continue;
      if (container.probes.some((probe) => probe.role === 'startup')) continue;
      const liveness = container.probes.find((probe) => probe.role === 'liveness');
      // A number the reader could not read (a Helm value) leaves the window unknown: no verdict.
      if (
        !liveness ||
        liveness.initialDelaySeconds === undefined ||
        liveness.periodSeconds === undefined ||
        liveness.failureThreshold === undefined
      ) {
        continue;
      }
      const window = liveness.initialDelaySeconds + liveness.failureThreshold * liveness.periodSeconds;
      if (window >= SHORT_WINDOW_SECONDS) continue;
      const uses = packageUses(facts, deployment, {
        modules: MODULES,
        packages: PACKAGES,
        moduleLevelOnly: true,
      });
      if (!uses.length) continue;
      report({
        uri: liveness.where.uri,
        range: liveness.where.range,
        message: `This liveness probe restarts the container unless Gunicorn answers within about ${window} s of its start (initialDelaySeconds ${liveness.initialDelaySeconds} + failureThreshold ${liveness.failureThreshold} × periodSeconds ${liveness.periodSeconds}), and there is no startupProbe; the app uses ${uses[0]!.name} (${usesLabel(uses)}), whose import and model loading often take longer on a cold container. Gunicorn answers nothing until a worker has loaded the app, so the kubelet kills it before it ever serves, in a loop. Add a startupProbe with the same check and a failureThreshold × periodSeconds long enough for the boot (liveness only starts after it succeeds).`,
        related: uses.slice(0, 3).map((use) => use.related),
      });
    }
  },
};
