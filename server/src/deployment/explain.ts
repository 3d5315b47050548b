// The deployment at a glance: for each Gunicorn the model found, where it starts, what it loads, every setting that is
// set somewhere with where its value comes from, and how the files connect — as plain data and as one markdown page.

import { compareStrings } from '../core/text';
import { gunicornCatalog } from '../languages/gunicorn/catalog';
import { endpointsMatch, formatEndpoint, type Endpoint } from './addresses';
import type { Deployment, DeploymentModel, EffectiveSetting } from './model';
import { containerStopBudget } from './rules/stopBudget';
import type { Located, SettingOrigin } from './types';
import { forwardSlashes as norm } from '../core/paths';

/** A place in a workspace file: `file` relative to the root given (else the full path), `line` one-based. */
export interface ExplainPlace {
  file: string;
  line: number;
  /** `file:///…#L12`: VS Code and most markdown viewers open the file at that line. */
  link: string;
}

export interface ExplainValue {
  value: string;
  origin: SettingOrigin;
  place?: ExplainPlace;
}

export interface ExplainSetting extends ExplainValue {
  setting: string;
  /** False when the value cannot be known statically (shown as written). */
  known: boolean;
  /** The values this one replaces, lowest precedence first. */
  overrides: ExplainValue[];
  /** What bounds it from outside (the container's stop budget for graceful_timeout). */
  limit?: { text: string; place?: ExplainPlace };
}

/** One fact of the launch's container (stop signal, grace period, limits, user, ports). */
export interface ExplainFact {
  name: string;
  value: string;
  place?: ExplainPlace;
}

export interface ExplainDeployment {
  /** The model's stable key for the deployment. */
  id: string;
  /** A short name: the unit, the compose service, or the launch's file. */
  title: string;
  launch?: { kind: string; place: ExplainPlace; unit?: string };
  /** The config file Gunicorn reads: `place` when it is a workspace file, `written` as the launch names it. */
  config?: { written?: string; place?: ExplainPlace; unknown: boolean };
  app?: {
    spec: string;
    place: ExplainPlace;
    status: 'found' | 'missing' | 'unknown';
    /** The module's file, when it is in the workspace. */
    module?: ExplainPlace;
    /** The workspace folder the module is imported from (where Gunicorn must run to import it), absolute. */
    importDir?: string;
  };
  workingDirectory?: string;
  listens: { address: string; place?: ExplainPlace }[];
  service?: { name: string; place?: ExplainPlace };
  sockets: { name: string; place: ExplainPlace; listens: string[] }[];
  /** nginx passes to this Gunicorn: `address` as nginx writes it, `reaches` the listen address it matches. */
  nginx: { directive: string; address: string; reaches?: string; upstream?: string; place: ExplainPlace }[];
  /** Every setting not at Gunicorn's plain default: written somewhere, or fed by an environment variable. */
  settings: ExplainSetting[];
  container?: { orchestrator: string; stopBudgetSeconds?: number; facts: ExplainFact[] };
}

export interface ExplainReport {
  /** Bumped when a field changes meaning or goes away (new fields may be added without it). */
  schema: 1;
  gunicornVersion: string;
  deployments: ExplainDeployment[];
}

export interface ExplainOptions {
  /** Paths are shown relative to this folder (links stay absolute). */
  root?: string;
  versionLabel: string;
}

/** The explain data of every deployment the model found. */
export function explainDeployments(model: DeploymentModel, options: ExplainOptions): ExplainReport {
  const lines = new LinePaths(options.root);
  const apps = model.appTargets();
  const deployments = model.deployments.map((deployment) => {
    const place = (where: Located<unknown> | undefined): ExplainPlace | undefined =>
      where ? lines.place(where.uri, where.range.start.line) : undefined;
    const launch = deployment.launch;
    const result: ExplainDeployment = {
      id: deployment.id,
      title: titleOf(deployment, lines),
      listens: (deployment.listens ?? []).map((listen) => ({
        address: formatEndpoint(listen.endpoint),
        ...optional('place', place(listen.where)),
      })),
      sockets: deployment.sockets.map((socket) => ({
        name: socket.unit.name,
        place: lines.place(socket.unit.uri, 0),
        listens: socket.listens.map((listen) => formatEndpoint(listen.endpoint)),
      })),
      nginx: deployment.nginx.map((target) => ({
        directive: target.pass.name,
        address: formatEndpoint(target.endpoint, true),
        ...optional('reaches', reachedAddress(deployment, target.endpoint)),
        ...optional('upstream', target.upstream),
        place: lines.place(target.file.uri, target.file.model.lines.positionAt(target.pass.span.from).line),
      })),
      settings: settingsOf(model, deployment, place),
    };
    if (launch) {
      result.launch = {
        kind: launch.kind,
        place: lines.place(launch.uri, launch.range.start.line),
        ...optional('unit', launch.unit),
      };
    }
    if (deployment.config || deployment.configRef) {
      result.config = {
        ...optional('written', deployment.configRef?.value),
        ...optional('place', deployment.config ? lines.place(deployment.config.uri, 0) : undefined),
        unknown: deployment.configUnknown,
      };
    }
    const app = apps.find((target) => target.deployment === deployment);
    if (app) {
      result.app = {
        spec: app.spec.value,
        place: place(app.spec)!,
        status: app.status,
        ...optional('module', app.module ? lines.place(app.module.uri ?? app.module.path, 0) : undefined),
        ...optional(
          'importDir',
          app.module ? importDirOf(app.module.path, app.parsed.module, app.module.isPackage) : undefined,
        ),
      };
    } else if (launch?.app) {
      // The model did not resolve it (no listing of the workspace's folders): the spec as written.
      result.app = { spec: launch.app.value, place: place(launch.app)!, status: 'unknown' };
    }
    if (deployment.cwd) result.workingDirectory = deployment.cwd;
    if (deployment.service) {
      const main = deployment.service.view.main;
      result.service = {
        name: deployment.service.name,
        ...optional('place', main ? lines.place(main.uri, 0) : undefined),
      };
    }
    const container = containerOf(deployment, place);
    if (container) result.container = container;
    return result;
  });
  return { schema: 1, gunicornVersion: options.versionLabel, deployments };
}

