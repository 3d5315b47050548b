// Reads nginx C sources: the ngx_command_t tables (directive name, flags, handler, post), the module that owns each
// table, and the ngx_conf_enum_t / ngx_conf_bitmask_t tables handlers use for their keywords. Pure text in, plain data
// out, so it works on nginx itself and on third-party modules alike. It is a reader for well-formed nginx sources, not a
// C parser: it understands comments, string literals, brace nesting and #if/#else/#endif lines, which is what the
// tables use.

/** nginx's NGX_CONF_TAKE* argument-count bits (bit n: n arguments accepted). */
const TAKE_BITS = {
  NGX_CONF_NOARGS: [0],
  NGX_CONF_TAKE1: [1],
  NGX_CONF_TAKE2: [2],
  NGX_CONF_TAKE3: [3],
  NGX_CONF_TAKE4: [4],
  NGX_CONF_TAKE5: [5],
  NGX_CONF_TAKE6: [6],
  NGX_CONF_TAKE7: [7],
  NGX_CONF_TAKE12: [1, 2],
  NGX_CONF_TAKE13: [1, 3],
  NGX_CONF_TAKE23: [2, 3],
  NGX_CONF_TAKE123: [1, 2, 3],
  NGX_CONF_TAKE1234: [1, 2, 3, 4],
};

/** Context flags → the context names of our NginxContext type. NGX_ANY_CONF is expanded by the caller. */
const CONTEXT_FLAGS = {
  NGX_MAIN_CONF: 'main',
  NGX_EVENT_CONF: 'events',
  NGX_HTTP_MAIN_CONF: 'http',
  NGX_HTTP_SRV_CONF: 'server',
  NGX_HTTP_LOC_CONF: 'location',
  NGX_HTTP_UPS_CONF: 'upstream',
  NGX_HTTP_SIF_CONF: 'if',
  NGX_HTTP_LIF_CONF: 'if',
  NGX_HTTP_LMT_CONF: 'limit_except',
  NGX_STREAM_MAIN_CONF: 'stream',
  NGX_STREAM_SRV_CONF: 'stream-server',
  NGX_STREAM_UPS_CONF: 'stream-upstream',
  NGX_MAIL_MAIN_CONF: 'mail',
  NGX_MAIL_SRV_CONF: 'mail-server',
};

/**
 * The contexts NGX_ANY_CONF stands for (nginx reads such a directive, `include`, wherever it reads a configuration
 * file, including the bodies of map, geo and types).
 */
export const ANY_CONF_CONTEXTS = Object.freeze([
  'main',
  'events',
  'http',
  'server',
  'location',
  'upstream',
  'if',
  'limit_except',
  'map',
  'geo',
  'types',
  'stream',
  'stream-server',
  'stream-upstream',
  'mail',
  'mail-server',
]);

/** A command's contexts with `any` (NGX_ANY_CONF) replaced by ANY_CONF_CONTEXTS. */
export function expandContexts(contexts) {
  return [...new Set(contexts.flatMap((c) => (c === 'any' ? ANY_CONF_CONTEXTS : [c])))];
}

/** Handlers whose value kind is known from nginx's generic slot functions. */
const SLOT_KINDS = {
  ngx_conf_set_flag_slot: 'flag',
  ngx_conf_set_msec_slot: 'msec',
  ngx_conf_set_sec_slot: 'sec',
  ngx_conf_set_size_slot: 'size',
  ngx_conf_set_off_slot: 'off',
  ngx_conf_set_num_slot: 'num',
  ngx_conf_set_enum_slot: 'enum',
  ngx_conf_set_bitmask_slot: 'bitmask',
};

