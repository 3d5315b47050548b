// Helpers shared by the container rules: stop signals, and edits in compose files.

import type { TextEdit } from '../../core/text';
import type { ContainerFacet, Located } from '../../languages/gunicorn/launch';

/** The signal name without `SIG`, upper case (`15` → `TERM`, `2` → `INT`, `3` → `QUIT`); undefined when unknown. */
export function signalName(text: string): string | undefined {
  const value = text.trim().toUpperCase();
  const numbers: Record<string, string> = { '2': 'INT', '3': 'QUIT', '9': 'KILL', '15': 'TERM' };
  if (numbers[value]) return numbers[value];
  const m = /^(?:SIG)?([A-Z0-9+-]+)$/.exec(value);
  return m && !/^\d/.test(m[1]!) ? m[1] : undefined;
}

/** The signal the container is stopped with, when it is not the default SIGTERM (and where it is written). */
export function nonDefaultStopSignal(container: ContainerFacet): Located<string> | undefined {
  const signal = container.stopSignal;
  if (!signal) return undefined;
  return signalName(signal.value) === 'TERM' ? undefined : signal;
}

/** An edit setting a compose service's `stop_grace_period`: the written value replaced, or a line added. */
export function stopGracePeriodEdit(
  container: ContainerFacet,
  value: string,
  eol: string,
): { uri: string; edit: TextEdit } | undefined {
  if (container.stopGrace) {
    return { uri: container.stopGrace.uri, edit: { range: container.stopGrace.range, newText: value } };
  }
  const insert = container.stopGraceInsert;
  if (!insert) return undefined;
  const at = { line: insert.line + 1, character: 0 };
  return {
    uri: insert.uri,
    edit: { range: { start: at, end: at }, newText: `${insert.indent}stop_grace_period: ${value}${eol}` },
  };
}
