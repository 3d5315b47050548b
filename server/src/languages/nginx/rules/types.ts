// The contract every nginx rule file implements: metadata plus a check over the parsed configuration.

import type { RuleMeta } from '../../../core/findings';
import type { Range } from '../../../core/text';
import type { Version } from '../../../core/version';
import type { NginxCatalog } from '../catalog';
import type { NginxModuleFacts, NginxStaticModules } from '../moduleFacts';
import type { NginxModel, Span } from '../parse';
import type { NginxTarget } from '../target';
import type { Report } from '../../../core/runRules';

export type { Report } from '../../../core/runRules';

/** What the host knows about the rest of the workspace; every field is optional (a lone file knows nothing). */
export interface NginxWorkspaceFacts {
  /** Upstream names defined in other nginx files of the workspace (included files, sibling site files). */
  upstreams?: ReadonlySet<string>;
  /**
   * Addresses Gunicorn listens on according to the workspace's configs, units and command lines, normalised like
   * nginx writes them: `unix:/run/app.sock`, `127.0.0.1:8000`.
   */
  gunicornAddresses?: ReadonlySet<string>;
  /**
   * True when `gunicornAddresses` is every address the workspace's Gunicorns listen on: at least one Gunicorn, each
   * with known listens, and no file left out of the model. A concrete address outside it is then some other service.
   */
  gunicornAddressesComplete?: boolean;
  /** `include` lines of this file (zero-based) that pull in a file already on the include chain, and that file. */
  includeCycles?: readonly { line: number; target: string }[];
  /** The Gunicorn worker class in effect (`sync`, `gthread`, `gevent`, `uvicorn.workers.UvicornWorker`…), if known. */
  gunicornWorkerClass?: string;
  /** The main nginx.conf that reaches this file and the modules it loads, when that file is in the workspace. */
  modules?: NginxModuleFacts;
  /** The workspace evidently runs an nginx with third-party modules compiled in (OpenResty, or built from source). */
  staticModules?: NginxStaticModules;
}

export interface NginxRuleContext {
  model: NginxModel;
  /** The catalogue at the target nginx version (its history knows the other releases). */
  catalog: NginxCatalog;
  /** The nginx version judged against, where it came from, and whether it was only assumed. */
  nginxTarget: NginxTarget;
  uri: string;
  /** The file's path or name. */
  path: string;
  workspace: NginxWorkspaceFacts;
  gunicornVersion: Version;
  versionLabel: string;
  /** Span → range in this file. */
  range(span: Span): Range;
  report(finding: Report): void;
}

export interface NginxRule {
  meta: RuleMeta;
  check(context: NginxRuleContext): void;
}

/** The docs anchor of a rule in docs/rules.md. */
export function nginxRuleDocsUrl(id: string): string {
  return `https://github.com/gunicorn-config/gunicorn-config/blob/main/docs/rules.md#${id}`;
}
