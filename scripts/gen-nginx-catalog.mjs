// Regenerates server/data/nginx/directives.json: facts read from the nginx sources at every release tag from 1.18.0
// to the newest, merged with our own-words overlay (server/data/nginx/overlay.json).
// Run by hand:  node scripts/gen-nginx-catalog.mjs [--check] [--repo PATH]
//
// PATH (default /work/.mirror/nginx+nginx/repo) is a git clone of github.com/nginx/nginx with its release-* tags (bare
// is fine: files are read with `git cat-file`). For each tag, every module's ngx_command_t table is read by
// scripts/lib/ngx-commands.mjs; a directive whose contexts, arguments or value kind change between releases gets one
// entry per range of versions (`since` inclusive, `until` exclusive, both omitted at the ends of the range we read).
// Only what a Linux build has is kept (NOT_ON_LINUX, LINUX_CONDITIONS); modules builds often leave out or load
// dynamically are marked `optional` (isOptional). Entries are keyed by the module whose nginx.org page documents them.
//
// overlay.json holds what the sources cannot tell, in our words, keyed "<module> <directive>": doc, example, default,
// values, unique and uniquePerZone (measured with nginx -t; not carried to a range where nginx only warns and ignores the
// directive),
// opens, and `since` for directives older than 1.18.0 (from the nginx documentation); `backports` names distributions
// that ship a directive in an older release. A directive without an overlay entry gets a generic description naming
// its module. An overlay entry no release defines is an error.
//
// With --check, the script only reports whether directives.json is up to date (exit code 1 when not); without the
// clone it says so and exits 0, so nothing in CI needs the nginx sources.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANY_CONF_CONTEXTS, expandContexts, readCommands, readKeywordTables } from './lib/ngx-commands.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const overlayPath = join(root, 'server/data/nginx/overlay.json');
const outPath = join(root, 'server/data/nginx/directives.json');
const args = process.argv.slice(2);
const check = args.includes('--check');
const repoFlag = args.indexOf('--repo');
const repo = repoFlag >= 0 ? args[repoFlag + 1] : '/work/.mirror/nginx+nginx/repo';
const FIRST = [1, 18, 0];

/** Modules a Linux build never has: event methods of other systems, and Windows-only code. */
const NOT_ON_LINUX = new Set([
  'ngx_kqueue_module',
  'ngx_devpoll_module',
  'ngx_eventport_module',
  'ngx_iocp_module',
  'ngx_win32_select_module',
  'ngx_win32_poll_module',
]);
/** `#if` guards inside command tables that a Linux build with the usual options satisfies. */
const LINUX_CONDITIONS = new Set([
  '(NGX_HTTP_SSL)',
  '(NGX_STREAM_SSL)',
  '(NGX_MAIL_SSL)',
  '(NGX_HTTP_CACHE)',
  '(NGX_HTTP_GZIP)',
  '(NGX_HAVE_OPENAT)',
  '(NGX_HTTP_UPSTREAM_ZONE)',
  '(NGX_STREAM_UPSTREAM_ZONE)',
  '(NGX_THREADS)',
  '(NGX_HAVE_FILE_AIO)',
  '(NGX_PCRE)',
  '(NGX_HTTP_DEGRADATION)',
  '(NGX_HAVE_SO_REUSEPORT)',
  '(NGX_HAVE_REUSEPORT)',
]);

/**
 * Modules that a stock `./configure` leaves out or that distributions ship as separate, dynamically loaded packages
 * (`load_module` needed): nginx knows their directives only when they are built in or loaded.
 */
function isOptional(module) {
  return (
    module.startsWith('ngx_mail_') ||
    module.startsWith('ngx_stream_') ||
    [
      'ngx_http_geoip_module',
      'ngx_http_image_filter_module',
      'ngx_http_xslt_filter_module',
      'ngx_http_perl_module',
      'ngx_google_perftools_module',
      'ngx_http_degradation_module',
      'ngx_http_v3_module',
      'ngx_quic_bpf_module',
    ].includes(module)
  );
}

