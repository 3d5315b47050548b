// From the places a file starts Gunicorn (sites: a command line with its environment and folder) to launches: the
// settings each command line and its GUNICORN_CMD_ARGS give, every range pointing into the file's text. Shared by
// the languages that read launches (commands, systemd); each finds its own sites.

import { LineIndex } from '../../core/text';
import { isAtLeast, type Version } from '../../core/version';
import type { SourceKind } from '../sourceKinds';
import {
  effectiveCliSettings,
  parseArguments,
  type CliSettingValue,
  type GunicornInvocation,
} from './commandLine';
import { splitCommands, type Token } from './commandWords';
import type { ContainerFacet, LaunchDetails, LaunchKind, Located } from './launch';

export interface Span {
  from: number;
  to: number;
}

/** Maps offsets of the text an invocation was parsed from to offsets in the document. */
export type ToDocument = (from: number, to: number) => Span;

export const identity: ToDocument = (from, to) => ({ from, to });

/** A launch plus the parsed command lines behind it, for diagnostics, hovers and completion. */
export interface LaunchRecord {
  launch: LaunchDetails;
  /** The invocation as parsed; its offsets go through `toDocument` (identity for most sources). */
  parsed: GunicornInvocation;
  toDocument: ToDocument;
  /** False when `toDocument` can only point at a whole script (escapes inside it): no edits inside then. */
  exact: boolean;
  /** GUNICORN_CMD_ARGS of the launch's environment, parsed like a command line (no launcher, no app). */
  cmdArgs?: {
    invocation: GunicornInvocation;
    toDocument: ToDocument;
    /** The variable's value where it is written. */
    span: Span;
    exact: boolean;
  };
}

/** Where shell-like command text lives in the document, for completion: `text` keeps document offsets. */
export interface CommandRegion {
  /** Offset where the command text starts and where its logical line ends. */
  from: number;
  to: number;
  /** The document text with blanks in place of what the source strips (continuations, quotes, comments). */
  text: string;
  form: 'shell' | 'json';
}

/** A GUNICORN_CMD_ARGS value written in the file, parsed like a command line. */
export interface CmdArgsDefinition {
  value: string;
  /** The value's span in the document. */
  span: Span;
  invocation: GunicornInvocation;
  toDocument: ToDocument;
  /** False when the value's words can only be pointed at as a whole. */
  exact: boolean;
}

export interface ParsedSource {
  lines: LineIndex;
  /** Every GUNICORN_CMD_ARGS assignment of the file (used by a launch or not), in document order. */
  cmdArgsDefinitions: CmdArgsDefinition[];
  records: LaunchRecord[];
  regions: CommandRegion[];
  /** Comment spans (for suppression comments). */
  comments: Span[];
}

export interface EnvEntry {
  name: string;
  value: string;
  /** The value's span in the document. */
  span: Span;
  /** True when the document text of `span` reads exactly as the value (so words inside map one to one). */
  exact: boolean;
}

export type Env = Map<string, EnvEntry>;

/** Variables defined while one source is parsed (parsing is synchronous, so one collector at a time). */
let definitions: EnvEntry[] | undefined;

/** Sets a variable, and notes the definition for the file's list of GUNICORN_CMD_ARGS values. */
export function setEnv(env: Env, entry: EnvEntry): void {
  env.set(entry.name, entry);
  definitions?.push(entry);
}

export interface Site {
  kind: LaunchKind;
  invocation: GunicornInvocation;
  toDocument: ToDocument;
  /** The document span of the whole command line. */
  span: Span;
  env: Env;
  cwd?: EnvEntry;
  unit?: string;
  environmentFiles?: EnvEntry[];
  /** A compose service's `build:` (the image its command runs in). */
  build?: { context: string; dockerfile?: string };
  /** False when words could only be placed as a whole (escapes in between): then no fix may edit inside them. */
  exact?: boolean;
  /** The container the command runs in, as the same file describes it (Dockerfile, compose service). */
  container?: (locate: Locate) => ContainerFacet;
  /** The shell that runs the command, when one does (`sh -c …`, Docker's shell form). */
  shell?: { program: string; implicit: boolean; span: Span };
  /** True when the command starts with `exec` (a shell replaces itself by it). */
  execs?: boolean;
}

/** A value with its span as a Located of the file being read. */
export type Locate = (value: string, span: Span) => Located<string>;

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const BOM = '\uFEFF';

/** A file being read for its sites: its text, and where parsers put regions and comments. */
export interface SiteSource {
  uri: string;
  path: string;
  kind: SourceKind;
  text: string;
}

/**
 * Launches with their parses, command regions and comments of a source whose sites `findSites` reads (it may add
 * regions and comments to the ParsedSource it is given); never throws.
 */
