// Reads Gunicorn's APP_MODULE (`module`, `module:name`, `module:factory(args)`) the way its import_app does, per release.

import { compareVersions, type Version } from '../../core/version';

/**
 * What follows the colon, by release (read from gunicorn/util.py at each tag):
 * - up to 19.x the text after the colon is evaluated as a Python expression in the module's namespace;
 * - 20.0.0 looks it up as a plain attribute name only (a call such as `create_app()` is not found);
 * - from 20.0.1 it must be a name, or a call of a name whose arguments are literals (the call is made once).
 */
export type AttributeForm = 'expression' | 'name-only' | 'name-or-call';

export function attributeFormFor(version: Version): AttributeForm {
  if (compareVersions(version, [20, 0, 0]) < 0) return 'expression';
  if (compareVersions(version, [20, 0, 1]) < 0) return 'name-only';
  return 'name-or-call';
}

/** Offsets inside the spec text. */
export interface SpecSpan {
  from: number;
  to: number;
}

export interface AppSpec {
  /** The dotted module path as written (`shop.wsgi`). */
  module: string;
  moduleSpan: SpecSpan;
  /** The attribute Gunicorn looks up: as written, or `application` when the spec has no colon. */
  attribute: string;
  /** Where the attribute is written; undefined for the implicit `application`. */
  attributeSpan?: SpecSpan;
  /** Present when the attribute part is a call: `create_app()`, `create_app("prod")`. */
  call?: {
    /** The argument text between the parentheses. */
    args: string;
    /** True when every argument is a literal (what 20.0.1+ accepts); false when one is not, or cannot be told. */
    literal: boolean;
  };
  /**
   * Why this release cannot use the attribute part at all (Gunicorn stops with an import error), or undefined. Only
   * set for forms whose fate is certain: a call under 20.0.0, a non-literal argument or a non-name under 20.0.1+.
   */
  unusable?: string;
  /** False when the attribute part is something this reader does not follow (an expression under 19.x). */
  understood: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The parts of an app spec, or undefined when the text is no module path at all (a file path, a variable, a paste
 * URI): those are other checks' business or unknowable.
 */
export function parseAppSpec(text: string, version: Version): AppSpec | undefined {
  if (!text || /[$`%{}]/.test(text) || /^\w+:\/\//.test(text)) return undefined;
  const colon = text.indexOf(':');
  const module = colon >= 0 ? text.slice(0, colon) : text;
  // `main.py:app` is a file path where a module belongs: the command-line check reports that one.
  if (!DOTTED.test(module) || module.endsWith('.py')) return undefined;
  const moduleSpan = { from: 0, to: module.length };
  if (colon < 0) return { module, moduleSpan, attribute: 'application', understood: true };
  const rawAttribute = text.slice(colon + 1);
  const lead = rawAttribute.length - rawAttribute.trimStart().length;
  const written = rawAttribute.trim();
  const start = colon + 1 + lead;
  const form = attributeFormFor(version);
  if (NAME.test(written)) {
    return {
      module,
      moduleSpan,
      attribute: written,
      attributeSpan: { from: start, to: start + written.length },
      understood: true,
    };
  }
  const call = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([\s\S]*)\)$/.exec(written);
  if (call) {
    const name = call[1]!;
    const args = call[2]!;
    const literal = literalArguments(args);
    const spec: AppSpec = {
      module,
      moduleSpan,
      attribute: name,
      attributeSpan: { from: start, to: start + name.length },
      call: { args, literal },
      understood: form !== 'expression' || literal,
    };
    if (form === 'name-only') {
      spec.unusable = `Gunicorn 20.0.0 looks '${written}' up as an attribute name and cannot call a factory (calls are read from 20.0.1 on)`;
    } else if (form === 'name-or-call' && !literal && looksNonLiteral(args)) {
      spec.unusable = `Gunicorn accepts only literal arguments (strings, numbers, True/False/None, lists, tuples, dicts) in '${written}'`;
    }
    return spec;
  }
  // Anything else: 19.x evaluates it (unknowable here); later releases reject it.
  return {
    module,
    moduleSpan,
    attribute: written,
    understood: false,
    ...(form === 'expression'
      ? {}
      : { unusable: `Gunicorn reads only a name or a call of a name after the colon, not '${written}'` }),
  };
}

/**
 * True when the text between a call's parentheses is a list of literal arguments (positional or `key=literal`):
 * strings, numbers, True/False/None, and brackets of them. A conservative reading: what it cannot follow is false.
 */
export function literalArguments(args: string): boolean {
  let i = 0;
  const n = args.length;
  while (i < n) {
    const ch = args[i]!;
    if (/\s|[,()[\]{}:+-]/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = stringEnd(args, i);
      if (end < 0) return false;
      i = end;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9][0-9_.eExXa-fA-FjJ]*/.exec(args.slice(i));
    if (!word) return false;
    const text = word[0];
    i += text.length;
    if (/^[0-9]/.test(text)) continue;
    // A string prefix: b'..', r"..", f-strings are not literals for ast.literal_eval.
    if (/^[rRbBuU]{1,2}$/.test(text) && (args[i] === '"' || args[i] === "'")) continue;
    if (text === 'True' || text === 'False' || text === 'None') continue;
    // A keyword argument's name.
    if (/^\s*=(?!=)/.test(args.slice(i))) {
      i = args.indexOf('=', i) + 1;
      continue;
    }
    return false;
  }
  return true;
}

/** A non-literal argument this reader is sure about: a bare name or a nested call (not a keyword's name). */
function looksNonLiteral(args: string): boolean {
  return !literalArguments(args) && !/['"]/.test(args);
}

/** The offset after the string literal starting at `from`, or -1 when it does not end. */
function stringEnd(text: string, from: number): number {
  const quote = text[from]!;
  const triple = text.startsWith(quote.repeat(3), from);
  const close = triple ? quote.repeat(3) : quote;
  for (let i = from + close.length; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(close, i)) return i + close.length;
  }
  return -1;
}
