// The CPU limits of each compose service: `cpus:` and `deploy.resources.limits.cpus` (a CFS quota) and `cpuset:`
// (the CPUs it may run on), with where they are written. Pure: compose text in, plain data out; never throws.

import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';

export interface ComposeCpuLimit {
  /** `cpus` (a quota, in CPUs) or `cpuset` (a list of CPUs the container may use). */
  kind: 'cpus' | 'cpuset';
  /** The value as written (`"1.5"`, `0-3`). */
  value: string;
  /** Offsets of the value in the text. */
  from: number;
  to: number;
}

/** Texts above this size are not read for limits (a compose file is a few kilobytes). */
const MAX_TEXT = 500_000;

function scalarAt(
  node: unknown,
  path: readonly string[],
): { value: string; from: number; to: number } | undefined {
  let current: unknown = node;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = current.get(key, true);
  }
  if (!isScalar(current) || !current.range) return undefined;
  const value = current.value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return { value: String(value), from: current.range[0], to: current.range[1] };
}

/** Limits by service name; services without any are left out. */
export function composeCpuLimits(text: string): Map<string, ComposeCpuLimit[]> {
  const limits = new Map<string, ComposeCpuLimit[]>();
  if (text.length > MAX_TEXT) return limits;
  try {
    const document = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false });
    const services = isMap(document.contents) ? document.contents.get('services', true) : undefined;
    if (!isMap(services)) return limits;
    for (const pair of services.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const service = pair.value as Node | null;
      if (!name || !isMap(service)) continue;
      const found: ComposeCpuLimit[] = [];
      const quota =
        scalarAt(service, ['deploy', 'resources', 'limits', 'cpus']) ?? scalarAt(service, ['cpus']);
      if (quota) found.push({ kind: 'cpus', ...quota });
      const cpuset = scalarAt(service, ['cpuset']);
      if (cpuset) found.push({ kind: 'cpuset', ...cpuset });
      if (found.length) limits.set(name, found);
    }
  } catch {
    // Unreadable YAML: no limits known.
  }
  return limits;
}
