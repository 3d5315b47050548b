// The explain data as one markdown page: per deployment a summary with links, the settings table, the container's
// facts and a Mermaid diagram of how the files connect.

import type { ExplainDeployment, ExplainPlace, ExplainReport, ExplainValue } from './explain';
import type { SettingOrigin } from './types';

/** The whole page: a heading, then one section per deployment. */
export function explainMarkdown(report: ExplainReport): string {
  const out: string[] = ['# Gunicorn: effective configuration', ''];
  out.push(
    `Settings as Gunicorn ${report.gunicornVersion} would see them, read from the files (nothing was run).`,
    '',
  );
  if (!report.deployments.length) {
    out.push(
      'No deployment found: no Gunicorn command line (systemd unit, Dockerfile, Procfile, compose file, script) and no gunicorn.conf.py.',
      '',
    );
  }
  for (const deployment of report.deployments) out.push(...section(deployment), '');
  return out.join('\n').replace(/\n+$/, '\n');
}

function section(d: ExplainDeployment): string[] {
  const out = [`## ${escapeText(d.title)}`, ''];
  if (d.launch) {
    out.push(
      `- **Launch:** ${d.launch.kind}${d.launch.unit ? ` \`${d.launch.unit}\`` : ''} at ${link(d.launch.place)}`,
    );
  }
  if (d.config) {
    const written = d.config.written ? `\`${escapeCode(d.config.written)}\`` : '';
    const where = d.config.place ? link(d.config.place) : '';
    const unknown = d.config.unknown
      ? ' (not a file of this workspace: settings it may set are unknown)'
      : '';
    out.push(`- **Config file:** ${[written, where].filter(Boolean).join(' → ')}${unknown}`);
  }
  if (d.app) {
    const module = d.app.module
      ? ` → ${link(d.app.module)}`
      : d.app.status === 'missing'
        ? ' (not found where Gunicorn looks)'
        : '';
    out.push(`- **App:** \`${escapeCode(d.app.spec)}\` (${link(d.app.place)})${module}`);
  }
  if (d.workingDirectory) out.push(`- **Working directory:** \`${escapeCode(d.workingDirectory)}\``);
  if (d.service) {
    out.push(`- **Service:** \`${d.service.name}\`${d.service.place ? ` (${link(d.service.place)})` : ''}`);
  }
  for (const socket of d.sockets) {
    out.push(
      `- **Socket unit:** \`${socket.name}\` (${link(socket.place)}) listens on ${codes(socket.listens)}`,
    );
  }
  if (d.listens.length) {
    out.push(`- **Listens on:** ${d.listens.map((l) => `\`${escapeCode(l.address)}\``).join(', ')}`);
  }
  for (const pass of d.nginx) {
    out.push(
      `- **nginx:** \`${pass.directive}\` to \`${escapeCode(pass.address)}\`${pass.upstream ? ` (upstream \`${pass.upstream}\`)` : ''} at ${link(pass.place)}`,
    );
  }
  out.push('', '### Settings', '');
  if (!d.settings.length) {
    out.push('Every setting is at its default.');
  } else {
    out.push('| Setting | Effective value | From | Overrides |', '| --- | --- | --- | --- |');
    for (const s of d.settings) {
      const value = s.known
        ? `\`${escapeCode(s.value)}\``
        : `\`${escapeCode(s.value)}\` (not known statically)`;
      const limit = s.limit
        ? `; ${escapeText(s.limit.text)}${s.limit.place ? ` (${link(s.limit.place)})` : ''}`
        : '';
      out.push(
        `| \`${s.setting}\` | ${value} | ${from(s)}${limit} | ${s.overrides.map(overridden).join('<br>') || '—'} |`,
      );
    }
  }
  if (d.container) {
    out.push('', '### Container', '');
    const budget =
      d.container.stopBudgetSeconds !== undefined
        ? `; stops it within ${d.container.stopBudgetSeconds}s`
        : '';
    out.push(`- **Run by:** ${d.container.orchestrator}${budget}`);
    for (const fact of d.container.facts) {
      out.push(
        `- **${fact.name}:** \`${escapeCode(fact.value)}\`${fact.place ? ` (${link(fact.place)})` : ''}`,
      );
    }
  }
  out.push('', '### How the files connect', '', '```mermaid', ...diagram(d), '```');
  return out;
}

const ORIGINS: Record<SettingOrigin, string> = {
  default: 'default',
  config: 'config file',
  GUNICORN_CMD_ARGS: 'GUNICORN_CMD_ARGS',
  'command-line': 'command line',
};

function from(value: ExplainValue): string {
  return `${ORIGINS[value.origin]}${value.place ? ` ${link(value.place)}` : ''}`;
}

function overridden(value: ExplainValue): string {
  return `\`${escapeCode(value.value)}\` from ${from(value)}`;
}

function link(place: ExplainPlace): string {
  return `[${escapeText(place.file)}:${place.line}](${place.link.replace(/[()\s]/g, encodeURIComponent)})`;
}

function codes(values: readonly string[]): string {
  return values.length ? values.map((v) => `\`${escapeCode(v)}\``).join(', ') : 'nothing readable';
}

/** Table cells end at `|`; code spans cannot hold backticks safely. */
function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function escapeText(text: string): string {
  return text.replace(/([\\`*_[\]|<>])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** nginx → address → socket unit → service → launch → config → app, as far as the deployment knows them. */
function diagram(d: ExplainDeployment): string[] {
  const lines = ['flowchart LR'];
  let n = 0;
  const node = (label: string): string => {
    const id = `n${n++}`;
    lines.push(`  ${id}["${label.replace(/["\\]/g, "'").replace(/[<>]/g, ' ')}"]`);
    return id;
  };
  const edge = (a: string, b: string, label?: string): void => {
    lines.push(label ? `  ${a} -->|"${label.replace(/["|]/g, "'")}"| ${b}` : `  ${a} --> ${b}`);
  };
  const launch = d.launch
    ? node(`${d.launch.kind}: ${d.launch.place.file}:${d.launch.place.line}`)
    : undefined;
  const service = d.service ? node(d.service.name) : undefined;
  const start = service ?? launch;
  if (service && launch) edge(service, launch, 'ExecStart');
  const addresses = new Map<string, string>();
  const addressNode = (address: string): string => {
    let id = addresses.get(address);
    if (!id) addresses.set(address, (id = node(address)));
    return id;
  };
  for (const socket of d.sockets) {
    const id = node(socket.name);
    for (const address of socket.listens) edge(addressNode(address), id);
    if (start) edge(id, start, 'activates');
  }
  if (!d.sockets.length && start) {
    for (const listen of d.listens) edge(addressNode(listen.address), start, 'bind');
  }
  for (const pass of d.nginx) {
    const id = node(`nginx ${pass.directive}: ${pass.place.file}:${pass.place.line}`);
    // nginx writes a wildcard bind as 127.0.0.1: the pass joins the listen address it reaches.
    const target = addressNode(pass.reaches ?? pass.address);
    edge(id, target);
  }
  const config = d.config ? node(`config: ${d.config.place?.file ?? d.config.written ?? '?'}`) : undefined;
  if (config && launch) edge(launch, config, '-c');
  if (d.app) {
    const app = node(`app: ${d.app.spec}${d.app.module ? ` (${d.app.module.file})` : ''}`);
    const loader = launch ?? config;
    if (loader) edge(loader, app, 'loads');
  }
  if (n === 0) lines.push('  n0["no files connected"]');
  return lines;
}
