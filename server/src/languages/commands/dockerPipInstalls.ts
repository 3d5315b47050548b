// What a Dockerfile installs with Python's package tools: `pip install …` (pip3, python -m pip, uv pip), `-r FILE`,
// `pip install .`, `poetry install`, `pipenv install`, `uv sync`, distribution packages (`apt-get install
// python3-gevent`), per stage, with the image paths they read and the COPYs before them. Pure; never throws.

import { expand, readCommand, resolveIn, unreadInstall, type PipInstall, type StageCopy } from './pipCommand';
import { shellCommands, type ShellWord } from './shellWords';

export type { PipInstall, StageCopy } from './pipCommand';

export interface DockerInstalls {
  /** Installs of the final stage and of the stages it builds on or copies from. */
  installs: PipInstall[];
  /** The image the final stage starts from, following `FROM <stage>` (undefined when written with a variable). */
  baseImage?: string;
}

interface Stage {
  name?: string;
  /** The stage it starts from, when FROM names an earlier stage. */
  parent?: number;
  image?: string;
  workdir: string;
  env: Map<string, string>;
  copies: StageCopy[];
  installs: PipInstall[];
  /** Stages it copies from (`COPY --from=`). */
  uses: Set<number>;
}

/** The Dockerfile's instructions with continuation lines joined in place (same offsets; comment lines blanked). */
function instructions(text: string): { keyword: string; argsFrom: number; args: string }[] {
  const blanks: [number, number][] = [];
  let continued = false;
  for (const m of text.matchAll(/[^\n]*(\n|$)/g)) {
    if (m[0] === '') break;
    const line = m[0].replace(/\r?\n$/, '');
    const trimmed = line.trim();
    if (continued && (trimmed.startsWith('#') || trimmed === '')) {
      // Docker drops comment and empty lines inside a continued instruction.
      blanks.push([m.index, m.index + m[0].length]);
      continue;
    }
    const escape = /\\[ \t]*$/.exec(line);
    continued = !!escape && !trimmed.startsWith('#');
    if (continued) blanks.push([m.index + escape!.index, m.index + m[0].length]);
  }
  const parts: string[] = [];
  let at = 0;
  for (const [from, to] of blanks) {
    parts.push(text.slice(at, from), ' '.repeat(to - from));
    at = to;
  }
  parts.push(text.slice(at));
  const shadow = parts.join('').replace(/^\uFEFF/, ' ');
  const result: { keyword: string; argsFrom: number; args: string }[] = [];
  for (const m of shadow.matchAll(/[^\n]+/g)) {
    const head = /^(\s*)([A-Za-z]+)(\s+|$)/.exec(m[0]);
    if (!head || m[0].trim().startsWith('#')) continue;
    result.push({
      keyword: head[2]!.toUpperCase(),
      argsFrom: m.index + head[0].length,
      args: m[0].slice(head[0].length).replace(/\r$/, ''),
    });
  }
  return result;
}

/** The words of an exec-form (`["pip", "install", "x"]`) instruction, found in order in the text; else undefined. */
function execFormWords(args: string, argsFrom: number): ShellWord[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((w) => typeof w === 'string')) return undefined;
  let at = 0;
  return (parsed as string[]).map((value) => {
    const index = args.indexOf(JSON.stringify(value), at);
    const from = index < 0 ? at : index;
    at = index < 0 ? at : index + JSON.stringify(value).length;
    return { value, from: argsFrom + from, to: argsFrom + at, dynamic: false };
  });
}

/**
 * One command of a RUN: an install we read, `sh -c "…"` read as its own commands, or something that may install
 * packages we cannot name (recorded as unknown, so nothing is said to be missing).
 */
