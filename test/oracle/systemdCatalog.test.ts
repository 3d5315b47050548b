// Oracle: the real systemd (Debian 12's 252 and Debian 13's 257) judges our systemd directive catalogue, each with
// the directives its release reads (`readBy`: not added later, not removed or ignored by then). `systemd-analyze
// verify` must load every directive with its example value without complaint, must report misspelt keys and every
// directive we date after it, and must print the warnings we claim for deprecated directives;
// `systemd --dump-configuration-items` must list exactly our (section, directive) pairs.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import data from '../../server/data/systemd/directives.json';
import { readBy } from '../../server/src/languages/systemd/availability';
import type {
  DirectiveInfo,
  SystemdCatalogData,
  SystemdSection,
} from '../../server/src/languages/systemd/catalogTypes';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';

const catalog = data as SystemdCatalogData;

/** The judge's version (set by each judge set's suite); directives it does not read are left out of the comparisons. */
let target = catalog.systemdVersion;
let judge: JudgeSet | undefined;
const knownIn = (d: DirectiveInfo, section: SystemdSection): boolean => readBy(d, section, target);
const known = (d: DirectiveInfo): boolean => d.sections.some((s) => knownIn(d, s));

/** One unit file per section that `systemd-analyze verify` can load (scopes are never loaded from files). */
const UNIT_FILES: { section: SystemdSection; file: string }[] = [
  { section: 'Service', file: 'x.service' },
  { section: 'Socket', file: 'x.socket' },
  { section: 'Timer', file: 'x.timer' },
  { section: 'Path', file: 'x.path' },
  // Mount and swap unit names must match Where=/What=, so those directives are pinned below.
  { section: 'Mount', file: 'mnt-x.mount' },
  { section: 'Automount', file: 'mnt-x.automount' },
  { section: 'Swap', file: 'dev-sdz9.swap' },
  { section: 'Slice', file: 'x.slice' },
];
const PINNED: Partial<Record<SystemdSection, Record<string, string>>> = {
  Mount: { Where: '/mnt/x' },
  Automount: { Where: '/mnt/x' },
  Swap: { What: '/dev/sdz9' },
};

/**
 * Complaints that depend on the machine rather than on the key or its syntax, and so are not held against an example.
 * Each entry says why.
 */
const TOLERATED: RegExp[] = [];

interface Verdict {
  /** Messages attributed to a line of the unit file, by 1-based line number. */
  byLine: Map<number, string[]>;
  /** Every line of output. */
  all: string[];
  /** The exit status: verification fails (non-zero) on an unknown key. */
  status: number | null;
}

let workDir = '';

function verify(file: string, text: string): Verdict {
  const path = join(workDir, file);
  writeFileSync(path, text);
  const result = judge!.systemd.verify(['--man=no', '--recursive-errors=no', '--generators=no', path]);
  rmSync(path, { force: true });
  const all = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim() !== '');
  const byLine = new Map<number, string[]>();
  for (const line of all) {
    if (!line.startsWith(path + ':')) continue;
    const m = /^:(\d+): (.*)$/.exec(line.slice(path.length));
    if (!m) continue;
    const n = Number(m[1]);
    byLine.set(n, [...(byLine.get(n) ?? []), m[2]!]);
  }
  return { byLine, all, status: result.status };
}

/** Builds a unit file: `[section]` with `entries`, and a [Unit] section so the file has a description. */
function unitText(
  section: SystemdSection,
  entries: [string, string][],
): { text: string; lines: Map<number, string> } {
  const out = section === 'Unit' ? ['[Unit]'] : ['[Unit]', 'Description=oracle', `[${section}]`];
  const lines = new Map<number, string>();
  for (const [key, value] of entries) {
    out.push(`${key}=${value}`);
    lines.set(out.length, key);
  }
  return { text: `${out.join('\n')}\n`, lines };
}

function directivesOf(section: SystemdSection): DirectiveInfo[] {
  // Names we know by name only have no example value to load.
  return catalog.directives.filter((d) => d.sections.includes(section) && knownIn(d, section) && !d.nameOnly);
}

