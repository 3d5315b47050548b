// Kubernetes manifests and platform manifests as launches in the deployment model, and the orchestrator rules on them.

import { strict as assert } from 'node:assert';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { buildDeploymentModel, type DeploymentModel } from '../../server/src/deployment/model';
import { containerCpuLimit } from '../../server/src/deployment/rules/containerLimits';
import { describeEffective } from '../../server/src/deployment/present';
import type { WorkspaceSource } from '../../server/src/deployment/types';
import { isManifestCandidate } from '../../server/src/languages/commands/paths';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';

function source(path: string, text: string): WorkspaceSource {
  return { uri: `file://${path}`, path, kind: sourceKindOf(path) ?? 'gunicorn', text };
}

function build(sources: readonly WorkspaceSource[]): DeploymentModel {
  return buildDeploymentModel(sources, { version: [23, 0, 0], versionLabel: '23.0.0' });
}

type Found = Finding & { uri: string };

function findings(model: DeploymentModel, rule?: string): Found[] {
  return [...model.findings]
    .flatMap(([uri, list]) => list.map((finding) => ({ ...finding, uri })))
    .filter((finding) => rule === undefined || finding.rule === rule);
}

function applyFix(sources: readonly WorkspaceSource[], uri: string, fix: Fix): WorkspaceSource[] {
  const edits = new Map<string, Fix['edits']>();
  if (fix.edits.length) edits.set(uri, fix.edits);
  for (const other of fix.otherFiles ?? []) {
    edits.set(other.uri, [...(edits.get(other.uri) ?? []), ...other.edits]);
  }
  return sources.map((s) => (edits.has(s.uri) ? { ...s, text: applyEdits(s.text, edits.get(s.uri)!) } : s));
}

/** Fixes other than the suppression comment every finding offers. */
const realFixes = (finding: Finding): Fix[] =>
  (finding.fixes ?? []).filter((fix) => !fix.title.startsWith('Ignore '));

