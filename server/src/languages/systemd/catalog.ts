// The one API over the systemd directive catalogue: lookups by name and section, unit types, did-you-mean.

import { closestMatches } from '../../core/editDistance';
import { BoundedMemo } from '../../core/memo';
import { untemplatedPath } from '../../core/templates';
import type { DirectiveInfo, SystemdCatalogData, SystemdSection, SystemdSectionInfo } from './catalogTypes';

/** Unit types whose files we understand, by suffix (without the dot). */
export const UNIT_TYPES = [
  'service',
  'socket',
  'timer',
  'path',
  'mount',
  'automount',
  'swap',
  'target',
  'slice',
  'scope',
  'device',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export class SystemdCatalog {
  readonly sections: readonly SystemdSectionInfo[];
  private readonly byName = new Map<string, DirectiveInfo[]>();
  private readonly byLowerName = new Map<string, string>();

  constructor(readonly data: SystemdCatalogData) {
    this.sections = data.sections;
    for (const directive of data.directives) {
      const list = this.byName.get(directive.name) ?? [];
      list.push(directive);
      this.byName.set(directive.name, list);
      this.byLowerName.set(directive.name.toLowerCase(), directive.name);
    }
  }

  section(name: string): SystemdSectionInfo | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /** Sections a unit of `type` may contain; all sections when the type is unknown. */
  sectionsFor(type: UnitType | undefined): SystemdSectionInfo[] {
    return type ? this.sections.filter((s) => s.unitTypes.includes(`.${type}`)) : [...this.sections];
  }

  /** Every entry for a key, whatever the section (most keys have one). */
  entries(name: string): readonly DirectiveInfo[] {
    return this.byName.get(name) ?? [];
  }

  /** The entry for `name` as read in `section`, if systemd accepts the key there. */
  directive(name: string, section: string): DirectiveInfo | undefined {
    return this.entries(name).find((d) => d.sections.includes(section as SystemdSection));
  }

  /** The correctly cased key when `name` differs only in case (keys are case-sensitive). */
  caseFix(name: string): string | undefined {
    const real = this.byLowerName.get(name.toLowerCase());
    return real && real !== name ? real : undefined;
  }

  private readonly inSection = new Map<string, DirectiveInfo[]>();

  /** The directives a section accepts (memoised: completion asks on every keystroke). */
  directivesIn(section: string): DirectiveInfo[] {
    let list = this.inSection.get(section);
    if (!list) {
      list = this.data.directives.filter((d) => d.sections.includes(section as SystemdSection));
      this.inSection.set(section, list);
    }
    return list;
  }

  private readonly suggestions = new BoundedMemo<string[]>();

  /** Up to `limit` keys of `section` close to `word` (memoised: typos repeat). */
  suggest(word: string, section: string, limit = 3): string[] {
    return this.suggestions.get(`${section} ${limit} ${word}`, () =>
      closestMatches(
        word,
        this.directivesIn(section).map((d) => d.name),
        limit,
      ),
    );
  }

  /** The freedesktop.org page and anchor that documents a directive. */
  docsUrl(directive: DirectiveInfo): string {
    const page = directive.man.replace(/\(\d\)$/, '');
    return `https://www.freedesktop.org/software/systemd/man/latest/${page}.html#${encodeURIComponent(`${directive.name}=`)}`;
  }
}

let shared: SystemdCatalog | undefined;

/** The bundled catalogue, loaded once. */
export function systemdCatalog(): SystemdCatalog {
  // Required on first use, not imported: a server that never sees this language never builds these objects (the
  // bundler keeps a required JSON module unevaluated until then), which keeps one open config's memory small.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  shared ??= new SystemdCatalog(require('../../../data/systemd/directives.json') as SystemdCatalogData);
  return shared;
}

/**
 * The unit type of a file from its name: `app.service` → service; a drop-in `app.service.d/override.conf` takes the
 * type of its directory. Undefined when the name says nothing.
 */
export function unitTypeOf(path: string): UnitType | undefined {
  const parts = untemplatedPath(path).split(/[\\/]/);
  const base = parts[parts.length - 1] ?? '';
  const fromName = /\.([a-z]+)$/.exec(base)?.[1];
  if (fromName && (UNIT_TYPES as readonly string[]).includes(fromName)) return fromName as UnitType;
  const dir = parts[parts.length - 2] ?? '';
  const fromDir = /\.([a-z]+)\.d$/.exec(dir)?.[1];
  if (fromDir && (UNIT_TYPES as readonly string[]).includes(fromDir)) return fromDir as UnitType;
  return undefined;
}

// `conf.d/*.conf` is nginx's, not a drop-in: the directory must be named after a unit (`app.service.d`).
const DROP_IN_PATH = new RegExp(`\\.(?:${UNIT_TYPES.join('|')})\\.d[\\\\/][^\\\\/]+\\.conf$`);

/**
 * A file named as an override (`override.conf`, and in repositories that keep it beside the units it extends,
 * `nginx_override.conf`, `gunicorn-override.service`): installed as a drop-in, whatever its suffix says.
 */
const OVERRIDE_NAME = new RegExp(
  `(^|[\\\\/])(?:[\\w@.-]*[-_.])?override\\.(?:conf|${UNIT_TYPES.join('|')})$`,
);

/** True for drop-in fragments (`*.d/*.conf`), which extend a unit and need not repeat [Install] or ExecStart=. */
export function isDropIn(path: string): boolean {
  const rendered = untemplatedPath(path);
  return DROP_IN_PATH.test(rendered) || OVERRIDE_NAME.test(rendered);
}
