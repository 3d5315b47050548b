// Kubernetes manifests as container launches: detection by content, workloads of every kind, Gunicorn command
// lines (argv lists, sh -c scripts, entry-point wrappers) at document offsets, env, ports, probes with Kubernetes'
// defaults, limits, preStop, grace periods, Services with named target ports, Helm templates, CRLF/BOM and junk.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  isHelmTemplatePath,
  parseKubernetesManifest,
  type KubernetesManifest,
} from '../../server/src/languages/commands/kubernetes';
import { platformDefault } from '../../server/src/languages/commands/orchestratorFacts';
import { findGunicornInvocation } from '../../server/src/languages/gunicorn/commandLine';
import type { ContainerLaunch } from '../../server/src/languages/commands/containerFacts';
import { fcParams } from './fuzzHelpers';
import { assertSpansInside, at, mutations, words } from './manifestHelpers';

function manifest(text: string, path = 'k8s/app.yaml'): KubernetesManifest {
  const parsed = parseKubernetesManifest(text, path);
  assert.ok(parsed, 'expected a Kubernetes manifest');
  return parsed;
}

function container(text: string, index = 0, path?: string): ContainerLaunch {
  const found = manifest(text, path).workloads.flatMap((workload) => workload.containers);
  const launch = found[index];
  assert.ok(launch, `expected container ${index}, found ${found.length}`);
  return launch;
}

// A Django shop as people deploy it: migrations then Gunicorn in a shell script, a secret, a named port, a probe.
const SHOP = `# shop: web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: shop
  template:
    metadata:
      labels:
        app.kubernetes.io/name: shop
        tier: web
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: django
          image: ghcr.io/example/shop:2024.05.1
          command: ["/bin/sh", "-c"]
          args:
            - |
              python manage.py migrate --noinput
              exec gunicorn shop.wsgi:application \\
                --bind 0.0.0.0:8000 --workers 3 --graceful-timeout 30
          workingDir: /srv/shop
          env:
            - name: DJANGO_SETTINGS_MODULE
              value: shop.settings.production
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: shop-db
                  key: url
            - name: GUNICORN_CMD_ARGS
              value: "--timeout 60"
          envFrom:
            - configMapRef:
                name: shop-config
          ports:
            - name: http
              containerPort: 8000
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /health/live
              port: 8000
            initialDelaySeconds: 20
            timeoutSeconds: 3
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              cpu: 500m
              memory: 1Gi
          lifecycle:
            preStop:
              exec:
                command: ["sh", "-c", "sleep 10"]
        - name: nginx
          image: nginx:1.27
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app.kubernetes.io/name: shop
  ports:
    - name: web
      port: 80
      targetPort: http
    - port: 9000
`;

describe('kubernetes manifests: detection', () => {
  it('reads YAML with apiVersion and kind at a document top level, and nothing else', () => {
    assert.ok(parseKubernetesManifest(SHOP));
    assert.equal(
      parseKubernetesManifest('services:\n  web:\n    image: app\n    command: gunicorn app:app\n'),
      undefined,
    );
    assert.equal(parseKubernetesManifest('spec:\n  apiVersion: v1\n  kind: Pod\n'), undefined);
    assert.equal(parseKubernetesManifest(''), undefined);
  });

  it('knows a chart template folder by its path', () => {
    assert.equal(isHelmTemplatePath('charts/shop/templates/deployment.yaml'), true);
    assert.equal(isHelmTemplatePath('charts/shop/templates/web/deployment.yml'), true);
    assert.equal(isHelmTemplatePath('charts/shop/templates/_helpers.tpl'), false);
    assert.equal(isHelmTemplatePath('k8s/deployment.yaml'), false);
  });
});