const deployment = (podSpec: string, container: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
${podSpec}      containers:
        - name: web
          image: shop:1
${container}`;

const service = (targetPort: string) => `apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
    - port: 80
      targetPort: ${targetPort}
`;

describe('manifests as launch sources', () => {
  it('picks Kubernetes and platform manifests by folder or name, and leaves other YAML alone', () => {
    for (const path of [
      '/w/k8s/web.yaml',
      '/w/deploy/app.yml',
      '/w/charts/shop/templates/deployment.yaml',
      '/w/web-deployment.yaml',
      '/w/render.yaml',
      '/w/fly.toml',
      '/w/fly.staging.toml',
      '/w/app.json',
      '/w/app.yaml',
    ]) {
      assert.equal(sourceKindOf(path), 'manifest', path);
    }
    for (const path of [
      '/w/.github/workflows/deploy.yml',
      '/w/openapi.yaml',
      '/w/charts/shop/values.yaml',
      '/w/k8s/compose.yaml',
      '/w/package.json',
      '/w/pyproject.toml',
    ]) {
      assert.notEqual(sourceKindOf(path), 'manifest', path);
      assert.equal(isManifestCandidate(path), false, path);
    }
  });

  it("gives a Kubernetes container's command the model's effective settings and env", () => {
    const text = deployment(
      '',
      `          command: ["gunicorn", "--bind", "0.0.0.0:8000", "shop.wsgi:application"]
          env:
            - name: WEB_CONCURRENCY
              value: "5"
          ports:
            - containerPort: 8000
`,
    );
    const model = build([source('/w/k8s/deployment.yaml', text)]);
    const [launch] = model.deployments.flatMap((d) => (d.launch ? [d.launch] : []));
    assert.ok(launch);
    assert.equal(launch.kind, 'manifest');
    assert.equal(launch.container?.orchestrator, 'kubernetes');
    assert.equal(launch.env.get('WEB_CONCURRENCY')?.value, '5');
    assert.deepEqual(findings(model), []);
  });

  it('reads a file that is no manifest as nothing', () => {
    const model = build([source('/w/deploy/ansible.yml', '- hosts: web\n  tasks: []\n')]);
    assert.equal(model.deployments.filter((d) => d.launch).length, 0);
  });
});

describe('container-stop-before-graceful on Kubernetes and Fly', () => {
  const command = `          command: ["gunicorn", "-b", "0.0.0.0:8000", "--graceful-timeout", "30", "app:app"]\n`;

  it('counts a preStop sleep inside terminationGracePeriodSeconds, and its fix adds it back', () => {
    const text = deployment(
      '      terminationGracePeriodSeconds: 32\n',
      `${command}          lifecycle:
            preStop:
              exec:
                command: ["sleep", "5"]
`,
    );
    const sources = [source('/w/k8s/deployment.yaml', text)];
    const [finding] = findings(build(sources), 'container-stop-before-graceful');
    assert.ok(finding);
    assert.match(
      finding.message,
      /Kubernetes stops web after 27 s \(terminationGracePeriodSeconds: 32, less the preStop hook's 5 s\)/,
    );
    assert.ok(finding.related?.some((r) => /preStop hook: sleeps 5 s/.test(r.message)));
    const fix = finding.fixes![0]!;
    assert.equal(fix.title, 'Set terminationGracePeriodSeconds: 40 for web');
    const fixed = applyFix(sources, finding.uri, fix);
    assert.match(fixed[0]!.text, /terminationGracePeriodSeconds: 40\n/);
    assert.deepEqual(findings(build(fixed), 'container-stop-before-graceful'), []);
  });

  it("is silent under Kubernetes' 30 s default when graceful_timeout is 30 s, and reports a 60 s one", () => {
    assert.deepEqual(findings(build([source('/w/k8s/d.yaml', deployment('', command))])), []);
    const longer = command.replace('"30"', '"60"');
    const [finding] = findings(
      build([source('/w/k8s/d.yaml', deployment('', longer))]),
      'container-stop-before-graceful',
    );
    assert.ok(finding);
    assert.match(finding.message, /its default terminationGracePeriodSeconds of 30 s/);
    assert.deepEqual(realFixes(finding), [], 'no key to replace: where to insert it is left to the user');
  });

  it('replaces a Fly kill_timeout written as a duration string, keeping its quotes', () => {
    const fly = `app = "shop"\nkill_signal = "SIGTERM"\nkill_timeout = "10s"\n\n[processes]\n  web = "gunicorn -b 0.0.0.0:8080 --graceful-timeout 30 app:app"\n\n[http_service]\n  internal_port = 8080\n`;
    const sources = [source('/w/fly.toml', fly)];
    const [finding] = findings(build(sources), 'container-stop-before-graceful');
    assert.ok(finding);
    assert.match(finding.message, /Fly\.io stops web after 10 s/);
    const fixed = applyFix(sources, finding.uri, finding.fixes![0]!);
    assert.match(fixed[0]!.text, /^kill_timeout = "35s"$/m);
    assert.deepEqual(findings(build(fixed)), []);
  });

  it('names the orchestrator in the graceful_timeout hover', () => {
    const text = deployment('      terminationGracePeriodSeconds: 10\n', command);
    const model = build([source('/w/k8s/deployment.yaml', text)]);
    const uri = 'file:///w/k8s/deployment.yaml';
    const effective = model.effectiveAt(uri, text.indexOf('"30"') + 1);
    assert.ok(effective);
    assert.match(
      describeEffective(effective, uri, 0) ?? '',
      /Kubernetes stops the container after 10 s \(terminationGracePeriodSeconds: 10\): deployment\.yaml:14/,
    );
  });
});

describe('orchestrator-port-mismatch', () => {
  const bind = (port: number) =>
    `          command: ["gunicorn", "--bind", "0.0.0.0:${port}", "app:app"]\n          ports:\n            - name: http\n              containerPort: 8000\n`;

  it("reports a bind port no Service targets, across files, by the port's name too", () => {
    const sources = [
      source('/w/k8s/deployment.yaml', deployment('', bind(5000))),
      source('/w/k8s/service.yaml', service('http')),
    ];
    const [finding] = findings(build(sources), 'orchestrator-port-mismatch');
    assert.ok(finding);
    assert.match(finding.message, /binds port 5000 .* to 8000 \(containerPort and Service targetPort\)/);
    const fixed = applyFix(sources, finding.uri, finding.fixes![0]!);
    assert.match(fixed[0]!.text, /"0\.0\.0\.0:8000"/);
    assert.deepEqual(findings(build(fixed)), []);
  });

  it('is silent when the bind matches, when the target is a template value, and for sidecar pods', () => {
    assert.deepEqual(
      findings(
        build([
          source('/w/k8s/d.yaml', deployment('', bind(8000))),
          source('/w/k8s/s.yaml', service('8000')),
        ]),
      ),
      [],
    );
    const noPorts = deployment('', `          command: ["gunicorn", "--bind", "0.0.0.0:5000", "app:app"]\n`);
    assert.deepEqual(
      findings(
        build([source('/w/k8s/d.yaml', noPorts), source('/w/k8s/s.yaml', service('"{{ .Values.port }}"'))]),
      ),
      [],
    );
    const sidecar = `${noPorts}        - name: proxy\n          image: nginx:1.26\n`;
    assert.deepEqual(
      findings(build([source('/w/k8s/d.yaml', sidecar), source('/w/k8s/s.yaml', service('8000'))])),
      [],
    );
  });

  it('reports a fixed port on Cloud Run, whose PORT is the containerPort, and offers no $PORT fix in an argv', () => {
    const cloudRun = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: shop
  annotations:
    run.googleapis.com/ingress: all
spec:
  template:
    spec:
      containers:
        - image: gcr.io/p/shop
          command: ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
`;
    const [finding] = findings(build([source('/w/service.yaml', cloudRun)]), 'orchestrator-port-mismatch');
    assert.ok(finding);
    assert.match(finding.message, /Cloud Run sends requests .* to port 8080/);
    assert.deepEqual(realFixes(finding), []);
  });

  it("trusts Gunicorn's default bind where the platform sets PORT (Render)", () => {
    const render =
      'services:\n  - type: web\n    name: shop\n    runtime: python\n    startCommand: gunicorn app:app\n';
    assert.deepEqual(findings(build([source('/w/render.yaml', render)])), []);
  });
});

