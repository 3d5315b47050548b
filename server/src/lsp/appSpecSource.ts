// Where completion finds the modules for an app spec: the last model build's scopes of the file (picked by line, so
// they serve while the user types, before the next build), and module texts from the editor or the disk.

import type { AppCompletionScope } from '../deployment/appEditorSites';
import type { AppSpecSource } from '../languages/python/appCompletion';

/** The scope of the launch at `line`: the one that spans it, else a config file's, else the nearest launch. */
export function appSpecSourceAt(
  scopes: readonly AppCompletionScope[] | undefined,
  line: number,
  read: (path: string) => string | undefined,
): AppSpecSource | undefined {
  if (!scopes?.length) return undefined;
  const distance = (scope: AppCompletionScope): number =>
    !scope.lines
      ? 0.5
      : line < scope.lines.from
        ? scope.lines.from - line
        : line > scope.lines.to
          ? line - scope.lines.to
          : 0;
  let best = scopes[0]!;
  for (const scope of scopes) if (distance(scope) < distance(best)) best = scope;
  return { modules: best.modules, read };
}
