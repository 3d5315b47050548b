// IP addresses and networks parsed the way Python's `ipaddress` module parses them (Gunicorn validates with it).

export type IpVersion = 4 | 6;

export interface ParsedAddress {
  version: IpVersion;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

const IPV4_BITS = 32n;
const IPV6_BITS = 128n;

/** A dotted-quad IPv4 address: four decimal octets, no leading zeros (Python ≥ 3.9.5 rejects them). */
export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** An IPv6 address with optional `::` compression, an embedded IPv4 tail and a `%scope` suffix. */
export function parseIPv6(text: string): bigint | undefined {
  let body = text;
  const percent = body.indexOf('%');
  if (percent >= 0) {
    // Python accepts any non-empty scope id without '%' or '/'.
    const scope = body.slice(percent + 1);
    if (scope === '' || /[%/]/.test(scope)) return undefined;
    body = body.slice(0, percent);
  }
  const groups: number[] = [];
  let tailIPv4: bigint | undefined;
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.slice(lastColon + 1).includes('.')) {
    tailIPv4 = parseIPv4(body.slice(lastColon + 1));
    if (tailIPv4 === undefined) return undefined;
    body = body.slice(0, lastColon + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    // '::' must stand for at least one group.
    if (head.length + tail.length > 7) return undefined;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    if (head.length !== 8) return undefined;
    groups.push(...head);
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  if (tailIPv4 !== undefined) value = (value & ~0xffffffffn) | tailIPv4;
  return value;
}

/** `ipaddress.ip_address(text)`: an IPv4 or IPv6 address. */
export function parseIpAddress(text: string): ParsedAddress | undefined {
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/** Prefix length of a `/N` suffix, or of an IPv4 netmask/hostmask, as Python reads it. */
function prefixLength(suffix: string, version: IpVersion): number | undefined {
  const bits = version === 4 ? 32 : 128;
  if (/^\d+$/.test(suffix)) {
    const n = Number(suffix);
    return n <= bits ? n : undefined;
  }
  if (version === 6) return undefined;
  const mask = parseIPv4(suffix);
  if (mask === undefined) return undefined;
  const asPrefix = (m: bigint): number | undefined => {
    for (let n = 0; n <= 32; n++) {
      const candidate = n === 0 ? 0n : ((1n << BigInt(n)) - 1n) << BigInt(32 - n);
      if (candidate === m) return n;
    }
    return undefined;
  };
  return asPrefix(mask) ?? asPrefix(mask ^ 0xffffffffn);
}

/**
 * Why `ipaddress.ip_network(text, strict)` would reject `text`, or undefined when it accepts it.
 * Strict mode rejects networks with host bits set, e.g. `192.168.1.1/24`.
 */
export function ipNetworkProblem(text: string, strict: boolean): string | undefined {
  const slash = text.split('/');
  if (slash.length > 2) return `'${text}' is not an IP network`;
  const address = parseIpAddress(slash[0] ?? '');
  if (!address) return `'${text}' is not an IPv4 or IPv6 address or network`;
  if (slash.length === 1) return undefined;
  const prefix = prefixLength(slash[1] ?? '', address.version);
  if (prefix === undefined) return `'${slash[1] ?? ''}' is not a valid prefix length or netmask`;
  if (!strict) return undefined;
  const total = address.version === 4 ? IPV4_BITS : IPV6_BITS;
  const hostBits = (1n << (total - BigInt(prefix))) - 1n;
  return address.value & hostBits ? `'${text}' has host bits set` : undefined;
}

/** Why `ipaddress.ip_address(text)` would reject `text`, or undefined when it accepts it. */
export function ipAddressProblem(text: string): string | undefined {
  return parseIpAddress(text) ? undefined : `'${text}' is not an IPv4 or IPv6 address`;
}
