// The systemd target version: resolving the setting, the catalogue's version facts, and the verdicts, hovers and
// completions at several targets.

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { parseDocument } from '../../server/src/languages/registry';
import { availability } from '../../server/src/languages/systemd/availability';
import { systemdCatalog } from '../../server/src/languages/systemd/catalog';
import { resolveSystemdVersion, type SystemdTarget } from '../../server/src/languages/systemd/version';

const NEWEST = systemdCatalog().data.versions.newest;

function findings(
  text: string,
  target: SystemdTarget | undefined,
  path = '/srv/deploy/app.service',
): Finding[] {
  return parseDocument('systemd', text).analyze({
    uri: `file://${path}`,
    path,
    version: [23, 0, 0],
    versionLabel: '23.0.0',
    ...(target ? { systemd: target } : {}),
  });
}

const onKey = (all: Finding[], text: string, key: string): Finding[] => {
  const line = text.split('\n').findIndex((l) => l.startsWith(`${key}=`));
  return all.filter((f) => f.range.start.line === line);
};

const SERVICE = [
  '[Unit]',
  'Description=app',
  '',
  '[Service]',
  'ExecStart=/usr/bin/gunicorn app:app',
  'Restart=on-failure',
  'RestartSteps=5',
  'RestartMaxDelaySec=30s',
  'PrivatePIDs=yes',
  'MemoryLimit=1G',
  '',
  '[Install]',
  'WantedBy=multi-user.target',
  'UpheldBy=multi-user.target',
  '',
].join('\n');

