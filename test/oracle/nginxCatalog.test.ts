// Oracle: the real nginx (Debian 12's 1.22.1 and Debian 13's 1.26.3) judges our nginx catalogue, each with the
// entries that hold at its version (`availableAt`). Every described directive's example must pass
// `nginx -t` in each of its contexts; for a sample, nginx must reject it in a context we do not list and with an
// argument count outside `args`; "unique" must match nginx's "is duplicate" check; the names of other releases must be
// unknown to it, and each module it has must be known with all its names.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import data from '../../server/data/nginx/directives.json';
import {
  NGINX_CONTEXTS,
  type NginxCatalogData,
  type NginxContext,
  type NginxDirectiveInfo,
} from '../../server/src/languages/nginx/catalogTypes';
import { parseVersion, type Version } from '../../server/src/core/version';
import { availableAt } from '../../server/src/languages/nginx/versions';
import { JUDGE_SETS, requireJudge, type JudgeSet } from '../helpers/judges';

const full = data as unknown as NginxCatalogData;

type Described = NginxDirectiveInfo & { example: string };

/**
 * The entries we describe, over every release: the oracle needs their examples to build configurations (the generated
 * rest is read from the same source tables, and judged by name only).
 */
const described = full.directives.filter((d): d is Described => d.example !== undefined);

/** The described entries whose facts hold at `version`. */
function describedAt(version: Version): Described[] {
  return described.filter((d) => availableAt(d, version));
}

const ALL_CONTEXTS: readonly NginxContext[] = NGINX_CONTEXTS;
const STREAM_CONTEXTS: ReadonlySet<NginxContext> = new Set(['stream', 'stream-server', 'stream-upstream']);
/** Contexts whose body is not parsed as directives (map/geo/types/split_clients only take `include`). */
const VALUE_CONTEXTS: ReadonlySet<NginxContext> = new Set(['map', 'geo', 'types', 'split_clients']);

function key(d: NginxDirectiveInfo): string {
  return `${d.module}:${d.name}`;
}

function find(directives: readonly Described[], name: string, module: string): Described {
  const found = directives.find((d) => d.name === name && d.module === module);
  if (!found) throw new Error(`no catalogue entry ${module}:${name}`);
  return found;
}

/**
 * Directives that the base configuration already contains (the blocks, the shared-memory zones other examples refer
 * to, the stream module); the base must pass `nginx -t` on its own, which tests them.
 */
const BASE_MAIN = ['ngx_core_module:load_module', 'ngx_core_module:events', 'ngx_http_core_module:http'];
const BASE_HTTP = [
  'ngx_http_proxy_module:proxy_cache_path',
  'ngx_http_fastcgi_module:fastcgi_cache_path',
  'ngx_http_uwsgi_module:uwsgi_cache_path',
  'ngx_http_scgi_module:scgi_cache_path',
  'ngx_http_limit_req_module:limit_req_zone',
  'ngx_http_limit_conn_module:limit_conn_zone',
];
const BASE_STREAM = ['ngx_stream_core_module:stream', 'ngx_stream_limit_conn_module:limit_conn_zone'];
const IN_BASE = new Set([...BASE_MAIN, ...BASE_HTTP, ...BASE_STREAM]);

