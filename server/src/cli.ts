// The `gunicorn-config` command line: checks Gunicorn configs, systemd units and nginx configs with the same core as
// the server.

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SeverityOverride } from './core/findings';
import { resolveTargetVersion, type ResolvedVersion } from './core/settings';
import { untemplatedPath } from './core/templates';
import { formatVersion } from './core/version';
import {
  DeploymentAnswerError,
  newDeployment,
  planDeployment,
  type DeploymentAnswers,
} from './deployment/template';
import { gunicornVersions, latestGunicornVersion } from './languages/gunicorn/catalog';
import { detectGunicornVersion, isPinFilePath } from './languages/gunicorn/versionPin';
import { isGunicornConfigName } from './languages/sourceKinds';
import { nginxImagesIn } from './languages/commands/nginxImage';
import { nginxCatalogVersions } from './languages/nginx/catalog';
import { resolveNginxTarget, type NginxTarget } from './languages/nginx/target';
import { indexNginxWorkspace } from './languages/nginx/workspace';
import { allRules } from './rules';
import {
  commandSourceKindOf,
  detectLanguage,
  isNginxPath,
  languageKnownByName,
  parseDocument,
  type DocumentContext,
} from './languages/registry';
import { contentKind } from './languages/contentKind';
import { isDropIn } from './languages/systemd/catalog';
import { resolveSystemdVersion } from './languages/systemd/version';
import { nginxSeeds } from './languages/nginx/dockerCopied';
import { ParseShare } from './core/sharedParses';
import { toSarif } from './sarif';
import { formatCommand } from './cliFormat';
import { fixFiles, unifiedDiff, writeFixes, type CheckedFile } from './cliFix';
import { countSafeFixes, safeFixOf } from './core/fixAll';
import { explainCommand } from './cliExplain';
import { folderModel } from './cliFolderModel';
import { tuneCliHeap } from './cliHeap';
import { validateCommand } from './cliValidate';
import { listWorkspaceFiles, readTextFile } from './workspaceFiles';

const USAGE = `Usage: gunicorn-config check [paths...] [--format text|json|sarif] [--gunicorn-version X] [--systemd-version N]
                             [--nginx-version X] [--severity rule=level] [--fix | --diff]
       gunicorn-config init [DIR] --name NAME --app MODULE:CALLABLE [--server-name HOST] [--project-dir PATH]
                            [--user USER] [--worker-class CLASS] [--venv PATH] [--socket PATH|127.0.0.1:PORT]
                            [--workers N] [--gunicorn-version X] [--force]
       gunicorn-config format [--check] [--indent N|tab] [--language nginx|systemd] FILE... (format --help)
       gunicorn-config explain [DIR] [--format markdown|json] [--gunicorn-version X] (explain --help)
       gunicorn-config validate [DIR] [--gunicorn PATH] [--timeout S] (validate --help; runs your code)

check: checks gunicorn.conf.py files, the systemd units that run Gunicorn and the nginx configuration in front of it.
Directories are searched for Gunicorn config names, *.service, *.socket, *.timer, *.path files, unit drop-ins
(*.service.d/*.conf), nginx.conf, *.nginx, nginx/**/*.conf, sites-available/*, sites-enabled/*, conf.d/*.conf and
the files their include directives name, and for the Gunicorn command lines of Dockerfiles, Procfiles, compose files
and *.sh scripts, and Kubernetes and platform manifests (render.yaml, App Engine app.yaml, fly.toml, app.json).
--format sarif writes a SARIF 2.1.0 log for code-scanning services.
The Gunicorn version is --gunicorn-version, else the pin in the checked folder, else the newest release, assumed: then
a finding that some other release would not give is only a warning. --systemd-version (e.g. 252) is the systemd
release units are judged against (default: the newest one known, assumed).
nginx files are judged against --nginx-version, else the nginx image a Dockerfile or compose file names, else the
newest release (then directives of other releases are warnings, not errors).
--fix applies every safe fix (docs/rules.md says which fixes are safe) to the checked files, then reports what is
left; fixes that change what the deployment does are never applied, only reported. --diff prints what --fix would
change, as a unified diff, and writes nothing (exit code 1 when there is something to fix).
Exit code: 0 no errors, 1 errors found, 2 usage or read failure.

init: writes a deployment that fits together into DIR (default .): gunicorn.conf.py, deploy/NAME.service,
deploy/NAME.socket (systemd socket activation on /run/NAME/gunicorn.sock) and deploy/nginx/NAME.conf.
Defaults: --project-dir /srv/NAME, --venv PROJECT_DIR/.venv, --user www-data, --server-name NAME.example.com,
--worker-class sync, --workers 3, --gunicorn-version the pin found in DIR, else the newest release.
Existing files are left alone unless --force is given.
Exit code: 0 files written, 2 usage error, bad answer, existing file or write failure.`;