/** The listen address of the deployment an nginx pass reaches, as Gunicorn writes it. */
function reachedAddress(deployment: Deployment, endpoint: Endpoint): string | undefined {
  const listen = deployment.listens?.find((l) => endpointsMatch(endpoint, l.endpoint));
  return listen ? formatEndpoint(listen.endpoint) : undefined;
}

/** A value for one table cell: a hook's `def` shows its first line, long expressions are cut. */
function shortValue(value: string): string {
  const first = value.split(/\r?\n/)[0]!.trim();
  const cut = first.length > MAX_VALUE ? `${first.slice(0, MAX_VALUE - 1)}…` : first;
  return cut !== value ? (cut.endsWith('…') ? cut : `${cut} …`) : value;
}

const MAX_VALUE = 120;

/** The folder above a module's file that its dotted name is relative to (`/w/app` for `/w/app/shop/wsgi.py`, `shop.wsgi`). */
function importDirOf(file: string, dotted: string, isPackage: boolean): string | undefined {
  const parts = norm(file).split('/');
  const depth = dotted.split('.').length + (isPackage ? 1 : 0);
  return parts.length > depth ? parts.slice(0, parts.length - depth).join('/') || '/' : undefined;
}

/** `{ [key]: value }` when the value is there, `{}` otherwise (the data has no undefined fields). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function settingsOf(
  model: DeploymentModel,
  deployment: Deployment,
  place: (where: Located<unknown> | undefined) => ExplainPlace | undefined,
): ExplainSetting[] {
  const found: ExplainSetting[] = [];
  for (const name of gunicornCatalog().settings.keys()) {
    const effective: EffectiveSetting | undefined = model.effective(deployment, name);
    if (!effective) continue;
    // A plain default (not fed by an environment variable, overriding nothing) says nothing about this deployment.
    if (effective.origin === 'default' && !effective.where && !effective.overrides.length) continue;
    found.push({
      setting: name,
      value: shortValue(effective.value),
      known: effective.known,
      origin: effective.origin,
      ...optional('place', place(effective.where)),
      overrides: effective.overrides.map((o) => ({
        value: shortValue(o.value),
        origin: o.origin,
        ...optional('place', place(o.where)),
      })),
      ...(effective.limit
        ? { limit: { text: effective.limit.text, ...optional('place', place(effective.limit.where)) } }
        : {}),
    });
  }
  return found.sort((a, b) => compareStrings(a.setting, b.setting));
}

function containerOf(
  deployment: Deployment,
  place: (where: Located<unknown> | undefined) => ExplainPlace | undefined,
): ExplainDeployment['container'] {
  const container = deployment.launch?.container;
  if (!container) return undefined;
  const facts: ExplainFact[] = [];
  const add = (name: string, where: Located<string> | undefined): void => {
    if (where) facts.push({ name, value: where.value, ...optional('place', place(where)) });
  };
  add('service', container.service);
  add('image', container.image);
  add('stop grace period', container.stopGrace);
  add('stop signal', container.stopSignal);
  add('health check', container.healthcheck);
  add('CPU limit', container.cpus);
  add('memory limit', container.memory);
  add('user', container.user);
  add('init', container.init);
  add('network mode', container.networkMode);
  for (const port of container.ports) {
    const range = port.last !== port.port ? `${port.port}-${port.last}` : String(port.port);
    facts.push({
      name: `port (${port.declaredBy})`,
      value: `${range}/${port.protocol}`,
      ...optional('place', place(port.where)),
    });
  }
  const budget = containerStopBudget(deployment);
  return {
    orchestrator: container.orchestrator,
    ...optional('stopBudgetSeconds', budget?.seconds),
    facts,
  };
}

function titleOf(deployment: Deployment, lines: LinePaths): string {
  const launch = deployment.launch;
  if (deployment.service) return deployment.service.name;
  if (launch?.container?.service) return `${launch.container.service.value} (compose service)`;
  if (launch) return `${lines.relative(launch.path)}:${launch.range.start.line + 1}`;
  if (deployment.config) return lines.relative(deployment.config.path);
  return deployment.id;
}

/** Turns a uri or path and a zero-based line into a place, relative to the root when under it. */
class LinePaths {
  private readonly root: string | undefined;
  constructor(root: string | undefined) {
    this.root = root ? norm(root).replace(/\/$/, '') : undefined;
  }

  relative(path: string): string {
    const p = norm(path);
    return this.root && p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p;
  }

  place(uriOrPath: string, line: number): ExplainPlace {
    const uri = /^[a-z][a-z0-9+.-]*:/i.test(uriOrPath) ? uriOrPath : fileUri(uriOrPath);
    const path = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : uriOrPath;
    return { file: this.relative(path), line: line + 1, link: `${uri}#L${line + 1}` };
  }
}

function fileUri(path: string): string {
  const p = norm(path);
  return `file://${(p.startsWith('/') ? p : `/${p}`).split('/').map(encodeURIComponent).join('/')}`;
}
