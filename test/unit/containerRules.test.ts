// The container rules over whole deployments: compose services, the Dockerfiles they build, nginx in compose.

import { strict as assert } from 'node:assert';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { ConfigLookup } from '../../server/src/deployment/configLookup';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import { describeEffective } from '../../server/src/deployment/present';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

function build(sources: readonly WorkspaceSource[]): DeploymentModel {
  return buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
}

type Found = Finding & { uri: string };

function findings(model: DeploymentModel, rule: string): Found[] {
  return [...model.findings]
    .flatMap(([uri, list]) => list.map((finding) => ({ ...finding, uri })))
    .filter((finding) => finding.rule === rule);
}

function rules(model: DeploymentModel): string[] {
  return [...model.findings].flatMap(([, list]) => list.map((f) => f.rule)).sort();
}

function applyFix(sources: readonly WorkspaceSource[], uri: string, fix: Fix): WorkspaceSource[] {
  const edits = new Map<string, Fix['edits']>();
  if (fix.edits.length) edits.set(uri, fix.edits);
  for (const other of fix.otherFiles ?? []) {
    edits.set(other.uri, [...(edits.get(other.uri) ?? []), ...other.edits]);
  }
  return sources.map((s) => (edits.has(s.uri) ? { ...s, text: applyEdits(s.text, edits.get(s.uri)!) } : s));
}

const DOCKERFILE = (cmd: string, extra = '') =>
  `FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv\n${extra}EXPOSE 8000\n${cmd}\n`;

describe('container-stop-before-graceful', () => {
  const compose = (grace: string) =>
    `services:\n  web:\n    build: .\n${grace}    command: gunicorn -b 0.0.0.0:8000 --graceful-timeout 60 app:app\n`;

  it('reports a compose stop_grace_period shorter than graceful_timeout, and its fix silences it', () => {
    const sources = [source('/w/compose.yaml', compose('    stop_grace_period: 20s\n'))];
    const [finding] = findings(build(sources), 'container-stop-before-graceful');
    assert.ok(finding);
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /graceful_timeout is 60 s .* after 20 s/);
    const fix = finding.fixes![0]!;
    assert.equal(fix.title, 'Set stop_grace_period: 65s for web');
    const fixed = applyFix(sources, finding.uri, fix);
    assert.match(fixed[0]!.text, /stop_grace_period: 65s/);
    assert.deepEqual(findings(build(fixed), 'container-stop-before-graceful'), []);
  });

  it("uses compose's 10 s default when stop_grace_period is absent, adding the line as the fix", () => {
    const sources = [source('/w/compose.yaml', compose(''))];
    const [finding] = findings(build(sources), 'container-stop-before-graceful');
    assert.ok(finding);
    assert.match(finding.message, /after 10 s \(its default stop_grace_period of 10 s\)/);
    const fixed = applyFix(sources, finding.uri, finding.fixes![0]!);
    assert.equal(fixed[0]!.text.split('\n')[2], '    stop_grace_period: 65s');
    assert.deepEqual(findings(build(fixed), 'container-stop-before-graceful'), []);
  });

  it('is silent when both sides are defaults, the budget is long enough or unknown', () => {
    const defaults = `services:\n  web:\n    command: gunicorn -b 0.0.0.0:8000 app:app\n`;
    assert.deepEqual(
      findings(build([source('/w/compose.yaml', defaults)]), 'container-stop-before-graceful'),
      [],
    );
    const enough = compose('    stop_grace_period: 1m\n');
    assert.deepEqual(
      findings(build([source('/w/compose.yaml', enough)]), 'container-stop-before-graceful'),
      [],
    );
    const unknown = compose('    stop_grace_period: ${GRACE}\n');
    assert.deepEqual(
      findings(build([source('/w/compose.yaml', unknown)]), 'container-stop-before-graceful'),
      [],
    );
  });

  it('says nothing about a Dockerfile nobody in the workspace runs (its orchestrator is unknown)', () => {
    const model = build([
      source(
        '/w/Dockerfile',
        DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:8000", "--graceful-timeout", "90", "app:app"]'),
      ),
    ]);
    assert.deepEqual(findings(model, 'container-stop-before-graceful'), []);
  });

  it('applies to the Dockerfile command a compose service runs, and the hover names the budget', () => {
    const sources = [
      source('/w/compose.yaml', 'services:\n  web:\n    build: ./app\n    stop_grace_period: 5s\n'),
      source(
        '/w/app/Dockerfile',
        DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:8000", "-c", "gunicorn.conf.py", "app:app"]'),
      ),
      source('/w/app/gunicorn.conf.py', 'graceful_timeout = 20\n'),
    ];
    const model = build(sources);
    const [finding] = findings(model, 'container-stop-before-graceful');
    assert.equal(finding?.uri, 'file:///w/compose.yaml');
    assert.deepEqual(
      finding?.related?.map((r) => r.uri),
      ['file:///w/app/gunicorn.conf.py'],
    );
    const effective = model.effectiveAt('file:///w/app/gunicorn.conf.py', 2)!;
    assert.equal(
      describeEffective(effective, 'file:///w/app/gunicorn.conf.py', 0),
      '**Effective in this deployment:** `20`, from the config file (gunicorn.conf.py:1); Docker Compose stops the container after 5 s (stop_grace_period: 5s): compose.yaml:4.',
    );
  });
});

