// Module-level facts of a Python file: its top-level names and their kinds, which web framework's app a name holds, and
// the modules it imports (when the import runs: while the module is imported, or later inside a function).

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';

/** Whether an app object speaks WSGI (one call per request) or ASGI (an async callable per connection). */
export type AppProtocol = 'wsgi' | 'asgi';

/** A web app made by a known framework call, e.g. `Flask(__name__)` imported from flask. */
export interface AppEvidence {
  framework: string;
  protocol: AppProtocol;
  /** The call as written (`Flask(__name__)`), for messages. */
  call: string;
}

export type TopLevelKind = 'assignment' | 'function' | 'class' | 'import';

export interface TopLevelName {
  name: string;
  kind: TopLevelKind;
  /** Offsets of the name where it is bound. */
  from: number;
  to: number;
  /** True when bound inside an `if`/`try`/`with`/loop at module level (may not happen). */
  conditional: boolean;
  /** The app an assignment's value creates (`app = Flask(__name__)`). */
  app?: AppEvidence;
  /** For a `def`: the app its body creates (an app factory). */
  creates?: AppEvidence;
  /** For a `def`: how many positional parameters it takes (`Infinity` with `*args`) and how many are required. */
  positional?: { max: number; required: number };
  /** For a `def`: `async def`. */
  isAsync?: boolean;
  /** For a `def` or `class`: decorated (a decorator may replace it with anything). */
  decorated?: boolean;
}

/** One module an `import` statement names (`import psycopg2.extras` → `psycopg2.extras`; `from a import b` → `a`). */
export interface ImportedModule {
  /** The dotted module name as written, without leading dots. */
  module: string;
  /** `from . import x` / `from .models import y`: a module of the same package, never an installed one. */
  relative: boolean;
  /**
   * `module`: runs while the module is imported (top level, or inside module-level if/try/with/loops and class
   * bodies); `function`: inside a def or lambda, so only when that function is called (after a fork, usually).
   */
  runs: 'module' | 'function';
  /** True for a module-level import inside if/try/with/loops (it may not run, e.g. `except ImportError`). */
  conditional: boolean;
  /** Offsets of the module name in the statement. */
  from: number;
  to: number;
}

export interface PythonModuleFacts {
  /** Every module-level binding by name, in source order. */
  names: Map<string, TopLevelName[]>;
  /** Every import statement's modules, in source order (each name of `import a, b` separately). */
  imports: ImportedModule[];
  /**
   * True when names can appear that this reading cannot see: `from x import *`, a module `__getattr__`, writes to
   * `globals()`, `exec`, `setattr` on the module: then a name missing here may still exist at run time.
   */
  open: boolean;
  /** True when the parser found a syntax error (Gunicorn would fail to import such a module). */
  syntaxError: boolean;
}

/** Framework calls that create an app, by the dotted name they are imported as. */
const APP_FACTORIES: ReadonlyMap<string, { framework: string; protocol: AppProtocol }> = new Map([
  ['flask.Flask', { framework: 'Flask', protocol: 'wsgi' }],
  ['django.core.wsgi.get_wsgi_application', { framework: 'Django', protocol: 'wsgi' }],
  ['django.core.asgi.get_asgi_application', { framework: 'Django', protocol: 'asgi' }],
  ['bottle.Bottle', { framework: 'Bottle', protocol: 'wsgi' }],
  ['falcon.App', { framework: 'Falcon', protocol: 'wsgi' }],
  ['falcon.API', { framework: 'Falcon', protocol: 'wsgi' }],
  ['falcon.asgi.App', { framework: 'Falcon', protocol: 'asgi' }],
  ['fastapi.FastAPI', { framework: 'FastAPI', protocol: 'asgi' }],
  ['starlette.applications.Starlette', { framework: 'Starlette', protocol: 'asgi' }],
  ['quart.Quart', { framework: 'Quart', protocol: 'asgi' }],
  ['litestar.Litestar', { framework: 'Litestar', protocol: 'asgi' }],
]);

/** Bracket depth (counted without regard to strings) beyond which a file is not parsed. */
const MAX_DEPTH = 200;

