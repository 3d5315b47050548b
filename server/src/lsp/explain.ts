// workspace/executeCommand `gunicornConfig.server.explain`: the workspace's deployments at a glance, asked of the side
// that owns the model (the worker), with a timeout so a busy or stuck build never leaves the client waiting.

import type { ExplainReport } from '../deployment/explain';
import { explainMarkdown } from '../deployment/explainMarkdown';
import type { DeploymentOptions } from '../deployment/model';
import type { DeploymentHost } from './deploymentBackend';

export const EXPLAIN_COMMAND = 'gunicornConfig.server.explain';

/** How long the command waits for the model. The environment variable exists for tests. */
const EXPLAIN_TIMEOUT_MS =
  Number(process.env.GUNICORN_CONFIG_EXPLAIN_TIMEOUT_MS) > 0
    ? Number(process.env.GUNICORN_CONFIG_EXPLAIN_TIMEOUT_MS)
    : 30_000;

/** The command's answer: the page and the data it shows, or why there is none. */
export type ExplainAnswer = { markdown: string; report: ExplainReport } | { error: string };

export async function answerExplain(
  host: DeploymentHost,
  options: DeploymentOptions,
  roots: readonly string[],
): Promise<ExplainAnswer> {
  const root = roots[0];
  if (root === undefined) {
    return {
      error: 'Open a workspace folder: the effective configuration is read from its deployment files.',
    };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), EXPLAIN_TIMEOUT_MS);
  });
  try {
    const report = await Promise.race([host.explain(options, root), timeout]);
    if (report === 'timeout') {
      return {
        error: `The deployment model was not ready within ${EXPLAIN_TIMEOUT_MS / 1000} s; try again.`,
      };
    }
    if (!report) return { error: 'The deployment model could not be built.' };
    return { markdown: explainMarkdown(report), report };
  } catch (error) {
    return {
      error: `The deployment model could not be built: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