/** Characters of text output written at once. */
const OUTPUT_CHUNK = 64 * 1024;

/** Printed under "Checking against Gunicorn …" when that version was assumed. */
const ASSUMED_VERSION_NOTE =
  'No pin was found, so that release is only assumed: verdicts other releases do not share are warnings. Pin gunicorn in requirements.txt or pyproject.toml, or pass --gunicorn-version, to check against the release you run.';

/** Unit files and drop-ins, as the VS Code client selects them. */
export function isUnitFilePath(path: string): boolean {
  return /\.(service|socket|timer|path)$/.test(untemplatedPath(path)) || isDropIn(path);
}

interface Options {
  command: 'check';
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  version: string;
  /** `--systemd-version`: "auto" or a release number. */
  systemdVersion: string;
  /** "auto" or an nginx version */
  nginxVersion: string;
  severity: Record<string, SeverityOverride>;
  /** `--fix`: write the safe fixes; `--diff`: print them as a diff instead. */
  fix: 'no' | 'write' | 'diff';
}

interface InitOptions {
  command: 'init';
  dir: string;
  answers: Partial<Omit<DeploymentAnswers, 'workers'>> & { workers?: string };
  version: string;
  force: boolean;
}

/** `init`'s options that take a value, and the answer each one fills. */
const INIT_VALUE_OPTIONS: Record<string, keyof InitOptions['answers']> = {
  '--name': 'name',
  '--app': 'app',
  '--server-name': 'serverName',
  '--project-dir': 'projectDir',
  '--user': 'user',
  '--worker-class': 'workerClass',
  '--venv': 'venv',
  '--socket': 'socket',
  '--workers': 'workers',
};

