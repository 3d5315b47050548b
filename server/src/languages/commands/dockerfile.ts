// Gunicorn launches in Dockerfiles: the last stage's ENTRYPOINT and CMD (exec or shell form) with its ENV and WORKDIR,
// read after Docker's own line joining (continuations, escape directive, comment lines).

import type { Version } from '../../core/version';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, tokensFromJsonArray, type Token } from '../gunicorn/commandWords';
import {
  BOM,
  ENV_NAME,
  assignmentEntry,
  identity,
  isolated,
  setEnv,
  type Env,
  type EnvEntry,
  type ParsedSource,
  type Site,
  type Span,
} from '../gunicorn/launchSites';
import {
  fromImage,
  imageContainer,
  inheritImageFacts,
  isInitProgram,
  readImageInstruction,
  type ImageFacts,
} from './dockerImage';
import { resolveDir, shellLineSites, shellScriptSites, type ShellState } from './shell';

interface Instruction {
  keyword: string;
  /** Where the instruction's arguments start and end (end of its last line). */
  argsFrom: number;
  to: number;
  from: number;
}

interface Stage {
  name?: string;
  env: Env;
  cwd?: EnvEntry;
  cmd?: Instruction;
  entrypoint?: Instruction;
  cmdSet: boolean;
  /** What the stage's image configuration says (STOPSIGNAL, EXPOSE…), inherited from a parent stage. */
  image: ImageFacts;
}

/**
 * Official base images that set no WORKDIR (Python, PyPy, Debian, Ubuntu, Alpine, by name, with any tag): a stage built
 * on one runs in `/` until it says otherwise.
 */
const NO_WORKDIR_IMAGES =
  /^(?:docker\.io\/)?(?:library\/)?(?:python|pypy|debian|ubuntu|alpine)(?::[^@\s$]+)?(?:@\S+)?$/i;

/**
 * The document with Docker's line joining applied in place: line continuations, comment lines and empty lines inside
 * an instruction become blanks, so every instruction reads as one line at its own offsets.
 */
function dockerfileInstructions(
  text: string,
  parsed: ParsedSource,
): { shadow: string; instructions: Instruction[] } {
  const { lines } = parsed;
  // Blanked ranges, in document order; the shadow is built from slices once (not a char array of the whole text).
  const blanks: [number, number][] = [];
  let escape = '\\';
  let continuation: { escape: string; pattern: RegExp } | undefined;
  const instructions: Instruction[] = [];
  let current: Instruction | undefined;
  let directivesAllowed = true;
  const blank = (from: number, to: number) => {
    if (to > from) blanks.push([from, to]);
  };
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : end;
    let content = text.slice(start, end);
    let contentFrom = start;
    if (line === 0 && content.startsWith(BOM)) {
      content = content.slice(1);
      contentFrom++;
      blank(start, start + 1);
    }
    const trimmed = content.trim();
    const isComment = trimmed.startsWith('#');
    if (directivesAllowed && isComment) {
      const directive = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(trimmed);
      if (directive) escape = directive[1]!;
    }
    if (!isComment) directivesAllowed = false;
    if (isComment || (current && trimmed === '')) {
      if (isComment) {
        const at = contentFrom + content.indexOf('#');
        parsed.comments.push({ from: at, to: contentFrom + content.trimEnd().length });
      }
      // Docker drops comment and empty lines inside a continued instruction.
      if (current) blank(start, next);
      continue;
    }
    if (!current) {
      if (trimmed === '') continue;
      const m = /^(\s*)([A-Za-z]+)(\s+|$)/.exec(content);
      if (!m) continue;
      current = {
        keyword: m[2]!.toUpperCase(),
        from: contentFrom + m[1]!.length,
        argsFrom: contentFrom + m[0].length,
        to: end,
      };
      instructions.push(current);
    }
    current.to = end;
    if (continuation?.escape !== escape) {
      continuation = { escape, pattern: new RegExp(`${escape === '\\' ? '\\\\' : escape}[ \\t]*$`) };
    }
    const continued = continuation.pattern.exec(content);
    if (continued && line + 1 < lines.lineCount) {
      blank(contentFrom + continued.index, next);
    } else {
      current = undefined;
    }
  }
  const parts: string[] = [];
  let at = 0;
  for (const [from, to] of blanks) {
    const start = Math.max(from, at);
    if (to <= start) continue;
    parts.push(text.slice(at, start), ' '.repeat(to - start));
    at = to;
  }
  parts.push(text.slice(at));
  return { shadow: parts.join(''), instructions };
}