describe('kubernetes manifests: a Deployment and its Service', () => {
  const parsed = manifest(SHOP);
  const django = parsed.workloads[0]!.containers[0]!;

  it('lists the workload with its pod labels and both containers', () => {
    assert.equal(parsed.workloads.length, 1);
    const workload = parsed.workloads[0]!;
    assert.equal(workload.kind, 'Deployment');
    assert.equal(workload.name, 'shop-web');
    assert.equal(workload.labels.get('tier'), 'web');
    assert.deepEqual(
      workload.containers.map((c) => c.name),
      ['django', 'nginx'],
    );
    assert.equal(django.instances?.value, 3);
  });

  it('finds Gunicorn inside the sh -c script, every word at its place in the file', () => {
    assert.equal(django.commands.length, 1, 'the migrate line is not Gunicorn');
    const command = django.commands[0]!;
    assert.deepEqual(words(command), [
      'exec',
      'gunicorn',
      'shop.wsgi:application',
      '--bind',
      '0.0.0.0:8000',
      '--workers',
      '3',
      '--graceful-timeout',
      '30',
    ]);
    assert.equal(command.exact, true);
    assert.equal(command.form, 'shell');
    assert.deepEqual(command.shell, { commands: 2, program: '/bin/sh' }, 'the shell runs migrate first');
    for (const word of command.words) assert.equal(at(SHOP, word), word.text);
    assert.match(at(SHOP, command.span), /^exec gunicorn[\s\S]*--graceful-timeout 30$/);
  });

  it('keeps literal env values, and valueFrom and envFrom as unknown', () => {
    assert.equal(django.env.get('DJANGO_SETTINGS_MODULE')?.value.value, 'shop.settings.production');
    assert.equal(at(SHOP, django.env.get('GUNICORN_CMD_ARGS')?.value.span), '"--timeout 60"');
    assert.equal(django.env.get('GUNICORN_CMD_ARGS')?.value.value, '--timeout 60');
    const secret = django.env.get('DATABASE_URL');
    assert.ok(secret);
    assert.equal(secret.value.value, undefined);
    assert.equal(at(SHOP, secret.nameSpan), 'DATABASE_URL');
    assert.equal(django.unknownEnv.length, 1);
    assert.match(at(SHOP, django.unknownEnv[0]), /^configMapRef:/);
    assert.equal(django.workingDir?.value, '/srv/shop');
  });

  it('reads ports, probes (written and defaulted) and limits', () => {
    assert.deepEqual(
      django.ports.map((p) => [p.name, p.port.value]),
      [['http', 8000]],
    );
    const readiness = django.probes.find((p) => p.role === 'readiness');
    assert.ok(readiness);
    assert.equal(readiness.kind, 'http');
    assert.equal(readiness.path?.value, '/health/ready');
    assert.equal(readiness.port?.value, 'http');
    assert.equal(readiness.periodSeconds?.origin, 'file');
    assert.equal(readiness.periodSeconds?.value, 5);
    // Not written: Kubernetes' documented default, with its source.
    const timeout = readiness.timeoutSeconds;
    assert.equal(timeout?.origin, 'default');
    assert.equal(timeout?.value, platformDefault<number>('kubernetes', 'probeTimeoutSeconds').value);
    assert.match(timeout?.origin === 'default' ? timeout.source : '', /^https:\/\/kubernetes\.io\//);
    const liveness = django.probes.find((p) => p.role === 'liveness');
    assert.equal(liveness?.port?.value, 8000);
    assert.equal(liveness?.timeoutSeconds?.value, 3);
    assert.equal(liveness?.initialDelaySeconds?.value, 20);
    assert.equal(
      django.probes.some((p) => p.role === 'startup'),
      false,
    );
    assert.equal(django.cpuLimit?.value, 0.5);
    assert.equal(django.memoryLimit?.value, 2 ** 30);
    assert.equal(
      at(SHOP, django.memoryLimit?.origin === 'file' ? django.memoryLimit.span : undefined),
      '1Gi',
    );
  });

  it('reads the grace period and a sleeping preStop hook', () => {
    assert.equal(django.stopGrace.origin, 'file');
    assert.equal(django.stopGrace.value, 45);
    assert.deepEqual(
      { kind: django.preStop?.kind, seconds: django.preStop?.seconds },
      { kind: 'sleep', seconds: 10 },
    );
    assert.equal(django.stopSignal.origin, 'default');
    assert.equal(django.stopSignal.value, platformDefault<string>('kubernetes', 'stopSignal').value);
  });

  it('gives a container without a Gunicorn command no command lines', () => {
    const nginx = parsed.workloads[0]!.containers[1]!;
    assert.deepEqual(nginx.commands, []);
    assert.equal(nginx.image?.value, 'nginx:1.27');
    assert.equal(nginx.stopGrace.value, 45, 'the pod grace period applies to every container');
  });

  it('reads the Service, with a named target port and one defaulting to the port', () => {
    assert.equal(parsed.services.length, 1);
    const service = parsed.services[0]!;
    assert.equal(service.name, 'shop');
    assert.equal(service.selector?.get('app.kubernetes.io/name'), 'shop');
    assert.deepEqual(
      service.ports.map((p) => [p.name, p.port?.value, p.targetPort?.value]),
      [
        ['web', 80, 'http'],
        [undefined, 9000, 9000],
      ],
    );
  });

  it('keeps every span inside the text', () => {
    assertSpansInside(
      SHOP,
      parsed.workloads.flatMap((w) => w.containers),
    );
  });
});

describe('kubernetes manifests: command forms', () => {
  const pod = (containerYaml: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${containerYaml}`;

  it('takes an exec-form list as the argv, with per-character offsets for plain words', () => {
    const text = pod(
      '    - name: web\n      image: app\n      command: ["gunicorn", "--bind=0.0.0.0:8000", "app.main:app"]\n',
    );
    const launch = container(text);
    const command = launch.commands[0]!;
    assert.deepEqual(words(command), ['gunicorn', '--bind=0.0.0.0:8000', 'app.main:app']);
    assert.equal(command.form, 'exec');
    assert.equal(command.shell, undefined);
    assert.equal(command.exact, true);
    assert.equal(at(text, command.words[1]), '--bind=0.0.0.0:8000');
  });

  it("gives words commandLine.ts parses like any launch's, option values placed in the file", () => {
    const text = pod(
      '    - name: web\n      image: app\n      command: ["gunicorn", "--bind=0.0.0.0:8000", "-w", "4", "app.main:app"]\n',
    );
    const invocation = findGunicornInvocation(container(text).commands[0]!.words);
    assert.ok(invocation);
    const bind = invocation.options.find((o) => o.setting === 'bind');
    assert.equal(bind?.value, '0.0.0.0:8000');
    assert.equal(text.slice(bind?.valueFrom, bind?.valueTo), '0.0.0.0:8000');
    assert.equal(invocation.options.find((o) => o.setting === 'workers')?.value, '4');
    assert.deepEqual(
      invocation.positionals.map((p) => p.text),
      ['app.main:app'],
    );
  });

  it('finds python -m gunicorn split over command and args in block lists', () => {
    const text = pod(
      '    - name: api\n      image: api\n      command:\n        - python\n        - -m\n      args:\n        - gunicorn\n        - -k\n        - uvicorn.workers.UvicornWorker\n        - api:app\n',
    );
    const command = container(text).commands[0];
    assert.deepEqual(words(command), [
      'python',
      '-m',
      'gunicorn',
      '-k',
      'uvicorn.workers.UvicornWorker',
      'api:app',
    ]);
    assert.equal(command?.field, 'command');
  });

  it('reads the args alone when the command is an entry-point script that runs them', () => {
    const text = pod(
      '    - name: web\n      image: app\n      command: ["/docker-entrypoint.sh"]\n      args: ["gunicorn", "-c", "/etc/gunicorn.conf.py", "app:app"]\n',
    );
    const command = container(text).commands[0];
    assert.deepEqual(words(command), ['gunicorn', '-c', '/etc/gunicorn.conf.py', 'app:app']);
    assert.equal(command?.field, 'args');
  });

  it('marks $(VAR) references, which Kubernetes expands, as dynamic words', () => {
    const text = pod(
      '    - name: web\n      image: app\n      env:\n        - name: PORT\n          value: "8080"\n      command: ["gunicorn", "--bind", "0.0.0.0:$(PORT)", "app:app"]\n',
    );
    const bind = container(text).commands[0]!.words[2]!;
    assert.equal(bind.text, '0.0.0.0:$(PORT)');
    assert.equal(bind.dynamic, true);
  });

  it('places the words of a script with escapes on the whole value (not exact)', () => {
    const text = pod(
      '    - name: web\n      image: app\n      command: ["sh", "-c", "exec gunicorn --bind \\"0.0.0.0:8000\\" app:app"]\n',
    );
    const command = container(text).commands[0]!;
    assert.deepEqual(words(command), ['exec', 'gunicorn', '--bind', '0.0.0.0:8000', 'app:app']);
    assert.equal(command.exact, false);
    assert.equal(at(text, command.words[3]), '"exec gunicorn --bind \\"0.0.0.0:8000\\" app:app"');
  });

  it('reads a folded script (>-) at document offsets', () => {
    const text = pod(
      '    - name: web\n      image: app\n      command:\n        - /bin/bash\n        - -c\n        - >-\n          gunicorn app:app\n          --workers 4\n          --bind :8000\n',
    );
    const command = container(text).commands[0]!;
    assert.deepEqual(words(command), ['gunicorn', 'app:app', '--workers', '4', '--bind', ':8000']);
    assert.equal(command.exact, true);
    assert.equal(at(text, command.words[5]), ':8000');
  });
});

describe('kubernetes manifests: workload kinds', () => {
  const containerYaml = (indent: string) =>
    `${indent}containers:\n${indent}  - name: c\n${indent}    image: app\n${indent}    command: ["gunicorn", "app:app"]\n`;

  it('finds the pod template of every workload kind', () => {
    const docs = [
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  template:\n    spec:\n${containerYaml('      ')}`,
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n${containerYaml('      ')}`,
      `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: r}\nspec:\n  template:\n    spec:\n${containerYaml('      ')}`,
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n${containerYaml('      ')}`,
      `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${containerYaml('          ')}`,
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${containerYaml('  ')}`,
    ];
    const parsed = manifest(docs.join('---\n'));
    assert.deepEqual(
      parsed.workloads.map((w) => [w.kind, w.containers.length, w.containers[0]?.commands.length]),
      [
        ['StatefulSet', 1, 1],
        ['DaemonSet', 1, 1],
        ['ReplicaSet', 1, 1],
        ['Job', 1, 1],
        ['CronJob', 1, 1],
        ['Pod', 1, 1],
      ],
    );
  });

  it('reads the items of a List, and skips other kinds', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      containers:\n        - name: c\n          image: app\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: cm}\n    data: {A: "1"}\n`;
    const parsed = manifest(text);
    assert.deepEqual(
      parsed.workloads.map((w) => w.name),
      ['p'],
    );
  });

  it('defaults the grace period and reads other preStop forms', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: app\n      lifecycle:\n        preStop:\n          sleep:\n            seconds: 7\n    - name: b\n      image: app\n      lifecycle:\n        preStop:\n          httpGet: {path: /drain, port: 8000}\n        stopSignal: SIGQUIT\n`;
    const [a, b] = manifest(text).workloads[0]!.containers;
    assert.equal(a?.stopGrace.origin, 'default');
    assert.equal(a?.stopGrace.value, platformDefault<number>('kubernetes', 'stopGraceSeconds').value);
    assert.deepEqual([a?.preStop?.kind, a?.preStop?.seconds], ['sleep', 7]);
    assert.equal(b?.preStop?.kind, 'http');
    assert.equal(b?.stopSignal.origin, 'file');
    assert.equal(b?.stopSignal.value, 'SIGQUIT');
  });
});

describe('kubernetes manifests: Cloud Run service.yaml', () => {
  const SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api
  labels:
    cloud.googleapis.com/location: europe-west1
  annotations:
    run.googleapis.com/ingress: all
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/maxScale: '10'
    spec:
      containerConcurrency: 80
      containers:
        - image: europe-docker.pkg.dev/acme/api/api:latest
          args: ["gunicorn", "--bind", ":9000", "api.wsgi"]
          ports:
            - name: http1
              containerPort: 9000
          resources:
            limits:
              cpu: 1000m
              memory: 512Mi
          startupProbe:
            tcpSocket:
              port: 9000
`;

  it("reads the container under Cloud Run's contract: PORT is the container port, Cloud Run's stop defaults", () => {
    const launch = container(SERVICE);
    assert.equal(launch.orchestrator, 'cloud-run');
    assert.deepEqual(words(launch.commands[0]), ['gunicorn', '--bind', ':9000', 'api.wsgi']);
    assert.deepEqual(
      launch.ports.map((p) => [p.role, p.port.value]),
      [['routed', 9000]],
    );
    assert.equal(launch.portEnv?.value, true);
    assert.equal(launch.portEnvValue?.origin, 'file');
    assert.equal(launch.portEnvValue?.value, 9000);
    assert.equal(launch.stopGrace.value, platformDefault<number>('cloud-run', 'stopGraceSeconds').value);
    assert.equal(launch.memoryLimit?.value, 512 * 2 ** 20);
    // Cloud Run's probe defaults are not Kubernetes': nothing is assumed.
    assert.equal(launch.probes[0]?.timeoutSeconds, undefined);
  });

  it('defaults the port to 8080 and leaves other Knative services out', () => {
    const bare = SERVICE.replace(
      /          ports:\n            - name: http1\n              containerPort: 9000\n/,
      '',
    );
    assert.equal(
      container(bare).portEnvValue?.value,
      platformDefault<number>('cloud-run', 'defaultPort').value,
    );
    const knative = SERVICE.replace(/.*run\.googleapis\.com.*\n/, '').replace(/  annotations:\n(?=spec)/, '');
    assert.deepEqual(manifest(knative).workloads, []);
  });
});

