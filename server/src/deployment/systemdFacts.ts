// What the deployment model needs from systemd units: a service's directives (drop-ins merged) and its sockets.

import { untemplatedPath } from '../core/templates';
import { FolderIndex, foldersOf } from '../core/folderIndex';
import { compareStrings, type Range } from '../core/text';
import { parseUnitFileOf, valueSubSpan, type Directive, type UnitModel } from '../languages/systemd/parse';
import { endpointKey, listenStreamEndpoint, type Endpoint } from './addresses';
import type { Located, WorkspaceSource } from './types';
import { forwardSlashes as norm } from '../core/paths';

export interface ParsedUnit {
  uri: string;
  path: string;
  /** `app.service`, `app.socket`. */
  name: string;
  model: UnitModel;
  /** True for a drop-in (`app.service.d/override.conf`). */
  dropIn: boolean;
}

/** One assignment with the file it is in. */
export interface UnitDirective {
  unit: ParsedUnit;
  directive: Directive;
}

export interface SocketListen {
  endpoint: Endpoint;
  where: UnitDirective;
}

export interface SocketFacts {
  unit: ParsedUnit;
  listens: SocketListen[];
  /** `ListenStream=` values we cannot read (dynamic or unusual): matching against them is unknown. */
  unreadable: boolean;
  /** The service it starts (`Service=`, else the same base name). */
  service: string;
}

export function unitNameOf(path: string): string | undefined {
  // A template (`app.socket.j2`) is the unit it renders to.
  const p = norm(untemplatedPath(path));
  const dropIn = /\/([^/]+\.(?:service|socket))\.d\/[^/]+\.conf$/.exec(p);
  if (dropIn) return dropIn[1];
  return /([^/]+\.(?:service|socket))$/.exec(p)?.[1];
}

/** Whether a unit file is a drop-in (`app.service.d/override.conf`): it changes the unit of its folder's name. */
export function isDropInPath(path: string): boolean {
  return /\.d\/[^/]+\.conf$/.test(norm(path));
}

export function parseUnits(sources: readonly WorkspaceSource[]): ParsedUnit[] {
  const units: ParsedUnit[] = [];
  for (const source of sources) {
    if (source.kind !== 'systemd') continue;
    const name = unitNameOf(source.path);
    if (!name) continue;
    units.push({
      uri: source.uri,
      path: source.path,
      name,
      model: parseUnitFileOf(source.path, source.text),
      dropIn: isDropInPath(source.path),
    });
  }
  return units;
}

/** Questions a view answers by scanning its directives before it indexes them by key (see UnitView.all). */
const SCANS_BEFORE_INDEX = 4;

/** A service (or socket) unit with its drop-ins: later assignments win, as systemd reads them. */
export class UnitView {
  constructor(readonly files: readonly ParsedUnit[]) {}

  get main(): ParsedUnit | undefined {
    return this.files.find((f) => !f.dropIn) ?? this.files[0];
  }

  /**
   * Assignments by section and key, made once a view has been asked often: rules ask the views of the deployments
   * they judge for many keys (a scan per question would make that quadratic in a big unit), while most views are
   * asked two or three keys per build (their sockets and `Sockets=`) and are kept across builds, so a map for each
   * would be kept too (2 MB at 2,000 modelled files).
   */
  private byKey: Map<string, UnitDirective[]> | undefined;
  private asked = 0;

  /** Every assignment of `key` in `section`, in the order systemd applies them (main file first, then drop-ins). */
  all(section: string, key: string): UnitDirective[] {
    if (!this.byKey && ++this.asked > SCANS_BEFORE_INDEX) {
      this.byKey = new Map();
      for (const unit of this.files) {
        for (const directive of unit.model.directives) {
          if (!directive.section) continue;
          const id = `${directive.section.name}\u0000${directive.key}`;
          let list = this.byKey.get(id);
          if (!list) this.byKey.set(id, (list = []));
          list.push({ unit, directive });
        }
      }
    }
    if (this.byKey) return [...(this.byKey.get(`${section}\u0000${key}`) ?? [])];
    const found: UnitDirective[] = [];
    for (const unit of this.files) {
      for (const directive of unit.model.directives) {
        if (directive.key === key && directive.section?.name === section) found.push({ unit, directive });
      }
    }
    return found;
  }

  /** The assignment that counts for a single-valued key; an empty assignment resets it to the default. */
  last(section: string, key: string): UnitDirective | undefined {
    const list = this.all(section, key);
    const last = list[list.length - 1];
    return last && last.directive.value !== '' ? last : undefined;
  }

  /** The words of a list-valued key (an empty assignment clears what came before). */
  words(section: string, key: string): { word: string; where: UnitDirective; range: Range }[] {
    let words: { word: string; where: UnitDirective; range: Range }[] = [];
    for (const where of this.all(section, key)) {
      if (where.directive.value === '') {
        words = [];
        continue;
      }
      const pattern = /\S+/g;
      for (let m = pattern.exec(where.directive.value); m; m = pattern.exec(where.directive.value)) {
        const span = valueSubSpan(where.directive, m.index, m.index + m[0].length);
        words.push({ word: m[0], where, range: where.unit.model.lines.range(span.from, span.to) });
      }
    }
    return words;
  }
}

