// Completion of an app spec (`module:attr`): module names a launch can import, then the module's top-level names that
// can be an app (framework apps first, factories as `create_app()`), shared by every place an app spec is written.

import type { CompletionEntry } from '../../core/features';
import type { Range } from '../../core/text';
import type { Version } from '../../core/version';
import { attributeFormFor } from '../gunicorn/appSpec';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import type { Token } from '../gunicorn/commandWords';
import { pythonModuleFacts, type TopLevelName } from './moduleFacts';

/** A module the launch can import, as the host lists it. */
export interface AppModuleChoice {
  name: string;
  path: string;
  isPackage: boolean;
}

/** What the workspace offers where an app spec is written (given by the host, per launch). */
export interface AppSpecSource {
  modules: readonly AppModuleChoice[];
  /** The text of a module file (the editor's when open, else the disk's); undefined when it cannot be read. */
  read(path: string): string | undefined;
}

/** Where the host finds the app-spec source for a position of a document (the launch written there). */
export type AppSpecSourceAt = (offset: number) => AppSpecSource | undefined;

/** Names offered after the colon at most (a generated module may bind thousands). */
const MAX_NAMES = 200;

/**
 * Entries for an app spec typed so far (`typed`, without quotes), replacing `range` (from the spec's start to the
 * cursor) with the whole spec, so that editors filter on `module:attr` as one word.
 */
export function appSpecCompletions(
  typed: string,
  range: Range,
  source: AppSpecSource,
  version: Version,
): CompletionEntry[] {
  if (/[\s'"$`]/.test(typed)) return [];
  const colon = typed.indexOf(':');
  if (colon < 0) {
    return source.modules.map((module) => ({
      label: module.name,
      kind: 'module',
      detail: module.path.split('/').slice(-3).join('/'),
      insertText: module.name,
      filterText: module.name,
      isSnippet: false,
      range,
      sortText: `${module.name.split('.').length}${module.name}`,
    }));
  }
  const moduleName = typed.slice(0, colon);
  const module = source.modules.find((m) => m.name === moduleName);
  const text = module ? source.read(module.path) : undefined;
  if (text === undefined) return [];
  const facts = pythonModuleFacts(text);
  // `module:create_app()` is a call from 20.0.1 on; 20.0.0 takes a bare name only (19.x evaluates an expression).
  const callable = attributeFormFor(version) !== 'name-only';
  const entries: CompletionEntry[] = [];
  for (const [name, bindings] of facts.names) {
    if (entries.length >= MAX_NAMES) break;
    if (/^__\w+__$/.test(name)) continue;
    const binding = bindings[bindings.length - 1]!;
    const entry = nameEntry(moduleName, name, binding, callable, range);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** One top-level name as an app candidate, or undefined for a kind that cannot be one (a class, a helper import). */
function nameEntry(
  moduleName: string,
  name: string,
  binding: TopLevelName,
  callable: boolean,
  range: Range,
): CompletionEntry | undefined {
  const app = binding.app ?? binding.creates;
  const factory =
    binding.kind === 'function' && callable && !!binding.creates && (binding.positional?.required ?? 0) === 0;
  if (binding.kind === 'class' && !app) return undefined;
  const label = factory ? `${name}()` : name;
  const spec = `${moduleName}:${label}`;
  const what = app
    ? `${app.protocol.toUpperCase()} app, ${app.framework}${binding.creates ? ' (built by this factory)' : ''}`
    : binding.kind === 'function'
      ? 'function'
      : binding.kind === 'import'
        ? 'imported name'
        : 'assigned name';
  // Apps first, then plain assignments and functions, then imported names.
  const rank = app ? 0 : binding.kind === 'import' ? 2 : 1;
  return {
    label,
    kind: binding.kind === 'function' ? 'function' : 'variable',
    detail: what,
    insertText: spec,
    filterText: spec,
    isSnippet: false,
    range,
    sortText: `${rank}${name}`,
  };
}

/**
 * True when the word after `words` would be Gunicorn's APP_MODULE: the words start Gunicorn, no flag is waiting for
 * its value, and no positional argument came yet.
 */
export function isAppSpecPosition(words: readonly Token[], version: Version): boolean {
  const invocation = findGunicornInvocation([...words], { version });
  if (!invocation || invocation.positionals.length) return false;
  const lastWord = words[words.length - 1];
  return !invocation.options.some((o) => o.flagToken === lastWord && o.problem?.kind === 'missing-value');
}

/** The offset where a word's text starts in the document (after an opening quote). */
export function wordTextStart(text: string, word: Token, toDocument = (at: number) => at): number {
  const from = toDocument(word.from);
  return text[from] === '"' || text[from] === "'" ? from + 1 : from;
}
