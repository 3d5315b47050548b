// Whether a directive exists in a given systemd release, from the catalogue's generated since/gone facts.

import type { DirectiveInfo, SystemdSection } from './catalogTypes';

export type Availability =
  /** The release reads it. */
  | { state: 'available' }
  /** Added later than the release: certain unless `certain` is false (only an upper bound is known). */
  | { state: 'too-new'; since: number; certain: boolean }
  /** Removed by then: the release reports it as an unknown key. */
  | { state: 'removed'; version: number; certain: boolean; replacement?: string }
  /** Accepted by the release but ignored, with a notice that support was removed. */
  | { state: 'ignored'; version: number; certain: boolean; replacement?: string };

/** The version a directive reached `section` in, if known. */
export function sinceIn(info: DirectiveInfo, section: string | undefined): number | undefined {
  return (section ? info.sectionSince?.[section as SystemdSection] : undefined) ?? info.since;
}

/**
 * Where `release` stands with a directive. A range the sources leave open ((sinceAfter, since], (after, version])
 * gives `certain: false`: the rule says nothing then, hovers say "perhaps".
 */
export function availability(
  info: DirectiveInfo,
  section: string | undefined,
  release: number,
): Availability {
  const since = sinceIn(info, section);
  if (since !== undefined && release < since) {
    const sectionLater =
      section !== undefined && info.sectionSince?.[section as SystemdSection] !== undefined;
    const certain = sectionLater || info.sinceAfter === undefined || release <= info.sinceAfter;
    return { state: 'too-new', since, certain };
  }
  const gone = info.gone;
  if (gone && (release >= gone.version || (gone.after !== undefined && release > gone.after))) {
    return {
      state: gone.how,
      version: gone.version,
      certain: release >= gone.version,
      ...(gone.replacement ? { replacement: gone.replacement } : {}),
    };
  }
  return { state: 'available' };
}

/** "254", "248 to 252" when the sources only bound the release, "247 or earlier" when nothing older was read. */
export function whenWords(version: number, after: number | undefined): string {
  if (after === 0) return `${version} or earlier`;
  return after === undefined || after + 1 >= version ? `${version}` : `${after + 1} to ${version}`;
}

/** False only when `release` certainly does not read the directive (too new, removed, or ignored there). */
export function readBy(info: DirectiveInfo, section: string | undefined, release: number): boolean {
  const state = availability(info, section, release);
  return state.state === 'available' || !state.certain;
}