/** Context order in the catalogue: nginx's nesting, with split_clients among http's value blocks. */
const CONTEXT_ORDER = [...ANY_CONF_CONTEXTS.slice(0, 11), 'split_clients', ...ANY_CONF_CONTEXTS.slice(11)];

/** The source module whose directives nginx documents on another module's page. */
function docsModule(module, name) {
  if (module === 'ngx_http_core_module' && name.startsWith('gzip_')) return 'ngx_http_gzip_module';
  if (module === 'ngx_http_try_files_module') return 'ngx_http_core_module';
  // nginx documents error_log once, on the core page, for every module that accepts it.
  if (name === 'error_log') return 'ngx_core_module';
  if (module === 'ngx_quic_bpf_module') return 'ngx_http_v3_module';
  if (/^ngx_(http|stream|mail)_module$/.test(module)) return module.replace(/_module$/, '_core_module');
  if (/^ngx_(events|event_core|epoll|openssl|regex|thread_pool|errlog|conf)_module$/.test(module))
    return 'ngx_core_module';
  if (/^ngx_http_upstream_\w+_module$/.test(module)) return 'ngx_http_upstream_module';
  if (/^ngx_stream_upstream_\w+_module$/.test(module)) return 'ngx_stream_upstream_module';
  if (module === 'ngx_http_image_filter_module') return module;
  if (module === 'ngx_http_xslt_filter_module') return 'ngx_http_xslt_module';
  return module.replace(/_filter_module$/, '_module');
}

function docsUrl(module, name) {
  const area = /^ngx_(http|stream|mail)_/.exec(module)?.[1];
  return `https://nginx.org/en/docs/${area ? `${area}/` : ''}${module}.html#${name}`;
}

/** The context a block directive opens, from where it is written. */
function opens(name, contexts) {
  const inStream = contexts.every((c) => c.startsWith('stream'));
  const inMail = contexts.every((c) => c.startsWith('mail'));
  if (name === 'server') return inStream ? 'stream-server' : inMail ? 'mail-server' : 'server';
  if (name === 'upstream') return inStream ? 'stream-upstream' : 'upstream';
  const same = ['events', 'http', 'stream', 'mail', 'location', 'if', 'limit_except', 'map', 'geo', 'types'];
  if (same.includes(name) || name === 'split_clients') return name;
  return undefined;
}

const parseVersion = (tag) =>
  tag
    .replace(/^release-/, '')
    .split('.')
    .map(Number);
