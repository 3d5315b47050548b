// Types of the systemd unit-file catalogue (server/data/systemd/directives.json): sections and directives.

/** A unit-file section that carries directives (the [X-…] extension sections are not listed). */
export type SystemdSection =
  | 'Unit'
  | 'Install'
  | 'Service'
  | 'Socket'
  | 'Timer'
  | 'Path'
  | 'Mount'
  | 'Automount'
  | 'Swap'
  | 'Slice'
  | 'Scope';

/**
 * How a directive's value is read:
 * - `bool` yes/no/true/false/on/off/1/0; `timespan` "5min 20s" or plain seconds; `calendar` an OnCalendar= expression;
 * - `enum` one of `values`; `mode` an octal access mode; `path`/`paths` one or several absolute paths;
 * - `command` a command line with optional exec prefixes; `unit`/`units` one or several unit names;
 * - `size` bytes with K/M/G/T suffixes (or a percentage, or "infinity"); `limit` an rlimit "soft[:hard]";
 * - `int` an integer; `signal` a signal name or number; `user` a user or group name or id;
 * - `string`/`strings` free text, one or a space-separated list; `listen` a socket address; `env` KEY=VALUE pairs;
 * - `envfile` an environment file path, optionally "-"-prefixed; `percent` a percentage; `weight` a cgroup weight;
 * - `nice` a nice level -20..19; `cpuset` CPU or NUMA node indices and ranges; `condition` a Condition…=/Assert…= check.
 */
export type DirectiveType =
  | 'bool'
  | 'timespan'
  | 'calendar'
  | 'enum'
  | 'mode'
  | 'path'
  | 'paths'
  | 'command'
  | 'units'
  | 'unit'
  | 'size'
  | 'limit'
  | 'int'
  | 'signal'
  | 'user'
  | 'string'
  | 'strings'
  | 'listen'
  | 'env'
  | 'envfile'
  | 'percent'
  | 'weight'
  | 'nice'
  | 'cpuset'
  | 'condition';

/** A deprecation notice for a whole directive or for one of its values. */
export interface DeprecationInfo {
  message: string;
  /** The directive (or value) to use instead, when there is a direct one. */
  replacement?: string;
  /** True when systemd 252 itself prints a warning for it while loading the unit (checked by the oracle test). */
  warns?: boolean;
}

/**
 * One directive. A name appears once, except when its meaning differs by section: then there is one entry per meaning,
 * with disjoint `sections` (Type= in [Service] is an enum, in [Mount] a file-system type).
 */
export interface DirectiveInfo {
  /** The key as written in the unit file, e.g. "ExecStart". */
  name: string;
  /** Every section where systemd accepts it (exec/kill/resource-control options appear in several). */
  sections: SystemdSection[];
  type: DirectiveType;
  /** For `enum`: every accepted value (e.g. Restart=); omitted for `bool`. For other types: well-known values. */
  values?: string[];
  /** Values added after the directive itself, with the systemd version that added them (e.g. Type=notify-reload: 253). */
  valuesSince?: Record<string, number>;
  /** For `enum`: any boolean spelling (yes/no/true/false/on/off/1/0) is accepted too (e.g. ProtectSystem=). */
  acceptsBool?: boolean;
  /** May be repeated and accumulates (ExecStartPre=, Environment=, After=, …); an empty assignment resets it. */
  list?: boolean;
  /** For `command`: the exec prefixes systemd accepts, out of "-", "@", ":", "+", "!", "!!". */
  prefixes?: string[];
  /** The directive is deprecated (e.g. MemoryLimit= → MemoryMax=). */
  deprecated?: DeprecationInfo;
  /** Deprecated values (e.g. KillMode=none). */
  deprecatedValues?: (DeprecationInfo & { value: string })[];
  /**
   * Deprecated only in some of its sections (e.g. StartLimitBurst= in [Service], which moved to [Unit]); systemd still
   * accepts it there.
   */
  deprecatedIn?: (DeprecationInfo & { section: SystemdSection })[];
  /**
   * Sections (among `sections`) where systemd 252 parses the key but then ignores it, logging that it is not supported
   * for that unit type (e.g. Delegate= in a .socket).
   */
  ignoredIn?: SystemdSection[];
  /** Undocumented alias kept for compatibility: the documented name it stands for (e.g. BindTo → BindsTo). */
  aliasOf?: string;
  /**
   * The systemd version that added it (generated from systemd's sources: man-page marks, NEWS, the parser tables of
   * the releases in `versions.sampled`). With `sinceAfter`, only an upper bound: it came in (sinceAfter, since].
   */
  since?: number;
  /** The last release known to lack it, when `since` is only an upper bound. */
  sinceAfter?: number;
  /** Sections that got the directive later than `since` (OOMPolicy= reached [Scope] in 251). */
  sectionSince?: Partial<Record<SystemdSection, number>>;
  /** The release that dropped it (`removed`: an unknown key from then on) or started to ignore it with a notice. */
  gone?: GoneInfo;
  /** systemd knows the name, we have no description or value type for it yet (type is `string`). */
  nameOnly?: boolean;
  /** A value systemd 252 accepts for this directive (used by the oracle test and by completion). */
  example: string;
  /** 1-2 sentences of markdown, in our own words. */
  doc: string;
  /** The man page that documents it, e.g. "systemd.exec(5)". */
  man: string;
}

/** How and when a release stopped reading a directive. */
export interface GoneInfo {
  /** `removed`: the key is unknown from `version` on; `ignored`: still accepted, logged as unsupported, no effect. */
  how: 'removed' | 'ignored';
  /** The first release without it (an upper bound when `after` is given: it went in (after, version]). */
  version: number;
  after?: number;
  /** The name that took over, when it was renamed. */
  replacement?: string;
}

export interface SystemdSectionInfo {
  name: SystemdSection;
  /** File suffixes of the unit types where the section may appear, e.g. [".service"]. */
  unitTypes: string[];
  /** Our own words. */
  doc: string;
}

export interface SystemdCatalogData {
  /** Where the facts come from. */
  source: string;
  /** The systemd version the catalogue's types and values were checked against. */
  systemdVersion: number;
  /** The releases the version facts cover: `oldest` to `newest`, from the sources of the `sampled` releases. */
  versions: { oldest: number; newest: number; sampled: string[] };
  sections: SystemdSectionInfo[];
  directives: DirectiveInfo[];
}