describe('platform-stop-signal-quick', () => {
  it("reports Fly's SIGINT default once per fly.toml, and its fix sets SIGTERM", () => {
    const fly = `app = "shop"\nkill_timeout = 40\n\n[processes]\n  web = "gunicorn -b 0.0.0.0:8080 app:app"\n  api = "gunicorn -b 0.0.0.0:8081 api:app"\n`;
    const sources = [source('/w/fly.toml', fly)];
    const found = findings(build(sources), 'platform-stop-signal-quick');
    assert.equal(found.length, 1);
    const fixed = applyFix(sources, found[0]!.uri, found[0]!.fixes![0]!);
    assert.match(fixed[0]!.text, /^kill_signal = "SIGTERM"\n/);
    assert.deepEqual(findings(build(fixed), 'platform-stop-signal-quick'), []);
  });
});

describe('container-memory-workers and the container limits accessor', () => {
  const limited = (memory: string, workers: number) =>
    deployment(
      '',
      `          command: ["gunicorn", "-b", "0.0.0.0:8000", "--workers", "${workers}", "app:app"]
          resources:
            limits:
              cpu: 500m
              memory: ${memory}
`,
    );

  it('reports a Kubernetes memory limit under 50 MB per worker, at the limit', () => {
    const text = limited('128Mi', 4);
    const [finding] = findings(build([source('/w/k8s/d.yaml', text)]), 'container-memory-workers');
    assert.ok(finding);
    assert.equal(finding.severity, 'info');
    assert.equal(
      finding.range.start.line,
      text.split('\n').findIndex((l) => l.includes('memory: 128Mi')),
    );
    assert.match(
      finding.message,
      /the Kubernetes container web is limited to 128Mi of memory: 128M for the master and 4 workers/,
    );
  });

  it('is silent when the limit covers the workers', () => {
    assert.deepEqual(
      findings(build([source('/w/k8s/d.yaml', limited('1Gi', 4))]), 'container-memory-workers'),
      [],
    );
  });

  it('gives the CPU limit in CPUs with where it is written', () => {
    const model = build([source('/w/k8s/d.yaml', limited('1Gi', 2))]);
    const withLaunch = model.deployments.find((d) => d.launch);
    assert.ok(withLaunch);
    const cpu = containerCpuLimit(withLaunch);
    assert.equal(cpu?.value, 0.5);
    assert.match(cpu?.text ?? '', /the Kubernetes container web is limited to 500m CPUs/);
  });
});