/** Other directives (module:name) an example needs next to it to be a complete configuration. */
const HTTP_CERT = ['ngx_http_ssl_module:ssl_certificate', 'ngx_http_ssl_module:ssl_certificate_key'];
const COMPANIONS: Record<string, string[]> = {
  'ngx_http_ssl_module:ssl_verify_client': [...HTTP_CERT, 'ngx_http_ssl_module:ssl_client_certificate'],
  'ngx_http_ssl_module:ssl_ocsp': [
    ...HTTP_CERT,
    'ngx_http_ssl_module:ssl_verify_client',
    'ngx_http_ssl_module:ssl_client_certificate',
  ],
  'ngx_http_proxy_module:proxy_ssl_certificate': ['ngx_http_proxy_module:proxy_ssl_certificate_key'],
  'ngx_http_proxy_module:proxy_ssl_certificate_key': ['ngx_http_proxy_module:proxy_ssl_certificate'],
  'ngx_stream_ssl_module:ssl_certificate': ['ngx_stream_ssl_module:ssl_certificate_key'],
  'ngx_stream_ssl_module:ssl_certificate_key': ['ngx_stream_ssl_module:ssl_certificate'],
  'ngx_stream_proxy_module:proxy_ssl_certificate': ['ngx_stream_proxy_module:proxy_ssl_certificate_key'],
  'ngx_stream_proxy_module:proxy_ssl_certificate_key': ['ngx_stream_proxy_module:proxy_ssl_certificate'],
};
/** Every http ssl_* directive is tried on a server that really has a certificate, so its files get loaded. */
function companions(d: NginxDirectiveInfo): string[] {
  const explicit = COMPANIONS[key(d)];
  if (explicit) return explicit;
  if (d.module === 'ngx_http_ssl_module') return HTTP_CERT.filter((k) => k !== key(d));
  return [];
}

/** One directive line placed in one context. */
interface Placement {
  directive: Described;
  context: NginxContext;
  /** the text written into the context (defaults to the example) */
  line?: string;
  /** label for messages */
  label?: string;
  /** without the companions the example normally gets */
  alone?: boolean;
}

interface Verdict {
  ok: boolean;
  output: string;
}

class NginxJudge {
  readonly dir: string;
  private readonly root: string;
  readonly hasStream: boolean;
  /** The described entries as they stand at the judge's version. */
  readonly directives: Described[];
  runs = 0;

