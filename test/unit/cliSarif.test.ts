// `--format sarif`: toSarif's output checked against SARIF 2.1.0's required properties and allowed keys (written out
// by hand from the OASIS schema), then the real CLI on examples/deployment; and `gunicorn-config init` end to end.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, RuleMeta } from '../../server/src/core/findings';
import { allRules } from '../../server/src/rules';
import { isSuppressionFix, sarifLevel, toSarif, type SarifLog } from '../../server/src/sarif';

const REPO = join(__dirname, '..', '..', '..');
/** The CLI as `npm run compile` leaves it (always as new as these tests); dist/cli.js is its bundle. */
const CLI = join(REPO, 'out', 'server', 'src', 'cli.js');
const BUNDLE = join(REPO, 'dist', 'cli.js');
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string })
  .version;

type Json = Record<string, unknown>;

/**
 * The SARIF 2.1.0 objects we emit: their required properties and every property the schema allows
 * (`additionalProperties: false` throughout the schema, so a misspelt key makes the log invalid).
 */
const SHAPES: Record<string, { required: string[]; allowed: string[] }> = {
  sarifLog: {
    required: ['version', 'runs'],
    allowed: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  },
  run: {
    required: ['tool'],
    allowed: [
      'tool',
      'invocations',
      'conversion',
      'language',
      'versionControlProvenance',
      'originalUriBaseIds',
      'artifacts',
      'logicalLocations',
      'graphs',
      'results',
      'automationDetails',
      'runAggregates',
      'baselineGuid',
      'redactionTokens',
      'defaultEncoding',
      'defaultSourceLanguage',
      'newlineSequences',
      'columnKind',
      'externalPropertyFileReferences',
      'threadFlowLocations',
      'taxonomies',
      'addresses',
      'translations',
      'policies',
      'webRequests',
      'webResponses',
      'specialLocations',
      'properties',
    ],
  },
  tool: { required: ['driver'], allowed: ['driver', 'extensions', 'properties'] },
  toolComponent: {
    required: ['name'],
    allowed: [
      'guid',
      'name',
      'organization',
      'product',
      'productSuite',
      'shortDescription',
      'fullDescription',
      'fullName',
      'version',
      'semanticVersion',
      'dottedQuadFileVersion',
      'releaseDateUtc',
      'downloadUri',
      'informationUri',
      'globalMessageStrings',
      'notifications',
      'rules',
      'taxa',
      'locations',
      'language',
      'contents',
      'isComprehensive',
      'localizedDataSemanticVersion',
      'minimumRequiredLocalizedDataSemanticVersion',
      'associatedComponent',
      'translationMetadata',
      'supportedTaxonomies',
      'properties',
    ],
  },
  reportingDescriptor: {
    required: ['id'],
    allowed: [
      'id',
      'deprecatedIds',
      'guid',
      'deprecatedGuids',
      'name',
      'deprecatedNames',
      'shortDescription',
      'fullDescription',
      'messageStrings',
      'defaultConfiguration',
      'helpUri',
      'help',
      'relationships',
      'properties',
    ],
  },
  reportingConfiguration: { required: [], allowed: ['enabled', 'level', 'rank', 'parameters', 'properties'] },
  multiformatMessageString: { required: ['text'], allowed: ['text', 'markdown', 'properties'] },
  message: { required: [], allowed: ['text', 'markdown', 'id', 'arguments', 'properties'] },
  artifactLocation: { required: [], allowed: ['uri', 'uriBaseId', 'index', 'description', 'properties'] },
  invocation: {
    required: ['executionSuccessful'],
    allowed: [
      'commandLine',
      'arguments',
      'responseFiles',
      'startTimeUtc',
      'endTimeUtc',
      'exitCode',
      'ruleConfigurationOverrides',
      'notificationConfigurationOverrides',
      'toolExecutionNotifications',
      'toolConfigurationNotifications',
      'exitCodeDescription',
      'exitSignalName',
      'exitSignalNumber',
      'processStartFailureMessage',
      'executionSuccessful',
      'machine',
      'account',
      'processId',
      'executableLocation',
      'workingDirectory',
      'environmentVariables',
      'stdin',
      'stdout',
      'stderr',
      'stdoutStderr',
      'properties',
    ],
  },
  notification: {
    required: ['message'],
    allowed: [
      'locations',
      'message',
      'level',
      'threadId',
      'timeUtc',
      'exception',
      'descriptor',
      'associatedRule',
      'properties',
    ],
  },
  result: {
    required: ['message'],
    allowed: [
      'ruleId',
      'ruleIndex',
      'rule',
      'kind',
      'level',
      'message',
      'analysisTarget',
      'locations',
      'guid',
      'correlationGuid',
      'occurrenceCount',
      'partialFingerprints',
      'fingerprints',
      'stacks',
      'codeFlows',
      'graphs',
      'graphTraversals',
      'relatedLocations',
      'suppressions',
      'baselineState',
      'rank',
      'attachments',
      'hostedViewerUri',
      'workItemUris',
      'provenance',
      'fixes',
      'taxa',
      'webRequest',
      'webResponse',
      'properties',
    ],
  },
  location: {
    required: [],
    allowed: [
      'id',
      'physicalLocation',
      'logicalLocations',
      'message',
      'annotations',
      'relationships',
      'properties',
    ],
  },
  physicalLocation: {
    required: [],
    allowed: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  },
  region: {
    required: [],
    allowed: [
      'startLine',
      'startColumn',
      'endLine',
      'endColumn',
      'charOffset',
      'charLength',
      'byteOffset',
      'byteLength',
      'snippet',
      'message',
      'sourceLanguage',
      'properties',
    ],
  },
  fix: { required: ['artifactChanges'], allowed: ['description', 'artifactChanges', 'properties'] },
  artifactChange: {
    required: ['artifactLocation', 'replacements'],
    allowed: ['artifactLocation', 'replacements', 'properties'],
  },
  replacement: { required: ['deletedRegion'], allowed: ['deletedRegion', 'insertedContent', 'properties'] },
  artifactContent: { required: [], allowed: ['text', 'binary', 'rendered', 'properties'] },
};

