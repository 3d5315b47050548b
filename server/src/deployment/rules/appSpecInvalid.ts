// Rule: app-spec-invalid — the part after the colon is a form the target release's import_app cannot use.

import { specLabel } from './appShared';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

export const appSpecInvalid: DeploymentRule = {
  meta: {
    id: 'app-spec-invalid',
    defaultSeverity: 'error',
    description:
      'The app spec has a form the target Gunicorn cannot load (a dotted name or non-literal arguments after the colon from 20.0.1, any call in 20.0.0): it stops while loading the app and no worker boots.',
    docsUrl: deploymentRuleDocsUrl('app-spec-invalid'),
  },
  check({ facts, report }) {
    for (const target of facts.appTargets()) {
      const why = target.parsed.unusable;
      if (!why) continue;
      report({
        uri: target.spec.uri,
        range: target.spec.range,
        message: `Gunicorn ${facts.versionLabel} cannot load ${specLabel(target)}: ${why}. It stops while loading the app and no worker boots.`,
      });
    }
  },
};
