// Tolerant, offset-preserving parser for systemd unit files: sections, directives, comments and line continuations.

import { sharedName } from '../../core/memo';
import { sharedParse } from '../../core/sharedParses';
import { LineIndex } from '../../core/text';
import type { Span } from '../gunicorn/model';

/** One `Key=value` assignment. The value may span several physical lines joined by trailing backslashes. */
export interface Directive {
  key: string;
  keySpan: Span;
  /** The logical value as systemd sees it: surrounding whitespace removed, continuations joined with a space. */
  value: string;
  /** From the first to the last character of the value in the document (empty span right after `=` when empty). */
  valueSpan: Span;
  /**
   * Where the value's characters are in the document, only for a value continued over several lines (so a position
   * inside it maps back exactly): pairs of a value index and the document offset of that character, one pair per run
   * of characters that follow each other in the document. A value written in one run starts at `valueSpan.from`.
   * See `valueOffsetAt`.
   */
  valueRuns?: number[];
  /** The whole assignment, continuation lines included. */
  span: Span;
  /** Zero-based line of the key. */
  line: number;
  /** The section it belongs to; undefined for an assignment before the first section header. */
  section?: Section;
}

export interface Section {
  name: string;
  nameSpan: Span;
  /** The `[Name]` header line. */
  headerSpan: Span;
  /** From the header to the end of the section's last line. */
  span: Span;
  directives: Directive[];
}

export interface UnitProblem {
  span: Span;
  message: string;
}

export interface UnitModel {
  text: string;
  lines: LineIndex;
  sections: Section[];
  /** Every directive in source order, including those outside any section. */
  directives: Directive[];
  comments: Span[];
  /** Lines systemd cannot read (it logs them and ignores them). */
  problems: UnitProblem[];
}

const BOM = 0xfeff;

/**
 * Parsed assignments and sections keep their offsets as numbers and make a span when one is asked for: parsed units
 * are kept across model builds, and three span objects per assignment and per section were a quarter of a parse.
 */
class ParsedDirective implements Directive {
  constructor(
    readonly key: string,
    private readonly keyFrom: number,
    readonly value: string,
    private readonly valueFrom: number,
    private readonly valueTo: number,
    readonly valueRuns: number[] | undefined,
    private readonly to: number,
    readonly line: number,
    readonly section: ParsedSection | undefined,
  ) {}

  get keySpan(): Span {
    return { from: this.keyFrom, to: this.keyFrom + this.key.length };
  }

  get valueSpan(): Span {
    return { from: this.valueFrom, to: this.valueTo };
  }

  get span(): Span {
    return { from: this.keyFrom, to: this.to };
  }
}

class ParsedSection implements Section {
  directives: ParsedDirective[] = [];

  constructor(
    readonly name: string,
    private readonly nameFrom: number,
    private readonly headerFrom: number,
    private readonly headerTo: number,
    private readonly from: number,
  ) {
    this.to = headerTo;
  }

  /** Moved to the end of the section's last assignment once it is read. */
  to: number;

  get nameSpan(): Span {
    return { from: this.nameFrom, to: this.nameFrom + this.name.length };
  }

  get headerSpan(): Span {
    return { from: this.headerFrom, to: this.headerTo };
  }

  get span(): Span {
    return { from: this.from, to: this.to };
  }
}

/**
 * The parse of a workspace file's text, shared with the run's other passes over that file, or kept across the
 * server's model builds (core/sharedParses.ts).
 */
export function parseUnitFileOf(path: string | undefined, text: string): UnitModel {
  return sharedParse('systemd', path, text, () => parseUnitFile(text));
}

/** Parses a unit file; never throws, whatever the input. */
export function parseUnitFile(text: string): UnitModel {
  const lines = new LineIndex(text);
  const model: UnitModel = { text, lines, sections: [], directives: [], comments: [], problems: [] };
  let current: ParsedSection | undefined;
  let line = 0;
  while (line < lines.lineCount) {
    const start = lines.lineStart(line) + (line === 0 && text.charCodeAt(0) === BOM ? 1 : 0);
    const end = lines.lineEnd(line);
    const raw = text.slice(start, end);
    const indent = raw.length - raw.trimStart().length;
    const content = raw.trim();
    const contentFrom = start + indent;
    if (content === '') {
      line++;
      continue;
    }
    if (content.startsWith('#') || content.startsWith(';')) {
      model.comments.push({ from: contentFrom, to: start + raw.trimEnd().length });
      line++;
      continue;
    }
    if (content.startsWith('[')) {
      if (current) current.to = previousContentEnd(current);
      current = parseHeader(model, content, contentFrom, start, end);
      line++;
      continue;
    }
    line = parseAssignment(model, current, line);
  }
  if (current) current.to = previousContentEnd(current);
  // Parses are kept across model builds, and an array grown a push at a time keeps spare room: copies hold just
  // their items.
  model.directives = model.directives.slice();
  model.sections = model.sections.slice();
  model.comments = model.comments.slice();
  for (const section of model.sections) section.directives = section.directives.slice();
  return model;
}

