// Rule: django-settings-module-missing — the Django settings module the launch names (DJANGO_SETTINGS_MODULE in its
// environment or raw_env, else the app module's os.environ.setdefault) cannot be imported from where it looks.

import { closestMatches } from '../../core/editDistance';
import type { RelatedInfo } from '../../core/findings';
import { LineIndex } from '../../core/text';
import { importableModules } from '../appModules';
import type { AppTarget } from '../appTarget';
import type { DeploymentFacts } from '../model';
import { lookupModule } from '../moduleLookup';
import type { Located } from '../types';
import { moduleRelated, shortPath, specLabel } from './appShared';
import type { DeploymentReport, DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';

const NAME = 'DJANGO_SETTINGS_MODULE';
/** Django's WSGI/ASGI entry points: calling one at import sets Django up, which imports the settings module. */
const DJANGO_ENTRY = /\bget_(?:wsgi|asgi)_application\s*\(/;
const SETDEFAULT = /\bos\.environ\.setdefault\(\s*(["'])DJANGO_SETTINGS_MODULE\1\s*,\s*(["'])([\w.]+)\2\s*\)/;
/** A module that assigns the variable outright (or reads it from elsewhere) decides it in ways not followed here. */
const FORCED =
  /\bos\.environ\s*\[\s*["']DJANGO_SETTINGS_MODULE["']\s*\]\s*=|\bos\.(?:putenv|environ\.update)\b/;
const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

export const djangoSettingsModuleMissing: DeploymentRule = {
  meta: {
    id: 'django-settings-module-missing',
    defaultSeverity: 'error',
    description:
      'The Django settings module a launch names (DJANGO_SETTINGS_MODULE in its environment or raw_env, else the setdefault in its app module) cannot be imported from the folders Python searches: Django fails while Gunicorn loads the app, and no worker boots.',
    docsUrl: deploymentRuleDocsUrl('django-settings-module-missing'),
  },
  check({ facts, report }) {
    const seen = new Set<string>();
    for (const target of facts.appTargets()) {
      const finding = checkTarget(facts, target);
      if (!finding) continue;
      const key = `${finding.uri}|${finding.range.start.line}:${finding.range.start.character}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report(finding);
    }
  },
};

/** Where the launch's settings module is named: raw_env, the environment, or the app module's setdefault. */
interface SettingsName {
  value: string;
  /** Where a finding about it goes. */
  at: Located<string>;
  how: string;
  related: RelatedInfo[];
  /**
   * Only the app module's default names it, and the launch's environment is not all written down (a platform's config
   * vars for a Procfile, `docker run -e` for an image, a script's caller): the run-time environment may set it.
   */
  mayBeSetElsewhere?: boolean;
}

function settingsNameOf(facts: DeploymentFacts, target: AppTarget, text: string): SettingsName | undefined {
  const module = target.module!;
  const rawEnv = facts.setting(target.deployment, 'raw_env');
  if (rawEnv && rawEnv.origin !== 'default') {
    if (!rawEnv.known) return undefined;
    const entry = (rawEnv.parsed.list ?? []).find((e) => e.trim().startsWith(`${NAME}=`));
    if (entry && rawEnv.where) {
      const value = entry.trim().slice(NAME.length + 1);
      return {
        value,
        at: { value, uri: rawEnv.where.uri, range: rawEnv.where.range },
        how: 'raw_env (--env) sets',
        related: moduleRelated(facts, module.uri, 'the app module Django is loaded from'),
      };
    }
  }
  const env = target.deployment.env.get(NAME);
  if (env) {
    return {
      value: env.value,
      at: env,
      how: 'the environment sets',
      related: moduleRelated(facts, module.uri, 'the app module Django is loaded from'),
    };
  }
  // Without it in the environment, the app module's default decides; an environment file we cannot read may set it.
  if (target.deployment.envUnknown) return undefined;
  const match = SETDEFAULT.exec(text);
  if (!match || !module.uri) return undefined;
  const from = match.index + match[0].lastIndexOf(match[3]!);
  const lines = new LineIndex(text);
  return {
    value: match[3]!,
    at: target.spec,
    how: `${shortPath(module.path)} defaults`,
    // A unit's environment is all in the unit (environment files aside, which end the check above).
    mayBeSetElsewhere: target.deployment.launch?.kind !== 'systemd',
    related: [
      {
        uri: module.uri,
        range: lines.range(from, from + match[3]!.length),
        message: `${NAME} defaults to '${match[3]}' here`,
      },
    ],
  };
}

function checkTarget(facts: DeploymentFacts, target: AppTarget): DeploymentReport | undefined {
  const module = target.module;
  const text = module?.text;
  if (target.status !== 'found' || !module || text === undefined || !target.search) return undefined;
  const bindings = module.facts?.names.get(target.parsed.attribute);
  const django =
    bindings?.some((b) => (b.app ?? b.creates)?.framework === 'Django') || DJANGO_ENTRY.test(text);
  if (!django || FORCED.test(text)) return undefined;
  const named = settingsNameOf(facts, target, text);
  if (!named) return undefined;
  const value = named.value.trim();
  if (!DOTTED.test(value)) return undefined;
  const found = lookupModule(target.search, value);
  if (found.status !== 'missing') return undefined;
  const candidates = importableModules(target.search)
    .map((m) => m.name)
    .filter((name) => /(^|\.)settings(\.|$)/.test(name));
  const close = closestMatches(value, candidates, 3);
  const suggestions = close.length ? close : candidates.length <= 3 ? candidates : [];
  const searched = found.searched.slice(0, 4).join(', ');
  const elsewhere = found.elsewhere
    ? ` The workspace has it at ${shortPath(found.elsewhere)}, which this launch does not search.`
    : '';
  const related: RelatedInfo[] = [...named.related];
  if (found.elsewhere && found.elsewhere !== module.path) {
    related.push(...moduleRelated(facts, fileUriIn(facts, found.elsewhere), 'a module of that name'));
  }
  const fix = suggestions[0] ? replaceValueFix(facts, named.at, value, suggestions[0]) : undefined;
  return {
    uri: named.at.uri,
    range: named.at.range,
    ...(named.mayBeSetElsewhere ? { severity: 'warning' as const } : {}),
    message:
      `${capitalized(named.how)} ${NAME} to '${value}', which this launch cannot import (searched ${searched}): Django stops with ModuleNotFoundError while Gunicorn loads ${specLabel(target)}, and no worker boots` +
      (named.mayBeSetElsewhere
        ? `, unless the environment it runs in sets ${NAME} (a platform's config var, docker run -e).`
        : '.') +
      elsewhere +
      (suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : ''),
    related,
    ...(fix ? { fixes: [fix] } : {}),
  };
}

/** The uri of a workspace file the model holds, by path (related information needs one it can point at). */
function fileUriIn(facts: DeploymentFacts, path: string): string | undefined {
  for (const source of facts.sources.values()) {
    if (source.path.replace(/\\/g, '/') === path) return source.uri;
  }
  return undefined;
}

/** Replaces the value where it is written as is (not through a variable or an escape). */
function replaceValueFix(facts: DeploymentFacts, at: Located<string>, value: string, suggestion: string) {
  const lines = facts.lines(at.uri);
  const source = facts.sources.get(at.uri);
  if (!lines || !source) return undefined;
  const written = source.text.slice(lines.offsetAt(at.range.start), lines.offsetAt(at.range.end));
  const index = written.lastIndexOf(value);
  if (index < 0 || written.indexOf(value) !== index) return undefined;
  const start = lines.offsetAt(at.range.start) + index;
  return {
    title: `Change to ${suggestion}`,
    edits: [{ range: lines.range(start, start + value.length), newText: suggestion }],
    isPreferred: true,
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
