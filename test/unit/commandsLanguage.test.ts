import { strict as assert } from 'node:assert';
import type { Finding } from '../../server/src/core/findings';
import { applyEdits, LineIndex } from '../../server/src/core/text';
import type { Version } from '../../server/src/core/version';
import {
  commandRules,
  parseCommandSource,
  type CommandSourceKind,
} from '../../server/src/languages/commands/index';

const V23: Version = [23, 0, 0];

function ctx(path: string, version: Version = V23) {
  return { uri: `file://${path}`, path, version, versionLabel: version.join('.') };
}

const PATHS: Record<CommandSourceKind, string> = {
  dockerfile: '/w/Dockerfile',
  procfile: '/w/Procfile',
  compose: '/w/compose.yaml',
  shell: '/w/start.sh',
  manifest: '/w/k8s/deployment.yaml',
};

function analyze(
  kind: CommandSourceKind,
  text: string,
  options: { path?: string; version?: Version } = {},
): Finding[] {
  const version = options.version ?? V23;
  return parseCommandSource(kind, text, version).analyze(ctx(options.path ?? PATHS[kind], version));
}

function rules(
  kind: CommandSourceKind,
  text: string,
  options?: { path?: string; version?: Version },
): string[] {
  return analyze(kind, text, options).map((f) => f.rule);
}

function only(
  kind: CommandSourceKind,
  text: string,
  rule: string,
  options?: { path?: string; version?: Version },
): Finding {
  const found = analyze(kind, text, options).filter((f) => f.rule === rule);
  assert.equal(found.length, 1, `expected one ${rule}, got ${found.length}`);
  return found[0]!;
}

function covered(text: string, finding: Finding): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offsetAt(finding.range.start), lines.offsetAt(finding.range.end));
}

function fixed(text: string, finding: Finding, index = 0): string {
  return applyEdits(text, finding.fixes![index]!.edits);
}

