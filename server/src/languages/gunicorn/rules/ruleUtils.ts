// Small helpers shared by rule files: spans to ranges, setting lookups, Python-style value rendering.

import type { Fix } from '../../../core/findings';
import type { Range, TextEdit } from '../../../core/text';
import type { SettingInfo, WorkerClassInfo } from '../catalogTypes';
import type { Binding, ConfigModel, Span, Value } from '../model';
import type { RuleContext } from './types';

export function spanRange(model: ConfigModel, span: Span): Range {
  return model.lines.range(span.from, span.to);
}

/** Bindings whose name is a Gunicorn setting or hook (in any version), with that setting. */
export function settingBindings(context: RuleContext): { binding: Binding; setting: SettingInfo }[] {
  const result: { binding: Binding; setting: SettingInfo }[] = [];
  for (const binding of context.model.bindings) {
    const setting = context.catalog.get(binding.name);
    if (setting) result.push({ binding, setting });
  }
  return result;
}

/** The binding that wins for `name` when the file runs top to bottom (the last one), if any. */
export function lastBinding(model: ConfigModel, name: string): Binding | undefined {
  for (let i = model.bindings.length - 1; i >= 0; i--) {
    const binding = model.bindings[i]!;
    if (binding.name === name) return binding;
  }
  return undefined;
}

/** Every binding of `name`, in source order. */
export function bindingsOf(model: ConfigModel, name: string): Binding[] {
  return model.bindings.filter((b) => b.name === name);
}

/** Renders a value the way Python's repr would, for messages ("'4'", "[1, 2]", "<function>"). */
export function pythonRepr(value: Value): string {
  switch (value.kind) {
    case 'int':
    case 'float':
      return String(value.value);
    case 'str':
      return `'${value.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    case 'bytes':
      return "b'…'";
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${value.items.map(pythonRepr).join(', ')}]`;
    case 'tuple':
      return value.items.length === 1
        ? `(${pythonRepr(value.items[0]!)},)`
        : `(${value.items.map(pythonRepr).join(', ')})`;
    case 'set':
      return `{${value.items.map(pythonRepr).join(', ')}}`;
    case 'dict':
      return `{${value.entries.map((e) => `${pythonRepr(e.key)}: ${pythonRepr(e.value)}`).join(', ')}}`;
    case 'function':
      return value.fn.name ? `<function ${value.fn.name}>` : '<lambda>';
    case 'unknown':
      return '…';
  }
}

/** The Python type name of a value, or undefined when unknown ("int", "str", "list", …). */
export function pythonType(value: Value): string | undefined {
  if (value.kind === 'unknown') return value.type;
  if (value.kind === 'function') return 'callable';
  return value.kind;
}

/** A preferred fix that replaces the source of `span` (usually a value) with `newText`. */
export function replaceFix(
  model: ConfigModel,
  span: Span,
  newText: string,
  title = `Change to ${newText}`,
): Fix {
  return { title, edits: [{ range: spanRange(model, span), newText }], isPreferred: true };
}

/** True for values Gunicorn's bool validator reads as true: `True` or the string "true" in any case. */
export function isTrueSetting(value: Value): boolean {
  return (
    (value.kind === 'bool' && value.value) || (value.kind === 'str' && value.value.toLowerCase() === 'true')
  );
}

/**
 * The worker class that will run, from the last `worker_class` binding (default sync); sync with threads > 1 runs as
 * gthread. Undefined when the class is not statically known or not in the catalogue.
 */
export function effectiveWorker(
  context: Pick<RuleContext, 'model' | 'catalog'>,
): WorkerClassInfo | undefined {
  const { model, catalog } = context;
  const workerClass = lastBinding(model, 'worker_class');
  if (workerClass && workerClass.value.kind !== 'str') return undefined;
  const worker = catalog.workerClass(workerClass?.value.kind === 'str' ? workerClass.value.value : 'sync');
  const threads = lastBinding(model, 'threads');
  if (worker?.name === 'sync' && threads?.value.kind === 'int' && threads.value.value > 1) {
    return catalog.workerClass('gthread');
  }
  return worker;
}

/** An edit that adds `line` as a new statement right after `binding`'s statement, with the same indentation. */
export function insertLineAfter(model: ConfigModel, binding: Binding, line: string): TextEdit {
  const lastLine = model.lines.positionAt(binding.statementSpan.to).line;
  const firstLine = model.lines.positionAt(binding.statementSpan.from).line;
  const indent = /^\s*/.exec(model.lines.lineText(firstLine))![0];
  const end = { line: lastLine, character: model.lines.lineText(lastLine).length };
  return { range: { start: end, end }, newText: `${model.lines.eol}${indent}${line}` };
}

/** The int a setting ends up with: its last binding's value, else the catalogue default; undefined when unknown. */
export function effectiveInt(
  context: Pick<RuleContext, 'model' | 'catalog'>,
  name: string,
): number | undefined {
  const binding = lastBinding(context.model, name);
  if (binding) return binding.value.kind === 'int' ? binding.value.value : undefined;
  const fallback = Number(context.catalog.get(name)?.default);
  return Number.isInteger(fallback) ? fallback : undefined;
}