const compareVersions = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function git(...command) {
  return execFileSync('git', ['-C', repo, ...command], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** Reads many blobs in one `git cat-file --batch` run. */
function readBlobs(shas) {
  const result = spawnSync('git', ['-C', repo, 'cat-file', '--batch'], {
    input: shas.join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`git cat-file failed: ${result.stderr}`);
  const out = result.stdout;
  const blobs = new Map();
  let at = 0;
  for (const sha of shas) {
    const headerEnd = out.indexOf(10, at);
    const header = out.subarray(at, headerEnd).toString();
    const size = Number(header.split(' ')[2]);
    blobs.set(sha, out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('latin1'));
    at = headerEnd + 1 + size + 1;
  }
  return blobs;
}

/** Every directive nginx defines at one tag, on Linux: module → name → merged facts. */
function directivesAt(files, blobs, unknownConditions) {
  const keywordTables = new Map();
  for (const { sha } of files)
    for (const [k, v] of readKeywordTables(blobs.get(sha))) keywordTables.set(k, v);
  const found = new Map();
  for (const { sha } of files) {
    for (const command of readCommands(blobs.get(sha), keywordTables)) {
      if (!command.module || NOT_ON_LINUX.has(command.module)) continue;
      const excluded = command.conditions.filter((c) => !LINUX_CONDITIONS.has(c));
      if (excluded.length) {
        for (const c of excluded) unknownConditions.add(`${command.module} ${command.name}: ${c}`);
        continue;
      }
      const key = `${command.module} ${command.name}`;
      const contexts = expandContexts(command.contexts);
      const previous = found.get(key);
      if (previous) {
        // The same name twice in one module (alternatives under #if): accept what either accepts.
        previous.contexts = [...new Set([...previous.contexts, ...contexts])];
        previous.args = {
          min: Math.min(previous.args.min, command.args.min),
          max:
            previous.args.max === null || command.args.max === null
              ? null
              : Math.max(previous.args.max, command.args.max),
        };
        if (JSON.stringify(previous.value) !== JSON.stringify(command.value)) delete previous.value;
        continue;
      }
      found.set(key, {
        name: command.name,
        module: command.module,
        contexts,
        args: command.args,
        block: command.block,
        value: command.value,
        ...(IGNORING_HANDLER.test(command.handler ?? '') ? { ignored: true } : {}),
      });
    }
  }
  return found;
}

/**
 * Handlers of directives nginx keeps only to warn and ignore them (ngx_http_v2_obsolete, the old spdy_* handler): they
 * store nothing, so a second occurrence is no "is duplicate", whatever the overlay measured for earlier releases.
 */
const IGNORING_HANDLER = /_(obsolete|deprecated)$/;

function shape(facts) {
  const contexts = CONTEXT_ORDER.filter((c) => facts.contexts.includes(c));
  const args = { ...facts.args };
  delete args.counts; // our NginxArgs is a range: TAKE13 is judged as 1 to 3 (never a false error)
  // NGX_CONF_FLAG only makes nginx count one argument; on/off is the flag slot's check. ssl_ocsp has the flag bit
  // with an enum handler (off, on, leaf).
  if (args.flag && facts.value && facts.value.kind !== 'flag') delete args.flag;
  return {
    contexts,
    args,
    block: facts.block,
    value: facts.value,
    ...(facts.ignored ? { ignored: true } : {}),
  };
}

function collect() {
  const tags = git('tag', '--list', 'release-*')
    .split('\n')
    .filter(Boolean)
    .filter((t) => /^release-\d+\.\d+\.\d+$/.test(t))
    .filter((t) => compareVersions(parseVersion(t), FIRST) >= 0)
    .sort((a, b) => compareVersions(parseVersion(a), parseVersion(b)));
  const trees = tags.map((tag) => ({
    tag,
    files: git('ls-tree', '-r', tag, 'src')
      .split('\n')
      .map((line) => /^\d+ blob (\w+)\t(.+\.c)$/.exec(line))
      .filter((m) => m && !m[2].startsWith('src/os/win32/'))
      .map((m) => ({ sha: m[1], path: m[2] })),
  }));
  const blobs = readBlobs([...new Set(trees.flatMap((t) => t.files.map((f) => f.sha)))]);
  const unknownConditions = new Set();
  const perTag = trees.map(({ tag, files }) => ({
    version: tag.replace(/^release-/, ''),
    directives: directivesAt(files, blobs, unknownConditions),
  }));
  for (const c of unknownConditions) console.error(`gen-nginx-catalog: left out (not a Linux build): ${c}`);
  return perTag;
}

/** One entry per (module, directive, range of versions with the same facts). */
function ranges(perTag) {
  const open = new Map();
  const closed = [];
  perTag.forEach(({ version, directives }, index) => {
    for (const [key, facts] of directives) {
      const signature = JSON.stringify(shape(facts));
      const current = open.get(key);
      if (current && current.signature === signature) continue;
      if (current) closed.push({ ...current, until: version });
      open.set(key, { key, facts, signature, since: index === 0 ? undefined : version });
    }
    for (const [key, current] of open) {
      if (!directives.has(key)) {
        closed.push({ ...current, until: version });
        open.delete(key);
      }
    }
  });
  return [...closed, ...open.values()];
}

function genericDoc(module, name) {
  return `A directive of nginx's \`${module}\`. We have not described \`${name}\` in our own words yet: the linked module page explains its arguments.`;
}

function build() {
  const overlay = JSON.parse(readFileSync(overlayPath, 'utf8'));
  const perTag = collect();
  const used = new Set();
  const directives = [];
  for (const range of ranges(perTag)) {
    const { facts } = range;
    const module = docsModule(facts.module, facts.name);
    const key = `${module} ${facts.name}`;
    const words = overlay.directives[key];
    if (words) used.add(key);
    const { contexts, args, block, value } = shape(facts);
    const entry = { name: facts.name, contexts, args };
    if (block) {
      entry.block = true;
      const inside = words?.opens ?? opens(facts.name, contexts);
      if (inside) entry.opens = inside;
    }
    entry.module = module;
    if (module !== facts.module) entry.sourceModule = facts.module;
    if (isOptional(facts.module)) entry.optional = true;
    // A directive the oldest release we read already has: the overlay may know (from the nginx documentation) the
    // older release that brought it.
    const since = range.since ?? words?.since;
    if (since) entry.since = since;
    if (range.until) entry.until = range.until;
    if (value) entry.value = value;
    // Distributions sometimes backport a directive into an older release (a security fix): said, not hidden.
    if (overlay.backports?.[facts.name]) entry.backported = overlay.backports[facts.name];
    if (words?.default !== undefined) entry.default = words.default;
    if (words?.values) entry.values = words.values;
    if (words?.unique && !facts.ignored) entry.unique = true;
    if (words?.uniquePerZone && !facts.ignored) entry.uniquePerZone = true;
    if (words?.example) entry.example = words.example;
    entry.doc = words?.doc ?? genericDoc(module, facts.name);
    entry.docsUrl = words?.docsUrl ?? docsUrl(module, facts.name);
    directives.push(entry);
  }
  const unused = Object.keys(overlay.directives).filter((k) => !used.has(k));
  if (unused.length) {
    console.error(`gen-nginx-catalog: overlay entries no nginx release defines: ${unused.join(', ')}`);
    process.exit(1);
  }
  // Core first, then by module, then in the order of nginx's own tables (newest release that has the directive):
  // stable output, and a directive that refers to another (access_log to log_format) comes after it.
  const position = new Map();
  for (const { directives: found } of [...perTag].reverse()) {
    for (const key of found.keys()) if (!position.has(key)) position.set(key, position.size);
  }
  const rank = (d) => (d.module === 'ngx_core_module' ? 0 : d.module === 'ngx_http_core_module' ? 1 : 2);
  const at = (d) => position.get(`${d.sourceModule ?? d.module} ${d.name}`);
  directives.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.module < b.module ? -1 : a.module > b.module ? 1 : 0) ||
      at(a) - at(b) ||
      compareVersions(parseVersion(a.since ?? '0.0.0'), parseVersion(b.since ?? '0.0.0')),
  );
  const versions = perTag.map((t) => t.version);
  return {
    source:
      `Directive names, contexts, argument counts, modules and value kinds read from the ngx_command_t tables of the nginx sources at every release tag from ${versions[0]} to ${versions[versions.length - 1]} (scripts/gen-nginx-catalog.mjs); ` +
      'since/until are the first release with and without each shape; defaults and examples follow the nginx documentation; descriptions are our own words (overlay.json).',
    nginxVersion: versions[versions.length - 1],
    versions,
    directives,
    variables: overlay.variables,
  };
}

if (!existsSync(repo)) {
  const message = `gen-nginx-catalog: no nginx clone at ${repo} (pass --repo PATH)`;
  if (check) {
    console.log(`${message}; nothing to check`);
    process.exit(0);
  }
  console.error(message);
  process.exit(1);
}
const text = JSON.stringify(build(), null, 1) + '\n';
if (check) {
  if (readFileSync(outPath, 'utf8') !== text) {
    console.error(
      'gen-nginx-catalog: server/data/nginx/directives.json is out of date; run node scripts/gen-nginx-catalog.mjs',
    );
    process.exit(1);
  }
  console.log('gen-nginx-catalog: directives.json is up to date');
} else {
  writeFileSync(outPath, text);
  console.log(`gen-nginx-catalog: wrote ${outPath}`);
}