function parseArgs(argv: string[]): Options | InitOptions | string {
  const [command, ...rest] = argv;
  if (command === 'init') return parseInitArgs(rest);
  if (command !== 'check') {
    return command === '--help' || command === '-h' || command === undefined
      ? USAGE
      : `unknown command '${command}'\n\n${USAGE}`;
  }
  const options: Options = {
    command: 'check',
    paths: [],
    format: 'text',
    version: 'auto',
    systemdVersion: 'auto',
    nginxVersion: 'auto',
    severity: {},
    fix: 'no',
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const value = (): string | undefined =>
      arg.includes('=') && arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
    if (arg === '--help' || arg === '-h') return USAGE;
    if (arg === '--fix' || arg === '--diff') {
      const mode = arg === '--fix' ? 'write' : 'diff';
      if (options.fix !== 'no' && options.fix !== mode) return '--fix and --diff exclude each other';
      options.fix = mode;
    } else if (arg.startsWith('--format')) {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return `--format takes text, json or sarif`;
      options.format = v;
    } else if (arg.startsWith('--gunicorn-version')) {
      const v = value();
      if (!v) return '--gunicorn-version takes a version such as 20.1.0';
      options.version = v;
    } else if (arg.startsWith('--systemd-version')) {
      const v = value();
      if (!v || !(v === 'auto' || /^v?\d{1,4}(\.\d+)*$/.test(v))) {
        return '--systemd-version takes a release number such as 252, or auto';
      }
      options.systemdVersion = v;
    } else if (arg === '--nginx-version' || arg.startsWith('--nginx-version=')) {
      const v = value();
      if (!v || (v !== 'auto' && !/^\d+\.\d+(\.\d+)?$/.test(v))) {
        return '--nginx-version takes a version such as 1.24 or 1.26.2, or auto';
      }
      options.nginxVersion = v;
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

function parseInitArgs(rest: string[]): InitOptions | string {
  const options: InitOptions = { command: 'init', dir: '', answers: {}, version: 'auto', force: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : rest[++i]);
    if (flag === '--help' || flag === '-h') return USAGE;
    const answer = INIT_VALUE_OPTIONS[flag];
    if (answer) {
      const v = value();
      if (v === undefined || v === '') return `${flag} takes a value\n\n${USAGE}`;
      options.answers[answer] = v;
    } else if (flag === '--gunicorn-version') {
      const v = value();
      if (!v) return '--gunicorn-version takes a version such as 23.0.0';
      options.version = v;
    } else if (flag === '--force') {
      options.force = true;
    } else if (arg.startsWith('-')) {
      return `unknown option '${arg}'\n\n${USAGE}`;
    } else if (options.dir) {
      return `init takes one directory, got '${options.dir}' and '${arg}'`;
    } else {
      options.dir = arg;
    }
  }
  if (!options.answers.name) return `init needs --name, such as --name shop\n\n${USAGE}`;
  if (!options.answers.app) return `init needs --app, such as --app shop.wsgi:application\n\n${USAGE}`;
  return options;
}

/** The Gunicorn version to target: the explicit setting, else the pin among `pinFiles`, else the newest release. */
function targetVersion(setting: string, pinFiles: string[], pinSearchDir: string): ResolvedVersion {
  const pin = detectGunicornVersion(
    pinFiles.map((path) => ({ path: relative(pinSearchDir, path), text: readFileSync(path, 'utf8') })),
    gunicornVersions(),
  );
  return resolveTargetVersion(setting, pin, latestGunicornVersion(), '--gunicorn-version');
}

/** Pin files directly in `dir` (none when it does not exist). */
function pinFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter(isPinFilePath);
  } catch {
    return [];
  }
}

/** The deepest directory holding every one of `dirs` (the file system root when they share nothing else). */
export function commonDirectory(dirs: readonly string[]): string {
  if (dirs.length === 0) return process.cwd();
  let common = resolve(dirs[0]!);
  for (const dir of dirs.slice(1).map((d) => resolve(d))) {
    while (common !== dir && !dir.startsWith(common.endsWith(sep) ? common : common + sep)) {
      const parent = dirname(common);
      if (parent === common) return parsePath(common).root;
      common = parent;
    }
  }
  return common;
}

/** This package's version, read from its package.json (dist/cli.js and out/server/src/cli.js both find it). */
function toolVersion(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'gunicorn-config') return manifest.version;
    } catch {
      // no package.json here: look further up
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function main(argv: string[]): number {
  if (argv[0] === 'format') return formatCommand(argv.slice(1));
  if (argv[0] === 'explain') return explainCommand(argv.slice(1));
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    const isHelp = parsed === USAGE;
    (isHelp ? process.stdout : process.stderr).write(parsed + '\n');
    return isHelp ? 0 : 2;
  }
  return parsed.command === 'init' ? init(parsed) : check(parsed);
}

/** One run over the paths: each checked file's text and findings, and the lines that head the text output. */
interface CheckRun {
  results: CheckedFile[];
  problems: string[];
  checkedDirs: string[];
  /** The checked paths themselves (directories and single files): --fix writes nothing outside them. */
  checkedRoots: string[];
  headers: string[];
}

/**
 * Checks every path. `overlay` holds texts to use instead of the disk's (the files --fix has changed so far); read
 * failures are reported on stderr only when `report` (the first run) asks.
 */