export function located(where: UnitDirective): Located<string> {
  const { directive, unit } = where;
  return {
    value: directive.value,
    uri: unit.uri,
    range: unit.model.lines.range(directive.valueSpan.from, directive.valueSpan.to),
  };
}

export function keyRange(where: UnitDirective): Range {
  return where.unit.model.lines.range(where.directive.keySpan.from, where.directive.keySpan.to);
}

export function valueRange(where: UnitDirective): Range {
  return where.unit.model.lines.range(where.directive.valueSpan.from, where.directive.valueSpan.to);
}

/** Items by a key of theirs, each list in the items' order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list) list.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** The folders a unit file belongs to: for a drop-in (`x/app.service.d/a.conf`), those holding its `.d` folder. */
function unitHome(unit: ParsedUnit): string[] {
  const folders = foldersOf(unit.path);
  return unit.dropIn ? folders.slice(0, -1) : folders;
}

/** The views of one unit name, indexed by their main file's folders (see `unitViews`). */
export class NamedUnits {
  private readonly index: FolderIndex<UnitView>;

  constructor(readonly views: readonly UnitView[]) {
    this.index = new FolderIndex(views, (view) => (view.main ? unitHome(view.main) : []));
  }

  /** The view nearest a file (the unit file's own view for itself); the first on a tie. */
  nearest(path: string): UnitView | undefined {
    return this.index.nearest(foldersOf(path))[0];
  }
}

/**
 * Units by name with their drop-ins. Files of one name in different folders are different units (one per project,
 * host or environment of the workspace): each main file is a view of its own, and a drop-in joins the nearest main
 * file of its name (all of them on a tie). Drop-ins without any main file of their name form one view.
 */
export function unitViews(units: readonly ParsedUnit[]): Map<string, NamedUnits> {
  const byName = groupBy(units, (unit) => unit.name);
  const views = new Map<string, NamedUnits>();
  const byPath = (a: ParsedUnit, b: ParsedUnit): number => compareStrings(a.path, b.path);
  for (const [name, list] of byName) {
    const mains = list.filter((unit) => !unit.dropIn).sort(byPath);
    const dropIns = list.filter((unit) => unit.dropIn).sort(byPath);
    if (!mains.length) {
      views.set(name, new NamedUnits([new UnitView(dropIns)]));
      continue;
    }
    const groups = new Map(mains.map((main) => [main, [main]]));
    const index = new FolderIndex(mains, unitHome);
    for (const dropIn of dropIns) {
      for (const main of index.nearest(unitHome(dropIn))) groups.get(main)!.push(dropIn);
    }
    views.set(name, new NamedUnits(mains.map((main) => new UnitView(groups.get(main)!))));
  }
  return views;
}

export function socketFacts(view: UnitView): SocketFacts | undefined {
  const main = view.main;
  if (!main || !main.name.endsWith('.socket')) return undefined;
  const listens: SocketListen[] = [];
  let unreadable = false;
  const seen = new Set<string>();
  for (const where of view.all('Socket', 'ListenStream')) {
    if (where.directive.value === '') {
      listens.length = 0;
      continue;
    }
    const endpoint = listenStreamEndpoint(where.directive.value);
    if (!endpoint) {
      unreadable = true;
      continue;
    }
    if (seen.has(endpointKey(endpoint))) continue;
    seen.add(endpointKey(endpoint));
    listens.push({ endpoint, where });
  }
  const service =
    view.last('Socket', 'Service')?.directive.value ?? main.name.replace(/\.socket$/, '.service');
  return { unit: main, listens, unreadable, service };
}

/** The workspace's sockets by the service each starts and by their own name, the nearest of each found by folder. */
export class SocketIndex {
  private readonly byService = new Map<string, FolderIndex<SocketFacts>>();
  private readonly byName = new Map<string, FolderIndex<SocketFacts>>();

  constructor(sockets: readonly SocketFacts[]) {
    const home = (socket: SocketFacts): string[] => unitHome(socket.unit);
    for (const [name, list] of groupBy(sockets, (socket) => socket.service)) {
      this.byService.set(name, new FolderIndex(list, home));
    }
    for (const [name, list] of groupBy(sockets, (socket) => socket.unit.name)) {
      this.byName.set(name, new FolderIndex(list, home));
    }
  }

  /**
   * The sockets whose file descriptors systemd hands to `service` (so Gunicorn serves them and ignores its bind): those
   * that name it nearest the service's file (one per socket name), and those its `Sockets=` names.
   */
  activating(service: UnitView, serviceName: string): SocketFacts[] {
    const home = service.main ? unitHome(service.main) : [];
    const found = new Map<string, SocketFacts>();
    for (const socket of this.byService.get(serviceName)?.nearest(home) ?? []) {
      if (!found.has(socket.unit.name)) found.set(socket.unit.name, socket);
    }
    for (const { word } of service.words('Service', 'Sockets')) {
      const socket = this.byName.get(word)?.nearest(home)[0];
      if (socket) found.set(word, socket);
    }
    return [...found.values()];
  }
}
