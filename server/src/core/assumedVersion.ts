// Verdicts that hold only for a Gunicorn version we assumed (no pin, no setting): one place decides them for every
// rule runner. Such a verdict is at most a warning and says which version it holds for; a pinned or set version keeps
// the rule's own severity.

import type { Severity } from './findings';
import type { Range } from './text';
import { formatVersion, type Version } from './version';

/** The Gunicorn version a document is checked against, and whether the user gave it or we assumed it. */
export interface TargetVersion {
  version: Version;
  /** Human text: the version and where it came from, e.g. "23.0.0 (pinned in requirements.txt)". */
  label: string;
  /** True when neither the setting nor a pin in the workspace gave the version (we took the newest release). */
  assumed: boolean;
}

/** What a rule sees of the target version. */
export interface VersionView {
  readonly version: Version;
  readonly label: string;
}

/**
 * The target version as one rule run sees it, noting whether the rule looked: a rule that never reads the version
 * cannot give a verdict that depends on it, so only rules that did are checked against the other releases.
 */
export class VersionProbe implements VersionView {
  private wasRead = false;

  constructor(private readonly view: VersionView) {}

  get version(): Version {
    this.wasRead = true;
    return this.view.version;
  }

  get label(): string {
    this.wasRead = true;
    return this.view.label;
  }

  get read(): boolean {
    return this.wasRead;
  }
}

/** Another release, as rechecks see it: the bare number is its label. */
export function releaseView(version: Version): VersionView {
  return { version, label: formatVersion(version) };
}

/** What a runner knows of a finding before overrides: enough to tell whether another release gives it too. */
export interface Judged {
  range: Range;
  severity?: Severity;
  message: string;
  /** The file, for cross-file findings. */
  uri?: string;
}

/** The finding's place and severity: a release "gives the same verdict" when it reports this key too. */
function verdictKey(judged: Judged, severity: Severity): string {
  const { start, end } = judged.range;
  return `${judged.uri ?? ''}|${start.line}:${start.character}-${end.line}:${end.character}|${severity}`;
}

/** The message of a verdict that holds with the assumed version only, saying so. */
export function assumedMessage(message: string, label: string): string {
  return message.includes(label)
    ? `${message} Other Gunicorn releases differ here.`
    : `${message} This holds with Gunicorn ${label}; other releases differ.`;
}

/**
 * Documents longer than this are not checked again per release: a rule's work on them, eighteen times over, would
 * outgrow what one check may cost (a 6,000-flag command line took ten seconds). Their findings keep the severity the
 * assumed version gives them, as every finding did before versions could be assumed.
 */
export const RECHECK_MAX_CHARS = 20_000;

/**
 * One rule's findings for an assumed target, where every error or warning that some other release would not give
 * (same place, same severity) becomes at most a warning whose message names the assumed version. `recheck` runs the
 * rule against one release and returns what it reports; it is called once per release (a step each, for hosts that
 * run checks in slices) until every finding is known to be version-dependent or all releases agree. Without
 * other `releases` to compare with (a document over RECHECK_MAX_CHARS), the findings stay as they are.
 */
export function* softenAssumed<R extends Judged>(
  reports: readonly R[],
  defaultSeverity: Severity,
  target: TargetVersion,
  releases: readonly Version[],
  recheck: (release: Version) => readonly Judged[],
): Generator<void, R[], undefined> {
  const severityOf = (judged: Judged): Severity => judged.severity ?? defaultSeverity;
  const judged = new Set(reports.filter((r) => severityOf(r) === 'error' || severityOf(r) === 'warning'));
  const holding = new Set([...judged].map((r) => verdictKey(r, severityOf(r))));
  const targetKey = formatVersion(target.version);
  const others = releases.filter((release) => formatVersion(release) !== targetKey);
  if (others.length === 0) return [...reports];
  for (const release of others) {
    if (holding.size === 0) break;
    const given = new Set(recheck(release).map((r) => verdictKey(r, severityOf(r))));
    for (const key of holding) if (!given.has(key)) holding.delete(key);
    yield;
  }
  return reports.map((report) => {
    const severity = severityOf(report);
    if (!judged.has(report) || holding.has(verdictKey(report, severity))) return report;
    return {
      ...report,
      severity: severity === 'error' ? 'warning' : severity,
      message: assumedMessage(report.message, target.label),
    };
  });
}

/** Hover text under an assumed version: how to make the checks use the release the project runs. */
export const PIN_ADVICE =
  'No pin was found, so this release is only assumed (verdicts other releases do not share are warnings): pin gunicorn in requirements.txt or pyproject.toml, or set `gunicornConfig.gunicornVersion`.';

/** The hover sentence naming the version features check against; an assumed one says how to pin it. */
export function checkedAgainst(label: string, assumed: boolean | undefined): string {
  return `Checked against Gunicorn ${label}.${assumed ? ` ${PIN_ADVICE}` : ''}`;
}
