// scripts/lib/ngx-commands.mjs reads ngx_command_t tables out of C sources: checked on small C files written here.

import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Command {
  name: string;
  module?: string;
  moduleType?: string;
  contexts: string[];
  args: { min: number; max: number | null; flag?: boolean; counts?: number[] };
  block: boolean;
  handler?: string;
  conditions: string[];
  value?: { kind: string; values?: string[] };
}
interface Reader {
  readCommands(source: string, tables?: Map<string, { type: string; values: string[] }>): Command[];
  readKeywordTables(source: string): Map<string, { type: string; values: string[] }>;
}

const LIBRARY = pathToFileURL(join(__dirname, '..', '..', '..', 'scripts', 'lib', 'ngx-commands.mjs')).href;

const SOURCE = `
/* A module written for this test; not nginx's. { ngx_string("in_a_comment"), NGX_CONF_FLAG } */
static ngx_conf_enum_t  ngx_demo_modes[] = {
    { ngx_string("fast"), 1 },
    { ngx_string("safe"), 2 },
#if (NGX_DEMO_EXTRA)
    { ngx_string("extra"), 3 },
#endif
    { ngx_null_string, 0 }
};

static ngx_conf_bitmask_t  ngx_demo_events[] = {
    { ngx_string("open"), 0x01 },
    { ngx_string("close"), 0x02 },
    { ngx_null_string, 0 }
};

static ngx_command_t  ngx_demo_commands[] = {

    { ngx_string("demo_switch"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_HTTP_LIF_CONF
                        |NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_demo_conf_t, enable),
      NULL },

    // a line comment between entries
    { ngx_string("demo_mode"),
      NGX_HTTP_SRV_CONF|NGX_HTTP_SIF_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_enum_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_demo_conf_t, mode),
      &ngx_demo_modes },

    { ngx_string("demo_events"),
      NGX_HTTP_LOC_CONF|NGX_HTTP_LMT_CONF|NGX_CONF_1MORE,
      ngx_conf_set_bitmask_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_demo_conf_t, events),
      &ngx_demo_events[0] },

#if (NGX_DEMO_SSL)
    { ngx_string("demo_odd"),
      NGX_STREAM_SRV_CONF|NGX_STREAM_UPS_CONF|NGX_CONF_TAKE13,
      ngx_demo_odd,
      NGX_STREAM_SRV_CONF_OFFSET,
      0,
      NULL },
#else
    { ngx_string("demo_timeout"),
      NGX_MAIL_MAIN_CONF|NGX_MAIL_SRV_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_MAIL_SRV_CONF_OFFSET,
      offsetof(ngx_demo_conf_t, timeout),
      NULL },
#endif

    { ngx_string("demo_block"),
      NGX_MAIN_CONF|NGX_CONF_BLOCK|NGX_CONF_NOARGS,
      ngx_demo_block,
      0,
      0,
      NULL },

    { ngx_string("demo_anywhere"),
      NGX_ANY_CONF|NGX_CONF_TAKE12,
      ngx_demo_anywhere,
      0,
      0,
      NULL },

    { ngx_string("demo_many"),
      NGX_EVENT_CONF|NGX_CONF_2MORE,
      ngx_demo_many,
      0,
      0,
      "a string with } and { inside" },

      ngx_null_command
};

ngx_module_t  ngx_http_demo_module = {
    NGX_MODULE_V1,
    &ngx_http_demo_module_ctx,             /* module context */
    ngx_demo_commands,                     /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,
    NGX_MODULE_V1_PADDING
};
`;

