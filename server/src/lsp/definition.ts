// textDocument/definition: the core's plain definition converted to LocationLink[] (clients that declare linkSupport:
// the link's origin is the span asked about, so the editor underlines all of it) or Location[].

import type { Location, LocationLink } from 'vscode-languageserver';
import type { Definition } from '../core/definitions';
import type { Range } from '../core/text';

export function toLspDefinition(
  definition: Definition | undefined,
  originRange: (from: number, to: number) => Range,
  linkSupport: boolean,
): LocationLink[] | Location[] | null {
  if (!definition?.targets.length) return null;
  if (!linkSupport) {
    return definition.targets.map(({ uri, selectionRange }) => ({ uri, range: selectionRange }));
  }
  const originSelectionRange = originRange(definition.origin.from, definition.origin.to);
  return definition.targets.map((target) => ({
    originSelectionRange,
    targetUri: target.uri,
    targetRange: target.range,
    targetSelectionRange: target.selectionRange,
  }));
}