export function dockerfileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { shadow, instructions } = dockerfileInstructions(text, parsed);
  const stages: Stage[] = [];
  let stage: Stage = { env: new Map(), cmdSet: false, image: { expose: [] } };
  for (const instruction of instructions) {
    const args = shadow.slice(instruction.argsFrom, instruction.to);
    switch (instruction.keyword) {
      case 'FROM': {
        const words = args.trim().split(/\s+/);
        const image = (words[0] ?? '').toLowerCase();
        const asAt = words.findIndex((w) => w.toLowerCase() === 'as');
        const name = asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined;
        const parent = stages.find((s) => s.name !== undefined && s.name === image);
        stage = parent
          ? {
              env: new Map(parent.env),
              ...(parent.cwd ? { cwd: parent.cwd } : {}),
              ...(parent.cmd ? { cmd: parent.cmd } : {}),
              ...(parent.entrypoint ? { entrypoint: parent.entrypoint } : {}),
              cmdSet: false,
              image: inheritImageFacts(parent.image),
            }
          : (() => {
              const base = fromImage(args, instruction.argsFrom);
              // Official images that set no WORKDIR run their command in `/`, where `COPY . .` also puts the files.
              const rootDir =
                base && NO_WORKDIR_IMAGES.test(base.value)
                  ? { name: 'cwd', value: '/', span: base.span, exact: false }
                  : undefined;
              return {
                env: new Map(),
                ...(rootDir ? { cwd: rootDir } : {}),
                cmdSet: false,
                image: { expose: [], ...(base ? { image: base } : {}) },
              };
            })();
        if (name) stage.name = name;
        stages.push(stage);
        break;
      }
      case 'ENV':
        dockerEnv(text, shadow, instruction, stage.env);
        break;
      case 'WORKDIR': {
        const value = args.trim();
        if (!value) break;
        const from = instruction.argsFrom + args.indexOf(value);
        const dir = value.replace(/^(["'])(.*)\1$/, '$2');
        stage.cwd = {
          name: 'cwd',
          value: resolveDir(stage.cwd?.value, dir),
          span: { from, to: from + value.length },
          exact: true,
        };
        break;
      }
      case 'CMD':
        stage.cmd = instruction;
        stage.cmdSet = true;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = instruction;
        // An ENTRYPOINT clears a CMD inherited from the base; one set in this stage stays.
        if (!stage.cmdSet) delete stage.cmd;
        break;
      default:
        readImageInstruction(instruction.keyword, args, instruction.argsFrom, stage.image);
        break;
    }
  }
  for (const instruction of [stage.entrypoint, stage.cmd]) {
    if (!instruction) continue;
    // Decided by the bracket, not by a successful parse: completion runs while the array is still being typed.
    parsed.regions.push({
      from: instruction.argsFrom,
      to: instruction.to,
      text: shadow,
      form: shadow[instruction.argsFrom] === '[' ? 'json' : 'shell',
    });
  }
  const entrypoint = stage.entrypoint ? tokensFromJsonArray(shadow, stage.entrypoint.argsFrom) : undefined;
  const init = entrypoint?.[0] && isInitProgram(entrypoint[0].text) ? entrypoint[0].text : undefined;
  const container = imageContainer(stage.image, init);
  return dockerLaunchSites(text, shadow, stage, version).map((site) => ({ ...site, container }));
}

/** `ENV A=b C="d e"` and the legacy `ENV A b c`. */
function dockerEnv(text: string, shadow: string, instruction: Instruction, env: Env): void {
  const line = isolated(shadow, { from: 0, to: instruction.to });
  const words = splitCommands(line, instruction.argsFrom, 'shell').flat();
  const first = words[0];
  if (!first) return;
  if (!first.text.includes('=')) {
    // Legacy form: the first word is the name, the rest of the line is the value as written.
    if (!ENV_NAME.test(first.text)) return;
    const rest = shadow.slice(first.to, instruction.to);
    const value = rest.trim();
    const from = first.to + rest.indexOf(value);
    setEnv(env, {
      name: first.text,
      value,
      span: { from, to: from + value.length },
      exact: text.slice(from, from + value.length) === value,
    });
    return;
  }
  for (const word of words) {
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(word.text);
    if (!m) continue;
    setEnv(env, assignmentEntry(text, word, m[1]!, word.text.slice(m[0].length), identity));
  }
}

interface DockerCommand {
  instruction: Instruction;
  json?: Token[];
}

function dockerCommand(shadow: string, instruction: Instruction | undefined): DockerCommand | undefined {
  if (!instruction) return undefined;
  const json = tokensFromJsonArray(shadow, instruction.argsFrom);
  return json ? { instruction, json } : { instruction };
}

function dockerLaunchSites(text: string, shadow: string, stage: Stage, version: Version): Site[] {
  const entrypoint = dockerCommand(shadow, stage.entrypoint);
  const cmd = dockerCommand(shadow, stage.cmd);
  const state = (): ShellState => ({ env: new Map(stage.env), ...(stage.cwd ? { cwd: stage.cwd } : {}) });
  const shellForm = (command: DockerCommand, direct: boolean): Site[] => {
    const { argsFrom, to } = command.instruction;
    const line = isolated(shadow, { from: 0, to });
    const sites = shellLineSites(text, line, argsFrom, 'dockerfile', version, state()).sites;
    // Docker runs a shell form as `/bin/sh -c ARGS`; behind an entry-point script that shell's fate is the script's.
    if (!direct) return sites;
    const args = shadow.slice(argsFrom, to);
    const from = argsFrom + (args.length - args.trimStart().length);
    const shell = { program: '/bin/sh', implicit: true, span: { from, to: from + args.trim().length } };
    return sites.map((site) => ({ ...site, shell }));
  };
  const execForm = (words: Token[], span: Span): Site[] => {
    const invocation = findGunicornInvocation(words, { version });
    if (invocation) {
      return [
        {
          kind: 'dockerfile',
          invocation,
          toDocument: identity,
          span,
          env: new Map(stage.env),
          ...(stage.cwd ? { cwd: stage.cwd } : {}),
        },
      ];
    }
    return shellScriptSites(text, words, 'dockerfile', version, state(), {});
  };
  const wordsSpan = (words: Token[], fallback: Instruction): Span =>
    words.length
      ? { from: words[0]!.from, to: words[words.length - 1]!.to }
      : { from: fallback.argsFrom, to: fallback.to };
  if (entrypoint) {
    if (!entrypoint.json) return shellForm(entrypoint, true);
    // Exec-form ENTRYPOINT gets an exec-form CMD as its arguments (a shell-form CMD would arrive as `/bin/sh -c …`).
    const args = cmd?.json ?? [];
    const combined = execForm(
      [...entrypoint.json, ...args],
      wordsSpan(entrypoint.json, entrypoint.instruction),
    );
    if (combined.length) return combined;
    // An entry-point script (`docker-entrypoint.sh`, `tini --`) that runs its arguments: the CMD is the command.
    if (cmd?.json) return execForm(cmd.json, wordsSpan(cmd.json, cmd.instruction));
    return cmd ? shellForm(cmd, false) : [];
  }
  if (!cmd) return [];
  return cmd.json ? execForm(cmd.json, wordsSpan(cmd.json, cmd.instruction)) : shellForm(cmd, true);
}