describe('commands language: rules', () => {
  it('has unique ids with docs and the shared command-line rule', () => {
    const ids = commandRules.map((r) => r.meta.id);
    assert.deepEqual(ids, [
      'gunicorn-command-line',
      'gunicorn-cmd-args',
      'gunicorn-reload-in-container',
      'gunicorn-daemon-in-container',
    ]);
    for (const rule of commandRules) assert.ok(rule.meta.docsUrl.endsWith(`#${rule.meta.id}`));
  });

  it('checks Dockerfile exec-form command lines and keeps JSON strings quoted in fixes', () => {
    const text = 'FROM python\nCMD ["gunicorn", "-w", "4.0", "--wrkers", "2", "main.py:app"]\n';
    const found = analyze('dockerfile', text).filter((f) => f.rule === 'gunicorn-command-line');
    assert.equal(found.length, 3);
    assert.equal(covered(text, found[0]!), '"4.0"');
    assert.equal(
      fixed(text, found[0]!),
      'FROM python\nCMD ["gunicorn", "-w", "4", "--wrkers", "2", "main.py:app"]\n',
    );
    assert.match(found[1]!.message, /no option --wrkers/);
    assert.equal(fixed(text, found[1]!), text.replace('"--wrkers"', '"--workers"'));
    assert.equal(fixed(text, found[2]!), text.replace('"main.py:app"', '"main:app"'));
  });

  it('checks shell-form and Procfile command lines against the target version', () => {
    const text = 'web: gunicorn --timeout=abc -b :$PORT app:app\n';
    const finding = only('procfile', text, 'gunicorn-command-line');
    assert.equal(covered(text, finding), 'abc');
    // $PORT is expanded by the shell at run time: never judged.
    assert.deepEqual(rules('procfile', 'web: gunicorn -b 0.0.0.0:$PORT app:app\n'), []);
    const old = only('shell', 'gunicorn --print-config app:app\n', 'gunicorn-command-line', {
      version: [19, 9, 0],
    });
    assert.match(old.message, /added in Gunicorn 20\.1\.0/);
  });

  it('checks compose commands, lists included', () => {
    const text = 'services:\n  web:\n    command: ["gunicorn", "--bind", "0.0.0.0:notaport", "app:app"]\n';
    const finding = only('compose', text, 'gunicorn-command-line');
    assert.equal(covered(text, finding), '"0.0.0.0:notaport"');
  });

  it('checks GUNICORN_CMD_ARGS values with exact ranges and fixes', () => {
    const text = 'FROM python\nENV GUNICORN_CMD_ARGS="--wrkers 3"\nCMD ["./run.sh"]\n';
    const finding = only('dockerfile', text, 'gunicorn-cmd-args');
    assert.equal(covered(text, finding), '--wrkers');
    assert.match(finding.message, /^In GUNICORN_CMD_ARGS: /);
    assert.equal(fixed(text, finding), text.replace('--wrkers', '--workers'));
    const shell = 'export GUNICORN_CMD_ARGS="-w x"\nexec gunicorn app:app\nexec gunicorn other:app\n';
    assert.equal(covered(shell, only('shell', shell, 'gunicorn-cmd-args')), 'x');
  });

  it('says when the version ignores GUNICORN_CMD_ARGS or -c inside it', () => {
    const text = 'web: GUNICORN_CMD_ARGS="-c conf.py" gunicorn app:app\n';
    assert.match(
      only('procfile', text, 'gunicorn-cmd-args', { version: [19, 6, 0] }).message,
      /since 19\.7\.0/,
    );
    assert.match(
      only('procfile', text, 'gunicorn-cmd-args', { version: [19, 7, 0] }).message,
      /since 19\.8\.0/,
    );
    assert.deepEqual(rules('procfile', text), []);
    const both = 'web: GUNICORN_CMD_ARGS="-c env.py" gunicorn -c cli.py app:app\n';
    const info = only('procfile', both, 'gunicorn-cmd-args');
    assert.equal(info.severity, 'info');
    assert.equal(covered(both, info), 'env.py');
  });

  it('warns about --reload in Dockerfiles and Procfiles, not in development files or compose', () => {
    const text = 'FROM python\nCMD ["gunicorn", "--reload", "app:app"]\n';
    const finding = only('dockerfile', text, 'gunicorn-reload-in-container');
    assert.equal(finding.severity, 'warning');
    assert.equal(fixed(text, finding), 'FROM python\nCMD ["gunicorn", "app:app"]\n');
    const shell = 'FROM python\nCMD gunicorn \\\n  --reload \\\n  app:app\n';
    assert.equal(
      fixed(shell, only('dockerfile', shell, 'gunicorn-reload-in-container')),
      'FROM python\nCMD gunicorn \\\n  app:app\n',
    );
    assert.deepEqual(rules('dockerfile', text, { path: '/w/Dockerfile.dev' }), []);
    assert.deepEqual(rules('procfile', 'web: gunicorn --reload app:app\n', { path: '/w/Procfile.dev' }), []);
    assert.deepEqual(rules('compose', 'services:\n  web:\n    command: gunicorn --reload app:app\n'), []);
    assert.deepEqual(rules('shell', 'gunicorn --reload app:app\n'), []);
  });

  it('reports -D/--daemon in containers and Procfiles, also inside GUNICORN_CMD_ARGS', () => {
    const text = 'web: gunicorn -D app:app\n';
    const finding = only('procfile', text, 'gunicorn-daemon-in-container');
    assert.equal(finding.severity, 'error');
    assert.equal(covered(text, finding), '-D');
    assert.equal(fixed(text, finding), 'web: gunicorn app:app\n');
    const env =
      'services:\n  web:\n    command: gunicorn app:app\n    environment:\n      GUNICORN_CMD_ARGS: --daemon\n';
    const inEnv = only('compose', env, 'gunicorn-daemon-in-container');
    assert.equal(covered(env, inEnv), '--daemon');
    assert.equal(inEnv.fixes!.length, 1, 'only the suppression fix');
    // A glued cluster cannot lose one letter safely.
    assert.equal(
      only('dockerfile', 'CMD gunicorn -Dw4 app:app\n', 'gunicorn-daemon-in-container').fixes!.length,
      1,
    );
    assert.deepEqual(rules('shell', 'gunicorn --daemon app:app\n'), []);
  });

  it('honours suppression comments and offers them safely', () => {
    const text =
      'FROM python\n# gunicorn-config: disable=gunicorn-daemon-in-container\nCMD gunicorn -D app:app\n';
    assert.deepEqual(rules('dockerfile', text), []);
    const fileWide = '# gunicorn-config: disable-file=gunicorn-command-line\nweb: gunicorn --nope app:app\n';
    assert.deepEqual(rules('procfile', fileWide), []);
    const shell = 'exec gunicorn \\\n  --nope app:app\n';
    const finding = only('shell', shell, 'gunicorn-command-line');
    const suppress = finding.fixes![finding.fixes!.length - 1]!;
    assert.match(suppress.title, /in this file/);
    const suppressed = applyEdits(shell, suppress.edits);
    assert.deepEqual(rules('shell', suppressed), []);
    const docker = 'CMD gunicorn \\\n  --nope app:app\n';
    const line = only('dockerfile', docker, 'gunicorn-command-line');
    const lineFix = line.fixes![line.fixes!.length - 1]!;
    assert.match(lineFix.title, /on this line/);
    assert.deepEqual(rules('dockerfile', applyEdits(docker, lineFix.edits)), []);
  });

  it('keeps CRLF and BOM files exact', () => {
    const text = '\uFEFFweb: gunicorn --workers=x app:app\r\nworker: gunicorn -D b:app\r\n';
    const found = analyze('procfile', text);
    assert.deepEqual(
      found.map((f) => [f.rule, covered(text, f), f.range.start.line]),
      [
        ['gunicorn-command-line', 'x', 0],
        ['gunicorn-daemon-in-container', '-D', 1],
      ],
    );
  });
});