describe('kubernetes manifests: Helm templates', () => {
  const CHART = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    metadata:
      labels:
        {{- include "shop.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          command:
            - gunicorn
            - --bind=0.0.0.0:{{ .Values.service.targetPort }}
            - --workers={{ .Values.gunicorn.workers }}
            - shop.wsgi
          ports:
            - name: http
              containerPort: {{ .Values.service.targetPort }}
          env:
            {{- range $key, $value := .Values.env }}
            - name: {{ $key }}
              value: {{ $value | quote }}
            {{- end }}
          resources: {{ toYaml .Values.resources | nindent 12 }}
        - name: worker
          image: shop-worker
          envFrom:
            {{- include "shop.envFrom" . | nindent 12 }}
          livenessProbe:
            {{- toYaml .Values.worker.livenessProbe | nindent 12 }}
          resources:
            {{- toYaml .Values.worker.resources | nindent 12 }}
`;

  it('reads a chart template with its {{ }} values unknown and offsets into the original text', () => {
    const parsed = manifest(CHART, 'charts/shop/templates/deployment.yaml');
    assert.equal(parsed.template, true);
    const launch = parsed.workloads[0]!.containers[0]!;
    const command = launch.commands[0]!;
    assert.equal(command.words.length, 4);
    assert.equal(at(CHART, command.words[0]), 'gunicorn');
    assert.equal(at(CHART, command.words[3]), 'shop.wsgi');
    assert.equal(at(CHART, command.words[1]), '--bind=0.0.0.0:{{ .Values.service.targetPort }}');
    // Placeholders are unknown values, never numbers.
    assert.equal(launch.ports[0]?.port.value, undefined);
    assert.equal(at(CHART, launch.ports[0]?.port.span), '{{ .Values.service.targetPort }}');
    assert.equal(launch.instances?.value, undefined);
    assert.equal(launch.image?.value, undefined);
    // `resources:` filled in by the template: a limit may be there, so it is unknown rather than absent.
    assert.ok(launch.memoryLimit);
    assert.equal(launch.memoryLimit.value, undefined);
    assertSpansInside(CHART, [launch]);
  });

  it('takes lines a template inserts as unknown variables, probe and limits, never as their absence', () => {
    const worker = manifest(CHART, 'charts/shop/templates/deployment.yaml').workloads[0]!.containers[1]!;
    assert.equal(worker.name, 'worker');
    assert.deepEqual(
      worker.unknownEnv.map((span) => at(CHART, span)),
      [
        '{{- include "shop.envFrom" . | nindent 12 }}',
        '{{- toYaml .Values.worker.livenessProbe | nindent 12 }}',
        '{{- toYaml .Values.worker.resources | nindent 12 }}',
      ],
    );
    const probe = worker.probes[0];
    assert.equal(probe?.kind, 'unknown');
    assert.equal(probe?.timeoutSeconds, undefined, 'no default timings for a probe the template writes');
    assert.equal(
      at(CHART, worker.memoryLimit?.origin === 'file' ? worker.memoryLimit.span : undefined),
      'resources',
    );
    assert.equal(worker.memoryLimit?.value, undefined);
  });
});

describe('kubernetes manifests: line endings, BOM and junk', () => {
  it('keeps offsets right with CRLF line breaks and a BOM', () => {
    // The BOM right before `apiVersion:` (no comment line first).
    const text = '\uFEFF' + SHOP.replace('# shop: web tier\n', '').replace(/\n/g, '\r\n');
    const launch = container(text);
    const command = launch.commands[0]!;
    assert.equal(command.words.length, 9);
    for (const word of command.words) assert.equal(at(text, word), word.text);
    assert.equal(at(text, launch.env.get('DJANGO_SETTINGS_MODULE')?.value.span), 'shop.settings.production');
    assert.equal(manifest(text).services[0]?.ports.length, 2);
  });

  it('never throws and keeps spans inside the text for edited manifests and random text', () => {
    fc.assert(
      fc.property(mutations(SHOP), (text) => {
        const parsed = parseKubernetesManifest(text, 'k8s/shop.yaml');
        if (parsed) {
          assertSpansInside(
            text,
            parsed.workloads.flatMap((w) => w.containers),
          );
        }
      }),
      fcParams(100),
    );
  });

  it('reads odd shapes as absent facts', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata: [1, 2]\nspec:\n  terminationGracePeriodSeconds: soon\n  containers:\n    - name: c\n      command: gunicorn app:app\n      env: {A: 1}\n      ports: [{containerPort: http}, {containerPort: 70000}]\n      resources: {limits: {cpu: lots, memory: [1]}}\n    - just a string\n    - null\n`;
    const launch = container(text);
    assert.deepEqual(launch.commands, [], 'a command that is no list runs nothing Kubernetes would start');
    assert.equal(launch.stopGrace.value, undefined);
    assert.equal(launch.env.size, 0);
    assert.equal(launch.cpuLimit?.value, undefined);
    assert.equal(manifest(text).workloads[0]!.containers.length, 1);
    assertSpansInside(text, [launch]);
  });
});