describe('probe-port-mismatch', () => {
  const probed = (port: string, extra = '') =>
    deployment(
      '',
      `          command: ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
          ports:
            - name: http
              containerPort: 8000
            - name: metrics
              containerPort: 9100
          livenessProbe:
            httpGet:
              path: /healthz
              port: ${port}
${extra}`,
    );

  it('reports a liveness probe on a port Gunicorn does not bind, by number or by name, at the probe port', () => {
    for (const port of ['8080', 'metrics']) {
      const text = probed(port);
      const [finding] = findings(build([source('/w/k8s/d.yaml', text)]), 'probe-port-mismatch');
      assert.ok(finding, port);
      assert.match(
        finding.message,
        /liveness probe checks port (8080|9100).* restarts the container again and again/,
      );
      assert.equal(
        finding.range.start.line,
        text.split('\n').findIndex((l) => l.includes(`port: ${port}`)),
      );
    }
  });

  it('is silent for the bound port, a template port and a pod with sidecars', () => {
    assert.deepEqual(findings(build([source('/w/k8s/d.yaml', probed('http'))]), 'probe-port-mismatch'), []);
    assert.deepEqual(findings(build([source('/w/k8s/d.yaml', probed('8000'))]), 'probe-port-mismatch'), []);
    assert.deepEqual(
      findings(build([source('/w/k8s/d.yaml', probed('"{{ .Values.port }}"'))]), 'probe-port-mismatch'),
      [],
    );
    const sidecar = probed('8080', '        - name: proxy\n          image: envoy:1\n');
    assert.deepEqual(findings(build([source('/w/k8s/d.yaml', sidecar)]), 'probe-port-mismatch'), []);
  });
});

describe('liveness-before-slow-boot', () => {
  const pod = (probes: string) =>
    deployment(
      '',
      `          command: ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
          ports:
            - containerPort: 8000
${probes}`,
    );
  const liveness = (extra = '') =>
    `          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8000\n${extra}`;
  const torch = source('/w/requirements.txt', 'flask==3.0.3\ntorch==2.3.1\n');
  const run = (text: string, deps = [torch]) =>
    findings(build([source('/w/k8s/d.yaml', text), ...deps]), 'liveness-before-slow-boot');

  it('warns at the liveness probe when the app declares torch and Kubernetes gives it 30 s by default', () => {
    const text = pod(liveness());
    const [finding, ...rest] = run(text);
    assert.ok(finding);
    assert.deepEqual(rest, []);
    assert.match(finding.message, /within about 30 s .* no startupProbe; the app uses torch/);
    // At the probe (its block starts on the line after the key).
    const probeLine = text.split('\n').findIndex((l) => l.includes('livenessProbe'));
    assert.ok(
      [probeLine, probeLine + 1].includes(finding.range.start.line),
      String(finding.range.start.line),
    );
    assert.equal(finding.related?.[0]?.uri, 'file:///w/requirements.txt');
  });

  it('is silent with a startupProbe, a window of a minute or more, a template number, or no slow framework', () => {
    const startup = `          startupProbe:\n            httpGet:\n              path: /healthz\n              port: 8000\n            failureThreshold: 30\n`;
    assert.deepEqual(run(pod(liveness() + startup)), []);
    assert.deepEqual(run(pod(liveness('            initialDelaySeconds: 60\n'))), []);
    assert.deepEqual(run(pod(liveness('            periodSeconds: "{{ .Values.period }}"\n'))), []);
    assert.deepEqual(run(pod(liveness()), [source('/w/requirements.txt', 'flask==3.0.3\n')]), []);
  });
});

describe('worker-package-missing in a Kubernetes container', () => {
  it('is silent: the image is built elsewhere and may install more than the project files declare', () => {
    const gevent = (file: string) => [
      source(
        file,
        deployment('', '          command: ["gunicorn", "-k", "gevent", "-b", "0.0.0.0:8000", "app:app"]\n'),
      ),
      source('/w/requirements.txt', 'flask==3.0.3\n'),
    ];
    assert.deepEqual(findings(build(gevent('/w/k8s/d.yaml')), 'worker-package-missing'), []);
    // The same project started by a Procfile, whose platform installs the requirements file: reported.
    const procfile = [
      source('/w/Procfile', 'web: gunicorn -k gevent app:app\n'),
      source('/w/requirements.txt', 'flask==3.0.3\n'),
    ];
    assert.equal(findings(build(procfile), 'worker-package-missing').length, 1);
  });
});

describe('manifests: bounded work', () => {
  it('does not read a manifest over the size bound, and reads junk without throwing', () => {
    const junk = `apiVersion: v1\nkind: Pod\n${'x: '.repeat(100_000)}`;
    const started = Date.now();
    assert.deepEqual(findings(build([source('/w/k8s/junk.yaml', junk)])), []);
    assert.ok(Date.now() - started < 2_000, 'a big junk manifest is skipped, not parsed for seconds');
    for (const text of [
      'apiVersion: v1\nkind: Pod\nspec: [',
      '\uFEFFapiVersion: v1\nkind: List\nitems: {{',
      '',
    ]) {
      assert.deepEqual(findings(build([source('/w/k8s/odd.yaml', text)])), []);
    }
  });
});
