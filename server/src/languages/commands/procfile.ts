// Gunicorn launches in Procfiles: one `name: command` per line, the name standing for the process type.

import type { Version } from '../../core/version';
import { isolated, type ParsedSource, type Site } from '../gunicorn/launchSites';
import { shellLineSites, type ShellState } from './shell';

export function procfileSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const { lines } = parsed;
  const sites: Site[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const lineText = lines.lineText(line);
    const m = /^(\uFEFF?[ \t]*)([A-Za-z0-9_-]+)[ \t]*:[ \t]*/.exec(lineText);
    if (!m) {
      if (/^\uFEFF?\s*#/.test(lineText)) {
        const at = lineText.indexOf('#');
        parsed.comments.push({ from: start + at, to: start + lineText.trimEnd().length });
      }
      continue;
    }
    const from = start + m[0].length;
    const to = start + lineText.length;
    const lineOnly = isolated(text, { from: 0, to });
    parsed.regions.push({ from, to, text: lineOnly, form: 'shell' });
    const state: ShellState = { env: new Map() };
    sites.push(...shellLineSites(text, lineOnly, from, 'procfile', version, state, { unit: m[2]! }).sites);
  }
  return sites;
}