describe('container-stop-signal-quick', () => {
  it('reports SIGQUIT/SIGINT in a Dockerfile or compose file with a SIGTERM fix, and not SIGTERM', () => {
    const dockerfile = source(
      '/w/Dockerfile',
      DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]', 'STOPSIGNAL SIGQUIT\n'),
    );
    const [finding] = findings(build([dockerfile]), 'container-stop-signal-quick');
    assert.ok(finding);
    const fixed = applyFix([dockerfile], finding.uri, finding.fixes![0]!);
    assert.match(fixed[0]!.text, /STOPSIGNAL SIGTERM/);
    assert.deepEqual(findings(build(fixed), 'container-stop-signal-quick'), []);
    const compose = source(
      '/w/compose.yaml',
      'services:\n  web:\n    stop_signal: "2"\n    command: gunicorn -b :8000 app:app\n',
    );
    assert.equal(findings(build([compose]), 'container-stop-signal-quick').length, 1);
  });

  it('says when a dash shell keeps the signal from Gunicorn for now, and not once exec passes it on', () => {
    const held = build([
      source(
        '/w/Dockerfile',
        DOCKERFILE('CMD cd /srv && gunicorn -b 0.0.0.0:8000 app:app', 'STOPSIGNAL SIGINT\n'),
      ),
    ]);
    const [kept] = findings(held, 'container-stop-signal-quick');
    assert.match(kept!.message, /shell in front of Gunicorn keeps for now \(container-shell-signals\)/);
    assert.equal(findings(held, 'container-shell-signals').length, 1);
    const passed = build([
      source(
        '/w/Dockerfile',
        DOCKERFILE('CMD cd /srv && exec gunicorn -b 0.0.0.0:8000 app:app', 'STOPSIGNAL SIGINT\n'),
      ),
    ]);
    const [direct] = findings(passed, 'container-stop-signal-quick');
    assert.doesNotMatch(direct!.message, /keeps for now/);
    assert.match(direct!.message, /Gunicorn takes it as "quick shutdown"/);
  });
});

