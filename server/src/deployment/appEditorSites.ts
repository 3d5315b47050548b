// What the editor needs about app specs in one open file, as plain data made with each model build: where Go to
// Definition leads from each spec, and which modules each launch of the file can import (for completing one).

import type { DefinitionLocation, DefinitionSite } from '../core/definitions';
import { LineIndex, type Range } from '../core/text';
import type { AppModule, AppTarget } from './appTarget';
import { importableModules, type ImportableModule } from './appModules';
import type { DeploymentModel } from './model';
import { dirname, lookupModule } from './moduleLookup';

/** The modules one launch (or the launches that load one config file) can import, by the lines that launch spans. */
export interface AppCompletionScope {
  /** Zero-based lines of the launch's command line; undefined for a config file (its whole text). */
  lines?: { from: number; to: number };
  modules: ImportableModule[];
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where a module file defines `attribute` (its last top-level binding), else the top of the file. */
function bindingLocation(module: AppModule, attribute: string | undefined): DefinitionLocation | undefined {
  if (!module.uri) return undefined;
  const bindings = attribute ? module.facts?.names.get(attribute) : undefined;
  const binding = bindings?.[bindings.length - 1];
  if (!binding || module.text === undefined) return { uri: module.uri, range: START, selectionRange: START };
  const range = new LineIndex(module.text).range(binding.from, binding.to);
  return { uri: module.uri, range, selectionRange: range };
}

/** The definition an app spec leads to: the name's binding in the module, or the module (package) file. */
function targetOf(target: AppTarget): DefinitionLocation | undefined {
  if (target.status === 'found' && target.module) {
    return bindingLocation(target.module, target.parsed.attribute);
  }
  // `shop.wsgi.application` (a dot for the colon): the name the user meant, in the module that has it.
  if (target.parent) return bindingLocation(target.parent.found, target.parent.attribute);
  return undefined;
}

/**
 * Definition sites in `uri` (offsets in `text`, the text the model was built from): the app specs written there, and
 * the DJANGO_SETTINGS_MODULE values of the launches' environments (to the settings module they name). `uriOf` makes a
 * file's URI from its path, for modules the model has not read.
 */
export function appDefinitionSites(
  model: DeploymentModel,
  uri: string,
  text: string,
  uriOf?: (path: string) => string,
): DefinitionSite[] {
  const lines = new LineIndex(text);
  const sites: DefinitionSite[] = [];
  for (const target of model.appTargets()) {
    const settings = uriOf && settingsSite(target, uri, lines, uriOf);
    if (settings) sites.push(settings);
    if (target.spec.uri !== uri) continue;
    const location = targetOf(target);
    if (!location) continue;
    let from = lines.offsetAt(target.spec.range.start);
    let to = lines.offsetAt(target.spec.range.end);
    // The link underlines the spec itself, not the quotes it is written in.
    if (to - from >= 2 && (text[from] === '"' || text[from] === "'") && text[to - 1] === text[from]) {
      from++;
      to--;
    }
    sites.push({ from, to, targets: [location] });
  }
  return sites;
}

/** For each launch written in `uri` (or loading `uri` as its config), the modules it can import. */
export function appCompletionScopes(model: DeploymentModel, uri: string, path: string): AppCompletionScope[] {
  const scopes: AppCompletionScope[] = [];
  for (const deployment of model.deployments) {
    const launch = deployment.launch;
    const inLaunch = launch?.uri === uri;
    if (!inLaunch && deployment.config?.uri !== uri) continue;
    // Where nothing says where Gunicorn runs, the folder of the file that starts it (or of the config) is the guess.
    const search = model.moduleSearch(deployment, dirname(inLaunch ? launch!.path : path));
    if (!search) continue;
    const modules = importableModules(search);
    scopes.push({
      ...(inLaunch ? { lines: { from: launch!.range.start.line, to: launch!.range.end.line } } : {}),
      modules,
    });
  }
  return scopes;
}

const START_LOCATION = (uri: string): DefinitionLocation => ({ uri, range: START, selectionRange: START });

/** DJANGO_SETTINGS_MODULE written in `uri` for this launch, to the module it names when the launch can import it. */
function settingsSite(
  target: AppTarget,
  uri: string,
  lines: LineIndex,
  uriOf: (path: string) => string,
): DefinitionSite | undefined {
  const env = target.deployment.env.get('DJANGO_SETTINGS_MODULE');
  if (!env || env.uri !== uri || !target.search) return undefined;
  const found = lookupModule(target.search, env.value.trim());
  if (found.status !== 'found' || !found.module) return undefined;
  return {
    from: lines.offsetAt(env.range.start),
    to: lines.offsetAt(env.range.end),
    targets: [START_LOCATION(found.module.uri ?? uriOf(found.module.path))],
  };
}
