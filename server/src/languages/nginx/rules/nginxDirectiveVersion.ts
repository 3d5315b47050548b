// Rule: nginx-directive-version — a directive of another nginx release than the target: added later, or removed.

import { formatVersion, parseVersion, compareVersions } from '../../../core/version';
import { isJudged } from './genericShared';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxDirectiveVersion: NginxRule = {
  meta: {
    id: 'nginx-directive-version',
    defaultSeverity: 'error',
    description:
      'A directive the target nginx version does not have (added in a later release, or removed before it); nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-directive-version'),
  },
  check({ model, catalog, nginxTarget, range, report }) {
    const target = formatVersion(catalog.version);
    for (const directive of model.all) {
      if (!isJudged(directive) || catalog.isKnown(directive.name)) continue;
      const history = catalog.history(directive.name);
      if (!history) continue; // unknown everywhere: nginx-unknown-directive
      const since = parseVersion(history.since);
      const until = parseVersion(history.until);
      const what =
        since && compareVersions(catalog.version, since) < 0
          ? `was added in nginx ${history.since}`
          : until && compareVersions(catalog.version, until) >= 0
            ? `was removed in nginx ${history.until}`
            : `is not in nginx ${target}`;
      // A distribution may ship an older nginx with the directive backported: then the version does not decide.
      const backport = since
        ? catalog.entriesInAnyRelease(directive.name).find((e) => e.backported)?.backported
        : undefined;
      // Only a version someone named makes this certain; the assumed newest release may not be what runs.
      const consequence = backport
        ? ` ${backport} has it as a backport, so it may work there.`
        : nginxTarget.assumed
          ? ' If your nginx is another version, set gunicornConfig.nginxVersion (or name the image in a Dockerfile or compose file).'
          : ' nginx will refuse to start.';
      report({
        range: range(directive.nameToken.span),
        severity: nginxTarget.assumed || backport ? 'warning' : 'error',
        message: `"${directive.name}" ${what}; the target is ${nginxTarget.label}.${consequence}`,
      });
    }
  },
};
