// Rule: invalid-value — a value Gunicorn's own validator rejects, so Gunicorn refuses to start.

import type { Fix } from '../../../core/findings';
import { closestMatches } from '../../../core/editDistance';
import type { Binding, Value } from '../model';
import type { GunicornRule, RuleContext } from './types';
import { ruleDocsUrl } from './types';
import { pythonRepr, spanRange } from './ruleUtils';
import { bindProblem } from './invalidBind';
import { ipAddressProblem, ipNetworkProblem } from '../../../core/ipAddress';
import { isAtLeast, type Version } from '../../../core/version';

/** `fix.safe`: the replacement means exactly what was written (4.0 -> 4, "yes" -> True), so fix-all may apply it. */
export type Verdict = { problem: string; fix?: { title: string; text: string; safe?: boolean } } | undefined;

/** Python's int(s, 0) on a str: decimal without leading zeros, or 0x/0o/0b forms, with surrounding spaces. */
function parsesAsInt(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[1-9]\d*|0+)$/.exec(t);
  if (!m) return undefined;
  const body = m[2]!.toLowerCase();
  const value = body.startsWith('0x')
    ? parseInt(body.slice(2), 16)
    : body.startsWith('0o')
      ? parseInt(body.slice(2), 8)
      : body.startsWith('0b')
        ? parseInt(body.slice(2), 2)
        : Number(body);
  return m[1] === '-' ? -value : value;
}

function posInt(value: Value): Verdict {
  switch (value.kind) {
    case 'int':
      return value.value < 0 ? { problem: `the value must not be negative (got ${value.value})` } : undefined;
    case 'bool':
      return undefined;
    case 'float':
      return Number.isInteger(value.value)
        ? {
            problem: `a float is not accepted (got ${value.value})`,
            fix: { title: `Change to ${value.value}`, text: String(value.value), safe: true },
          }
        : {
            problem: `a whole number is required (got ${value.value})`,
            fix: { title: `Change to ${Math.round(value.value)}`, text: String(Math.round(value.value)) },
          };
    case 'str': {
      const parsed = parsesAsInt(value.value);
      if (parsed === undefined) {
        if (/^0\d+$/.test(value.value.trim())) {
          return {
            problem: `the string '${value.value}' is not a valid number (write octal as 0o${value.value.trim().slice(1)})`,
            fix: {
              title: `Change to 0o${value.value.trim().replace(/^0+/, '')}`,
              text: `0o${value.value.trim().replace(/^0+/, '')}`,
            },
          };
        }
        return { problem: `'${value.value}' is not a whole number` };
      }
      return parsed < 0 ? { problem: `the value must not be negative (got ${parsed})` } : undefined;
    }
    case 'unknown':
      return value.type && !['int', 'bool', 'str'].includes(value.type)
        ? { problem: `a whole number is required, not a ${value.type}` }
        : undefined;
    default:
      return { problem: `a whole number is required, not ${pythonRepr(value)}` };
  }
}

function bool(value: Value): Verdict {
  switch (value.kind) {
    case 'bool':
    case 'none':
      return undefined;
    case 'str': {
      const lower = value.value.toLowerCase().trim();
      if (lower === 'true' || lower === 'false') return undefined;
      const truthy = ['yes', 'y', 'on', '1', 'enable', 'enabled'].includes(lower);
      const falsy = ['no', 'n', 'off', '0', 'disable', 'disabled', ''].includes(lower);
      return {
        problem: `'${value.value}' is not a boolean (only True/False or the strings "true"/"false")`,
        ...(truthy || falsy
          ? {
              fix: {
                title: `Change to ${truthy ? 'True' : 'False'}`,
                text: truthy ? 'True' : 'False',
                safe: true,
              },
            }
          : {}),
      };
    }
    case 'int':
      return {
        problem: `an int is not accepted here; use True or False`,
        ...(value.value === 0 || value.value === 1
          ? {
              fix: {
                title: `Change to ${value.value ? 'True' : 'False'}`,
                text: value.value ? 'True' : 'False',
                safe: true,
              },
            }
          : {}),
      };
    case 'unknown':
      return value.type && !['bool', 'str'].includes(value.type)
        ? { problem: `True or False is required, not a ${value.type}` }
        : undefined;
    default:
      return { problem: `True or False is required, not ${pythonRepr(value)}` };
  }
}

function string(value: Value): Verdict {
  if (value.kind === 'str' || value.kind === 'none') return undefined;
  if (value.kind === 'unknown') {
    return value.type && value.type !== 'str' && value.type !== 'none'
      ? { problem: `a string is required, not a ${value.type}` }
      : undefined;
  }
  if (value.kind === 'int' || value.kind === 'float') {
    return {
      problem: `a string is required, not a number`,
      fix: { title: `Quote the value`, text: JSON.stringify(String(value.value)) },
    };
  }
  if ((value.kind === 'list' || value.kind === 'tuple') && value.items.every((i) => i.kind === 'str')) {
    const joined = value.items.map((i) => (i.kind === 'str' ? i.value : '')).join(',');
    return {
      problem: `a comma-separated string is required, not a list`,
      fix: { title: `Change to "${joined}"`, text: JSON.stringify(joined), safe: true },
    };
  }
  return { problem: `a string is required, not ${pythonRepr(value)}` };
}

