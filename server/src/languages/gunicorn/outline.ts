// The outline of a gunicorn.conf.py: its settings and hooks grouped by the sections of Gunicorn's settings reference
// (Server Socket, Worker Processes, Logging, Server Hooks…), each with its value; other names under "Other".

import { boundOutline, outlineGroup, outlineSymbol, type OutlineSymbol } from '../../core/outline';
import { gunicornCatalog } from './catalog';
import type { Binding, ConfigModel } from './model';

/** The group of names Gunicorn does not read as settings (helpers, constants, imports of settings' values). */
export const OTHER_GROUP = 'Other';

/** Bindings that only bring a helper into scope: listed when they bind a setting's name, else left out. */
const HELPER_KINDS = new Set<Binding['kind']>(['import', 'for-target', 'with-target', 'class']);

/** The symbols of a parsed config, grouped by section in the catalogue's order; never throws. */
export function gunicornOutline(model: ConfigModel): OutlineSymbol[] {
  const catalog = gunicornCatalog();
  const sectionOrder = new Map<string, number>();
  for (const setting of catalog.data.settings) {
    if (!sectionOrder.has(setting.section)) sectionOrder.set(setting.section, sectionOrder.size);
  }
  const functions = new Map(model.functions.map((fn) => [fn.nameSpan?.from, fn]));
  const groups = new Map<string, OutlineSymbol[]>();
  const add = (group: string, symbol: OutlineSymbol) => {
    const list = groups.get(group);
    if (list) list.push(symbol);
    else groups.set(group, [symbol]);
  };
  for (const binding of model.bindings) {
    const setting = catalog.get(binding.name);
    if (!setting && HELPER_KINDS.has(binding.kind)) continue;
    const fn = binding.kind === 'def' ? functions.get(binding.nameSpan.from) : undefined;
    const detail = fn
      ? model.text.slice(fn.paramsSpan.from, fn.paramsSpan.to)
      : valueText(model.text, binding);
    const kind = setting ? (setting.kind === 'hook' ? 'hook' : 'setting') : 'other';
    add(
      setting?.section ?? OTHER_GROUP,
      outlineSymbol(model.lines, kind, binding.name, binding.statementSpan, binding.nameSpan, detail),
    );
  }
  const order = (section: string) => sectionOrder.get(section) ?? Number.MAX_SAFE_INTEGER;
  const sections = [...groups.keys()].sort((a, b) => order(a) - order(b));
  return boundOutline(
    sections.flatMap((section) => outlineGroup(section, 'section', groups.get(section)!) ?? []),
  );
}

/** What follows the name in its statement: `= 4`, `: int = 4`, `+= 1` reduced to the value's text. */
function valueText(text: string, binding: Binding): string {
  const rest = text.slice(binding.nameSpan.to, binding.statementSpan.to);
  const assigned = /^\s*(?::[^=]*)?(?:[-+*/%|&^@]|\/\/|\*\*|<<|>>)?=(?!=)([\s\S]*)$/.exec(rest);
  return (assigned ? assigned[1]! : rest).trim();
}

/**
 * The app a command line names, for an outline: Gunicorn takes the first positional word, but when a misspelt flag left
 * its value behind (`--worker 3 shop.wsgi`) the word that reads as a module is the one a reader looks for.
 */
export function appShown(positionals: readonly string[]): string | undefined {
  return positionals.find((word) => /^[A-Za-z_]/.test(word)) ?? positionals[0];
}