const LEVELS = ['none', 'note', 'warning', 'error'];

/** Asserts `value` is an object of SARIF type `kind`: its required keys present, no key the schema does not allow. */
function shape(value: unknown, kind: string, where: string): Json {
  assert.ok(
    value !== null && typeof value === 'object' && !Array.isArray(value),
    `${where}: ${kind} must be an object`,
  );
  const object = value as Json;
  const spec = SHAPES[kind]!;
  for (const key of spec.required) assert.ok(key in object, `${where}: ${kind} lacks required '${key}'`);
  for (const key of Object.keys(object)) {
    assert.ok(
      spec.allowed.includes(key),
      `${where}: ${kind} has '${key}', which SARIF 2.1.0 does not define`,
    );
  }
  return object;
}

function array(value: unknown, where: string, minItems = 0): unknown[] {
  assert.ok(Array.isArray(value), `${where} must be an array`);
  assert.ok(value.length >= minItems, `${where} needs at least ${minItems} item(s)`);
  return value;
}

function positiveInt(value: unknown, where: string): number {
  assert.ok(
    Number.isInteger(value) && (value as number) >= 1,
    `${where} must be an integer >= 1, got ${String(value)}`,
  );
  return value as number;
}

function text(value: unknown, where: string): string {
  assert.equal(typeof value, 'string', `${where} must be a string`);
  return value as string;
}

function checkMessage(value: unknown, where: string): void {
  const message = shape(value, 'message', where);
  // message requires text or id (anyOf).
  assert.ok('text' in message || 'id' in message, `${where}: message needs text or id`);
  if ('text' in message) text(message.text, `${where}.text`);
}

function checkRegion(value: unknown, where: string): void {
  const region = shape(value, 'region', where);
  const startLine = positiveInt(region.startLine, `${where}.startLine`);
  const startColumn = positiveInt(region.startColumn, `${where}.startColumn`);
  const endLine = positiveInt(region.endLine, `${where}.endLine`);
  const endColumn = positiveInt(region.endColumn, `${where}.endColumn`);
  assert.ok(
    endLine > startLine || (endLine === startLine && endColumn >= startColumn),
    `${where}: region runs backwards`,
  );
}

