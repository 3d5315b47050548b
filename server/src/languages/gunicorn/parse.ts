// Builds the ConfigModel of a gunicorn.conf.py from @lezer/python's error-tolerant syntax tree.

import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { sharedName } from '../../core/memo';
import { sharedParseOfText } from '../../core/sharedParses';
import { LineIndex } from '../../core/text';
import { evaluate, type Scope } from './evaluate';
import type {
  Binding,
  BindingKind,
  BranchStep,
  CallInfo,
  Comment,
  ConfigModel,
  FunctionInfo,
  Param,
  Span,
  SyntaxProblem,
  Value,
} from './model';

/**
 * Parses the text (never throws) and collects everything rules and features need. Within a run's ParseShare the parse
 * of a text is made once: the deployment model already shares configs by text, and no rule keys a memo on one.
 */
export function parseGunicornConfig(text: string): ConfigModel {
  return sharedParseOfText('gunicorn', text, () => parseConfigText(text));
}

function parseConfigText(text: string): ConfigModel {
  // A BOM is not Python; blank it out (same length) so offsets still match the document.
  const source = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const { tree, problem } = parseNested(source);
  const builder = new ModelBuilder(source);
  try {
    builder.walkBlock(tree.topNode, []);
    builder.collectEverywhere(tree.topNode);
  } catch (error) {
    // The walkers are iterative where depth matters; this guard keeps a pathological input from crashing a client.
    builder.errors.push({
      span: { from: 0, to: 0 },
      message: `Could not analyse this file: ${String(error)}`,
    });
  }
  return {
    text,
    lines: new LineIndex(text),
    bindings: builder.bindings,
    functions: builder.functions,
    readNames: builder.readNames,
    calls: builder.calls,
    comments: builder.comments,
    errors: [...mergeErrors(builder.errors, source), ...(problem ? [problem] : [])],
    hasStarImport: builder.hasStarImport,
  };
}

/** Brackets nested deeper than this are left out of the parse of a pathologically nested file. */
const MAX_NESTING = 100;
/** Bracket depth (counted without regard to strings) from which a file counts as pathologically nested. */
const PATHOLOGICAL_NESTING = 1_000;

/**
 * The syntax tree, even of a file nested thousands of brackets deep: the tree builder recurses once per level (such a
 * file can exhaust the stack) and its error recovery takes seconds. Then the brackets below MAX_NESTING levels are
 * blanked out (same length, so offsets still hold) and the rest of the file is analysed; if even that fails, nothing
 * is, and the problem says why.
 */
function parseNested(source: string): { tree: Tree; problem?: SyntaxProblem } {
  if (maxNesting(source) <= PATHOLOGICAL_NESTING) {
    try {
      return { tree: parser.parse(source) };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }
  const { text, from } = blankDeepNesting(source, MAX_NESTING);
  try {
    return {
      tree: parser.parse(text),
      problem: {
        span: { from, to: from },
        message: `Brackets nest more than ${MAX_NESTING} levels deep here; what is inside them is not analysed.`,
      },
    };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  return {
    tree: parser.parse(''),
    problem: { span: { from: 0, to: 0 }, message: 'This file nests too deeply to be analysed.' },
  };
}

/** The deepest bracket nesting of a text, counted without regard to strings and comments. */
function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 40 || code === 91 || code === 123) max = Math.max(max, ++depth);
    else if ((code === 41 || code === 93 || code === 125) && depth > 0) depth--;
  }
  return max;
}

/**
 * The text with every character inside brackets deeper than `limit` replaced by a space (line breaks kept), and where
 * the first one was. Brackets are counted without regard to strings: this runs only for files that are pathological.
 */
function blankDeepNesting(text: string, limit: number): { text: string; from: number } {
  const out: string[] = [];
  let depth = 0;
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '(' || char === '[' || char === '{') depth++;
    const deep = depth > limit;
    if (char === ')' || char === ']' || char === '}') depth = Math.max(0, depth - 1);
    if (deep && char !== '\n' && char !== '\r') {
      if (from < 0) from = i;
      out.push(' ');
    } else {
      out.push(char);
    }
  }
  return { text: out.join(''), from: Math.max(0, from) };
}

/** The kinds of node besides comments and errors that `collectEverywhere` collects from. */
const COLLECTED = new Set(['FunctionDefinition', 'CallExpression', 'VariableName']);

