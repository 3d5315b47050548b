// What a Dockerfile installs with Python's package tools: `pip install …` (pip3, python -m pip, uv pip), `-r FILE`,
// `pip install .`, `poetry install`, `pipenv install`, `uv sync`, distribution packages (`apt-get install
// python3-gevent`), per stage, with the image paths they read and the COPYs before them. Pure; never throws.

import { parseRequirement, normalizePackageName, type ParsedRequirement } from '../packages/requirement';
import { shellCommands, type ShellWord } from './shellWords';

/** A file or folder the build context puts into the image before an install runs. */
export interface StageCopy {
  /** Sources as written, relative to the build context. */
  sources: string[];
  /** Absolute target; ends with `/` when it is a folder. */
  target: string;
}

export interface PipInstall {
  /** Offsets of the installing command in the Dockerfile. */
  from: number;
  to: number;
  /** Packages named on the command line (offsets in the Dockerfile). */
  packages: ParsedRequirement[];
  /** Requirement files it reads (`-r`), as absolute image paths. */
  requirementFiles: { path: string; from: number; to: number }[];
  /** Project folders it installs (`pip install .`, `poetry install`, `uv sync`, `pipenv install`), absolute. */
  projects: { path: string; from: number; to: number }[];
  /** What it installs that we cannot name (a variable, a wheel file, a URL). */
  unknown: { reason: string; from: number; to: number }[];
  /** The files this stage copied (or bind-mounted) into the image before this command, in order. */
  copies: StageCopy[];
}

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

/** Joins a path onto an absolute folder and drops `.` and `..`; keeps a trailing slash. */
function resolveIn(dir: string, path: string): string {
  const trailing = path.endsWith('/') || path === '.';
  const joined = path.startsWith('/') ? path : `${dir.replace(/\/$/, '')}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  const result = `/${parts.join('/')}`;
  return trailing && result !== '/' ? `${result}/` : result;
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

/** Replaces `$NAME`/`${NAME}` from the stage's ENV and ARG values; undefined when something stays unresolved. */
function expand(value: string, env: ReadonlyMap<string, string>): string | undefined {
  const out = value.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => env.get(name) ?? whole,
  );
  return /[$`]/.test(out) ? undefined : out;
}

/** Options of `pip install` (and `uv pip install`) that take a value. */
const PIP_VALUE_OPTIONS = new Set(
  (
    '-i --index-url --extra-index-url -f --find-links -t --target --prefix --root --src --upgrade-strategy ' +
    '--platform --python-version --implementation --abi --cache-dir --log --proxy --retries --timeout ' +
    '--exists-action --trusted-host --cert --client-cert --no-binary --only-binary --progress-bar ' +
    '--config-settings -C --global-option --report --python -p --extra --index --default-index --group'
  ).split(' '),
);

const ARCHIVE = /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i;

/** Reads one shell command; returns the install it makes, if it is one. */
function readCommand(
  words: ShellWord[],
  text: string,
  stage: Stage,
  copies: StageCopy[],
): PipInstall | undefined {
  let i = 0;
  while (
    i < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.value) ||
      /^(sudo|env|exec|command|time|nice|xargs)$/.test(words[i]!.value))
  ) {
    i++;
  }
  const head = words[i];
  if (!head) return undefined;
  const program = head.value.slice(head.value.lastIndexOf('/') + 1);
  const install: PipInstall = {
    from: head.from,
    to: words[words.length - 1]!.to,
    packages: [],
    requirementFiles: [],
    projects: [],
    unknown: [],
    copies,
  };
  const subcommand = (start: number): number => {
    let j = start;
    while (j < words.length && words[j]!.value.startsWith('-')) j++;
    return j;
  };
  const here = { path: stage.workdir, from: head.from, to: install.to };
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) {
    const sub = subcommand(i + 1);
    if (words[sub]?.value !== 'install') return undefined;
    readPipArgs(words.slice(sub + 1), text, stage, install);
    return install;
  }
  if (/^python(\d+(\.\d+)?)?$/.test(program)) {
    const m = words.findIndex((w, j) => j > i && w.value === '-m');
    if (m < 0 || words[m + 1]?.value !== 'pip') return undefined;
    const sub = subcommand(m + 2);
    if (words[sub]?.value !== 'install') return undefined;
    readPipArgs(words.slice(sub + 1), text, stage, install);
    return install;
  }
  if (program === 'uv') {
    const sub = subcommand(i + 1);
    const verb = words[sub]?.value;
    if (verb === 'pip') {
      const action = subcommand(sub + 1);
      if (words[action]?.value === 'install') readPipArgs(words.slice(action + 1), text, stage, install);
      else if (words[action]?.value === 'sync') {
        for (const word of words.slice(action + 1)) {
          if (!word.value.startsWith('-')) addRequirementFile(word, stage, install);
        }
      } else return undefined;
      return install;
    }
    if (verb === 'sync') {
      install.projects.push(here);
      return install;
    }
    if (verb === 'add') {
      readPositionals(words.slice(sub + 1), text, install);
      return install;
    }
    return undefined;
  }
  if (program === 'poetry' || program === 'pipenv') {
    const sub = subcommand(i + 1);
    const verb = words[sub]?.value;
    if (verb === 'install' || verb === 'sync') {
      const named = words.slice(sub + 1).filter((w) => !w.value.startsWith('-'));
      if (program === 'pipenv' && verb === 'install' && named.length) readPositionals(named, text, install);
      install.projects.push(here);
      return install;
    }
    if (verb === 'add') {
      readPositionals(
        words.slice(sub + 1).map((w) => ({ ...w, value: w.value.replace(/@.*$/, '') })),
        text,
        install,
      );
      return install;
    }
    return undefined;
  }
  if (/^(apt-get|apt|apk|yum|dnf|microdnf)$/.test(program)) {
    const sub = subcommand(i + 1);
    if (!/^(install|add)$/.test(words[sub]?.value ?? '')) return undefined;
    for (const word of words.slice(sub + 1)) {
      // Distribution packages of Python modules: python3-gevent (Debian, Fedora), py3-gevent (Alpine).
      const m = /^(?:python3?|py3)-([A-Za-z0-9][A-Za-z0-9._-]*?)(?:[=<>].*)?$/.exec(word.value);
      if (m)
        install.packages.push({
          name: normalizePackageName(m[1]!),
          extras: [],
          from: word.from,
          to: word.to,
        });
    }
    return install.packages.length ? install : undefined;
  }
  if (/^(conda|mamba|micromamba)$/.test(program)) {
    const sub = subcommand(i + 1);
    if (!/^(install|create)$/.test(words[sub]?.value ?? '')) return undefined;
    const rest = words.slice(sub + 1);
    for (let j = 0; j < rest.length; j++) {
      const word = rest[j]!;
      if (/^(-c|-n|-p|--channel|--name|--prefix)$/.test(word.value)) j++;
      else if (/^(--file|-f)$/.test(word.value)) {
        install.unknown.push({
          reason: 'a conda environment file',
          from: word.from,
          to: rest[j + 1]?.to ?? word.to,
        });
        j++;
      } else if (!word.value.startsWith('-')) {
        const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(word.value.replace(/^[\w-]+::/, ''));
        if (name)
          install.packages.push({
            name: normalizePackageName(name[1]!),
            extras: [],
            from: word.from,
            to: word.to,
          });
      }
    }
    return install;
  }
  return undefined;
}

