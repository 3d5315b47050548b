// Third-party nginx modules: the generator's reader on small C snippets of our own, and every verdict of
// nginx-module-directive (main config with and without load_module, main config absent, OpenResty, custom builds).

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../server/src/core/findings';
import { describeEntry } from '../../server/src/core/features';
import { applyEdits } from '../../server/src/core/text';
import { nginxCompletions } from '../../server/src/languages/nginx/completion';
import { nginxHover } from '../../server/src/languages/nginx/hover';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { nginxModuleCatalog } from '../../server/src/languages/nginx/modules';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import type { NginxWorkspaceFacts } from '../../server/src/languages/nginx/rules/types';
import { genericNginxRules } from '../../server/src/languages/nginx/rules/genericRules';
import { indexNginxWorkspace } from '../../server/src/languages/nginx/workspace';
import { isNginxPath } from '../../server/src/languages/registry';

interface Directive {
  name: string;
  contexts: string[];
  args: { min: number; max: number | null; flag?: boolean; counts?: number[] };
  block?: boolean;
  serverIf?: boolean;
}
interface GeneratorLib {
  moduleDirectives(source: string): Directive[];
  expandFlagMacros(source: string): string;
  syntheticTable(source: string, from: string, to: string): string;
  moduleNames(source: string): string[];
  openRestyBundled(configure: string): string[];
  debianModuleFiles(
    listings: { package: string; release: string; listing: string }[],
  ): Map<string, { package: string; releases: string[]; snippet?: string }>;
}

const ROOT = join(__dirname, '..', '..', '..');
let lib: GeneratorLib;

describe('gen-nginx-modules: reading module sources', () => {
  before(async () => {
    lib = (await import(pathToFileURL(join(ROOT, 'scripts/lib/nginx-modules.mjs')).href)) as GeneratorLib;
  });

  const source = `
/* a made-up module */
static ngx_command_t  ngx_http_demo_commands[] = {
    { ngx_string("demo_header"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_HTTP_LIF_CONF|NGX_CONF_1MORE,
      demo_header, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
    { ngx_string("demo_rewrite"),
      NGX_HTTP_SRV_CONF|NGX_HTTP_SIF_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE13,
      demo_rewrite, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
    { ngx_string("demo_block"),
      NGX_HTTP_LOC_CONF|NGX_CONF_BLOCK|NGX_CONF_NOARGS,
      demo_block, NGX_HTTP_LOC_CONF_OFFSET, 0, NULL },
    { ngx_string("demo_flag"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot, NGX_HTTP_MAIN_CONF_OFFSET, 0, NULL },
    { ngx_string("demo_inside_own_block"),
      NGX_DEMO_APP_CONF|NGX_CONF_TAKE1,
      demo_x, 0, 0, NULL },
      ngx_null_command
};

ngx_module_t  ngx_http_demo_module = {
    NGX_MODULE_V1, &ngx_http_demo_module_ctx, ngx_http_demo_commands, NGX_HTTP_MODULE,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NGX_MODULE_V1_PADDING
};
`;

  it('turns flags into contexts, argument counts, blocks and the server-level if', () => {
    const byName = new Map(lib.moduleDirectives(source).map((d) => [d.name, d]));
    assert.deepEqual(byName.get('demo_header'), {
      name: 'demo_header',
      contexts: ['http', 'server', 'location', 'if'],
      args: { min: 1, max: null },
    });
    const rewrite = byName.get('demo_rewrite')!;
    assert.deepEqual(rewrite.contexts, ['server', 'location'], 'the SIF flag is not the location if');
    assert.equal(rewrite.serverIf, true);
    assert.deepEqual(rewrite.args, { min: 1, max: 3, counts: [1, 3] });
    assert.deepEqual(byName.get('demo_block')?.args, { min: 0, max: 0 });
    assert.equal(byName.get('demo_block')?.block, true);
    assert.equal(byName.get('demo_flag')?.args.flag, true);
    // A directive of the module's own block type (like rtmp's) is never looked up by core nginx: left out.
    assert.equal(byName.has('demo_inside_own_block'), false);
    assert.deepEqual(lib.moduleNames(source), ['ngx_http_demo_module']);
  });

  it('expands flag macros and builds a table out of bare command items', () => {
    const macro = `#define DEMO_FLAGS NGX_HTTP_MAIN_CONF | NGX_HTTP_SRV_CONF \\
    | NGX_HTTP_LOC_CONF
static ngx_command_t cmds[] = {
  {ngx_string("demo_auth"), DEMO_FLAGS | NGX_CONF_TAKE1, demo, 0, 0, NULL},
  ngx_null_command};`;
    assert.deepEqual(lib.moduleDirectives(macro), [
      { name: 'demo_auth', contexts: ['http', 'server', 'location'], args: { min: 1, max: 1 } },
    ]);
    const header = `#if (DEMO_CMDS)
{
    ngx_string ("demo_list"),
    NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
    demo_list, 0, 0, NULL
},
#else
typedef int demo_t;
#endif`;
    const table = lib.syntheticTable(header, '#if (DEMO_CMDS)', '#else');
    assert.deepEqual(
      lib.moduleDirectives(table).map((d) => [d.name, d.args]),
      [['demo_list', { min: 2, max: null }]],
    );
    assert.equal(lib.syntheticTable(header, '#if (OTHER)', '#else'), '');
  });

  it("reads OpenResty's bundled modules, skipping disabled and commented ones", () => {
    const configure = `my @modules = (
    [ndk => 'ngx_devel_kit'],
    [http_iconv => 'iconv-nginx-module', 'disabled'],
    #[http_auth_request => 'auth-request-nginx-module'],
    [http_lua => 'ngx_lua'],
);
`;
    assert.deepEqual(lib.openRestyBundled(configure), ['ngx_devel_kit', 'ngx_lua']);
  });

  it('maps .so files to Debian packages and releases from dpkg-deb listings', () => {
    const listing = [
      'drwxr-xr-x root/root         0 2024-01-01 00:00 ./usr/lib/nginx/modules/',
      '-rw-r--r-- root/root     12345 2024-01-01 00:00 ./usr/lib/nginx/modules/ngx_http_demo_module.so',
      '-rw-r--r-- root/root        50 2024-01-01 00:00 ./usr/share/nginx/modules-available/mod-http-demo.conf',
    ].join('\n');
    const files = lib.debianModuleFiles([
      { package: 'libnginx-mod-http-demo', release: 'bookworm', listing },
      { package: 'libnginx-mod-http-demo', release: 'trixie', listing },
    ]);
    assert.deepEqual(files.get('ngx_http_demo_module.so'), {
      package: 'libnginx-mod-http-demo',
      releases: ['bookworm', 'trixie'],
      snippet: 'mod-http-demo.conf',
    });
  });
});

