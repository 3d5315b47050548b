// Regenerates server/data/systemd/directives.json from our hand-written overlay (server/data/systemd/overlay.json).
// Run by hand:  node scripts/gen-systemd-catalog.mjs [--check]
//
// The overlay holds the facts (names, sections, types, values, taken from systemd 252's man pages and from
// `/lib/systemd/systemd --dump-configuration-items`) and our own-words docs, in a compact form:
//   - `in`: comma-separated sections and/or option groups (`exec`, `kill`, `cgroup`, see `groups`);
//   - `man` defaults from the first entry of `in` (see `manPages`);
//   - `command` directives get the exec prefixes of `commandPrefixes` unless they list their own;
//   - a Condition…= with `"assert": true` also yields its Assert…= twin.
//   - `valuesSince`: values a later release added, each judged with the releases' own `systemd-analyze verify`
//     (Debian's 252, 254, 257 and 262 binaries): e.g. the halt/kexec/soft-reboot emergency actions, which 252 refuses
//     and 254 accepts, are given as 253, so no release that might accept them is told otherwise.
// Version facts come from server/data/systemd/versions.json (generated from systemd's own sources by
// scripts/gen-systemd-versions.mjs): each directive's `since`, and `gone` when a release removed it or started to
// ignore it. Names systemd knows that the overlay does not describe yet are added by name only (`nameOnly`), so no
// release's directive is ever reported as unknown.
// With --check, the script only reports whether directives.json is up to date (exit code 1 when not).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const overlayPath = join(root, 'server/data/systemd/overlay.json');
const outPath = join(root, 'server/data/systemd/directives.json');
const overlay = JSON.parse(readFileSync(overlayPath, 'utf8'));
const versions = JSON.parse(readFileSync(join(root, 'server/data/systemd/versions.json'), 'utf8'));
/** The oldest release a target may be: the additions are known from long before it, removals only from 252 on. */
const OLDEST_RELEASE = 245;

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
  'sinceAfter',
  'sectionSince',
  'gone',
  'nameOnly',
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

const directives = overlay.directives.flatMap(build).map(withVersions);

/**
 * The version facts of a directive in its sections: those of the section that had it first, plus `sectionSince` for
 * sections that got it later (OOMPolicy= came to [Scope] after [Service]). Removals must agree across sections.
 */
function versionFacts(name, sections) {
  const records = sections.map((s) => [s, versions.directives[`${s}.${name}`]]).filter(([, r]) => r);
  if (!records.length) return undefined;
  const gone = (r) => JSON.stringify([r.removed, r.removedAfter, r.ignored, r.ignoredAfter, r.replacement]);
  if (records.some(([, r]) => gone(r) !== gone(records[0][1])))
    fail(`${name}: removals differ between its sections`);
  const since = (r) => r.since ?? 0;
  const [, first] = records.reduce((a, b) => (since(b[1]) < since(a[1]) ? b : a));
  const later = records.filter(([, r]) => since(r) > since(first));
  return {
    ...first,
    ...(later.length ? { sectionSince: Object.fromEntries(later.map(([s, r]) => [s, r.since])) } : {}),
  };
}

function withVersions(entry) {
  const facts = versionFacts(entry.name, entry.sections);
  if (!facts) {
    // Not in systemd's parser table of any release we read (e.g. the Assert…= twins before they existed).
    if (entry.since === undefined) fail(`${entry.name}: unknown to every systemd release in versions.json`);
    return entry;
  }
  if (entry.since !== undefined && facts.since !== undefined && entry.since !== facts.since) {
    fail(`${entry.name}: overlay says since ${entry.since}, systemd's sources say ${facts.since}`);
  }
  const out = { ...entry };
  if (facts.since !== undefined) out.since = facts.since;
  else delete out.since;
  if (facts.sinceAfter !== undefined) out.sinceAfter = facts.sinceAfter;
  if (facts.sectionSince) out.sectionSince = facts.sectionSince;
  const how = facts.removed !== undefined ? 'removed' : facts.ignored !== undefined ? 'ignored' : undefined;
  if (how) {
    const after = facts[`${how}After`];
    out.gone = {
      how,
      version: facts[how],
      ...(after !== undefined ? { after } : {}),
      ...(facts.replacement ? { replacement: facts.replacement } : {}),
    };
  }
  return ordered(out);
}

/** Entries for the names systemd knows in our sections that the overlay does not describe (yet). */
function nameOnlyEntries() {
  const described = new Set(directives.flatMap((d) => d.sections.map((s) => `${s}.${d.name}`)));
  const byName = new Map();
  for (const key of Object.keys(versions.directives)) {
    const [section, name] = key.split('.');
    if (!SECTIONS.includes(section) || described.has(key)) continue;
    const list = byName.get(name) ?? [];
    list.push(section);
    byName.set(name, list);
  }
  const out = [];
  for (const [name, sections] of byName) {
    const ordered_ = SECTIONS.filter((s) => sections.includes(s));
    const group = ordered_.includes('Slice')
      ? 'cgroup'
      : ordered_.length > 1 && ordered_.every((s) => overlay.groups.exec.includes(s))
        ? 'exec'
        : ordered_[0];
    const facts = versionFacts(name, ordered_);
    const where = ordered_.map((s) => `[${s}]`).join(', ');
    // Names that went away get a description of that; the others say what we lack.
    const doc =
      facts?.ignored !== undefined
        ? `An old setting of ${where} that systemd still accepts but ignores, with a notice that support for it was removed.`
        : facts?.removed !== undefined
          ? `An old setting of ${where} that systemd no longer reads${
              facts.replacement ? `: it was renamed to \`${facts.replacement}=\`` : ''
            }.`
          : `A setting of ${where}${facts?.since ? ` that systemd added in version ${facts.since}` : ''}; this extension knows its name and version but has no description or value check for it yet.`;
    out.push(
      withVersions({
        name,
        sections: ordered_,
        type: 'string',
        nameOnly: true,
        example: '',
        doc,
        man: overlay.manPages[group],
      }),
    );
  }
  return out;
}
directives.push(...nameOnlyEntries());
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
  versions: {
    oldest: OLDEST_RELEASE,
    newest: Math.max(...versions.releases.map((r) => Number.parseInt(r, 10))),
    sampled: versions.releases,
  },
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
