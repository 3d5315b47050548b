// The server hooks of a deployment's config file as the pitfall rules read them: whether a hook is bound, which calls
// it makes, and a fix that appends a new hook.

import type { Fix } from '../../core/findings';
import type { Deployment } from '../model';
import { appendConfigLine, fixAcross } from './shared';

/** True when the config binds `name` at module level (a def, an import, an assignment: anything). */
export function configBinds(deployment: Deployment, name: string): boolean {
  return !!deployment.config?.model.bindings.some((binding) => binding.name === name);
}

/** True when a call in the config (anywhere, or inside `inFunction`) has a callee that matches. */
export function configCalls(deployment: Deployment, callee: RegExp, inFunction?: string): boolean {
  const model = deployment.config?.model;
  if (!model) return false;
  return model.calls.some(
    (call) => callee.test(call.callee) && (inFunction === undefined || call.inFunction === inFunction),
  );
}

/**
 * A fix that appends `def hook(params):` with `body` (lines, without indentation) to the deployment's config file;
 * undefined when there is no config file or it already binds the hook (a second def would replace the first).
 */
export function appendHookFix(
  deployment: Deployment,
  reportUri: string,
  hook: { name: string; params: string; body: readonly string[] },
  title: string,
  isPreferred: boolean,
): Fix | undefined {
  if (!deployment.config || configBinds(deployment, hook.name)) return undefined;
  const eol = deployment.config.model.lines.eol;
  const text = deployment.config.model.text;
  const gap = text.trim() === '' ? '' : text.endsWith(`${eol}${eol}`) ? '' : eol;
  const lines = [
    `${gap}def ${hook.name}(${hook.params}):`,
    ...hook.body.map((line) => (line ? `    ${line}` : '')),
  ];
  const edit = appendConfigLine(deployment, lines.join(eol));
  return edit ? fixAcross(reportUri, title, [edit], isPreferred) : undefined;
}