describe('module catalogue', () => {
  it('knows the modules the issue names, with the Debian packages apt lists', () => {
    const modules = nginxModuleCatalog();
    const moduleOf = (name: string) => modules.entries(name)[0]?.module;
    assert.equal(moduleOf('more_set_headers')?.debian?.package, 'libnginx-mod-http-headers-more-filter');
    assert.equal(moduleOf('brotli')?.debian?.package, 'libnginx-mod-http-brotli-filter');
    assert.equal(moduleOf('brotli_static')?.debian?.package, 'libnginx-mod-http-brotli-static');
    assert.equal(moduleOf('content_by_lua_block')?.debian?.package, 'libnginx-mod-http-lua');
    assert.equal(moduleOf('subs_filter')?.debian?.package, 'libnginx-mod-http-subs-filter');
    assert.equal(moduleOf('echo')?.file, 'ngx_http_echo_module.so');
    assert.equal(moduleOf('vhost_traffic_status_zone')?.debian, undefined, 'Debian does not package vts');
    assert.ok(moduleOf('geoip2') && moduleOf('js_import') && moduleOf('proxy_cache_purge'));
    assert.equal(modules.moduleOfFile('/usr/lib/nginx/modules/ngx_stream_module.so')?.core, true);
    // njs defines js_import for http and for stream: the entry that fits the context wins.
    assert.equal(modules.entriesFor('js_import', 'stream')[0]?.module.file, 'ngx_stream_js_module.so');
    assert.equal(modules.entriesFor('js_import', 'location')[0]?.module.file, 'ngx_http_js_module.so');
  });
});

/** Analyses `target` inside an in-memory workspace (path → text), the way the CLI and the LSP worker do. */
function check(files: Record<string, string>, target: string): Finding[] {
  const index = indexNginxWorkspace({
    seeds: Object.keys(files).filter(isNginxPath),
    allPaths: Object.keys(files),
    read: (path) => files[path],
  });
  const context = index.includedAt(target)?.context;
  const model = parseNginxConfig(files[target]!, context ? { rootContext: context } : {});
  return analyzeNginxConfig(model, {
    uri: `file://${target}`,
    path: target,
    gunicornVersion: [23, 0, 0],
    versionLabel: '23.0.0',
    workspace: index.factsFor(target),
    rules: genericNginxRules,
  });
}