function checkArtifactLocation(value: unknown, where: string, baseIds: Json): void {
  const location = shape(value, 'artifactLocation', where);
  const uri = text(location.uri, `${where}.uri`);
  if ('uriBaseId' in location) {
    assert.ok(
      text(location.uriBaseId, `${where}.uriBaseId`) in baseIds,
      `${where}: uriBaseId not in originalUriBaseIds`,
    );
    assert.ok(!/^[a-z]+:/i.test(uri) && !uri.startsWith('/'), `${where}: a uri with a base must be relative`);
  } else {
    assert.match(uri, /^[a-z][a-z0-9+.-]*:/i, `${where}: a uri without a base must be absolute`);
  }
  assert.doesNotThrow(() => new URL(uri, 'file:///base/'), `${where}: not a URI reference`);
  assert.ok(!/[\s\\]/.test(uri), `${where}: spaces and backslashes must be percent-encoded`);
}

function checkLocation(value: unknown, where: string, baseIds: Json): void {
  const location = shape(value, 'location', where);
  if ('id' in location) {
    assert.ok(Number.isInteger(location.id) && (location.id as number) >= -1, `${where}.id`);
  }
  if ('message' in location) checkMessage(location.message, `${where}.message`);
  const physical = shape(location.physicalLocation, 'physicalLocation', `${where}.physicalLocation`);
  // physicalLocation requires address or artifactLocation (anyOf).
  assert.ok('artifactLocation' in physical, `${where}: physicalLocation needs an artifactLocation`);
  checkArtifactLocation(physical.artifactLocation, `${where}.artifactLocation`, baseIds);
  checkRegion(physical.region, `${where}.region`);
}

/** Everything SARIF 2.1.0 requires of the parts of a log we produce, plus our own promises about them. */
function assertValidSarif(value: unknown): SarifLog {
  const log = shape(value, 'sarifLog', 'log');
  assert.equal(log.version, '2.1.0');
  assert.equal(typeof log.$schema, 'string');
  const runs = array(log.runs, 'runs', 1);
  assert.equal(runs.length, 1, 'one run');
  const run = shape(runs[0], 'run', 'run');
  const tool = shape(run.tool, 'tool', 'tool');
  const driver = shape(tool.driver, 'toolComponent', 'driver');
  assert.equal(driver.name, 'gunicorn-config');
  assert.doesNotThrow(() => new URL(text(driver.informationUri, 'informationUri')));
  assert.equal(run.columnKind, 'utf16CodeUnits');
  const baseIds = run.originalUriBaseIds as Json;
  for (const [id, base] of Object.entries(baseIds)) {
    const location = shape(base, 'artifactLocation', `originalUriBaseIds.${id}`);
    assert.match(
      text(location.uri, 'base uri'),
      /^file:\/\/.*\/$/,
      'a base URI is absolute and ends in a slash',
    );
  }
  const rules = array(driver.rules, 'rules');
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    const rule = shape(r, 'reportingDescriptor', `rules[${i}]`);
    const id = text(rule.id, `rules[${i}].id`);
    assert.ok(!ids.has(id), `rule ${id} listed twice`);
    ids.add(id);
    shape(rule.shortDescription, 'multiformatMessageString', `rules[${i}].shortDescription`);
    if ('helpUri' in rule) assert.doesNotThrow(() => new URL(text(rule.helpUri, 'helpUri')));
    const config = shape(
      rule.defaultConfiguration,
      'reportingConfiguration',
      `rules[${i}].defaultConfiguration`,
    );
    assert.ok(LEVELS.includes(config.level as string), `rules[${i}] level ${String(config.level)}`);
  });
  for (const [i, inv] of array(run.invocations, 'invocations').entries()) {
    const invocation = shape(inv, 'invocation', `invocations[${i}]`);
    assert.equal(typeof invocation.executionSuccessful, 'boolean');
    for (const [j, n] of array(invocation.toolExecutionNotifications ?? [], 'notifications').entries()) {
      const notification = shape(n, 'notification', `notifications[${j}]`);
      checkMessage(notification.message, `notifications[${j}].message`);
    }
  }
  for (const [i, r] of array(run.results, 'results').entries()) {
    const where = `results[${i}]`;
    const result = shape(r, 'result', where);
    checkMessage(result.message, `${where}.message`);
    assert.ok(LEVELS.includes(result.level as string), `${where}.level`);
    const ruleIndex = result.ruleIndex as number;
    assert.ok(
      Number.isInteger(ruleIndex) && ruleIndex >= 0 && ruleIndex < rules.length,
      `${where}.ruleIndex`,
    );
    assert.equal((rules[ruleIndex] as Json).id, result.ruleId, `${where}: ruleIndex points at its ruleId`);
    for (const [j, l] of array(result.locations, `${where}.locations`, 1).entries()) {
      checkLocation(l, `${where}.locations[${j}]`, baseIds);
    }
    const related = array(result.relatedLocations ?? [], `${where}.relatedLocations`);
    related.forEach((l, j) => checkLocation(l, `${where}.relatedLocations[${j}]`, baseIds));
    for (const [j, f] of array(result.fixes ?? [], `${where}.fixes`).entries()) {
      const fix = shape(f, 'fix', `${where}.fixes[${j}]`);
      if ('description' in fix) checkMessage(fix.description, `${where}.fixes[${j}].description`);
      for (const [k, c] of array(fix.artifactChanges, `${where}.fixes[${j}].artifactChanges`, 1).entries()) {
        const w = `${where}.fixes[${j}].artifactChanges[${k}]`;
        const change = shape(c, 'artifactChange', w);
        checkArtifactLocation(change.artifactLocation, `${w}.artifactLocation`, baseIds);
        for (const [m, rep] of array(change.replacements, `${w}.replacements`, 1).entries()) {
          const replacement = shape(rep, 'replacement', `${w}.replacements[${m}]`);
          checkRegion(replacement.deletedRegion, `${w}.replacements[${m}].deletedRegion`);
          if ('insertedContent' in replacement) {
            const content = shape(replacement.insertedContent, 'artifactContent', `${w}.insertedContent`);
            text(content.text, `${w}.insertedContent.text`);
          }
        }
      }
    }
  }
  return value as SarifLog;
}

