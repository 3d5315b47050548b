// What kind of deployment file a text is, for a file named on the command line whose name says nothing
// (`bench_manager_nginx.conf`, `Dockerfile-prod`, `echobot.service.f`): read from its first lines.

import type { CommandSourceKind } from './commands/parse';

export type ContentKind =
  | { language: 'gunicorn' | 'systemd' | 'nginx' }
  | { language: 'commands'; commandSourceKind: CommandSourceKind };

/** Lines read at most: the kind shows in a file's first statements. */
const LINES_READ = 200;

const UNIT_SECTION =
  /^\[(?:Unit|Service|Socket|Install|Timer|Path|Mount|Automount|Swap|Slice|Scope|X-[\w-]+)\]\s*(?:[#;].*)?$/;
const INI_SECTION = /^\[[^\]]+\]\s*$/;
const DOCKER_START = /^(?:FROM|ARG)\s+\S/i;
const SHEBANG_SHELL = /^#!\s*(?:\/usr)?(?:\/local)?\/bin\/(?:env\s+)?(?:ba|da|z|k|a)?sh\b/;
const NGINX_BLOCK =
  /^(?:http|events|stream|server|upstream|location|map|geo|types|mail|if)\b[^;={]*\{\s*(?:#.*)?$/;
// A directive and its arguments up to `;` (not `name = value;`, a Python line that ends in a semicolon).
const NGINX_DIRECTIVE = /^[a-z][a-z0-9_]*(?:\s+(?!=)[^;{}]+)?;\s*(?:#.*)?$/;
const PYTHON_LINE =
  /^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s|def\s+\w+\s*\(|[A-Za-z_]\w*\s*(?::\s*[\w.[\], ]+)?\s*=(?!=))/;
const PROCFILE_LINE = /^[\w-]+:\s*\S/;

/**
 * The kind of file `text` is, from its first significant lines; undefined when they do not say (an INI file of another
 * program, prose, data). A name that says its kind wins over this: it is only for names that say nothing.
 */
export function contentKind(text: string): ContentKind | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/, LINES_READ);
  if (SHEBANG_SHELL.test(lines[0] ?? '')) return { language: 'commands', commandSourceKind: 'shell' };
  const significant = lines.map((line) => line.trim()).filter((line) => line && !isComment(line));
  const first = significant[0];
  if (first === undefined) return undefined;
  // Before any section, a unit file may hold only comments; a first `[Unit]` (or another unit section) decides.
  if (UNIT_SECTION.test(first)) return { language: 'systemd' };
  // Another program's INI file (`[program:web]`, `[mysqld]`): not ours.
  if (INI_SECTION.test(first)) return undefined;
  // Parser directives (`# syntax=…`) are comments here: a Dockerfile's first instruction is FROM, or ARG before it.
  if (DOCKER_START.test(first)) return { language: 'commands', commandSourceKind: 'dockerfile' };
  let nginx = 0;
  let python = 0;
  let procfile = 0;
  for (const line of significant) {
    if (NGINX_BLOCK.test(line) || NGINX_DIRECTIVE.test(line)) nginx++;
    else if (PYTHON_LINE.test(line)) python++;
    else if (PROCFILE_LINE.test(line)) procfile++;
  }
  if (nginx > 0 && nginx >= python) return { language: 'nginx' };
  if (python > 0) return { language: 'gunicorn' };
  if (procfile > 0 && procfile === significant.length) {
    return { language: 'commands', commandSourceKind: 'procfile' };
  }
  return undefined;
}

function isComment(line: string): boolean {
  return line.startsWith('#') || line.startsWith(';');
}
