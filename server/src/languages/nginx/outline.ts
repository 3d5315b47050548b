// The outline of an nginx file: blocks nested as written (`http` > `server shop.example.com` > `location /static/`),
// upstreams with their servers, maps and includes.

import {
  boundOutline,
  MAX_OUTLINE_DEPTH,
  outlineSymbol,
  type OutlineKind,
  type OutlineSymbol,
} from '../../core/outline';
import type { NginxDirective, NginxModel } from './parse';

const KIND_OF_BLOCK: Readonly<Record<string, OutlineKind>> = {
  server: 'server',
  location: 'location',
  upstream: 'upstream',
  map: 'map',
};

/** The symbols of a parsed nginx file; never throws, at most MAX_OUTLINE_SYMBOLS of them. */
export function nginxOutline(model: NginxModel): OutlineSymbol[] {
  return boundOutline(symbolsOf(model, model.directives, null, 0));
}

function symbolsOf(
  model: NginxModel,
  directives: readonly NginxDirective[],
  parent: NginxDirective | null,
  depth: number,
): OutlineSymbol[] {
  const symbols: OutlineSymbol[] = [];
  for (const directive of directives) {
    const symbol = symbolOf(model, directive, parent, depth);
    if (symbol) symbols.push(symbol);
  }
  return symbols;
}

function symbolOf(
  model: NginxModel,
  directive: NginxDirective,
  parent: NginxDirective | null,
  depth: number,
): OutlineSymbol | undefined {
  const name = directive.name;
  const args = directive.args.map((a) => model.text.slice(a.span.from, a.span.to)).join(' ');
  const nameSpan = directive.nameToken.span;
  if (directive.block) {
    // Blocks nested deeper than any outline shows are not walked at all (junk can nest thousands deep).
    const children =
      depth + 1 < MAX_OUTLINE_DEPTH ? symbolsOf(model, directive.block.children, directive, depth + 1) : [];
    if (name === 'server') {
      const serverNames = argumentsOf(directive, 'server_name');
      const listens = directive.block.children
        .filter((d) => d.name === 'listen')
        .map((d) => d.args[0]?.value ?? '')
        .filter(Boolean);
      const title = serverNames.length ? `server ${serverNames.join(' ')}` : 'server';
      return outlineSymbol(
        model.lines,
        'server',
        title,
        directive.span,
        nameSpan,
        listens.join(', '),
        children,
      );
    }
    const kind = KIND_OF_BLOCK[name] ?? 'block';
    return outlineSymbol(
      model.lines,
      kind,
      args ? `${name} ${args}` : name,
      directive.span,
      nameSpan,
      undefined,
      children,
    );
  }
  if (name === 'include') {
    return outlineSymbol(model.lines, 'include', `include ${args}`, directive.span, nameSpan);
  }
  // An upstream's members: `server 127.0.0.1:8000 max_fails=3;` (the address as the name, the options as detail).
  if (name === 'server' && parent?.name === 'upstream') {
    const [address, ...options] = directive.args;
    return outlineSymbol(
      model.lines,
      'directive',
      address ? `server ${address.value}` : 'server',
      directive.span,
      nameSpan,
      options.map((o) => o.value).join(' '),
    );
  }
  return undefined;
}

/** The arguments of every `name` directive directly inside a block. */
function argumentsOf(block: NginxDirective, name: string): string[] {
  return (block.block?.children ?? [])
    .filter((d) => d.name === name)
    .flatMap((d) => d.args.map((a) => a.value));
}
