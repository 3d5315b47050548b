// `gunicorn-config format`: formats nginx configs and unit files in place (or, with --check, lists those that would
// change), with the same core as the editor's Format Document.

import { writeFileSync } from 'node:fs';
import type { FormatOptions } from './core/formatting';
import { applyOffsetEdits } from './core/formatting';
import { formatEdits } from './languages/format';
import { detectLanguage, type LanguageId } from './languages/registry';
import { readTextFile } from './workspaceFiles';

export const FORMAT_USAGE = `Usage: gunicorn-config format [--check] [--indent N|tab] [--language nginx|systemd] FILE...

format: lays out nginx configs and unit files as Format Document does in the editor (indentation by block depth,
one directive per line, Key=value), in place. Files that do not parse cleanly and templates are left alone. The
language comes from the file name (nginx.conf, sites-available/*, conf.d/*.conf, *.service…) unless --language says.
--check writes nothing and lists the files that would change.
Exit code: 0 nothing (left) to change, 1 with --check when a file would change, 2 usage or read/write failure.`;

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

const CONSOLE: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs `format ARGS`; returns the exit code. */
export function formatCommand(args: readonly string[], io: Output = CONSOLE): number {
  const options: FormatOptions = { tabSize: 4, insertSpaces: true };
  let check = false;
  let language: LanguageId | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      io.out(FORMAT_USAGE);
      return 0;
    } else if (arg === '--check') check = true;
    else if (arg === '--indent') {
      const value = args[++i];
      if (value === 'tab') options.insertSpaces = false;
      else if (value !== undefined && /^[1-9]$/.test(value)) options.tabSize = Number(value);
      else return usage(io, '--indent takes a number of spaces (1-9) or tab');
    } else if (arg === '--language') {
      const value = args[++i];
      if (value !== 'nginx' && value !== 'systemd') return usage(io, '--language takes nginx or systemd');
      language = value;
    } else if (arg.startsWith('-')) return usage(io, `unknown option '${arg}'`);
    else files.push(arg);
  }
  if (!files.length) return usage(io, 'format needs at least one FILE');
  let failed = false;
  let wouldChange = false;
  for (const file of files) {
    const kind = language ?? detectLanguage(file);
    if (kind !== 'nginx' && kind !== 'systemd') {
      io.err(`${file}: not an nginx config or unit file by its name (pass --language nginx|systemd)`);
      failed = true;
      continue;
    }
    const text = readTextFile(file);
    if (text === undefined) {
      io.err(`${file}: cannot be read`);
      failed = true;
      continue;
    }
    const edits = formatEdits(kind, text, options, file);
    if (!edits.length) continue;
    if (check) {
      io.out(`${file}: would be reformatted`);
      wouldChange = true;
      continue;
    }
    try {
      writeFileSync(file, applyOffsetEdits(text, edits));
      io.out(`${file}: reformatted`);
    } catch (error) {
      io.err(`${file}: cannot be written (${error instanceof Error ? error.message : String(error)})`);
      failed = true;
    }
  }
  return failed ? 2 : wouldChange ? 1 : 0;
}

function usage(io: Output, message: string): number {
  io.err(`${message}\n\n${FORMAT_USAGE}`);
  return 2;
}
