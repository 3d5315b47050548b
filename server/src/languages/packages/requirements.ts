// requirements.txt (and pip-tools' .in files) as pip reads them: continuations, comments, options, includes, URLs.

import { parseRequirement, normalizePackageName } from './requirement';
import { emptyDependencyFile, type DependencyFile } from './types';

/** The text with each backslash-newline continuation blanked (same length), so offsets stay the file's own. */
function joinContinuations(text: string): string {
  return text.replace(/\\(\r?\n)/g, (whole) => ' '.repeat(whole.length));
}

/** Options whose value is the next word (or follows `=`): pip's requirement-file options that take an argument. */
const VALUE_OPTIONS = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--no-binary',
  '--only-binary',
  '--trusted-host',
  '--use-feature',
  '--hash',
  '--config-settings',
  '--global-option',
]);

/** A path or URL that names a project to install, not a requirement by name. */
function isLocation(word: string): boolean {
  return (
    /^(\.|\/|~|[A-Za-z]:[\\/])/.test(word) ||
    /:\/\//.test(word) ||
    /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(word)
  );
}

/** `#egg=name` in a VCS or archive URL names the project it installs. */
function eggName(url: string): string | undefined {
  const m = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  return m ? normalizePackageName(m[1]!.replace(/\[.*$/, '')) : undefined;
}

/** Reads a requirements file; never throws. */
export function parseRequirementsFile(text: string): DependencyFile {
  const file = emptyDependencyFile('requirements');
  const shadow = joinContinuations(text);
  const pattern = /[^\r\n]*/g;
  for (let match = pattern.exec(shadow); match; match = pattern.exec(shadow)) {
    if (match[0] === '') {
      pattern.lastIndex++;
      if (pattern.lastIndex > shadow.length) break;
      continue;
    }
    readLine(match[0], match.index, file);
  }
  return file;
}

function readLine(raw: string, start: number, file: DependencyFile): void {
  // A comment starts at a `#` at the line's start or after a blank (a URL's `#egg=` fragment is no comment).
  const comment = /(^|\s)#/.exec(raw);
  let line = comment ? raw.slice(0, comment.index) : raw;
  line = line.replace(/^\uFEFF/, ' ');
  const lead = line.length - line.trimStart().length;
  const body = line.trim();
  if (!body) return;
  const from = start + lead;
  if (body.startsWith('-')) {
    readOption(body, from, file);
    return;
  }
  // Per-requirement options (`--hash=…`) follow the requirement after a blank.
  const optionsAt = /\s--?[A-Za-z]/.exec(body);
  const requirement = optionsAt ? body.slice(0, optionsAt.index) : body;
  readRequirement(requirement.trimEnd(), from, file);
}

function readRequirement(text: string, from: number, file: DependencyFile): void {
  const to = from + text.length;
  if (/\$\{?[A-Za-z_]/.test(text)) {
    file.unknown.push({ reason: `a requirement from an environment variable (${text})`, from, to });
    return;
  }
  if (isLocation(text) && !/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(text)) {
    const egg = eggName(text);
    if (egg) file.packages.push({ name: egg, extras: [], url: text, from, to });
    else if (/^(\.|\/|~)/.test(text) && !/\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(text)) {
      file.localProjects.push({ path: text, from, to });
    } else file.unknown.push({ reason: `a package from ${text}`, from, to });
    return;
  }
  const parsed = parseRequirement(text, from);
  if (parsed) file.packages.push(parsed);
  else file.unknown.push({ reason: `a requirement we cannot read (${text})`, from, to });
}

function readOption(body: string, from: number, file: DependencyFile): void {
  const m = /^(--?[A-Za-z-]+)(?:=|\s+)?(.*)$/.exec(body);
  if (!m) return;
  let option = m[1]!;
  let value = m[2]!.trim();
  // `-rbase.txt`: a short option glued to its value.
  const glued = /^(-[rcef])(\S+)$/.exec(body);
  if (glued) {
    option = glued[1]!;
    value = glued[2]!;
  }
  if (!VALUE_OPTIONS.has(option)) return;
  const valueFrom = from + body.lastIndexOf(value);
  const valueTo = valueFrom + value.length;
  if (option === '-r' || option === '--requirement' || option === '-c' || option === '--constraint') {
    if (!value) return;
    const constraint = option === '-c' || option === '--constraint';
    if (/\$\{?[A-Za-z_]/.test(value)) {
      if (!constraint) {
        file.unknown.push({ reason: `an include from a variable (${value})`, from, to: valueTo });
      }
      return;
    }
    file.includes.push({ path: value, constraint, from: valueFrom, to: valueTo });
  } else if (option === '-e' || option === '--editable') {
    if (value) readRequirement(value, valueFrom, file);
  }
}
