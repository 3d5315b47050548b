// setuptools' own files: setup.cfg (`[options] install_requires`, `[options.extras_require]`) and setup.py's literal
// `install_requires=[…]`/`extras_require={…}` (read with the Python parser; anything computed is unknown).

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import { normalizePackageName, parseRequirement } from './requirement';
import { emptyDependencyFile, type DependencyFile } from './types';

/** One requirement per line of a multi-line INI value (blank and comment lines skipped). */
function addCfgLines(file: DependencyFile, text: string, from: number, to: number, group?: string): void {
  const value = text.slice(from, to);
  const fileRef = /^\s*file:\s*(.+?)\s*$/.exec(value);
  if (fileRef) {
    for (const path of fileRef[1]!
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = from + value.indexOf(path);
      file.includes.push({ path, constraint: false, from: at, to: at + path.length });
    }
    return;
  }
  const pattern = /[^\r\n]+/g;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    const line = m[0].replace(/(^|\s)[#;].*$/, '');
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = from + m.index + line.indexOf(trimmed);
    const parsed = parseRequirement(trimmed, at);
    if (parsed) file.packages.push({ ...parsed, ...(group ? { group } : {}) });
    else {
      file.unknown.push({
        reason: `a requirement we cannot read (${trimmed})`,
        from: at,
        to: at + trimmed.length,
      });
    }
  }
}

/** setup.cfg; never throws. */
export function parseSetupCfg(text: string): DependencyFile {
  const file = emptyDependencyFile('setup-cfg');
  let section = '';
  /** The key being read and where its value starts (values continue on indented lines). */
  let current: { key: string; from: number; to: number } | undefined;
  file.declares = false;
  const flush = (): void => {
    if (!current) return;
    if (section === 'options' && current.key === 'install_requires') {
      file.declares = true;
      addCfgLines(file, text, current.from, current.to);
    } else if (section === 'options.extras_require') {
      addCfgLines(file, text, current.from, current.to, normalizePackageName(current.key));
    }
    current = undefined;
  };
  const pattern = /[^\r\n]*(\r?\n|$)/g;
  for (let m = pattern.exec(text); m && m[0]; m = pattern.exec(text)) {
    const line = m[0].replace(/\r?\n$/, '');
    const lineTo = m.index + line.length;
    const header = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      flush();
      section = header[1]!.toLowerCase();
      continue;
    }
    if (current && /^[ \t]/.test(line)) {
      current.to = lineTo;
      continue;
    }
    if (/^\s*([#;]|$)/.test(line)) continue;
    flush();
    const assignment = /^([^=:\s][^=:]*?)\s*[=:]\s*/.exec(line);
    if (assignment) {
      current = { key: assignment[1]!.trim(), from: m.index + assignment[0].length, to: lineTo };
    }
  }
  flush();
  return file;
}

/** The text of a string literal without its quotes and prefix, when it is a plain one (no f-string, no escapes). */
function literalString(node: SyntaxNode, text: string): { value: string; from: number } | undefined {
  if (node.name !== 'String') return undefined;
  const raw = text.slice(node.from, node.to);
  const m = /^([rRbBuU]?)("""|'''|"|')([\s\S]*)\2$/.exec(raw);
  if (!m || m[3]!.includes('\\')) return undefined;
  return { value: m[3]!, from: node.from + m[1]!.length + m[2]!.length };
}

/** setup.py; never throws. Only literal lists count; a computed `install_requires` makes the file's list unknown. */
export function parseSetupPy(text: string): DependencyFile {
  const file = emptyDependencyFile('setup-py');
  file.declares = false;
  let tree;
  try {
    tree = parser.parse(text);
  } catch {
    return file;
  }
  const top = new Map<string, SyntaxNode>();
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name !== 'AssignStatement') continue;
    const target = node.firstChild;
    const value = node.lastChild;
    if (target?.name === 'VariableName' && value) top.set(text.slice(target.from, target.to), value);
  }
  const resolve = (node: SyntaxNode): SyntaxNode =>
    node.name === 'VariableName' ? (top.get(text.slice(node.from, node.to)) ?? node) : node;
  const addList = (node: SyntaxNode, group?: string): void => {
    const list = resolve(node);
    if (list.name !== 'ArrayExpression' && list.name !== 'TupleExpression') {
      file.unknown.push({ reason: 'install_requires computed at build time', from: node.from, to: node.to });
      return;
    }
    for (let item = list.firstChild; item; item = item.nextSibling) {
      if (
        item.name === '[' ||
        item.name === ']' ||
        item.name === '(' ||
        item.name === ')' ||
        item.name === ','
      ) {
        continue;
      }
      const literal = literalString(item, text);
      const parsed = literal ? parseRequirement(literal.value, literal.from) : undefined;
      if (parsed) file.packages.push({ ...parsed, ...(group ? { group } : {}) });
      else {
        file.unknown.push({ reason: 'a requirement computed at build time', from: item.from, to: item.to });
      }
    }
  };
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'CallExpression') return;
      const node = ref.node;
      const callee = node.firstChild;
      const name = callee ? text.slice(callee.from, callee.to) : '';
      if (!/(^|\.)setup$/.test(name)) return;
      file.declares = true;
      const args = node.getChild('ArgList');
      for (let arg = args?.firstChild; arg; arg = arg.nextSibling) {
        if (arg.name === '**') {
          file.unknown.push({ reason: 'setup() arguments passed as **kwargs', from: arg.from, to: arg.to });
          continue;
        }
        if (arg.name !== 'VariableName' || arg.nextSibling?.name !== 'AssignOp') continue;
        const keyword = text.slice(arg.from, arg.to);
        const value = arg.nextSibling.nextSibling;
        if (!value) continue;
        if (keyword === 'install_requires') addList(value);
        else if (keyword === 'extras_require') {
          const dict = resolve(value);
          if (dict.name !== 'DictionaryExpression') continue;
          let key: string | undefined;
          for (let item = dict.firstChild; item; item = item.nextSibling) {
            const literal = literalString(item, text);
            if (literal && item.nextSibling?.name === ':') key = literal.value;
            else if (key !== undefined && (item.name === 'ArrayExpression' || item.name === 'VariableName')) {
              addList(item, normalizePackageName(key));
              key = undefined;
            }
          }
        }
      }
    },
  });
  return file;
}