const range = (line: number, from: number, to: number, endLine = line) => ({
  start: { line, character: from },
  end: { line: endLine, character: to },
});

const RULES: RuleMeta[] = [
  {
    id: 'rule-error',
    defaultSeverity: 'error',
    description: 'An error rule.',
    docsUrl: 'https://example.com/r#e',
  },
  {
    id: 'rule-warning',
    defaultSeverity: 'warning',
    description: 'A warning rule.',
    docsUrl: 'https://example.com/r#w',
  },
  {
    id: 'rule-info',
    defaultSeverity: 'info',
    description: 'An info rule.',
    docsUrl: 'https://example.com/r#i',
  },
  {
    id: 'rule-hint',
    defaultSeverity: 'hint',
    description: 'A hint rule.',
    docsUrl: 'https://example.com/r#h',
  },
];

function runCli(
  args: string[],
  cwd = REPO,
  cli = CLI,
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('SARIF output', () => {
  const base = '/work/project';

  it('lists every rule with its description, docs link and default level', () => {
    const log = assertValidSarif(toSarif([], allRules, base, { toolVersion: '1.2.3' }));
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.version, '1.2.3');
    assert.deepEqual(
      driver.rules.map((r) => r.id),
      allRules.map((r) => r.id),
    );
    allRules.forEach((rule, i) => {
      const d = driver.rules[i]!;
      assert.equal(d.shortDescription.text, rule.description);
      assert.equal(d.helpUri, rule.docsUrl);
      assert.equal(d.defaultConfiguration.level, sarifLevel(rule.defaultSeverity));
    });
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].invocations[0]!.executionSuccessful, true);
  });

  it('maps error, warning, info and hint to error, warning, note and note', () => {
    const log = assertValidSarif(toSarif([], RULES, base));
    assert.deepEqual(
      log.runs[0].tool.driver.rules.map((r) => r.defaultConfiguration.level),
      ['error', 'warning', 'note', 'note'],
    );
    const findings: Finding[] = (['error', 'warning', 'info', 'hint'] as const).map((severity, i) => ({
      rule: 'rule-error',
      severity,
      range: range(i, 0, 1),
      message: `as ${severity}`,
    }));
    const results = toSarif([{ path: `${base}/a.py`, findings }], RULES, base).runs[0].results;
    // A result's level is its finding's severity (after overrides), not the rule's default.
    assert.deepEqual(
      results.map((r) => r.level),
      ['error', 'warning', 'note', 'note'],
    );
  });

  it('gives 1-based regions in UTF-16 code units, relative to %SRCROOT%', () => {
    // "😀" is two UTF-16 code units: a finding right after it starts at character 2, column 3.
    const finding: Finding = {
      rule: 'rule-warning',
      severity: 'warning',
      range: range(4, 2, 7),
      message: 'm',
    };
    const log = assertValidSarif(
      toSarif([{ path: `${base}/deploy/shop.service`, findings: [finding] }], RULES, base),
    );
    const result = log.runs[0].results[0]!;
    assert.equal(result.ruleId, 'rule-warning');
    assert.equal(result.ruleIndex, 1);
    assert.deepEqual(result.locations[0]!.physicalLocation, {
      artifactLocation: { uri: 'deploy/shop.service', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 3, endLine: 5, endColumn: 8 },
    });
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/project/' } });
    assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
  });

  it('percent-encodes paths and falls back to absolute file URIs outside the base', () => {
    const finding: Finding = { rule: 'rule-info', severity: 'info', range: range(0, 0, 0), message: 'm' };
    const log = assertValidSarif(
      toSarif(
        [
          { path: `${base}/my deploy/#1.service`, findings: [finding] },
          { path: '/etc/nginx/nginx.conf', findings: [finding] },
        ],
        RULES,
        base,
      ),
    );
    const [inside, outside] = log.runs[0].results.map(
      (r) => r.locations[0]!.physicalLocation.artifactLocation,
    );
    assert.deepEqual(inside, { uri: 'my%20deploy/%231.service', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(outside, { uri: 'file:///etc/nginx/nginx.conf' });
  });

  it('carries related information and fixes with edits, in this file and in others', () => {
    const finding: Finding = {
      rule: 'rule-error',
      severity: 'error',
      range: range(2, 4, 10),
      message: 'socket mismatch',
      related: [
        { uri: `file://${base}/deploy/shop.socket`, range: range(5, 13, 36), message: 'ListenStream= here' },
        { uri: 'untitled:Untitled-1', range: range(0, 0, 3), message: 'an unsaved editor' },
      ],
      fixes: [
        {
          title: 'Use the socket path',
          edits: [{ range: range(2, 4, 10), newText: 'unix:/run/shop/gunicorn.sock' }],
          otherFiles: [
            {
              uri: `file://${base}/deploy/nginx/shop.conf`,
              edits: [{ range: range(3, 11, 20, 4), newText: 'x' }],
            },
          ],
          isPreferred: true,
        },
        { title: 'Nothing to apply', edits: [] },
        {
          title: 'Ignore rule-error on this line',
          edits: [{ range: range(2, 10, 10), newText: '  # gunicorn-config: disable=rule-error' }],
        },
      ],
    };
    const log = assertValidSarif(
      toSarif([{ path: `${base}/gunicorn.conf.py`, findings: [finding] }], RULES, base),
    );
    const result = log.runs[0].results[0]!;
    assert.deepEqual(result.relatedLocations, [
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'deploy/shop.socket', uriBaseId: '%SRCROOT%' },
          region: { startLine: 6, startColumn: 14, endLine: 6, endColumn: 37 },
        },
        message: { text: 'ListenStream= here' },
      },
      {
        id: 2,
        physicalLocation: {
          artifactLocation: { uri: 'untitled:Untitled-1' },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 4 },
        },
        message: { text: 'an unsaved editor' },
      },
    ]);
    // The fix without edits and the suppression comment are not fixes SARIF consumers should apply.
    assert.deepEqual(result.fixes, [
      {
        description: { text: 'Use the socket path' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'gunicorn.conf.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 11 },
                insertedContent: { text: 'unix:/run/shop/gunicorn.sock' },
              },
            ],
          },
          {
            artifactLocation: { uri: 'deploy/nginx/shop.conf', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 4, startColumn: 12, endLine: 5, endColumn: 21 },
                insertedContent: { text: 'x' },
              },
            ],
          },
        ],
      },
    ]);
    const withSuppressions = toSarif(
      [{ path: `${base}/gunicorn.conf.py`, findings: [finding] }],
      RULES,
      base,
      {
        includeSuppressionFixes: true,
      },
    );
    assertValidSarif(withSuppressions);
    assert.equal(withSuppressions.runs[0].results[0]!.fixes!.length, 2);
    assert.equal(isSuppressionFix(finding.fixes![2]!), true);
    assert.equal(isSuppressionFix(finding.fixes![0]!), false);
  });

  it('omits fixes and related locations when a finding has none', () => {
    const finding: Finding = {
      rule: 'rule-hint',
      severity: 'hint',
      range: range(0, 0, 1),
      message: 'm',
      fixes: [],
    };
    const result = toSarif([{ path: `${base}/a.py`, findings: [finding] }], RULES, base).runs[0].results[0]!;
    assert.equal('fixes' in result, false);
    assert.equal('relatedLocations' in result, false);
  });

  it('describes a rule that is not in the list (internal-error) instead of dangling', () => {
    const finding: Finding = {
      rule: 'internal-error',
      severity: 'hint',
      range: range(0, 0, 0),
      message: 'Rule x failed',
    };
    const log = assertValidSarif(
      toSarif([{ path: `${base}/a.py`, findings: [finding, finding] }], RULES, base),
    );
    const rules = log.runs[0].tool.driver.rules;
    assert.equal(rules.length, RULES.length + 1);
    assert.equal(rules[RULES.length]!.id, 'internal-error');
    assert.deepEqual(
      log.runs[0].results.map((r) => r.ruleIndex),
      [RULES.length, RULES.length],
    );
  });

  it('records paths that could not be read as an unsuccessful invocation', () => {
    const log = assertValidSarif(toSarif([], RULES, base, { problems: ['cannot read nowhere'] }));
    assert.deepEqual(log.runs[0].invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: 'cannot read nowhere' } }],
      },
    ]);
  });

  it('the validator above rejects what SARIF forbids', () => {
    const good = toSarif(
      [
        {
          path: `${base}/a.py`,
          findings: [{ rule: 'rule-error', severity: 'error', range: range(0, 0, 1), message: 'm' }],
        },
      ],
      RULES,
      base,
    );
    const mutate = (f: (log: SarifLog) => void): SarifLog => {
      const copy = JSON.parse(JSON.stringify(good)) as SarifLog;
      f(copy);
      return copy;
    };
    assert.throws(() =>
      assertValidSarif(mutate((l) => ((l.runs[0].results[0] as unknown as Json).severity = 'x'))),
    );
    assert.throws(() =>
      assertValidSarif(
        mutate((l) => (l.runs[0].results[0]!.locations[0]!.physicalLocation.region.startColumn = 0)),
      ),
    );
    assert.throws(() => assertValidSarif(mutate((l) => (l.runs[0].results[0]!.level = 'info' as never))));
    assert.throws(() =>
      assertValidSarif(mutate((l) => delete (l.runs[0].tool.driver as Partial<Json>).name)),
    );
    assert.throws(() => assertValidSarif(mutate((l) => (l.runs[0].results[0]!.ruleIndex = 3))));
  });
});