describe('ngx-commands: reading ngx_command_t tables', () => {
  let reader: Reader;
  let commands: Command[];
  const byName = (name: string): Command => {
    const found = commands.find((c) => c.name === name);
    assert.ok(found, `no command ${name}`);
    return found;
  };

  before(async () => {
    reader = (await import(LIBRARY)) as Reader;
    commands = reader.readCommands(SOURCE);
  });

  it('finds every entry of the table, in order, and nothing from comments', () => {
    assert.deepEqual(
      commands.map((c) => c.name),
      [
        'demo_switch',
        'demo_mode',
        'demo_events',
        'demo_odd',
        'demo_timeout',
        'demo_block',
        'demo_anywhere',
        'demo_many',
      ],
    );
  });

  it('names the module that owns the table and its type', () => {
    for (const command of commands) {
      assert.equal(command.module, 'ngx_http_demo_module');
      assert.equal(command.moduleType, 'NGX_HTTP_MODULE');
    }
  });

  it('maps the context flags to our context names', () => {
    assert.deepEqual(byName('demo_switch').contexts, ['http', 'server', 'location', 'if']);
    assert.deepEqual(byName('demo_mode').contexts, ['server', 'if']);
    assert.deepEqual(byName('demo_events').contexts, ['location', 'limit_except']);
    assert.deepEqual(byName('demo_odd').contexts, ['stream-server', 'stream-upstream']);
    assert.deepEqual(byName('demo_timeout').contexts, ['mail', 'mail-server']);
    assert.deepEqual(byName('demo_block').contexts, ['main']);
    assert.deepEqual(byName('demo_anywhere').contexts, ['any']);
    assert.deepEqual(byName('demo_many').contexts, ['events']);
  });

  it('turns the argument flags into counts', () => {
    assert.deepEqual(byName('demo_switch').args, { min: 1, max: 1, flag: true });
    assert.deepEqual(byName('demo_mode').args, { min: 1, max: 1 });
    assert.deepEqual(byName('demo_events').args, { min: 1, max: null });
    assert.deepEqual(byName('demo_odd').args, { min: 1, max: 3, counts: [1, 3] });
    assert.deepEqual(byName('demo_block').args, { min: 0, max: 0 });
    assert.equal(byName('demo_block').block, true);
    assert.equal(byName('demo_switch').block, false);
    assert.deepEqual(byName('demo_anywhere').args, { min: 1, max: 2 });
    assert.deepEqual(byName('demo_many').args, { min: 2, max: null });
  });

  it('records the #if conditions around an entry, #else negated', () => {
    assert.deepEqual(byName('demo_switch').conditions, []);
    assert.deepEqual(byName('demo_odd').conditions, ['(NGX_DEMO_SSL)']);
    assert.deepEqual(byName('demo_timeout').conditions, ['!((NGX_DEMO_SSL))']);
  });

  it('gives value kinds for the generic slots, with enum and bitmask keywords, and none for custom handlers', () => {
    assert.deepEqual(byName('demo_switch').value, { kind: 'flag' });
    assert.deepEqual(byName('demo_mode').value, { kind: 'enum', values: ['fast', 'safe', 'extra'] });
    assert.deepEqual(byName('demo_events').value, { kind: 'bitmask', values: ['open', 'close'] });
    assert.deepEqual(byName('demo_timeout').value, { kind: 'msec' });
    assert.equal(byName('demo_odd').value, undefined);
    assert.equal(byName('demo_block').value, undefined);
  });

  it('reads keyword tables on their own, and uses tables from another file when given', () => {
    const tables = reader.readKeywordTables(SOURCE);
    assert.deepEqual([...tables.keys()], ['ngx_demo_modes', 'ngx_demo_events']);
    assert.equal(tables.get('ngx_demo_events')?.type, 'bitmask');
    const elsewhere = SOURCE.replace(/static ngx_conf_enum_t[\s\S]*?\n};\n/, '');
    assert.equal(
      reader.readCommands(elsewhere).find((c) => c.name === 'demo_mode')?.value?.values,
      undefined,
    );
    const joined = reader.readCommands(elsewhere, tables).find((c) => c.name === 'demo_mode');
    assert.deepEqual(joined?.value?.values, ['fast', 'safe', 'extra']);
  });

  it('survives truncated and junk input', () => {
    assert.deepEqual(reader.readCommands(''), []);
    assert.doesNotThrow(() => reader.readCommands(SOURCE.slice(0, SOURCE.length / 2)));
    assert.doesNotThrow(() => reader.readCommands('ngx_command_t x[] = { { ngx_string("a"'));
    assert.doesNotThrow(() => reader.readKeywordTables('ngx_conf_enum_t t[] = { /* unterminated'));
  });
});