function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // ( [ {  and  ) ] }
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Files bigger than this are not read for facts (a generated module): nothing is claimed about them. */
const MAX_TEXT = 1_000_000;

/** The module-level facts of a Python source; never throws (an unreadable file gives an open, empty result). */
export function pythonModuleFacts(text: string): PythonModuleFacts {
  const facts: PythonModuleFacts = { names: new Map(), imports: [], open: false, syntaxError: false };
  // Pathologically nested brackets make the parser's error recovery slow (or exhaust its stack): claim nothing.
  if (text.length > MAX_TEXT || bracketDepth(text) > MAX_DEPTH) return { ...facts, open: true };
  try {
    const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
    const tree = parser.parse(source);
    new FactsReader(source, facts).read(tree.topNode);
  } catch {
    return { names: new Map(), imports: [], open: true, syntaxError: false };
  }
  return facts;
}

const BLOCKS = new Set(['IfStatement', 'TryStatement', 'WithStatement', 'ForStatement', 'WhileStatement']);

class FactsReader {
  /** Local name → the dotted name it was imported as (`Flask` → `flask.Flask`, `web` → `aiohttp.web`). */
  private readonly imports = new Map<string, string>();

  constructor(
    private readonly text: string,
    private readonly facts: PythonModuleFacts,
  ) {}

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private bind(entry: TopLevelName): void {
    const list = this.facts.names.get(entry.name) ?? [];
    list.push(entry);
    this.facts.names.set(entry.name, list);
  }

