// Parses of one file shared between the passes of one CLI run (nginx include index, deployment model, own checks),
// and, in the language server, kept across its model builds.

import { FileParseCache } from './fileParseCache';

/**
 * Without a share, each pass parsed the file again: an nginx site up to six times (the CLI's include index twice, the
 * model's index twice and its own parse, the per-file checks), a unit file three times. A parse is reused only for the
 * same file, the same way of parsing (`variant`: an nginx file's root context) and the same text, so nothing that
 * keys on a parse's identity (rules' memos, the model's maps of directives) can mix two files up. Outside
 * `ParseShare.keep` and `ParseShare.take` (the language server) a file's parse is kept across model builds instead.
 */
interface Entry {
  text: string;
  parse: unknown;
}

let active: { share: ParseShare; taking: boolean } | undefined;

/**
 * Outside a share, parses kept across builds, per language (nginx, systemd): at most 4,000 files and 1 M characters
 * each. A parse takes about 20 bytes per character of its text, so each stays under about 20 MB.
 */
const kept = new Map<string, FileParseCache<unknown>>();

function acrossBuilds(kind: string): FileParseCache<unknown> {
  const language = kind.split(':')[0]!;
  let cache = kept.get(language);
  if (!cache) kept.set(language, (cache = new FileParseCache(4_000, 1_000_000)));
  return cache;
}

export class ParseShare {
  private readonly entries = new Map<string, Entry>();
  /** Parses shared by text alone, by kind: for a kind whose parse no caller keys on (see `sharedParseOfText`). */
  private readonly byText = new Map<string, Map<string, unknown>>();

  /** Runs `work` (synchronous) with the share on: its parses are kept for the later passes of the run. */
  keep<T>(work: () => T): T {
    return this.within(false, work);
  }

  /**
   * Runs `work` as the last pass over each file: a kept parse it uses is handed out and let go (so the run does not
   * hold every file's parse until its end), and what it parses anew is not kept.
   */
  take<T>(work: () => T): T {
    return this.within(true, work);
  }

  /** Kept parses (for tests and figures). */
  get size(): number {
    let size = this.entries.size;
    for (const texts of this.byText.values()) size += texts.size;
    return size;
  }

  /** @internal the lookup behind `sharedParse`. */
  parse<T>(key: string, text: string, taking: boolean, parse: () => T): T {
    const entry = this.entries.get(key);
    if (entry && entry.text === text) {
      if (taking) this.entries.delete(key);
      return entry.parse as T;
    }
    const made = parse();
    if (!taking) this.entries.set(key, { text, parse: made });
    return made;
  }

  /** @internal the lookup behind `sharedParseOfText`. */
  parseText<T>(kind: string, text: string, taking: boolean, parse: () => T): T {
    let texts = this.byText.get(kind);
    if (!texts) this.byText.set(kind, (texts = new Map()));
    // Kept to the run's end even when taken: files with the same text share the parse, as the model's own cache does.
    if (texts.has(text)) return texts.get(text) as T;
    const made = parse();
    if (!taking) texts.set(text, made);
    return made;
  }

  private within<T>(taking: boolean, work: () => T): T {
    const outer = active;
    active = { share: this, taking };
    try {
      return work();
    } finally {
      active = outer;
    }
  }
}

/**
 * `parse()`, or the parse of the same text of the same file (`path`) and `kind` (a language and its parse options)
 * made earlier in the active share. Without a path the parse is never shared.
 */
export function sharedParse<T>(kind: string, path: string | undefined, text: string, parse: () => T): T {
  if (path === undefined) return parse();
  const key = `${kind}\u0000${path.replace(/\\/g, '/')}`;
  // No share (the language server): the parse is kept across model builds, for as long as the file's text stays.
  if (!active) return acrossBuilds(kind).get(key, text, parse) as T;
  return active.share.parse(key, text, active.taking, parse);
}

/**
 * Like `sharedParse`, for callers that know no path, keyed by the text alone: only for a kind whose parses are already
 * shared between files of the same text (the deployment model keeps Gunicorn configs by text) and that no rule keys
 * a memo on.
 */
export function sharedParseOfText<T>(kind: string, text: string, parse: () => T): T {
  if (!active) return parse();
  return active.share.parseText(kind, text, active.taking, parse);
}
