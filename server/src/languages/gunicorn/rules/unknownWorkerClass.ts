// Rule: unknown-worker-class — a worker_class shortcut the target Gunicorn does not have; start-up fails with "class uri … invalid or not found".

import { closestMatches } from '../../../core/editDistance';
import { isAtLeast } from '../../../core/version';
import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';

export const unknownWorkerClass: GunicornRule = {
  meta: {
    id: 'unknown-worker-class',
    defaultSeverity: 'error',
    description:
      'A worker_class that is neither a shortcut of the target Gunicorn nor a dotted path, so the master cannot load it.',
    docsUrl: ruleDocsUrl('unknown-worker-class'),
  },
  check({ model, catalog, version, versionLabel, report }) {
    const binding = lastBinding(model, 'worker_class');
    if (!binding || binding.value.kind !== 'str') return;
    const name = binding.value.value;
    // Dotted paths and egg: URIs name third-party classes we cannot judge.
    if (name.includes('.') || name.startsWith('egg:')) return;
    const shortcuts = catalog.workerClasses.filter((w) => w.builtin);
    const known = shortcuts.find((w) => w.name === name);
    const available = shortcuts.filter(
      (w) => isAtLeast(version, w.since) && !(w.removed && isAtLeast(version, w.removed.since)),
    );
    const range = spanRange(model, binding.value.span);
    let message: string;
    if (known && known.removed && isAtLeast(version, known.removed.since)) {
      message = `The '${name}' worker was removed in Gunicorn ${known.removed.since}; Gunicorn ${versionLabel} cannot start with it.`;
    } else if (known && !isAtLeast(version, known.since)) {
      message = `The '${name}' worker arrived in Gunicorn ${known.since}; Gunicorn ${versionLabel} cannot start with it.`;
    } else if (known) {
      return;
    } else {
      message = `'${name}' is not a worker class shortcut; Gunicorn fails at start-up with "class uri … invalid or not found".`;
    }
    const suggestions = closestMatches(
      name,
      available.map((w) => w.name),
      2,
    );
    report({
      range,
      message: suggestions.length ? `${message} Did you mean '${suggestions.join("', '")}'?` : message,
      fixes: suggestions.map((s, i) => ({
        title: `Change to "${s}"`,
        edits: [{ range, newText: JSON.stringify(s) }],
        isPreferred: i === 0,
      })),
    });
  },
};