function listOfStrings(value: Value): Verdict {
  if (value.kind === 'str' || value.kind === 'none') return undefined;
  // Gunicorn treats any falsy value as an empty list, and iterates a dict's (string) keys.
  if ((value.kind === 'int' && value.value === 0) || (value.kind === 'bool' && !value.value)) {
    return undefined;
  }
  if (value.kind === 'dict' && value.entries.every((e) => e.key.kind === 'str')) return undefined;
  if (value.kind === 'list' || value.kind === 'tuple') {
    const bad = value.items.find(
      (i) => i.kind !== 'str' && !(i.kind === 'unknown' && (!i.type || i.type === 'str')),
    );
    return bad ? { problem: `every item must be a string (found ${pythonRepr(bad)})` } : undefined;
  }
  if (value.kind === 'unknown') {
    return value.type && !['str', 'list', 'tuple'].includes(value.type)
      ? { problem: `a string or a list of strings is required` }
      : undefined;
  }
  if (value.kind === 'int') {
    return {
      problem: `a string or a list of strings is required, not a number`,
      fix: { title: `Change to ["${value.value}"]`, text: `["${value.value}"]` },
    };
  }
  return { problem: `a string or a list of strings is required, not ${pythonRepr(value)}` };
}

function dict(value: Value): Verdict {
  if (value.kind === 'dict') return undefined;
  if (value.kind === 'unknown') {
    return value.type && value.type !== 'dict'
      ? { problem: `a dict is required, not a ${value.type}` }
      : undefined;
  }
  return { problem: `a dict is required, not ${pythonRepr(value)}` };
}

function choice(
  choices: string[],
  options: { allowBool?: boolean; aliases?: string[]; ignoreCase?: boolean } = {},
) {
  return (value: Value): Verdict => {
    if (value.kind === 'none') return undefined;
    if (value.kind === 'bool' && options.allowBool) return undefined;
    if (value.kind === 'unknown') return undefined;
    if (value.kind !== 'str') {
      return { problem: `one of ${choices.join(', ')} is required, not ${pythonRepr(value)}` };
    }
    // Only some of Gunicorn's validators lower-case the value first (reload_engine, for one, does not).
    const lower = options.ignoreCase ? value.value.toLowerCase() : value.value;
    if (choices.includes(lower) || options.aliases?.includes(lower)) return undefined;
    const [best] = closestMatches(lower, choices, 1);
    return {
      problem: `'${value.value}' is not one of ${choices.join(', ')}`,
      ...(best ? { fix: { title: `Change to "${best}"`, text: JSON.stringify(best) } } : {}),
    };
  };
}

function httpProtocols(value: Value): Verdict {
  if (value.kind === 'none' || value.kind === 'unknown') return undefined;
  if (value.kind === 'list' || value.kind === 'tuple') return string(value);
  if (value.kind !== 'str') return { problem: 'a comma-separated string such as "h2,h1" is required' };
  const tokens = value.value
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const bad = tokens.find((t) => !['h1', 'h2', 'h3'].includes(t));
  if (bad) return { problem: `'${bad}' is not a protocol Gunicorn knows (h1, h2, h3)` };
  if (new Set(tokens).size !== tokens.length) return { problem: 'a protocol is listed twice' };
  return undefined;
}

function frameSize(value: Value): Verdict {
  const base = posInt(value);
  if (base) return base;
  if (value.kind === 'int' && (value.value < 16384 || value.value > 16777215)) {
    return { problem: `the value must be between 16384 and 16777215 (got ${value.value})` };
  }
  return undefined;
}

/** `validate_string_to_addr_list`: a comma-separated string of `*`, addresses or (24.1+) networks. */
function addressList(value: Value, version: Version): Verdict {
  const asString = string(value);
  if (asString || value.kind !== 'str') return asString;
  const entries = value.value
    .split(',')
    .filter((raw) => raw !== '')
    .map((raw) => raw.trim());
  for (const entry of entries) {
    if (entry === '*') continue;
    // 23.0 and 24.0 take single addresses; 24.1 adds networks; 25.0 rejects networks with host bits set.
    if (isAtLeast(version, '24.1.0')) {
      const problem = ipNetworkProblem(entry, isAtLeast(version, '25.0.0'));
      if (problem) return { problem };
    } else if (ipAddressProblem(entry)) {
      const hint = entry.includes('/') ? ' (networks need Gunicorn 24.1 or newer)' : '';
      return { problem: `${ipAddressProblem(entry) ?? ''}${hint}` };
    }
  }
  return undefined;
}

