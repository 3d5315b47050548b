// Regenerates server/data/nginx/modules.json: third-party nginx modules (and the core modules Debian builds as
// dynamic ones), with the directives each one adds, read from the modules' own ngx_command_t tables, and the Debian
// package and `.so` file that provide them. CI never runs this; the generated JSON is committed.
//
// Run by hand:
//   1. Fetch every repository of MODULES below (and openresty/openresty, for the list of modules its builds compile
//      in) as bare git repositories under one directory, named <owner>+<name>/repo (the layout of the search tool's
//      `fetch`), default /work/.mirror.
//   2. Download Debian's module packages of each release into one folder per release, e.g.
//        apt-get download $(apt-cache search --names-only '^libnginx-mod-' | cut -d' ' -f1 | grep -v -- -dev)
//      into DEBS/bookworm and DEBS/trixie (for trixie, point apt at a trixie sources.list with -o Dir::…).
//   3. node scripts/gen-nginx-modules.mjs --mirrors /work/.mirror --debs /tmp/debmods [--check]
// With --check it only reports whether modules.json is up to date (exit code 1 when not). With --only ID it reads one
// module's repository again (step 1 for that repository alone) and keeps the rest of modules.json as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  debianModuleFiles,
  moduleDirectives,
  moduleNames,
  openRestyBundled,
  syntheticTable,
} from './lib/nginx-modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(root, 'server/data/nginx/modules.json');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const mirrors = option('--mirrors', '/work/.mirror');
const debs = option('--debs', '/tmp/debmods');
const check = args.includes('--check');
const only = option('--only', undefined);

/**
 * The modules, in our own words. `files`: the sources holding the command tables; `module`: the ngx_module_t whose
 * name is the `.so` file's (when the files define several); `bundle`: the directory name OpenResty's configure uses;
 * `table`: a table built from bare command items between two markers of a file.
 */