function readRunCommand(
  words: ShellWord[],
  text: string,
  stage: Stage,
  copies: StageCopy[],
  depth: number,
): void {
  const install = readCommand(words, text, stage, copies);
  if (install) {
    stage.installs.push(install);
    return;
  }
  const shell = words.findIndex((w) => /^(sh|bash|dash)$/.test(w.value.slice(w.value.lastIndexOf('/') + 1)));
  const flag = shell >= 0 ? words[shell + 1] : undefined;
  const script = flag && /^-[a-z]*c$/.test(flag.value) ? words[shell + 2] : undefined;
  if (script && depth < 3) {
    const base = /^["']/.test(text.slice(script.from, script.from + 1)) ? script.from + 1 : script.from;
    for (const inner of shellCommands(script.value, base)) {
      readRunCommand(inner, text, stage, copies, depth + 1);
    }
    return;
  }
  const reason = unreadInstall(words);
  if (reason) {
    const from = words[0]!.from;
    const to = words[words.length - 1]!.to;
    stage.installs.push({
      from,
      to,
      packages: [],
      requirementFiles: [],
      projects: [],
      unknown: [{ reason, from, to }],
      copies,
    });
  }
}

/** A `--mount=type=bind,source=…,target=…` of a RUN: context files visible to that command only. */
function bindMount(flag: string, stage: Stage): StageCopy | undefined {
  const fields = new Map(
    flag
      .replace(/^--mount=/, '')
      .split(',')
      .map((field) => {
        const eq = field.indexOf('=');
        return [eq < 0 ? field : field.slice(0, eq), eq < 0 ? '' : field.slice(eq + 1)] as const;
      }),
  );
  if ((fields.get('type') ?? 'bind') !== 'bind' || fields.has('from')) return undefined;
  const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
  if (!target) return undefined;
  return {
    sources: [fields.get('source') ?? fields.get('src') ?? '.'],
    target: resolveIn(stage.workdir, target),
  };
}

/** The Python package installs of a Dockerfile; never throws. */
export function dockerInstalls(text: string): DockerInstalls {
  try {
    return readDockerfile(text);
  } catch {
    return { installs: [] };
  }
}

function readDockerfile(text: string): DockerInstalls {
  const stages: Stage[] = [];
  /** ARGs before the first FROM: they may be used in FROM lines. */
  const globalArgs = new Map<string, string>();
  let stage: Stage | undefined;
  for (const { keyword, argsFrom, args } of instructions(text)) {
    if (keyword === 'FROM') {
      const words = args
        .trim()
        .split(/\s+/)
        .filter((w) => !w.startsWith('--'));
      const written = words[0] ?? '';
      const image = expand(written, globalArgs);
      const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
      const parentIndex = stages.findIndex(
        (s) => s.name !== undefined && s.name === (image ?? written).toLowerCase(),
      );
      const parent = parentIndex >= 0 ? stages[parentIndex] : undefined;
      stage = {
        ...(asAt > 0 && words[asAt + 1] ? { name: words[asAt + 1]!.toLowerCase() } : {}),
        ...(parent ? { parent: parentIndex } : image ? { image } : {}),
        workdir: parent?.workdir ?? '/',
        env: new Map(parent?.env ?? []),
        copies: [...(parent?.copies ?? [])],
        installs: [],
        uses: new Set(),
      };
      stages.push(stage);
      continue;
    }
    if (!stage) {
      if (keyword === 'ARG') {
        const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:=(?:"([^"]*)"|'([^']*)'|(\S*)))?/.exec(args);
        if (m) globalArgs.set(m[1]!, m[2] ?? m[3] ?? m[4] ?? '');
      }
      continue;
    }
    if (keyword === 'ENV' || keyword === 'ARG') {
      const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)];
      if (pairs.length) {
        for (const [, name, value] of pairs) stage.env.set(name!, value!.replace(/^(["'])(.*)\1$/, '$2'));
      } else if (keyword === 'ARG' && globalArgs.has(args.trim())) {
        stage.env.set(args.trim(), globalArgs.get(args.trim())!);
      } else {
        const legacy = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*$/.exec(args);
        if (legacy && keyword === 'ENV') stage.env.set(legacy[1]!, legacy[2]!);
      }
    } else if (keyword === 'WORKDIR') {
      const dir = expand(args.trim().replace(/^(["'])(.*)\1$/, '$2'), stage.env);
      if (dir) stage.workdir = resolveIn(stage.workdir, dir).replace(/(.)\/$/, '$1');
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const from = /--from=(\S+)/.exec(args)?.[1]?.toLowerCase();
      if (from !== undefined) {
        const index = /^\d+$/.test(from) ? Number(from) : stages.findIndex((s) => s.name === from);
        if (index >= 0 && index < stages.length) stage.uses.add(index);
        continue;
      }
      const words =
        execFormWords(args.replace(/^\s*(--\S+\s+)+/, ''), 0)?.map((w) => w.value) ??
        args
          .replace(/^\s*(--\S+\s+)+/, '')
          .trim()
          .split(/\s+/)
          .map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
      if (words.length < 2) continue;
      const target = expand(words[words.length - 1]!, stage.env);
      if (target === undefined) continue;
      const sources = words.slice(0, -1);
      const asFolder = target.endsWith('/') || sources.length > 1;
      stage.copies.push({
        sources,
        target: resolveIn(stage.workdir, asFolder ? `${target.replace(/\/$/, '')}/` : target),
      });
    } else if (keyword === 'RUN') {
      const flags = /^\s*((?:--\S+\s+)*)/.exec(args)![1]!;
      const mounts = flags
        .split(/\s+/)
        .filter((f) => f.startsWith('--mount='))
        .map((f) => bindMount(f, stage!))
        .filter((m): m is StageCopy => !!m);
      const commandFrom = argsFrom + flags.length;
      const command = args.slice(flags.length);
      const exec = execFormWords(command, commandFrom);
      const commands = exec ? [exec] : shellCommands(command, commandFrom);
      const copies = [...stage.copies, ...mounts];
      for (const words of commands) readRunCommand(words, text, stage, copies, 0);
    }
  }
  const final = stages.length - 1;
  if (final < 0) return { installs: [] };
  const reached = new Set<number>();
  const visit = (index: number): void => {
    if (reached.has(index)) return;
    reached.add(index);
    const s = stages[index]!;
    if (s.parent !== undefined) visit(s.parent);
    for (const used of s.uses) visit(used);
  };
  visit(final);
  let root = stages[final]!;
  while (root.parent !== undefined) root = stages[root.parent]!;
  return {
    installs: [...reached].sort((a, b) => a - b).flatMap((index) => stages[index]!.installs),
    ...(root.image ? { baseImage: root.image } : {}),
  };
}
