// Platform manifests as container launches: which files they are (render.yaml, App Engine app.yaml, fly.toml,
// Heroku/Dokku app.json), their Gunicorn command lines at document offsets, environment, routed port, checks,
// limits and stop facts (written, or the platform's documented default), CRLF/BOM and junk.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { ContainerLaunch } from '../../server/src/languages/commands/containerFacts';
import { platformDefault } from '../../server/src/languages/commands/orchestratorFacts';
import {
  parsePlatformManifest,
  platformManifestKind,
  type PlatformManifestKind,
} from '../../server/src/languages/commands/platformManifests';
import { fcParams } from './fuzzHelpers';
import { assertSpansInside, at, mutations, words } from './manifestHelpers';

function launches(path: string, text: string, kind: PlatformManifestKind): ContainerLaunch[] {
  const manifest = parsePlatformManifest(path, text);
  assert.equal(manifest?.kind, kind);
  assertSpansInside(text, manifest.launches);
  return manifest.launches;
}

function named(found: ContainerLaunch[], name: string): ContainerLaunch {
  const launch = found.find((l) => l.name === name);
  assert.ok(launch, `no launch named ${name} in ${found.map((l) => l.name).join(', ')}`);
  return launch;
}

const RENDER = `# Blueprint for the blog
services:
  - type: web
    name: blog
    runtime: python
    plan: starter
    buildCommand: pip install -r requirements.txt && python manage.py collectstatic --noinput
    startCommand: "python manage.py migrate && gunicorn blog.wsgi:application --bind 0.0.0.0:$PORT --workers 2"
    healthCheckPath: /healthz
    numInstances: 2
    envVars:
      - key: PYTHON_VERSION
        value: 3.12.4
      - key: SECRET_KEY
        generateValue: true
      - key: DATABASE_URL
        fromDatabase:
          name: blog-db
          property: connectionString
      - fromGroup: blog-settings
  - type: worker
    name: mailer
    runtime: python
    startCommand: celery -A blog worker
    maxShutdownDelaySeconds: 120
databases:
  - name: blog-db
`;

const APP_ENGINE = `runtime: python312
entrypoint: gunicorn -b :$PORT -w 2 --threads 8 main:app
instance_class: F2

env_variables:
  BUCKET_NAME: "blog-uploads"
  WEB_CONCURRENCY: 2

handlers:
  - url: /static
    static_dir: static
`;

const FLY = `# fly.toml app configuration file
app = 'recipes'
primary_region = 'ams'
kill_signal = 'SIGTERM'
kill_timeout = '45s'
console_command = '/code/manage.py shell'

[deploy]
  release_command = 'python manage.py migrate --noinput'

[env]
  PORT = '8000'
  DJANGO_SETTINGS_MODULE = "recipes.settings"

[processes]
  app = 'gunicorn --bind :8000 --workers 2 recipes.wsgi'
  worker = 'python -m celery -A recipes worker -l info'

[http_service]
  internal_port = 8000
  force_https = true
  processes = ['app']

  [[http_service.checks]]
    grace_period = "20s"
    interval = "15s"
    timeout = "2s"
    method = "GET"
    path = "/healthz"

[[vm]]
  memory = '1gb'
  cpu_kind = 'shared'
  cpus = 1
  processes = ['app']

[[vm]]
  memory_mb = 512
  processes = ['worker']
`;

const APP_JSON = `{
  "name": "Recipes",
  "repository": "https://github.com/example/recipes",
  "env": {
    "SECRET_KEY": { "description": "Django secret", "generator": "secret" },
    "WEB_CONCURRENCY": { "value": "3" },
    "DISABLE_COLLECTSTATIC": "1"
  },
  "formation": {
    "web": { "quantity": 2, "size": "standard-2x" },
    "worker": { "quantity": 1 }
  },
  "addons": ["heroku-postgresql"]
}
`;