const summary = (list: Finding[]): string[] =>
  list.map((f) => `${f.range.start.line + 1}:${f.rule}:${f.severity}`);

const SITE = '/w/nginx/sites-enabled/app';
const MAIN = '/w/nginx/nginx.conf';
const site = [
  'server {',
  '    listen 80;',
  '    more_set_headers "Server: web";',
  '    more_clear_headers X-Powered-By;',
  '    location / {',
  '        content_by_lua_block {',
  '            ngx.say("hello")',
  '        }',
  '    }',
  '}',
  '',
].join('\n');
const main = (top: string): string =>
  `${top}events {\n}\nhttp {\n    include /etc/nginx/sites-enabled/*;\n}\n`;

describe('nginx-module-directive verdicts', () => {
  it('main config in the workspace without load_module: an error per directive, naming the line to add', () => {
    const list = check({ [MAIN]: main(''), [SITE]: site }, SITE);
    assert.deepEqual(summary(list), [
      '3:nginx-module-directive:error',
      '4:nginx-module-directive:error',
      '6:nginx-module-directive:error',
    ]);
    assert.match(list[0]!.message, /ngx_http_headers_more_filter_module\.so/);
    assert.match(list[0]!.message, /libnginx-mod-http-headers-more-filter/);
    assert.match(list[2]!.message, /ngx_http_lua_module\.so/);
  });

  it('main config with the load_module lines (itself or in a file it includes at the top): nothing', () => {
    const loads =
      'load_module modules/ngx_http_headers_more_filter_module.so;\n' +
      'load_module /usr/lib/nginx/modules/ndk_http_module.so;\nload_module modules/ngx_http_lua_module.so;\n';
    assert.deepEqual(check({ [MAIN]: main(loads), [SITE]: site }, SITE), []);
    const viaInclude = {
      [MAIN]: main('include /etc/nginx/modules-enabled/*.conf;\n'),
      '/w/nginx/modules-enabled/50-mod-http-headers-more-filter.conf':
        'load_module modules/ngx_http_headers_more_filter_module.so;\n',
      '/w/nginx/modules-enabled/50-mod-http-lua.conf': 'load_module modules/ngx_http_lua_module.so;\n',
      [SITE]: site,
    };
    assert.deepEqual(check(viaInclude, SITE), []);
    // Only the lua snippet present: headers-more is evidently missing.
    const partial = Object.fromEntries(
      Object.entries(viaInclude).filter(([path]) => !path.includes('headers-more')),
    );
    assert.deepEqual(summary(check(partial, SITE)), [
      '3:nginx-module-directive:error',
      '4:nginx-module-directive:error',
    ]);
  });

  it('in the main config itself, the fix adds the load_module line at the top', () => {
    const text = main('').replace('include /etc/nginx/sites-enabled/*;', 'more_set_headers "Server: web";');
    const list = check({ [MAIN]: text }, MAIN);
    assert.deepEqual(summary(list), ['4:nginx-module-directive:error']);
    const fix = list[0]!.fixes!.find((f) => f.title.startsWith('Load the headers-more module'))!;
    const after = applyEdits(text, fix.edits);
    assert.match(after, /^load_module modules\/ngx_http_headers_more_filter_module\.so;\nevents/);
    assert.deepEqual(check({ [MAIN]: after }, MAIN), []);
  });

  it('a top-level include that names no workspace file (Debian modules-enabled) may load it: one info per module', () => {
    const list = check({ [MAIN]: main('include /etc/nginx/modules-enabled/*.conf;\n'), [SITE]: site }, SITE);
    assert.deepEqual(summary(list), ['3:nginx-module-directive:info', '6:nginx-module-directive:info']);
    assert.match(list[0]!.message, /headers-more module \(Debian: libnginx-mod-http-headers-more-filter\)/);
    assert.match(list[0]!.message, /load_module modules\/ngx_http_headers_more_filter_module\.so;/);
  });

  it('a loaded .so the catalogue does not know may provide the directive: info', () => {
    const list = check(
      { [MAIN]: main('load_module modules/ngx_http_custom_module.so;\n'), [SITE]: site },
      SITE,
    );
    assert.deepEqual(
      list.map((f) => f.severity),
      ['info', 'info'],
    );
  });

  it('main config absent (a site file alone): info naming module and package', () => {
    const list = check({ [SITE]: site }, SITE);
    assert.deepEqual(summary(list), ['3:nginx-module-directive:info', '6:nginx-module-directive:info']);
    assert.match(list[1]!.message, /Lua .*Debian: libnginx-mod-http-lua/);
    // A file with an http block but no events is a fragment, not the main config.
    const fragment = { '/w/nginx/conf.d/app.conf': 'http {\n    more_set_headers "A: b";\n}\n' };
    assert.deepEqual(summary(check(fragment, '/w/nginx/conf.d/app.conf')), ['2:nginx-module-directive:info']);
  });

  it('OpenResty: its bundled modules are compiled in, others still need load_module', () => {
    const files = {
      '/w/Dockerfile': 'FROM openresty/openresty:1.25.3.1-alpine\nCOPY nginx /etc/nginx\n',
      [MAIN]: main(''),
      [SITE]: site.replace('listen 80;', 'listen 80;\n    brotli on;'),
    };
    assert.deepEqual(summary(check(files, SITE)), ['3:nginx-module-directive:error']);
    assert.match(check(files, SITE)[0]!.message, /brotli/);
    const byPath = { '/w/usr/local/openresty/nginx/conf/nginx.conf': main(''), [SITE]: site };
    assert.deepEqual(check(byPath, SITE), []);
  });

  it('nginx built from source with --add-module: any module may be compiled in, so info only', () => {
    const files = {
      '/w/Dockerfile': 'RUN ./configure --add-module=/src/headers-more-nginx-module && make install\n',
      [MAIN]: main(''),
      [SITE]: site,
    };
    assert.deepEqual(
      check(files, SITE).map((f) => f.severity),
      ['info', 'info'],
    );
  });

  it("a module's own sources (its config script names the addon) are built into the nginx its test configs run in: info only", () => {
    const severities = (script: string) =>
      check({ '/w/config': script, [MAIN]: main(''), [SITE]: site }, SITE).map((f) => f.severity);
    assert.deepEqual(severities('ngx_addon_name=ngx_http_headers_more_filter_module\n'), ['info', 'info']);
    // Any other file named config says nothing of how nginx is built.
    assert.deepEqual(severities('[core]\n\tbare = false\n'), ['error', 'error', 'error']);
  });

  it('an image built around nginx other than the official one may have modules compiled in: info only', () => {
    const severities = (image: string) =>
      check(
        {
          '/w/docker-compose.yml': `services:\n  web:\n    image: ${image}\n`,
          [MAIN]: main(''),
          [SITE]: site,
        },
        SITE,
      ).map((f) => f.severity);
    assert.deepEqual(severities('fholzer/nginx-brotli:v1.26.2'), ['info', 'info']);
    assert.deepEqual(severities('registry.example.com:5000/team/nginx-custom:2'), ['info', 'info']);
    // The official images load third-party modules only through load_module.
    assert.deepEqual(severities('nginx:1.27-alpine'), ['error', 'error', 'error']);
    assert.deepEqual(severities('docker.io/library/nginx:1.25'), ['error', 'error', 'error']);
    assert.deepEqual(severities('nginxinc/nginx-unprivileged:1.25'), ['error', 'error', 'error']);
  });

  it('checks where a module directive may stand and how many arguments it takes', () => {
    const text = [
      'server {',
      '    more_set_headers;',
      '    js_import a b;',
      '    location / {',
      '        brotli_static on;',
      '    }',
      '    if ($host = x) {',
      '        set_escape_uri $a $b;',
      '    }',
      '}',
      'upstream u {',
      '    server 127.0.0.1;',
      '    more_set_headers "A: b";',
      '}',
      '',
    ].join('\n');
    const files = { [MAIN]: main(''), '/w/nginx/conf.d/x.conf': text };
    const files2 = { ...files, [MAIN]: files[MAIN].replace('sites-enabled/*', 'conf.d/*.conf') };
    const loads =
      'load_module modules/ngx_http_headers_more_filter_module.so;\nload_module modules/ngx_http_js_module.so;\n' +
      'load_module modules/ngx_http_brotli_static_module.so;\nload_module modules/ndk_http_module.so;\n' +
      'load_module modules/ngx_http_set_misc_module.so;\n';
    files2[MAIN] = loads + files2[MAIN];
    const list = check(files2, '/w/nginx/conf.d/x.conf');
    assert.deepEqual(summary(list), [
      '2:nginx-module-directive:error',
      '3:nginx-module-directive:error',
      '13:nginx-module-directive:error',
    ]);
    assert.match(list[0]!.message, /at least 1 argument, but has 0/);
    assert.match(list[1]!.message, /1 or 3 arguments, but has 2/);
    assert.match(list[2]!.message, /not allowed in upstream \{\}/);
  });

  it('a name no catalogue knows, near none we know: a warning where unseen modules may be loaded, else an error', () => {
    const passenger = 'server {\n    passenger_enabled on;\n    upload_store /var/tmp/uploads;\n}\n';
    // A site alone (Debian's main file includes modules-enabled/*.conf), or a main file that may load more.
    const alone = check({ [SITE]: passenger }, SITE);
    assert.deepEqual(summary(alone), [
      '2:nginx-unknown-directive:warning',
      '3:nginx-unknown-directive:warning',
    ]);
    assert.match(alone[0]!.message, /the main configuration that includes this file is not in the workspace/);
    const included = check(
      { [MAIN]: main('include /etc/nginx/modules-enabled/*.conf;\n'), [SITE]: passenger },
      SITE,
    );
    assert.match(included[0]!.message, /includes files outside the workspace/);
    assert.equal(included[0]!.severity, 'warning');
    const custom = check(
      { [MAIN]: main('load_module modules/ngx_http_passenger_module.so;\n'), [SITE]: passenger },
      SITE,
    );
    assert.match(custom[0]!.message, /loads ngx_http_passenger_module\.so/);
    // The main file is in the workspace and loads nothing: nginx refuses the names.
    assert.deepEqual(summary(check({ [MAIN]: main(''), [SITE]: passenger }, SITE)), [
      '2:nginx-unknown-directive:error',
      '3:nginx-unknown-directive:error',
    ]);
    // A misspelling of a name nginx knows stays an error even in a site alone.
    assert.deepEqual(summary(check({ [SITE]: 'server {\n    proxy_pas http://a;\n}\n' }, SITE)), [
      '2:nginx-unknown-directive:error',
    ]);
  });

  it('leaves module directives to this rule: nginx-unknown-directive still reports typos', () => {
    const list = check(
      { [SITE]: 'server {\n    more_set_headers "A: b";\n    more_set_header "A: b";\n}\n' },
      SITE,
    );
    assert.deepEqual(summary(list), ['2:nginx-module-directive:info', '3:nginx-unknown-directive:error']);
  });
});

