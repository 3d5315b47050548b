// Oracle: the real nginx (Debian 12's 1.22.1 and Debian 13's 1.26.3) judges the fixture configurations in
// test/fixtures/nginx with `nginx -t`; our generic nginx rules, targeted at that nginx version as if the user had set
// it (gunicornConfig.nginxVersion), must agree: nginx fails exactly when we report an error, and the line nginx names
// is one of our error lines. Files named site-*.conf are site files, included inside `http {}` by a wrapper.

import { strict as assert } from 'node:assert';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { parseNginxConfig, type NginxModel } from '../../server/src/languages/nginx/parse';
import { genericNginxRules } from '../../server/src/languages/nginx/rules/genericRules';
import { indexNginxWorkspace } from '../../server/src/languages/nginx/workspace';
import { JUDGE_SETS, requireJudge, type JudgeSet, type JudgeSetName } from '../helpers/judges';
import { gunicornTarget, nginxTarget } from '../helpers/targets';
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'nginx');

/**
 * Fixtures where nginx and we disagree by design, each with its reason. `side` says who reports an error the other
 * does not.
 */
const ALLOWED: { fixture: string; judge?: JudgeSetName; side: 'nginx' | 'ours'; reason: string }[] = [
  {
    fixture: 'site-proxy-protocol-tlv.conf',
    judge: 'bookworm',
    side: 'nginx',
    reason:
      'no rule checks variable names yet; nginx 1.22 does not know $proxy_protocol_tlv_* (added in 1.23.2)',
  },
];

/**
 * Fixtures the two nginx releases judge differently (a directive or variable added after 1.22, one removed), with each judge's
 * own verdict: the judge must give it, and our analysis, targeted at that judge's version, must follow it.
 */
const VERSIONED: Record<string, Record<JudgeSetName, 'accepts' | 'rejects'>> = {
  'site-http2-on.conf': { bookworm: 'rejects', trixie: 'accepts' },
  'site-proxy-protocol-tlv.conf': { bookworm: 'rejects', trixie: 'accepts' },
  'site-ssl-directive.conf': { bookworm: 'accepts', trixie: 'rejects' },
  'site-version-newer.conf': { bookworm: 'rejects', trixie: 'accepts' },
};

interface Verdict {
  ok: boolean;
  /** nginx's first [emerg] line. */
  message: string;
  /** The 1-based line nginx names, when it names one in the fixture. */
  line: number | undefined;
}

const isSite = (name: string): boolean => name.startsWith('site-');

class Judge {
  readonly dir = mkdtempSync(join(tmpdir(), 'nginx-rules-oracle-'));
  private readonly root = join(this.dir, 'root');