describe('platform manifests: which files they are', () => {
  it('knows each platform by name, and shared names by content', () => {
    assert.equal(platformManifestKind('deploy/render.yaml', RENDER), 'render');
    assert.equal(platformManifestKind('render.yml', 'databases:\n  - name: db\n'), undefined);
    assert.equal(platformManifestKind('fly.toml', FLY), 'fly');
    assert.equal(platformManifestKind('fly.staging.toml', FLY), 'fly');
    assert.equal(platformManifestKind('pyproject.toml', FLY), undefined);
    assert.equal(platformManifestKind('app.json', APP_JSON), 'app-json');
    assert.equal(
      platformManifestKind('app.json', '{\n  "expo": {"name": "x"},\n  "env": {}\n}\n'),
      undefined,
    );
    assert.equal(platformManifestKind('app.json', '{\n  "compilerOptions": {}\n}\n'), undefined);
    assert.equal(
      platformManifestKind('app.json', JSON.stringify(JSON.parse(APP_JSON))),
      'app-json',
      'minified',
    );
    assert.equal(
      platformManifestKind('app.json', '{\n  "name": "x",\n  "formation": {'),
      'app-json',
      'being typed',
    );
    assert.equal(platformManifestKind('app.yaml', APP_ENGINE), 'app-engine');
    assert.equal(platformManifestKind('api.yaml', 'runtime: python312\nservice: api\n'), 'app-engine');
    assert.equal(platformManifestKind('app.yaml', 'name: shop\nruntime: 3.12\nreplicas: 2\n'), undefined);
    assert.equal(platformManifestKind('app.yaml', 'runtime: python39\n'), 'app-engine', 'runtime alone');
    assert.equal(platformManifestKind('other.yaml', 'runtime: python39\n'), undefined);
    assert.equal(platformManifestKind('docker-compose.yml', 'services:\n  web:\n    image: x\n'), undefined);
  });
});

describe('platform manifests: render.yaml', () => {
  const found = launches('render.yaml', RENDER, 'render');
  const blog = named(found, 'blog');

  it('reads the Gunicorn line of a startCommand that runs migrations first', () => {
    assert.equal(found.length, 2);
    assert.equal(blog.commands.length, 1);
    const command = blog.commands[0]!;
    assert.deepEqual(words(command), [
      'gunicorn',
      'blog.wsgi:application',
      '--bind',
      '0.0.0.0:$PORT',
      '--workers',
      '2',
    ]);
    assert.equal(command.form, 'shell');
    assert.deepEqual(command.shell, { commands: 2 });
    assert.equal(command.exact, true);
    assert.equal(command.words[3]?.dynamic, true, 'the shell expands $PORT');
    for (const word of command.words) assert.equal(at(RENDER, word), word.text);
    assert.deepEqual(named(found, 'mailer').commands, []);
  });

  it('reads env values, unknown generated values and groups', () => {
    assert.equal(blog.env.get('PYTHON_VERSION')?.value.value, '3.12.4');
    assert.equal(blog.env.get('SECRET_KEY')?.value.value, undefined);
    assert.equal(blog.env.get('DATABASE_URL')?.value.value, undefined);
    assert.equal(at(RENDER, blog.env.get('DATABASE_URL')?.nameSpan), 'DATABASE_URL');
    assert.equal(blog.unknownEnv.length, 1);
    assert.equal(at(RENDER, blog.unknownEnv[0]), 'fromGroup: blog-settings');
  });

  it("routes web services to $PORT (Render's default port), with the health check, plan and instances", () => {
    assert.equal(blog.portEnv?.value, true);
    assert.equal(blog.portEnvValue?.origin, 'default');
    assert.equal(blog.portEnvValue?.value, platformDefault<number>('render', 'defaultPort').value);
    assert.deepEqual(
      blog.probes.map((p) => [p.role, p.kind, p.path?.value]),
      [['health', 'http', '/healthz']],
    );
    assert.equal(blog.machineSize?.value, 'starter');
    assert.equal(blog.instances?.value, 2);
    assert.equal(named(found, 'mailer').portEnv, undefined, 'workers get no port');
  });

  it('takes the grace period from maxShutdownDelaySeconds, else the default', () => {
    assert.equal(blog.stopGrace.origin, 'default');
    assert.equal(blog.stopGrace.value, platformDefault<number>('render', 'stopGraceSeconds').value);
    const mailer = named(found, 'mailer');
    assert.equal(mailer.stopGrace.origin, 'file');
    assert.equal(mailer.stopGrace.value, 120);
    assert.equal(blog.stopSignal.value, platformDefault<string>('render', 'stopSignal').value);
  });

  it('takes a PORT from envVars as the routed port', () => {
    const text =
      'services:\n  - type: web\n    name: w\n    startCommand: gunicorn app:app\n    envVars:\n      - key: PORT\n        value: 8000\n';
    const launch = launches('render.yaml', text, 'render')[0]!;
    assert.equal(launch.portEnvValue?.origin, 'file');
    assert.equal(launch.portEnvValue?.value, 8000);
  });
});

