// The `gunicorn-config` command line: checks Gunicorn configs, systemd units and nginx configs with the same core as
// the server.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Finding, SeverityOverride } from './core/findings';
import { resolveTargetVersion } from './core/settings';
import { gunicornCatalog } from './languages/gunicorn/catalog';
import { detectGunicornVersion } from './languages/gunicorn/versionPin';
import { indexNginxWorkspace } from './languages/nginx/workspace';
import { detectLanguage, isNginxPath, parseDocument } from './languages/registry';
import { isDropIn } from './languages/systemd/catalog';
import { listWorkspaceFiles, readTextFile } from './workspaceFiles';

const USAGE = `Usage: gunicorn-config check [paths...] [--format text|json] [--gunicorn-version X] [--severity rule=level]

Checks gunicorn.conf.py files, the systemd units that run Gunicorn and the nginx configuration in front of it.
Directories are searched for Gunicorn config names, *.service, *.socket, *.timer, *.path files, unit drop-ins
(*.service.d/*.conf), nginx.conf, *.nginx, nginx/**/*.conf, sites-available/*, sites-enabled/*, conf.d/*.conf and
the files their include directives name.
Exit code: 0 no errors, 1 errors found, 2 usage or read failure.`;

const PIN_FILES =
  /^(requirements.*\.txt|pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|setup\.cfg)$/;

/** Unit files and drop-ins, as the VS Code client selects them. */
export function isUnitFilePath(path: string): boolean {
  return /\.(service|socket|timer|path)$/.test(path) || isDropIn(path);
}

/** The same name patterns the VS Code client selects. */
export function isGunicornConfigPath(path: string): boolean {
  const name = basename(path);
  if (!name.endsWith('.py')) return false;
  return (
    name === 'gunicorn.conf.py' ||
    /^gunicorn.*\.py$/.test(name) ||
    /gunicorn.*conf.*\.py$/.test(name) ||
    basename(dirname(path)) === 'gunicorn'
  );
}

interface Options {
  paths: string[];
  format: 'text' | 'json';
  version: string;
  severity: Record<string, SeverityOverride>;
}

function parseArgs(argv: string[]): Options | string {
  const [command, ...rest] = argv;
  if (command !== 'check') {
    return command === '--help' || command === '-h' || command === undefined
      ? USAGE
      : `unknown command '${command}'\n\n${USAGE}`;
  }
  const options: Options = { paths: [], format: 'text', version: 'auto', severity: {} };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (): string | undefined =>
      arg.includes('=') && arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
    if (arg === '--help' || arg === '-h') return USAGE;
    if (arg.startsWith('--format')) {
      const v = value();
      if (v !== 'text' && v !== 'json') return `--format takes text or json`;
      options.format = v;
    } else if (arg.startsWith('--gunicorn-version')) {
      const v = value();
      if (!v) return '--gunicorn-version takes a version such as 20.1.0';
      options.version = v;
    } else if (arg.startsWith('--severity')) {
      const v = value() ?? '';
      const [rule, level] = v.split('=');
      if (!rule || !['error', 'warning', 'info', 'hint', 'ignore'].includes(level ?? '')) {
        return '--severity takes rule=error|warning|info|hint|ignore';
      }
      options.severity[rule] = level as SeverityOverride;
    } else if (arg.startsWith('-')) {
      return `unknown option '${arg}'\n\n${USAGE}`;
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return options;
}

function main(argv: string[]): number {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    const isHelp = parsed === USAGE;
    (isHelp ? process.stdout : process.stderr).write(parsed + '\n');
    return isHelp ? 0 : 2;
  }
  const catalog = gunicornCatalog();
  const results: { file: string; findings: Finding[] }[] = [];
  let failed = false;
  for (const target of parsed.paths) {
    const root = resolve(target);
    let stat;
    try {
      stat = statSync(root);
    } catch {
      process.stderr.write(`gunicorn-config: cannot read ${target}\n`);
      failed = true;
      continue;
    }
    const all = stat.isDirectory() ? listWorkspaceFiles([root], { maxDepth: 12 }) : [root];
    const nginx = indexNginxWorkspace({
      seeds: all.filter(isNginxPath),
      allPaths: all,
      read: (path) => readTextFile(path),
    });
    const configs = stat.isDirectory()
      ? [
          ...new Set([
            ...all.filter((f) => isGunicornConfigPath(f) || isUnitFilePath(f) || isNginxPath(f)),
            ...nginx.paths,
          ]),
        ].sort()
      : [root];
    const workspaceUnits = new Set(all.filter(isUnitFilePath).map((f) => basename(f)));
    const pinFiles = (stat.isDirectory() ? all : []).filter((f) => PIN_FILES.test(basename(f)));
    const pinSearchDir = stat.isDirectory() ? root : dirname(root);
    if (!stat.isDirectory()) {
      for (const name of readdirSync(pinSearchDir)) {
        if (PIN_FILES.test(name)) pinFiles.push(join(pinSearchDir, name));
      }
    }
    const pin = detectGunicornVersion(
      pinFiles.map((path) => ({ path: relative(pinSearchDir, path), text: readFileSync(path, 'utf8') })),
      catalog.versions,
    );
    const target_ = resolveTargetVersion(parsed.version, pin, catalog.latest);
    for (const file of configs) {
      const text = readFileSync(file, 'utf8');
      // Files reached through an nginx include are nginx whatever their name (proxy_params, snippets/*.conf).
      const language = nginx.paths.includes(file) ? 'nginx' : detectLanguage(file);
      const includedInto = nginx.includedAt(file)?.context;
      const findings = parseDocument(
        language,
        text,
        includedInto ? { nginxRootContext: includedInto } : {},
      ).analyze({
        uri: 'file://' + file,
        path: file,
        version: target_.version,
        versionLabel: target_.label,
        severity: parsed.severity,
        ...(stat.isDirectory() ? { workspaceUnits } : {}),
        ...(language === 'nginx' ? { nginxWorkspace: { upstreams: nginx.upstreamsOutside(file) } } : {}),
      });
      results.push({ file: relative(process.cwd(), file) || file, findings });
    }
    if (parsed.format === 'text') process.stdout.write(`Checking against Gunicorn ${target_.label}\n`);
  }
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const { findings } of results) for (const f of findings) counts[f.severity]++;
  if (parsed.format === 'json') {
    const rows = results.flatMap(({ file, findings }) =>
      findings.map((f) => ({
        file,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        severity: f.severity,
        rule: f.rule,
        message: f.message,
        fixes: (f.fixes ?? []).map((fix) => fix.title),
      })),
    );
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    for (const { file, findings } of results) {
      for (const f of findings) {
        process.stdout.write(
          `${file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}\n`,
        );
      }
    }
    process.stdout.write(
      `${plural(results.length, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info + counts.hint, 'info')}\n`,
    );
  }
  if (failed) return 2;
  return counts.error > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

/** "1 error", "2 errors". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