  constructor(private readonly set: JudgeSet) {
    for (const sub of ['etc/nginx/conf.d', 'var/log/nginx', 'run', 'srv/app/static', 'temp', 'logs']) {
      mkdirSync(join(this.root, sub), { recursive: true });
    }
    symlinkSync(set.nginx.modulesDir, join(this.dir, 'modules'));
    writeFileSync(
      join(this.root, 'etc/nginx/mime.types'),
      'types {\n    text/html html;\n    text/css css;\n}\n',
    );
    writeFileSync(
      join(this.root, 'etc/nginx/proxy_params'),
      'proxy_set_header Host $http_host;\nproxy_set_header X-Real-IP $remote_addr;\n' +
        'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\nproxy_set_header X-Forwarded-Proto $scheme;\n',
    );
    writeFileSync(join(this.root, 'etc/nginx/api-hosts.map'), 'internal.example.com 1;\n');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Absolute paths (/etc, /var, /run, /srv) move under the temp dir, so nothing outside it is read or written. */
  private remap(text: string): string {
    return text.replace(/(^|[\s=:'"])\/(etc|var|run|srv)\//g, `$1${this.root}/$2/`);
  }

  /**
   * Our own logs and temp files for http, added on the `http {` line itself so every line number stays the same:
   * nginx's compiled-in defaults point under /var, which a non-root user cannot write.
   */
  private httpDefaults(): string {
    const temp = join(this.root, 'temp');
    return [
      `access_log ${this.root}/logs/access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${temp}/${t};`),
    ].join(' ');
  }

  run(name: string, text: string): Verdict {
    const file = join(this.dir, name);
    let main = file;
    if (isSite(name)) {
      writeFileSync(file, this.remap(text));
      main = join(this.dir, 'nginx.conf');
      writeFileSync(main, `events {\n}\nhttp {\n${this.httpDefaults()}\ninclude ${file};\n}\n`);
    } else {
      writeFileSync(file, this.remap(text).replace(/^(\s*http\s*\{)/m, `$1 ${this.httpDefaults()}`));
    }
    const globals = `pid ${join(this.dir, 'nginx.pid')}; error_log stderr;`;
    const r = this.set.nginx.run(['-t', '-q', '-p', `${this.dir}/`, '-c', main, '-g', globals]);
    const output = `${r.stderr}${r.stdout}`;
    const message = output.split('\n').find((l) => l.includes('[emerg]')) ?? output.trim();
    const at = new RegExp(` in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)$`).exec(message);
    return { ok: r.status === 0, message, line: at ? Number(at[1]) : undefined };
  }
}

function ourErrors(
  set: JudgeSet,
  name: string,
  text: string,
  inferred = false,
): { model: NginxModel; errors: Finding[] } {
  // The host knows a site file is included inside http; nginx.conf is the main file.
  const model = parseNginxConfig(text, isSite(name) && !inferred ? { rootContext: 'http' } : {});
  const path = isSite(name) ? `/etc/nginx/sites-available/${name}` : '/etc/nginx/nginx.conf';
  // A main file is the whole configuration nginx reads: what it loads (load_module) is known.
  const workspace = isSite(name)
    ? {}
    : indexNginxWorkspace({ seeds: [path], allPaths: [path], read: () => text }).factsFor(path);
  const findings = analyzeNginxConfig(model, {
    uri: `file://${path}`,
    path,
    workspace,
    ...gunicornTarget(set),
    rules: genericNginxRules,
    ...nginxTarget(set),
  });
  return { model, errors: findings.filter((f) => f.severity === 'error') };
}

/** The 1-based line where nginx stops reading a directive whose ";" is missing: the next ";", "{" or "}" it meets. */
function gluedUntil(model: NginxModel, finding: Finding): number {
  const offset = model.lines.offsetAt(finding.range.start);
  const directive = model.all.find((d) => d.end === 'missing' && d.span.to === offset);
  if (!directive) return finding.range.start.line + 1;
  const siblings = directive.parent?.block?.children ?? model.directives;
  const next = siblings[siblings.indexOf(directive) + 1];
  const end = next
    ? (next.semicolon?.to ?? next.block?.open.to ?? next.span.to)
    : (directive.parent?.block?.close?.to ?? model.text.length);
  return model.lines.positionAt(end).line + 1;
}

/**
 * True when one of our errors stands for nginx's complaint. Tolerances, all about where nginx notices a problem:
 * - a missing ";": nginx reads on into the next directive and names the line where the glued words end (or the
 *   "}" it meets); our error sits on the line that lacks the ";", so any line from ours up to that end counts;
 * - "unexpected end of file": nginx names the last line; our unclosed block, open quote or missing ";" is where the
 *   problem starts, anywhere before;
 * - "no servers are inside upstream": nginx names the upstream's closing brace, we name the upstream.
 */
function matches(model: NginxModel, errors: readonly Finding[], verdict: Verdict): boolean {
  if (/unexpected end of file/.test(verdict.message)) {
    return errors.some((e) => e.rule === 'nginx-syntax');
  }
  if (verdict.line === undefined) return false;
  const line = verdict.line;
  return errors.some((e) => {
    const ours = e.range.start.line + 1;
    if (ours === line) return true;
    // nginx notices an empty upstream at its closing brace; ours is on its name, inside the same block.
    if (e.rule === 'nginx-empty-upstream' && /no servers are inside upstream/.test(verdict.message)) {
      return ours < line;
    }
    return (
      e.rule === 'nginx-syntax' &&
      /^Missing ";"/.test(e.message) &&
      ours < line &&
      line <= gluedUntil(model, e)
    );
  });
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx ${set.nginx.version} against our generic nginx rules`, function () {
    this.timeout(60000);
    let judge: Judge | undefined;
    const fixtures = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.conf'))
      .sort();

    before(function () {
      requireJudge(this, set, 'nginx');
      judge = new Judge(set);
    });

    after(() => judge?.dispose());

    it('has enough fixtures, valid and invalid, for every rule', () => {
      assert.ok(fixtures.length >= 30, `${fixtures.length} fixtures`);
      for (const name of Object.keys(VERSIONED)) assert.ok(fixtures.includes(name), `no fixture ${name}`);
      const rules = new Set<string>();
      for (const name of fixtures) {
        for (const e of ourErrors(set, name, readFileSync(join(FIXTURES, name), 'utf8')).errors) {
          rules.add(e.rule);
        }
      }
      // An include cycle spans several files: the single-file fixtures cannot show it (its own test is below).
      const singleFile = genericNginxRules.map((r) => r.meta.id).filter((id) => id !== 'nginx-include-cycle');
      assert.deepEqual(
        [...rules].sort(),
        singleFile.sort(),
        'every single-file generic rule is exercised by some fixture',
      );
    });

    it('agrees with nginx -t on every fixture', () => {
      const disagreements: string[] = [];
      const summary = { agree: 0, allowed: 0, nginxFailed: 0 };
      for (const name of fixtures) {
        const text = readFileSync(join(FIXTURES, name), 'utf8');
        const verdict = judge!.run(name, text);
        const { model, errors } = ourErrors(set, name, text);
        const ours = errors.map((e) => `${e.range.start.line + 1}:${e.rule}`).join(', ') || 'no errors';
        if (!verdict.ok) summary.nginxFailed++;
        let problem: string | undefined;
        const expected = VERSIONED[name]?.[set.name];
        if (expected && verdict.ok !== (expected === 'accepts')) {
          disagreements.push(
            `${name}: ${set.debian}'s nginx ${verdict.ok ? 'accepts' : 'rejects'} it, but the fixture expects it to ${expected.slice(0, -1)}`,
          );
        }
        if (verdict.ok && errors.length) problem = `nginx accepts it, we report ${ours}`;
        else if (!verdict.ok && !errors.length) {
          problem = `nginx fails (${verdict.message}), we report nothing`;
        } else if (!verdict.ok && !matches(model, errors, verdict)) {
          problem = `nginx fails on line ${verdict.line ?? '?'} (${verdict.message}), we report ${ours}`;
        }
        const allowed = ALLOWED.find((a) => a.fixture === name && (a.judge ?? set.name) === set.name);
        if (allowed) {
          assert.ok(problem, `${name} is listed in ALLOWED but nginx and we agree now`);
          summary.allowed++;
          continue;
        }
        if (problem) disagreements.push(`${name}: ${problem}`);
        else summary.agree++;
      }
      assert.deepEqual(disagreements, [], disagreements.join('\n'));
      assert.equal(summary.agree + summary.allowed, fixtures.length);
    });

    it('reports no more in a site file read on its own than when it is known to be inside http', () => {
      for (const name of fixtures.filter(isSite)) {
        const text = readFileSync(join(FIXTURES, name), 'utf8');
        const known = new Set(
          ourErrors(set, name, text).errors.map((e) => `${e.range.start.line}:${e.rule}`),
        );
        const extra = ourErrors(set, name, text, true).errors.filter(
          (e) => !known.has(`${e.range.start.line}:${e.rule}`),
        );
        assert.deepEqual(
          extra.map((e) => e.message),
          [],
          name,
        );
      }
    });
  });

  describe(`oracle: ${set.debian}'s nginx -t on files that include each other`, function () {
    this.timeout(60000);

    it('crashes instead of reporting an error, and we report the include that closes the loop', function () {
      requireJudge(this, set, 'nginx');
      const dir = mkdtempSync(join(tmpdir(), 'nginx-cycle-oracle-'));
      try {
        mkdirSync(join(dir, 'conf'));
        const files: Record<string, string> = {
          [join(dir, 'conf', 'nginx.conf')]:
            `events {}\nhttp {\n    access_log ${dir}/access.log;\n    include a.conf;\n}\n`,
          [join(dir, 'conf', 'a.conf')]: 'include b.conf;\n',
          [join(dir, 'conf', 'b.conf')]: '# back to the start\ninclude a.conf;\n',
        };
        for (const [path, text] of Object.entries(files)) writeFileSync(path, text);
        const result = set.nginx.run(
          [
            '-t',
            '-p',
            `${dir}/`,
            '-c',
            join(dir, 'conf', 'nginx.conf'),
            '-g',
            `pid ${dir}/nginx.pid; error_log stderr;`,
          ],
          { timeout: 30000 },
        );
        assert.notEqual(result.status, 0, 'nginx -t accepted an include loop');
        assert.doesNotMatch(result.stderr, /test is successful/);

        const workspace = indexNginxWorkspace({
          seeds: [join(dir, 'conf', 'nginx.conf')],
          allPaths: Object.keys(files),
          read: (path) => files[path],
        });
        const findings = Object.keys(files).flatMap((path) =>
          analyzeNginxConfig(
            parseNginxConfig(files[path]!, { rootContext: workspace.includedAt(path)?.context ?? 'main' }),
            {
              uri: `file://${path}`,
              path,
              ...gunicornTarget(set),
              workspace: workspace.factsFor(path),
              rules: genericNginxRules,
              ...nginxTarget(set),
            },
          )
            .filter((f) => f.severity === 'error')
            .map((f) => `${path.slice(dir.length + 1)}:${f.range.start.line + 1} ${f.rule}`),
        );
        assert.deepEqual(findings, ['conf/b.conf:2 nginx-include-cycle']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
