// Whether a worker class name loads in a Gunicorn release: shared by the config rule (unknown-worker-class) and the
// command-line check (`-k gthreads`).

import { closestMatches } from '../../core/editDistance';
import { isAtLeast, type Version } from '../../core/version';
import type { GunicornCatalog } from './catalog';

export interface WorkerClassVerdict {
  message: string;
  /** Shortcuts of that release close to the name, nearest first. */
  suggestions: string[];
}

/**
 * What is wrong with `name` as a worker class in `version`: a shortcut removed or not yet there, or no shortcut at
 * all. Undefined when it loads, and for dotted paths and egg: URIs (third-party classes we cannot judge).
 */
export function workerClassVerdict(
  name: string,
  catalog: GunicornCatalog,
  version: Version,
  versionLabel: string,
): WorkerClassVerdict | undefined {
  if (name.includes('.') || name.startsWith('egg:')) return undefined;
  const shortcuts = catalog.workerClasses.filter((w) => w.builtin);
  const known = shortcuts.find((w) => w.name === name);
  const available = shortcuts.filter(
    (w) => isAtLeast(version, w.since) && !(w.removed && isAtLeast(version, w.removed.since)),
  );
  let message: string;
  if (known && known.removed && isAtLeast(version, known.removed.since)) {
    message = `The '${name}' worker was removed in Gunicorn ${known.removed.since}; Gunicorn ${versionLabel} cannot start with it.`;
  } else if (known && !isAtLeast(version, known.since)) {
    message = `The '${name}' worker arrived in Gunicorn ${known.since}; Gunicorn ${versionLabel} cannot start with it.`;
  } else if (known) {
    return undefined;
  } else {
    message = `'${name}' is not a worker class shortcut; Gunicorn fails at start-up with "class uri … invalid or not found".`;
  }
  const suggestions = closestMatches(
    name,
    available.map((w) => w.name),
    2,
  );
  return {
    message: suggestions.length ? `${message} Did you mean '${suggestions.join("', '")}'?` : message,
    suggestions,
  };
}
