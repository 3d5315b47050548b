// `gunicorn-config validate [DIR] [--gunicorn PATH] [--timeout S]`: runs the project's own Gunicorn with
// --check-config on each deployment's config and app. It runs your code, so only when you ask for it by this command.

import { folderModel, readableFolder, usageExit } from './cliExplain';
import { explainDeployments } from './deployment/explain';
import {
  findGunicorn,
  problemPlace,
  validateWithGunicorn,
  validationTarget,
  type ValidateResult,
} from './validateGunicorn';

export const VALIDATE_USAGE = `Usage: gunicorn-config validate [DIR] [--gunicorn PATH] [--timeout SECONDS]

validate: runs Gunicorn itself with --check-config on each deployment found in DIR (default .): its config file and
its app, in the folder the app is imported from, with a minimal environment. This RUNS YOUR CODE (the config file and
the app's import) as it is configured; network access is not blocked. The Gunicorn is --gunicorn, else DIR/.venv or
DIR/venv, else the first on PATH. Each run is stopped after --timeout seconds (default 30).
Exit code: 0 every deployment passed, 1 one failed or timed out, 2 usage error or no Gunicorn found.`;

interface ValidateArgs {
  dir: string;
  gunicorn?: string;
  timeoutMs: number;
}

function parseValidateArgs(argv: readonly string[]): ValidateArgs | string {
  const args: ValidateArgs = { dir: '', timeoutMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
    if (flag === '--help' || flag === '-h') return VALIDATE_USAGE;
    if (flag === '--gunicorn') {
      const v = value();
      if (!v) return '--gunicorn takes the path of a gunicorn executable';
      args.gunicorn = v;
    } else if (flag === '--timeout') {
      const v = Number(value());
      if (!(v > 0 && v <= 3600)) return '--timeout takes seconds, such as 30';
      args.timeoutMs = v * 1000;
    } else if (arg.startsWith('-')) {
      return `unknown option '${arg}'\n\n${VALIDATE_USAGE}`;
    } else if (args.dir) {
      return `validate takes one directory, got '${args.dir}' and '${arg}'`;
    } else {
      args.dir = arg;
    }
  }
  return args;
}

export async function validateCommand(argv: readonly string[]): Promise<number> {
  const args = parseValidateArgs(argv);
  if (typeof args === 'string') return usageExit(args, VALIDATE_USAGE);
  const root = readableFolder('validate', args.dir);
  if (!root) return 2;
  const gunicorn = args.gunicorn ?? findGunicorn(root);
  if (!gunicorn) {
    process.stderr.write(
      'gunicorn-config validate: no Gunicorn found (.venv, venv or PATH); pass --gunicorn PATH\n',
    );
    return 2;
  }
  const { model, versionLabel } = folderModel(root, 'auto');
  const report = explainDeployments(model, { root, versionLabel });
  let failed = 0;
  for (const deployment of report.deployments) {
    const target = validationTarget(deployment, root);
    const result: ValidateResult = await validateWithGunicorn({
      gunicorn,
      ...target,
      timeoutMs: args.timeoutMs,
    });
    const verdict =
      result.status === 'passed'
        ? 'passed'
        : result.status === 'timeout'
          ? `did not finish within ${args.timeoutMs / 1000} s (stopped)`
          : result.status === 'not-started'
            ? `could not be started: ${result.stderr.trim()}`
            : `failed (exit code ${result.exitCode})`;
    process.stdout.write(`${deployment.title}: ${result.command.join(' ')} ${verdict}\n`);
    if (result.status === 'passed') continue;
    failed++;
    for (const problem of result.problems) {
      const place = problemPlace(problem, deployment, target.cwd);
      process.stdout.write(`  ${place ? `${place.file}:${place.line}: ` : ''}${problem.message}\n`);
    }
    if (result.status === 'failed' && !result.problems.length) process.stdout.write(indent(result.stderr));
  }
  if (!report.deployments.length) process.stdout.write('No deployment found: nothing to validate.\n');
  return failed ? 1 : 0;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(-20)
    .map((line) => `  ${line}\n`)
    .join('');
}
