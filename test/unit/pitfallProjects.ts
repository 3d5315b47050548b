// Fixture projects for the pitfall rules: the findings of a project written into a temporary folder (as the CLI's
// model finds them), fixes applied to its files, and one rule run over facts whose dependency files are replaced.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Fix } from '../../server/src/core/findings';
import { applyEdits } from '../../server/src/core/text';
import { parseVersion } from '../../server/src/core/version';
import { unreadAppModules } from '../../server/src/deployment/appTarget';
import { sourceKindOf } from '../../server/src/languages/sourceKinds';
import { deploymentFacts, type DeploymentFacts } from '../../server/src/deployment/model';
import type { DeploymentReport, DeploymentRule } from '../../server/src/deployment/rules/types';
import type { DeclaredPackage, ProjectPackages, WorkspaceSource } from '../../server/src/deployment/types';
import { projectModel, removeProject, writeProject, type Files } from './appProjects';

export type { Files } from './appProjects';

export const PITFALLS = new Set([
  'gevent-psycogreen-missing',
  'preload-gpu-framework',
  'prometheus-multiprocess',
  'workers-cpu-count',
]);
export const FLASK = 'from flask import Flask\n\napp = Flask(__name__)\n';
export const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\n';

interface Seen {
  /** `rule@file:line` (1-based) for each pitfall finding. */
  where: string[];
  findings: (Finding & { uri: string })[];
  texts: Map<string, string>;
}

/** The pitfall findings of a project written from `files`, as the CLI's model finds them. */
export function pitfalls(files: Files): Seen {
  const root = writeProject(files);
  try {
    const model = projectModel(root, parseVersion('23.0.0')!);
    const findings = [...model.findings].flatMap(([uri, list]) =>
      list.filter((f) => PITFALLS.has(f.rule)).map((f) => ({ ...f, uri })),
    );
    const texts = new Map<string, string>();
    for (const name of Object.keys(files)) texts.set(name, files[name]!);
    return {
      where: findings.map((f) => `${f.rule}@${f.uri.slice(root.length + 8)}:${f.range.start.line + 1}`),
      findings,
      texts,
    };
  } finally {
    removeProject(root);
  }
}

/** The files after applying a fix (its edits in the file it is reported in, and in other files). */
export function applied(files: Files, finding: Finding & { uri: string }, fix: Fix): Files {
  const fileOf = (uri: string) => Object.keys(files).find((name) => uri.endsWith(`/${name}`))!;
  const result = { ...files };
  const here = fileOf(finding.uri);
  result[here] = applyEdits(result[here]!, fix.edits);
  for (const other of fix.otherFiles ?? []) {
    const name = fileOf(other.uri);
    result[name] = applyEdits(result[name]!, other.edits);
  }
  return result;
}

/** The facts of a project as the model reads them (app modules included), for rules run with parts replaced. */
function factsOf(files: Files): { facts: DeploymentFacts; root: string } {
  const root = writeProject(files);
  const list = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(dir, e.name)) : [join(dir, e.name)],
    );
  const paths = list(root);
  const sources: WorkspaceSource[] = [];
  for (const path of paths) {
    const kind = sourceKindOf(path);
    if (kind) sources.push({ uri: pathToFileURL(path).href, path, kind, text: readFileSync(path, 'utf8') });
  }
  const options = { version: parseVersion('23.0.0')!, versionLabel: 'test' };
  let facts = deploymentFacts(sources, options, { paths });
  const wanted = unreadAppModules(facts.appTargets());
  for (const path of wanted) {
    sources.push({ uri: pathToFileURL(path).href, path, kind: 'python', text: readFileSync(path, 'utf8') });
  }
  if (wanted.length) facts = deploymentFacts(sources, options, { paths });
  return { facts, root };
}

/** Dependency files as the dependency reader will hand them over: `file` → requirement lines. */
function declared(root: string, files: Record<string, string[]>): ProjectPackages {
  const byName = new Map<string, DeclaredPackage[]>();
  for (const [file, requirements] of Object.entries(files)) {
    requirements.forEach((requirement, line) => {
      const name = /^[\w.-]+/
        .exec(requirement)![0]
        .toLowerCase()
        .replace(/[-_.]+/g, '-');
      const entry: DeclaredPackage = {
        name,
        extras: [],
        where: {
          value: requirement,
          uri: pathToFileURL(join(root, file)).href,
          range: { start: { line, character: 0 }, end: { line, character: requirement.length } },
        },
      };
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    });
  }
  return {
    files: Object.keys(files).map((file) => join(root, file)),
    byName,
    complete: true,
    unknown: [],
    locked: false,
  };
}

/** Runs one rule over a project whose dependency files declare `packages`. */
export function withPackages(
  rule: DeploymentRule,
  files: Files,
  packages: Record<string, string[]>,
): DeploymentReport[] {
  const { facts, root } = factsOf(files);
  try {
    const reports: DeploymentReport[] = [];
    const replaced: DeploymentFacts = { ...facts, packages: () => declared(root, packages) };
    rule.check({ facts: replaced, report: (finding) => reports.push(finding) });
    return reports;
  } finally {
    removeProject(root);
  }
}