describe('platform manifests: App Engine app.yaml', () => {
  it('reads the entrypoint, env and the instance class memory of the standard environment', () => {
    const [launch] = launches('app.yaml', APP_ENGINE, 'app-engine');
    assert.ok(launch);
    assert.equal(launch.orchestrator, 'app-engine-standard');
    assert.deepEqual(words(launch.commands[0]), [
      'gunicorn',
      '-b',
      ':$PORT',
      '-w',
      '2',
      '--threads',
      '8',
      'main:app',
    ]);
    assert.equal(at(APP_ENGINE, launch.commands[0]?.words[2]), ':$PORT');
    assert.equal(launch.env.get('BUCKET_NAME')?.value.value, 'blog-uploads');
    assert.equal(launch.env.get('WEB_CONCURRENCY')?.value.value, '2');
    assert.equal(launch.machineSize?.value, 'F2');
    const table = platformDefault<Record<string, number>>('app-engine-standard', 'instanceMemoryMB').value;
    assert.equal(launch.memoryLimit?.origin, 'file');
    assert.equal(launch.memoryLimit?.value, table!['F2']! * 2 ** 20);
    assert.equal(launch.portEnv?.value, true);
  });

  it("uses the default instance class's memory, B2 for basic or manual scaling", () => {
    const table = platformDefault<Record<string, number>>('app-engine-standard', 'instanceMemoryMB').value!;
    const automatic = launches(
      'app.yaml',
      'runtime: python311\nentrypoint: gunicorn main:app\n',
      'app-engine',
    )[0]!;
    const automaticClass = platformDefault<string>('app-engine-standard', 'defaultInstanceClass').value!;
    assert.equal(automatic.memoryLimit?.origin, 'default');
    assert.equal(automatic.memoryLimit?.value, table[automaticClass]! * 2 ** 20);
    const basic = launches(
      'app.yaml',
      'runtime: python311\nbasic_scaling:\n  max_instances: 2\n',
      'app-engine',
    )[0]!;
    const basicClass = platformDefault<string>(
      'app-engine-standard',
      'defaultInstanceClassBasicManual',
    ).value!;
    assert.equal(basic.memoryLimit?.value, table[basicClass]! * 2 ** 20);
    assert.deepEqual(basic.commands, [], 'no entrypoint: the runtime starts the app itself');
  });

  it('reads the flexible environment: resources, checks and its port', () => {
    const text = `runtime: python\nenv: flex\nentrypoint: gunicorn -b :$PORT main:app\nresources:\n  cpu: 2\n  memory_gb: 4\nliveness_check:\n  path: "/live"\n  check_interval_sec: 30\n  timeout_sec: 4\nreadiness_check:\n  path: "/ready"\n  app_start_timeout_sec: 300\n`;
    const launch = launches('app.yaml', text, 'app-engine')[0]!;
    assert.equal(launch.orchestrator, 'app-engine-flexible');
    assert.equal(launch.cpuLimit?.value, 2);
    assert.equal(launch.memoryLimit?.value, 4 * 2 ** 30);
    assert.deepEqual(
      launch.probes.map((p) => [
        p.role,
        p.path?.value,
        p.timeoutSeconds?.value,
        p.initialDelaySeconds?.value,
      ]),
      [
        ['liveness', '/live', 4, undefined],
        ['readiness', '/ready', undefined, 300],
      ],
    );
    assert.equal(
      launch.portEnvValue?.value,
      platformDefault<number>('app-engine-flexible', 'defaultPort').value,
    );
    assert.equal(launch.stopGrace.value, null, 'the documentation gives no grace period');
  });
});