function runCheck(parsed: Options, overlay: ReadonlyMap<string, string>, report: boolean): CheckRun {
  const results: CheckedFile[] = [];
  const problems: string[] = [];
  const checkedDirs: string[] = [];
  const checkedRoots: string[] = [];
  const headers: string[] = [];
  for (const target of parsed.paths) {
    const root = resolve(target);
    let stat;
    try {
      stat = statSync(root);
    } catch {
      if (report) process.stderr.write(`gunicorn-config: cannot read ${target}\n`);
      problems.push(`cannot read ${target}`);
      continue;
    }
    checkedRoots.push(root);
    checkedDirs.push(stat.isDirectory() ? root : dirname(root));
    const all = stat.isDirectory() ? listWorkspaceFiles([root], { maxDepth: 12 }) : [root];
    // Each file is parsed once: the include index and the model keep their parses, each file's own checks take them.
    const parses = new ParseShare();
    // Files the include index reads are read once: their texts are reused below.
    const read = new Map<string, string | undefined>();
    const readOnce = (path: string): string | undefined => {
      if (!read.has(path)) read.set(path, overlay.get(path) ?? readTextFile(path));
      return read.get(path);
    };
    const nginx = parses.keep(() =>
      indexNginxWorkspace({
        seeds: nginxSeeds(all, readOnce),
        allPaths: all,
        read: readOnce,
      }),
    );
    const nginxPaths = new Set(nginx.paths);
    const configs = stat.isDirectory()
      ? [
          ...new Set([
            ...all.filter(
              (f) =>
                isGunicornConfigName(f) || isUnitFilePath(f) || isNginxPath(f) || !!commandSourceKindOf(f),
            ),
            ...nginx.paths,
          ]),
        ].sort()
      : [root];
    const workspaceUnits = new Set(all.filter(isUnitFilePath).map((f) => basename(untemplatedPath(f))));
    const pinSearchDir = stat.isDirectory() ? root : dirname(root);
    const pinFiles = stat.isDirectory() ? all.filter(isPinFilePath) : pinFilesIn(pinSearchDir);
    const target_ = targetVersion(parsed.version, pinFiles, pinSearchDir);
    const systemd = resolveSystemdVersion(parsed.systemdVersion);
    const texts = new Map<string, string>(
      configs.map((file) => [file, overlay.get(file) ?? read.get(file) ?? readFileSync(file, 'utf8')]),
    );
    // The directory as one deployment: built first, so nginx checks know where Gunicorn listens and how it works.
    const folder = stat.isDirectory()
      ? folderModel({
          target,
          all,
          texts,
          nginxPaths,
          version: target_,
          severity: parsed.severity,
          parses,
        })
      : undefined;
    const forcedGunicorn = folder?.forcedGunicorn ?? new Set<string>();
    const gunicornFacts = folder?.gunicornFacts ?? {};
    // Resolved on the first nginx file: reading the nginx catalogue's releases is for nothing in a Python-only project.
    let nginxTargetMemo: NginxTarget | undefined;
    const nginxTarget = (): NginxTarget =>
      (nginxTargetMemo ??= resolveNginxTarget(
        parsed.nginxVersion,
        nginxImagesIn(
          [...texts].map(([path, text]) => ({ path, text, kind: commandSourceKindOf(path) ?? '' })),
        ).map((image) => ({
          version: image.version,
          source: `${relative(pinSearchDir, image.path) || basename(image.path)}:${image.line + 1}`,
        })),
        nginxCatalogVersions(),
      ));
    let checkedNginx = false;
    let checkedUnits = false;
    for (const [file, text] of texts) {
      // A file named on its own whose name says nothing (`Dockerfile-prod`, `site_nginx.conf`, `app.service.f`) is
      // what its first lines say, or not checked: read as Python, an nginx file gave dozens of syntax errors.
      const unnamed = !stat.isDirectory() && !languageKnownByName(file);
      const sniffed = unnamed ? contentKind(text) : undefined;
      if (unnamed && !sniffed) {
        if (report) {
          process.stderr.write(
            `gunicorn-config: ${target}: neither its name nor its first lines say what kind of file it is (a Gunicorn config, a systemd unit, nginx configuration, a Dockerfile, Procfile or script); not checked\n`,
          );
        }
        problems.push(`cannot tell the kind of ${target}`);
        continue;
      }
      // Files reached through an nginx include are nginx whatever their name (proxy_params, snippets/*.conf).
      const language = forcedGunicorn.has(file)
        ? 'gunicorn'
        : nginxPaths.has(file)
          ? 'nginx'
          : (sniffed?.language ?? detectLanguage(file));
      if (language === 'nginx') checkedNginx = true;
      if (language === 'systemd') checkedUnits = true;
      const includedInto = nginx.includedAt(file)?.context;
      const commandSourceKind =
        sniffed?.language === 'commands' ? sniffed.commandSourceKind : commandSourceKindOf(file);
      const uri = pathToFileURL(file).href;
      const context: DocumentContext = {
        uri,
        path: file,
        version: target_.version,
        versionLabel: target_.label,
        versionAssumed: target_.assumed,
        systemd,
        severity: parsed.severity,
        ...(stat.isDirectory() ? { workspaceUnits } : {}),
        ...(language === 'nginx'
          ? { nginxWorkspace: { ...nginx.factsFor(file), ...gunicornFacts }, nginxTarget: nginxTarget() }
          : {}),
      };
      const own = parses.take(() =>
        parseDocument(language, text, {
          path: file,
          ...(includedInto ? { nginxRootContext: includedInto } : {}),
          ...(language === 'commands' && commandSourceKind ? { commandSourceKind } : {}),
        }).analyze(context),
      );
      const crossFile = folder?.findings.get(uri) ?? [];
      const findings = [...own, ...crossFile].sort(
        (a, b) =>
          a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
      );
      results.push({ path: file, file: relative(process.cwd(), file) || file, text, findings });
    }
    headers.push(
      `Checking against Gunicorn ${target_.label}${checkedUnits ? `; unit files against ${systemd.label}` : ''}`,
    );
    if (target_.assumed) headers.push(ASSUMED_VERSION_NOTE);
    if (checkedNginx) headers.push(`Checking nginx files against nginx ${nginxTarget().label}`);
  }
  return { results, problems, checkedDirs, checkedRoots, headers };
}