function addRequirementFile(word: ShellWord, stage: Stage, install: PipInstall): void {
  const value = expand(word.value, stage.env);
  if (word.dynamic && value === undefined) {
    install.unknown.push({
      reason: `a requirement file named by a variable (${word.value})`,
      from: word.from,
      to: word.to,
    });
    return;
  }
  install.requirementFiles.push({
    path: resolveIn(stage.workdir, value ?? word.value),
    from: word.from,
    to: word.to,
  });
}

/** Offset of a word's value in the text: after its opening quote, when it has one. */
function valueStart(word: ShellWord, text: string): number {
  return /^["']/.test(text.slice(word.from, word.from + 1)) ? word.from + 1 : word.from;
}

/** Package specs and locations given as arguments. */
function readPositionals(words: ShellWord[], text: string, install: PipInstall, stage?: Stage): void {
  for (const word of words) {
    if (word.value.startsWith('-')) continue;
    readSpec(word, text, install, stage);
  }
}

function readSpec(word: ShellWord, text: string, install: PipInstall, stage?: Stage): void {
  const value = word.value;
  if (word.dynamic) {
    install.unknown.push({ reason: `packages from a variable (${value})`, from: word.from, to: word.to });
    return;
  }
  const named = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(value);
  if (!named && (/^(\.|\/|~)/.test(value) || /:\/\//.test(value) || ARCHIVE.test(value))) {
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(value);
    if (egg)
      install.packages.push({
        name: normalizePackageName(egg[1]!),
        extras: [],
        url: value,
        from: word.from,
        to: word.to,
      });
    else if (stage && /^(\.|\/)/.test(value) && !ARCHIVE.test(value)) {
      // `pip install .[gevent]`: the project in that folder, with extras.
      const folder = value.replace(/\[[^\]]*\]$/, '');
      install.projects.push({ path: resolveIn(stage.workdir, folder), from: word.from, to: word.to });
    } else install.unknown.push({ reason: `a package from ${value}`, from: word.from, to: word.to });
    return;
  }
  const parsed = parseRequirement(value, valueStart(word, text));
  if (parsed) install.packages.push(parsed);
  else
    install.unknown.push({ reason: `a requirement we cannot read (${value})`, from: word.from, to: word.to });
}

function readPipArgs(words: ShellWord[], text: string, stage: Stage, install: PipInstall): void {
  for (let j = 0; j < words.length; j++) {
    const word = words[j]!;
    const value = word.value;
    const glued =
      /^(-r|-c|-e)(.+)$/.exec(value) ?? /^(--requirement|--constraint|--editable)=(.+)$/.exec(value);
    const option = glued ? glued[1]! : value;
    const next = glued ? { ...word, value: glued[2]! } : words[j + 1];
    if (option === '-r' || option === '--requirement') {
      if (!glued) j++;
      if (next) addRequirementFile(next, stage, install);
    } else if (option === '-c' || option === '--constraint') {
      if (!glued) j++;
    } else if (option === '-e' || option === '--editable') {
      if (!glued) j++;
      if (next) readSpec(next, text, install, stage);
    } else if (value.startsWith('-')) {
      if (PIP_VALUE_OPTIONS.has(value)) j++;
    } else {
      readSpec(word, text, install, stage);
    }
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
      if (pairs.length)
        for (const [, name, value] of pairs) stage.env.set(name!, value!.replace(/^(["'])(.*)\1$/, '$2'));
      else if (keyword === 'ARG' && globalArgs.has(args.trim()))
        stage.env.set(args.trim(), globalArgs.get(args.trim())!);
      else {
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
      for (const words of commands) {
        const install = readCommand(words, text, stage, copies);
        if (install) stage.installs.push(install);
      }
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