  read(top: SyntaxNode): void {
    // Imports anywhere (a factory often imports its framework inside the function) say what a called name is.
    const cursor = top.cursor();
    let steps = 0;
    do {
      if (++steps > 200_000) break;
      if (cursor.name === 'ImportStatement') {
        this.importStatement(cursor.node, false, false);
        this.recordImports(cursor.node);
      }
    } while (cursor.next());
    // Statements of the module and of blocks that run at import time, iteratively (no recursion on deep nesting).
    const queue: { node: SyntaxNode; conditional: boolean }[] = [{ node: top, conditional: false }];
    while (queue.length) {
      const { node, conditional } = queue.shift()!;
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.type.isError) this.facts.syntaxError = true;
        this.statement(child, conditional, queue);
      }
    }
    this.scanForOpenness(top);
  }

  private statement(
    node: SyntaxNode,
    conditional: boolean,
    queue: { node: SyntaxNode; conditional: boolean }[],
  ): void {
    switch (node.name) {
      case 'ImportStatement':
        this.importStatement(node, conditional, true);
        return;
      case 'AssignStatement':
        this.assignment(node, conditional);
        return;
      case 'FunctionDefinition':
        this.functionDefinition(node, conditional, false);
        return;
      case 'ClassDefinition':
        this.classDefinition(node, conditional, false);
        return;
      case 'DecoratedStatement': {
        const inner = node.getChild('FunctionDefinition') ?? node.getChild('ClassDefinition');
        if (inner?.name === 'FunctionDefinition') this.functionDefinition(inner, conditional, true);
        else if (inner) this.classDefinition(inner, conditional, true);
        return;
      }
      default:
        if (BLOCKS.has(node.name)) {
          for (let child = node.firstChild; child; child = child.nextSibling) {
            if (child.name === 'Body') queue.push({ node: child, conditional: true });
          }
        }
    }
  }

  /** The modules one import statement names, with when the statement runs. */
  private recordImports(node: SyntaxNode): void {
    let runs: ImportedModule['runs'] = 'module';
    let conditional = false;
    for (let up = node.parent; up; up = up.parent) {
      if (up.name === 'FunctionDefinition' || up.name === 'LambdaExpression') {
        runs = 'function';
        break;
      }
      if (BLOCKS.has(up.name)) conditional = true;
    }
    const parts: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) parts.push(child);
    const add = (names: SyntaxNode[], relative: boolean): void => {
      if (!names.length) return;
      const first = names[0]!;
      const last = names[names.length - 1]!;
      const module = names.map((n) => this.slice(n)).join('.');
      this.facts.imports.push({ module, relative, runs, conditional, from: first.from, to: last.to });
    };
    if (parts[0]?.name === 'from') {
      const importAt = parts.findIndex((p) => p.name === 'import');
      const origin = parts.slice(1, importAt < 0 ? parts.length : importAt);
      const relative =
        origin.some((p) => p.name === '.' || p.name === 'Ellipsis') && origin[0]?.name !== 'VariableName';
      add(
        origin.filter((p) => p.name === 'VariableName'),
        relative,
      );
      return;
    }
    // `import a.b as c, d`: each comma-separated dotted name is one module.
    let dotted: SyntaxNode[] = [];
    let alias = false;
    for (const part of parts.slice(1)) {
      if (part.name === ',') {
        add(dotted, false);
        dotted = [];
        alias = false;
      } else if (part.name === 'as') alias = true;
      else if (part.name === 'VariableName' && !alias) dotted.push(part);
    }
    add(dotted, false);
  }

  private importStatement(node: SyntaxNode, conditional: boolean, bind: boolean): void {
    const isFrom = node.firstChild?.name === 'from';
    const parts: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) parts.push(child);
    if (isFrom) {
      const importAt = parts.findIndex((p) => p.name === 'import');
      const origin = parts
        .slice(1, importAt)
        .map((p) => this.slice(p))
        .join('');
      const rest = parts.slice(importAt + 1);
      if (bind && rest.some((p) => p.name === '*' || this.slice(p) === '*')) this.facts.open = true;
      for (let i = 0; i < rest.length; i++) {
        const part = rest[i]!;
        if (part.name !== 'VariableName') continue;
        let local = part;
        if (rest[i + 1]?.name === 'as' && rest[i + 2]?.name === 'VariableName') {
          local = rest[i + 2]!;
          i += 2;
        }
        const name = this.slice(local);
        if (!this.imports.has(name)) {
          this.imports.set(name, `${origin.replace(/^\.+/, '')}.${this.slice(part)}`);
        }
        if (bind) this.bind({ name, kind: 'import', from: local.from, to: local.to, conditional });
      }
      return;
    }
    // `import a.b.c` binds `a`; `import a.b as c` binds `c`.
    let dotted: SyntaxNode[] = [];
    const flush = (alias?: SyntaxNode): void => {
      if (!dotted.length) return;
      const full = dotted.map((p) => this.slice(p)).join('.');
      const local = alias ?? dotted[0]!;
      const name = this.slice(local);
      if (!this.imports.has(name)) this.imports.set(name, alias ? full : name);
      if (bind) this.bind({ name, kind: 'import', from: local.from, to: local.to, conditional });
      dotted = [];
    };
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      if (part.name === 'VariableName') dotted.push(part);
      else if (part.name === 'as' && parts[i + 1]?.name === 'VariableName') {
        flush(parts[i + 1]);
        i++;
      } else if (part.name === ',') flush();
    }
    flush();
  }

  private assignment(node: SyntaxNode, conditional: boolean): void {
    // Targets are the plain names before each `=`; the value is the last part.
    const parts: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) parts.push(child);
    const lastOp = parts.map((p) => p.name).lastIndexOf('AssignOp');
    if (lastOp < 0) return;
    const value = parts[lastOp + 1];
    const app = value ? this.appOf(value) : undefined;
    let inTypeDef = false;
    for (const part of parts.slice(0, lastOp)) {
      if (part.name === 'TypeDef') inTypeDef = true;
      if (part.name === 'AssignOp') inTypeDef = false;
      if (part.name !== 'VariableName' || inTypeDef) continue;
      this.bind({
        name: this.slice(part),
        kind: 'assignment',
        from: part.from,
        to: part.to,
        conditional,
        ...(app ? { app } : {}),
      });
    }
  }

  private functionDefinition(node: SyntaxNode, conditional: boolean, decorated: boolean): void {
    const nameNode = node.getChild('VariableName');
    if (!nameNode) return;
    const name = this.slice(nameNode);
    if (name === '__getattr__') this.facts.open = true;
    const params = node.getChild('ParamList');
    const body = node.getChild('Body');
    const creates = body ? this.firstAppIn(body) : undefined;
    this.bind({
      name,
      kind: 'function',
      from: nameNode.from,
      to: nameNode.to,
      conditional,
      isAsync: node.firstChild?.name === 'async',
      decorated,
      ...(params ? { positional: this.positional(params) } : {}),
      ...(creates ? { creates } : {}),
    });
  }

  private classDefinition(node: SyntaxNode, conditional: boolean, decorated: boolean): void {
    const nameNode = node.getChild('VariableName');
    if (!nameNode) return;
    this.bind({
      name: this.slice(nameNode),
      kind: 'class',
      from: nameNode.from,
      to: nameNode.to,
      conditional,
      decorated,
    });
  }

  /** Positional parameters: names before a bare `*` or `**`; `*args` makes the maximum unbounded. */
  private positional(params: SyntaxNode): { max: number; required: number } {
    let max = 0;
    let required = 0;
    let star = false;
    let previous: SyntaxNode | null = null;
    for (let child = params.firstChild; child; child = child.nextSibling) {
      const text = this.slice(child);
      if (child.name === 'VariableName' && previous?.name !== ':' && previous?.name !== 'AssignOp') {
        if (previous && (this.slice(previous) === '*' || this.slice(previous) === '**')) {
          if (this.slice(previous) === '*') max = Infinity;
          star = true;
        } else if (!star) {
          max++;
          const next = child.nextSibling;
          const hasDefault =
            next?.name === 'AssignOp' || (next?.name === 'TypeDef' && next.nextSibling?.name === 'AssignOp');
          if (!hasDefault) required++;
        }
      } else if (text === '*' || text === '**') {
        if (child.nextSibling?.name !== 'VariableName') star = true;
      }
      previous = child;
    }
    return { max, required };
  }

  /** The app a value expression creates: a call of a known framework factory, through this module's imports. */
  private appOf(value: SyntaxNode): AppEvidence | undefined {
    if (value.name !== 'CallExpression') return undefined;
    const callee = value.firstChild;
    if (!callee) return undefined;
    const written = this.slice(callee).replace(/\s+/g, '');
    if (!/^[A-Za-z_][\w.]*$/.test(written)) return undefined;
    const [head, ...rest] = written.split('.');
    const origin = this.imports.get(head!);
    if (!origin) return undefined;
    const dotted = [origin, ...rest].join('.');
    const known = APP_FACTORIES.get(dotted);
    if (!known) return undefined;
    const call = this.slice(value);
    return { ...known, call: call.length > 60 ? `${written}(…)` : call };
  }

  /** The first framework app a function body creates (an app factory), looking through nested statements. */
  private firstAppIn(body: SyntaxNode): AppEvidence | undefined {
    const cursor = body.cursor();
    let found: AppEvidence | undefined;
    let steps = 0;
    do {
      if (++steps > 20_000) return undefined;
      if (cursor.name === 'CallExpression') {
        found = this.appOf(cursor.node);
        if (found) return found;
      }
    } while (cursor.next() && cursor.from < body.to);
    return undefined;
  }

  /** Module-level writes that create names this reading cannot list. */
  private scanForOpenness(top: SyntaxNode): void {
    if (/\b(globals|locals|vars)\s*\(\s*\)|\bexec\s*\(|\bsetattr\s*\(|sys\.modules\s*\[/.test(this.text)) {
      this.facts.open = true;
    }
    // `global app` in a function that runs at import binds a module-level name: count it as possibly bound.
    for (const match of this.text.matchAll(/^[ \t]*global[ \t]+([\w \t,]+)/gm)) {
      const at = match.index + match[0].indexOf(match[1]!);
      for (const name of match[1]!.split(',').map((n) => n.trim())) {
        if (!/^[A-Za-z_]\w*$/.test(name) || this.facts.names.has(name)) continue;
        this.bind({ name, kind: 'assignment', from: at, to: at + match[1]!.length, conditional: true });
      }
    }
    void top;
  }
}
