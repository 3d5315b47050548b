// Gunicorn launches in compose files: each service's command and entrypoint, with its environment, working_dir,
// env_file and build.

import type { Version } from '../../core/version';
import { findGunicornInvocation } from '../gunicorn/commandLine';
import { splitCommands, type Token } from '../gunicorn/commandWords';
import {
  ENV_NAME,
  forwardLine,
  identity,
  isolated,
  setEnv,
  type CommandRegion,
  type Env,
  type EnvEntry,
  type Locate,
  type ParsedSource,
  type Site,
} from '../gunicorn/launchSites';
import { composeBuildOf, composeContainerFacets } from './composeContainer';
import { isInitProgram } from './dockerImage';
import { composeServices, type YamlNode, type YamlScalar } from './composeYaml';
import { shellScriptSites, type ShellState } from './shell';

/** Words that could only be placed on their whole scalar (escapes inside it). */
const coarseTokens = new WeakSet<Token>();

const PLAIN_WORD = /^[^\s'"\\;&|<>()`#]+$/;

/** One argv element of a list form, as a token (with exact offsets when the scalar is a plain shell word). */
function itemToken(text: string, scalar: YamlScalar): Token {
  if (PLAIN_WORD.test(scalar.value) && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value) {
    const [token] = splitCommands(forwardLine(text, scalar.raw), scalar.raw.from, 'shell').flat();
    if (token && token.text === scalar.value && token.to === scalar.raw.to) return token;
  }
  return {
    text: scalar.value,
    from: scalar.raw.from,
    to: scalar.raw.to,
    quoted: scalar.quoted,
    // Compose interpolates ${VAR} and $VAR in every value from the environment it runs in.
    ...(/\$[{\w]/.test(scalar.value) ? { dynamic: true } : {}),
  };
}

/** The argv of a compose command/entrypoint: a list as it is, a string split into words like a shell would. */
function composeWords(
  text: string,
  node: YamlNode | undefined,
  regions: CommandRegion[],
): Token[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'list') {
    const first = node.items[0];
    const last = node.items[node.items.length - 1];
    if (first && last) regions.push({ from: first.raw.from, to: last.raw.to, text, form: 'json' });
    return node.items.map((item) => itemToken(text, item));
  }
  if (node.kind !== 'scalar') return undefined;
  const { scalar } = node;
  if (scalar.exact) {
    const line = isolated(text, scalar.inner);
    regions.push({ from: scalar.inner.from, to: scalar.inner.to, text: line, form: 'shell' });
    return splitCommands(line, scalar.inner.from, 'shell').flat();
  }
  const whole = scalar.raw;
  return splitCommands(scalar.value.replace(/[\r\n]/g, ' '), 0, 'shell')
    .flat()
    .map((token) => {
      const placed = { ...token, from: whole.from, to: whole.to };
      coarseTokens.add(placed);
      return placed;
    });
}

function composeEnv(text: string, node: YamlNode | undefined): Env {
  const env: Env = new Map();
  if (!node) return env;
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (!entry.value || !ENV_NAME.test(entry.key)) continue;
      const scalar = entry.value;
      setEnv(env, {
        name: entry.key,
        value: scalar.value,
        span: scalar.inner,
        exact: scalar.exact && text.slice(scalar.inner.from, scalar.inner.to) === scalar.value,
      });
    }
    return env;
  }
  if (node.kind !== 'list') return env;
  for (const item of node.items) {
    const eq = item.value.indexOf('=');
    if (eq <= 0) continue;
    const name = item.value.slice(0, eq);
    if (!ENV_NAME.test(name)) continue;
    const value = item.value.slice(eq + 1);
    const exact = item.exact && text.slice(item.inner.from, item.inner.to) === item.value;
    const span = exact ? { from: item.inner.from + eq + 1, to: item.inner.to } : item.inner;
    setEnv(env, { name, value, span, exact });
  }
  return env;
}

export function composeSites(text: string, version: Version, parsed: ParsedSource): Site[] {
  const sites: Site[] = [];
  const services = composeServices(text, parsed.lines, parsed.comments);
  const containers = composeContainerFacets(text, parsed.lines, services);
  for (const service of services) {
    const container = containers.get(service)!;
    const key = (name: string): YamlNode | undefined => service.keys.get(name)?.node;
    const command = composeWords(text, key('command'), parsed.regions);
    const entrypoint = composeWords(text, key('entrypoint'), parsed.regions);
    if (!command && !entrypoint) continue;
    const env = composeEnv(text, key('environment'));
    const dir = key('working_dir');
    const cwd: EnvEntry | undefined =
      dir?.kind === 'scalar'
        ? { name: 'cwd', value: dir.scalar.value, span: dir.scalar.inner, exact: dir.scalar.exact }
        : undefined;
    const files = key('env_file');
    const environmentFiles: EnvEntry[] = (
      files?.kind === 'list' ? files.items : files?.kind === 'scalar' ? [files.scalar] : []
    ).map((file) => ({ name: 'env_file', value: file.value, span: file.inner, exact: file.exact }));
    const build = composeBuildOf(key('build'));
    const init = entrypoint?.[0] && isInitProgram(entrypoint[0].text) ? entrypoint[0].text : undefined;
    const base = {
      kind: 'compose' as const,
      toDocument: identity,
      env,
      ...(cwd ? { cwd } : {}),
      unit: service.name,
      ...(environmentFiles.length ? { environmentFiles } : {}),
      ...(build ? { build } : {}),
      container: init ? (locate: Locate) => ({ ...container(locate), initProgram: init }) : container,
    };
    const state: ShellState = { env: new Map(env), ...(cwd ? { cwd } : {}) };
    const sitesOf = (words: Token[]): Site[] => {
      const invocation = findGunicornInvocation(words, { version });
      if (invocation) {
        const span = { from: words[0]!.from, to: words[words.length - 1]!.to };
        return [{ ...base, invocation, span, exact: !words.some((word) => coarseTokens.has(word)) }];
      }
      return shellScriptSites(text, words, 'compose', version, state, { unit: service.name }).map((site) => ({
        ...site,
        ...(environmentFiles.length ? { environmentFiles } : {}),
        ...(build ? { build } : {}),
        container: base.container,
      }));
    };
    const combined = sitesOf([...(entrypoint ?? []), ...(command ?? [])]);
    // An entry-point script that runs its arguments (`exec "$@"`): the command is what it starts.
    sites.push(...(combined.length || !entrypoint || !command ? combined : sitesOf(command)));
  }
  return sites;
}
