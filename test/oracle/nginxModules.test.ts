// Oracle: Debian's nginx (12's 1.22.1 and 13's 1.26.3) with third-party modules installed
// (libnginx-mod-http-headers-more-filter, -echo, -brotli-filter, -ndk, -lua, -set-misc, libnginx-mod-rtmp; in the trixie root by
// scripts/install-trixie-judges.sh) judges a main nginx.conf and a site file it includes, once with the module's
// load_module line and once without. nginx -t, with our analysis targeted at its version, must accept exactly what we
// leave without errors, and reject what we flag as an error.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '../../server/src/core/findings';
import { analyzeNginxConfig } from '../../server/src/languages/nginx/analyze';
import { nginxModuleCatalog } from '../../server/src/languages/nginx/modules';
import { parseNginxConfig } from '../../server/src/languages/nginx/parse';
import { genericNginxRules } from '../../server/src/languages/nginx/rules/genericRules';
import { indexNginxWorkspace } from '../../server/src/languages/nginx/workspace';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';
import { gunicornTarget, nginxTarget } from '../helpers/targets';

/** Site files (inside http), each using one module (`top`: lines of the main file's top level); some use it wrongly. */
const CASES: { name: string; module: string | string[]; site: string; top?: string }[] = [
  {
    name: 'headers-more, valid',
    module: 'ngx_http_headers_more_filter_module.so',
    site: [
      'server {',
      '    listen 127.0.0.1:8080;',
      '    more_set_headers "Server: web" "X-Frame-Options: DENY";',
      '    more_clear_headers X-Powered-By;',
      '    location /api/ {',
      '        more_set_input_headers "X-Real-Scheme: $scheme";',
      '        if ($request_method = POST) {',
      '            more_clear_input_headers Cookie;',
      '        }',
      '    }',
      '}',
    ].join('\n'),
  },
  {
    name: 'headers-more, no arguments',
    module: 'ngx_http_headers_more_filter_module.so',
    site: 'server {\n    listen 127.0.0.1:8080;\n    more_clear_headers;\n}',
  },
  {
    name: 'headers-more, in upstream',
    module: 'ngx_http_headers_more_filter_module.so',
    site: 'upstream app {\n    server 127.0.0.1:8000;\n    more_set_headers "A: b";\n}',
  },
  {
    name: 'echo, valid',
    module: 'ngx_http_echo_module.so',
    site: [
      'server {',
      '    listen 127.0.0.1:8080;',
      '    location /hello {',
      '        echo_status 200;',
      '        echo "hello";',
      '        echo_flush;',
      '    }',
      '}',
    ].join('\n'),
  },
  {
    name: 'echo, in server',
    module: 'ngx_http_echo_module.so',
    site: 'server {\n    listen 127.0.0.1:8080;\n    echo "hello";\n}',
  },
  {
    name: 'brotli, valid',
    module: 'ngx_http_brotli_filter_module.so',
    site: [
      'brotli on;',
      'brotli_comp_level 6;',
      'brotli_types text/css application/json;',
      'server {',
      '    listen 127.0.0.1:8080;',
      '    brotli_min_length 256;',
      '}',
    ].join('\n'),
  },
  {
    name: 'Lua, valid',
    module: ['ndk_http_module.so', 'ngx_http_lua_module.so'],
    site: [
      'lua_shared_dict hits 1m;',
      'server {',
      '    listen 127.0.0.1:8080;',
      '    location / {',
      '        # Lua, not nginx syntax: quotes in comments, braces and semicolons in strings, # as length.',
      '        content_by_lua_block {',
      "            local t = { '}', \"{;\" } -- it's fine {",
      '            --[[ a } long comment ]]',
      '            ngx.say(#t, [==[ ]] } ]==])',
      '        }',
      '    }',
      '}',
    ].join('\n'),
  },
  {
    name: 'Lua, block outside its contexts',
    module: ['ndk_http_module.so', 'ngx_http_lua_module.so'],
    site: 'server {\n    listen 127.0.0.1:8080;\n    content_by_lua_block {\n        ngx.say("x")\n    }\n}',
  },
  {
    // The statistics and control pages are http modules of rtmp's own .so: one load_module line serves both.
    name: 'rtmp statistics and control pages, valid',
    module: 'ngx_rtmp_module.so',
    site: [
      'server {',
      '    listen 127.0.0.1:8080;',
      '    location /stat {',
      '        rtmp_stat all;',
      '        rtmp_stat_stylesheet stat.xsl;',
      '    }',
      '    location /control {',
      '        rtmp_control all;',
      '    }',
      '}',
    ].join('\n'),
  },
  {
    name: 'rtmp statistics page, stylesheet without its file',
    module: 'ngx_rtmp_module.so',
    site: 'server {\n    listen 127.0.0.1:8080;\n    location /stat {\n        rtmp_stat all;\n        rtmp_stat_stylesheet;\n    }\n}',
  },
  {
    name: 'rtmp auto-push at the top level, valid',
    module: 'ngx_rtmp_module.so',
    top: 'rtmp_auto_push on;\nrtmp_auto_push_reconnect 1s;',
    site: 'server {\n    listen 127.0.0.1:8080;\n}',
  },
  {
    name: 'brotli, not a flag',
    module: 'ngx_http_brotli_filter_module.so',
    site: 'server {\n    listen 127.0.0.1:8080;\n    brotli on off;\n}',
  },
];

