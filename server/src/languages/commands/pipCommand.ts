// One shell command of a Dockerfile RUN read as a Python package install: pip, pip3, python -m pip, uv pip, uv sync,
// poetry, pipenv, distribution packages (python3-gevent) and conda; package specs, `-r` files, local projects.

import { normalizePackageName, parseRequirement, type ParsedRequirement } from '../packages/requirement';
import type { ShellWord } from './shellWords';
import { joinDirPath } from '../../core/paths';

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

/** Where the command runs: the stage's WORKDIR and its ENV/ARG values. */
export interface CommandStage {
  workdir: string;
  env: ReadonlyMap<string, string>;
}

/** Joins a path onto an absolute folder and drops `.` and `..`; keeps a trailing slash. */
export const resolveIn = joinDirPath;

/** Replaces `$NAME`/`${NAME}` from the stage's ENV and ARG values; undefined when something stays unresolved. */
export function expand(value: string, env: ReadonlyMap<string, string>): string | undefined {
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
export function readCommand(
  words: ShellWord[],
  text: string,
  stage: CommandStage,
  copies: StageCopy[],
): PipInstall | undefined {
  let i = 0;
  while (
    i < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.value) ||
      /^(sudo|env|exec|command|time|nice|xargs|if|then|else|elif|do|!|\{)$/.test(words[i]!.value))
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
      if (m) {
        install.packages.push({
          name: normalizePackageName(m[1]!),
          extras: [],
          from: word.from,
          to: word.to,
        });
      }
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
        if (name) {
          install.packages.push({
            name: normalizePackageName(name[1]!),
            extras: [],
            from: word.from,
            to: word.to,
          });
        }
      }
    }
    return install;
  }
  return undefined;
}

function addRequirementFile(word: ShellWord, stage: CommandStage, install: PipInstall): void {
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
function readPositionals(words: ShellWord[], text: string, install: PipInstall, stage?: CommandStage): void {
  for (const word of words) {
    if (word.value.startsWith('-')) continue;
    readSpec(word, text, install, stage);
  }
}

function readSpec(word: ShellWord, text: string, install: PipInstall, stage?: CommandStage): void {
  const value = word.value;
  if (word.dynamic) {
    install.unknown.push({ reason: `packages from a variable (${value})`, from: word.from, to: word.to });
    return;
  }
  const named = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(value);
  if (!named && (/^(\.|\/|~)/.test(value) || /:\/\//.test(value) || ARCHIVE.test(value))) {
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(value);
    if (egg) {
      install.packages.push({
        name: normalizePackageName(egg[1]!),
        extras: [],
        url: value,
        from: word.from,
        to: word.to,
      });
    } else if (stage && /^(\.|\/)/.test(value) && !ARCHIVE.test(value) && !/[*?[]/.test(value)) {
      // `pip install .[gevent]`: the project in that folder, with extras.
      const folder = value.replace(/\[[^\]]*\]$/, '');
      install.projects.push({ path: resolveIn(stage.workdir, folder), from: word.from, to: word.to });
    } else install.unknown.push({ reason: `a package from ${value}`, from: word.from, to: word.to });
    return;
  }
  const parsed = parseRequirement(value, valueStart(word, text));
  if (parsed) install.packages.push(parsed);
  else {
    install.unknown.push({ reason: `a requirement we cannot read (${value})`, from: word.from, to: word.to });
  }
}

function readPipArgs(words: ShellWord[], text: string, stage: CommandStage, install: PipInstall): void {
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

/** Package tools whose other subcommands may install something we do not read. */
const INSTALL_TOOLS = /^(pip\d*(\.\d+)?|poetry|pipenv|uv|conda|mamba|micromamba|easy_install|pdm|hatch|rye)$/;
/** Subcommands of those tools that install nothing. */
const HARMLESS =
  /^(wheel|download|freeze|list|show|config|cache|check|debug|hash|help|inspect|uninstall|export|lock|self|env|build|version|run|venv|python|tool|requirements|graph|search|info|--version|-V|--help)$/;

/**
 * Why a command that is no install we read may still install Python packages (a package tool's other subcommand, a
 * script we do not read), or undefined when it cannot.
 */
export function unreadInstall(words: readonly ShellWord[]): string | undefined {
  let i = 0;
  while (
    i < words.length &&
    /^([A-Za-z_][A-Za-z0-9_]*=.*|sudo|env|exec|command|time|nice|if|then|else|elif|do|!|\{)$/.test(
      words[i]!.value,
    )
  ) {
    i++;
  }
  const head = words[i];
  if (!head) return undefined;
  const program = head.value.slice(head.value.lastIndexOf('/') + 1);
  if (/\.(sh|bash|py)$/.test(program) || head.value.startsWith('./')) {
    return `a script we do not read (${head.value})`;
  }
  if (/^(sh|bash|dash|python\d*(\.\d+)?)$/.test(program)) {
    const arg = words.slice(i + 1).find((w) => !w.value.startsWith('-'));
    if (arg && /\.(sh|bash|py)$/.test(arg.value)) return `a script we do not read (${arg.value})`;
  }
  if (INSTALL_TOOLS.test(program)) {
    const sub = words
      .slice(i + 1)
      .find((w) => !w.value.startsWith('-') || /^(--version|-V|--help)$/.test(w.value));
    if (!sub || !HARMLESS.test(sub.value)) {
      return `${words
        .slice(i, i + 3)
        .map((w) => w.value)
        .join(' ')}`;
    }
  }
  return undefined;
}
