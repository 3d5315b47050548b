// Regenerates server/data/gunicorn/catalog.json (and versions.json, the releases alone: resolving which version a
// document targets must not load the whole catalogue) from gathered facts plus our own-words overlay. Run by hand:
//   node scripts/gen-gunicorn-catalog.mjs [path/to/gunicorn-settings.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const factsPath = process.argv[2] ?? join(root, '..', 'shared', 'docs', 'gunicorn-settings.json');
const facts = JSON.parse(readFileSync(factsPath, 'utf8'));
const overlay = JSON.parse(readFileSync(join(root, 'server/data/gunicorn/overlay.json'), 'utf8'));

const VERSIONS = [
  '19.9.0',
  '19.10.0',
  '20.0.0',
  '20.0.4',
  '20.1.0',
  '21.0.0',
  '21.2.0',
  '22.0.0',
  '23.0.0',
  '24.0.0',
  '24.1.0',
  '24.1.1',
  '25.0.0',
  '25.0.2',
  '25.1.0',
  '25.2.0',
  '25.3.0',
  '26.0.0',
  '26.1.0',
];

const normalizeVersion = (v) => {
  const m = /(\d+(?:\.\d+){0,2})/.exec(String(v ?? ''));
  if (!m) return '0.10.0';
  const parts = m[1].split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
};

const typeOf = (f) => {
  if (f.hook) return `callable(${(f.hook_params ?? []).join(', ')})`;
  const byValidator = {
    validate_pos_int: 'int (≥ 0)',
    validate_bool: 'bool',
    validate_string: 'str',
    validate_list_string: 'str or list of str',
    validate_string_to_list: 'comma-separated str',
    validate_string_to_addr_list: 'comma-separated str of addresses',
    validate_dict: 'dict',
    validate_class: 'str (worker shortcut or dotted path)',
    validate_chdir: 'str (directory)',
    validate_user: 'str or int',
    validate_group: 'str or int',
    validate_statsd_address: 'str (address)',
  };
  return byValidator[f.validator] ?? (f.choices ? 'str (one of the choices)' : 'str');
};

const pyLiteral = (v) => {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
};

const defaultText = (f) => {
  if (f.hook) return 'a function that does nothing';
  if (f.name === 'workers') return '1 (or $WEB_CONCURRENCY)';
  if (f.name === 'bind') return "['127.0.0.1:8000'] (or ['0.0.0.0:$PORT'] when PORT is set)";
  if (f.name === 'forwarded_allow_ips')
    return "'127.0.0.1,::1' (or $FORWARDED_ALLOW_IPS; '127.0.0.1' before 23.0)";
  if (f.default_is_expression) return String(f.default).replace(/\s+/g, ' ');
  return pyLiteral(f.default);
};

const validatorHistory = (f, since) => {
  const steps = [];
  for (const line of f.history ?? []) {
    const m = /^([\d.]+): validator (\w+) -> (\w+)/.exec(line);
    if (m) {
      if (!steps.length) steps.push({ since, name: m[2] });
      steps.push({ since: normalizeVersion(m[1]), name: m[3] });
    }
  }
  return steps.length ? steps : [{ since, name: f.validator }];
};

const settings = facts.map((f) => {
  const since = f.unreleased ? '26.2.0' : normalizeVersion(f.since);
  const description = overlay.descriptions[f.name];
  if (!description) throw new Error(`overlay.json has no description for ${f.name}`);
  const entry = {
    name: f.name,
    kind: f.hook ? 'hook' : 'setting',
    section: f.section,
    cli: f.cli ?? [],
    cliAction: f.action ?? 'store',
    validator: f.validator,
    validators: validatorHistory(f, since),
    type: typeOf(f),
    default: defaultText(f),
    since,
    envVars: f.env_vars ?? [],
    description,
    docsUrl: `https://docs.gunicorn.org/en/stable/settings.html#${f.name.replace(/_/g, '-')}`,
  };
  if (overlay.insertValues[f.name]) entry.insertValue = overlay.insertValues[f.name];
  else if (!f.hook && !f.default_is_expression && f.default !== null && typeof f.default !== 'object')
    entry.insertValue = pyLiteral(f.default);
  const choices = overlay.choices[f.name];
  if (choices)
    entry.choices = Object.entries(choices).map(([value, description]) => ({ value, description }));
  if (f.deprecated) {
    entry.deprecated = {
      message:
        f.name === 'ssl_version'
          ? 'Ignored since 21.0; customise TLS in the ssl_context hook.'
          : 'Gunicorn marks this setting as deprecated or temporary; it may disappear in a future release.',
    };
    if (f.deprecated.version) entry.deprecated.since = normalizeVersion(f.deprecated.version);
    if (f.deprecated.replacement && !/\s/.test(f.deprecated.replacement))
      entry.deprecated.replacement = f.deprecated.replacement;
  }
  if (f.removed)
    entry.removed = {
      since: normalizeVersion(f.removed.version),
      lastSeen: normalizeVersion(f.removed.last_seen),
    };
  if (f.unreleased) entry.unreleased = true;
  if (f.hook) {
    const arities =
      f.hook_arity === '2, 3 or 4'
        ? [2, 3, 4]
        : [Number(/\((\d+)\)/.exec(f.validator)?.[1] ?? (f.hook_params ?? []).length)];
    entry.hook = { params: f.hook_params ?? [], arities };
  }
  return entry;
});

const catalog = {
  source: `Generated by scripts/gen-gunicorn-catalog.mjs from gathered Gunicorn facts (19.9.0–26.1.0) and server/data/gunicorn/overlay.json. Do not edit by hand.`,
  settings,
  workerClasses: overlay.workerClasses,
  accessLogAtoms: Object.entries(overlay.accessLogAtoms).map(([atom, description]) => ({
    atom,
    description,
  })),
};
writeFileSync(join(root, 'server/data/gunicorn/catalog.json'), JSON.stringify(catalog, null, 1) + '\n');
writeFileSync(join(root, 'server/data/gunicorn/versions.json'), JSON.stringify(VERSIONS, null, 1) + '\n');
console.log(
  `wrote ${settings.length} settings, ${catalog.workerClasses.length} worker classes, ${catalog.accessLogAtoms.length} atoms`,
);