class Judge {
  readonly dir = mkdtempSync(join(tmpdir(), 'nginx-modules-oracle-'));

  constructor(private readonly set: JudgeSet) {
    mkdirSync(join(this.dir, 'temp'));
    symlinkSync(set.nginx.modulesDir, join(this.dir, 'modules'));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The main file: our own log and temp paths on the http line, so no line moves and nothing outside is written. */
  main(load: string | string[] | undefined, top = ''): string {
    const temp = join(this.dir, 'temp');
    const paths = [
      `access_log ${this.dir}/access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${temp}/${t};`),
    ].join(' ');
    const loads = (typeof load === 'string' ? [load] : (load ?? [])).map(
      (so) => `load_module modules/${so};\n`,
    );
    const lines = top ? `${top}\n` : '';
    return `${loads.join('')}${lines}events {\n}\nhttp { ${paths}\n    include ${this.dir}/sites-enabled/*;\n}\n`;
  }

  run(main: string, site: string): { ok: boolean; message: string } {
    mkdirSync(join(this.dir, 'sites-enabled'), { recursive: true });
    writeFileSync(join(this.dir, 'sites-enabled', 'app'), site);
    writeFileSync(join(this.dir, 'nginx.conf'), main);
    const globals = `pid ${join(this.dir, 'nginx.pid')}; error_log stderr;`;
    const r = this.set.nginx.run([
      '-t',
      '-q',
      '-p',
      `${this.dir}/`,
      '-c',
      join(this.dir, 'nginx.conf'),
      '-g',
      globals,
    ]);
    const output = `${r.stderr}${r.stdout}`;
    return {
      ok: r.status === 0,
      message: output.split('\n').find((l) => l.includes('[emerg]')) ?? output.trim(),
    };
  }

  /** Our errors for both files, analysed as the workspace the CLI would see (the main file includes the site). */
  ours(main: string, site: string): Finding[] {
    const files: Record<string, string> = {
      [join(this.dir, 'nginx.conf')]: main,
      [join(this.dir, 'sites-enabled', 'app')]: site,
    };
    const index = indexNginxWorkspace({
      seeds: Object.keys(files),
      allPaths: Object.keys(files),
      read: (path) => files[path],
    });
    return Object.entries(files).flatMap(([path, text]) => {
      const context = index.includedAt(path)?.context;
      const model = parseNginxConfig(text, context ? { rootContext: context } : {});
      return analyzeNginxConfig(model, {
        uri: `file://${path}`,
        path,
        ...gunicornTarget(this.set),
        workspace: index.factsFor(path),
        rules: genericNginxRules,
        ...nginxTarget(this.set),
      }).filter((f) => f.severity === 'error');
    });
  }
}

