// Rule: deprecated-setting — a setting (or worker class) Gunicorn or its maintainers have deprecated in the target version.

import type { GunicornRule } from './types';
import { ruleDocsUrl } from './types';
import { lastBinding, spanRange } from './ruleUtils';
import type { Fix } from '../../../core/findings';
import type { Binding, ConfigModel } from '../model';
import { isAtLeast } from '../../../core/version';

export const deprecatedSetting: GunicornRule = {
  meta: {
    id: 'deprecated-setting',
    defaultSeverity: 'warning',
    description: 'A deprecated setting or worker class that still loads but is ignored or due to disappear.',
    docsUrl: ruleDocsUrl('deprecated-setting'),
  },
  check({ model, catalog, version, report }) {
    for (const binding of model.bindings) {
      if (binding.kind === 'import') continue;
      const setting = catalog.get(binding.name);
      if (!setting || catalog.availability(setting, version) !== 'available') continue;
      if (setting.deprecated && catalog.isDeprecatedIn(setting, version)) {
        report({
          range: spanRange(model, binding.nameSpan),
          message: `${binding.name} is deprecated: ${setting.deprecated.message}`,
          tags: ['deprecated'],
          fixes: binding.name === 'ssl_version' ? sslVersionFixes(model, binding) : [],
        });
      }
      if (binding.name === 'worker_class' && binding.value.kind === 'str') {
        const worker = catalog.workerClass(binding.value.value);
        if (!worker?.deprecated || !isAtLeast(version, worker.deprecated.since)) continue;
        if (worker.removed && isAtLeast(version, worker.removed.since)) continue;
        const range = spanRange(model, binding.value.span);
        const replacement = worker.deprecated.replacement;
        report({
          range,
          message: `The worker class '${worker.name}' is deprecated: ${worker.deprecated.message}`,
          tags: ['deprecated'],
          fixes: replacement
            ? [
                {
                  title: `Change to "${replacement}"`,
                  edits: [{ range, newText: JSON.stringify(replacement) }],
                  isPreferred: true,
                },
              ]
            : [],
        });
      }
    }
  },
};

/** The TLS floor an ssl_version value asked for, as an `ssl.TLSVersion` member; undefined for "any". */
function minimumTlsVersion(model: ConfigModel, binding: Binding): string | undefined {
  const source =
    binding.value.kind === 'str'
      ? binding.value.value
      : model.text.slice(binding.value.span.from, binding.value.span.to);
  const match = /TLSv1(?:_([123]))?\b/.exec(source);
  return match ? `TLSv1${match[1] ? `_${match[1]}` : ''}` : undefined;
}

/** ssl_version is ignored since 21.0: move what it meant into an ssl_context hook, or drop it if one exists. */
function sslVersionFixes(model: ConfigModel, binding: Binding): Fix[] {
  const statement = spanRange(model, binding.statementSpan);
  const wholeLine = { start: statement.start, end: { line: statement.end.line + 1, character: 0 } };
  if (lastBinding(model, 'ssl_context')) {
    return [
      {
        title: 'Remove ssl_version (ignored)',
        edits: [{ range: wholeLine, newText: '' }],
        isPreferred: true,
        // Gunicorn ignores the line once an ssl_context hook exists: removing it changes nothing.
        safe: true,
      },
    ];
  }
  // A def inside if/try would need re-indenting; only top-level assignments get the rewrite.
  if (binding.branch.length) return [];
  const eol = model.lines.eol;
  const minimum = minimumTlsVersion(model, binding);
  const body = [
    'def ssl_context(config, default_ssl_context_factory):',
    '    # Gunicorn ignores ssl_version since 21.0; TLS options are set on the context here.',
    '    import ssl',
    '',
    '    context = default_ssl_context_factory()',
    `    context.minimum_version = ssl.TLSVersion.${minimum ?? 'TLSv1_2'}`,
    '    return context',
  ];
  const replacement = body.join(eol);
  return [
    {
      title: 'Replace ssl_version with an ssl_context hook',
      edits: [{ range: statement, newText: replacement }],
      isPreferred: true,
    },
  ];
}