function previousContentEnd(section: ParsedSection): number {
  const last = section.directives[section.directives.length - 1];
  return last ? Math.max(last.span.to, section.headerSpan.to) : section.headerSpan.to;
}

function parseHeader(
  model: UnitModel,
  content: string,
  contentFrom: number,
  start: number,
  end: number,
): ParsedSection {
  const close = content.indexOf(']');
  const name = close > 0 ? content.slice(1, close) : content.slice(1);
  const nameSpan = { from: contentFrom + 1, to: contentFrom + 1 + name.length };
  if (close < 0) {
    model.problems.push({
      span: { from: contentFrom, to: end },
      message: `Section header is missing its closing ']'.`,
    });
  } else if (content.slice(close + 1).trim() !== '') {
    model.problems.push({
      span: { from: contentFrom + close + 1, to: end },
      message: 'Text after a section header is not allowed; systemd rejects the line.',
    });
  }
  const section = new ParsedSection(name, nameSpan.from, contentFrom, end, start);
  model.sections.push(section);
  return section;
}

/** Reads `Key=value` starting at `line`, following continuations; returns the next line to read. */
function parseAssignment(model: UnitModel, section: ParsedSection | undefined, line: number): number {
  const { text, lines } = model;
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const raw = text.slice(start, end);
  const keyFrom = start + (raw.length - raw.trimStart().length);
  const equals = raw.indexOf('=');
  if (equals < 0) {
    model.problems.push({
      span: { from: keyFrom, to: start + raw.trimEnd().length },
      message: `Missing '=': systemd expects Key=value and ignores this line.`,
    });
    return line + 1;
  }
  const keyText = raw.slice(0, equals);
  const key = sharedName(keyText.trim());
  const keySpan = { from: keyFrom, to: keyFrom + key.length };
  const afterEquals = start + equals + 1;
  const firstSegment = text.slice(afterEquals, end);
  if (!continues(firstSegment, line, lines.lineCount)) {
    // Most values are one line: a slice of the text, without the character table a continued value needs (which was
    // half of what parsing a unit allocated).
    const trimmed = firstSegment.trim();
    const valueFrom = trimmed
      ? afterEquals + firstSegment.length - firstSegment.trimStart().length
      : afterEquals;
    const lastTo = afterEquals + firstSegment.trimEnd().length;
    const to = Math.max(lastTo, valueFrom + trimmed.length, keySpan.to);
    const directive = new ParsedDirective(
      key,
      keyFrom,
      trimmed,
      valueFrom,
      valueFrom + trimmed.length,
      undefined,
      to,
      line,
      section,
    );
    return addDirective(model, section, directive, keySpan, afterEquals, line + 1);
  }
  // Collect value characters with their document offsets, joining continuation lines.
  const value: string[] = [];
  const offsets: number[] = [];
  let segmentFrom = start + equals + 1;
  let segmentTo = end;
  let current = line;
  let lastTo = end;
  for (;;) {
    const segment = text.slice(segmentFrom, segmentTo);
    const continued = continues(segment, current, lines.lineCount);
    const body = continued ? segment.replace(/\\\s*$/, '') : segment;
    for (let i = 0; i < body.length; i++) {
      value.push(body[i]!);
      offsets.push(segmentFrom + i);
    }
    lastTo = segmentFrom + segment.trimEnd().length;
    if (!continued) break;
    value.push(' ');
    offsets.push(segmentFrom + body.length);
    current++;
    // Comment lines inside a continued value are skipped, as systemd does.
    while (current < lines.lineCount && /^\s*[#;]/.test(lines.lineText(current))) {
      const commentStart = lines.lineStart(current);
      const commentText = lines.lineText(current);
      model.comments.push({
        from: commentStart + commentText.length - commentText.trimStart().length,
        to: commentStart + commentText.trimEnd().length,
      });
      current++;
    }
    if (current >= lines.lineCount) break;
    segmentFrom = lines.lineStart(current);
    segmentTo = lines.lineEnd(current);
  }
  // Trim like systemd: whitespace around the value goes.
  let first = 0;
  let last = value.length;
  while (first < last && /\s/.test(value[first]!)) first++;
  while (last > first && /\s/.test(value[last - 1]!)) last--;
  const valueSpan =
    last > first
      ? { from: offsets[first]!, to: offsets[last - 1]! + 1 }
      : { from: afterEquals, to: afterEquals };
  // Offsets only rise, so a value is written in one run exactly when its span is as long as the value: most are, and
  // parsed units are kept across model builds, so the table is kept only for the others.
  const inOneRun = valueSpan.to - valueSpan.from === last - first;
  const directive = new ParsedDirective(
    key,
    keyFrom,
    // A value written in one run is a slice of the text (which the parse keeps anyway), not a copy of it.
    inOneRun ? text.slice(valueSpan.from, valueSpan.to) : value.slice(first, last).join(''),
    valueSpan.from,
    valueSpan.to,
    inOneRun ? undefined : runsOf(offsets, first, last),
    Math.max(lastTo, valueSpan.to, keySpan.to),
    line,
    section,
  );
  return addDirective(model, section, directive, keySpan, afterEquals, current + 1);
}

/** Whether a value's line ends in a backslash that continues it on the next line (the last line continues nothing). */
function continues(segment: string, line: number, lineCount: number): boolean {
  return line + 1 < lineCount && /\\\s*$/.test(segment);
}

/** Adds a parsed directive to the model and its section, with the problems of where it stands; returns `next`. */
function addDirective(
  model: UnitModel,
  section: ParsedSection | undefined,
  directive: ParsedDirective,
  keySpan: Span,
  afterEquals: number,
  next: number,
): number {
  if (directive.key === '') {
    model.problems.push({ span: { from: keySpan.from, to: afterEquals }, message: 'Missing key before =.' });
  } else if (!section) {
    model.problems.push({
      span: keySpan,
      message: `${directive.key}= comes before any [Section] header; systemd ignores it.`,
    });
  }
  model.directives.push(directive);
  section?.directives.push(directive);
  return next;
}

/**
 * `offsets[first..last)` as runs: a pair (index in the value, document offset) wherever an offset does not follow the
 * one before it. A table of every character's offset took four bytes a character, in parses kept across builds.
 */
function runsOf(offsets: readonly number[], first: number, last: number): number[] {
  const runs: number[] = [];
  for (let i = first; i < last; i++) {
    if (i === first || offsets[i] !== offsets[i - 1]! + 1) runs.push(i - first, offsets[i]!);
  }
  return runs;
}

/** The document offset of character `index` of a directive's value; undefined outside the value. */
export function valueOffsetAt(directive: Directive, index: number): number | undefined {
  if (!(index >= 0 && index < directive.value.length)) return undefined;
  const runs = directive.valueRuns;
  if (!runs) return directive.valueSpan.from + index;
  // The last run starting at or before the index (a continued value has a run per line: few).
  let at = 0;
  while (at + 2 < runs.length && runs[at + 2]! <= index) at += 2;
  return runs[at + 1]! + (index - runs[at]!);
}

/** The document span of value characters [from, to) (indices into `directive.value`). */
export function valueSubSpan(directive: Directive, from: number, to: number): Span {
  const length = directive.value.length;
  if (length === 0) return directive.valueSpan;
  const start = valueOffsetAt(directive, Math.min(from, length - 1))!;
  const end = to > 0 ? valueOffsetAt(directive, Math.min(to, length) - 1)! + 1 : start;
  return { from: start, to: Math.max(start, end) };
}

/** Where to report a whole-unit problem: the header of section `name`, else the first header; undefined for no header. */
export function sectionHeaderSpan(model: UnitModel, name: string): Span | undefined {
  return (model.sections.find((s) => s.name === name) ?? model.sections[0])?.nameSpan;
}

/** The section and directive at a document offset, for hover and completion. */
export function directiveAt(model: UnitModel, offset: number): Directive | undefined {
  return model.directives.find((d) => offset >= d.span.from && offset <= d.span.to);
}

/** The section whose header or body contains `offset` (the last header before it). */
export function sectionAt(model: UnitModel, offset: number): Section | undefined {
  let found: Section | undefined;
  for (const section of model.sections) {
    if (section.headerSpan.from <= offset) found = section;
    else break;
  }
  return found;
}
