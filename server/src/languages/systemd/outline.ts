// The outline of a unit file: its sections and their directives (the value beside each), with the ExecStart= lines
// that start Gunicorn marked as launches.

import { boundOutline, outlineSymbol, type OutlineSymbol } from '../../core/outline';
import type { Version } from '../../core/version';
import { appShown } from '../gunicorn/outline';
import { gunicornExecs } from './gunicornExec';
import type { Directive, UnitModel } from './parse';

/** The symbols of a parsed unit file; never throws, at most MAX_OUTLINE_SYMBOLS of them. */
export function systemdOutline(model: UnitModel, version: Version): OutlineSymbol[] {
  const launches = new Map<Directive, string[]>();
  for (const exec of gunicornExecs(model, version)) {
    const apps = launches.get(exec.directive) ?? [];
    const app = appShown(exec.invocation.positionals.map((p) => p.text));
    if (app) apps.push(app);
    launches.set(exec.directive, apps);
  }
  const directiveSymbol = (directive: Directive): OutlineSymbol => {
    const apps = launches.get(directive);
    const span = { from: directive.span.from, to: Math.max(directive.span.to, directive.valueSpan.to) };
    return apps
      ? outlineSymbol(
          model.lines,
          'launch',
          `${directive.key}=`,
          span,
          directive.keySpan,
          `gunicorn ${apps.join(' ')}`.trim(),
        )
      : outlineSymbol(
          model.lines,
          'directive',
          `${directive.key}=`,
          span,
          directive.keySpan,
          directive.value,
        );
  };
  const symbols: OutlineSymbol[] = model.directives.filter((d) => !d.section).map(directiveSymbol);
  for (const section of model.sections) {
    symbols.push(
      outlineSymbol(
        model.lines,
        'section',
        `[${section.name}]`,
        section.span,
        section.headerSpan,
        undefined,
        section.directives.map(directiveSymbol),
      ),
    );
  }
  return boundOutline(symbols);
}
