// Generates server/data/systemd/versions.json: for every unit-file directive systemd's own sources know, the systemd
// version that added it and, when it went away, how (removed, or still accepted but ignored) and since when.
//
// Run by hand (CI never needs the sources; the generated JSON is committed and merged by gen-systemd-catalog.mjs):
//   node scripts/gen-systemd-versions.mjs --sources DIR [--out FILE]
// DIR holds one folder per systemd release, named by its version (e.g. 247.3, 252.39, 254.26, 257.13, 262), each
// with at least src/core/load-fragment-gperf.gperf.in (.gperf.m4 before 248), and the man/*.xml pages and NEWS of
// the newest release. We got them from Debian's source packages (bullseye 247, bookworm 252, bookworm-backports 254,
// trixie 257, sid 262) with a temporary apt configuration (deb-src lines in a sources.list under /tmp):
//   apt-get -o Dir::Etc::SourceList=/tmp/sdv/sources.list … source --download-only systemd=VERSION
//   tar -xzf systemd_VERSION.orig.tar.gz -C DIR/VERSION --strip-components=1 --wildcards \
//       '*/src/core/load-fragment-gperf.gperf.*' '*/man/*.xml' '*/NEWS'
// Optionally DIR/<release>/dump-configuration-items.txt, the output of that release's `systemd
// --dump-configuration-items` (a Debian binary package unpacked under /tmp, run with its own libraries through the
// dynamic loader when the machine's libc is older), is checked against what we read from the table.
//
// How each fact is found:
// - which names a release knows, per section: the gperf table of the unit-file parser (macros expanded for each unit
//   type, both branches of compile-time conditionals kept, since Debian builds with those features);
// - how a release treats a name: `config_parse_warn_compat` with DISABLED_LEGACY means "accepted, logged as removed,
//   ignored"; any other parser reads it (the [Install] names have no parser there: systemctl reads them);
// - the version that added a name: the `version-info` marks of the newest release's man pages (the smallest one inside
//   the name's entry, which also holds marks for newer values), else the first sampled release whose table has it;
// - the version a name was removed in or became ignored: the first sampled release where that is so (an upper bound
//   when releases between the samples were not sampled; `between` then gives the last release that still had it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The sections whose directives we catalogue (the same as overlay.json's). */
export const SECTIONS = [
  'Unit',
  'Install',
  'Service',
  'Socket',
  'Timer',
  'Path',
  'Mount',
  'Automount',
  'Swap',
  'Slice',
  'Scope',
];

/** Man pages that document unit-file directives. */
const MAN_PAGES = [
  'systemd.unit.xml',
  'systemd.service.xml',
  'systemd.socket.xml',
  'systemd.timer.xml',
  'systemd.path.xml',
  'systemd.mount.xml',
  'systemd.automount.xml',
  'systemd.swap.xml',
  'systemd.slice.xml',
  'systemd.scope.xml',
  'systemd.exec.xml',
  'systemd.kill.xml',
  'systemd.resource-control.xml',
];