describe('nginx-module-load-order', () => {
  const lua = 'load_module modules/ngx_http_lua_module.so;\n';
  const ndk = 'load_module modules/ndk_http_module.so;\n';
  const order = (files: Record<string, string>, target = MAIN) =>
    summary(check(files, target).filter((f) => f.rule === 'nginx-module-load-order'));

  it("reads which modules need the devel kit from Debian's binaries", () => {
    const modules = nginxModuleCatalog();
    assert.deepEqual(modules.moduleOfFile('ngx_http_lua_module.so')?.debian?.requires, [
      'ndk_http_module.so',
    ]);
    assert.equal(modules.moduleOfFile('ngx_http_headers_more_filter_module.so')?.debian?.requires, undefined);
  });

  it('flags Lua loaded without the kit, or before it; the fix adds it above', () => {
    const list = check({ [MAIN]: main(lua) }, MAIN).filter((f) => f.rule === 'nginx-module-load-order');
    assert.deepEqual(summary(list), ['1:nginx-module-load-order:error']);
    const fixed = applyEdits(main(lua), list[0]!.fixes![0]!.edits);
    assert.ok(fixed.startsWith(ndk + lua));
    assert.deepEqual(order({ [MAIN]: fixed }), []);
    assert.deepEqual(order({ [MAIN]: main(lua + ndk) }), ['1:nginx-module-load-order:error']);
  });

  it('stays quiet when the kit may be loaded elsewhere', () => {
    // Loaded by a snippet the main file includes (order across files is not judged).
    const snippets = {
      [MAIN]: main('include /etc/nginx/modules-enabled/*.conf;\n'),
      '/w/nginx/modules-enabled/10-mod-http-ndk.conf': ndk,
      '/w/nginx/modules-enabled/50-mod-http-lua.conf': lua,
    };
    assert.deepEqual(order(snippets, '/w/nginx/modules-enabled/50-mod-http-lua.conf'), []);
    // An include that leaves the workspace, or no main configuration at all.
    assert.deepEqual(order({ [MAIN]: main(`include /etc/nginx/modules-enabled/*.conf;\n${lua}`) }), []);
    assert.deepEqual(
      order(
        { '/w/nginx/modules-enabled/50-mod-http-lua.conf': lua },
        '/w/nginx/modules-enabled/50-mod-http-lua.conf',
      ),
      [],
    );
  });
});

