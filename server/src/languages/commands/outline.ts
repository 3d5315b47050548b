// The outline of a command source: Dockerfile stages with their instructions, Procfile process types, compose
// services, and in every kind the places that start Gunicorn marked as launches.

import { boundOutline, outlineSymbol, type OutlineSymbol } from '../../core/outline';
import type { LineIndex } from '../../core/text';
import type { Version } from '../../core/version';
import { appShown } from '../gunicorn/outline';
import { composeServices, type YamlEntry } from './composeYaml';
import type { CommandsModel } from './parse';

/** Where a launch starts in the document, with the app it loads (for the symbol's text). */
interface LaunchAt {
  from: number;
  to: number;
  app: string | undefined;
}

/** The symbols of a command source as read for `version`; never throws, at most MAX_OUTLINE_SYMBOLS of them. */
export function commandsOutline(model: CommandsModel, version: Version): OutlineSymbol[] {
  const launches: LaunchAt[] = model.at(version).records.map(({ launch, parsed }) => ({
    from: model.lines.offsetAt(launch.range.start),
    to: model.lines.offsetAt(launch.range.end),
    app: appShown(parsed.positionals.map((p) => p.text)) ?? launch.app?.value,
  }));
  switch (model.kind) {
    case 'dockerfile':
      return boundOutline(dockerfileOutline(model.text, model.lines, launches));
    case 'procfile':
      return boundOutline(procfileOutline(model.lines, launches));
    case 'compose':
      return boundOutline(composeOutline(model.text, model.lines, launches));
    case 'shell':
    case 'manifest':
      // A script's or a manifest's Gunicorn launches (containers, platform processes), one symbol each.
      return boundOutline(launches.map((l) => launchSymbol(model.lines, l, model.text)));
  }
}

const launchName = (launch: LaunchAt) => (launch.app ? `gunicorn ${launch.app}` : 'gunicorn');

function launchSymbol(lines: LineIndex, launch: LaunchAt, text: string): OutlineSymbol {
  return outlineSymbol(
    lines,
    'launch',
    launchName(launch),
    launch,
    launch,
    text.slice(launch.from, launch.to),
  );
}

/** The first launch that starts inside [from, to). */
function launchIn(launches: readonly LaunchAt[], from: number, to: number): LaunchAt | undefined {
  return launches.find((l) => l.from >= from && l.from < Math.max(to, from + 1));
}

/** One Dockerfile instruction: its keyword and arguments, continuation lines joined. */
interface Instruction {
  keyword: string;
  keywordTo: number;
  args: string;
  from: number;
  to: number;
}

const CONTINUED = /\\[ \t]*$/;
/** `<<EOF`, `<<-EOF`, `<<"EOF"`: a heredoc (BuildKit) whose lines run up to the word alone on a line. */
const HEREDOC = /<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g;
const ESCAPE_DIRECTIVE = /^#\s*escape\s*=\s*`\s*$/im;

