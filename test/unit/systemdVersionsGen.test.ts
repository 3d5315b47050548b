// scripts/gen-systemd-versions.mjs on small, made-up systemd sources: which release added, removed or ignores a name.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '..', '..', '..', 'scripts', 'gen-systemd-versions.mjs');

interface Record_ {
  since?: number;
  sinceAfter?: number;
  removed?: number;
  removedAfter?: number;
  ignored?: number;
  ignoredAfter?: number;
  replacement?: string;
}

let dir = '';

/** Writes DIR/<release>/<path> files. */
function release(version: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, version, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
}

function generate(): {
  status: number | null;
  stderr: string;
  data?: { releases: string[]; directives: Record<string, Record_> };
} {
  const out = join(dir, 'out.json');
  const result = spawnSync(process.execPath, [SCRIPT, '--sources', dir, '--out', out], { encoding: 'utf8' });
  return {
    status: result.status,
    stderr: result.stderr,
    ...(result.status === 0 ? { data: JSON.parse(readFileSync(out, 'utf8')) } : {}),
  };
}

const GPERF = 'src/core/load-fragment-gperf.gperf.in';
const row = (key: string, parser = 'config_parse_bool', ltype = '0'): string =>
  `${key},   ${parser},   ${ltype},   0`;

// The oldest release, in the m4 form systemd used before 248.
const M4_240 = [
  '%%',
  "m4_define(`EXEC_CONTEXT_CONFIG_ITEMS',",
  '`$1.WorkingDirectory,   config_parse_working_directory,   0,   offsetof($1, exec_context)',
  "$1.OldPercent,   config_parse_percent,   0,   0'",
  ')m4_dnl',
  row('Unit.Description', 'config_parse_unit_string_printf'),
  row('Service.Capabilities', 'config_parse_warn_compat', 'DISABLED_LEGACY'),
  row('Service.Aged'),
  row('Service.Dated'),
  'EXEC_CONTEXT_CONFIG_ITEMS(Service)m4_dnl',
  'EXEC_CONTEXT_CONFIG_ITEMS(Socket)m4_dnl',
].join('\n');

const JINJA = (extra: string[], execExtra: string[] = []): string =>
  [
    '{%- macro EXEC_CONTEXT_CONFIG_ITEMS(type) -%}',
    '{{type}}.WorkingDirectory,   config_parse_working_directory,   0,   offsetof({{type}}, exec_context)',
    ...execExtra,
    '{% if HAVE_SECCOMP %}',
    '{{type}}.SystemCallFilter,   config_parse_syscall_filter,   0,   0',
    '{% else %}',
    '{{type}}.SystemCallFilter,   config_parse_warn_compat,   DISABLED_CONFIGURATION,   0',
    '{% endif %}',
    '{%- endmacro -%}',
    '%%',
    row('Unit.Description', 'config_parse_unit_string_printf'),
    row('Service.Capabilities', 'config_parse_warn_compat', 'DISABLED_LEGACY'),
    ...extra,
    "{{ EXEC_CONTEXT_CONFIG_ITEMS('Service') }}",
    "{{ EXEC_CONTEXT_CONFIG_ITEMS('Socket') }}",
  ].join('\n');

const MAN = `<refentry><variablelist>
  <varlistentry><term><varname>Shiny=</varname></term>
    <listitem><para>Our test entry.</para>
      <variablelist><varlistentry><term><option>fancy</option></term>
        <listitem><para>A newer value.</para><xi:include href="version-info.xml" xpointer="v255"/></listitem>
      </varlistentry></variablelist>
      <xi:include href="version-info.xml" xpointer="v253"/></listitem>
  </varlistentry>
  <varlistentry><term><varname>WorkingDirectory=</varname></term><term><varname>Sibling=</varname></term>
    <listitem><para>Two names, one mark.</para><xi:include href="version-info.xml" xpointer="v200"/></listitem>
  </varlistentry>
  <varlistentry><term><varname>Aged=</varname></term>
    <listitem><para>A late mark that NEWS refutes.</para><xi:include href="version-info.xml" xpointer="v239"/></listitem>
  </varlistentry>
  <varlistentry><term><varname>Dated=</varname></term>
    <listitem><para>A mark nothing refutes.</para><xi:include href="version-info.xml" xpointer="v238"/></listitem>
  </varlistentry>
  <varlistentry><term><varname>Description=</varname></term>
    <listitem><para>A mark that contradicts the tables.</para><xi:include href="version-info.xml" xpointer="v251"/></listitem>
  </varlistentry>
</variablelist></refentry>`;

