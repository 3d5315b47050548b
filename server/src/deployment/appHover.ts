// The hover of an app spec: which module file it resolves to, the name it loads there, and what kind of app that is.

import type { Range } from '../core/text';
import type { AppTarget } from './appTarget';
import type { DeploymentModel } from './model';

/** A hover on the app spec of a launch, by range in the file that writes it. */
export interface AppHoverSite {
  range: Range;
  markdown: string;
}

const KIND_LABEL = {
  assignment: 'assigned',
  function: 'a function',
  class: 'a class',
  import: 'imported',
} as const;

/** Markdown for one app target: module file, attribute, app kind (WSGI/ASGI, framework). */
export function describeAppTarget(target: AppTarget): string {
  const spec = target.spec.value.trim();
  const lines = [`**App** \`${spec}\``];
  const parsed = target.parsed;
  if (target.status === 'found' && target.module) {
    lines.push(`Module \`${parsed.module}\`: ${target.module.path}`);
    const bindings = target.module.facts?.names.get(parsed.attribute);
    const binding = bindings?.[bindings.length - 1];
    if (!target.module.facts) lines.push(`Name \`${parsed.attribute}\` (module not read yet)`);
    else if (!binding) lines.push(`Name \`${parsed.attribute}\`: not found at the module's top level`);
    else {
      const line = `line ${lineOf(target, binding.from) + 1}`;
      lines.push(
        `Name \`${parsed.attribute}\`: ${KIND_LABEL[binding.kind]} (${line})${parsed.call ? `, called once at start with (${parsed.call.args})` : ''}`,
      );
      const app = parsed.call ? binding.creates : (binding.app ?? binding.creates);
      if (app) {
        lines.push(
          `${app.protocol.toUpperCase()} app, ${app.framework} (\`${app.call}\`)${!parsed.call && binding.creates ? ', built by this function' : ''}`,
        );
      }
    }
  } else if (target.status === 'missing') {
    lines.push(
      `Module \`${parsed.module}\` is not importable from this launch; searched ${target.searched.slice(0, 4).join(', ')}`,
    );
  } else {
    lines.push(
      `Module \`${parsed.module}\`: not in the workspace folders this launch searches (an installed package?)`,
    );
  }
  return lines.join('  \n');
}

/** Zero-based line of an offset in the module's text (counted on demand: hovers are rare). */
function lineOf(target: AppTarget, offset: number): number {
  return target.module?.text?.slice(0, offset).match(/\n/g)?.length ?? 0;
}

/** Every app spec written in one file, with its hover. */
export function appHoverSites(model: DeploymentModel, uri: string): AppHoverSite[] {
  return model
    .appTargets()
    .filter((target) => target.spec.uri === uri)
    .map((target) => ({ range: target.spec.range, markdown: describeAppTarget(target) }));
}
