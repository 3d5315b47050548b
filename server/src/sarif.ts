// Findings as a SARIF 2.1.0 log (one run), for code-scanning services such as GitHub's. Pure: paths in, JSON out.

import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Finding, Fix, RuleMeta, Severity } from './core/findings';
import type { Range } from './core/text';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const TOOL_NAME = 'gunicorn-config';
export const TOOL_INFORMATION_URI = 'https://github.com/gunicorn-config/gunicorn-config';
/** The base every relative artifact URI is resolved against: the directory that was checked. */
export const SRCROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifMessage {
  text: string;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** 1-based lines and columns; columns count UTF-16 code units (SARIF's default column kind). */
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion };
  message?: SarifMessage;
}

export interface SarifReplacement {
  deletedRegion: SarifRegion;
  insertedContent: { text: string };
}

export interface SarifFix {
  description: SarifMessage;
  artifactChanges: { artifactLocation: SarifArtifactLocation; replacements: SarifReplacement[] }[];
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: SarifFix[];
}

export interface SarifReportingDescriptor {
  id: string;
  shortDescription: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
}

export interface SarifRun {
  tool: {
    driver: {
      name: string;
      informationUri: string;
      version?: string;
      rules: SarifReportingDescriptor[];
    };
  };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications?: { level: SarifLevel; message: SarifMessage }[];
  }[];
  results: SarifResult[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

/** One checked file: its absolute path and what was found in it. */
export interface CheckedFile {
  path: string;
  findings: readonly Finding[];
}

export interface SarifOptions {
  /** The tool's version (package.json's). */
  toolVersion?: string;
  /** False when some paths could not be read; `problems` says which. */
  executionSuccessful?: boolean;
  problems?: readonly string[];
  /** Also list the "Ignore <rule> on this line" fixes; off by default, since a suppression silences, not fixes. */
  includeSuppressionFixes?: boolean;
}

/** True for the fix every finding gets from the rule runner: a `gunicorn-config: disable=…` comment, nothing else. */
export function isSuppressionFix(fix: Fix): boolean {
  return (
    fix.edits.length > 0 &&
    !fix.otherFiles?.length &&
    fix.edits.every((e) => /gunicorn-config:\s*disable/.test(e.newText))
  );
}

/** Our severities as SARIF levels: SARIF has no separate "hint", so info and hint are both notes. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** A zero-based, end-exclusive range as a SARIF region (1-based; endColumn is one past the last character). */
export function sarifRegion(range: Range): SarifRegion {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/**
 * Where a file is, for SARIF: relative to `baseDir` (resolved through %SRCROOT%) when it lies inside it, else an
 * absolute file URI. Each path segment is percent-encoded, so spaces and `#` survive.
 */
export function artifactLocation(path: string, baseDir: string): SarifArtifactLocation {
  const rel = relative(baseDir, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(path).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The file path behind a finding's related or fix URI (`file://…`), or undefined for any other scheme. */
function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function locationOfUri(uri: string, baseDir: string): SarifArtifactLocation {
  const path = pathOfUri(uri);
  return path ? artifactLocation(path, baseDir) : { uri };
}

/** A directory as a file URI ending in a slash, as originalUriBaseIds requires. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Builds the SARIF log for the checked files. `rules` become the driver's rules, in order; a finding whose rule is
 * not among them (the runner's `internal-error`) gets a descriptor of its own appended after them.
 */
export function toSarif(
  files: readonly CheckedFile[],
  rules: readonly RuleMeta[],
  baseDir: string,
  options: SarifOptions = {},
): SarifLog {
  const descriptors: SarifReportingDescriptor[] = rules.map((rule) => ({
    id: rule.id,
    shortDescription: { text: rule.description },
    helpUri: rule.docsUrl,
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
  }));
  const indexOf = new Map<string, number>();
  descriptors.forEach((d, i) => {
    if (!indexOf.has(d.id)) indexOf.set(d.id, i);
  });
  const ruleIndex = (finding: Finding): number => {
    let index = indexOf.get(finding.rule);
    if (index === undefined) {
      index = descriptors.length;
      descriptors.push({
        id: finding.rule,
        shortDescription: {
          text:
            finding.rule === 'internal-error'
              ? 'A rule failed while checking the file; the other rules still ran.'
              : `Findings of the ${finding.rule} rule.`,
        },
        defaultConfiguration: { level: sarifLevel(finding.severity) },
      });
      indexOf.set(finding.rule, index);
    }
    return index;
  };

  const results: SarifResult[] = [];
  for (const file of files) {
    const here = artifactLocation(file.path, baseDir);
    for (const finding of file.findings) {
      const result: SarifResult = {
        ruleId: finding.rule,
        ruleIndex: ruleIndex(finding),
        level: sarifLevel(finding.severity),
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: here, region: sarifRegion(finding.range) } }],
      };
      if (finding.related && finding.related.length > 0) {
        result.relatedLocations = finding.related.map((info, i) => ({
          id: i + 1,
          physicalLocation: {
            artifactLocation: locationOfUri(info.uri, baseDir),
            region: sarifRegion(info.range),
          },
          message: { text: info.message },
        }));
      }
      const fixes: SarifFix[] = [];
      for (const fix of finding.fixes ?? []) {
        if (!options.includeSuppressionFixes && isSuppressionFix(fix)) continue;
        const changes: SarifFix['artifactChanges'] = [];
        if (fix.edits.length > 0) {
          changes.push({ artifactLocation: here, replacements: fix.edits.map(replacement) });
        }
        for (const other of fix.otherFiles ?? []) {
          if (other.edits.length === 0) continue;
          changes.push({
            artifactLocation: locationOfUri(other.uri, baseDir),
            replacements: other.edits.map(replacement),
          });
        }
        // A fix without edits (there are none today) has nothing SARIF could apply.
        if (changes.length > 0) fixes.push({ description: { text: fix.title }, artifactChanges: changes });
      }
      if (fixes.length > 0) result.fixes = fixes;
      results.push(result);
    }
  }

  const problems = options.problems ?? [];
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: TOOL_INFORMATION_URI,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: descriptors,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(baseDir) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: options.executionSuccessful ?? problems.length === 0,
            ...(problems.length > 0
              ? {
                  toolExecutionNotifications: problems.map((text) => ({
                    level: 'error' as const,
                    message: { text },
                  })),
                }
              : {}),
          },
        ],
        results,
      },
    ],
  };
}

function replacement(edit: { range: Range; newText: string }): SarifReplacement {
  return { deletedRegion: sarifRegion(edit.range), insertedContent: { text: edit.newText } };
}
