// Rule: container-shell-signals — a shell stays between the container runtime and Gunicorn (a shell-form CMD, or
// `sh -c "gunicorn …"`), and that shell does not pass SIGTERM on, so Gunicorn never shuts down gracefully.

import type { ContainerFacet } from '../../languages/gunicorn/launch';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { fixAcross } from './shared';

/**
 * Base images whose /bin/sh is dash (Debian and Ubuntu, and the official images built on them). dash does not replace
 * itself by the last command of `-c`, so it stays as PID 1 (checked against the real dash by an oracle test).
 */
const DASH_IMAGES =
  /^(?:(?:docker\.io\/)?(?:library\/)?(?:python|debian|ubuntu|buildpack-deps)|tiangolo\/(?:uvicorn-gunicorn|meinheld-gunicorn)[\w-]*)(?::(?<tag>[^@\s]+))?(?:@\S+)?$/i;

/** Which shell runs the command: `dash` when certain, undefined when it may be another one (bash, busybox). */
export function shellProgram(container: ContainerFacet): 'dash' | undefined {
  const shell = container.shell;
  if (!shell) return undefined;
  const name = shell.program.replace(/\\/g, '/').split('/').pop() ?? '';
  if (name === 'dash') return 'dash';
  if (name !== 'sh') return undefined;
  // A SHELL instruction runs shell forms under another program.
  if (shell.implicit && container.shellInstruction) return undefined;
  const image = container.image?.value.trim() ?? '';
  const m = DASH_IMAGES.exec(image);
  if (!m) return undefined;
  return /alpine/i.test(m.groups?.tag ?? '') ? undefined : 'dash';
}

/**
 * Whether a shell certainly stays between the container runtime and Gunicorn and keeps the stop signal to itself: dash
 * as PID 1 without `exec` and without an init in front (which would pass the signal on).
 */
export function shellKeepsStopSignal(container: ContainerFacet): boolean {
  const shell = container.shell;
  if (!shell || shell.execs) return false;
  if (container.initProgram || container.init?.enabled) return false;
  return shellProgram(container) === 'dash';
}

export const containerShellSignals: DeploymentRule = {
  meta: {
    id: 'container-shell-signals',
    defaultSeverity: 'warning',
    description:
      "Gunicorn runs under a shell that stays as the container's main process (a shell-form CMD or sh -c on a Debian-based image, without exec): the stop signal reaches the shell, not Gunicorn, so every stop ends in SIGKILL.",
    docsUrl: deploymentRuleDocsUrl('container-shell-signals'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const launch = deployment.launch;
      const container = launch?.container;
      const shell = container?.shell;
      // An init (tini, compose init: true) as PID 1 changes who gets the signal; not judged here.
      if (!launch || !container || !shell || !shellKeepsStopSignal(container)) continue;
      const how = shell.implicit
        ? 'Docker runs this shell form as `/bin/sh -c …`'
        : `\`${shell.program} -c\` runs Gunicorn`;
      const image = container.image ? ` (${container.image.value}: /bin/sh is dash)` : '';
      // `exec` in front of the command is safe only when the command starts with its program, written as parsed.
      const text = facts.sources.get(launch.uri)?.text;
      const start = facts.lines(launch.uri)?.offsetAt(launch.range.start);
      const first = launch.invocation.interpreter ?? launch.invocation.launcher;
      const fix =
        launch.invocation.envAssignments.length === 0 &&
        text !== undefined &&
        start !== undefined &&
        first.from === start &&
        text.startsWith(first.text, start)
          ? fixAcross(
              launch.uri,
              'Start Gunicorn with exec',
              [
                {
                  uri: launch.uri,
                  edit: { range: { start: launch.range.start, end: launch.range.start }, newText: 'exec ' },
                },
              ],
              true,
            )
          : undefined;
      report({
        uri: launch.uri,
        range: launch.range,
        message: `${how}${image}; dash stays as the container's main process and does not pass the stop signal on, so Gunicorn never starts its graceful shutdown and is killed with SIGKILL when the grace period ends. Put \`exec\` before the command (or use the exec form \`["gunicorn", …]\`).`,
        related: [{ uri: shell.where.uri, range: shell.where.range, message: 'the shell runs this script' }],
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
};