/** The instructions of a Dockerfile, comment lines skipped, `\` (or the escape directive's backtick) continuations. */
function dockerInstructions(text: string, lines: LineIndex): Instruction[] {
  const continued = ESCAPE_DIRECTIVE.test(text.slice(0, 500)) ? /`[ \t]*$/ : CONTINUED;
  const instructions: Instruction[] = [];
  let current: Instruction | undefined;
  /** The words that end the heredocs still open (`RUN <<EOF` … `EOF`): their lines belong to the instruction. */
  let heredocs: string[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line);
    const start = lines.lineStart(line);
    const trimmed = raw.trimStart();
    if (heredocs.length && current) {
      current.to = start + raw.length;
      if (raw.trim() === heredocs[0]) heredocs.shift();
      if (!heredocs.length) current = undefined;
      continue;
    }
    if (current) {
      // Comment lines inside a continued instruction are dropped by Docker; the instruction goes on.
      if (!trimmed.startsWith('#')) {
        current.args += ' ' + trimmed.replace(continued, '');
        current.to = start + raw.length;
        if (!continued.test(raw)) current = undefined;
      }
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const keyword = /^[A-Za-z]+/.exec(trimmed)?.[0];
    if (!keyword) continue;
    const keywordFrom = start + raw.length - trimmed.length;
    const instruction: Instruction = {
      keyword: keyword.toUpperCase(),
      keywordTo: keywordFrom + keyword.length,
      args: trimmed.slice(keyword.length).replace(continued, '').trim(),
      from: keywordFrom,
      to: start + raw.length,
    };
    instructions.push(instruction);
    heredocs = [...trimmed.matchAll(HEREDOC)].map((m) => m[2]!);
    if (continued.test(raw) || heredocs.length) current = instruction;
  }
  return instructions;
}

function dockerfileOutline(text: string, lines: LineIndex, launches: readonly LaunchAt[]): OutlineSymbol[] {
  const top: OutlineSymbol[] = [];
  let stage:
    { from: Instruction; name: string; image: string; children: OutlineSymbol[]; to: number } | undefined;
  let stageCount = 0;
  const closeStage = () => {
    if (!stage) return;
    top.push(
      outlineSymbol(
        lines,
        'section',
        stage.name,
        { from: stage.from.from, to: stage.to },
        { from: stage.from.from, to: stage.from.keywordTo },
        stage.image,
        stage.children,
      ),
    );
    stage = undefined;
  };
  for (const instruction of dockerInstructions(text, lines)) {
    if (instruction.keyword === 'FROM') {
      closeStage();
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const as = words.findIndex((w) => w.toLowerCase() === 'as');
      const image = words[0] ?? '';
      const name = as > 0 && words[as + 1] ? words[as + 1]! : `stage ${stageCount}`;
      stageCount++;
      stage = { from: instruction, name: `FROM ${name}`, image, children: [], to: instruction.to };
      continue;
    }
    const launch = launchIn(launches, instruction.from, instruction.to);
    const symbol = outlineSymbol(
      lines,
      launch ? 'launch' : 'instruction',
      instruction.keyword,
      instruction,
      { from: instruction.from, to: instruction.keywordTo },
      launch ? launchName(launch) : instruction.args,
    );
    if (stage) {
      stage.children.push(symbol);
      stage.to = instruction.to;
    } else top.push(symbol);
  }
  closeStage();
  return top;
}

const PROCESS_LINE = /^([A-Za-z0-9_-]+)[ \t]*:(.*)$/;

function procfileOutline(lines: LineIndex, launches: readonly LaunchAt[]): OutlineSymbol[] {
  const symbols: OutlineSymbol[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line);
    const match = PROCESS_LINE.exec(raw);
    if (!match) continue;
    const from = lines.lineStart(line);
    const span = { from, to: from + raw.length };
    const launch = launchIn(launches, span.from, span.to);
    const command = match[2]!.trim();
    symbols.push(
      outlineSymbol(
        lines,
        launch ? 'launch' : 'process',
        match[1]!,
        span,
        { from, to: from + match[1]!.length },
        launch ? launchName(launch) : command,
      ),
    );
  }
  return symbols;
}

/** Keys of a service whose values are what the container runs. */
const COMMAND_KEYS = new Set(['command', 'entrypoint']);

function composeOutline(text: string, lines: LineIndex, launches: readonly LaunchAt[]): OutlineSymbol[] {
  // The compose reader the launches come from: bounded (size, nesting), cached per text, loads yaml lazily.
  const symbols: OutlineSymbol[] = [];
  for (const service of composeServices(text, lines, [])) {
    // The service's own keys (merged ones from an anchor elsewhere in the file stay out of its range).
    const own = [...service.keys.values()].filter((entry) => entry.keySpan.from > service.nameSpan.from);
    const span = {
      from: service.nameSpan.from,
      to: Math.max(service.nameSpan.to, ...own.map(entryEnd)),
    };
    const launch = launchIn(launches, span.from, span.to);
    const children: OutlineSymbol[] = [];
    for (const entry of own) {
      if (!COMMAND_KEYS.has(entry.key)) continue;
      const entrySpan = { from: entry.keySpan.from, to: entryEnd(entry) };
      const commandLaunch = launchIn(launches, entrySpan.from, entrySpan.to);
      const node = entry.node;
      const shown =
        node?.kind === 'list'
          ? node.items.map((item) => item.value).join(' ')
          : node?.kind === 'scalar'
            ? node.scalar.value
            : '';
      children.push(
        outlineSymbol(
          lines,
          commandLaunch ? 'launch' : 'directive',
          entry.key,
          entrySpan,
          entry.keySpan,
          shown,
        ),
      );
    }
    symbols.push(
      outlineSymbol(
        lines,
        'service',
        service.name,
        span,
        service.nameSpan,
        launch ? launchName(launch) : undefined,
        children,
      ),
    );
  }
  return symbols;
}

/** Where a compose entry ends: its value's end, else its key's. */
function entryEnd(entry: YamlEntry): number {
  const node = entry.node;
  if (!node) return entry.keySpan.to;
  return node.kind === 'scalar' ? node.scalar.raw.to : node.span.to;
}