/** `validate_hostport` (up to 20.1): exactly `HOST:PORT`. */
function hostPort(value: Value): Verdict {
  const asString = string(value);
  if (asString || value.kind !== 'str') return asString;
  const parts = value.value.trim().split(':');
  if (parts.length !== 2) return { problem: `'${value.value}' is not HOST:PORT` };
  return parsesAsDecimal(parts[1] ?? '')
    ? undefined
    : { problem: `'${parts[1] ?? ''}' is not a port number` };
}

/** `validate_statsd_address` (21.0+): `HOST:PORT`, `HOST` (port 8125) or `unix://PATH`. */
function statsdAddress(value: Value): Verdict {
  const asString = string(value);
  if (asString || value.kind !== 'str') return asString;
  const address = value.value.trim();
  if (/^unix:/.test(address) || address.startsWith('fd://')) return undefined;
  // parse_address reads an empty address as 0.0.0.0 on the default port: Gunicorn 23.0 accepts it.
  if (address === '') return undefined;
  const problem = bindProblem(address, true);
  return problem ? { problem: `${problem.problem}; write HOST:PORT, HOST or unix://PATH` } : undefined;
}

/** Python's int(s) in base 10: optional sign, digits with single underscores, surrounding spaces. */
function parsesAsDecimal(text: string): boolean {
  return /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(text);
}

const VALIDATORS: Record<string, (value: Value, version: Version) => Verdict> = {
  validate_pos_int: posInt,
  validate_bool: bool,
  validate_string: string,
  validate_list_string: listOfStrings,
  validate_string_to_list: string,
  validate_string_to_addr_list: addressList,
  validate_dict: dict,
  validate_class: (v) =>
    v.kind === 'str' || v.kind === 'unknown' || v.kind === 'function' || v.kind === 'none'
      ? undefined
      : { problem: `a worker class name or path is required, not ${pythonRepr(v)}` },
  validate_reload_engine: choice(['auto', 'poll', 'inotify']),
  validate_header_map_behaviour: choice(['drop', 'refuse', 'dangerous']),
  validate_asgi_loop: choice(['auto', 'asyncio', 'uvloop']),
  validate_asgi_lifespan: choice(['auto', 'on', 'off']),
  validate_http_parser: choice(['auto', 'fast', 'python']),
  validate_proxy_protocol: choice(['off', 'v1', 'v2', 'auto'], {
    allowBool: true,
    aliases: ['true', 'false', '1', '0', 'none'],
    ignoreCase: true,
  }),
  validate_http2_cleartext: choice(['off', 'prior-knowledge', 'upgrade', 'both'], { allowBool: true }),
  validate_http_protocols: httpProtocols,
  validate_http2_frame_size: frameSize,
  validate_chdir: string,
  validate_file_exists: string,
  validate_list_of_existing_files: listOfStrings,
  validate_list_of_files_or_patterns: listOfStrings,
  validate_statsd_address: statsdAddress,
  validate_hostport: hostPort,
};

/** Gunicorn's judgement of `value` under the validator `validatorName`, or undefined when it passes or is unknown. */
export function valueVerdict(validatorName: string, value: Value, version: Version): Verdict {
  const validator = VALIDATORS[validatorName];
  return validator ? validator(value, version) : undefined;
}

export const invalidValue: GunicornRule = {
  meta: {
    id: 'invalid-value',
    defaultSeverity: 'error',
    description:
      'A value that Gunicorn\u2019s validator for the setting rejects, so Gunicorn refuses to start.',
    docsUrl: ruleDocsUrl('invalid-value'),
  },
  check(context) {
    for (const binding of context.model.bindings) checkBinding(context, binding);
  },
};

function checkBinding(context: RuleContext, binding: Binding): void {
  const { model, catalog, version, report } = context;
  if (binding.kind === 'import' || binding.kind === 'def' || binding.kind === 'class') return;
  const setting = catalog.get(binding.name);
  if (!setting || catalog.availability(setting, version) !== 'available') return;
  // Hooks have their own rule (invalid-hook).
  if (setting.kind === 'hook') return;
  const validator = VALIDATORS[catalog.validatorFor(setting, version)];
  if (!validator) return;
  const verdict = validator(binding.value, version);
  if (!verdict) return;
  const range = spanRange(model, binding.value.span);
  const fixes: Fix[] = verdict.fix
    ? [
        {
          title: verdict.fix.title,
          edits: [{ range, newText: verdict.fix.text }],
          isPreferred: true,
          ...(verdict.fix.safe ? { safe: true } : {}),
        },
      ]
    : [];
  report({
    range,
    message: `Gunicorn refuses to start: invalid value for ${binding.name}: ${verdict.problem}.`,
    fixes,
  });
}
