// Pure helpers of scripts/gen-nginx-modules.mjs: turn the ngx_command_t tables of a third-party nginx module (read by
// ./ngx-commands.mjs) into our catalogue entries, expand the flag macros some modules use, build a table out of bare
// command items, and read Debian's package listings. Text in, plain data out: the unit tests feed it small C snippets.

import { ANY_CONF_CONTEXTS, readCommands } from './ngx-commands.mjs';

/**
 * Replaces `#define NAME A|B|…` macros whose body is only NGX_* flags joined by `|` (spnego's SPNEGO_NGX_CONF_FLAGS)
 * by their body, so the command reader sees the flags themselves.
 */
export function expandFlagMacros(source) {
  const macros = new Map();
  const define = /^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+((?:[^\n\\]|\\\n)+)/gm;
  for (let match; (match = define.exec(source));) {
    const body = match[2]
      .replace(/\\\n/g, ' ')
      .replace(/\/\*.*?\*\//g, ' ')
      .trim();
    const parts = body.split('|').map((p) => p.trim());
    if (parts.length && parts.every((p) => /^NGX_\w+$/.test(p))) macros.set(match[1], parts.join('|'));
  }
  if (!macros.size) return source;
  const names = new RegExp(`\\b(${[...macros.keys()].join('|')})\\b`, 'g');
  // Keep the #define lines as they are (the reader skips preprocessor lines anyway).
  return source
    .split('\n')
    .map((line) => (/^\s*#/.test(line) ? line : line.replace(names, (name) => macros.get(name))))
    .join('\n');
}

/**
 * A command table made of the bare `{ ngx_string("…"), … }` items found between two markers of a file (the devel kit
 * keeps its `upstream_list` command in a header that the generated table includes).
 */
export function syntheticTable(source, from, to, table = 'synthetic_commands') {
  const start = source.indexOf(from);
  if (start < 0) return '';
  const end = source.indexOf(to, start + from.length);
  const body = source.slice(start + from.length, end < 0 ? source.length : end);
  return `static ngx_command_t  ${table}[] = {\n${body}\n    ngx_null_command\n};\n`;
}

/**
 * Our catalogue entries for the commands of one source text: `{ name, contexts, args, block?, serverIf? }`, sorted by
 * name. Contexts use our names; an `if` block directly in `server {}` (NGX_HTTP_SIF_CONF) is `serverIf`, separate from
 * the `if` inside a location (NGX_HTTP_LIF_CONF). Commands of contexts we do not model (rtmp's own blocks) are left
 * out: nginx core never looks their names up, since their blocks are unknown to it.
 */
export function moduleDirectives(source) {
  const out = new Map();
  for (const command of readCommands(expandFlagMacros(source))) {
    const flags = new Set(command.flags);
    let contexts = command.contexts.filter((c) => c !== 'if' && c !== 'any');
    if (flags.has('NGX_HTTP_LIF_CONF')) contexts.push('if');
    if (command.contexts.includes('any')) contexts = [...ANY_CONF_CONTEXTS];
    const serverIf = flags.has('NGX_HTTP_SIF_CONF');
    if (!contexts.length && !serverIf) continue;
    const entry = { name: command.name, contexts: [...new Set(contexts)], args: command.args };
    if (command.block) entry.block = true;
    if (serverIf) entry.serverIf = true;
    const previous = out.get(command.name);
    // The same name twice in one table (behind #if/#else): accept what either variant accepts.
    out.set(command.name, previous ? mergeEntries(previous, entry) : entry);
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function mergeEntries(a, b) {
  const min = Math.min(a.args.min, b.args.min);
  const max = a.args.max === null || b.args.max === null ? null : Math.max(a.args.max, b.args.max);
  const merged = { ...a, contexts: [...new Set([...a.contexts, ...b.contexts])], args: { min, max } };
  if (a.serverIf || b.serverIf) merged.serverIf = true;
  return merged;
}

/** The names of the `ngx_module_t` definitions in a source text, in order. */
export function moduleNames(source) {
  return [...source.matchAll(/\bngx_module_t\s+(\w+)\s*=\s*\{/g)].map((m) => m[1]);
}

/**
 * OpenResty's bundled modules from its util/configure `@modules` list: `[name => 'dir']` items, without those marked
 * 'disabled' (built only on request). Returns the directory names (`echo-nginx-module`, `ngx_lua`, …).
 */
export function openRestyBundled(configure) {
  const list = /my\s+@modules\s*=\s*\(([\s\S]*?)\n\);/.exec(configure);
  if (!list) return [];
  const out = [];
  for (const line of list[1].split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const item = /\[\s*\w+\s*=>\s*'([^']+)'(\s*,\s*'disabled')?\s*\]/.exec(line);
    if (item && !item[2]) out.push(item[1]);
  }
  return out;
}

/** The modules whose symbols a module's undefined dynamic symbols name: `ndk_*` come from the devel kit. */
const SYMBOL_PROVIDERS = [[/^ndk_/, 'ndk_http_module.so']];

/**
 * Reads `dpkg-deb -c` listings: for each package, the `.so` files it installs under usr/lib/nginx/modules and the
 * snippet it puts in usr/share/nginx/modules-available; with `undefinedSymbols` (from `nm -D --undefined-only`), the
 * other modules' `.so` files it needs loaded first. Input: `{ package, release, listing, undefinedSymbols? }[]`.
 * Output: Map from `.so` file name to `{ package, releases, snippet, requires? }`.
 */
export function debianModuleFiles(listings) {
  const bySo = new Map();
  for (const { package: name, release, listing, undefinedSymbols = [] } of listings) {
    const requires = SYMBOL_PROVIDERS.filter(([pattern]) =>
      undefinedSymbols.some((s) => pattern.test(s)),
    ).map(([, so]) => so);
    const files = listing.split('\n').map((line) => line.trim().split(/\s+/).pop() ?? '');
    const snippet = files.find((f) => /usr\/share\/nginx\/modules-available\/[^/]+\.conf$/.test(f));
    for (const file of files) {
      const so = /usr\/lib\/nginx\/modules\/([^/]+\.so)$/.exec(file)?.[1];
      if (!so) continue;
      const entry = bySo.get(so) ?? { package: name, releases: [], snippet: snippet?.split('/').pop() };
      if (!entry.releases.includes(release)) entry.releases.push(release);
      const needed = requires.filter((r) => r !== so);
      if (needed.length) entry.requires = [...new Set([...(entry.requires ?? []), ...needed])].sort();
      bySo.set(so, entry);
    }
  }
  return bySo;
}