const NEWS = [
  'CHANGES WITH 255:',
  '',
  '        * Units gained Sibling= for testing.',
  '',
  'CHANGES WITH 254:',
  '',
  '        * The new Undocumented= setting is here.',
  '',
  'CHANGES WITH 240:',
  '',
  '        * WorkingDirectory= learnt a trick.',
  '',
  'CHANGES WITH 230:',
  '',
  '        * Aged= arrived.',
  '',
].join('\n');

describe('gen-systemd-versions.mjs on small sources', function () {
  this.timeout(20000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'systemd-versions-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each release\u2019s table and the newest man pages and NEWS into since, removed and ignored', () => {
    release('240.1', { 'src/core/load-fragment-gperf.gperf.m4': M4_240 });
    release('252.3', {
      [GPERF]: JINJA([], ['{{type}}.OldPercent,   config_parse_percent,   0,   0']),
    });
    release('257', {
      [GPERF]: JINJA(
        [row('Service.Shiny'), row('Service.Sibling'), row('Service.Undocumented'), row('Service.Later')],
        [
          '{{type}}.OldPercent ,   config_parse_warn_compat,   DISABLED_LEGACY,   0',
          '{{type}}.Old,   config_parse_percent,   0,   0',
        ],
      ),
      'man/systemd.exec.xml': MAN,
      NEWS,
    });
    const { status, stderr, data } = generate();
    assert.equal(status, 0, stderr);
    const d = data!.directives;
    assert.deepEqual(data!.releases, ['240.1', '252.3', '257']);
    // The man page's own mark, not its newer value's.
    assert.equal(d['Service.Shiny']!.since, 253);
    // Added between two sampled releases and named by NEWS in exactly one of them.
    assert.equal(d['Service.Undocumented']!.since, 254);
    assert.equal(d['Service.Undocumented']!.sinceAfter, undefined);
    // Documented together with an older name: NEWS says when this one came.
    assert.equal(d['Service.Sibling']!.since, 255);
    // Macro-expanded into every unit type that uses it, from m4 and Jinja tables alike.
    assert.ok(d['Socket.WorkingDirectory'] && d['Service.WorkingDirectory']);
    // Only NEWS and the tables know it: the first release that had it, with the last one that did not.
    assert.deepEqual(d['Service.Later'], { since: 257, sinceAfter: 252 });
    // Older than every table: a mark stands unless NEWS names the key in an earlier release.
    assert.equal(d['Service.Aged']!.since, undefined);
    assert.equal(d['Service.Dated']!.since, 238);
    // A mark later than a table that already had the name is wrong: the tables win.
    assert.equal(d['Unit.Description']!.since, undefined);
    // Parsed, then accepted only to be ignored; renamed (a new name that extends the old one appears as it goes).
    assert.deepEqual(
      { ignored: d['Socket.OldPercent']!.ignored, after: d['Socket.OldPercent']!.ignoredAfter },
      { ignored: 257, after: 252 },
    );
    assert.equal(d['Service.Old']!.since, 257);
    // Ignored already in the oldest release read.
    assert.deepEqual(d['Service.Capabilities'], { ignored: 240, ignoredAfter: 0 });
    // The compiled-out branch of a conditional does not hide the real parser.
    assert.equal(d['Service.SystemCallFilter']!.since, 252);
    assert.equal(d['Service.SystemCallFilter']!.ignored, undefined);
  });

  it('records removals with the name that replaced them', () => {
    release('251', { [GPERF]: JINJA([row('Service.LimitPercent'), row('Service.Kept')]) });
    release('252', { [GPERF]: JINJA([row('Service.Limit'), row('Service.Kept')]) });
    const { status, stderr, data } = generate();
    assert.equal(status, 0, stderr);
    assert.deepEqual(data!.directives['Service.LimitPercent'], { removed: 252, replacement: 'Limit' });
    assert.deepEqual(data!.directives['Service.Limit'], { since: 252 });
    assert.deepEqual(data!.directives['Service.Kept'], {});
  });

  it('refuses a table that disagrees with the same release\u2019s --dump-configuration-items', () => {
    release('252', {
      [GPERF]: JINJA([row('Service.Kept')]),
      'dump-configuration-items.txt': '[Service]\nKept=BOOLEAN\nWorkingDirectory=PATH\nMissing=BOOLEAN\n',
    });
    const { status, stderr } = generate();
    assert.equal(status, 1);
    assert.match(stderr, /only in the dump: Service\.Missing/);
    assert.match(stderr, /only in the table: Service\.SystemCallFilter/);
  });

  it('fails without any release folder instead of writing an empty catalogue', () => {
    mkdirSync(join(dir, 'notes'));
    const { status, stderr } = generate();
    assert.equal(status, 1);
    assert.match(stderr, /no release folders/);
  });
});