describe('Lua blocks', () => {
  it('steps over Lua code: strings, comments, long brackets and braces inside mean nothing to nginx', () => {
    const text = [
      'location / {',
      '    content_by_lua_block {',
      "        local t = { a = '}', b = \"it's\" } -- don't { count this",
      '        --[[ a } long',
      '        comment ]] if #t > 0 then ngx.say([==[ ]] } ]==]) end',
      '    }',
      '    set_by_lua_block $x { return "}" }',
      '    add_header X-A b;',
      '}',
      '',
    ].join('\n');
    const model = parseNginxConfig(text, { rootContext: 'server' });
    assert.deepEqual(model.problems, []);
    assert.deepEqual(
      model.all.map((d) => d.name),
      ['location', 'content_by_lua_block', 'set_by_lua_block', 'add_header'],
    );
    const lua = model.all[1]!;
    assert.equal(model.lines.positionAt(lua.block!.close!.from).line, 5);
    assert.deepEqual(
      model.all[2]!.args.map((a) => a.value),
      ['$x'],
    );
    assert.equal(model.all[3]!.context, 'location');
  });

  it('an unclosed Lua block is still an unclosed block', () => {
    const model = parseNginxConfig('location / {\n  access_by_lua_block {\n    ngx.exit(403)\n', {
      rootContext: 'server',
    });
    assert.ok(model.problems.some((p) => p.code === 'unclosed-block'));
  });
});