describe('gunicorn-config check --format sarif', () => {
  before(function () {
    if (!existsSync(CLI)) this.skip();
  });

  it('reports the example deployment: exit 1, results with relative URIs', () => {
    const { status, stdout, stderr } = runCli(['check', 'examples/deployment', '--format', 'sarif']);
    assert.equal(status, 1, stderr);
    const log = assertValidSarif(JSON.parse(stdout));
    const run = log.runs[0];
    assert.equal(run.tool.driver.version, PACKAGE_VERSION);
    assert.equal(run.tool.driver.rules.length, allRules.length);
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, `file://${join(REPO, 'examples', 'deployment')}/`);
    assert.ok(run.results.length > 0);
    assert.ok(run.results.some((r) => r.level === 'error'));
    const uris = new Set(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    for (const uri of ['gunicorn.conf.py', 'deploy/shop.service', 'deploy/shop.nginx']) {
      assert.ok(uris.has(uri), uri);
    }
    // The same findings as --format json, in the same places.
    const json = JSON.parse(runCli(['check', 'examples/deployment', '--format', 'json']).stdout) as {
      file: string;
      line: number;
      column: number;
      rule: string;
    }[];
    assert.deepEqual(
      run.results.map((r) => {
        const { artifactLocation, region } = r.locations[0]!.physicalLocation;
        return `examples/deployment/${artifactLocation.uri}:${region.startLine}:${region.startColumn} ${r.ruleId}`;
      }),
      json.map((row) => `${row.file}:${row.line}:${row.column} ${row.rule}`),
    );
  });

  it('the bundle (dist/cli.js, when built after the last source change) prints the same log', function () {
    // Any source or data file newer than the bundle (rules, catalogues…) would make the two logs differ.
    const sources = ['src', 'data'].flatMap((dir) =>
      readdirSync(join(REPO, 'server', dir), { recursive: true, encoding: 'utf8' }).map(
        (f) => statSync(join(REPO, 'server', dir, f)).mtimeMs,
      ),
    );
    if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < Math.max(...sources)) this.skip();
    const args = ['check', 'examples/deployment', '--format', 'sarif'];
    const bundled = runCli(args, REPO, BUNDLE);
    assert.equal(bundled.status, 1, bundled.stderr);
    assert.deepEqual(assertValidSarif(JSON.parse(bundled.stdout)), JSON.parse(runCli(args).stdout));
  });

  it('exits 0 with no results on a clean directory, and 2 when a path cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarif-cli-'));
    try {
      writeFileSync(join(dir, 'gunicorn.conf.py'), 'workers = 2\n');
      const clean = runCli(['check', dir, '--format=sarif']);
      assert.equal(clean.status, 0, clean.stderr);
      assert.deepEqual(assertValidSarif(JSON.parse(clean.stdout)).runs[0].results, []);
      const missing = runCli(['check', dir, join(dir, 'nowhere'), '--format', 'sarif']);
      assert.equal(missing.status, 2);
      const log = assertValidSarif(JSON.parse(missing.stdout));
      assert.equal(log.runs[0].invocations[0]!.executionSuccessful, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the other formats and rejects unknown ones', () => {
    assert.equal(runCli(['check', 'examples/deployment', '--format', 'xml']).status, 2);
    const text = runCli(['check', 'examples/deployment']);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^Checking against Gunicorn /);
    assert.match(runCli(['--help']).stdout, /--format text\|json\|sarif/);
  });

  it('judges unit files at the --systemd-version release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-systemd-version-'));
    try {
      const unit = join(dir, 'app.service');
      writeFileSync(unit, '[Service]\nExecStart=/usr/bin/gunicorn app:app\nRestartSteps=3\n');
      const at252 = runCli(['check', unit, '--systemd-version', '252', '--format', 'json']);
      assert.equal(at252.status, 1, at252.stderr);
      const found = JSON.parse(at252.stdout) as { rule: string; severity: string; message: string }[];
      const verdict = found.find((f) => f.rule === 'directive-not-in-version');
      assert.equal(verdict?.severity, 'error');
      assert.match(verdict!.message, /added in systemd 254; the target is systemd 252/);
      const at254 = runCli(['check', unit, '--systemd-version', '254', '--format', 'json']);
      assert.ok(!at254.stdout.includes('directive-not-in-version'), at254.stdout);
      const assumed = runCli(['check', unit]);
      assert.match(assumed.stdout, /unit files against systemd \d+ \(assumed/);
      assert.equal(runCli(['check', unit, '--systemd-version', 'newest']).status, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gunicorn-config check in a pipeline', () => {
  before(function () {
    if (!existsSync(CLI)) this.skip();
  });

  it('ends quietly when the reader closes the pipe early (| head), with the exit code of the check', async () => {
    // Many findings, so that the output outlasts the pipe's buffer and a write meets the closed pipe.
    const dir = mkdtempSync(join(tmpdir(), 'epipe-cli-'));
    try {
      writeFileSync(join(dir, 'gunicorn.conf.py'), 'worker = 4\n'.repeat(900) + 'workers = "x"\n');
      const child = spawn(process.execPath, [CLI, 'check', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const status = await new Promise<number | null>((resolve) =>
        child.on('close', (code) => resolve(code)),
      );
      assert.doesNotMatch(stderr, /EPIPE|Error/, stderr);
      assert.equal(status, 1, 'errors were found, so the exit code says so');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the flag that chose the Gunicorn version', () => {
    const { stdout } = runCli(['check', 'examples/deployment', '--gunicorn-version', '22.0.0']);
    assert.match(stdout.split('\n')[0]!, /^Checking against Gunicorn 22\.0\.0 \(from --gunicorn-version\)/);
  });
});

describe('gunicorn-config init', () => {
  let dir = '';
  before(function () {
    if (!existsSync(CLI)) this.skip();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'init-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const FILES = ['gunicorn.conf.py', 'deploy/shop.service', 'deploy/shop.socket', 'deploy/nginx/shop.conf'];

  it('writes the four files, says so, and they pass check', () => {
    const r = runCli([
      'init',
      dir,
      '--name',
      'shop',
      '--app',
      'shop.wsgi:application',
      '--server-name=shop.example.com',
    ]);
    assert.equal(r.status, 0, r.stderr);
    for (const file of FILES) {
      assert.ok(existsSync(join(dir, file)), file);
      assert.match(r.stdout, new RegExp(`wrote .*${file.replace(/[.]/g, '\\.')}\\n`));
    }
    const check = runCli(['check', dir]);
    assert.equal(check.status, 0, check.stdout);
    assert.match(check.stdout, /4 files checked: 0 errors, 0 warnings/);
  });

  it('takes the Gunicorn version from a pin in DIR', () => {
    writeFileSync(join(dir, 'requirements.txt'), 'django==5.0\ngunicorn==20.1.0\n');
    const r = runCli([
      'init',
      dir,
      '--name',
      'shop',
      '--app',
      'shop.wsgi:application',
      '--worker-class',
      'gthread',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Gunicorn 20\.1\.0 \(pinned in requirements\.txt/);
    const config = readFileSync(join(dir, 'gunicorn.conf.py'), 'utf8');
    assert.match(config, /worker_class = "gthread"/);
    assert.ok(!config.includes('control_socket'));
  });

  it('refuses to overwrite without --force, and overwrites with it', () => {
    assert.equal(runCli(['init', dir, '--name', 'shop', '--app', 'a:b']).status, 0);
    writeFileSync(join(dir, 'deploy/shop.socket'), 'mine\n');
    const again = runCli(['init', dir, '--name', 'shop', '--app', 'a:b', '--user', 'shop']);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /not overwriting .*shop\.socket.*--force/);
    assert.equal(readFileSync(join(dir, 'deploy/shop.socket'), 'utf8'), 'mine\n');
    assert.ok(
      !readFileSync(join(dir, 'deploy/shop.service'), 'utf8').includes('User=shop'),
      'nothing was written',
    );
    const forced = runCli(['init', dir, '--name', 'shop', '--app', 'a:b', '--user', 'shop', '--force']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(readFileSync(join(dir, 'deploy/shop.service'), 'utf8'), /^User=shop$/m);
  });

  it('exits 2 with the problems on bad answers, writing nothing', () => {
    const r = runCli(['init', dir, '--name', 'my shop', '--app', 'shop', '--project-dir', 'srv']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /name 'my shop'/);
    assert.match(r.stderr, /app 'shop' must be module:callable/);
    assert.match(r.stderr, /project directory must be an absolute path/);
    assert.ok(!existsSync(join(dir, 'gunicorn.conf.py')));
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['init', dir, '--app', 'a:b']).status, 2);
    assert.equal(runCli(['init', dir, '--name', 'shop']).status, 2);
    assert.equal(runCli(['init', dir, '--name', 'shop', '--app', 'a:b', '--bogus']).status, 2);
    assert.equal(runCli(['init', dir, 'other', '--name', 'shop', '--app', 'a:b']).status, 2);
    assert.equal(runCli(['init', dir, '--name', 'shop', '--app', 'a:b', '--workers', 'many']).status, 2);
    const help = runCli(['init', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /gunicorn-config init \[DIR\] --name NAME --app MODULE:CALLABLE/);
  });
});