/**
 * Skips the test or suite when the judge set lacks one of the modules' .so files; on CI (scripts/test-all.sh installs
 * them on the host, scripts/install-trixie-judges.sh in the trixie root) that fails instead, so the suite cannot pass by
 * not running.
 */
function requireModules(context: Mocha.Context, set: JudgeSet, files: readonly string[]): void {
  const missing = files.filter((so) => !existsSync(set.hostPath(join(set.nginx.modulesDir, so))));
  if (!missing.length) return;
  const why = `${set.debian}'s nginx lacks the modules ${missing.join(', ')}`;
  if (process.env.CI) throw new Error(why);
  console.log(`      skipped: ${why}`);
  context.skip();
}

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx -t ${set.nginx.version} with and without load_module for third-party module directives`, function () {
    this.timeout(60000);
    let judge: Judge | undefined;

    before(function () {
      requireJudge(this, set, 'nginx');
      requireModules(this, set, [...new Set(CASES.flatMap((c) => c.module))]);
      judge = new Judge(set);
    });

    after(() => judge?.dispose());

    it('agrees with nginx -t on the order of load_module lines (Lua and set-misc need the devel kit first)', function () {
      requireModules(this, set, [
        'ndk_http_module.so',
        'ngx_http_lua_module.so',
        'ngx_http_set_misc_module.so',
      ]);
      const orders = [
        ['ngx_http_lua_module.so'],
        ['ndk_http_module.so', 'ngx_http_lua_module.so'],
        ['ngx_http_lua_module.so', 'ndk_http_module.so'],
        ['ngx_http_set_misc_module.so'],
        ['ndk_http_module.so', 'ngx_http_set_misc_module.so'],
        ['ndk_http_module.so'],
      ];
      const site = 'server {\n    listen 127.0.0.1:8080;\n}';
      const verdicts = orders.map((files) => {
        const main = files.map((f) => `load_module modules/${f};\n`).join('') + judge!.main(undefined);
        const nginx = judge!.run(main, site);
        const ours = judge!.ours(main, site);
        return `${files.join(' + ')}: nginx ${nginx.ok ? 'accepts' : 'fails'}, we report ${ours.length} error(s)`;
      });
      const disagreements = verdicts.filter((v) => /accepts, we report [1-9]|fails, we report 0/.test(v));
      assert.deepEqual(disagreements, [], verdicts.join('\n'));
      assert.ok(
        verdicts.some((v) => /fails/.test(v)) && verdicts.some((v) => /accepts/.test(v)),
        verdicts.join('\n'),
      );
    });

    it('uses modules the catalogue knows under the file names Debian installs', () => {
      for (const so of CASES.flatMap((c) => c.module)) assert.ok(nginxModuleCatalog().moduleOfFile(so), so);
    });

    it('agrees with nginx -t: with load_module we accept what it accepts; without, it fails where we report errors', () => {
      const disagreements: string[] = [];
      let failedWithout = 0;
      let acceptedWith = 0;
      for (const { name, module, site, top } of CASES) {
        for (const load of [module, undefined]) {
          const main = judge!.main(load, top);
          const verdict = judge!.run(main, site);
          const errors = judge!.ours(main, site);
          const label = `${name}, ${load ? 'with' : 'without'} load_module`;
          if (verdict.ok && errors.length) {
            disagreements.push(
              `${label}: nginx accepts it, we report ${errors.map((e) => e.message).join(' | ')}`,
            );
          } else if (!verdict.ok && !errors.length) {
            disagreements.push(`${label}: nginx fails (${verdict.message}), we report nothing`);
          }
          if (!load && !verdict.ok) failedWithout++;
          if (load && verdict.ok) acceptedWith++;
        }
      }
      assert.deepEqual(disagreements, [], disagreements.join('\n'));
      // The suite means something only if both sides occur: valid cases pass with the module, every case fails without.
      assert.equal(failedWithout, CASES.length);
      assert.equal(acceptedWith, CASES.filter((c) => c.name.endsWith('valid')).length);
    });
  });
}