const ENTRY =
  /^`?(\{\{\s*type\s*\}\}|\$1|[A-Z][A-Za-z]*)\.([A-Za-z0-9]+)\s*,\s*([A-Za-z0-9_]+)\s*,\s*([^,]+),/;

/**
 * The directives of one gperf table: Map "Section.Name" → "parsed" | "legacy" (accepted and ignored).
 * Entries compiled out (`DISABLED_CONFIGURATION`) count as parsed when the other branch of the conditional parses
 * them, and are left out otherwise.
 */
export function parseGperf(text) {
  const macros = new Map();
  const top = [];
  let current = top;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\{#.*?#\}/g, '').trim();
    // Jinja (systemd 248 and later) or m4 (before): `{%- macro NAME(type) -%}` / m4_define(`NAME',
    const macro =
      /^\{%-?\s*macro\s+(\w+)\s*\(\s*\w+\s*\)\s*-?%\}$/.exec(line) ?? /^m4_define\(`(\w+)',$/.exec(line);
    if (macro) {
      current = [];
      macros.set(macro[1], current);
      continue;
    }
    if (/^\{%-?\s*endmacro\s*-?%\}$/.test(line) || /^\)m4_dnl$/.test(line)) {
      current = top;
      continue;
    }
    current.push(line);
  }
  const result = new Map();
  const add = (section, name, parser, ltype) => {
    const key = `${section}.${name}`;
    let kind = 'parsed';
    if (parser === 'config_parse_warn_compat') {
      if (/DISABLED_LEGACY/.test(ltype)) kind = 'legacy';
      else if (/DISABLED_CONFIGURATION/.test(ltype)) kind = 'compiled-out';
    }
    const before = result.get(key);
    if (!before || before === 'compiled-out') result.set(key, kind);
  };
  const expand = (lines, type) => {
    for (const line of lines) {
      const call =
        /^\{\{-?\s*(\w+)\s*\(\s*'(\w+)'\s*\)\s*-?\}\}$/.exec(line) ?? /^([A-Z_]+)\((\w+)\)m4_dnl$/.exec(line);
      if (call) {
        const body = macros.get(call[1]);
        if (body) expand(body, call[2]);
        continue;
      }
      const m = ENTRY.exec(line);
      if (!m) continue;
      const section = m[1].startsWith('{{') || m[1] === '$1' ? type : m[1];
      if (section) add(section, m[2], m[3], m[4].trim());
    }
  };
  expand(top, undefined);
  for (const [key, kind] of result) if (kind === 'compiled-out') result.delete(key);
  return result;
}

/**
 * The version that added each name documented in one man page (names documented together in one entry are added to
 * `grouped`: their shared mark is that of the oldest of them): Map name → smallest `version-info` mark inside the
 * name's `<varlistentry>` (nested entries included).
 */
export function parseManPage(text, into = new Map(), grouped = new Set()) {
  const tokens = /<varlistentry\b[^>]*>|<\/varlistentry>|<term>([\s\S]*?)<\/term>|xpointer="v(\d+)"/g;
  const stack = [];
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    const token = m[0];
    if (token.startsWith('<varlistentry')) stack.push({ names: [], versions: [] });
    else if (token === '</varlistentry>') {
      const entry = stack.pop();
      if (!entry) continue;
      if (stack.length) stack[stack.length - 1].versions.push(...entry.versions);
      if (!entry.versions.length) continue;
      const since = Math.min(...entry.versions);
      if (entry.names.length > 1) for (const name of entry.names) grouped.add(name);
      for (const name of entry.names) {
        const before = into.get(name);
        if (before === undefined || since < before) into.set(name, since);
      }
    } else if (m[1] !== undefined) {
      const top = stack[stack.length - 1];
      if (!top) continue;
      for (const v of m[1].matchAll(/<varname>([A-Z][A-Za-z0-9]*)=<\/varname>/g)) top.names.push(v[1]);
    } else if (m[2] !== undefined) {
      const top = stack[stack.length - 1];
      if (top) top.versions.push(Number(m[2]));
    }
  }
  return into;
}

const major = (release) => Number(/^(\d+)/.exec(release)[1]);

/** NEWS split by release: Map version → the text of its "CHANGES WITH N:" section. */
export function parseNews(text) {
  const sections = new Map();
  const heads = [...text.matchAll(/^CHANGES WITH (\d+)\b[^\n]*:\s*$/gm)];
  heads.forEach((head, i) => {
    const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
    sections.set(Number(head[1]), text.slice(head.index, end));
  });
  return sections;
}

/**
 * The oldest release whose NEWS names `name=`. Used only for names that share a man-page entry with others: NEWS
 * usually names a setting first when it is added (ExecPaths= in 248, documented beside ReadWritePaths= of 231;
 * WantedBy= long before UpheldBy= of 249 joined its entry).
 */
export function firstMentionInNews(news, name) {
  const mention = new RegExp(`(^|[^\\w])${name}=`);
  let oldest;
  for (const [version, text] of news) {
    if ((oldest === undefined || version < oldest) && mention.test(text)) oldest = version;
  }
  return oldest;
}

/**
 * Narrows a range (after, upTo] of releases we did not sample to the one release whose NEWS names `name=`.
 * Undefined when NEWS names it in none or several of them.
 */
function fromNews(news, name, after, upTo) {
  const hits = [];
  for (let v = after + 1; v <= upTo; v++) {
    const text = news.get(v);
    if (text && new RegExp(`(^|[^\\w])${name}=`).test(text)) hits.push(v);
  }
  return hits.length === 1 ? hits[0] : undefined;
}

export function combine(releases, news = new Map()) {
  const sorted = [...releases].sort((a, b) => major(a.version) - major(b.version));
  const newest = [...sorted].reverse().find((r) => r.man && r.man.size);
  const newestMan = newest?.man ?? new Map();
  const grouped = newest?.grouped ?? new Set();
  const keys = new Set(sorted.flatMap((r) => [...r.gperf.keys()]));
  const directives = {};
  for (const key of [...keys].sort()) {
    const [section, name] = key.split('.');
    if (!SECTIONS.includes(section)) continue;
    const states = sorted.map((r) => r.gperf.get(key) ?? 'absent');
    const record = {};
    const firstSeen = states.findIndex((s) => s !== 'absent');
    let fromMan = newestMan.get(name);
    // A mark shared by several names belongs to one of them (the oldest, or the one whose addition last touched the
    // entry): for those names the release whose NEWS first names them is the better witness.
    if (grouped.has(name)) fromMan = firstMentionInNews(news, name) ?? fromMan;
    const firstSeenIn = major(sorted[firstSeen].version);
    // The tables outrank the documents: a name a release already had cannot have been added after it.
    if (fromMan !== undefined && fromMan > firstSeenIn) fromMan = undefined;
    // Marks were added to the man pages long after the fact, and some old ones are late (the conditions carry 244):
    // when no table can check a mark, NEWS naming the name in an earlier release refutes it.
    if (fromMan !== undefined && firstSeen === 0) {
      const named = firstMentionInNews(news, name);
      if (named !== undefined && named < fromMan) fromMan = undefined;
    }
    if (fromMan !== undefined && (firstSeen === 0 || fromMan > major(sorted[firstSeen - 1].version))) {
      record.since = fromMan;
    } else if (firstSeen > 0) {
      // Not documented (or the mark contradicts the tables): the first release we saw it in is an upper bound.
      record.since = firstSeenIn;
      if (record.since - major(sorted[firstSeen - 1].version) > 1) {
        record.sinceAfter = major(sorted[firstSeen - 1].version);
      }
    }
    if (record.sinceAfter !== undefined) {
      const v = fromNews(news, name, record.sinceAfter, record.since);
      if (v !== undefined) {
        record.since = v;
        delete record.sinceAfter;
      }
    }
    for (const state of ['legacy', 'absent']) {
      const at = states.findIndex((s, i) => i > firstSeen && s === state && states[i - 1] !== state);
      if (at > 0 && states.slice(at).every((s) => s === state || (state === 'legacy' && s === 'absent'))) {
        const field = state === 'legacy' ? 'ignored' : 'removed';
        const after = major(sorted[at - 1].version);
        const upTo = major(sorted[at].version);
        const v = fromNews(news, name, after, upTo);
        record[field] = v ?? upTo;
        if (v === undefined && upTo - after > 1) record[`${field}After`] = after;
      }
    }
    // Ignored already in the oldest release we sampled: that release is all we can say.
    if (states[firstSeen] === 'legacy' && firstSeen === 0) {
      record.ignored = major(sorted[0].version);
      record.ignoredAfter = 0;
    }
    directives[key] = record;
  }
  // A removed name is taken to be renamed when a name that starts the same way (one is a prefix of the other) came
  // into the same section in the release where it disappeared (ManagedOOMMemoryPressureLimitPercent= → …Limit=).
  for (const [key, record] of Object.entries(directives)) {
    if (record.removed === undefined) continue;
    const [section, name] = key.split('.');
    const gone = sorted.findIndex((r) => major(r.version) === record.removed);
    const successor = [...sorted[gone].gperf.keys()].find((other) => {
      const [s, n] = other.split('.');
      return (
        s === section &&
        n !== name &&
        (n.startsWith(name) || name.startsWith(n)) &&
        !sorted[gone - 1].gperf.has(other)
      );
    });
    if (successor) record.replacement = successor.split('.')[1];
  }
  // The Assert…= names share one man-page entry (marked with the version that introduced asserts as such), so each
  // takes its Condition…= twin's version when that is later: an assert never predates its condition.
  for (const [key, record] of Object.entries(directives)) {
    const [section, name] = key.split('.');
    if (!name.startsWith('Assert')) continue;
    const twin = directives[`${section}.${name.replace(/^Assert/, 'Condition')}`];
    if (!twin) continue;
    if (twin.since === undefined) {
      // The condition cannot be dated (older than what the sources prove): neither can its assert.
      if (record.sinceAfter === undefined) delete record.since;
      continue;
    }
    if (twin.sinceAfter !== undefined) continue;
    if (record.since === undefined || record.sinceAfter !== undefined || twin.since > record.since) {
      record.since = twin.since;
      delete record.sinceAfter;
    }
  }
  return { releases: sorted.map((r) => r.version), directives };
}

/**
 * The (section, name) pairs a release's binary lists with `systemd --dump-configuration-items`, in our sections.
 * The dump leaves out names the release only accepts to ignore.
 */
export function parseDump(text) {
  const out = new Set();
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1];
    else if (line.includes('=') && SECTIONS.includes(section))
      out.add(`${section}.${line.slice(0, line.indexOf('='))}`);
  }
  return out;
}

/** Differences between what a gperf table parses and what the same release's binary dumps, one line each. */
export function dumpDifferences(gperf, dump) {
  const parsed = [...gperf].filter(
    ([key, kind]) => kind === 'parsed' && SECTIONS.includes(key.split('.')[0]),
  );
  const ours = new Set(parsed.map(([key]) => key));
  return [
    ...[...dump].filter((k) => !ours.has(k)).map((k) => `only in the dump: ${k}`),
    ...[...ours].filter((k) => !dump.has(k)).map((k) => `only in the table: ${k}`),
  ].sort();
}

/** Reads DIR/<release>/… as described at the top. */
export function readReleases(dir) {
  const out = [];
  for (const version of readdirSync(dir).filter((d) => /^\d+(\.\d+)*$/.test(d))) {
    const gperfPath = ['in', 'm4']
      .map((ext) => join(dir, version, `src/core/load-fragment-gperf.gperf.${ext}`))
      .find((path) => existsSync(path));
    if (!gperfPath) continue;
    const man = new Map();
    const grouped = new Set();
    for (const page of MAN_PAGES) {
      const path = join(dir, version, 'man', page);
      if (existsSync(path)) parseManPage(readFileSync(path, 'utf8'), man, grouped);
    }
    const newsPath = join(dir, version, 'NEWS');
    const news = existsSync(newsPath) ? parseNews(readFileSync(newsPath, 'utf8')) : new Map();
    const gperf = parseGperf(readFileSync(gperfPath, 'utf8'));
    // A dump of the same release's binary, when given, must list exactly what we read from its table.
    const dumpPath = join(dir, version, 'dump-configuration-items.txt');
    if (existsSync(dumpPath)) {
      const differences = dumpDifferences(gperf, parseDump(readFileSync(dumpPath, 'utf8')));
      if (differences.length) {
        console.error(
          `gen-systemd-versions: ${version}: the table and the binary disagree:\n  ${differences.join('\n  ')}`,
        );
        process.exit(1);
      }
      console.log(`${version}: the parser table matches the binary's --dump-configuration-items`);
    }
    out.push({ version, gperf, man, grouped, news });
  }
  return out;
}

/** The NEWS of the newest release, which covers all older ones. */
function newestNews(releases) {
  return [...releases].sort((a, b) => major(b.version) - major(a.version)).find((r) => r.news.size)?.news;
}

function main() {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sources = option('--sources');
  if (!sources) {
    console.error('usage: node scripts/gen-systemd-versions.mjs --sources DIR [--out FILE]');
    process.exit(2);
  }
  const out = option('--out') ?? join(root, 'server/data/systemd/versions.json');
  const releases = readReleases(sources);
  if (!releases.length) {
    console.error(`gen-systemd-versions: no release folders with a gperf table under ${sources}`);
    process.exit(1);
  }
  const data = {
    source:
      "Generated by scripts/gen-systemd-versions.mjs from systemd's unit-file parser table (src/core/load-fragment-gperf.gperf.in) of each release listed, and the version-info marks of the newest release's man pages.",
    ...combine(releases, newestNews(releases)),
  };
  writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  console.log(
    `wrote ${Object.keys(data.directives).length} directives from ${data.releases.join(', ')} to ${out}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