/** Replaces comments by spaces (keeping line breaks), leaving string and character literals intact. */
export function stripComments(source) {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * The brace-delimited body starting at `open` (the index of `{`), as its top-level items: each `{ … }` item with the
 * preprocessor conditions in force where it starts. Returns the items and the index after the closing brace.
 */
function readItems(text, open) {
  const items = [];
  const conditions = [];
  let depth = 0;
  let start = -1;
  let at = open;
  let lineStart = true;
  for (; at < text.length; at++) {
    const c = text[at];
    if (lineStart && /[ \t]*#/y.test(text.slice(at, at + 200))) {
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end < 0 ? text.length : end).trim();
      const directive = /^#\s*(\w+)\s*(.*)$/.exec(line);
      if (directive) {
        const [, word, rest] = directive;
        if (word === 'if' || word === 'ifdef' || word === 'ifndef') {
          conditions.push(
            word === 'ifndef' ? `!defined(${rest})` : word === 'ifdef' ? `defined(${rest})` : rest,
          );
        } else if (word === 'else') {
          conditions.push(`!(${conditions.pop() ?? ''})`);
        } else if (word === 'elif') {
          const last = conditions.pop() ?? '';
          conditions.push(`!(${last}) && ${rest}`);
        } else if (word === 'endif') {
          conditions.pop();
        }
      }
      at = end < 0 ? text.length : end;
      lineStart = true;
      continue;
    }
    lineStart = c === '\n';
    if (c === '"') {
      let j = at + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      at = j;
      continue;
    }
    if (c === '{') {
      depth++;
      if (depth === 2) start = at;
    } else if (c === '}') {
      if (depth === 2) items.push({ text: text.slice(start + 1, at), conditions: [...conditions] });
      depth--;
      if (depth === 0) return { items, end: at + 1 };
    }
  }
  return { items, end: text.length };
}

/** Splits on commas outside parentheses and braces. */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let quote = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  const last = text.slice(from).trim();
  if (last) parts.push(last);
  return parts;
}

function stringLiteral(expression) {
  const match = /ngx_string\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)/.exec(expression);
  return match ? match[1] : undefined;
}

/** The identifier a `post` field points to: `&ngx_http_x_masks`, `&ngx_http_x[0]`, `ngx_x` → the table name. */
function pointee(expression) {
  const match = /^&?\s*(\w+)\s*(\[\s*0\s*\])?$/.exec(expression.trim());
  return match && match[1] !== 'NULL' ? match[1] : undefined;
}

/**
 * What a set of NGX_CONF_* argument flags accepts: `{ min, max, flag?, counts? }`, `max: null` for no upper bound;
 * `counts` lists the exact numbers when they are not a contiguous range (NGX_CONF_TAKE13 accepts 1 or 3, not 2).
 */
export function argsFromFlags(flags) {
  if (flags.includes('NGX_CONF_FLAG')) return { min: 1, max: 1, flag: true };
  if (flags.includes('NGX_CONF_ANY')) return { min: 0, max: null };
  if (flags.includes('NGX_CONF_2MORE')) return { min: 2, max: null };
  if (flags.includes('NGX_CONF_1MORE')) return { min: 1, max: null };
  const counts = [...new Set(flags.flatMap((f) => TAKE_BITS[f] ?? []))].sort((a, b) => a - b);
  // A block directive with no count flag takes no arguments before `{` (nginx checks the bits the same way).
  if (!counts.length) return { min: 0, max: 0 };
  const min = counts[0];
  const max = counts[counts.length - 1];
  const contiguous = counts.length === max - min + 1;
  return contiguous ? { min, max } : { min, max, counts };
}

/** The contexts named by a directive's flags (NGX_ANY_CONF is reported as `any`). */
export function contextsFromFlags(flags) {
  const contexts = new Set();
  for (const flag of flags) {
    if (flag === 'NGX_ANY_CONF') contexts.add('any');
    else if (CONTEXT_FLAGS[flag]) contexts.add(CONTEXT_FLAGS[flag]);
  }
  return [...contexts];
}

/**
 * The keyword tables of a source file: every `ngx_conf_enum_t NAME[]` and `ngx_conf_bitmask_t NAME[]`, as a map from
 * the table's name to `{ type: 'enum' | 'bitmask', values: string[] }` (the keywords in table order).
 */