describe('platform manifests: fly.toml', () => {
  const found = launches('fly.toml', FLY, 'fly');
  const app = named(found, 'app');

  it('makes one launch per process group, Gunicorn only where it runs', () => {
    assert.deepEqual(
      found.map((l) => l.name),
      ['app', 'worker'],
    );
    assert.deepEqual(words(app.commands[0]), [
      'gunicorn',
      '--bind',
      ':8000',
      '--workers',
      '2',
      'recipes.wsgi',
    ]);
    assert.equal(app.commands[0]?.form, 'exec');
    assert.equal(app.commands[0]?.exact, true);
    for (const word of app.commands[0]!.words) assert.equal(at(FLY, word), word.text);
    assert.deepEqual(named(found, 'worker').commands, []);
  });

  it('reads env, the routed port and checks of the groups they apply to', () => {
    assert.equal(app.env.get('DJANGO_SETTINGS_MODULE')?.value.value, 'recipes.settings');
    assert.equal(at(FLY, app.env.get('PORT')?.value.span), "'8000'");
    assert.deepEqual(
      app.ports.map((p) => [p.role, p.port.value]),
      [['routed', 8000]],
    );
    assert.equal(app.portEnv?.value, false, 'Fly sets no PORT');
    const check = app.probes[0];
    assert.equal(at(FLY, check?.span), '[[http_service.checks]]');
    assert.deepEqual(
      [
        check?.path?.value,
        check?.initialDelaySeconds?.value,
        check?.periodSeconds?.value,
        check?.timeoutSeconds?.value,
      ],
      ['/healthz', 20, 15, 2],
    );
    const worker = named(found, 'worker');
    assert.deepEqual(worker.ports, []);
    assert.deepEqual(worker.probes, []);
  });

  it('reads each group its [[vm]] size', () => {
    assert.equal(app.memoryLimit?.value, 2 ** 30);
    assert.equal(app.cpuLimit?.value, 1);
    assert.equal(named(found, 'worker').memoryLimit?.value, 512 * 2 ** 20);
  });

  it('reads kill_timeout and kill_signal, else Fly’s defaults', () => {
    assert.equal(app.stopGrace.origin, 'file');
    assert.equal(app.stopGrace.value, 45);
    assert.equal(app.stopSignal.value, 'SIGTERM');
    const bare = launches('fly.toml', "app = 'x'\n[processes]\n  app = 'gunicorn app:app'\n", 'fly')[0]!;
    assert.equal(bare.stopGrace.origin, 'default');
    assert.equal(bare.stopGrace.value, platformDefault<number>('fly', 'stopGraceSeconds').value);
    assert.equal(bare.stopSignal.value, platformDefault<string>('fly', 'stopSignal').value);
    const seconds = launches('fly.toml', 'kill_timeout = 120\n', 'fly')[0]!;
    assert.equal(seconds.stopGrace.value, 120);
  });

  it('reads an [experimental] cmd array, [[services]] and a sh -c process', () => {
    const text = `app = "legacy"\n\n[experimental]\n  cmd = ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]\n\n[[services]]\n  internal_port = 8080\n  protocol = "tcp"\n  [[services.tcp_checks]]\n    interval = "10s"\n    timeout = "2s"\n`;
    const launch = launches('fly.toml', text, 'fly')[0]!;
    assert.deepEqual(words(launch.commands[0]), ['gunicorn', '--bind', '0.0.0.0:8080', 'app:app']);
    assert.equal(at(text, launch.commands[0]?.words[2]), '0.0.0.0:8080');
    assert.deepEqual(
      launch.ports.map((p) => p.port.value),
      [8080],
    );
    assert.deepEqual(
      launch.probes.map((p) => [p.kind, p.periodSeconds?.value]),
      [['tcp', 10]],
    );
    const shell = `[processes]\n  web = "sh -c 'gunicorn api:app --bind 0.0.0.0:8000'"\n`;
    const web = launches('fly.toml', shell, 'fly')[0]!;
    assert.deepEqual(words(web.commands[0]), ['gunicorn', 'api:app', '--bind', '0.0.0.0:8000']);
    assert.deepEqual(web.commands[0]?.shell, { commands: 1, program: 'sh' });
    assert.equal(at(shell, web.commands[0]?.words[3]), '0.0.0.0:8000');
  });

  it('gives no launches for text that is no TOML', () => {
    assert.deepEqual(parsePlatformManifest('fly.toml', 'app = [\n')?.launches, []);
  });
});