const COMPOUND_ARMS = new Set([
  'IfStatement',
  'TryStatement',
  'WhileStatement',
  'ForStatement',
  'WithStatement',
]);

class ModelBuilder {
  readonly bindings: Binding[] = [];
  readonly functions: FunctionInfo[] = [];
  readonly readNames = new Set<string>();
  readonly calls: CallInfo[] = [];
  readonly comments: Comment[] = [];
  readonly errors: SyntaxProblem[] = [];
  hasStarImport = false;
  /** Known module-level values, for evaluating later expressions that name them. */
  private readonly scope: Scope = new Map();

  constructor(private readonly text: string) {}

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** Walks the statements of a module-level block (the script, or a body of a module-level compound statement). */
  walkBlock(block: SyntaxNode, branch: BranchStep[]): void {
    for (let child = block.firstChild; child; child = child.nextSibling) {
      this.walkStatement(child, branch);
    }
  }

  private walkStatement(node: SyntaxNode, branch: BranchStep[]): void {
    switch (node.name) {
      case 'AssignStatement':
        return this.assignment(node, branch);
      case 'UpdateStatement':
        return this.augmented(node, branch);
      case 'FunctionDefinition':
      case 'DecoratedStatement':
        return this.functionDefinition(node, branch);
      case 'ClassDefinition': {
        const name = node.getChild('VariableName');
        if (name) this.bind(name, 'class', { kind: 'unknown', span: span(node) }, node, branch);
        return;
      }
      case 'ImportStatement':
        return this.importStatement(node, branch);
      case 'Body':
        return this.walkBlock(node, branch);
      default:
        if (COMPOUND_ARMS.has(node.name)) return this.compound(node, branch);
    }
  }