export function readLaunchSource(
  source: SiteSource,
  version: Version,
  findSites: (parsed: ParsedSource) => Site[],
): ParsedSource {
  const lines = new LineIndex(source.text);
  const parsed: ParsedSource = { lines, cmdArgsDefinitions: [], records: [], regions: [], comments: [] };
  let sites: Site[] = [];
  const defined: EnvEntry[] = [];
  definitions = defined;
  try {
    sites = findSites(parsed);
  } catch {
    // A parser bug must not take the deployment model down: report what was found so far (nothing).
    sites = [];
  }
  for (const site of sites) {
    try {
      parsed.records.push(record(source, site, version, lines));
    } catch {
      // Skip a launch we cannot describe rather than fail the whole file.
    }
  }
  definitions = undefined;
  const seen = new Set<string>();
  for (const entry of defined) {
    const key = `${entry.span.from}:${entry.span.to}`;
    if (entry.name !== 'GUNICORN_CMD_ARGS' || seen.has(key)) continue;
    seen.add(key);
    try {
      const cmdArgs = parseCmdArgs(source.text, entry, version);
      parsed.cmdArgsDefinitions.push({ value: entry.value, ...cmdArgs });
    } catch {
      // Leave out a value we cannot read.
    }
  }
  parsed.cmdArgsDefinitions.sort((a, b) => a.span.from - b.span.from);
  return parsed;
}

function record(source: SiteSource, site: Site, version: Version, lines: LineIndex): LaunchRecord {
  const located = <T>(value: T, span: Span): Located<T> => ({
    value,
    uri: source.uri,
    range: lines.range(span.from, span.to),
  });
  const { invocation, toDocument } = site;
  const env = new Map(site.env);
  for (const assignment of invocation.envAssignments) {
    const entry = assignmentEntry(
      source.text,
      assignment.token,
      assignment.name,
      assignment.value,
      toDocument,
    );
    setEnv(env, entry);
  }
  const commandLine = locatedSettings(effectiveCliSettings(invocation), toDocument, located);
  let cmdArgs: LaunchRecord['cmdArgs'];
  const cmdArgsEntry = env.get('GUNICORN_CMD_ARGS');
  // GUNICORN_CMD_ARGS is read since 19.7.0.
  if (cmdArgsEntry && isAtLeast(version, '19.7.0')) {
    cmdArgs = parseCmdArgs(source.text, cmdArgsEntry, version);
  }
  const cmdArgsSettings = cmdArgs
    ? locatedSettings(effectiveCliSettings(cmdArgs.invocation), cmdArgs.toDocument, located)
    : new Map<string, Located<string | true> & { values?: string[] }>();
  const app = invocation.positionals[0];
  const configFromCli = commandLine.get('config');
  // `-c` inside GUNICORN_CMD_ARGS counts since 19.8.0, and only when the command line names no config file.
  const configFromEnv = isAtLeast(version, '19.8.0') ? cmdArgsSettings.get('config') : undefined;
  const config = configFromCli ?? configFromEnv;
  const launch: LaunchDetails = {
    uri: source.uri,
    path: source.path,
    kind: site.kind,
    range: lines.range(site.span.from, site.span.to),
    invocation: toDocument === identity ? invocation : remapInvocation(invocation, toDocument),
    commandLine,
    cmdArgs: cmdArgsSettings,
    env: new Map([...env].map(([name, entry]) => [name, located(entry.value, entry.span)])),
    ...(config && typeof config.value === 'string'
      ? { configFile: { value: config.value, uri: config.uri, range: config.range } }
      : {}),
    ...(site.cwd ? { workingDirectory: located(site.cwd.value, site.cwd.span) } : {}),
    ...(site.unit !== undefined ? { unit: site.unit } : {}),
    ...(app ? { app: located(app.text, toDocument(app.from, app.to)) } : {}),
    ...(site.environmentFiles?.length
      ? { environmentFiles: site.environmentFiles.map((file) => located(file.value, file.span)) }
      : {}),
    ...(site.build ? { build: site.build } : {}),
  };
  const container = containerOf(site, source.text, (value, span) => located(value, span));
  if (container) launch.container = container;
  return {
    launch,
    parsed: invocation,
    toDocument,
    exact: site.exact !== false,
    ...(cmdArgs ? { cmdArgs } : {}),
  };
}

/** The site's container facet, with the shell that runs its command. */
function containerOf(site: Site, text: string, locate: Locate): ContainerFacet | undefined {
  const container = site.container?.(locate);
  if (!site.shell) return container;
  const { program, implicit, span } = site.shell;
  return {
    ...(container ?? { orchestrator: 'docker', ports: [] }),
    shell: {
      program,
      implicit,
      execs: site.execs === true,
      where: locate(text.slice(span.from, span.to), span),
    },
  };
}