describe('platform manifests: app.json', () => {
  it('reads Heroku formation, env and stop defaults', () => {
    const found = launches('app.json', APP_JSON, 'app-json');
    const web = named(found, 'web');
    assert.equal(web.orchestrator, 'heroku');
    assert.equal(web.machineSize?.value, 'standard-2x');
    assert.equal(web.instances?.value, 2);
    assert.equal(web.env.get('WEB_CONCURRENCY')?.value.value, '3');
    assert.equal(web.env.get('DISABLE_COLLECTSTATIC')?.value.value, '1');
    assert.equal(web.env.get('SECRET_KEY')?.value.value, undefined);
    assert.equal(web.portEnv?.value, true);
    assert.equal(web.stopGrace.value, platformDefault<number>('heroku', 'stopGraceSeconds').value);
    assert.equal(named(found, 'worker').portEnv, undefined);
  });

  it('reads Dokku health checks', () => {
    const text = `{\n  "healthchecks": {\n    "web": [\n      {"type": "startup", "name": "boot", "path": "/healthz", "timeout": 5, "attempts": 4, "initialDelay": 3}\n    ]\n  }\n}\n`;
    const [web] = launches('app.json', text, 'app-json');
    assert.equal(web?.orchestrator, 'dokku');
    assert.deepEqual(
      web?.probes.map((p) => [p.role, p.path?.value, p.timeoutSeconds?.value, p.failureThreshold?.value]),
      [['startup', '/healthz', 5, 4]],
    );
    assert.equal(web?.stopGrace.value, platformDefault<number>('dokku', 'stopGraceSeconds').value);
  });
});

describe('platform manifests: line endings, BOM and junk', () => {
  it('keeps offsets right with CRLF and a BOM', () => {
    for (const [path, base, kind] of [
      ['render.yaml', RENDER, 'render'],
      ['fly.toml', FLY, 'fly'],
      ['app.yaml', APP_ENGINE, 'app-engine'],
    ] as const) {
      const text = '\uFEFF' + base.replace(/\n/g, '\r\n');
      const command = launches(path, text, kind)[0]?.commands[0];
      assert.ok(command, `${path}: a command`);
      for (const word of command.words) assert.equal(at(text, word), word.text, path);
    }
  });

  it('never throws and keeps spans inside the text for edited manifests', () => {
    for (const [path, base] of [
      ['render.yaml', RENDER],
      ['fly.toml', FLY],
      ['app.yaml', APP_ENGINE],
      ['app.json', APP_JSON],
    ] as const) {
      fc.assert(
        fc.property(mutations(base), (text) => {
          const manifest = parsePlatformManifest(path, text);
          if (manifest) assertSpansInside(text, manifest.launches);
        }),
        fcParams(60),
      );
    }
  });
});
