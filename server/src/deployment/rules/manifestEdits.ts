// Edits in orchestrator manifests for the container rules: the grace period written in a Kubernetes manifest or a
// fly.toml replaced by a number of seconds (compose's stop_grace_period edit is in containerShared.ts).

import type { TextEdit } from '../../core/text';
import type { ContainerFacet } from '../../languages/gunicorn/launch';

/**
 * The written grace period (`terminationGracePeriodSeconds: 10`, `kill_timeout = 5` or `"5s"`) set to `seconds`;
 * undefined when the file writes none: where a new key would go (the pod spec, fly.toml's top level) is left to the
 * user rather than guessed.
 */
export function manifestStopGraceEdit(
  container: ContainerFacet,
  seconds: number,
): { uri: string; edit: TextEdit } | undefined {
  const written = container.stopGrace;
  if (!written) return undefined;
  // Fly reads a duration string or a number; Kubernetes and Render want an integer.
  const quote = container.orchestrator === 'fly' ? /^["']/.exec(written.value.trim())?.[0] : undefined;
  const newText = quote ? `${quote}${seconds}s${quote}` : String(seconds);
  return { uri: written.uri, edit: { range: written.range, newText } };
}
