// The deployment template: the generated files pass our own analyzers without errors or warnings, agree with each
// other (socket, timeouts, stop and reload), and bad answers come back as clear problems.

import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { parseVersion } from '../../server/src/core/version';
import {
  DeploymentAnswerError,
  newDeployment,
  planDeployment,
  type DeploymentAnswers,
  type GeneratedFile,
} from '../../server/src/deployment/template';
import { detectLanguage, parseDocument, type LanguageId } from '../../server/src/languages/registry';

const BASE: DeploymentAnswers = {
  name: 'shop',
  app: 'shop.wsgi:application',
  projectDir: '/srv/shop',
  serverName: 'shop.example.com',
  gunicornVersion: '26.1.0',
};

/** Answers that cover every branch of the template: versions, worker classes, socket kinds, home directories. */
const VARIANTS: { label: string; answers: Partial<DeploymentAnswers> }[] = [
  { label: 'defaults', answers: {} },
  { label: 'gthread on 23.0', answers: { workerClass: 'gthread', gunicornVersion: '23.0.0' } },
  { label: 'gevent on 20.1 (Debian)', answers: { workerClass: 'gevent', gunicornVersion: '20.1.0' } },
  { label: 'asgi on 24.0', answers: { workerClass: 'asgi', gunicornVersion: '24.0.0' } },
  { label: 'uvicorn-worker', answers: { workerClass: 'uvicorn_worker.UvicornWorker' } },
  { label: 'deprecated uvicorn worker', answers: { workerClass: 'uvicorn.workers.UvicornWorker' } },
  { label: 'own worker class', answers: { workerClass: 'shop.workers.Worker', gunicornVersion: '25.1.0' } },
  { label: 'Gunicorn 19.9 (no notify)', answers: { gunicornVersion: '19.9.0' } },
  { label: 'loopback TCP', answers: { socket: '127.0.0.1:8000', workers: 5 } },
  { label: 'socket outside /run', answers: { socket: '/srv/shop/run/gunicorn.sock' } },
  { label: 'socket in another /run dir', answers: { socket: 'unix:/run/web/app.sock', user: 'shop' } },
  {
    label: 'project in a home directory',
    answers: { projectDir: '/home/deploy/shop', venv: '/home/deploy/.virtualenvs/shop', user: 'deploy' },
  },
  { label: 'defaults from the name only', answers: { projectDir: undefined, serverName: undefined } },
];

function answersOf(partial: Partial<DeploymentAnswers>): DeploymentAnswers {
  const merged = { ...BASE, ...partial };
  for (const key of Object.keys(merged) as (keyof DeploymentAnswers)[]) {
    if (merged[key] === undefined) delete merged[key];
  }
  return merged;
}

function fileOf(files: GeneratedFile[], suffix: string): string {
  const found = files.find((f) => f.path.endsWith(suffix));
  if (!found) {
    throw new Error(`no generated file ending in ${suffix}: ${files.map((f) => f.path).join(', ')}`);
  }
  return found.text;
}

/** Runs the analyzer the registry picks for each generated file's path, as the CLI does for a directory. */
function analyzeAll(
  files: GeneratedFile[],
  version: string,
): { path: string; language: LanguageId; findings: Finding[] }[] {
  const units = new Set(
    files.map((f) => f.path.split('/').pop()!).filter((n) => /\.(service|socket)$/.test(n)),
  );
  return files.map((file) => {
    const path = `/work/project/${file.path}`;
    const language = detectLanguage(path);
    const findings = parseDocument(language, file.text).analyze({
      uri: `file://${path}`,
      path,
      version: parseVersion(version)!,
      versionLabel: version,
      workspaceUnits: units,
    });
    return { path: file.path, language, findings };
  });
}

/** `Key=value` of a unit file (the last one wins, as for systemd's single-value keys). */
function unitValue(text: string, key: string): string | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith(`${key}=`));
  return lines.length > 0 ? lines[lines.length - 1]!.slice(key.length + 1) : undefined;
}