  /** if/elif/else, try/except/else/finally, for, while, with: each Body is an arm of the statement. */
  private compound(node: SyntaxNode, branch: BranchStep[]): void {
    const exclusive = node.name === 'IfStatement';
    let arm = 0;
    let sawHandlerKeyword = false;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'except') sawHandlerKeyword = true;
      if (node.name === 'ForStatement' && child.name === 'VariableName' && arm === 0) {
        this.bind(child, 'for-target', { kind: 'unknown', span: span(child) }, node, branch);
      }
      if (
        node.name === 'WithStatement' &&
        child.name === 'VariableName' &&
        child.prevSibling?.name === 'as'
      ) {
        this.bind(child, 'with-target', { kind: 'unknown', span: span(child) }, node, branch);
      }
      if (child.name === 'Body') {
        const step: BranchStep = { statement: node.from, arm, exclusive: exclusive || sawHandlerKeyword };
        this.walkBlock(child, [...branch, step]);
        arm++;
      }
    }
  }

  private assignment(node: SyntaxNode, branch: BranchStep[]): void {
    // Children: targets separated by AssignOp; the last segment is the value. Annotated: Name TypeDef = value.
    const segments: SyntaxNode[][] = [[]];
    let annotated = false;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'AssignOp') segments.push([]);
      else if (child.name === 'TypeDef') annotated = true;
      else segments[segments.length - 1]!.push(child);
    }
    if (segments.length < 2) return; // `x: int` binds nothing.
    const valueNodes = segments.pop()!;
    const value = this.valueOf(valueNodes, node);
    for (const targets of segments) {
      const names = targets.filter((t) => t.name !== ',');
      if (names.length === 1 && names[0]!.name === 'VariableName') {
        this.bind(names[0]!, annotated ? 'annotated' : 'assign', value, node, branch);
        continue;
      }
      const flat = names.flatMap((t) => this.targetNames(t));
      const items = value.kind === 'tuple' || value.kind === 'list' ? value.items : undefined;
      flat.forEach((target, index) => {
        const item =
          items && items.length === flat.length
            ? items[index]!
            : { kind: 'unknown' as const, span: value.span };
        this.bind(target, 'tuple-target', item, node, branch);
      });
    }
  }

  /** Names bound by a target expression (`a`, `(a, b)`, `[a, *b]`); attribute/subscript targets bind nothing. */
  private targetNames(node: SyntaxNode): SyntaxNode[] {
    if (node.name === 'VariableName') return [node];
    if (
      node.name === 'TupleExpression' ||
      node.name === 'ArrayExpression' ||
      node.name === 'ParenthesizedExpression'
    ) {
      const result: SyntaxNode[] = [];
      for (let child = node.firstChild; child; child = child.nextSibling) {
        result.push(...this.targetNames(child));
      }
      return result;
    }
    if (node.name === 'StarExpression') {
      const name = node.getChild('VariableName');
      return name ? [name] : [];
    }
    return [];
  }

  /** The value of the right-hand side: one expression, or a bare tuple `1, 2`. */
  private valueOf(nodes: SyntaxNode[], statement: SyntaxNode): Value {
    const expressions = nodes.filter((n) => n.name !== ',');
    if (expressions.length === 1 && !nodes.some((n) => n.name === ',')) return this.evaluate(expressions[0]!);
    const from = nodes[0]?.from ?? statement.to;
    const to = nodes[nodes.length - 1]?.to ?? statement.to;
    return { kind: 'tuple', items: expressions.map((e) => this.evaluate(e)), span: { from, to } };
  }

  private evaluate(node: SyntaxNode): Value {
    return evaluate(node, this.text, this.scope, (fn) => this.lambdaInfo(fn));
  }

  private augmented(node: SyntaxNode, branch: BranchStep[]): void {
    const target = node.firstChild;
    const op = node.getChild('UpdateOp');
    const rhs = op?.nextSibling;
    if (!target || target.name !== 'VariableName' || !op || !rhs) return;
    const previous = this.scope.get(this.slice(target));
    const right = this.evaluate(rhs);
    const value = combine(previous, this.slice(op).slice(0, -1), right, { from: target.from, to: rhs.to });
    this.bind(target, 'augmented', value, node, branch);
  }

  private functionDefinition(node: SyntaxNode, branch: BranchStep[]): void {
    const definition = node.name === 'DecoratedStatement' ? node.getChild('FunctionDefinition') : node;
    if (!definition) {
      const cls = node.getChild('ClassDefinition');
      if (cls) this.walkStatement(cls, branch);
      return;
    }
    const nameNode = definition.getChild('VariableName');
    const paramList = definition.getChild('ParamList');
    if (!nameNode) return;
    const fn: FunctionInfo = {
      name: sharedName(this.slice(nameNode)),
      nameSpan: span(nameNode),
      span: span(node),
      paramsSpan: paramList ? span(paramList) : span(nameNode),
      params: paramList ? this.params(paramList) : [],
      isLambda: false,
      isAsync: definition.firstChild?.name === 'async',
      hasDecorators: node.name === 'DecoratedStatement',
    };
    this.functions.push(fn);
    this.bind(nameNode, 'def', { kind: 'function', fn, span: span(node) }, node, branch);
  }

  lambdaInfo(node: SyntaxNode): FunctionInfo {
    const paramList = node.getChild('ParamList');
    return {
      span: span(node),
      paramsSpan: paramList ? span(paramList) : { from: node.from + 6, to: node.from + 6 },
      params: paramList ? this.params(paramList) : [],
      isLambda: true,
      isAsync: false,
      hasDecorators: false,
    };
  }

  /** Parameters in order, with Python's kinds: after `*` or `*args` they are keyword-only. */
  private params(list: SyntaxNode): Param[] {
    const params: Param[] = [];
    let keywordOnly = false;
    let pendingStar: '*' | '**' | undefined;
    for (let child = list.firstChild; child; child = child.nextSibling) {
      const text = this.slice(child);
      if (child.name === '*' || text === '*') {
        pendingStar = '*';
        keywordOnly = true;
      } else if (child.name === '**' || text === '**') {
        pendingStar = '**';
      } else if (child.name === 'VariableName') {
        const kind: Param['kind'] =
          pendingStar === '*'
            ? 'vararg'
            : pendingStar === '**'
              ? 'kwarg'
              : keywordOnly
                ? 'keyword-only'
                : 'positional';
        const next = child.nextSibling;
        const hasDefault =
          next?.name === 'AssignOp' || (next?.name === 'TypeDef' && next.nextSibling?.name === 'AssignOp');
        params.push({ name: text, span: span(child), kind, hasDefault });
        pendingStar = undefined;
      }
    }
    return params;
  }

  private importStatement(node: SyntaxNode, branch: BranchStep[]): void {
    const isFrom = node.firstChild?.name === 'from';
    let module = '';
    let afterImport = false;
    let pendingAs = false;
    let lastImported = '';
    let dotted: string[] = [];
    const flushPlainImport = (): void => {
      dotted = [];
    };
    for (let child = node.firstChild; child; child = child.nextSibling) {
      const text = this.slice(child);
      if (child.name === 'import') {
        afterImport = true;
        continue;
      }
      if (!afterImport) {
        if (child.name === 'VariableName' || child.name === '.') module += text;
        continue;
      }
      if (child.name === '*') this.hasStarImport = true;
      if (child.name === 'as') {
        pendingAs = true;
        continue;
      }
      if (child.name === ',') {
        flushPlainImport();
        continue;
      }
      if (child.name !== 'VariableName') continue;
      if (pendingAs) {
        // `import a.b as c` / `from m import a as c` bind the alias; the earlier provisional binding is replaced.
        if (this.bindings[this.bindings.length - 1]?.statementSpan.from === node.from) this.bindings.pop();
        this.bind(child, 'import', { kind: 'unknown', span: span(child) }, node, branch, {
          module: isFrom ? module : lastImported,
          imported: isFrom ? lastImported : lastImported,
        });
        pendingAs = false;
        continue;
      }
      if (isFrom) {
        lastImported = text;
        this.bind(child, 'import', { kind: 'unknown', span: span(child) }, node, branch, {
          module,
          imported: text,
        });
      } else if (child.prevSibling?.name !== '.') {
        // `import os.path` binds `os` only.
        lastImported = text;
        dotted.push(text);
        this.bind(child, 'import', { kind: 'unknown', span: span(child) }, node, branch, {
          module: text,
          imported: text,
        });
      } else {
        lastImported += '.' + text;
      }
    }
  }

  private bind(
    nameNode: SyntaxNode,
    kind: BindingKind,
    value: Value,
    statement: SyntaxNode,
    branch: BranchStep[],
    importFrom?: Binding['importFrom'],
  ): void {
    const name = this.slice(nameNode);
    if (!name) return;
    this.bindings.push(
      new ParsedBinding(
        sharedName(name),
        nameNode.from,
        kind,
        value,
        statement.from,
        statement.to,
        branch,
        importFrom,
      ),
    );
    // Only values that run unconditionally are safe to reuse when evaluating later expressions.
    if (branch.length === 0 || kind === 'def') this.scope.set(name, value);
    else this.scope.delete(name);
  }

  /** One iterative pass over the whole tree: comments, errors, calls and names read anywhere. */
  collectEverywhere(top: SyntaxNode): void {
    const cursor = top.cursor();
    const functionStack: { name: string; to: number }[] = [];
    do {
      // The cursor's own fields first: most nodes are none of the kinds below, and a node object for each was a tenth
      // of what a config's parse allocated.
      const { type, from, to } = cursor;
      while (functionStack.length && from >= functionStack[functionStack.length - 1]!.to) {
        functionStack.pop();
      }
      const kind = type.name;
      if (type.isError) {
        this.errors.push({ span: { from, to }, message: '' });
        continue;
      }
      if (kind === 'Comment') {
        this.comments.push({ span: { from, to }, text: this.text.slice(from + 1, to) });
        continue;
      }
      if (!COLLECTED.has(kind)) continue;
      const node = cursor.node;
      if (kind === 'FunctionDefinition') {
        const name = isModuleLevel(node) ? node.getChild('VariableName') : null;
        if (name) functionStack.push({ name: this.slice(name), to });
      } else if (kind === 'CallExpression') {
        const callee = node.firstChild;
        if (callee && (callee.name === 'VariableName' || callee.name === 'MemberExpression')) {
          const call: CallInfo = {
            callee: sharedName(this.slice(callee).replace(/\s+/g, '')),
            span: { from, to },
          };
          const inFunction = functionStack[functionStack.length - 1]?.name;
          if (inFunction !== undefined) call.inFunction = inFunction;
          this.calls.push(call);
        }
      } else if (isRead(node)) {
        this.readNames.add(sharedName(this.slice(node)));
      }
    } while (cursor.next());
  }
}