describe('container-shell-signals', () => {
  it('reports a shell-form CMD on a Debian-based image and fixes it with exec', () => {
    const dockerfile = source('/w/Dockerfile', DOCKERFILE('CMD cd /srv && gunicorn -b 0.0.0.0:8000 app:app'));
    const [finding] = findings(build([dockerfile]), 'container-shell-signals');
    assert.ok(finding);
    const fixed = applyFix([dockerfile], finding.uri, finding.fixes![0]!);
    assert.match(fixed[0]!.text, /CMD cd \/srv && exec gunicorn/);
    assert.deepEqual(findings(build(fixed), 'container-shell-signals'), []);
  });

  it('stays silent for exec form, exec, an init, another shell, an Alpine or unknown image', () => {
    const quiet = [
      DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]'),
      DOCKERFILE('CMD exec gunicorn -b 0.0.0.0:8000 app:app'),
      DOCKERFILE('CMD gunicorn -b 0.0.0.0:8000 app:app', 'ENTRYPOINT ["tini", "--"]\n'),
      DOCKERFILE('CMD gunicorn -b 0.0.0.0:8000 app:app', 'SHELL ["/bin/bash", "-c"]\n'),
      DOCKERFILE('CMD ["bash", "-c", "gunicorn -b 0.0.0.0:8000 app:app"]'),
      DOCKERFILE('CMD gunicorn -b 0.0.0.0:8000 app:app').replace('python:3.12-slim', 'python:3.12-alpine'),
      DOCKERFILE('CMD gunicorn -b 0.0.0.0:8000 app:app').replace('python:3.12-slim', '${BASE}'),
    ];
    for (const text of quiet) {
      assert.deepEqual(findings(build([source('/w/Dockerfile', text)]), 'container-shell-signals'), [], text);
    }
  });

  it('reports sh -c in a compose command on a Debian image, not a compose string command (no shell)', () => {
    const sh =
      'services:\n  web:\n    image: python:3.12\n    command: ["sh", "-c", "gunicorn -b 0.0.0.0:8000 app:app"]\n';
    assert.equal(findings(build([source('/w/compose.yaml', sh)]), 'container-shell-signals').length, 1);
    const plain =
      'services:\n  web:\n    image: python:3.12\n    command: gunicorn -b 0.0.0.0:8000 app:app\n';
    assert.deepEqual(findings(build([source('/w/compose.yaml', plain)]), 'container-shell-signals'), []);
  });
});

