// What a Dockerfile's final stage copies from the build context into the image: `COPY`/`ADD` sources and targets.

import { joinDirPath as resolveIn } from '../../core/paths';

export interface DockerCopy {
  /** Sources as written, relative to the build context (`.`, `src/`, `app.py`). */
  sources: string[];
  /** The target inside the image, absolute (resolved against the WORKDIR in effect); ends with `/` for a folder. */
  target: string;
}

export interface DockerCopies {
  copies: DockerCopy[];
  /** True when the final stage copies from another stage or an image (`--from=`): those files are not known here. */
  fromElsewhere: boolean;
  /** The final stage's WORKDIR, when it sets one (inherited ones from a base image are unknown). */
  workdir?: string;
}

/** The words of an instruction's arguments: a JSON array, or blank-separated words with simple quotes removed. */
function words(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return trimmed
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
}

/** The COPY/ADD instructions of the final stage, with targets made absolute; never throws. */
export function dockerCopies(text: string): DockerCopies {
  const result: DockerCopies = { copies: [], fromElsewhere: false };
  // Join continuation lines (a trailing backslash) and drop comment lines, as Docker reads them.
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (current && line.startsWith('#')) continue;
    if (/\\\s*$/.test(raw)) {
      current += raw.replace(/\\\s*$/, ' ');
      continue;
    }
    logical.push(current + raw);
    current = '';
  }
  if (current) logical.push(current);
  const finish = (): DockerCopies => (workdirSet ? { ...result, workdir } : result);
  let workdir = '/';
  let workdirSet = false;
  /** ENV and ARG values of the stage, for `$NAME`/`${NAME}` in WORKDIR and COPY targets. */
  let env = new Map<string, string>();
  const expand = (value: string): string | undefined => {
    const out = value.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (whole, name: string) => env.get(name) ?? whole,
    );
    return /[$]/.test(out) ? undefined : out;
  };
  for (const line of logical) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!;
    if (keyword === 'FROM') {
      result.copies = [];
      result.fromElsewhere = false;
      workdir = '/';
      workdirSet = false;
      env = new Map();
    } else if (keyword === 'ENV' || keyword === 'ARG') {
      const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)];
      if (pairs.length) {
        for (const [, name, value] of pairs) env.set(name!, value!.replace(/^(["'])(.*)\1$/, '$2'));
      } else {
        const legacy = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*$/.exec(args);
        if (legacy && keyword === 'ENV') env.set(legacy[1]!, legacy[2]!);
      }
    } else if (keyword === 'WORKDIR') {
      const written = words(args)?.[0];
      const dir = written === undefined ? undefined : expand(written);
      if (dir) {
        workdir = resolveIn(workdir, dir).replace(/(.)\/$/, '$1');
        workdirSet = true;
      } else if (written !== undefined) {
        // A folder we cannot read: where later copies land (and where the command runs) is unknown.
        workdirSet = false;
        result.fromElsewhere = true;
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const all = words(
        args.replace(/^\s*(--[\w-]+(=\S*)?\s+)+/, (flags) => {
          if (/--from\b/.test(flags)) result.fromElsewhere = true;
          return '';
        }),
      );
      if (!all || all.length < 2 || /--from\b/.test(args)) continue;
      const target = expand(all[all.length - 1]!);
      if (target === undefined) {
        result.fromElsewhere = true;
        continue;
      }
      const sources = all.slice(0, -1);
      // Several sources, or a source folder, land inside the target folder.
      const asFolder = target.endsWith('/') || sources.length > 1;
      result.copies.push({
        sources,
        target: resolveIn(workdir, asFolder ? `${target.replace(/\/$/, '')}/` : target),
      });
    }
  }
  return finish();
}
