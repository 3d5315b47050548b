// Rule: preload-gpu-framework — preload_app with an app that imports (or declares) torch, TensorFlow, JAX, CuPy and
// the like: the master sets up the framework's runtime and then forks, and the children inherit a state they cannot use.

import { fixAcross, originLabel, replaceSettingEdit } from './shared';
import { packageUses, usesLabel } from './appPackages';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

/**
 * Frameworks whose runtime does not survive fork() once set up in the parent: CUDA cannot be initialised again in a
 * forked child (torch, CuPy, TensorFlow's GPU path), and TensorFlow's, JAX's and torch's thread pools are not re-created
 * in the child, so work in a worker can hang. sentence-transformers and CTranslate2 load their models this way.
 */
const MODULES = ['torch', 'tensorflow', 'jax', 'cupy', 'sentence_transformers', 'ctranslate2'];
const PACKAGES: readonly (string | RegExp)[] = [
  'torch',
  'torchvision',
  'torchaudio',
  'tensorflow',
  'tensorflow-gpu',
  'tensorflow-cpu',
  'tf-nightly',
  'jax',
  'jaxlib',
  /^cupy(-cuda\w+|-rocm-[\w-]+)?$/,
  'sentence-transformers',
  'ctranslate2',
];

export const preloadGpuFramework: DeploymentRule = {
  meta: {
    id: 'preload-gpu-framework',
    defaultSeverity: 'warning',
    description:
      "preload_app with an app that uses torch, TensorFlow, JAX or CuPy: CUDA (and these runtimes' threads) set up in the master before the fork break every worker.",
    docsUrl: deploymentRuleDocsUrl('preload-gpu-framework'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const preload = facts.setting(deployment, 'preload_app');
      if (!preload?.known || preload.parsed.bool !== true || !preload.where) continue;
      const uses = packageUses(facts, deployment, {
        modules: MODULES,
        packages: PACKAGES,
        moduleLevelOnly: true,
      });
      if (!uses.length) continue;
      const off = replaceSettingEdit(deployment, preload, { python: 'False', cli: 'false' });
      report({
        uri: preload.where.uri,
        range: preload.where.range,
        message: `preload_app is on (${originLabel(preload.origin)}) and the app uses ${uses[0]!.name} (${usesLabel(uses)}): the master imports the app, and whatever the import sets up (a model moved to the GPU, torch.cuda.is_available(), a TensorFlow session, JAX's backend) is then forked into every worker. CUDA cannot be initialised again in a forked child ("Cannot re-initialize CUDA in forked subprocess") and the frameworks' thread pools do not survive fork(), so workers fail or hang on their first request. Load the model in each worker (in post_fork, or lazily on first use) or turn preload_app off.`,
        related: uses.map((use) => use.related),
        ...(off
          ? {
              fixes: [
                fixAcross(preload.where.uri, 'Turn preload_app off (each worker loads the app itself)', [
                  off,
                ]),
              ],
            }
          : {}),
      });
    }
  },
};
