// Helpers shared by the deployment rules: where a setting is written, related information, edits in any file.

import type { Fix, RelatedInfo } from '../../core/findings';
import type { Range, TextEdit } from '../../core/text';
import { gunicornCatalog } from '../../languages/gunicorn/catalog';
import type { Binding } from '../../languages/gunicorn/model';
import { isLoopbackHost, type Endpoint } from '../addresses';
import type { Deployment, DeploymentFacts, ResolvedSetting } from '../model';
import type { NginxTarget } from '../nginxFacts';
import type { UnitDirective } from '../systemdFacts';
import type { Located, SettingOrigin } from '../types';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A short name for a deployment in messages: the unit, the compose service, the launch file or the config file. */
export function deploymentName(deployment: Deployment): string {
  if (deployment.service) return deployment.service.name;
  // A compose service by its name: the Dockerfile's or compose file's name says less ("nginx connects to Dockerfile").
  const service = deployment.launch?.container?.service?.value;
  if (service) return `compose service ${service}`;
  if (deployment.launch) return fileName(deployment.launch.path);
  if (deployment.config) return fileName(deployment.config.path);
  return 'Gunicorn';
}

export function fileName(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

export function originLabel(origin: SettingOrigin): string {
  switch (origin) {
    case 'default':
      return "Gunicorn's default";
    case 'config':
      return 'the config file';
    case 'GUNICORN_CMD_ARGS':
      return 'GUNICORN_CMD_ARGS';
    default:
      return 'the command line';
  }
}

/** Where a deployment is, for related information when a setting has no written place: the launch or the config. */
export function deploymentAnchor(deployment: Deployment): { uri: string; range: Range } | undefined {
  if (deployment.launch) return { uri: deployment.launch.uri, range: deployment.launch.range };
  if (deployment.config) return { uri: deployment.config.uri, range: ZERO };
  return undefined;
}

/** Related information for a setting: where it is written, else the launch (for defaults). */
export function settingRelated(
  deployment: Deployment,
  setting: ResolvedSetting,
  message: string,
): RelatedInfo | undefined {
  if (setting.where) return { uri: setting.where.uri, range: setting.where.range, message };
  const anchor = deploymentAnchor(deployment);
  return anchor ? { ...anchor, message } : undefined;
}

export function relatedAt(
  where: Located<unknown> | { uri: string; range: Range },
  message: string,
): RelatedInfo {
  return { uri: where.uri, range: where.range, message };
}

export function unitRelated(where: UnitDirective, message: string, whole = true): RelatedInfo {
  const span = whole ? where.directive.span : where.directive.valueSpan;
  return { uri: where.unit.uri, range: where.unit.model.lines.range(span.from, span.to), message };
}

/** A fix whose edits may lie in several files: the ones in `uri` go in `edits`, the rest in `otherFiles`. */
export function fixAcross(
  uri: string,
  title: string,
  edits: readonly { uri: string; edit: TextEdit }[],
  isPreferred = false,
): Fix {
  const here: TextEdit[] = [];
  const others = new Map<string, TextEdit[]>();
  for (const { uri: target, edit } of edits) {
    if (target === uri) here.push(edit);
    else others.set(target, [...(others.get(target) ?? []), edit]);
  }
  return {
    title,
    edits: here,
    ...(others.size
      ? { otherFiles: [...others].map(([target, list]) => ({ uri: target, edits: list })) }
      : {}),
    ...(isPreferred ? { isPreferred: true } : {}),
  };
}

/** The config binding behind a `config`-origin setting, when the deployment has one. */
export function configBindingOf(deployment: Deployment, setting: string): Binding | undefined {
  const model = deployment.config?.model;
  if (!model) return undefined;
  let last: Binding | undefined;
  for (const binding of model.bindings) if (binding.name === setting) last = binding;
  return last;
}

/** An edit replacing a setting's written value (config expression or command-line word) by `python`/`cli` text. */
export function replaceSettingEdit(
  deployment: Deployment,
  setting: ResolvedSetting,
  text: { python: string; cli: string },
): { uri: string; edit: TextEdit } | undefined {
  if (!setting.where) return undefined;
  if (setting.origin === 'config') {
    const binding = configBindingOf(deployment, setting.setting);
    if (!binding || binding.kind === 'def' || binding.kind === 'import') return undefined;
    return { uri: setting.where.uri, edit: { range: setting.where.range, newText: text.python } };
  }
  if (setting.origin === 'command-line' || setting.origin === 'GUNICORN_CMD_ARGS') {
    // Only a value word can be replaced; a bare flag (`--preload`) has none.
    if (setting.where.value === true) return undefined;
    return { uri: setting.where.uri, edit: { range: setting.where.range, newText: text.cli } };
  }
  return undefined;
}

/** An edit deleting a config-file statement with its line. */
export function deleteConfigStatement(
  deployment: Deployment,
  setting: string,
): { uri: string; edit: TextEdit } | undefined {
  const config = deployment.config;
  const binding = configBindingOf(deployment, setting);
  if (!config || !binding || binding.branch.length) return undefined;
  const lines = config.model.lines;
  const start = lines.positionAt(binding.statementSpan.from);
  const end = lines.positionAt(binding.statementSpan.to);
  if (lines.lineText(start.line).slice(0, start.character).trim() !== '') return undefined;
  const rest = lines.lineText(end.line).slice(end.character).trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const next =
    end.line + 1 < lines.lineCount
      ? { line: end.line + 1, character: 0 }
      : lines.positionAt(lines.lineEnd(end.line));
  return {
    uri: config.uri,
    edit: { range: { start: { line: start.line, character: 0 }, end: next }, newText: '' },
  };
}

/** An edit appending `line` at the end of the deployment's config file. */
export function appendConfigLine(
  deployment: Deployment,
  line: string,
): { uri: string; edit: TextEdit } | undefined {
  const config = deployment.config;
  if (!config) return undefined;
  const lines = config.model.lines;
  const end = lines.positionAt(config.model.text.length);
  const needsBreak = config.model.text.length > 0 && !/\r?\n$/.test(config.model.text);
  return {
    uri: config.uri,
    edit: { range: { start: end, end }, newText: `${needsBreak ? lines.eol : ''}${line}${lines.eol}` },
  };
}

/** The words of the systemd file around a directive, for inserting a new `Key=value` line after it. */
export function insertUnitLineAfter(where: UnitDirective, text: string): { uri: string; edit: TextEdit } {
  const { unit, directive } = where;
  const lines = unit.model.lines;
  const last = lines.positionAt(directive.span.to).line;
  const indent = /^\s*/.exec(lines.lineText(directive.line))?.[0] ?? '';
  if (last + 1 < lines.lineCount) {
    const at = { line: last + 1, character: 0 };
    return {
      uri: unit.uri,
      edit: { range: { start: at, end: at }, newText: `${indent}${text}${lines.eol}` },
    };
  }
  const end = { line: last, character: lines.lineText(last).length };
  return { uri: unit.uri, edit: { range: { start: end, end }, newText: `${lines.eol}${indent}${text}` } };
}

export function replaceUnitValue(where: UnitDirective, text: string): { uri: string; edit: TextEdit } {
  const { unit, directive } = where;
  return {
    uri: unit.uri,
    edit: { range: unit.model.lines.range(directive.valueSpan.from, directive.valueSpan.to), newText: text },
  };
}

/** The service's ExecStart= that runs Gunicorn (or its first one), to insert directives next to. */
export function execStartOf(deployment: Deployment): UnitDirective | undefined {
  const view = deployment.service?.view;
  if (!view) return undefined;
  const all = view.all('Service', 'ExecStart');
  const launch = deployment.launch;
  return (
    all.find(
      (where) =>
        launch &&
        where.unit.uri === launch.uri &&
        where.unit.model.lines.positionAt(where.directive.span.from).line <= launch.range.start.line &&
        where.unit.model.lines.positionAt(where.directive.span.to).line >= launch.range.start.line,
    ) ?? all[0]
  );
}

export type WorkerKind = 'sync' | 'threads' | 'async' | 'unknown';

/** How the deployment's workers take requests; sync with threads > 1 becomes gthread, as Gunicorn does. */
export function workerKindOf(
  facts: DeploymentFacts,
  deployment: Deployment,
): { kind: WorkerKind; setting?: ResolvedSetting } {
  const workerClass = facts.setting(deployment, 'worker_class');
  if (!workerClass?.known || !workerClass.parsed.str) return { kind: 'unknown' };
  const name = workerClass.parsed.str.trim().replace(/^egg:gunicorn#/, '');
  const lower = name.toLowerCase();
  if (lower === 'sync' || lower === 'gunicorn.workers.sync.syncworker') {
    const threads = facts.setting(deployment, 'threads');
    if (!threads?.known || threads.parsed.num === undefined) return { kind: 'unknown' };
    return threads.parsed.num > 1
      ? { kind: 'threads', setting: threads }
      : { kind: 'sync', setting: workerClass };
  }
  if (lower === 'gthread' || lower === 'gunicorn.workers.gthread.threadworker') {
    return { kind: 'threads', setting: workerClass };
  }
  const info = gunicornCatalog().workerClass(name);
  if (info?.async) return { kind: 'async', setting: workerClass };
  if (/gevent|eventlet|tornado|uvicorn|asgi|aiohttp/.test(lower)) {
    return { kind: 'async', setting: workerClass };
  }
  return { kind: 'unknown' };
}

/** A Python string literal. */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

export function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : Number(value.toFixed(3))} s`;
}

export function valueRangeOf(where: UnitDirective): Range {
  return where.unit.model.lines.range(where.directive.valueSpan.from, where.directive.valueSpan.to);
}

/**
 * The nginx passes that reach a deployment and pass `accept`, each once: a pass through an upstream of several of the
 * deployment's addresses is listed once per address.
 */
export function distinctPasses<T extends NginxTarget>(
  deployment: Deployment,
  accept: (target: NginxTarget) => target is T,
): T[];
export function distinctPasses(
  deployment: Deployment,
  accept: (target: NginxTarget) => boolean,
): NginxTarget[];
export function distinctPasses(
  deployment: Deployment,
  accept: (target: NginxTarget) => boolean,
): NginxTarget[] {
  const seen = new Set<NginxTarget['pass']>();
  return deployment.nginx.filter((target) => {
    if (!accept(target) || seen.has(target.pass)) return false;
    seen.add(target.pass);
    return true;
  });
}

/**
 * The TCP addresses Gunicorn listens on, when it listens on TCP only and not on loopback alone: what can reach it from
 * outside its container. Undefined otherwise (unknown addresses; a unix socket is reached through a shared volume or a
 * sidecar; loopback only is container-bind-loopback's finding).
 */
export function outwardTcp(deployment: Deployment): Extract<Endpoint, { kind: 'tcp' }>[] | undefined {
  const listens = deployment.listens;
  if (!listens?.length) return undefined;
  const tcp = listens.flatMap((listen) => (listen.endpoint.kind === 'tcp' ? [listen.endpoint] : []));
  if (tcp.length !== listens.length || tcp.every((endpoint) => isLoopbackHost(endpoint.host))) {
    return undefined;
  }
  return tcp;
}