export function readKeywordTables(source) {
  const text = stripComments(source);
  const tables = new Map();
  const declaration = /\bngx_conf_(enum|bitmask)_t\s+(\w+)\s*\[\s*\]\s*=\s*\{/g;
  for (let match; (match = declaration.exec(text));) {
    const open = match.index + match[0].length - 1;
    const { items, end } = readItems(text, open);
    const values = items.map((item) => stringLiteral(item.text)).filter((v) => v !== undefined);
    tables.set(match[2], { type: match[1], values: [...new Set(values)] });
    declaration.lastIndex = end;
  }
  return tables;
}

/**
 * Reads the ngx_command_t tables of one C source file.
 *
 * Returns one entry per command: `{ name, module, moduleType, table, flags, contexts, args, block, handler, post,
 * conditions, value? }`.
 * - `module` is the `ngx_module_t` whose definition names the table (undefined if the file defines no such module),
 *   `moduleType` its type (`NGX_HTTP_MODULE`, `NGX_CORE_MODULE`, …).
 * - `contexts` uses our context names (`main`, `http`, `server`, `location`, `if`, `stream-server`, …; `any` for
 *   NGX_ANY_CONF); `args` is `{ min, max, flag?, counts? }` (see argsFromFlags); `block` is true for NGX_CONF_BLOCK.
 * - `conditions` are the `#if` expressions around the command inside the table (e.g. `(NGX_HTTP_SSL)`).
 * - `value` is `{ kind, values? }` when the handler is one of nginx's generic slots (flag, msec, sec, size, off, num,
 *   enum, bitmask); enum/bitmask keywords come from `keywordTables` (defaults to this file's tables; pass a merged map
 *   when the table lives in another file).
 */
export function readCommands(source, keywordTables = readKeywordTables(source)) {
  const text = stripComments(source);
  const modules = new Map();
  const moduleDecl = /\bngx_module_t\s+(\w+)\s*=\s*\{/g;
  for (let match; (match = moduleDecl.exec(text));) {
    const open = match.index + match[0].length;
    const close = text.indexOf('}', open);
    const fields = splitTopLevel(text.slice(open, close < 0 ? text.length : close));
    // NGX_MODULE_V1, &ctx, commands, type, …
    const table = fields[2] && pointee(fields[2]);
    if (table) modules.set(table, { module: match[1], moduleType: fields[3] });
  }
  const commands = [];
  const tableDecl = /\bngx_command_t\s+(\w+)\s*\[\s*\]\s*=\s*\{/g;
  for (let match; (match = tableDecl.exec(text));) {
    const table = match[1];
    const owner = modules.get(table);
    const open = match.index + match[0].length - 1;
    const { items, end } = readItems(text, open);
    tableDecl.lastIndex = end;
    for (const item of items) {
      const fields = splitTopLevel(item.text);
      const name = fields[0] && stringLiteral(fields[0]);
      if (!name || fields.length < 2) continue;
      const flags = fields[1]
        .split('|')
        .map((f) => f.trim())
        .filter(Boolean);
      const handler = fields[2]?.trim();
      const post = fields[5] && fields[5] !== 'NULL' ? fields[5].trim() : undefined;
      const command = {
        name,
        module: owner?.module,
        moduleType: owner?.moduleType,
        table,
        flags,
        contexts: contextsFromFlags(flags),
        args: argsFromFlags(flags),
        block: flags.includes('NGX_CONF_BLOCK'),
        handler,
        post,
        conditions: item.conditions,
      };
      const kind = handler && SLOT_KINDS[handler];
      if (kind) {
        const value = { kind };
        if (kind === 'enum' || kind === 'bitmask') {
          const keywords = post && keywordTables.get(pointee(post) ?? '');
          if (keywords) value.values = keywords.values;
        }
        command.value = value;
      }
      commands.push(command);
    }
  }
  return commands;
}