describe('commands language: hover', () => {
  function hover(kind: CommandSourceKind, text: string, marker: string, shift = 1) {
    const offset = text.indexOf(marker) + shift;
    return parseCommandSource(kind, text, V23).hover(offset, ctx(PATHS[kind]));
  }

  it('documents flags, values, the launcher and the app', () => {
    const text = 'FROM python\nCMD ["gunicorn", "--workers", "4", "app:app"]\n';
    assert.match(hover('dockerfile', text, '--workers')!.markdown, /\*\*workers\*\*/);
    assert.match(hover('dockerfile', text, '"4"')!.markdown, /\*\*workers\*\*/);
    assert.match(hover('dockerfile', text, 'gunicorn')!.markdown, /recognised as Gunicorn/);
    assert.match(hover('dockerfile', text, 'app:app')!.markdown, /MODULE:VARIABLE/);
    assert.equal(hover('dockerfile', text, 'FROM', 0), null);
    assert.match(hover('procfile', 'web: gunicorn --bogus a:b\n', '--bogus')!.markdown, /not an option/);
  });

  it('documents options inside GUNICORN_CMD_ARGS', () => {
    const text = 'export GUNICORN_CMD_ARGS="--timeout 60   --graceful-timeout 5"\ngunicorn app:app\n';
    const result = hover('shell', text, '--graceful');
    assert.match(result!.markdown, /\*\*graceful_timeout\*\*/);
    assert.match(result!.markdown, /GUNICORN_CMD_ARGS/);
    const lines = new LineIndex(text);
    assert.equal(
      text.slice(lines.offsetAt(result!.range!.start), lines.offsetAt(result!.range!.end)),
      '--graceful-timeout',
    );
    assert.match(hover('shell', text, '   --graceful', 1)!.markdown, /options from the environment/);
  });
});

describe('commands language: completion', () => {
  function complete(kind: CommandSourceKind, text: string, offset = text.length) {
    return parseCommandSource(kind, text, V23).completions(offset, ctx(PATHS[kind]));
  }

  it('offers flags after a space and while a flag is typed', () => {
    const labels = complete('procfile', 'web: gunicorn ').map((e) => e.label);
    assert.ok(labels.includes('--workers') && labels.includes('-w'));
    const typed = complete('procfile', 'web: gunicorn --wo');
    const workers = typed.find((e) => e.label === '--workers')!;
    assert.equal(workers.insertText, 'workers ');
    assert.ok(!typed.some((e) => e.label === '-w'));
  });

  it('offers nothing where a value or another program is expected', () => {
    assert.deepEqual(complete('procfile', 'web: gunicorn -w '), []);
    assert.deepEqual(complete('procfile', 'web: celery -'), []);
    assert.deepEqual(complete('shell', '# gunicorn -'), []);
    assert.deepEqual(complete('dockerfile', 'FROM python\nENV A=-'), []);
  });

  it('completes in Dockerfile shell and exec forms, behind an ENTRYPOINT too', () => {
    assert.ok(
      complete('dockerfile', 'FROM python\nCMD gunicorn \\\n  --ti').some((e) => e.label === '--timeout'),
    );
    const exec = complete('dockerfile', 'FROM python\nCMD ["gunicorn", "--ti');
    const timeout = exec.find((e) => e.label === '--timeout')!;
    assert.equal(timeout.insertText, 'timeout');
    const split = 'FROM python\nENTRYPOINT ["gunicorn"]\nCMD ["-';
    assert.ok(complete('dockerfile', split).some((e) => e.label === '--bind'));
  });

  it('completes in compose command strings and shell scripts', () => {
    const compose = 'services:\n  web:\n    command: gunicorn --bi';
    assert.ok(complete('compose', compose).some((e) => e.label === '--bind'));
    assert.ok(complete('shell', 'cd /app && exec gunicorn -').some((e) => e.label === '--workers'));
  });
});
