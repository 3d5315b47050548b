// Gunicorn launches in unit files: each ExecStart= that runs Gunicorn, with the [Service] section's Environment=,
// EnvironmentFile= and WorkingDirectory=.

import { untemplatedPath } from '../../core/templates';
import type { Version } from '../../core/version';
import { splitCommands } from '../gunicorn/commandWords';
import {
  assignmentEntry,
  identity,
  readLaunchSource,
  setEnv,
  type Env,
  type EnvEntry,
  type ParsedSource,
  type Site,
  type SiteSource,
  type ToDocument,
} from '../gunicorn/launchSites';
import { gunicornExecs } from './gunicornExec';
import { parseUnitFileOf, valueSubSpan, type Directive } from './parse';

/** The Gunicorn launches of a unit file with their parses; never throws. */
export function readUnitLaunches(source: SiteSource, version: Version): ParsedSource {
  return readLaunchSource(source, version, () => systemdSites(source, version));
}

function baseName(path: string): string {
  const normalized = path.replace(/\\/g, '/');
  return normalized.slice(normalized.lastIndexOf('/') + 1);
}

function systemdSites(source: SiteSource, version: Version): Site[] {
  const model = parseUnitFileOf(source.path, source.text);
  const env: Env = new Map();
  const environmentFiles: EnvEntry[] = [];
  let cwd: EnvEntry | undefined;
  for (const directive of model.directives) {
    if (directive.section?.name !== 'Service') continue;
    if (directive.key === 'Environment') {
      if (directive.value === '') env.clear();
      else systemdEnvironment(source.text, directive, env);
    } else if (directive.key === 'EnvironmentFile') {
      if (directive.value === '') environmentFiles.length = 0;
      else environmentFiles.push(directiveEntry(source.text, directive, 'EnvironmentFile'));
    } else if (directive.key === 'WorkingDirectory') {
      if (directive.value === '') cwd = undefined;
      else cwd = directiveEntry(source.text, directive, 'WorkingDirectory');
    }
  }
  const unit = baseName(untemplatedPath(source.path));
  return gunicornExecs(model, version).map((exec) => ({
    kind: 'systemd' as const,
    invocation: exec.invocation,
    toDocument: (from: number, to: number) => exec.span(from, to),
    span: exec.directive.valueSpan,
    env: new Map(env),
    ...(cwd ? { cwd } : {}),
    ...(unit ? { unit } : {}),
    ...(environmentFiles.length ? { environmentFiles: [...environmentFiles] } : {}),
  }));
}

/** A whole directive value (a leading `-` that marks it optional dropped). */
function directiveEntry(text: string, directive: Directive, name: string): EnvEntry {
  const skip = directive.value.startsWith('-') ? 1 : 0;
  const value = directive.value.slice(skip);
  const span = valueSubSpan(directive, skip, directive.value.length);
  return { name, value, span, exact: text.slice(span.from, span.to) === value };
}

function systemdEnvironment(text: string, directive: Directive, env: Env): void {
  const toDocument: ToDocument = (from, to) => valueSubSpan(directive, from, to);
  for (const word of splitCommands(directive.value, 0, 'systemd').flat()) {
    const m = /^([^=\s]+)=/.exec(word.text);
    if (!m) continue;
    const name = m[1]!;
    const value = word.text.slice(m[0].length);
    const entry = assignmentEntry(directive.value, word, name, value, identity);
    const span = toDocument(entry.span.from, entry.span.to);
    setEnv(env, { name, value, span, exact: entry.exact && text.slice(span.from, span.to) === value });
  }
}
