// Regenerates server/data/systemd/directives.json from our hand-written overlay (server/data/systemd/overlay.json).
// Run by hand:  node scripts/gen-systemd-catalog.mjs [--check]
//
// The overlay holds the facts (names, sections, types, values, taken from systemd 252's man pages and from
// `/lib/systemd/systemd --dump-configuration-items`) and our own-words docs, in a compact form:
//   - `in`: comma-separated sections and/or option groups (`exec`, `kill`, `cgroup`, see `groups`);
//   - `man` defaults from the first entry of `in` (see `manPages`);
//   - `command` directives get the exec prefixes of `commandPrefixes` unless they list their own;
//   - a Condition…= with `"assert": true` also yields its Assert…= twin.
// With --check, the script only reports whether directives.json is up to date (exit code 1 when not).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const overlayPath = join(root, 'server/data/systemd/overlay.json');
const outPath = join(root, 'server/data/systemd/directives.json');
const overlay = JSON.parse(readFileSync(overlayPath, 'utf8'));

const SECTIONS = overlay.sections.map((s) => s.name);
const FIELD_ORDER = [
  'name',
  'sections',
  'type',
  'values',
  'valuesSince',
  'acceptsBool',
  'list',
  'prefixes',
  'ignoredIn',
  'aliasOf',
  'deprecated',
  'deprecatedValues',
  'deprecatedIn',
  'since',
  'example',
  'doc',
  'man',
];

function fail(message) {
  console.error(`gen-systemd-catalog: ${message}`);
  process.exit(1);
}

function expandSections(spec, name) {
  const out = [];
  for (const part of spec.split(',').map((s) => s.trim())) {
    const members = overlay.groups[part] ?? (SECTIONS.includes(part) ? [part] : undefined);
    if (!members) fail(`${name}: unknown section or group "${part}"`);
    for (const m of members) if (!out.includes(m)) out.push(m);
  }
  return SECTIONS.filter((s) => out.includes(s));
}

function ordered(entry) {
  const out = {};
  for (const key of FIELD_ORDER) if (entry[key] !== undefined) out[key] = entry[key];
  for (const key of Object.keys(entry)) if (!(key in out)) fail(`${entry.name}: unexpected field "${key}"`);
  return out;
}

function build(raw) {
  const { in: spec, assert, ...rest } = raw;
  if (!spec) fail(`${raw.name}: missing "in"`);
  const first = spec.split(',')[0].trim();
  const entry = {
    ...rest,
    sections: expandSections(spec, raw.name),
    man: raw.man ?? overlay.manPages[first] ?? fail(`${raw.name}: no man page for "${first}"`),
  };
  if (entry.ignoredIn) {
    const ignored = expandSections(entry.ignoredIn.join(','), raw.name);
    if (ignored.some((s) => !entry.sections.includes(s))) fail(`${raw.name}: ignoredIn outside its sections`);
    entry.ignoredIn = ignored;
  }
  if (entry.type === 'command' && !entry.prefixes) entry.prefixes = overlay.commandPrefixes;
  if (entry.type === 'condition' && entry.list === undefined) entry.list = true;
  for (const key of ['name', 'type', 'example', 'doc']) {
    if (typeof entry[key] !== 'string') fail(`${raw.name}: "${key}" must be a string`);
  }
  if (entry.type === 'enum' && !(entry.values?.length > 0)) fail(`${raw.name}: enum without values`);
  const result = [ordered(entry)];
  if (assert) {
    if (!raw.name.startsWith('Condition')) fail(`${raw.name}: "assert" only applies to Condition…=`);
    const twin = raw.name.replace(/^Condition/, 'Assert');
    result.push(
      ordered({
        ...entry,
        name: twin,
        doc: `Same test as \`${raw.name}=\`, but when it does not hold the start fails (and is logged) instead of being skipped quietly.`,
      }),
    );
  }
  return result;
}

const directives = overlay.directives.flatMap(build);
const seen = new Map();
for (const d of directives) {
  for (const s of d.sections) {
    const key = `${s}.${d.name}`;
    if (seen.has(key)) fail(`duplicate directive ${key}`);
    seen.set(key, d);
  }
}
directives.sort((a, b) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.sections[0] < b.sections[0] ? -1 : 1,
);

const data = {
  source: overlay.source,
  systemdVersion: overlay.systemdVersion,
  sections: overlay.sections,
  directives,
};
const text = `${JSON.stringify(data, null, 2)}\n`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(outPath, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text)
    fail('server/data/systemd/directives.json is out of date; run node scripts/gen-systemd-catalog.mjs');
  console.log('directives.json is up to date');
} else {
  writeFileSync(outPath, text);
  const counts = Object.fromEntries(
    SECTIONS.map((s) => [s, directives.filter((d) => d.sections.includes(s)).length]),
  );
  console.log(`wrote ${directives.length} directives`, counts);
}
