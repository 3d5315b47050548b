// What the workspace says about dynamic modules for one nginx file: the main nginx.conf that pulls it in (when that
// file is in the workspace), the `.so` files it loads, and whether the build evidently compiles modules in.

import { baseName } from './modules';
import type { NginxDirective, NginxModel } from './parse';

export interface NginxModuleFacts {
  /** The main configuration (top-level `events` or `http`) this file is, or is included from. */
  mainConfig: string;
  /** Base names of the `.so` files its `load_module` lines (and those of files it includes at the top) name. */
  loaded: string[];
  /**
   * True when a top-level `include` of the main configuration names no workspace file (Debian's
   * `include /etc/nginx/modules-enabled/*.conf;` when that folder is not in the repository): it may load more.
   */
  unresolvedIncludes: boolean;
}

/** Builds that compile third-party modules in: OpenResty (its bundled set), or nginx built from source (any). */
export type NginxStaticModules = 'openresty' | 'custom';

const MAX_FILES = 200;

/**
 * True when the file reads as the main configuration: an `events` block at its top level (nginx wants exactly one, in
 * the main file), or an `http` block in a file named nginx.conf. A lone `http {}` elsewhere may be a piece that a
 * main file outside the workspace includes.
 */
export function isMainConfig(model: NginxModel, path: string): boolean {
  const has = (name: string) => model.directives.some((d) => d.name === name && d.block);
  return has('events') || (has('http') && /(^|[\\/])nginx\.conf$/.test(path));
}

/**
 * The module facts of `path`, given the index's parsed files, where each file is included, and how an include
 * resolves. Undefined when no main configuration in the workspace reaches the file.
 */
export function moduleFactsFor(
  path: string,
  models: ReadonlyMap<string, NginxModel>,
  includer: (path: string) => string | undefined,
  targets: (include: NginxDirective, from: string) => string[],
): NginxModuleFacts | undefined {
  let root = path;
  const seen = new Set([root]);
  for (let from = includer(root); from !== undefined && !seen.has(from); from = includer(from)) {
    seen.add(from);
    root = from;
  }
  const main = models.get(root);
  if (!main || !isMainConfig(main, root)) return undefined;
  const loaded = new Set<string>();
  let unresolvedIncludes = false;
  // load_module is accepted only at the top level, so only top-level includes can bring one in.
  const queue: [string, NginxModel][] = [[root, main]];
  const visited = new Set([root]);
  while (queue.length && visited.size <= MAX_FILES) {
    const [file, model] = queue.shift()!;
    for (const directive of model.directives) {
      if (directive.name === 'load_module' && directive.args.length === 1) {
        loaded.add(baseName(directive.args[0]!.value));
      } else if (directive.name === 'include' && directive.args.length === 1) {
        const found = targets(directive, file);
        if (!found.length) unresolvedIncludes = true;
        for (const target of found) {
          const included = models.get(target);
          if (!included) unresolvedIncludes = true;
          else if (!visited.has(target)) {
            visited.add(target);
            queue.push([target, included]);
          }
        }
      }
    }
  }
  return { mainConfig: root, loaded: [...loaded].sort(), unresolvedIncludes };
}

/** Files whose text tells how nginx is built: Dockerfiles, compose files and build scripts. */
const BUILD_FILE =
  /(^|[\\/])(Dockerfile[^\\/]*|[^\\/]*\.dockerfile|(docker-)?compose[^\\/]*\.ya?ml|[^\\/]*\.sh)$/i;
const MAX_BUILD_FILES = 40;
/**
 * An nginx module's own build script (`config` beside its sources, naming the addon): its repository's test and
 * example configurations run in an nginx built with the module (`--add-module=` or `--add-dynamic-module=` pointing
 * at it), so its directives there need no `load_module` of Debian's. Apart from the build files, so that many
 * unrelated `config` files never crowd them out.
 */
const ADDON_SCRIPT = /(^|[\\/])config$/;
const MAX_ADDON_SCRIPTS = 10;

/** nginx images whose builds load third-party modules only through load_module (the official ones). */
const STOCK_IMAGES = new Set(['nginx', 'library/nginx', 'nginxinc/nginx-unprivileged']);

/** The repository part of an image reference: `docker.io/library/nginx:1.27-alpine` → `library/nginx`. */
function imageName(reference: string): string {
  const withoutDigest = reference.split('@')[0]!;
  const parts = withoutDigest.split('/');
  // A first part with a dot or a port is a registry host.
  if (parts.length > 1 && /[.:]/.test(parts[0]!)) parts.shift();
  const last = parts.pop()!.split(':')[0]!;
  return [...parts, last].join('/').toLowerCase();
}

/**
 * Whether the workspace evidently runs an nginx with modules compiled in: an OpenResty image or install path, an
 * nginx built from source with `--add-module`, another image built around nginx (`someone/nginx-brotli`), whose
 * modules may well be compiled in, or a module's own sources (see ADDON_SCRIPT). Reads at most a few dozen files.
 */
export function staticModuleEvidence(
  allPaths: readonly string[],
  read: (path: string) => string | undefined,
): NginxStaticModules | undefined {
  if (allPaths.some((p) => /[\\/]openresty[\\/]/i.test(p))) return 'openresty';
  for (const path of allPaths.filter((p) => ADDON_SCRIPT.test(p)).slice(0, MAX_ADDON_SCRIPTS)) {
    if (/^\s*ngx_addon_name=/m.test(read(path) ?? '')) return 'custom';
  }
  let openresty = false;
  for (const path of allPaths.filter((p) => BUILD_FILE.test(p)).slice(0, MAX_BUILD_FILES)) {
    const text = read(path);
    if (!text) continue;
    if (/--add-module=/.test(text)) return 'custom';
    for (const match of text.matchAll(/^\s*(?:FROM(?:\s+--\S+)*|-?\s*image:)\s*["']?([^\s"']+)/gim)) {
      const name = imageName(match[1]!);
      if (name.includes('openresty')) openresty = true;
      else if (name.includes('nginx') && !STOCK_IMAGES.has(name)) return 'custom';
    }
  }
  return openresty ? 'openresty' : undefined;
}