/**
 * A parsed binding keeps its offsets as numbers and makes its spans when asked: parsed configs are kept across model
 * builds, and two span objects per binding were a sixth of a parse.
 */
class ParsedBinding implements Binding {
  constructor(
    readonly name: string,
    private readonly nameFrom: number,
    readonly kind: BindingKind,
    readonly value: Value,
    private readonly statementFrom: number,
    private readonly statementTo: number,
    readonly branch: BranchStep[],
    readonly importFrom: Binding['importFrom'],
  ) {}

  get nameSpan(): Span {
    return { from: this.nameFrom, to: this.nameFrom + this.name.length };
  }

  get statementSpan(): Span {
    return { from: this.statementFrom, to: this.statementTo };
  }
}

function span(node: SyntaxNode): Span {
  return { from: node.from, to: node.to };
}

/** True for a `def` directly in the module or in a module-level compound statement's body. */
function isModuleLevel(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.name === 'Script') return true;
    if (
      parent.name === 'FunctionDefinition' ||
      parent.name === 'ClassDefinition' ||
      parent.name === 'LambdaExpression'
    ) {
      return false;
    }
  }
  return false;
}

/** Whether a VariableName is read rather than bound. */
function isRead(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const next = node.nextSibling;
  switch (parent.name) {
    case 'AssignStatement':
      // Targets are followed by `=` (or a type annotation); the last segment is the value.
      return !(
        next?.name === 'AssignOp' ||
        next?.name === 'TypeDef' ||
        (next?.name === ',' && isTargetSide(node))
      );
    case 'UpdateStatement':
      return true; // `x += 1` reads x too.
    case 'FunctionDefinition':
    case 'ClassDefinition':
    case 'ImportStatement':
    case 'ParamList':
      return false;
    case 'ForStatement':
    case 'WithStatement':
      return !(node.prevSibling?.name === 'for' || node.prevSibling?.name === 'as');
    default:
      return true;
  }
}