function check(parsed: Options): number {
  const first = runCheck(parsed, new Map(), true);
  if (parsed.fix === 'no') return report(parsed, first);
  const fixed = fixFiles(
    first.results,
    first.checkedRoots,
    (overlay) => runCheck(parsed, overlay, false).results,
  );
  if (parsed.fix === 'diff') {
    for (const [path, text] of fixed.changed) {
      const name = relative(process.cwd(), path) || path;
      process.stdout.write(unifiedDiff(name, fixed.originals.get(path) ?? '', text));
    }
    return first.problems.length ? 2 : fixed.changed.size ? 1 : 0;
  }
  const written = writeFixes(fixed.changed);
  for (const failure of written.failures) process.stderr.write(`gunicorn-config: ${failure}\n`);
  // What is left: the files as written (a file that could not be written is checked as it is on disk).
  const after = runCheck(parsed, new Map(), false);
  const code = report(parsed, after, fixed.applied);
  return written.failures.length ? 2 : code;
}

/** Prints a run's findings in the chosen format; the exit code says whether errors are left. */
function report(parsed: Options, run: CheckRun, fixedCount?: number): number {
  const { results, problems, checkedDirs } = run;
  if (parsed.format === 'text') for (const line of run.headers) process.stdout.write(`${line}\n`);
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const { findings } of results) for (const f of findings) counts[f.severity]++;
  if (parsed.format === 'sarif') {
    const version = toolVersion();
    const log = toSarif(results, allRules, commonDirectory(checkedDirs), {
      ...(version ? { toolVersion: version } : {}),
      problems,
    });
    process.stdout.write(JSON.stringify(log, null, 2) + '\n');
  } else if (parsed.format === 'json') {
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
        /** Whether --fix would fix it (it has one safe fix). */
        fixable: safeFixOf(f) !== undefined,
      })),
    );
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    // In chunks: a write per finding was a system call each, thousands of them for a big folder.
    let chunk = '';
    for (const { file, findings } of results) {
      for (const f of findings) {
        chunk += `${file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}\n`;
        if (chunk.length >= OUTPUT_CHUNK) {
          process.stdout.write(chunk);
          chunk = '';
        }
      }
    }
    if (chunk) process.stdout.write(chunk);
    if (fixedCount !== undefined) process.stdout.write(`Fixed ${plural(fixedCount, 'problem')}.\n`);
    process.stdout.write(
      `${plural(results.length, 'file')} checked: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info + counts.hint, 'info')}\n`,
    );
    const fixable = results.reduce((sum, { findings }) => sum + countSafeFixes(findings), 0);
    if (fixable > 0) process.stdout.write(`${plural(fixable, 'problem')} can be fixed safely with --fix.\n`);
  }
  if (problems.length > 0) return 2;
  return counts.error > 0 ? 1 : 0;
}