/** `name = value` of the generated Python config (simple literals only). */
function pyValue(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name} = (.*)$`, 'm').exec(text);
  if (!m) return undefined;
  const raw = m[1]!;
  return raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
}

/** The arguments of an nginx directive (first occurrence). */
function nginxArgs(text: string, directive: string): string[] | undefined {
  const m = new RegExp(`^\\s*${directive}\\s+([^;]*);`, 'm').exec(text);
  return m ? m[1]!.trim().split(/\s+/) : undefined;
}

function seconds(value: string): number {
  const m = /^(\d+)(s|m)?$/.exec(value);
  if (!m) throw new Error(`not a simple time: ${value}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

function problemsOf(partial: Partial<DeploymentAnswers>): string[] {
  try {
    planDeployment(answersOf(partial));
  } catch (error) {
    if (error instanceof DeploymentAnswerError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('deployment template', () => {
  it('writes the four files under the names the registry recognises', () => {
    const files = newDeployment(BASE);
    assert.deepEqual(
      files.map((f) => f.path),
      ['gunicorn.conf.py', 'deploy/shop.service', 'deploy/shop.socket', 'deploy/nginx/shop.conf'],
    );
    assert.deepEqual(
      analyzeAll(files, '26.1.0').map((r) => r.language),
      ['gunicorn', 'systemd', 'systemd', 'nginx'],
    );
    for (const file of files) {
      assert.ok(file.text.endsWith('\n') && !file.text.endsWith('\n\n'), `${file.path} ends in one newline`);
      assert.ok(!/[ \t]$/m.test(file.text), `${file.path} has no trailing spaces`);
      assert.ok(file.text.startsWith('#'), `${file.path} opens with a comment saying what it is`);
    }
  });

  it('is deterministic', () => {
    assert.deepEqual(newDeployment(BASE), newDeployment({ ...BASE }));
  });

  for (const variant of VARIANTS) {
    it(`passes our analyzers without errors or warnings: ${variant.label}`, () => {
      const answers = answersOf(variant.answers);
      const files = newDeployment(answers);
      const loud = analyzeAll(files, answers.gunicornVersion).flatMap(({ path, findings }) =>
        findings
          .filter((f) => f.severity === 'error' || f.severity === 'warning')
          .map((f) => `${path}:${f.range.start.line + 1} ${f.severity} ${f.rule} ${f.message}`),
      );
      assert.deepEqual(loud, []);
    });
  }

  it('the analyzers used above do see mistakes in the same files', () => {
    const broken = newDeployment(BASE).map((f) => ({
      ...f,
      text: f.text
        .replace('graceful_timeout = 30', 'graceful_timout = 30')
        .replace('KillMode=mixed', 'KillMode=mixd')
        .replace('ListenStream=', 'ListenStreem=')
        .replace('proxy_read_timeout', 'proxy_read_timout'),
    }));
    const found = analyzeAll(broken, '26.1.0').map(({ path, findings }) => [
      path,
      findings
        .filter((f) => f.severity === 'error' || f.severity === 'warning')
        .map((f) => f.rule)
        .sort(),
    ]);
    assert.deepEqual(found, [
      ['gunicorn.conf.py', ['unknown-setting']],
      ['deploy/shop.service', ['invalid-directive-value']],
      ['deploy/shop.socket', ['missing-listen', 'unknown-directive']],
      ['deploy/nginx/shop.conf', ['nginx-unknown-directive']],
    ]);
  });

  it('the default deployment draws no finding at all, not even info', () => {
    const all = analyzeAll(newDeployment(BASE), '26.1.0').flatMap(({ path, findings }) =>
      findings.map((f) => `${path} ${f.severity} ${f.rule}`),
    );
    assert.deepEqual(all, []);
  });

  describe('consistency', () => {
    for (const variant of VARIANTS) {
      it(`the files agree with each other: ${variant.label}`, () => {
        const answers = answersOf(variant.answers);
        const plan = planDeployment(answers);
        const files = newDeployment(answers);
        const config = fileOf(files, 'gunicorn.conf.py');
        const service = fileOf(files, `${plan.name}.service`);
        const socket = fileOf(files, `${plan.name}.socket`);
        const nginx = fileOf(files, `nginx/${plan.name}.conf`);

        // One address everywhere: Gunicorn's bind, systemd's ListenStream=, nginx's upstream server.
        const listen = unitValue(socket, 'ListenStream');
        assert.ok(listen);
        const bind = pyValue(config, 'bind');
        const upstream = nginxArgs(nginx, 'server')!;
        if (listen.startsWith('/')) {
          assert.equal(bind, `unix:${listen}`);
          assert.equal(upstream[0], `unix:${listen}`);
          assert.equal(unitValue(socket, 'SocketUser'), 'www-data');
          assert.equal(unitValue(socket, 'SocketMode'), '0660');
        } else {
          assert.equal(bind, listen);
          assert.equal(upstream[0], listen);
        }
        assert.ok(upstream.includes('fail_timeout=0'));
        assert.match(nginx, new RegExp(`^upstream ${plan.name} \\{$`, 'm'));
        assert.deepEqual(nginxArgs(nginx, 'proxy_pass'), [`http://${plan.name}`]);

        // The service starts the right Gunicorn with this config, through the socket unit.
        assert.equal(unitValue(service, 'Requires'), `${plan.name}.socket`);
        assert.match(unitValue(service, 'After') ?? '', new RegExp(`\\b${plan.name}\\.socket\\b`));
        assert.equal(
          unitValue(service, 'ExecStart'),
          `${plan.venv}/bin/gunicorn --config ${plan.projectDir}/gunicorn.conf.py ${plan.app}`,
        );
        assert.equal(unitValue(service, 'WorkingDirectory'), plan.projectDir);
        assert.equal(unitValue(service, 'User'), plan.user);
        assert.equal(unitValue(service, 'Type'), plan.version[0] >= 20 ? 'notify' : 'exec');
        assert.equal(unitValue(service, 'KillMode'), 'mixed');
        assert.equal(unitValue(service, 'ExecReload'), '/bin/kill -s HUP $MAINPID');
        assert.equal(unitValue(socket, 'WantedBy'), 'sockets.target');

        // Stop and read timeouts outlast Gunicorn's.
        const graceful = Number(pyValue(config, 'graceful_timeout'));
        const timeout = Number(pyValue(config, 'timeout'));
        assert.ok(seconds(unitValue(service, 'TimeoutStopSec')!) > graceful);
        assert.ok(seconds(nginxArgs(nginx, 'proxy_read_timeout')![0]!) >= timeout);

        // The runtime directory is the socket's when the socket is under /run/<dir>/, and survives a stop then.
        const runtime = unitValue(service, 'RuntimeDirectory');
        const socketDir = /^\/run\/([^/]+)\/[^/]+$/.exec(listen)?.[1];
        assert.equal(runtime, socketDir ?? plan.name);
        assert.equal(
          unitValue(service, 'RuntimeDirectoryPreserve'),
          listen.startsWith(`/run/${runtime}/`) ? 'yes' : undefined,
        );
        const control = pyValue(config, 'control_socket');
        if (plan.version[0] > 25 || (plan.version[0] === 25 && plan.version[1] >= 1)) {
          assert.equal(control, `/run/${runtime}/gunicorn.ctl`);
        } else {
          assert.equal(control, undefined, 'control_socket does not exist before 25.1');
        }

        // Trusted proxies: never everyone.
        const trusted = pyValue(config, 'forwarded_allow_ips') ?? '';
        assert.ok(!trusted.includes('*'));
        assert.deepEqual(trusted.split(','), ['127.0.0.1', '::1']);

        // Static files: location and alias both end in a slash.
        const staticLocation = /location (\S+) \{\s*(?:#.*\s*)*alias (\S+);/.exec(nginx);
        assert.ok(staticLocation);
        assert.ok(staticLocation[1]!.endsWith('/') && staticLocation[2]!.endsWith('/'));
        assert.equal(staticLocation[2], `${plan.projectDir}/static/`);

        // nginx sends what Gunicorn needs and buffers for it.
        for (const header of ['Host', 'X-Forwarded-For', 'X-Forwarded-Proto']) {
          assert.match(nginx, new RegExp(`proxy_set_header ${header} \\$`));
        }
        assert.deepEqual(nginxArgs(nginx, 'proxy_buffering'), ['on']);
        assert.deepEqual(nginxArgs(nginx, 'server_name'), plan.serverName.split(' '));

        // The worker settings.
        assert.equal(pyValue(config, 'workers'), String(plan.workers));
        assert.equal(pyValue(config, 'worker_class'), plan.workerClass);
        assert.equal(pyValue(config, 'threads'), plan.workerClass === 'gthread' ? '4' : undefined);
        const asyncWorker = !['sync', 'gthread', 'shop.workers.Worker'].includes(plan.workerClass);
        assert.equal(unitValue(service, 'LimitNOFILE'), asyncWorker ? '65536' : undefined);
        const inHome = plan.projectDir.startsWith('/home/');
        assert.equal(unitValue(service, 'ProtectHome'), inHome ? undefined : 'true');
      });
    }

    it('states the worker count as (2 x cores) + 1 in a comment next to a fixed number', () => {
      const config = fileOf(newDeployment(BASE), 'gunicorn.conf.py');
      assert.match(config, /# \(2 x CPU cores\) \+ 1[^\n]*\n(#[^\n]*\n)*workers = 3\n/);
      assert.ok(!/^[^#\n]*cpu_count/m.test(config), 'the number is fixed, not computed on the server');
    });

    it('fills the defaults from the name', () => {
      const plan = planDeployment({ name: 'blog', app: 'blog.app:app', gunicornVersion: '23.0.0' });
      assert.equal(plan.projectDir, '/srv/blog');
      assert.equal(plan.venv, '/srv/blog/.venv');
      assert.equal(plan.user, 'www-data');
      assert.equal(plan.serverName, 'blog.example.com');
      assert.equal(plan.workers, 3);
      assert.equal(plan.workerClass, 'sync');
      assert.equal(plan.socketPath, '/run/blog/gunicorn.sock');
      assert.equal(plan.runtimeDirectory, 'blog');
      assert.deepEqual(plan.notes, []);
    });

    it('replaces a deprecated worker class by its successor and says so', () => {
      const plan = planDeployment({ ...BASE, workerClass: 'uvicorn.workers.UvicornWorker' });
      assert.equal(plan.workerClass, 'uvicorn_worker.UvicornWorker');
      assert.equal(plan.notes.length, 1);
      assert.match(plan.notes[0]!, /uvicorn\.workers\.UvicornWorker.*uvicorn_worker\.UvicornWorker/);
    });
  });

  describe('answer validation', () => {
    const cases: { label: string; answers: Partial<DeploymentAnswers>; expect: RegExp }[] = [
      { label: 'a name with a space', answers: { name: 'my shop' }, expect: /^name 'my shop'/ },
      { label: 'a name with a slash', answers: { name: '../etc' }, expect: /^name '\.\.\/etc'/ },
      { label: 'a name with a dot', answers: { name: 'shop.service' }, expect: /^name 'shop\.service'/ },
      { label: 'an empty name', answers: { name: '' }, expect: /^name ''/ },
      {
        label: 'an app without a callable',
        answers: { app: 'shop.wsgi' },
        expect: /^app 'shop\.wsgi' must be module:callable/,
      },
      {
        label: 'an app given as a file',
        answers: { app: 'shop/wsgi.py:app' },
        expect: /^app 'shop\/wsgi\.py:app'/,
      },
      {
        label: 'a relative project directory',
        answers: { projectDir: 'srv/shop' },
        expect: /^project directory must be an absolute path/,
      },
      {
        label: 'a project directory with a space',
        answers: { projectDir: '/srv/my shop' },
        expect: /^project directory '\/srv\/my shop' contains a space/,
      },
      {
        label: 'a project directory with ..',
        answers: { projectDir: '/srv/../etc' },
        expect: /must not contain \. or \.\. segments/,
      },
      {
        label: 'the root as project directory',
        answers: { projectDir: '/' },
        expect: /must name a directory below \//,
      },
      {
        label: 'a trailing slash',
        answers: { projectDir: '/srv/shop/' },
        expect: /without a trailing or doubled slash/,
      },
      {
        label: 'a relative virtualenv',
        answers: { venv: '.venv' },
        expect: /^virtualenv must be an absolute path/,
      },
      {
        label: 'a percent sign (a systemd specifier)',
        answers: { venv: '/srv/%i/venv' },
        expect: /^virtualenv '\/srv\/%i\/venv' contains/,
      },
      { label: 'root as the user', answers: { user: 'root' }, expect: /should not run as root/ },
      {
        label: 'an invalid user name',
        answers: { user: 'Web User' },
        expect: /^user 'Web User' is not a valid account name/,
      },
      {
        label: 'a server name with a semicolon',
        answers: { serverName: 'a.com; evil' },
        expect: /^server name 'a\.com; evil'/,
      },
      { label: 'zero workers', answers: { workers: 0 }, expect: /^workers must be a whole number/ },
      { label: 'fractional workers', answers: { workers: 2.5 }, expect: /^workers must be a whole number/ },
      {
        label: 'an unknown worker shortcut',
        answers: { workerClass: 'gthreads' },
        expect:
          /^worker class 'gthreads' is not a shortcut Gunicorn 26\.1\.0 knows; use one of sync, gthread/,
      },
      {
        label: 'a removed worker class',
        answers: { workerClass: 'eventlet' },
        expect: /^worker class 'eventlet' was removed in Gunicorn 26\.0\.0/,
      },
      {
        label: 'a worker class too new',
        answers: { workerClass: 'asgi', gunicornVersion: '23.0.0' },
        expect: /^worker class 'asgi' needs Gunicorn 24\.0\.0/,
      },
      {
        label: 'a deprecated worker class without successor',
        answers: { workerClass: 'eventlet', gunicornVersion: '25.0.0' },
        expect: /^worker class 'eventlet' is deprecated/,
      },
      {
        label: 'a worker class with a space',
        answers: { workerClass: 'gevent; rm' },
        expect: /must be a Gunicorn shortcut/,
      },
      { label: 'a socket under /tmp', answers: { socket: '/tmp/shop.sock' }, expect: /is under \/tmp/ },
      {
        label: 'a relative socket',
        answers: { socket: 'shop.sock' },
        expect: /must be an absolute Unix socket path/,
      },
      {
        label: 'a public TCP socket',
        answers: { socket: '0.0.0.0:8000' },
        expect: /or a loopback address such as 127\.0\.0\.1:8000/,
      },
      { label: 'a port out of range', answers: { socket: '127.0.0.1:70000' }, expect: /loopback address/ },
      {
        label: 'a socket path too long',
        answers: { socket: `/run/${'x'.repeat(120)}.sock` },
        expect: /longer than the 107 bytes/,
      },
      {
        label: 'a version that is not one',
        answers: { gunicornVersion: 'latest' },
        expect: /^Gunicorn version 'latest' is not a version/,
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.label}`, () => {
        const problems = problemsOf(c.answers);
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0]!, c.expect);
        assert.throws(() => newDeployment(answersOf(c.answers)), DeploymentAnswerError);
      });
    }

    it('reports every bad answer at once', () => {
      const problems = problemsOf({ name: 'a b', app: 'x', projectDir: 'rel', user: 'root', workers: -1 });
      assert.equal(problems.length, 5, problems.join('\n'));
    });

    it('does not repeat a bad name through the defaults built from it', () => {
      const problems = problemsOf({ name: 'a b', projectDir: undefined, serverName: undefined });
      assert.deepEqual(problems.length, 1, problems.join('\n'));
    });

    it('accepts the forms Gunicorn accepts', () => {
      for (const ok of [
        { app: 'main:app' },
        { app: 'pkg.sub.module:create_app()' },
        { serverName: 'example.com www.example.com' },
        { serverName: '*.example.com' },
        { serverName: '_' },
        { socket: 'unix:/run/shop/web.sock' },
        { socket: '[::1]:8000' },
        { socket: 'localhost:8000' },
        { user: 'deploy_user-1' },
        { workerClass: 'gevent_pywsgi' },
        { name: 'Shop_2-api' },
      ] as Partial<DeploymentAnswers>[]) {
        assert.deepEqual(problemsOf(ok), [], JSON.stringify(ok));
      }
    });
  });
});
