// The GitHub Action's last step (action.yml): reads the SARIF log the CLI wrote, annotates each finding on its line
// (workflow commands), writes the counts to $GITHUB_OUTPUT and exits 1 when a finding is at least as severe as fail-on.
// Usage: node scripts/action-report.mjs SARIF error|warning|info|never [SARIF-OUTPUT]
import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [sarifPath, failOn = 'error', sarifOutput = ''] = process.argv.slice(2);
const RANKS = { error: 3, warning: 2, info: 1, never: Infinity };
if (!sarifPath || !(failOn in RANKS)) {
  console.error('usage: action-report.mjs SARIF error|warning|info|never [SARIF-OUTPUT]');
  process.exit(2);
}

/** Workflow commands end at a line break and split properties at `,` and `:`, so those are escaped. */
const escapeData = (text) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const log = JSON.parse(readFileSync(sarifPath, 'utf8'));
const counts = { error: 0, warning: 0, info: 0 };
for (const run of log.runs ?? []) {
  const bases = run.originalUriBaseIds ?? {};
  for (const result of run.results ?? []) {
    const severity = result.level === 'error' ? 'error' : result.level === 'warning' ? 'warning' : 'info';
    counts[severity]++;
    const location = result.locations?.[0]?.physicalLocation;
    const properties = [];
    if (location?.artifactLocation?.uri) {
      const base = bases[location.artifactLocation.uriBaseId]?.uri;
      const url = new URL(location.artifactLocation.uri, base ?? `file://${process.cwd()}/`);
      properties.push(`file=${escapeProperty(relative(process.cwd(), fileURLToPath(url)))}`);
      const region = location.region ?? {};
      if (region.startLine) properties.push(`line=${region.startLine}`);
      if (region.startColumn) properties.push(`col=${region.startColumn}`);
      if (region.endLine) properties.push(`endLine=${region.endLine}`);
    }
    properties.push(`title=${escapeProperty(`gunicorn-config ${result.ruleId ?? ''}`.trim())}`);
    const command = severity === 'info' ? 'notice' : severity;
    console.log(`::${command} ${properties.join(',')}::${escapeData(result.message?.text ?? '')}`);
  }
}
console.log(`gunicorn-config: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos`);
if (process.env.GITHUB_OUTPUT) {
  appendFileSync(
    process.env.GITHUB_OUTPUT,
    `sarif=${sarifOutput}\nerrors=${counts.error}\nwarnings=${counts.warning}\ninfos=${counts.info}\n`,
  );
}
const failing = Object.entries(counts).filter(([severity, n]) => n > 0 && RANKS[severity] >= RANKS[failOn]);
if (failing.length > 0) {
  console.log(`Failing: findings at or above '${failOn}'.`);
  process.exit(1);
}
