// Rule: unknown-setting — a name Gunicorn silently ignores although it looks like a setting or hook (typo, flag spelling, case).

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { spanRange } from './ruleUtils';
import type { SettingInfo } from '../catalogTypes';

/** Spellings people carry over from the command line or other servers, mapped to the real setting. */
const ALIASES: Record<string, string> = {
  pid: 'pidfile',
  name: 'proc_name',
  log_level: 'loglevel',
  access_logfile: 'accesslog',
  access_log: 'accesslog',
  error_logfile: 'errorlog',
  error_log: 'errorlog',
  log_file: 'errorlog',
  access_logformat: 'access_log_format',
  preload: 'preload_app',
  keep_alive: 'keepalive',
  log_config: 'logconfig',
  paster: 'paste',
  env: 'raw_env',
  worker: 'workers',
  num_workers: 'workers',
  worker_tmpdir: 'worker_tmp_dir',
  bind_address: 'bind',
  worker_init: 'post_worker_init',
  on_start: 'on_starting',
  on_ready: 'when_ready',
};

interface AvailableNames {
  /** Settings by their long flag written as a Python name (`--max-requests` → `max_requests`). */
  flagNames: Map<string, string>;
  hooks: SettingInfo[];
  availableNames: Set<string>;
  hookNames: Set<string>;
}

/**
 * The names a version's settings go by, made once per version's list (the catalogue keeps one list per version):
 * building them took longer than the rest of the rule on a short config, once per config of a big folder.
 */
const namesMemo = new WeakMap<readonly SettingInfo[], AvailableNames>();

function namesOf(available: readonly SettingInfo[]): AvailableNames {
  let names = namesMemo.get(available);
  if (!names) {
    const flagNames = new Map<string, string>();
    for (const setting of available) {
      for (const flag of setting.cli) {
        if (flag.startsWith('--')) flagNames.set(flag.slice(2).replace(/-/g, '_'), setting.name);
      }
    }
    const hooks = available.filter((s) => s.kind === 'hook');
    names = {
      flagNames,
      hooks,
      availableNames: new Set(available.map((s) => s.name)),
      hookNames: new Set(hooks.map((h) => h.name)),
    };
    namesMemo.set(available, names);
  }
  return names;
}

export const unknownSetting: GunicornRule = {
  meta: {
    id: 'unknown-setting',
    defaultSeverity: 'warning',
    description:
      'A module-level name that looks like a Gunicorn setting but is not one, so Gunicorn silently ignores it.',
    docsUrl: ruleDocsUrl('unknown-setting'),
  },
  check({ model, catalog, version, report }) {
    const { flagNames, hooks, availableNames, hookNames } = namesOf(catalog.availableIn(version));
    for (const binding of model.bindings) {
      const name = binding.name;
      if (catalog.get(name)) continue; // a setting (version problems are other rules' business)
      if (binding.kind === 'import' || binding.kind === 'class' || name.startsWith('_')) continue;
      if (model.readNames.has(name)) continue; // a helper variable used elsewhere in the file
      const isUpper = name === name.toUpperCase() && /[A-Z]/.test(name);
      let suggestions: string[] = [];
      let reason = '';
      const lower = name.toLowerCase();
      if (name !== lower && catalog.get(lower)) {
        suggestions = [lower];
        reason = 'setting names are lower-case';
      } else if (isUpper) {
        continue; // UPPER_CASE names are constants by convention
      } else if (ALIASES[name] && catalog.get(ALIASES[name]!)) {
        suggestions = [ALIASES[name]!];
        reason = binding.kind === 'def' ? 'there is no such hook' : 'that is not the setting\u2019s name';
      } else if (flagNames.has(name)) {
        suggestions = [flagNames.get(name)!];
        reason = 'that is the command-line flag\u2019s spelling';
      } else {
        const pool = binding.kind === 'def' ? hookNames : availableNames;
        suggestions = catalog.suggest(name, version).filter((s) => pool.has(s));
        if (binding.kind === 'def' && suggestions.length === 0) {
          // Hook names people guess: worker_init -> post_worker_init, on_start -> on_starting.
          const words = name.split('_');
          const [first, last] = [words[0]!, words[words.length - 1]!];
          suggestions = hooks
            .filter(
              (h) =>
                h.name.includes(name) ||
                (name.length > 5 && h.name.startsWith(first) && h.name.endsWith(last)),
            )
            .map((h) => h.name)
            .slice(0, 3);
        }
        if (suggestions.length === 0) continue;
        reason = binding.kind === 'def' ? 'there is no such hook' : 'not a setting';
      }
      const what = binding.kind === 'def' ? 'function' : 'name';
      // Fix-all renames only a plain assignment with one candidate that the file does not set already: a renamed
      // hook would run code that never ran, and a second assignment would change which value wins.
      const safe =
        binding.kind !== 'def' &&
        suggestions.length === 1 &&
        !model.bindings.some((other) => other.name === suggestions[0]);
      report({
        range: spanRange(model, binding.nameSpan),
        message: `Gunicorn ignores the ${what} '${name}': ${reason}. Did you mean '${suggestions.join("', '")}'?`,
        fixes: suggestions.map((suggestion, index) => ({
          title: `Change to '${suggestion}'`,
          edits: [{ range: spanRange(model, binding.nameSpan), newText: suggestion }],
          isPreferred: index === 0,
          ...(safe ? { safe } : {}),
        })),
      });
    }
  },
};