const MODULES = [
  {
    id: 'headers-more',
    project: 'openresty/headers-more-nginx-module',
    files: ['src/ngx_http_headers_more_filter_module.c'],
    bundle: 'headers-more-nginx-module',
    description: 'Sets, replaces and removes request and response headers, also for error responses.',
  },
  {
    id: 'brotli-filter',
    title: 'brotli',
    project: 'google/ngx_brotli',
    files: ['filter/ngx_http_brotli_filter_module.c'],
    description: 'Compresses responses with Brotli on the fly.',
  },
  {
    id: 'brotli-static',
    title: 'brotli (static)',
    project: 'google/ngx_brotli',
    files: ['static/ngx_http_brotli_static_module.c'],
    description: 'Serves precompressed .br files next to the originals.',
  },
  {
    id: 'njs-http',
    title: 'njs (http)',
    project: 'nginx/njs',
    files: ['nginx/ngx_http_js_module.c'],
    module: 'ngx_http_js_module',
    description: 'Runs JavaScript handlers, variables and filters inside http.',
  },
  {
    id: 'njs-stream',
    title: 'njs (stream)',
    project: 'nginx/njs',
    files: ['nginx/ngx_stream_js_module.c'],
    module: 'ngx_stream_js_module',
    description: 'Runs JavaScript handlers and variables inside stream.',
  },
  {
    id: 'lua',
    title: 'Lua (lua-nginx-module)',
    project: 'openresty/lua-nginx-module',
    files: ['src/ngx_http_lua_module.c'],
    bundle: 'ngx_lua',
    description: 'Embeds LuaJIT: Lua code runs in every request phase (the heart of OpenResty).',
  },
  {
    id: 'stream-lua',
    title: 'Lua for stream (stream-lua-nginx-module)',
    project: 'openresty/stream-lua-nginx-module',
    files: ['src/ngx_stream_lua_module.c'],
    bundle: 'ngx_stream_lua',
    description: 'Embeds LuaJIT in the stream (TCP/UDP) part of nginx.',
  },
  {
    id: 'ndk',
    title: 'Nginx Development Kit',
    project: 'vision5/ngx_devel_kit',
    files: ['src/ndk.c'],
    table: { file: 'src/ndk_upstream_list.h', from: '#if (NDK_UPSTREAM_LIST_CMDS)', to: '#else' },
    bundle: 'ngx_devel_kit',
    description: 'A helper library other modules (Lua, set-misc, srcache) build on; load it before them.',
  },
  {
    id: 'set-misc',
    project: 'openresty/set-misc-nginx-module',
    files: ['src/ngx_http_set_misc_module.c'],
    bundle: 'set-misc-nginx-module',
    description: 'Extra `set_*` directives that escape, encode, hash or pick values for variables.',
  },
  {
    id: 'echo',
    project: 'openresty/echo-nginx-module',
    files: ['src/ngx_http_echo_module.c'],
    bundle: 'echo-nginx-module',
    description:
      'Writes text, sleeps, and runs subrequests straight from the configuration (handy for tests).',
  },
  {
    id: 'srcache',
    project: 'openresty/srcache-nginx-module',
    files: ['src/ngx_http_srcache_filter_module.c'],
    bundle: 'srcache-nginx-module',
    description: 'A response cache whose storage is reached through subrequests (memc, redis2, Lua).',
  },
  {
    id: 'redis2',
    project: 'openresty/redis2-nginx-module',
    files: ['src/ngx_http_redis2_module.c'],
    bundle: 'redis2-nginx-module',
    description: 'An upstream that speaks the Redis protocol.',
  },
  {
    id: 'memc',
    project: 'openresty/memc-nginx-module',
    files: ['src/ngx_http_memc_module.c'],
    bundle: 'memc-nginx-module',
    description: 'An upstream that speaks the full memcached text protocol (get, set, delete, incr, …).',
  },
  {
    id: 'xss',
    project: 'openresty/xss-nginx-module',
    files: ['src/ngx_http_xss_filter_module.c'],
    bundle: 'xss-nginx-module',
    description: 'Wraps responses for cross-site JSONP-style script requests.',
  },
  {
    id: 'array-var',
    project: 'openresty/array-var-nginx-module',
    files: ['src/ngx_http_array_var_module.c'],
    bundle: 'array-var-nginx-module',
    description: 'Array-valued variables: split, map and join.',
  },
  {
    id: 'form-input',
    project: 'calio/form-input-nginx-module',
    files: ['src/ngx_http_form_input_module.c'],
    bundle: 'form-input-nginx-module',
    description: 'Reads fields of url-encoded POST bodies into variables.',
  },
  {
    id: 'encrypted-session',
    project: 'openresty/encrypted-session-nginx-module',
    files: ['src/ngx_http_encrypted_session_module.c'],
    bundle: 'encrypted-session-nginx-module',
    description: 'Encrypts and decrypts variable values with a key from the configuration.',
  },
  {
    id: 'rds-json',
    project: 'openresty/rds-json-nginx-module',
    files: ['src/ngx_http_rds_json_filter_module.c'],
    bundle: 'rds-json-nginx-module',
    description: 'Turns database results (RDS) from drizzle/postgres upstreams into JSON.',
  },
  {
    id: 'rds-csv',
    project: 'openresty/rds-csv-nginx-module',
    files: ['src/ngx_http_rds_csv_filter_module.c'],
    bundle: 'rds-csv-nginx-module',
    description: 'Turns database results (RDS) into CSV.',
  },
  {
    id: 'coolkit',
    project: 'FRiCKLE/ngx_coolkit',
    files: ['src/ngx_coolkit_module.c'],
    bundle: 'ngx_coolkit',
    description: 'Small helpers from FRiCKLE, such as overriding the request method of an upstream request.',
  },
  {
    id: 'geoip2-http',
    title: 'GeoIP2 (http)',
    project: 'leev/ngx_http_geoip2_module',
    files: ['ngx_http_geoip2_module.c'],
    description: 'Sets variables from MaxMind GeoIP2 / GeoLite2 databases in http.',
  },
  {
    id: 'geoip2-stream',
    title: 'GeoIP2 (stream)',
    project: 'leev/ngx_http_geoip2_module',
    files: ['ngx_stream_geoip2_module.c'],
    description: 'Sets variables from MaxMind GeoIP2 / GeoLite2 databases in stream.',
  },
  {
    id: 'vts',
    title: 'virtual host traffic status (vts)',
    project: 'vozlt/nginx-module-vts',
    files: ['src/ngx_http_vhost_traffic_status_module.c'],
    description: 'Counts traffic per server, upstream and cache zone, and shows it as a status page.',
  },
  {
    id: 'cache-purge',
    title: 'cache_purge',
    project: 'nginx-modules/ngx_cache_purge',
    files: ['ngx_cache_purge_module.c'],
    description:
      'Removes entries from proxy, FastCGI, SCGI and uwsgi caches on request (maintained fork of FRiCKLE’s).',
  },
  {
    id: 'subs-filter',
    title: 'substitutions filter (subs_filter)',
    project: 'yaoweibin/ngx_http_substitutions_filter_module',
    files: ['ngx_http_subs_filter_module.c'],
    description: 'Replaces text (strings or regular expressions) in response bodies.',
  },
  {
    id: 'auth-pam',
    project: 'sto/ngx_http_auth_pam_module',
    files: ['ngx_http_auth_pam_module.c'],
    description: 'HTTP basic authentication checked against PAM.',
  },
  {
    id: 'auth-spnego',
    project: 'stnoonan/spnego-http-auth-nginx-module',
    files: ['ngx_http_auth_spnego_module.c'],
    description: 'Kerberos / SPNEGO (Negotiate) authentication.',
  },
  {
    id: 'dav-ext',
    project: 'arut/nginx-dav-ext-module',
    files: ['ngx_http_dav_ext_module.c'],
    description: 'The WebDAV methods the core dav module lacks (PROPFIND, OPTIONS, LOCK, UNLOCK).',
  },
  {
    id: 'fancyindex',
    project: 'aperezdc/ngx-fancyindex',
    files: ['ngx_http_fancyindex_module.c'],
    description: 'Directory listings with headers, footers, sorting and styling.',
  },
  {
    id: 'modsecurity',
    project: 'owasp-modsecurity/ModSecurity-nginx',
    files: ['src/ngx_http_modsecurity_module.c'],
    description: 'Connects nginx to the ModSecurity (libmodsecurity) web application firewall.',
  },
  {
    id: 'uploadprogress',
    project: 'masterzen/nginx-upload-progress-module',
    files: ['ngx_http_uploadprogress_module.c'],
    description: 'Reports how far an upload has come, for progress bars.',
  },
  {
    id: 'upstream-fair',
    project: 'gnosek/nginx-upstream-fair',
    files: ['ngx_http_upstream_fair_module.c'],
    description: 'A load-balancing method that sends requests to the least busy upstream server.',
  },
  {
    id: 'nchan',
    project: 'slact/nchan',
    files: ['src/nchan_config_commands.c', 'src/nchan_setup.c'],
    module: 'ngx_nchan_module',
    description: 'Publish/subscribe messaging over WebSocket, EventSource and long polling.',
  },
  {
    id: 'push-stream',
    project: 'wandenberg/nginx-push-stream-module',
    files: ['src/ngx_http_push_stream_module_setup.c'],
    description: 'Publish/subscribe push streaming to many subscribers.',
  },
  {
    id: 'rtmp',
    project: 'arut/nginx-rtmp-module',
    // The HTTP pages it serves (statistics, control) and its auto-push settings of the main context are modules of
    // their own in the same .so.
    files: [
      'ngx_rtmp.c',
      'ngx_rtmp_stat_module.c',
      'ngx_rtmp_control_module.c',
      'ngx_rtmp_auto_push_module.c',
    ],
    description:
      'An RTMP media server (live streams, recording, HLS/DASH); its directives live in `rtmp {}`, besides its auto-push settings and the statistics and control pages it serves over http.',
  },
];

