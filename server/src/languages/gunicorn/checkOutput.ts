// Reads what `gunicorn --check-config` printed when it failed: the problems it names, each with the setting, file and
// line it points at when the output says so (so an editor can show them where they are written).

import { gunicornCatalog } from './catalog';

export interface GunicornCheckProblem {
  message: string;
  /** The setting Gunicorn rejected (`workers`), when the output names one. */
  setting?: string;
  /** The file a traceback points at, as Gunicorn printed it. */
  file?: string;
  /** One-based line in `file`. */
  line?: number;
}

const MAX_OUTPUT = 200_000;

/** The problems in Gunicorn's output, the most precise first; empty when it printed nothing we recognise. */
export function parseGunicornCheck(output: string): GunicornCheckProblem[] {
  const text = output.slice(0, MAX_OUTPUT);
  const problems: GunicornCheckProblem[] = [];
  for (const match of text.matchAll(/^Invalid value for ([\w-]+): (.*)$/gm)) {
    const name = match[1]!.replace(/-/g, '_');
    const reason = /^Error: (.+)$/m.exec(text.slice(match.index))?.[1];
    problems.push({
      message: `Gunicorn rejects ${name} = ${match[2]!.trim()}${reason ? `: ${reason.trim()}` : ''}`,
      ...(gunicornCatalog().get(name) ? { setting: name } : {}),
    });
  }
  // argparse: "gunicorn: error: argument -w/--workers: invalid int value: 'x'"
  for (const match of text.matchAll(/^gunicorn: error: (?:argument ([^:]+): )?(.+)$/gm)) {
    const flags = match[1]?.split('/') ?? [];
    const setting = flags.map((flag) => gunicornCatalog().byCliFlag(flag)?.name).find(Boolean);
    problems.push({
      message: `Gunicorn rejects the command line: ${match[1] ? `${match[1]}: ` : ''}${match[2]!.trim()}`,
      ...(setting ? { setting } : {}),
    });
  }
  const failedConfig = /^Failed to read config file: (.+)$/m.exec(text);
  const trace = lastTraceback(text);
  if (failedConfig || trace) {
    const configFile = failedConfig?.[1]?.trim();
    // The frame in the config file when there is one (the error's line there), else the last frame.
    const frame =
      (configFile && [...(trace?.frames ?? [])].reverse().find((f) => sameFile(f.file, configFile))) ||
      trace?.frames.at(-1);
    const what = failedConfig
      ? `Gunicorn could not read the config file ${configFile}`
      : 'Gunicorn could not load the application';
    problems.push({
      message: `${what}${trace?.error ? `: ${trace.error}` : ''}`,
      ...(frame ? { file: frame.file, line: frame.line } : configFile ? { file: configFile } : {}),
    });
  }
  if (!problems.length) {
    const error = /^Error: (.+)$/m.exec(text)?.[1];
    if (error) problems.push({ message: `Gunicorn: ${error.trim()}` });
  }
  return problems;
}

/** The frames and the final line of the last Python traceback in the output. */
function lastTraceback(
  text: string,
): { frames: { file: string; line: number }[]; error?: string } | undefined {
  const start = text.lastIndexOf('Traceback (most recent call last):');
  if (start < 0) return undefined;
  const lines = text.slice(start).split(/\r?\n/).slice(1);
  const frames: { file: string; line: number }[] = [];
  let error: string | undefined;
  for (const line of lines) {
    const frame = /^\s+File "([^"]+)", line (\d+)/.exec(line);
    if (frame) frames.push({ file: frame[1]!, line: Number(frame[2]) });
    else if (/^\w[\w.]*(Error|Exception|Exit|Interrupt)\b/.test(line)) error = line.trim();
  }
  return { frames, ...(error ? { error } : {}) };
}

function sameFile(a: string, b: string): boolean {
  const x = a.replace(/\\/g, '/');
  const y = b.replace(/\\/g, '/').replace(/^\.\//, '');
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}
