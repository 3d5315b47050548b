import { strict as assert } from 'node:assert';
import { LineIndex, type Range } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import { launchesIn } from '../../server/src/deployment/launches';
import type { ContainerFacet } from '../../server/src/languages/gunicorn/launch';
import {
  composeBytes,
  composeDuration,
  readComposeContainers,
} from '../../server/src/languages/commands/composeContainer';
import type { SourceKind } from '../../server/src/languages/sourceKinds';

const V23: Version = [23, 0, 0];

function containers(kind: SourceKind, text: string): ContainerFacet[] {
  const path = kind === 'compose' ? '/w/compose.yaml' : '/w/Dockerfile';
  return launchesIn({ uri: `file://${path}`, path, kind, text }, V23).map((launch) => launch.container!);
}

function at(text: string, range: Range): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
}

describe('container facts: compose', () => {
  const text = [
    'x-limits: &limits',
    '  deploy:',
    '    resources:',
    '      limits: {cpus: "0.50", memory: 512M}',
    'services:',
    '  web:',
    '    <<: *limits',
    '    build: .',
    '    command: gunicorn -b 0.0.0.0:8000 app:app',
    '    stop_grace_period: 1m30s',
    '    stop_signal: SIGINT',
    '    healthcheck:',
    '      test: ["CMD", "curl", "-f", "http://localhost:8000/"]',
    '    ports:',
    '      - "127.0.0.1:8080:8000"',
    '      - target: 9000',
    '        published: 9001',
    '      - "${PORT}:8000"',
    '    expose: ["7000-7002/udp"]',
    '    init: true',
    '    user: "1000:1000"',
    '  sidecar:',
    '    image: busybox',
    '    network_mode: "service:web"',
    '    cpus: 2',
    '    mem_limit: 1g',
  ].join('\n');

  it('reads stop, health, limits, ports and init of a service with their places', () => {
    const [web] = containers('compose', text);
    assert.ok(web);
    assert.equal(web.orchestrator, 'compose');
    assert.equal(web.service?.value, 'web');
    assert.equal(web.stopGrace?.seconds, 90);
    assert.equal(at(text, web.stopGrace!.range), '1m30s');
    assert.equal(at(text, web.stopSignal!.range), 'SIGINT');
    assert.equal(web.healthcheck?.value, 'CMD curl -f http://localhost:8000/');
    assert.equal(web.cpus?.count, 0.5);
    assert.equal(web.memory?.bytes, 512 * 1024 * 1024);
    assert.equal(at(text, web.memory!.range), '512M');
    assert.deepEqual(
      web.ports.map((p) => [p.port, p.last, p.protocol, p.declaredBy]),
      [
        [8000, 8000, 'tcp', 'ports'],
        [9000, 9000, 'tcp', 'ports'],
        [8000, 8000, 'tcp', 'ports'],
        [7000, 7002, 'udp', 'expose'],
      ],
    );
    assert.equal(at(text, web.ports[1]!.where.range), '9000');
    assert.equal(web.init?.enabled, true);
    assert.equal(web.user?.value, '1000:1000');
    assert.equal(web.networkShared, true);
    assert.equal(web.stopGraceInsert, undefined);
  });

  it('reads every service, with or without a Gunicorn command', () => {
    const all = readComposeContainers({
      uri: 'file:///w/compose.yaml',
      path: '/w/compose.yaml',
      kind: 'compose',
      text,
    });
    assert.deepEqual(
      all.map((c) => [c.service, c.overridesCommand, c.build?.context]),
      [
        ['web', true, '.'],
        ['sidecar', false, undefined],
      ],
    );
    const sidecar = all[1]!.container;
    assert.equal(sidecar.cpus?.count, 2);
    assert.equal(sidecar.memory?.bytes, 1024 ** 3);
    assert.equal(sidecar.networkMode?.value, 'service:web');
    // No stop_grace_period: where one would go, indented like the service's keys.
    assert.deepEqual(sidecar.stopGraceInsert, { uri: 'file:///w/compose.yaml', line: 21, indent: '    ' });
  });

  it('reads durations and byte values as compose does, and nothing else', () => {
    assert.equal(composeDuration('10s'), 10);
    assert.equal(composeDuration('1m30s'), 90);
    assert.equal(composeDuration('1.5s'), 1.5);
    assert.equal(composeDuration('500ms'), 0.5);
    assert.equal(composeDuration('1h'), 3600);
    assert.equal(composeDuration('30'), undefined);
    assert.equal(composeDuration('${GRACE}'), undefined);
    assert.equal(composeBytes('512m'), 512 * 1024 ** 2);
    assert.equal(composeBytes('2gb'), 2 * 1024 ** 3);
    assert.equal(composeBytes('1024'), 1024);
    assert.equal(composeBytes('lots'), undefined);
  });
});

describe('container facts: Dockerfile', () => {
  it('reads STOPSIGNAL, HEALTHCHECK, EXPOSE, USER and the base image, inherited from a parent stage', () => {
    const text = [
      'FROM --platform=linux/amd64 python:3.12-slim AS base',
      'EXPOSE 8000/tcp 9000-9001',
      'STOPSIGNAL SIGQUIT',
      'FROM base',
      'USER app',
      'HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1',
      'CMD gunicorn -b :8000 app:app',
    ].join('\n');
    const [facet] = containers('dockerfile', text);
    assert.ok(facet);
    assert.equal(facet.orchestrator, 'docker');
    assert.equal(facet.image?.value, 'python:3.12-slim');
    assert.equal(at(text, facet.stopSignal!.range), 'SIGQUIT');
    assert.equal(facet.user?.value, 'app');
    assert.equal(facet.healthcheck?.value, 'CMD curl -f http://localhost:8000/ || exit 1');
    assert.deepEqual(
      facet.ports.map((p) => [p.port, p.last]),
      [
        [8000, 8000],
        [9000, 9001],
      ],
    );
    assert.equal(facet.shell?.program, '/bin/sh');
    assert.equal(facet.shell?.implicit, true);
    assert.equal(facet.shell?.execs, false);
    assert.equal(at(text, facet.shell!.where.range), 'gunicorn -b :8000 app:app');
  });

  it('tells exec form, `exec` in a shell form, `sh -c` and an init apart', () => {
    const execForm = containers('dockerfile', 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n')[0]!;
    assert.equal(execForm.shell, undefined);
    const execs = containers('dockerfile', 'FROM python:3.12\nCMD exec gunicorn app:app\n')[0]!;
    assert.equal(execs.shell?.execs, true);
    const shC = containers(
      'dockerfile',
      'FROM python:3.12\nCMD ["sh", "-c", "cd /app && gunicorn app:app"]\n',
    )[0]!;
    assert.equal(shC.shell?.program, 'sh');
    assert.equal(shC.shell?.implicit, false);
    assert.equal(shC.shell?.execs, false);
    const tini = containers(
      'dockerfile',
      'FROM python:3.12\nENTRYPOINT ["tini", "--"]\nCMD ["gunicorn", "app:app"]\n',
    )[0]!;
    assert.equal(tini.initProgram, 'tini');
    const unknown = containers('dockerfile', 'FROM python:3.12\nEXPOSE $PORT\nCMD gunicorn app:app\n')[0]!;
    assert.equal(unknown.portsUnknown, true);
  });
});