function init(options: InitOptions): number {
  const dir = resolve(options.dir || '.');
  const fail = (message: string): number => {
    process.stderr.write(`gunicorn-config init: ${message}\n`);
    return 2;
  };
  const version = targetVersion(options.version, pinFilesIn(dir), dir);
  const { workers, ...answers } = options.answers;
  if (workers !== undefined && !/^\d+$/.test(workers)) {
    return fail(`--workers takes a whole number, not '${workers}'`);
  }
  const name = answers.name ?? '';
  const full: DeploymentAnswers = {
    ...answers,
    name,
    app: answers.app ?? '',
    gunicornVersion: formatVersion(version.version),
    ...(workers !== undefined ? { workers: Number(workers) } : {}),
  };
  let files;
  let notes: string[];
  try {
    notes = planDeployment(full).notes;
    files = newDeployment(full);
  } catch (error) {
    if (error instanceof DeploymentAnswerError) {
      return fail(`cannot write the deployment:\n${error.problems.map((p) => `  ${p}`).join('\n')}`);
    }
    throw error;
  }
  const targets = files.map((f) => ({ ...f, target: join(dir, ...f.path.split('/')) }));
  const existing = targets.filter((t) => existsSync(t.target));
  if (existing.length > 0 && !options.force) {
    return fail(
      `not overwriting ${existing.map((t) => relative(process.cwd(), t.target) || t.target).join(', ')} (use --force to replace ${existing.length === 1 ? 'it' : 'them'})`,
    );
  }
  process.stdout.write(`Writing a deployment for Gunicorn ${version.label}\n`);
  for (const t of targets) {
    try {
      mkdirSync(dirname(t.target), { recursive: true });
      writeFileSync(t.target, t.text);
    } catch (error) {
      return fail(`cannot write ${t.target}: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stdout.write(`wrote ${relative(process.cwd(), t.target) || t.target}\n`);
  }
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  if (answers.serverName === undefined) {
    process.stdout.write(`note: server_name is ${name}.example.com; pass --server-name with your domain.\n`);
  }
  return 0;
}

if (require.main === module) {
  // Measured for check only: explain's model of a big folder holds far more, and collecting it more often costs time.
  if (process.argv[2] === 'check') tuneCliHeap();
  // A reader that stops early (`gunicorn-config check . | head`) closes the pipe: that ends the output, not the
  // program with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  if (process.argv[2] === 'validate') {
    void validateCommand(process.argv.slice(3)).then((code) => (process.exitCode = code));
  } else {
    process.exitCode = main(process.argv.slice(2));
  }
}

/** "1 error", "2 errors". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