/** In `a, b = 1, 2` the names before the last `=` are targets. */
function isTargetSide(node: SyntaxNode): boolean {
  for (let sibling = node.nextSibling; sibling; sibling = sibling.nextSibling) {
    if (sibling.name === 'AssignOp') return true;
  }
  return false;
}

/** `previous OP right` for augmented assignments when both are known numbers or strings. */
function combine(previous: Value | undefined, op: string, right: Value, where: Span): Value {
  if (previous && previous.kind === 'int' && right.kind === 'int') {
    const a = previous.value;
    const b = right.value;
    const result = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : undefined;
    if (result !== undefined) return { kind: 'int', value: result, span: where };
  }
  if (previous && previous.kind === 'str' && right.kind === 'str' && op === '+') {
    return { kind: 'str', value: previous.value + right.value, span: where };
  }
  const type =
    previous?.kind === 'unknown' ? previous.type : previous?.kind === 'function' ? undefined : previous?.kind;
  return type && type !== 'none' && type !== 'dict'
    ? { kind: 'unknown', type, span: where }
    : { kind: 'unknown', span: where };
}

/** One problem per line, with a message that says what is wrong there. */
function mergeErrors(raw: SyntaxProblem[], text: string): SyntaxProblem[] {
  const result: SyntaxProblem[] = [];
  let lastLineEnd = -1;
  for (const problem of raw) {
    if (problem.span.from <= lastLineEnd) continue;
    const lineStart = text.lastIndexOf('\n', problem.span.from - 1) + 1;
    let lineEnd = text.indexOf('\n', problem.span.from);
    if (lineEnd < 0) lineEnd = text.length;
    lastLineEnd = lineEnd;
    const from = Math.min(problem.span.from, text.length);
    let to = Math.max(from, Math.min(problem.span.to, text.length));
    const token = text.slice(from, to).trim();
    let message: string;
    if (from >= text.length || (token === '' && text.slice(from, lineEnd).trim() === '')) {
      message = 'Python syntax error: the statement is incomplete (an unclosed bracket or a missing value?)';
      // Point at the end of the line's code so the squiggle is visible.
      to = Math.max(from, Math.min(lineEnd, text.length));
      const start = Math.max(lineStart, from - 1);
      result.push({ span: { from: start, to: Math.max(to, start) }, message });
      continue;
    }
    message = `Python syntax error: unexpected '${token.length > 30 ? token.slice(0, 30) + '…' : token || text.slice(from, lineEnd).trim().slice(0, 30)}'`;
    if (to === from) to = Math.min(lineEnd, text.length);
    result.push({ span: { from, to }, message });
  }
  return result;
}
