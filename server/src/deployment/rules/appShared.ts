// Helpers shared by the app-target rules: where the app spec is written, edits that rewrite it, and the module's names.

import type { Fix, RelatedInfo } from '../../core/findings';
import type { Range } from '../../core/text';
import type { TopLevelName } from '../../languages/python/moduleFacts';
import type { AppTarget } from '../appTarget';
import type { DeploymentFacts, ResolvedSetting } from '../model';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The spec as written in its file, quotes included (for edits that keep them). */
function writtenSpec(facts: DeploymentFacts, target: AppTarget): string | undefined {
  const lines = facts.lines(target.spec.uri);
  const source = facts.sources.get(target.spec.uri);
  if (!lines || !source) return undefined;
  return source.text.slice(lines.offsetAt(target.spec.range.start), lines.offsetAt(target.spec.range.end));
}

/** A fix that replaces the whole app spec, keeping the quotes it was written in (and adding some where a shell needs them). */
export function replaceSpecFix(
  facts: DeploymentFacts,
  target: AppTarget,
  newSpec: string,
  title = `Change to ${newSpec}`,
): Fix | undefined {
  const written = writtenSpec(facts, target);
  if (written === undefined) return undefined;
  const quoted = /^(['"])[\s\S]*\1$/.exec(written);
  if (!quoted && written.trim() !== target.spec.value.trim()) return undefined;
  let newText: string;
  if (quoted) {
    const quote = quoted[1]!;
    if (newSpec.includes(quote)) return undefined;
    newText = `${quote}${newSpec}${quote}`;
  } else {
    const kind = facts.sources.get(target.spec.uri)?.kind;
    const shellish = kind !== 'systemd' && kind !== 'gunicorn';
    newText =
      shellish && /[()\s"'$`\\;&|<>*?]/.test(newSpec) ? `'${newSpec.replace(/'/g, "'\\''")}'` : newSpec;
  }
  return { title, edits: [{ range: target.spec.range, newText }], isPreferred: true };
}

/** Related information pointing at the module file (its first line, or the name's binding). */
export function moduleRelated(
  facts: DeploymentFacts,
  uri: string | undefined,
  message: string,
  binding?: TopLevelName,
): RelatedInfo[] {
  if (!uri) return [];
  const lines = facts.lines(uri);
  const range = lines && binding ? lines.range(binding.from, binding.to) : ZERO;
  return [{ uri, range, message }];
}

/** Workspace-relative looking path for messages: the last three segments. */
export function shortPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 3 ? `…/${parts.slice(-3).join('/')}` : `/${parts.join('/')}`;
}

/** The spec the user wrote, in quotes for messages. */
export function specLabel(target: AppTarget): string {
  return `'${target.spec.value.trim()}'`;
}

/** Whether a spec can be checked against its module (no form Gunicorn rejects before looking, nothing unknowable). */
export function checkable(target: AppTarget): boolean {
  return target.parsed.understood && !target.parsed.unusable;
}

/** What a worker class hands the app: WSGI calls (sync, gthread, gevent, eventlet, tornado) or ASGI (uvicorn, asgi). */
export function workerProtocolOf(
  facts: DeploymentFacts,
  deployment: AppTarget['deployment'],
): { protocol: 'wsgi' | 'asgi'; name: string; setting: ResolvedSetting } | undefined {
  const setting = facts.setting(deployment, 'worker_class');
  const name = setting?.known ? setting.parsed.str?.trim().replace(/^egg:gunicorn#/, '') : undefined;
  if (!setting || !name) return undefined;
  const lower = name.toLowerCase();
  if (
    /^(uvicorn(_worker)?\.(workers\.)?uvicorn(h11)?worker|uvicorn_worker\.uvicorn(h11)?worker|asgi|gunicorn\.workers\.gasgi\.asgiworker)$/.test(
      lower,
    )
  ) {
    return { protocol: 'asgi', name, setting };
  }
  if (
    /^(sync|gthread|gevent|gevent_wsgi|gevent_pywsgi|eventlet|gunicorn\.workers\.(sync\.syncworker|gthread\.threadworker|ggevent\.gevent(pywsgi)?worker|geventlet\.eventletworker))$/.test(
      lower,
    )
  ) {
    return { protocol: 'wsgi', name, setting };
  }
  return undefined;
}

/**
 * Error findings about a module found by guess (a server folder matched to the checkout, a script whose caller's folder
 * is unknown) are warnings: the file we read may not be the one the server imports.
 */
export function guessed(target: AppTarget): { severity?: 'warning' } {
  return target.certain ? {} : { severity: 'warning' };
}

/** A note for messages about such a module. */
export function guessNote(target: AppTarget): string {
  return target.certain
    ? ''
    : ` (Assuming ${shortPath(target.module?.path ?? target.parent?.found.path ?? '')} is the file the server imports.)`;
}