describe('container-bind-loopback', () => {
  it('reads ./gunicorn.conf.py in / when the image sets no WORKDIR (an official python image runs there)', () => {
    const files = (base: string) => [
      source('/w/app/Dockerfile', `FROM ${base}\nCOPY . .\nEXPOSE 5001\nCMD ["gunicorn", "app.wsgi:app"]\n`),
      source('/w/app/gunicorn.conf.py', 'bind = ":5001"\n'),
    ];
    // With the workspace's listing, as the CLI and the server build (its folders reach up to `/`, which is no
    // workspace folder for an image path).
    const sources = files('python:3.9-slim');
    const model = buildDeploymentModel(
      sources,
      { version: [23, 0, 0], versionLabel: '23.0.0' },
      {
        paths: sources.map((s) => s.path),
      },
    );
    assert.deepEqual(findings(model, 'container-bind-loopback'), []);
    assert.equal(model.deployments[0]?.config?.path, '/w/app/gunicorn.conf.py');
    // The lookup itself: an image's `/` is no workspace folder, though every workspace folder lies below the root.
    const lookup = new ConfigLookup(sources, new Set(['/', '/w', '/w/app']));
    assert.equal(
      lookup.find('/gunicorn.conf.py', '/w/app/Dockerfile', false, true)?.path,
      '/w/app/gunicorn.conf.py',
    );
    assert.equal(lookup.find('/w/gunicorn.conf.py', '/w/app/Dockerfile', false, true), undefined);
    // An image we do not know may set a WORKDIR of its own: where Gunicorn runs is unknown, no config is read.
    assert.equal(build(files('registry.example.com/base:1')).deployments[0]?.config, undefined);
  });

  it("reports 127.0.0.1 and Gunicorn's default bind in a container, with a 0.0.0.0 fix", () => {
    const compose = source(
      '/w/compose.yaml',
      'services:\n  web:\n    command: gunicorn -b 127.0.0.1:8000 app:app\n    ports: ["8000:8000"]\n',
    );
    const [finding] = findings(build([compose]), 'container-bind-loopback');
    assert.ok(finding);
    assert.equal(finding.related?.length, 1);
    const fixed = applyFix([compose], finding.uri, finding.fixes![0]!);
    assert.match(fixed[0]!.text, /-b 0\.0\.0\.0:8000/);
    assert.deepEqual(findings(build(fixed), 'container-bind-loopback'), []);
    const byDefault = source('/w/compose.yaml', 'services:\n  web:\n    command: gunicorn app:app\n');
    const [fallback] = findings(build([byDefault]), 'container-bind-loopback');
    assert.match(fallback!.message, /binds 127\.0\.0\.1:8000 \(Gunicorn's default\)/);
    // A Dockerfile alone: $PORT may come at run time.
    const alone = source('/w/Dockerfile', DOCKERFILE('CMD ["gunicorn", "app:app"]'));
    assert.deepEqual(findings(build([alone]), 'container-bind-loopback'), []);
  });

  it('is silent for 0.0.0.0, $PORT, host networking, a shared namespace and a unit outside containers', () => {
    const quiet: WorkspaceSource[][] = [
      [source('/w/compose.yaml', 'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8000 app:app\n')],
      [source('/w/Dockerfile', DOCKERFILE('CMD ["gunicorn", "app:app"]', 'ENV PORT=8000\n'))],
      [
        source(
          '/w/compose.yaml',
          'services:\n  web:\n    network_mode: host\n    command: gunicorn -b 127.0.0.1:8000 app:app\n',
        ),
      ],
      [
        source(
          '/w/compose.yaml',
          'services:\n  web:\n    command: gunicorn -b 127.0.0.1:8000 app:app\n  proxy:\n    image: nginx\n    network_mode: service:web\n',
        ),
      ],
      [source('/w/app.service', '[Service]\nExecStart=/usr/bin/gunicorn -b 127.0.0.1:8000 app:app\n')],
    ];
    for (const sources of quiet) {
      assert.deepEqual(findings(build(sources), 'container-bind-loopback'), [], sources[0]!.text);
    }
  });
});

describe('container-port-not-declared', () => {
  it('reports a bind port none of EXPOSE, ports and expose declare', () => {
    const dockerfile = source(
      '/w/Dockerfile',
      DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]'),
    );
    const [finding] = findings(build([dockerfile]), 'container-port-not-declared');
    assert.ok(finding);
    assert.match(finding.message, /port 5000 .* declares 8000/);
    assert.deepEqual(
      finding.related?.map((r) => r.message),
      ['EXPOSE 8000'],
    );
  });

  it('accepts a port in a declared range or any declared port, and skips variables', () => {
    const quiet = [
      'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8001 app:app\n    expose: ["8000-8010"]\n',
      'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8001 -b 0.0.0.0:9000 app:app\n    ports: ["80:9000"]\n',
      'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8001 app:app\n    ports: ["80:${PORT}"]\n',
      'services:\n  web:\n    command: gunicorn -b 0.0.0.0:8001 app:app\n',
    ];
    for (const text of quiet) {
      assert.deepEqual(
        findings(build([source('/w/compose.yaml', text)]), 'container-port-not-declared'),
        [],
        text,
      );
    }
  });
});

describe('nginx in compose proxying to a service', () => {
  const nginx = 'server {\n    listen 80;\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n';
  it("reports http://web:8000 when web's image binds another port, and not when it binds 8000", () => {
    const compose = 'services:\n  web:\n    build: ./app\n  proxy:\n    image: nginx\n';
    const broken = build([
      source('/w/compose.yaml', compose),
      source('/w/app/Dockerfile', DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]')),
      source('/w/nginx/conf.d/default.conf', nginx),
    ]);
    assert.equal(findings(broken, 'bind-address-mismatch').length, 1);
    const good = build([
      source('/w/compose.yaml', compose),
      source('/w/app/Dockerfile', DOCKERFILE('CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]')),
      source('/w/nginx/conf.d/default.conf', nginx),
    ]);
    assert.deepEqual(findings(good, 'bind-address-mismatch'), []);
    assert.ok(
      !rules(good).some((rule) => rule.startsWith('container-') && rule !== 'container-stop-before-graceful'),
    );
  });
});
