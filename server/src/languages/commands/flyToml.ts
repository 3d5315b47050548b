// Fly.io's fly.toml as container launches, one per process group: its command (`[processes]`, else
// `[experimental] cmd`), `[env]`, the port Fly's proxy connects to (`[http_service]` / `[[services]]`
// internal_port), their checks, `[[vm]]` sizes, and kill_timeout / kill_signal (else Fly's defaults).

import { argvCommands, argvWordAt, splitArgv, type ArgvWord, type ShellText } from './containerCommands';
import type {
  ContainerEnvVar,
  ContainerLaunch,
  ContainerPort,
  ContainerProbe,
  Fact,
  Span,
  Written,
} from './containerFacts';
import { defaultFact } from './orchestratorFacts';
import { durationSeconds, flyMemory } from './quantities';
import { tomlLocations, type TomlLocation, type TomlLocations } from './tomlLocations';

type Table = Record<string, unknown>;

/**
 * smol-toml's parser, loaded on first use. The package declares its types for ES module importers only, while its
 * CommonJS build (the `require` export) is what this CommonJS code and the bundle load.
 */
let tomlParse: ((text: string) => unknown) | undefined;
function parseToml(text: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tomlParse ??= (require('smol-toml') as { parse: (text: string) => unknown }).parse;
  return tomlParse(text);
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A table's array of tables; a single table counts as one (`[vm]` as well as `[[vm]]`). */
function tables(value: unknown): Table[] {
  if (Array.isArray(value)) return value.filter(isTable);
  return isTable(value) ? [value] : [];
}

/** What a group-scoped section says it applies to: its `processes` list, or every group when it has none. */
function appliesTo(section: Table, group: string): boolean {
  const processes = section['processes'];
  return !Array.isArray(processes) || processes.length === 0 || processes.includes(group);
}

interface Reader {
  text: string;
  locations: TomlLocations;
}

function located(reader: Reader, path: string): TomlLocation | undefined {
  return reader.locations.get(path);
}

/** A value at `path` as a written fact; undefined when the file does not write it. */
function writtenAt<T>(
  reader: Reader,
  path: string,
  raw: unknown,
  convert: (value: unknown) => T | undefined,
): Written<T> | undefined {
  const where = located(reader, path);
  if (raw === undefined || !where) return undefined;
  const value = convert(raw);
  const text = reader.text.slice(where.value.from, where.value.to);
  return value === undefined ? { text, span: where.value } : { value, text, span: where.value };
}

function fileFact<T>(value: Written<T> | undefined): Fact<T> | undefined {
  return value ? { origin: 'file', ...value } : undefined;
}

const integer = (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
const string = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** How a TOML string value is written: basic and literal strings keep their characters inside the quotes. */
function shellTextAt(reader: Reader, span: Span, value: string): ShellText {
  const raw = reader.text.slice(span.from, span.to);
  const single = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && !raw.startsWith(raw[0]!.repeat(3));
  return single
    ? { value, inner: { from: span.from + 1, to: span.to - 1 }, whole: span }
    : { value, whole: span };
}

/**
 * The argv of a command value: a string split into words, or an array of strings. Fly's documentation names no shell
 * for process commands, so they are read as exec form (a `$VAR` word stays unknown either way: never judged).
 */
function argvAt(reader: Reader, path: string, raw: unknown): ArgvWord[] {
  const where = located(reader, path);
  if (!where) return [];
  if (typeof raw === 'string') return splitArgv(reader.text, shellTextAt(reader, where.value, raw));
  if (!Array.isArray(raw)) return [];
  const spans = where.items ?? [];
  return raw.flatMap((item, k) => {
    if (typeof item !== 'string') return [];
    const span = spans.length === raw.length ? spans[k]! : where.value;
    return [argvWordAt(reader.text, shellTextAt(reader, span, item), { quoted: true })];
  });
}

function envOf(reader: Reader, env: unknown): Map<string, ContainerEnvVar> {
  const vars = new Map<string, ContainerEnvVar>();
  if (!isTable(env)) return vars;
  for (const [name, raw] of Object.entries(env)) {
    const where = located(reader, `env.${name}`);
    if (!where) continue;
    const text = reader.text.slice(where.value.from, where.value.to);
    const value =
      typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : undefined;
    vars.set(name, {
      name,
      nameSpan: where.key,
      value: value === undefined ? { text, span: where.value } : { value, text, span: where.value },
    });
  }
  return vars;
}

/** A check of `[http_service]`, `[[services]]` or `[checks]`, with Fly's duration strings in seconds. */
function checkOf(
  reader: Reader,
  path: string,
  check: Table,
  kind: ContainerProbe['kind'],
): ContainerProbe | undefined {
  // The check's `[[…checks]]` header, else (an inline table) its first key.
  const span = located(reader, path)?.key ?? located(reader, `${path}.${Object.keys(check)[0] ?? ''}`)?.key;
  if (!span) return undefined;
  const probe: ContainerProbe = { role: 'health', kind, span };
  const seconds = (key: string) => fileFact(writtenAt(reader, `${path}.${key}`, check[key], durationSeconds));
  const grace = seconds('grace_period');
  if (grace) probe.initialDelaySeconds = grace;
  const interval = seconds('interval');
  if (interval) probe.periodSeconds = interval;
  const timeout = seconds('timeout');
  if (timeout) probe.timeoutSeconds = timeout;
  const checkPath = writtenAt(reader, `${path}.path`, check['path'], string);
  if (checkPath) probe.path = checkPath;
  const port = writtenAt(reader, `${path}.port`, check['port'], integer);
  if (port) probe.port = port;
  return probe;
}

/** The sections that route traffic to a group, with their checks. */
function routing(
  reader: Reader,
  config: Table,
  group: string,
): { ports: ContainerPort[]; probes: ContainerProbe[] } {
  const ports: ContainerPort[] = [];
  const probes: ContainerProbe[] = [];
  const addPort = (path: string, section: Table) => {
    const port = writtenAt(reader, `${path}.internal_port`, section['internal_port'], integer);
    if (port) ports.push({ port, role: 'routed' });
  };
  const addChecks = (path: string, section: Table, key: string, kind: ContainerProbe['kind']) => {
    tables(section[key]).forEach((check, k) => {
      const checkPath = Array.isArray(section[key]) ? `${path}.${key}.${k}` : `${path}.${key}`;
      const probe = checkOf(reader, checkPath, check, kind);
      if (probe) probes.push(probe);
    });
  };
  const http = config['http_service'];
  if (isTable(http) && appliesTo(http, group)) {
    addPort('http_service', http);
    addChecks('http_service', http, 'checks', 'http');
  }
  tables(config['services']).forEach((service, k) => {
    if (!appliesTo(service, group)) return;
    const path = Array.isArray(config['services']) ? `services.${k}` : 'services';
    addPort(path, service);
    addChecks(path, service, 'http_checks', 'http');
    addChecks(path, service, 'tcp_checks', 'tcp');
  });
  const checks = config['checks'];
  if (isTable(checks)) {
    for (const [name, check] of Object.entries(checks)) {
      if (!isTable(check) || !appliesTo(check, group)) continue;
      const type = check['type'];
      const probe = checkOf(
        reader,
        `checks.${name}`,
        check,
        type === 'http' ? 'http' : type === 'tcp' ? 'tcp' : 'unknown',
      );
      if (probe) probes.push(probe);
    }
  }
  return { ports, probes };
}

/** `[[vm]]` sizes that apply to a group: CPUs and memory (`memory = "1gb"`, `memory_mb = 512`). */
function machineOf(reader: Reader, config: Table, group: string): Partial<ContainerLaunch> {
  const out: Partial<ContainerLaunch> = {};
  tables(config['vm']).forEach((vm, k) => {
    if (!appliesTo(vm, group)) return;
    const path = Array.isArray(config['vm']) ? `vm.${k}` : 'vm';
    const cpus = writtenAt(reader, `${path}.cpus`, vm['cpus'], integer);
    if (cpus) out.cpuLimit = { origin: 'file', ...cpus };
    const memory =
      writtenAt(reader, `${path}.memory`, vm['memory'], flyMemory) ??
      writtenAt(reader, `${path}.memory_mb`, vm['memory_mb'], (value) =>
        typeof value === 'number' && value > 0 ? value * 2 ** 20 : undefined,
      );
    if (memory) out.memoryLimit = { origin: 'file', ...memory };
    const size = writtenAt(reader, `${path}.size`, vm['size'], string);
    if (size) out.machineSize = size;
  });
  return out;
}

/** The launches of a fly.toml (one per process group); [] when the text is no valid TOML. Never throws. */
export function parseFlyToml(text: string): ContainerLaunch[] {
  let config: Table;
  try {
    config = parseToml(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text) as Table;
  } catch {
    return [];
  }
  const reader: Reader = { text, locations: tomlLocations(text) };
  const processes = isTable(config['processes']) ? Object.entries(config['processes']) : [];
  const experimental = isTable(config['experimental']) ? config['experimental'] : {};
  const groups: { name: string; path?: string; raw?: unknown }[] = processes.length
    ? processes.map(([name, raw]) => ({ name, path: `processes.${name}`, raw }))
    : [
        {
          name: 'app',
          ...(experimental['cmd'] !== undefined
            ? { path: 'experimental.cmd', raw: experimental['cmd'] }
            : {}),
        },
      ];
  const env = envOf(reader, config['env']);
  const grace = fileFact(writtenAt(reader, 'kill_timeout', config['kill_timeout'], durationSeconds));
  const signal = fileFact(writtenAt(reader, 'kill_signal', config['kill_signal'], string));
  return groups.map((group) => {
    const argv = group.path ? argvAt(reader, group.path, group.raw) : [];
    const where = group.path ? located(reader, group.path) : undefined;
    const { ports, probes } = routing(reader, config, group.name);
    return {
      orchestrator: 'fly',
      name: group.name,
      // The process line, else the app's name (the file's first fact), else the file's start.
      span: where
        ? { from: where.key.from, to: where.value.to }
        : (located(reader, 'app')?.value ?? { from: 0, to: 0 }),
      commands: argvCommands(text, argv, group.path ?? 'cmd'),
      env,
      unknownEnv: [],
      ports,
      portEnv: defaultFact<boolean>('fly', 'portEnv'),
      probes,
      stopGrace: grace ?? defaultFact<number>('fly', 'stopGraceSeconds'),
      stopSignal: signal ?? defaultFact<string>('fly', 'stopSignal'),
      ...machineOf(reader, config, group.name),
    } satisfies ContainerLaunch;
  });
}