  constructor(private readonly set: JudgeSet) {
    this.directives = describedAt(parseVersion(set.nginx.version)!);
    this.dir = mkdtempSync(join(tmpdir(), 'nginx-oracle-'));
    this.root = join(this.dir, 'root');
    this.hasStream = set.nginx.hasStream();
    try {
      this.makeFixtures();
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Files the examples point at (under /etc, /var, /run, remapped into the temp dir), made with openssl. */
  private makeFixtures(): void {
    const ssl = join(this.root, 'etc/nginx/ssl');
    for (const sub of [
      'etc/nginx/ssl',
      'var/log/nginx',
      'var/lib/nginx',
      'var/cache/nginx',
      'var/www',
      'run',
      'tmp',
    ]) {
      mkdirSync(join(this.root, sub), { recursive: true });
    }
    mkdirSync(join(this.dir, 'temp'), { recursive: true });
    symlinkSync(this.set.nginx.modulesDir, join(this.dir, 'modules'));
    writeFileSync(join(this.root, 'etc/nginx/mime.types'), '');
    writeFileSync(join(this.root, 'etc/nginx/.htpasswd'), 'user:{PLAIN}secret\n');
    writeFileSync(join(ssl, 'passwords.txt'), 'secret\n');
    writeFileSync(join(ssl, 'ticket.key'), Buffer.alloc(80, 7));
    writeFileSync(
      join(ssl, 'ca.cnf'),
      '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\n' +
        'default_crl_days = 3650\n',
    );
    writeFileSync(join(ssl, 'index.txt'), '');
    writeFileSync(join(ssl, 'crlnumber'), '01\n');
    const openssl = (args: string[]): void => {
      const r = spawnSync('openssl', args, { cwd: ssl, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
    };
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl([
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=Test CA',
    ]);
    for (const name of ['example.com', 'client']) {
      openssl([
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '3650',
        '-subj',
        `/CN=${name}`,
      ]);
    }
    openssl([
      'ca',
      '-config',
      'ca.cnf',
      '-gencrl',
      '-keyfile',
      'ca.key',
      '-cert',
      'ca.crt',
      '-out',
      'crl.pem',
    ]);
    openssl([
      'genpkey',
      '-genparam',
      '-algorithm',
      'DH',
      '-pkeyopt',
      'group:ffdhe2048',
      '-out',
      'dhparam.pem',
    ]);
    openssl([
      'ocsp',
      '-issuer',
      'ca.crt',
      '-cert',
      'example.com.crt',
      '-reqout',
      'ocsp-req.der',
      '-no_nonce',
    ]);
    openssl(
      ['ocsp', '-index', 'index.txt', '-rsigner', 'ca.crt', '-rkey', 'ca.key', '-CA', 'ca.crt'].concat([
        '-reqin',
        'ocsp-req.der',
        '-respout',
        'ocsp.der',
        '-ndays',
        '3650',
      ]),
    );
  }

  /** Absolute paths in examples (/etc/…, /var/…, /run/…) are moved under the temp dir. */
  remap(text: string): string {
    return text.replace(/(^|[\s=:'"])\/(etc|var|run|srv|usr\/share\/nginx)\//g, `$1${this.root}/$2/`);
  }

  private exampleOf(k: string): string {
    const [module, name] = k.split(':') as [string, string];
    return this.remap(this.find(name, module).example);
  }

  /** The entry of `module`'s directive `name` at the judge's version. */
  find(name: string, module: string): Described {
    return find(this.directives, name, module);
  }

  /** A whole configuration holding the placements; returns [nginx.conf text, -g globals]. */
  build(items: Placement[]): [string, string] {
    // in main, http and stream, plain directives go before blocks (map_hash_max_size after a map is "duplicate")
    const main: string[] = [];
    const mainBlocks: string[] = [];
    const events: string[] = [];
    const http: string[] = [];
    const httpBlocks: string[] = [];
    const stream: string[] = [];
    const streamBlocks: string[] = [];
    let n = 0;
    let port = 20000;
    const usesStream = items.some(
      (p) => STREAM_CONTEXTS.has(p.context) || p.directive.module.startsWith('ngx_stream_'),
    );
    for (const p of items) {
      n++;
      const d = p.directive;
      const extra = p.alone ? [] : companions(d).map((k) => this.exampleOf(k));
      const body = [...extra, this.remap(p.line ?? d.example)].join(' ');
      const srv = `server_name t${n}.test;`;
      switch (p.context) {
        case 'main':
          (d.block ? mainBlocks : main).push(body);
          break;
        case 'events':
          events.push(body);
          break;
        case 'http':
          (d.block ? httpBlocks : http).push(body);
          break;
        case 'server':
          httpBlocks.push(`server { ${srv} ${body} }`);
          break;
        case 'location':
          httpBlocks.push(`server { ${srv} location / { ${body} } }`);
          break;
        case 'if':
          httpBlocks.push(`server { ${srv} location / { if ($arg_t) { ${body} } } }`);
          break;
        case 'limit_except':
          httpBlocks.push(`server { ${srv} location / { limit_except GET { ${body} } } }`);
          break;
        case 'upstream': {
          const own = d.name === 'server' ? '' : 'server 127.0.0.1:9;';
          httpBlocks.push(`upstream t${n} { ${own} ${body} }`);
          break;
        }
        case 'map':
          httpBlocks.push(`map $arg_t $t_map${n} { ${body} }`);
          break;
        case 'geo':
          httpBlocks.push(`geo $t_geo${n} { ${body} }`);
          break;
        case 'types':
          httpBlocks.push(`server { ${srv} types { ${body} } }`);
          break;
        case 'split_clients':
          httpBlocks.push(`split_clients "$arg_t" $t_split${n} { ${body} }`);
          break;
        case 'stream':
          (d.block ? streamBlocks : stream).push(body);
          break;
        case 'stream-server': {
          const handler =
            ['proxy_pass', 'return'].includes(d.name) && d.module.startsWith('ngx_stream_')
              ? ''
              : 'return ok;';
          streamBlocks.push(`server { listen 127.0.0.1:${port++}; ${handler} ${body} }`);
          break;
        }
        case 'stream-upstream': {
          const own = d.name === 'server' ? '' : 'server 127.0.0.1:9;';
          streamBlocks.push(`upstream t${n} { ${own} ${body} }`);
          break;
        }
        default:
          throw new Error(`cannot place ${p.context}`);
      }
    }
    const named = (lines: string[], name: string): boolean =>
      lines.some((l) => new RegExp(`^${name}\\s`).test(l));
    const temp = join(this.dir, 'temp');
    const httpBase = [
      `access_log ${this.root}/var/log/nginx/base-access.log;`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .filter((t) => !named(http, `${t}_temp_path`))
        .map((t) => `${t}_temp_path ${temp}/${t};`),
      ...BASE_HTTP.map((k) => this.exampleOf(k)),
    ];
    const conf = [
      ...(usesStream && this.hasStream ? [this.exampleOf('ngx_core_module:load_module')] : []),
      ...main,
      ...mainBlocks,
      `events { ${events.join('\n')} }`,
      `http {\n${[...httpBase, ...http, ...httpBlocks].join('\n')}\n}`,
      ...(usesStream && this.hasStream
        ? [
            `stream {\n${[...BASE_STREAM.slice(1).map((k) => this.exampleOf(k)), ...stream, ...streamBlocks].join('\n')}\n}`,
          ]
        : []),
    ].join('\n');
    const globals = [
      named(main, 'daemon') ? '' : 'daemon off;',
      named(main, 'pid') ? '' : `pid ${join(this.dir, 'nginx.pid')};`,
      'error_log stderr;',
    ].join(' ');
    return [conf, globals];
  }

  run(items: Placement[]): Verdict {
    const [conf, globals] = this.build(items);
    const path = join(this.dir, 'nginx.conf');
    writeFileSync(path, `${conf}\n`);
    this.runs++;
    const r = this.set.nginx.run(['-t', '-p', `${this.dir}/`, '-c', path, '-g', globals]);
    return { ok: r.status === 0, output: `${r.stderr}${r.stdout}`.trim() };
  }

  /** Runs a batch; on failure bisects it and names each placement that nginx rejects in every run it is in. */
  culprits(items: Placement[]): string[] {
    if (items.length === 0) return [];
    const verdict = this.run(items);
    if (verdict.ok) return [];
    if (items.length === 1) {
      const p = items[0]!;
      return [`${p.label ?? key(p.directive)} in ${p.context}: ${emerg(verdict.output)}`];
    }
    const mid = Math.ceil(items.length / 2);
    const found = [...this.culprits(items.slice(0, mid)), ...this.culprits(items.slice(mid))];
    // When both halves pass, every placement was accepted in some run: the batch only failed because two
    // examples clash (say, the same companion twice in `http`), which says nothing about the catalogue.
    return found;
  }
}

/** The [emerg] line of nginx's output, else all of it. */
function emerg(output: string): string {
  return output.split('\n').find((l) => l.includes('[emerg]')) ?? output;
}

function testable(ctx: NginxContext, judge: NginxJudge): boolean {
  if (ctx === 'mail' || ctx === 'mail-server') return false;
  return judge.hasStream || !STREAM_CONTEXTS.has(ctx);
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Directives (name, module) whose wrong context and wrong argument count we ask nginx to reject. */
const REJECTION_SAMPLE: [string, string][] = [
  ['worker_processes', 'ngx_core_module'],
  ['user', 'ngx_core_module'],
  ['pid', 'ngx_core_module'],
  ['worker_connections', 'ngx_core_module'],
  ['multi_accept', 'ngx_core_module'],
  ['events', 'ngx_core_module'],
  ['http', 'ngx_http_core_module'],
  ['server', 'ngx_http_core_module'],
  ['listen', 'ngx_http_core_module'],
  ['server_name', 'ngx_http_core_module'],
  ['location', 'ngx_http_core_module'],
  ['alias', 'ngx_http_core_module'],
  ['root', 'ngx_http_core_module'],
  ['try_files', 'ngx_http_core_module'],
  ['internal', 'ngx_http_core_module'],
  ['limit_except', 'ngx_http_core_module'],
  ['client_max_body_size', 'ngx_http_core_module'],
  ['keepalive_timeout', 'ngx_http_core_module'],
  ['sendfile', 'ngx_http_core_module'],
  ['error_page', 'ngx_http_core_module'],
  ['server_names_hash_bucket_size', 'ngx_http_core_module'],
  ['upstream', 'ngx_http_upstream_module'],
  ['server', 'ngx_http_upstream_module'],
  ['keepalive', 'ngx_http_upstream_module'],
  ['ip_hash', 'ngx_http_upstream_module'],
  ['hash', 'ngx_http_upstream_module'],
  ['proxy_pass', 'ngx_http_proxy_module'],
  ['proxy_set_header', 'ngx_http_proxy_module'],
  ['proxy_read_timeout', 'ngx_http_proxy_module'],
  ['proxy_buffering', 'ngx_http_proxy_module'],
  ['proxy_http_version', 'ngx_http_proxy_module'],
  ['proxy_cache_path', 'ngx_http_proxy_module'],
  ['fastcgi_pass', 'ngx_http_fastcgi_module'],
  ['uwsgi_pass', 'ngx_http_uwsgi_module'],
  ['ssl_certificate', 'ngx_http_ssl_module'],
  ['ssl_protocols', 'ngx_http_ssl_module'],
  ['gzip', 'ngx_http_gzip_module'],
  ['log_format', 'ngx_http_log_module'],
  ['access_log', 'ngx_http_log_module'],
  ['map', 'ngx_http_map_module'],
  ['rewrite', 'ngx_http_rewrite_module'],
  ['return', 'ngx_http_rewrite_module'],
  ['if', 'ngx_http_rewrite_module'],
  ['set', 'ngx_http_rewrite_module'],
  ['limit_req_zone', 'ngx_http_limit_req_module'],
  ['limit_req', 'ngx_http_limit_req_module'],
  ['add_header', 'ngx_http_headers_module'],
  ['geo', 'ngx_http_geo_module'],
  ['http2_max_concurrent_streams', 'ngx_http_v2_module'],
  ['stream', 'ngx_stream_core_module'],
  ['listen', 'ngx_stream_core_module'],
  ['proxy_pass', 'ngx_stream_proxy_module'],
  ['proxy_timeout', 'ngx_stream_proxy_module'],
  ['ssl_preread', 'ngx_stream_ssl_preread_module'],
];

describe('the nginx catalogue', function () {
  it('has the releases of both judges, and one entry per module and name at each', () => {
    for (const set of JUDGE_SETS) {
      assert.ok(full.versions.includes(set.nginx.version), `the catalogue has nginx ${set.nginx.version}`);
      const seen = new Set<string>();
      for (const d of full.directives.filter((e) => availableAt(e, parseVersion(set.nginx.version)!))) {
        const where = `${d.sourceModule ?? d.module}:${d.name}`;
        assert.ok(!seen.has(where), `${where} appears twice at ${set.nginx.version}`);
        seen.add(where);
      }
    }
  });

  it('is well-formed', () => {
    for (const d of described) {
      const where = `${d.sourceModule ?? d.module}:${d.name}${d.since ? ` since ${d.since}` : ''}`;
      assert.match(d.name, /^[a-z0-9_]+$/, where);
      assert.ok(d.contexts.length > 0, `${where} has no contexts`);
      for (const c of d.contexts) assert.ok(ALL_CONTEXTS.includes(c), `${where}: unknown context ${c}`);
      assert.ok(d.args.min >= 0 && (d.args.max === null || d.args.max >= d.args.min), `${where}: args`);
      if (d.args.flag) {
        assert.deepEqual([d.args.min, d.args.max], [1, 1], `${where}: flag takes one argument`);
      }
      assert.equal(Boolean(d.block), Boolean(d.opens), `${where}: block and opens go together`);
      if (d.opens) assert.ok(ALL_CONTEXTS.includes(d.opens), `${where}: opens ${d.opens}`);
      assert.ok(
        d.example.startsWith(`${d.name} `) || d.example === `${d.name};`,
        `${where}: example names it`,
      );
      assert.ok(
        d.block ? d.example.endsWith('}') : d.example.endsWith(';'),
        `${where}: example ends the directive`,
      );
      assert.ok(d.doc.length > 20 && d.doc.length < 400, `${where}: doc length`);
      assert.match(
        d.docsUrl,
        /^https:\/\/nginx\.org\/en\/docs\/[a-z0-9/_]+\.html#[a-z0-9_]+$/,
        `${where}: docsUrl`,
      );
      assert.ok(
        d.docsUrl.includes(`${d.module}.html#${d.name}`),
        `${where}: docsUrl names module and directive`,
      );
      if (d.since) assert.match(d.since, /^1\.\d+\.\d+$/, `${where}: since`);
      if (d.until) assert.match(d.until, /^1\.\d+\.\d+$/, `${where}: until`);
    }
    const vars = new Set<string>();
    for (const v of full.variables) {
      assert.ok(!vars.has(v.name), `$${v.name} appears twice`);
      vars.add(v.name);
      assert.match(v.name, /^[a-z0-9_]+$/, v.name);
      assert.equal(Boolean(v.prefix), v.name.endsWith('_'), `$${v.name}: prefix names end with _`);
      assert.ok(v.doc.length > 10, `$${v.name}: doc`);
    }
  });
});

for (const set of JUDGE_SETS) {
  describe(`oracle: ${set.debian}'s nginx ${set.nginx.version} against our nginx catalogue`, function () {
    const version = parseVersion(set.nginx.version)!;
    /** The described entries whose facts hold at the judge's version. */
    const directives = describedAt(version);
    this.timeout(120000);
    let judge: NginxJudge | undefined;

    before(function () {
      requireJudge(this, set, 'nginx');
      judge = new NginxJudge(set);
    });

    after(() => judge?.dispose());

    it('the base configuration passes nginx -t', () => {
      const verdict = judge!.run([]);
      assert.ok(verdict.ok, verdict.output);
      if (judge!.hasStream) {
        const stream = judge!.find('tcp_nodelay', 'ngx_stream_core_module');
        const streamVerdict = judge!.run([{ directive: stream, context: 'stream' }]);
        assert.ok(streamVerdict.ok, streamVerdict.output);
      }
    });

    it('accepts every example in every context we list', () => {
      const j = judge!;
      const placements: Placement[] = [];
      for (const d of directives) {
        if (IN_BASE.has(key(d))) continue;
        for (const context of d.contexts) {
          if (testable(context, j)) placements.push({ directive: d, context });
        }
      }
      const failures = batches(placements, 150).flatMap((batch) => j.culprits(batch));
      assert.deepEqual(failures, [], `nginx rejected ${failures.length} placements:\n${failures.join('\n')}`);
    });

    it('agrees with nginx on which directives are unique in their context', () => {
      const j = judge!;
      const mismatches: string[] = [];
      const repeatable: Placement[] = [];
      for (const d of directives) {
        if (IN_BASE.has(key(d)) || d.block) continue;
        const context = d.contexts.find((c) => testable(c, j) && !VALUE_CONTEXTS.has(c));
        if (!context) continue;
        const twice = `${d.example} ${d.example}`;
        if (d.uniquePerZone) {
          // Refused twice with one zone, accepted with a second zone defined beside it.
          const same = j.run([{ directive: d, context, line: twice }]);
          if (same.ok || !same.output.includes(`"${d.name}" directive is duplicate`)) {
            mismatches.push(
              `${key(d)} is marked unique per zone, but one zone twice gives: ${emerg(same.output) || 'ok'}`,
            );
          }
          const zoneDirective = d.module.replace(/_module$/, '').replace(/^ngx_(http|stream)_/, '') + '_zone';
          const zoneEntry = directives.find((z) => z.name === zoneDirective && z.module === d.module);
          const zoneContext = zoneEntry?.contexts.find((c) => testable(c, j));
          const zone = /zone=(\w+)/.exec(zoneEntry?.example ?? '')?.[1];
          if (!zoneEntry || !zoneContext || !zone || !d.contexts.includes(zoneContext)) {
            mismatches.push(`${key(d)}: no zone directive to define a second zone with`);
            continue;
          }
          const second = `${zoneEntry.example.replace(`zone=${zone}:`, 'zone=oracle_second:')} ${d.example} ${d.example.replace(zone, 'oracle_second')}`;
          const twoZones = j.run([{ directive: d, context: zoneContext, line: second }]);
          if (!twoZones.ok) mismatches.push(`${key(d)} with two zones: ${emerg(twoZones.output)}`);
        } else if (d.unique) {
          const verdict = j.run([{ directive: d, context, line: twice }]);
          if (verdict.ok || !verdict.output.includes(`"${d.name}" directive is duplicate`)) {
            mismatches.push(`${key(d)} is marked unique, but nginx says: ${emerg(verdict.output) || 'ok'}`);
          }
        } else {
          repeatable.push({ directive: d, context, line: twice, label: `${key(d)} (twice)` });
        }
      }
      for (const batch of batches(repeatable, 150)) {
        for (const failure of j.culprits(batch)) {
          if (failure.includes('is duplicate')) mismatches.push(`not marked unique: ${failure}`);
        }
      }
      assert.deepEqual(mismatches, [], mismatches.join('\n'));
    });

    it('knows every variable of the catalogue (and nginx rejects one it does not know)', () => {
      const j = judge!;
      const set = j.find('set', 'ngx_http_rewrite_module');
      const streamReturn = j.find('return', 'ngx_stream_return_module');
      const placements: Placement[] = full.variables.flatMap((v, i): Placement[] => {
        const name = v.prefix ? `${v.name}x` : v.name;
        if (!v.module.startsWith('ngx_stream_')) {
          return [
            { directive: set, context: 'location', line: `set $t_var${i} "$${name}";`, label: `$${v.name}` },
          ];
        }
        if (!j.hasStream) return [];
        return [
          {
            directive: streamReturn,
            context: 'stream-server',
            line: `return "$${name}";`,
            label: `$${v.name}`,
          },
        ];
      });
      const failures = batches(placements, 150).flatMap((batch) => j.culprits(batch));
      assert.deepEqual(failures, [], failures.join('\n'));
      const unknown = j.run([{ directive: set, context: 'location', line: 'set $t "$no_such_variable";' }]);
      assert.ok(
        !unknown.ok && unknown.output.includes('unknown "no_such_variable" variable'),
        unknown.output,
      );
    });

    it('rejects a sample of directives outside their contexts', () => {
      const j = judge!;
      const problems: string[] = [];
      let tried = 0;
      REJECTION_SAMPLE.forEach(([name, module], i) => {
        const d = j.find(name, module);
        // a name may have several entries (http and stream proxy_pass): stay outside all of them
        const allowed = new Set(directives.filter((o) => o.name === name).flatMap((o) => o.contexts));
        const wrong = ALL_CONTEXTS.filter((c) => !allowed.has(c) && !VALUE_CONTEXTS.has(c) && testable(c, j));
        const context = wrong[i % wrong.length];
        if (!context) return;
        tried++;
        const verdict = j.run([{ directive: d, context, alone: true }]);
        if (verdict.ok || !verdict.output.includes(`"${name}" directive is not allowed here`)) {
          problems.push(`${key(d)} in ${context}: ${verdict.ok ? 'accepted' : emerg(verdict.output)}`);
        }
      });
      assert.ok(tried >= 40, `only ${tried} directives tried`);
      assert.deepEqual(problems, [], problems.join('\n'));
    });

    it('agrees with nginx on which names this release has: names of other releases are unknown to it', () => {
      const j = judge!;
      const here = new Set(full.directives.filter((d) => availableAt(d, version)).map((d) => d.name));
      // A name a distribution backported (Debian's max_headers) may be there: the catalogue says so instead.
      const elsewhere = [...new Set(full.directives.filter((d) => !d.backported).map((d) => d.name))].filter(
        (name) => !here.has(name),
      );
      assert.ok(elsewhere.length >= 20, `only ${elsewhere.length} names of other releases`);
      const problems: string[] = [];
      for (const name of elsewhere) {
        const entry = full.directives.find((d) => d.name === name)!;
        const line = `${name} on;`;
        const verdict = j.run([{ directive: { ...entry, example: line }, context: 'server', alone: true }]);
        if (!verdict.output.includes(`unknown directive "${name}"`)) {
          problems.push(`${name}: ${verdict.ok ? 'accepted' : emerg(verdict.output)}`);
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });

    it('agrees with nginx on the names of each module it has, described or generated (a module is all in or all out)', () => {
      const j = judge!;
      const atVersion = full.directives.filter((d) => availableAt(d, version));
      const moduleOf = (d: NginxDirectiveInfo): string => d.sourceModule ?? d.module;
      const modulesByName = new Map<string, Set<string>>();
      for (const d of atVersion) {
        modulesByName.set(d.name, (modulesByName.get(d.name) ?? new Set()).add(moduleOf(d)));
      }
      // A name two modules share says nothing about either (nginx knows it if one of them is built).
      const verdicts = new Map<string, { known: string[]; unknown: string[] }>();
      let tried = 0;
      for (const d of atVersion) {
        if (modulesByName.get(d.name)!.size > 1) continue;
        const context = d.contexts.find((c) => !VALUE_CONTEXTS.has(c) && testable(c, j));
        if (!context) continue;
        const line = `${d.name}${' on'.repeat(d.args.min)}${d.block ? ' { }' : ';'}`;
        const verdict = j.run([{ directive: { ...d, example: line }, context, alone: true }]);
        const bucket = verdicts.get(moduleOf(d)) ?? { known: [], unknown: [] };
        (verdict.output.includes(`unknown directive "${d.name}"`) ? bucket.unknown : bucket.known).push(
          d.name,
        );
        verdicts.set(moduleOf(d), bucket);
        tried++;
      }
      assert.ok(tried >= 300, `only ${tried} directives tried`);
      const mixed = [...verdicts]
        .filter(([, v]) => v.known.length && v.unknown.length)
        .map(
          ([module, v]) =>
            `${module}: nginx does not know ${v.unknown.join(', ')} but knows ${v.known.join(', ')}`,
        );
      assert.deepEqual(mixed, [], mixed.join('\n'));
      // The modules every nginx build has must be there.
      for (const module of [
        'ngx_http_core_module',
        'ngx_http_proxy_module',
        'ngx_http_rewrite_module',
        'ngx_core_module',
      ]) {
        assert.ok(verdicts.get(module)?.known.length, `${module} is in every build`);
      }
    });

    it('rejects a sample of directives with an argument count outside args', () => {
      const j = judge!;
      const problems: string[] = [];
      let tried = 0;
      for (const [name, module] of REJECTION_SAMPLE) {
        const d = j.find(name, module);
        const context = d.contexts.find((c) => testable(c, j));
        const count = d.args.min > 0 ? d.args.min - 1 : d.args.max !== null ? d.args.max + 1 : undefined;
        if (!context || count === undefined) continue;
        tried++;
        const words = Array.from({ length: count }, (_, k) => `a${k}`);
        const line = [name, ...words].join(' ') + (d.block ? ' { }' : ';');
        const verdict = j.run([{ directive: d, context, line, alone: true }]);
        if (verdict.ok || !verdict.output.includes(`invalid number of arguments in "${name}" directive`)) {
          problems.push(`${line} in ${context}: ${verdict.ok ? 'accepted' : emerg(verdict.output)}`);
        }
      }
      assert.ok(tried >= 40, `only ${tried} directives tried`);
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  });
}