describe('module directives in hover and completion', () => {
  const text = 'server {\n    more_set_headers "A: b";\n    more_\n}\n';
  const model = parseNginxConfig(text, { rootContext: 'http' });
  const hoverAt = (workspace: NginxWorkspaceFacts) =>
    nginxHover(model, text.indexOf('more_set') + 2, { workspace })?.markdown ?? '';
  const completeAt = (workspace: NginxWorkspaceFacts) =>
    nginxCompletions(model, text.indexOf('more_\n') + 5, { workspace });

  it('hover names the module, its package and whether the workspace loads it', () => {
    const alone = hoverAt({});
    assert.match(alone, /headers-more module/);
    assert.match(alone, /libnginx-mod-http-headers-more-filter/);
    assert.match(alone, /load_module modules\/ngx_http_headers_more_filter_module\.so;/);
    const missing = hoverAt({
      modules: { mainConfig: '/w/nginx.conf', loaded: [], unresolvedIncludes: false },
    });
    assert.match(missing, /Not loaded by nginx\.conf/);
    const loaded = hoverAt({
      modules: {
        mainConfig: '/w/nginx.conf',
        loaded: ['ngx_http_headers_more_filter_module.so'],
        unresolvedIncludes: false,
      },
    });
    assert.match(loaded, /The workspace loads this module/);
  });

  it('completion offers module directives ranked after core ones unless the module is evidently loaded', () => {
    const find = (workspace: NginxWorkspaceFacts) =>
      completeAt(workspace).find((e) => e.label === 'more_set_headers');
    const core = completeAt({}).find((e) => e.label === 'add_header')!;
    const unloaded = find({})!;
    assert.ok(unloaded.sortText! > core.sortText!, 'ranked after core directives');
    assert.match(describeEntry(unloaded).detail ?? '', /headers-more module, if loaded/);
    const openresty = find({ staticModules: 'openresty' })!;
    assert.equal(openresty.sortText![0], core.sortText![0], 'an OpenResty build has it compiled in');
    assert.equal(describeEntry(openresty).detail, 'headers-more module');
    // Only where the module accepts it.
    assert.ok(completeAt({}).some((e) => e.label === 'rewrite_by_lua_block'));
    assert.ok(
      !completeAt({}).some((e) => e.label === 'lua_shared_dict'),
      'lua_shared_dict is for http {} only',
    );
  });
});