/**
 * nginx's own modules that Debian builds as dynamic ones: their directives are in the core catalogue, here only the
 * `.so` file and package matter.
 */
const CORE_DYNAMIC = [
  ['ngx_http_geoip_module', 'Sets variables from legacy MaxMind GeoIP databases (http).'],
  ['ngx_stream_geoip_module', 'Sets variables from legacy MaxMind GeoIP databases (stream).'],
  ['ngx_http_image_filter_module', 'Resizes, crops and rotates JPEG, GIF, PNG and WebP images.'],
  ['ngx_http_xslt_filter_module', 'Transforms XML responses with XSLT stylesheets.'],
  ['ngx_http_perl_module', 'Runs Perl handlers and variables.'],
  ['ngx_mail_module', 'The mail proxy (IMAP, POP3, SMTP): everything in `mail {}`.'],
  ['ngx_stream_module', 'The TCP/UDP proxy: everything in `stream {}`.'],
];

function fail(message) {
  console.error(`gen-nginx-modules: ${message}`);
  process.exit(1);
}

function git(repo, ...rest) {
  return execFileSync('git', ['-C', repo, ...rest], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

function repoDir(project) {
  const base = join(mirrors, project.replace('/', '+'));
  for (const candidate of [join(base, 'repo'), join(base, 'repo/.git')]) {
    if (existsSync(candidate)) return candidate;
  }
  return fail(`${project} is not under ${mirrors} (fetch it first)`);
}

/**
 * The dynamic symbols the package's nginx modules use but do not define (`nm -D --undefined-only`): a module that
 * needs `ndk_*` symbols cannot be loaded before the devel kit.
 */
function undefinedSymbols(deb) {
  const dir = mkdtempSync(join(tmpdir(), 'gen-nginx-modules-'));
  try {
    execFileSync('dpkg-deb', ['-x', deb, dir]);
    const modules = join(dir, 'usr/lib/nginx/modules');
    if (!existsSync(modules)) return [];
    return readdirSync(modules)
      .filter((f) => f.endsWith('.so'))
      .flatMap((f) =>
        execFileSync('nm', ['-D', '--undefined-only', join(modules, f)], { encoding: 'utf8' }).split('\n'),
      )
      .map((line) => line.trim().split(/\s+/).pop() ?? '')
      .filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function debianListings() {
  const listings = [];
  if (!existsSync(debs)) fail(`no Debian packages under ${debs} (see the header of this script)`);
  for (const release of readdirSync(debs).sort()) {
    const dir = join(debs, release);
    let files;
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.deb'));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      const path = join(dir, file);
      const name = execFileSync('dpkg-deb', ['-f', path, 'Package'], { encoding: 'utf8' }).trim();
      listings.push({
        package: name,
        release,
        listing: execFileSync('dpkg-deb', ['-c', path], { encoding: 'utf8' }),
        undefinedSymbols: undefinedSymbols(path),
      });
    }
  }
  if (!listings.length) fail(`no .deb files under ${debs}/<release>/`);
  return listings;
}

/** What a spec's repository says of it: its commit, its ngx_module_t and the directives of its command tables. */
function fromSources(spec) {
  const repo = repoDir(spec.project);
  const commit = git(repo, 'rev-parse', 'HEAD').trim();
  const sources = spec.files.map((file) => git(repo, 'show', `HEAD:${file}`));
  if (spec.table) {
    const header = git(repo, 'show', `HEAD:${spec.table.file}`);
    sources.push(syntheticTable(header, spec.table.from, spec.table.to));
  }
  const directives = new Map();
  for (const source of sources) for (const d of moduleDirectives(source)) directives.set(d.name, d);
  const module = spec.module ?? sources.flatMap(moduleNames)[0];
  if (!module) fail(`${spec.id}: no ngx_module_t found in ${spec.files.join(', ')}`);
  if (!directives.size) fail(`${spec.id}: no directives read`);
  return {
    commit: commit.slice(0, 12),
    module,
    directives: [...directives.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
}

/** A module's entry, in the order of its keys in modules.json. */
function entryOf(spec, { commit, module, directives }, deb, openresty) {
  return {
    id: spec.id,
    title: spec.title ?? spec.id,
    project: spec.project,
    commit,
    module,
    file: `${module}.so`,
    ...(deb ? { debian: deb } : {}),
    ...(openresty ? { openresty: true } : {}),
    description: spec.description,
    directives,
  };
}

/** Every module, from every repository and Debian's packages. */
function allModules() {
  const debian = debianModuleFiles(debianListings());
  const bundled = new Set(
    openRestyBundled(git(repoDir('openresty/openresty'), 'show', 'HEAD:util/configure')),
  );
  const debianFor = (so) => {
    const found = debian.get(so);
    return found
      ? {
          package: found.package,
          releases: found.releases.sort(),
          ...(found.requires ? { requires: found.requires } : {}),
        }
      : undefined;
  };
  const modules = [];
  for (const spec of MODULES) {
    const read = fromSources(spec);
    if (spec.bundle && !bundled.has(spec.bundle))
      fail(`${spec.id}: ${spec.bundle} is not among OpenResty's modules`);
    modules.push(entryOf(spec, read, debianFor(`${read.module}.so`), Boolean(spec.bundle)));
  }
  for (const [module, description] of CORE_DYNAMIC) {
    const so = `${module}.so`;
    const deb = debianFor(so);
    if (!deb) fail(`${module}: no Debian package installs ${so}`);
    modules.push({
      id: module,
      title: module,
      project: 'nginx/nginx',
      module,
      file: so,
      debian: deb,
      core: true,
      description,
      directives: [],
    });
  }
  // Every Debian module package must be accounted for, so a new one is noticed when this is re-run.
  const covered = new Set(modules.map((m) => m.file));
  const missing = [...debian.keys()].filter((so) => !covered.has(so));
  if (missing.length) fail(`Debian ships modules not in MODULES or CORE_DYNAMIC: ${missing.join(', ')}`);
  return modules;
}

/**
 * The current modules.json with one module read again from its repository alone (`--only ID`): its Debian package
 * and OpenResty facts are kept as they are, since those need every package and repository.
 */
function oneModuleAgain(id) {
  const spec = MODULES.find((m) => m.id === id);
  if (!spec) fail(`--only ${id}: no such module in MODULES`);
  const modules = JSON.parse(readFileSync(outPath, 'utf8')).modules;
  const at = modules.findIndex((m) => m.id === id);
  const old = modules[at];
  const entry = entryOf(spec, fromSources(spec), old?.debian, old?.openresty);
  if (at < 0) modules.splice(MODULES.indexOf(spec), 0, entry);
  else modules[at] = entry;
  return modules;
}

const modules = only ? oneModuleAgain(only) : allModules();
const names = new Map();
for (const m of modules)
  for (const d of m.directives) names.set(d.name, [...(names.get(d.name) ?? []), m.id]);

// One line per directive keeps the file small and its diffs readable.
const SOURCE =
  'Generated by scripts/gen-nginx-modules.mjs from the ngx_command_t tables of each module (at the commit given) and the file lists of Debian bookworm/trixie libnginx-mod-* packages. Descriptions are our own words.';
const moduleText = (m) => {
  const { directives, ...rest } = m;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '').replace(/\n/g, '\n    ');
  const list = directives.map((d) => `        ${JSON.stringify(d)}`).join(',\n');
  return `    ${head},\n      "directives": [${list ? `\n${list}\n      ` : ''}]\n    }`;
};
const output = `{\n  "source": ${JSON.stringify(SOURCE)},\n  "modules": [\n${modules.map(moduleText).join(',\n')}\n  ]\n}\n`;
JSON.parse(output);
if (check) {
  const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : '';
  if (current !== output) fail('server/data/nginx/modules.json is out of date');
  console.log('modules.json is up to date');
} else {
  writeFileSync(outPath, output);
  const shared = [...names].filter(([, ids]) => ids.length > 1).length;
  console.log(
    `wrote ${modules.length} modules, ${names.size} directive names (${shared} in more than one module) to ${outPath}`,
  );
}
