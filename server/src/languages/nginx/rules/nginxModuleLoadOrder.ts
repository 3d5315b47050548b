// Rule: nginx-module-load-order — a `load_module` of a module that uses another module's symbols (Debian's Lua and
// set-misc need the Nginx Development Kit) without that module loaded before it: nginx cannot load the file.

import { baseName, loadModuleLine, nginxModuleCatalog, type NginxModuleCatalog } from '../modules';
import type { NginxDirective } from '../parse';
import type { NginxRule } from './types';
import { nginxRuleDocsUrl } from './types';

export const nginxModuleLoadOrder: NginxRule = {
  meta: {
    id: 'nginx-module-load-order',
    defaultSeverity: 'error',
    description:
      'A load_module of a module that needs another one loaded first (Lua and set-misc need the devel kit, ndk_http_module.so) when that one is not loaded before it; nginx refuses to start.',
    docsUrl: nginxRuleDocsUrl('nginx-module-load-order'),
  },
  check({ model, workspace, range, report }) {
    const loads = model.directives.filter((d) => d.name === 'load_module' && d.args.length === 1);
    if (!loads.length) return;
    const modules: NginxModuleCatalog = nginxModuleCatalog();
    const fileOf = (d: NginxDirective): string => baseName(d.args[0]!.value);
    const facts = workspace.modules;
    loads.forEach((directive, index) => {
      const module = modules.moduleOfFile(fileOf(directive));
      for (const required of module?.debian?.requires ?? []) {
        if (loads.slice(0, index).some((d) => fileOf(d) === required)) continue;
        const later = loads.slice(index + 1).some((d) => fileOf(d) === required);
        // Loaded elsewhere (another file's order we do not track), or maybe by an include that leaves the workspace.
        if (!later && (!facts || facts.unresolvedIncludes || facts.loaded.includes(required))) continue;
        const needed = modules.moduleOfFile(required);
        const line = needed ? loadModuleLine(needed) : `load_module modules/${required};`;
        const start = model.lines.positionAt(directive.span.from);
        report({
          range: range(directive.args[0]!.span),
          message: `${module!.title} needs ${required} loaded before it (it uses that module's symbols); ${
            later ? 'it is loaded only further down' : 'nothing loads it'
          }, so nginx cannot load ${fileOf(directive)} and refuses to start.`,
          fixes: later
            ? []
            : [
                {
                  title: `Add ${line} before this line`,
                  edits: [
                    {
                      range: {
                        start: { line: start.line, character: 0 },
                        end: { line: start.line, character: 0 },
                      },
                      newText: `${line}\n`,
                    },
                  ],
                  isPreferred: true,
                },
              ],
        });
      }
    });
  },
};
