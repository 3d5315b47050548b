// The catalogue of third-party nginx modules (server/data/nginx/modules.json): which module and package provide a
// directive core nginx does not know, the `.so` file a `load_module` names, and what the directive accepts.

import type { NginxCatalog } from './catalog';
import type { NginxArgs, NginxContext } from './catalogTypes';
import type { NginxWorkspaceFacts } from './rules/types';
import { closestMatches } from '../../core/editDistance';

export interface NginxModuleDirective {
  name: string;
  /** Where the module accepts it; `if` is the `if` inside a location. */
  contexts: NginxContext[];
  args: NginxArgs & { counts?: number[] };
  block?: boolean;
  /** Also accepted in an `if` directly inside `server {}`. */
  serverIf?: boolean;
}

export interface NginxModuleInfo {
  /** Our short id, e.g. `headers-more`. */
  id: string;
  title: string;
  /** The project's GitHub owner/name. */
  project: string;
  /** The `ngx_module_t` name. */
  module: string;
  /** The `.so` file `load_module` names. */
  file: string;
  /** Debian's package; `requires`: the `.so` files its module needs loaded first (symbols it uses, e.g. ndk's). */
  debian?: { package: string; releases: string[]; requires?: string[] };
  /** Compiled into OpenResty's builds. */
  openresty?: boolean;
  /** One of nginx's own modules that Debian builds as a dynamic one (its directives are in the core catalogue). */
  core?: boolean;
  description: string;
  directives: NginxModuleDirective[];
}

interface NginxModulesData {
  source: string;
  modules: NginxModuleInfo[];
}

export interface NginxModuleEntry {
  module: NginxModuleInfo;
  directive: NginxModuleDirective;
}

export class NginxModuleCatalog {
  readonly modules: readonly NginxModuleInfo[];
  private readonly byName = new Map<string, NginxModuleEntry[]>();
  private readonly byFile = new Map<string, NginxModuleInfo>();

  constructor(data: NginxModulesData) {
    this.modules = data.modules;
    for (const module of data.modules) {
      this.byFile.set(module.file, module);
      for (const directive of module.directives) {
        const list = this.byName.get(directive.name) ?? [];
        list.push({ module, directive });
        this.byName.set(directive.name, list);
      }
    }
  }

  /** Every module directive of that name (njs, Lua and GeoIP2 define the same names for http and stream). */
  entries(name: string): readonly NginxModuleEntry[] {
    return this.byName.get(name) ?? [];
  }

  isKnown(name: string): boolean {
    return this.byName.has(name);
  }

  /** Module directive names close to `name` (a misspelt `more_set_header`), nearest first. */
  suggest(name: string): string[] {
    return closestMatches(name, this.byName.keys());
  }

  /**
   * The entries that fit where the directive stands: those accepting `context` (the http ones in http, the stream
   * ones in stream), else all of them.
   */
  entriesFor(name: string, context: NginxContext | null): readonly NginxModuleEntry[] {
    const all = this.entries(name);
    const fitting = context ? all.filter((e) => accepts(e.directive, context, false)) : [];
    return fitting.length ? fitting : all;
  }

  /** The module a `load_module` file names (by its base name), if catalogued. */
  moduleOfFile(file: string): NginxModuleInfo | undefined {
    return this.byFile.get(baseName(file));
  }
}

/** True when the workspace shows the module is part of the running nginx. */
export function evidentlyLoaded(module: NginxModuleInfo, workspace: NginxWorkspaceFacts): boolean {
  if (workspace.staticModules === 'openresty' && module.openresty) return true;
  return !!workspace.modules?.loaded.includes(module.file);
}

/** True when nginx itself has the name in some release: then no third-party module's entry applies. */
export function isCoreName(catalog: NginxCatalog, name: string): boolean {
  return catalog.isKnown(name) || catalog.isKnownInAnyRelease(name);
}

/** True when the module accepts the directive in `context` (`inServerIf`: an `if` directly inside `server {}`). */
export function accepts(
  directive: NginxModuleDirective,
  context: NginxContext,
  inServerIf: boolean,
): boolean {
  if (context === 'if' && inServerIf) return !!directive.serverIf;
  return directive.contexts.includes(context);
}

/** True when the module accepts `count` arguments (NGX_CONF_TAKE13 accepts 1 or 3, not 2). */
export function acceptsArgs(directive: NginxModuleDirective, count: number): boolean {
  const { min, max, counts } = directive.args;
  if (counts) return counts.includes(count);
  return count >= min && (max === null || count <= max);
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** "Debian: libnginx-mod-http-echo", or how else one gets the module. */
export function packageNote(module: NginxModuleInfo): string {
  if (module.debian) {
    const only = module.debian.releases.length === 1 ? ` in ${module.debian.releases[0]}` : '';
    return `Debian: ${module.debian.package}${only}`;
  }
  return module.openresty ? 'not packaged by Debian; OpenResty builds include it' : 'not packaged by Debian';
}

/** The `load_module` line Debian's snippet uses for the module. */
export function loadModuleLine(module: NginxModuleInfo): string {
  return `load_module modules/${module.file};`;
}

/** Markdown for a module directive's hover. */
export function moduleDirectiveMarkdown(entries: readonly NginxModuleEntry[]): string {
  const first = entries[0]!;
  const { directive } = first;
  const lines = [`**${directive.name}** — ${first.module.title} module (third-party)`, ''];
  for (const { module, directive: d } of entries) {
    lines.push(`${module.description}`, '');
    lines.push(
      `- Context: ${[...d.contexts, ...(d.serverIf && !d.contexts.includes('if') ? ['if'] : [])].map((c) => `\`${c}\``).join(', ')}`,
    );
    lines.push(`- Module: [${module.project}](https://github.com/${module.project}), \`${module.file}\``);
    lines.push(`- ${packageNote(module)}; the main nginx.conf needs \`${loadModuleLine(module)}\``);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

let shared: NginxModuleCatalog | undefined;

/** Whether the modules' catalogue has been loaded (hosts load it in a step of its own when it is first needed). */
export function isModuleCatalogLoaded(): boolean {
  return shared !== undefined;
}

/** The bundled module catalogue, loaded on first use (only files with a directive core nginx does not know need it). */
export function nginxModuleCatalog(): NginxModuleCatalog {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new NginxModuleCatalog(require('../../../data/nginx/modules.json') as NginxModulesData);
  return shared;
}