/** True when `word` occurs in `text` delimited by non-word characters. */
function mentions(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${escaped}([^\\w]|$)`).test(text);
}

function deprecationWarns(d: DirectiveInfo): boolean {
  return d.deprecated?.warns === true;
}

/** Entries for a section: every catalogue directive with its example, the pinned ones first. */
function entriesFor(section: SystemdSection): [string, string][] {
  const pinned = PINNED[section] ?? {};
  const entries: [string, string][] = Object.entries(pinned);
  for (const d of directivesOf(section)) if (!(d.name in pinned)) entries.push([d.name, d.example]);
  return entries;
}

function complaintsAbout(section: SystemdSection, file: string, entries: [string, string][]): string[] {
  const { text, lines } = unitText(section, entries);
  const verdict = verify(file, text);
  const problems: string[] = [];
  for (const [line, messages] of verdict.byLine) {
    const key = lines.get(line);
    const d = catalog.directives.find((x) => x.name === key && x.sections.includes(section));
    for (const message of messages) {
      if (d && deprecationWarns(d) && message.includes(d.name)) continue;
      // Keys systemd parses but ignores in this unit type: checked separately below.
      if (d?.ignoredIn?.includes(section)) continue;
      if (TOLERATED.some((re) => re.test(message))) continue;
      problems.push(`[${section}] line ${line} ${key ?? '?'}=: ${message}`);
    }
  }
  return problems;
}

/** The rendered text of a man page of the judge's release, or undefined when its man pages are not installed. */
function manPage(page: string): string | undefined {
  const m = /^(.+)\((\d)\)$/.exec(page);
  if (!m) return undefined;
  const file = judge!.hostPath(`/usr/share/man/man${m[2]!}/${m[1]!}.${m[2]!}.gz`);
  if (!existsSync(file)) return undefined;
  const result = spawnSync('man', ['-P', 'cat', '-l', file], {
    encoding: 'utf8',
    env: { ...process.env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '0' },
  });
  if (result.status !== 0 || !result.stdout) return undefined;
  return result.stdout.replace(/.\x08/g, '');
}

/** True when the man page has an entry (a heading line) for `name=`. */
function documents(text: string, name: string): boolean {
  return new RegExp(`^ {7}(?:\\S.*, )?${name}=`, 'm').test(text);
}

describe('the systemd directive catalogue', function () {
  it('has the shape the features rely on', () => {
    for (const set of JUDGE_SETS) {
      const version = Number(set.systemd.version);
      assert.ok(
        version >= catalog.versions.oldest && version <= catalog.versions.newest,
        `${set.debian}'s systemd ${version} is outside the catalogued ${catalog.versions.oldest}-${catalog.versions.newest}`,
      );
    }
    const sectionNames = new Set(catalog.sections.map((s) => s.name));
    for (const d of catalog.directives) {
      assert.ok(d.sections.length > 0, `${d.name}: no sections`);
      for (const s of d.sections) assert.ok(sectionNames.has(s), `${d.name}: unknown section ${s}`);
      assert.ok(d.doc.length > 10 && d.man.length > 0, `${d.name}: missing doc or man`);
      if (d.type === 'enum') assert.ok(d.values && d.values.length > 0, `${d.name}: enum without values`);
      if (d.type === 'command') {
        assert.ok(d.prefixes && d.prefixes.length > 0, `${d.name}: command without prefixes`);
      }
      if (d.type === 'enum' && d.values) {
        const accepted = d.acceptsBool
          ? [...d.values, 'yes', 'no', 'true', 'false', 'on', 'off', '1', '0']
          : d.values;
        assert.ok(accepted.includes(d.example), `${d.name}: example ${d.example} is not one of its values`);
      }
    }
    // A name has one entry per meaning, and the meanings never share a section.
    const seen = new Set<string>();
    for (const d of catalog.directives) {
      for (const s of d.sections) {
        assert.ok(!seen.has(`${s}.${d.name}`), `duplicate ${s}.${d.name}`);
        seen.add(`${s}.${d.name}`);
      }
    }
  });
});

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s systemd ${set.systemd.version} judges the systemd directive catalogue`, function () {
    this.timeout(120000);
    before(function () {
      requireJudge(this, set, 'systemd');
      judge = set;
      target = Number(set.systemd.version);
      workDir = mkdtempSync(join(tmpdir(), 'systemd-oracle-'));
    });
    after(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
      workDir = '';
      judge = undefined;
      target = catalog.systemdVersion;
    });

    it('loads every [Unit] and [Install] directive with its example value', () => {
      const problems = [
        ...complaintsAbout('Unit', 'u.service', entriesFor('Unit')),
        ...complaintsAbout('Install', 'i.service', entriesFor('Install')),
      ];
      assert.deepEqual(problems, []);
    });

    for (const { section, file } of UNIT_FILES) {
      it(`loads every [${section}] directive with its example value`, () => {
        const entries = entriesFor(section);
        assert.ok(entries.length > 0, `no directives for [${section}]`);
        assert.deepEqual(complaintsAbout(section, file, entries), []);
      });
    }

    it('ignores the keys we mark as ignored in a section, and says so', () => {
      const problems: string[] = [];
      for (const d of catalog.directives.filter((x) => known(x) && x.ignoredIn)) {
        for (const section of d.ignoredIn!.filter((s) => knownIn(d, s))) {
          const file = UNIT_FILES.find((u) => u.section === section)?.file;
          if (!file) continue;
          const entries: [string, string][] = [...Object.entries(PINNED[section] ?? {}), [d.name, d.example]];
          const { text, lines } = unitText(section, entries);
          const line = [...lines].find(([, k]) => k === d.name)![0];
          if ((verify(file, text).byLine.get(line) ?? []).length === 0) {
            problems.push(
              `${d.name}= in [${section}]: marked as ignored, but systemd ${target} takes it silently`,
            );
          }
        }
      }
      assert.deepEqual(problems, []);
    });

    it('fails verification on every directive we date after it, which is why directive-not-in-version is an error', function () {
      const problems: string[] = [];
      let tried = 0;
      const sections: { section: SystemdSection; file: string }[] = [
        { section: 'Unit', file: 'n.service' },
        { section: 'Install', file: 'n.service' },
        ...UNIT_FILES,
      ];
      for (const { section, file } of sections) {
        const newer = catalog.directives.filter(
          (d) => d.sections.includes(section) && !knownIn(d, section) && !d.gone,
        );
        if (!newer.length) continue;
        const pinned = Object.entries(PINNED[section] ?? {});
        const entries: [string, string][] = [
          ...pinned,
          ...newer.map((d): [string, string] => [d.name, d.example || 'x']),
        ];
        const { text, lines } = unitText(section, entries);
        const verdict = verify(file, text);
        tried += newer.length;
        if (verdict.status === 0) {
          problems.push(`[${section}]: systemd ${target} verifies a unit with ${newer.length} newer keys`);
        }
        for (const [line, key] of lines) {
          if (key in (PINNED[section] ?? {})) continue;
          if (!(verdict.byLine.get(line) ?? []).some((m) => /^Unknown key /.test(m))) {
            problems.push(`${key}= in [${section}]: dated after ${target}, but systemd ${target} knows it`);
          }
        }
      }
      if (tried === 0) this.skip(); // the judge is the newest release we know: nothing is newer
      assert.deepEqual(problems, []);
    });

    it('reports misspelt keys and bad values, so the checks above can fail', () => {
      const { text, lines } = unitText('Service', [
        ['ExecStrat', '/bin/true'],
        ['Restrat', 'always'],
        ['WantedBy', 'multi-user.target'],
        ['Restart', 'sometimes'],
      ]);
      const verdict = verify('typo.service', text);
      const reported = (key: string): string =>
        [...lines]
          .filter(([, k]) => k === key)
          .flatMap(([line]) => verdict.byLine.get(line) ?? [])
          .join(' ');
      assert.match(reported('ExecStrat'), /Unknown key/);
      assert.match(reported('Restrat'), /Unknown key/);
      assert.match(reported('WantedBy'), /Unknown key/, 'WantedBy= belongs in [Install], not [Service]');
      assert.match(reported('Restart'), /Failed to parse/);
      assert.ok(!catalog.directives.some((d) => d.name === 'ExecStrat' || d.name === 'Restrat'));
    });

    it('sees systemd warn about every directive and value we mark as warned about', () => {
      const problems: string[] = [];
      for (const d of catalog.directives.filter(known)) {
        const section = d.sections.find((s) => s !== 'Scope' && knownIn(d, s));
        if (!section) continue;
        const file =
          section === 'Unit' || section === 'Install'
            ? 'w.service'
            : UNIT_FILES.find((u) => u.section === section)?.file;
        if (!file) continue;
        const pinned = Object.entries(PINNED[section] ?? {}).filter(([k]) => k !== d.name);
        const cases: { what: string; value: string; warns: boolean }[] = [];
        if (d.deprecated) {
          cases.push({ what: `${d.name}=`, value: d.example, warns: d.deprecated.warns === true });
        }
        for (const v of d.deprecatedValues ?? []) {
          cases.push({ what: `${d.name}=${v.value}`, value: v.value, warns: v.warns === true });
        }
        for (const c of cases) {
          const entries: [string, string][] = [...pinned, [d.name, c.value]];
          const { text, lines } = unitText(section, entries);
          const verdict = verify(file, text);
          const line = [...lines].find(([, k]) => k === d.name)![0];
          const onLine = verdict.byLine.get(line) ?? [];
          // The warning is on the directive's line, or (like OnFailureIsolate=) carries no line but names the directive.
          const valueOk = (l: string): boolean => c.value === d.example || mentions(l, c.value);
          const warned = onLine.some(valueOk) || verdict.all.some((l) => mentions(l, d.name) && valueOk(l));
          if (c.warns && !warned) {
            problems.push(`${c.what}: marked as warned about, but systemd ${target} prints nothing`);
          }
        }
      }
      assert.deepEqual(problems, []);
    });

    it('marks as deprecated only what systemd warns about or no longer documents as current', function () {
      const pages = new Map<string, string | undefined>();
      const page = (name: string): string | undefined => {
        if (!pages.has(name)) pages.set(name, manPage(name));
        return pages.get(name);
      };
      if (page('systemd.unit(5)') === undefined) {
        if (process.env.CI) throw new Error('man pages are not installed; cannot judge the deprecations');
        this.skip();
      }
      const problems: string[] = [];
      for (const d of catalog.directives.filter(known)) {
        if (d.deprecated && !d.deprecated.warns) {
          const text = page(d.man) ?? '';
          const legacy = new RegExp(`deprecated[^.]*${d.name}=|${d.name}=[^.]*deprecated`, 's').test(text);
          if (documents(text, d.name) && !legacy) {
            problems.push(`${d.name}=: still documented in ${d.man} as current`);
          }
        }
        for (const x of d.deprecatedIn ?? []) {
          const text = page(`systemd.${x.section.toLowerCase()}(5)`) ?? '';
          if (documents(text, d.name)) problems.push(`${d.name}= in [${x.section}]: still documented there`);
        }
      }
      assert.deepEqual(problems, []);
    });

    it('lists exactly the directives that systemd --dump-configuration-items knows, section by section', function () {
      const dump = set.systemd.manager(['--dump-configuration-items']);
      assert.equal(dump.status, 0, dump.stderr);
      const theirs = new Set<string>();
      let section = '';
      for (const line of dump.stdout.split('\n')) {
        const header = /^\[(\w+)\]$/.exec(line);
        if (header) section = header[1]!;
        else if (line.includes('=')) theirs.add(`${section}.${line.slice(0, line.indexOf('='))}`);
      }
      const ours = new Set(
        catalog.directives.flatMap((d) =>
          d.sections.filter((s) => knownIn(d, s)).map((s) => `${s}.${d.name}`),
        ),
      );
      const sectionNames = new Set<string>(catalog.sections.map((s) => s.name));
      const missing = [...theirs].filter((k) => !ours.has(k) && sectionNames.has(k.split('.')[0]!)).sort();
      const extra = [...ours].filter((k) => !theirs.has(k)).sort();
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    });
  });
}