describe('systemd target version', () => {
  describe('resolveSystemdVersion', () => {
    it('assumes the newest catalogued release for auto, empty and unreadable settings', () => {
      for (const setting of ['auto', '', undefined, 'latest', '25x']) {
        const target = resolveSystemdVersion(setting);
        assert.equal(target.version, NEWEST, String(setting));
        assert.equal(target.assumed, true);
        assert.match(target.label, /assumed/);
      }
    });

    it('takes a release number from the setting, in the forms people write it', () => {
      for (const [setting, version] of [
        ['252', 252],
        ['v257', 257],
        ['257.13', 257],
        [' 254 ', 254],
      ] as const) {
        const target = resolveSystemdVersion(setting);
        assert.deepEqual([target.version, target.assumed], [version, false], setting);
        assert.match(target.label, /from the systemdVersion setting/);
      }
      assert.match(resolveSystemdVersion('219').label, /the catalogue covers 245 to/);
    });
  });

  describe('catalogue facts, as systemd\u2019s sources give them', () => {
    const info = (name: string, section = 'Service') => systemdCatalog().directive(name, section)!;
    it('dates additions by release', () => {
      // Each checked by hand in the sources: man-page version marks, NEWS, the parser tables of 247/252/254/257/262.
      assert.equal(info('RestartSteps').since, 254);
      assert.equal(info('PrivatePIDs').since, 257);
      assert.equal(info('MemoryZSwapMax').since, 253);
      assert.equal(info('ExecPaths').since, 248);
      assert.equal(info('UpheldBy', 'Install').since, 254);
      assert.equal(info('ExecStart').since, undefined);
    });

    it('knows what went away and how', () => {
      assert.deepEqual(info('MemoryLimit').gone, { how: 'ignored', version: 262, after: 257 });
      assert.deepEqual(info('ManagedOOMMemoryPressureLimitPercent').gone, {
        how: 'removed',
        version: 252,
        after: 247,
        replacement: 'ManagedOOMMemoryPressureLimit',
      });
      // Already ignored in 247, the oldest table read: systemd logs that support was removed.
      assert.deepEqual(info('Capabilities').gone, { how: 'ignored', version: 247, after: 0 });
      assert.equal(availability(info('Capabilities'), 'Service', 252).state, 'ignored');
      // Old spellings systemd still parses are deprecated aliases, not gone.
      assert.equal(info('ReadWriteDirectories').gone, undefined);
      assert.equal(info('ReadWriteDirectories').aliasOf, 'ReadWritePaths');
    });

    it('answers availability per release, open ranges included', () => {
      const zswap = info('MemoryZSwapMax');
      assert.equal(availability(zswap, 'Service', 252).state, 'too-new');
      assert.equal(availability(zswap, 'Service', 253).state, 'available');
      const limit = info('MemoryLimit');
      assert.equal(availability(limit, 'Service', 257).state, 'available');
      assert.deepEqual(availability(limit, 'Service', 262), {
        state: 'ignored',
        version: 262,
        certain: true,
      });
      assert.equal(availability(limit, 'Service', 259).state === 'ignored', true);
      assert.equal((availability(limit, 'Service', 259) as { certain: boolean }).certain, false);
    });
  });

  describe('verdicts', () => {
    it('at 252 from the setting: errors for what 253 and later added, naming the version and the target', () => {
      const all = findings(SERVICE, resolveSystemdVersion('252'));
      const steps = onKey(all, SERVICE, 'RestartSteps');
      assert.deepEqual(
        steps.map((f) => [f.rule, f.severity]),
        [['directive-not-in-version', 'error']],
      );
      assert.match(
        steps[0]!.message,
        /added in systemd 254; the target is systemd 252 \(from the systemdVersion setting\)/,
      );
      assert.match(onKey(all, SERVICE, 'PrivatePIDs')[0]!.message, /added in systemd 257/);
      assert.equal(onKey(all, SERVICE, 'UpheldBy')[0]?.rule, 'directive-not-in-version');
      // Never "unknown" for a name some release knows.
      assert.ok(!all.some((f) => f.rule === 'unknown-directive'));
      // MemoryLimit= still works in 252: only deprecated.
      assert.deepEqual(
        onKey(all, SERVICE, 'MemoryLimit').map((f) => f.rule),
        ['deprecated-directive'],
      );
    });

    it('at 257: only what 258 and later changed', () => {
      const all = findings(SERVICE, resolveSystemdVersion('257'));
      assert.ok(!all.some((f) => f.rule === 'directive-not-in-version'), JSON.stringify(all));
    });

    it('at the newest release: cgroup v1 settings are accepted but ignored, a warning with the replacement', () => {
      const all = findings(SERVICE, resolveSystemdVersion(String(NEWEST)));
      const memory = onKey(all, SERVICE, 'MemoryLimit');
      assert.deepEqual(
        memory.map((f) => [f.rule, f.severity]),
        [['directive-not-in-version', 'warning']],
      );
      assert.match(memory[0]!.message, /ignored since systemd 258 to 262/);
      assert.ok(memory[0]!.fixes!.some((fix) => fix.edits[0]!.newText === 'MemoryMax'));
    });

    it('between two sampled releases with no NEWS witness: no verdict', () => {
      // MemoryLimit= went between 258 and 262: at 259 we cannot tell.
      const all = findings(SERVICE, resolveSystemdVersion('259'));
      assert.deepEqual(
        onKey(all, SERVICE, 'MemoryLimit').map((f) => f.rule),
        ['deprecated-directive'],
      );
    });

    it('assumed target: warnings, never errors', () => {
      const all = findings(SERVICE.replace('PrivatePIDs=yes', 'RestartRandomizedDelaySec=5s'), undefined);
      const versioned = all.filter((f) => f.rule === 'directive-not-in-version');
      assert.ok(versioned.length > 0);
      assert.ok(versioned.every((f) => f.severity === 'warning'));
      // Assumed at 245: RestartSteps= is too new, but only a warning.
      const old = findings(SERVICE, { version: 245, label: 'systemd 245 (test)', assumed: true });
      assert.deepEqual(
        onKey(old, SERVICE, 'RestartSteps').map((f) => f.severity),
        ['warning'],
      );
    });

    it('judges a value added after its directive at the target', () => {
      const text = '[Service]\nType=notify-reload\nExecStart=/usr/bin/gunicorn app:app\n';
      const at = (v: string) =>
        findings(text, resolveSystemdVersion(v)).filter((f) => f.rule === 'invalid-directive-value');
      assert.match(at('252')[0]!.message, /needs systemd 253/);
      assert.deepEqual(at('253'), []);
    });

    it('accepts the emergency actions systemd added after 252 only from then on', () => {
      // 252's systemd-analyze verify refuses SuccessAction=halt; 254's and 257's accept it.
      const text = '[Unit]\nSuccessAction=halt\n[Service]\nExecStart=/bin/true\n';
      const bad = (v: string) =>
        findings(text, resolveSystemdVersion(v)).filter((f) => f.rule === 'invalid-directive-value').length;
      assert.deepEqual([bad('252'), bad('254'), bad('257')], [1, 0, 0]);
    });

    it('accepts PrivateTmp=disconnected from 257, and quotes inside an Environment= word', () => {
      // NEWS 257 adds the value; 252's and 254's verify refuse it, 257's accepts it. systemd 262 ships
      // Environment=SHELL_PROMPT_PREFIX="pre-basic " in its own units.
      const text =
        '[Service]\nExecStart=/bin/true\nPrivateTmp=disconnected\nEnvironment=PROMPT="pre-basic " B=1\n';
      const bad = (v: string) =>
        findings(text, resolveSystemdVersion(v))
          .filter((f) => f.rule === 'invalid-directive-value')
          .map((f) => f.range.start.line);
      assert.deepEqual(bad('254'), [2]);
      assert.deepEqual(bad('257'), []);
    });

    it('still reports names no release knows', () => {
      const text = '[Service]\nExecStart=/bin/true\nRestartStepz=5\n';
      const all = findings(text, resolveSystemdVersion('257'));
      assert.deepEqual(
        all.filter((f) => f.range.start.line === 2).map((f) => f.rule),
        ['unknown-directive'],
      );
    });
  });

  describe('hover and completion', () => {
    const doc = parseDocument('systemd', SERVICE);
    const ctx = (target: SystemdTarget) => ({
      uri: 'file:///srv/app.service',
      path: '/srv/app.service',
      version: [23, 0, 0] as [number, number, number],
      versionLabel: '23.0.0',
      systemd: target,
    });

    it('hover says since when, and what the target makes of it', () => {
      const at = SERVICE.indexOf('RestartSteps') + 2;
      const old = doc.hover(at, ctx(resolveSystemdVersion('252')))!.markdown;
      assert.match(old, /Since systemd 254/);
      assert.match(old, /Not in systemd 252/);
      assert.match(old, /Target: systemd 252 \(from the systemdVersion setting\)/);
      const now = doc.hover(at, ctx(resolveSystemdVersion('257')))!.markdown;
      assert.doesNotMatch(now, /Not in systemd/);
      const memory = doc.hover(
        SERVICE.indexOf('MemoryLimit') + 2,
        ctx(resolveSystemdVersion(String(NEWEST))),
      )!;
      assert.match(memory.markdown, /ignored since systemd 258 to 262/);
    });

    it('completion offers the target release\u2019s directives', () => {
      const text = '[Service]\nExecStart=/bin/true\n\n';
      const labels = (v: string) =>
        parseDocument('systemd', text)
          .completions(text.length, ctx(resolveSystemdVersion(v)))
          .entries.map((e) => e.label);
      assert.ok(!labels('252').includes('RestartSteps'));
      assert.ok(labels('254').includes('RestartSteps'));
      assert.ok(labels('257').includes('MemoryLimit'));
      assert.ok(!labels(String(NEWEST)).includes('MemoryLimit'));
    });
  });
});
