// One PEP 508 requirement string (`gunicorn[gevent]>=23,<24; python_version>"3.8"`) read into name, extras, specifier.

/** A requirement as a dependency file writes it; offsets are in the file's text. */
export interface ParsedRequirement {
  /** The PEP 503 normalised name (lower case, runs of `-`, `_`, `.` as one `-`). */
  name: string;
  extras: string[];
  /** The version specifier as written, without blanks (`>=0.30,<1`), when any. */
  specifier?: string;
  /** The exact version when the specifier pins one (`==0.29.0`, `===1.0`); lock files set it directly. */
  version?: string;
  /** `name @ url`: installed from a URL or path, not the index. */
  url?: string;
  /** The environment marker, when any (`python_version < "3.11"`): the package may not be installed everywhere. */
  marker?: string;
  /** Offsets of the requirement's text. */
  from: number;
  to: number;
}

/** PEP 503: the name pip, uv and the index compare by. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** The exact version a specifier pins: `==1.2.3` or `===1.2` alone (a wildcard `==1.*` pins nothing). */
export function pinnedVersion(specifier: string | undefined): string | undefined {
  if (!specifier) return undefined;
  const m = /^(?:===?)\s*([0-9][0-9A-Za-z.+!-]*)$/.exec(specifier.trim());
  return m && !m[1]!.includes('*') ? m[1] : undefined;
}

/**
 * Reads `text` (one requirement, offsets relative to `base`) as PEP 508 does; undefined when it is no requirement
 * (a path, a URL without a name, an option). Never throws.
 */
export function parseRequirement(text: string, base = 0): ParsedRequirement | undefined {
  const name = NAME.exec(text);
  if (!name) return undefined;
  let rest = text.slice(name[0].length);
  const result: ParsedRequirement = {
    name: normalizePackageName(name[1]!),
    extras: [],
    from: base + (name[0].length - name[1]!.length),
    to: base + text.trimEnd().length,
  };
  const extras = /^\s*\[([^\]]*)\]/.exec(rest);
  if (extras) {
    result.extras = extras[1]!
      .split(',')
      .map((e) => normalizePackageName(e.trim()))
      .filter(Boolean);
    rest = rest.slice(extras[0].length);
  } else if (/^\s*\[/.test(rest)) {
    return undefined;
  }
  const semicolon = rest.indexOf(';');
  const marker = semicolon >= 0 ? rest.slice(semicolon + 1).trim() : '';
  let body = (semicolon >= 0 ? rest.slice(0, semicolon) : rest).trim();
  if (marker) result.marker = marker;
  if (body.startsWith('@')) {
    const url = body.slice(1).trim();
    if (!url) return undefined;
    result.url = url;
    return result;
  }
  if (body.startsWith('(') && body.endsWith(')')) body = body.slice(1, -1).trim();
  if (body) {
    // Anything left must read as comparison clauses; a path or a URL is not a requirement by name.
    const specifier = body.replace(/\s+/g, '');
    const clause = '(?:~=|===|==|!=|<=|>=|<|>)[0-9][0-9A-Za-z.*+!-]*';
    if (!new RegExp(`^${clause}(?:,${clause})*$`).test(specifier)) return undefined;
    result.specifier = specifier;
    const version = pinnedVersion(specifier);
    if (version) result.version = version;
  }
  return result;
}