function locatedSettings(
  settings: Map<string, CliSettingValue>,
  toDocument: ToDocument,
  located: <T>(value: T, span: Span) => Located<T>,
): Map<string, Located<string | true> & { values?: string[] }> {
  const result = new Map<string, Located<string | true> & { values?: string[] }>();
  for (const [name, setting] of settings) {
    const option = setting.option;
    const span =
      option.valueFrom !== undefined && option.valueTo !== undefined
        ? toDocument(option.valueFrom, option.valueTo)
        : toDocument(option.flagToken.from, option.flagToken.to);
    result.set(name, {
      ...located<string | true>(setting.value, span),
      ...(setting.values ? { values: setting.values } : {}),
    });
  }
  return result;
}

/** A copy of an invocation whose token offsets are document offsets. */
function remapInvocation(invocation: GunicornInvocation, toDocument: ToDocument): GunicornInvocation {
  const mapped = new Map<Token, Token>();
  const token = (original: Token): Token => {
    let copy = mapped.get(original);
    if (!copy) {
      const span = toDocument(original.from, original.to);
      copy = { ...original, from: span.from, to: span.to };
      mapped.set(original, copy);
    }
    return copy;
  };
  return {
    ...invocation,
    launcher: token(invocation.launcher),
    ...(invocation.interpreter ? { interpreter: token(invocation.interpreter) } : {}),
    options: invocation.options.map((option) => {
      const copy = { ...option, flagToken: token(option.flagToken) };
      if (option.valueFrom !== undefined && option.valueTo !== undefined) {
        const span = toDocument(option.valueFrom, option.valueTo);
        copy.valueFrom = span.from;
        copy.valueTo = span.to;
      }
      return copy;
    }),
    positionals: invocation.positionals.map(token),
    envAssignments: invocation.envAssignments.map((assignment) => ({
      ...assignment,
      token: token(assignment.token),
    })),
    args: invocation.args.map(token),
  };
}

/**
 * The text up to the end of `span` as one line at its own offsets, for readers that scan from `span.from` on: words
 * keep document offsets. A slice of one flattened copy of the text, so a file with thousands of commands does not
 * cost a padded copy of itself per command.
 */
export function isolated(text: string, span: Span): string {
  return forwardLine(text, span);
}

/**
 * The text up to `span.to` as one line (line breaks as blanks), for readers that only scan forward from `span.from`
 * (splitCommands): what comes before `span.from` is left as it is. Called once per instruction or variable of a big
 * file, so the text is flattened once and sliced (O(1), shared memory) instead of padded each time.
 */
export function forwardLine(text: string, span: Span): string {
  if (flattened?.text !== text) flattened = { text, flat: text.replace(/[\r\n]/g, ' ') };
  return flattened.flat.slice(0, span.to);
}
/** The last text `forwardLine` flattened (a Dockerfile's shadow, a Procfile, a compose file) and its flat copy. */
let flattened: { text: string; flat: string } | undefined;

function parseCmdArgs(text: string, entry: EnvEntry, version: Version): NonNullable<LaunchRecord['cmdArgs']> {
  let words: Token[];
  let toDocument: ToDocument;
  if (entry.exact) {
    words = splitCommands(forwardLine(text, entry.span), entry.span.from, 'shell').flat();
    toDocument = identity;
  } else {
    // The value went through the source's own unquoting: its words can only be pointed at as a whole.
    words = splitCommands(entry.value.replace(/[\r\n]/g, ' '), 0, 'shell').flat();
    toDocument = () => entry.span;
  }
  const { options, positionals } = parseArguments(words, version);
  const launcher: Token = { text: 'GUNICORN_CMD_ARGS', from: 0, to: 0, quoted: false };
  const invocation: GunicornInvocation = {
    launcher,
    options,
    // Gunicorn ignores app positionals in GUNICORN_CMD_ARGS; checks should not judge them as the app.
    positionals: [],
    envAssignments: [],
    args: words,
    version,
  };
  void positionals;
  return { invocation, toDocument, span: entry.span, exact: entry.exact };
}

/** The env entry of a `NAME=value` word (possibly quoted as a whole or after `=`). */
export function assignmentEntry(
  text: string,
  token: Token,
  name: string,
  value: string,
  toDocument: ToDocument,
): EnvEntry {
  const docToken = toDocument(token.from, token.to);
  const raw = text.slice(docToken.from, docToken.to);
  const n = name.length;
  const exactAt = (from: number, to: number): EnvEntry => ({
    name,
    value,
    span: { from, to },
    exact: text.slice(from, to) === value,
  });
  if (raw === `${name}=${value}`) return exactAt(docToken.from + n + 1, docToken.to);
  for (const quote of ['"', "'"]) {
    if (raw === `${name}=${quote}${value}${quote}`) return exactAt(docToken.from + n + 2, docToken.to - 1);
    if (raw === `${quote}${name}=${value}${quote}`) return exactAt(docToken.from + n + 2, docToken.to - 1);
  }
  const from = Math.min(docToken.to, docToken.from + raw.indexOf('=') + 1);
  return { name, value, span: { from, to: docToken.to }, exact: false };
}
