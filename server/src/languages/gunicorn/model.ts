// The static model of a gunicorn.conf.py: module-level bindings, functions, calls and evaluated values.

import type { LineIndex } from '../../core/text';

/** Half-open offsets into the document text. */
export interface Span {
  from: number;
  to: number;
}

/** The Python type of a value whose exact value is not known statically. */
export type KnownType =
  'int' | 'float' | 'str' | 'bool' | 'none' | 'list' | 'tuple' | 'set' | 'dict' | 'callable' | 'bytes';

/** A statically evaluated Python value, with the span of the expression it came from. */
export type Value = (
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bytes' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'list' | 'tuple' | 'set'; items: Value[] }
  | { kind: 'dict'; entries: { key: Value; value: Value }[] }
  | { kind: 'function'; fn: FunctionInfo }
  /**
   * Not statically known. `type` is set when the Python type is certain (e.g. `int(...)`, f-strings,
   * `os.environ.get("X", "4")` is a str); `env` names the environment variable it reads, when it does.
   * Rules never report an error on an unknown value except for a certain type mismatch.
   */
  | { kind: 'unknown'; type?: KnownType; env?: { name: string; fallback?: string } }
) & { span: Span };

export interface Param {
  name: string;
  span: Span;
  /** Python parameter kind; only `positional` (incl. positional-only) parameters count for Gunicorn's arity. */
  kind: 'positional' | 'vararg' | 'keyword-only' | 'kwarg';
  hasDefault: boolean;
}

/** A module-level `def` or a `lambda`. */
export interface FunctionInfo {
  /** Undefined for lambdas. */
  name?: string;
  nameSpan?: Span;
  /** The whole `def` statement (with decorators) or lambda expression. */
  span: Span;
  /** The span of the parameter list, including parentheses for `def` (without for lambdas). */
  paramsSpan: Span;
  params: Param[];
  isLambda: boolean;
  isAsync: boolean;
  hasDecorators: boolean;
}

/** One step into a module-level compound statement: the statement's start offset and which arm (if/elif/else, try/except/else/finally, loop body/else). */
export interface BranchStep {
  statement: number;
  arm: number;
  /** Arms of one `if` chain or of a `try`'s except clauses exclude each other; a `try` body and its handlers do not fully. */
  exclusive: boolean;
}

export type BindingKind =
  | 'assign'
  | 'annotated'
  | 'augmented'
  | 'tuple-target'
  | 'def'
  | 'class'
  | 'import'
  | 'for-target'
  | 'with-target'
  | 'walrus'
  | 'other';

/** A name bound at module level: Gunicorn reads every such name after running the file. */
export interface Binding {
  name: string;
  nameSpan: Span;
  kind: BindingKind;
  /** The evaluated value; for `augmented`, the result of applying the operator when both sides are known. */
  value: Value;
  /** The whole statement, for fixes that rewrite or delete it. */
  statementSpan: Span;
  /** Path of module-level compound statements around the binding; empty at top level. */
  branch: BranchStep[];
  /** For imports: the module and the imported name (`from a.b import c` -> module `a.b`, imported `c`). */
  importFrom?: { module: string; imported: string };
}

/** A call anywhere in the file, by its dotted callee text (`sqlalchemy.create_engine`, `engine.dispose`). */
export interface CallInfo {
  callee: string;
  span: Span;
  /** The module-level function the call sits in; undefined for calls run at import time. */
  inFunction?: string;
}

export interface Comment {
  span: Span;
  /** Text after the `#`. */
  text: string;
}

export interface SyntaxProblem {
  span: Span;
  message: string;
}

export interface ConfigModel {
  text: string;
  lines: LineIndex;
  /** Module-level bindings in source order. */
  bindings: Binding[];
  /** Module-level `def`s (including those inside module-level if/try). */
  functions: FunctionInfo[];
  /** Every name read (load context) anywhere in the file, including inside functions. */
  readNames: Set<string>;
  calls: CallInfo[];
  comments: Comment[];
  errors: SyntaxProblem[];
  /** `from x import *` at module level: any name might be defined, so be careful with "unknown" claims. */
  hasStarImport: boolean;
}
