// The GitHub Action (action.yml) run locally: its steps' `run:` scripts, with the inputs substituted and the
// environment GitHub gives a composite action's steps, executed by bash as GitHub runs `shell: bash`, in a throwaway
// copy of a deployment.

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanEnv, ensureBundles, ROOT } from './helpers';

interface Step {
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

/** `${{ inputs.NAME }}` replaced by the input's value; any other expression is one this test cannot evaluate. */
function substitute(text: string, inputs: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression)?.[1];
    if (input === undefined || !(input in inputs)) throw new Error(`cannot evaluate ${whole}`);
    return inputs[input]!;
  });
}

interface Run {
  status: number;
  output: string;
  outputs: Record<string, string>;
}

describe('GitHub Action (action.yml)', function () {
  this.timeout(120_000);
  let work: string;
  let actionPath: string;

  before(function () {
    ensureBundles();
    work = mkdtempSync(join(tmpdir(), 'gc-action-'));
    // The action's checkout, as the runner has it after building: the built bundles and the report script.
    actionPath = join(work, 'action');
    mkdirSync(actionPath);
    symlinkSync(join(ROOT, 'dist'), join(actionPath, 'dist'));
    symlinkSync(join(ROOT, 'scripts'), join(actionPath, 'scripts'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Runs the action's steps in `cwd` with `given` inputs (the rest default) until one fails, as a job would. */
  function runAction(cwd: string, given: Record<string, string>): Run {
    const inputs = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [name, given[name] ?? input.default ?? '']),
    );
    const runnerTemp = mkdtempSync(join(work, 'runner-temp-'));
    let output = '';
    let status = 0;
    const outputsFile = join(runnerTemp, 'outputs');
    writeFileSync(outputsFile, '');
    for (const step of action.runs.steps) {
      assert.equal(step.uses, undefined, 'the action runs no other action');
      assert.equal(step.shell, 'bash');
      const script = join(runnerTemp, `${step.id}.sh`);
      writeFileSync(script, substitute(step.run ?? '', inputs));
      const env = cleanEnv({
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, inputs)])),
        GITHUB_ACTION_PATH: actionPath,
        GITHUB_OUTPUT: outputsFile,
        RUNNER_TEMP: runnerTemp,
        GITHUB_WORKSPACE: cwd,
      });
      const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd,
        env,
        encoding: 'utf8',
      });
      output += run.stdout + run.stderr;
      status = run.status ?? 1;
      if (status !== 0) break;
    }
    const outputs = Object.fromEntries(
      readFileSync(outputsFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { status, output, outputs };
  }

  /** The CLI's own JSON findings for `dir`, counted by severity (what the action's outputs must agree with). */
  function cliCounts(dir: string): { error: number; warning: number; info: number } {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'dist', 'cli.js'), 'check', '.', '--format', 'json'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    const rows = JSON.parse(run.stdout) as { severity: string }[];
    const count = (wanted: string[]): number => rows.filter((row) => wanted.includes(row.severity)).length;
    return { error: count(['error']), warning: count(['warning']), info: count(['info', 'hint']) };
  }

  it('fails on the broken example, writes its SARIF log, annotates and reports the counts', function () {
    const dir = join(work, 'broken');
    cpSync(join(ROOT, 'examples', 'deployment'), dir, { recursive: true });
    const { status, output, outputs } = runAction(dir, {});
    assert.equal(status, 1, output);
    const sarifPath = join(dir, action.inputs['sarif']!.default!);
    const sarif = JSON.parse(readFileSync(sarifPath, 'utf8')) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const expected = cliCounts(dir);
    assert.equal(sarif.runs[0]!.results.length, expected.error + expected.warning + expected.info);
    assert.deepEqual(
      [outputs['errors'], outputs['warnings'], outputs['infos']],
      [String(expected.error), String(expected.warning), String(expected.info)],
    );
    assert.equal(outputs['sarif'], action.inputs['sarif']!.default);
    assert.match(
      output,
      /^::error file=deploy\/shop\.nginx,line=22,col=9,.*::Unknown directive "proxy_read_timout"/m,
    );
    // The human-readable listing is in the log too.
    assert.match(output, /deploy\/shop\.service:12:5 error gunicorn-command-line/);
  });

  it('passes with fail-on never, and fails on warnings with fail-on warning where errors alone would pass', function () {
    const broken = join(work, 'never');
    cpSync(join(ROOT, 'examples', 'deployment'), broken, { recursive: true });
    assert.equal(runAction(broken, { 'fail-on': 'never' }).status, 0);

    // A clean deployment from `init`, with one setting Gunicorn ignores (a warning, no error).
    const dir = join(work, 'warned');
    execFileSync(process.execPath, [
      join(ROOT, 'dist', 'cli.js'),
      'init',
      dir,
      '--name',
      'shop',
      '--app',
      'shop.wsgi:app',
    ]);
    writeFileSync(
      join(dir, 'gunicorn.conf.py'),
      `${readFileSync(join(dir, 'gunicorn.conf.py'), 'utf8')}\nkeep_alive = 5\n`,
    );
    const counts = cliCounts(dir);
    assert.equal(counts.error, 0);
    assert.ok(counts.warning > 0);
    const lenient = runAction(dir, { sarif: '' });
    assert.equal(lenient.status, 0, lenient.output);
    assert.equal(lenient.outputs['sarif'], '');
    assert.ok(!existsSync(join(dir, 'gunicorn-config.sarif')));
    assert.equal(runAction(dir, { 'fail-on': 'warning', sarif: 'out/log.sarif' }).status, 1);
  });

  it('passes the paths and the extra options through, and fails on a path that cannot be read', function () {
    const dir = join(work, 'paths');
    cpSync(join(ROOT, 'examples', 'deployment'), join(dir, 'site'), { recursive: true });
    const pinned = runAction(dir, { paths: 'site', args: '--gunicorn-version 20.1.0' });
    assert.match(pinned.output, /Checking against Gunicorn 20\.1\.0/);
    const missing = runAction(dir, { paths: 'site\nno-such-folder' });
    assert.equal(missing.status, 2, missing.output);
    assert.match(missing.output, /cannot read no-such-folder/);
  });
});
