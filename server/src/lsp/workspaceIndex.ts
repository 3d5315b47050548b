// Keeps the workspace's deployment files in memory for the cross-file model: read once in small slices (so hovers and
// completions are answered in between), then kept current from watched-file events and the editor's open documents.

import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceKind, WorkspaceSource } from '../deployment/types';
import { listWorkspaceFiles, readTextFile } from '../workspaceFiles';

/** Files read per slice before yielding to the event loop. */
const SLICE = 16;
/** Bounds for giant workspaces: the model sees at most this many deployment files. */
const MAX_SOURCES = 2_000;
const MAX_BYTES = 1_000_000;

export class WorkspaceIndex {
  private readonly disk = new Map<string, WorkspaceSource>();
  private readonly open = new Map<string, WorkspaceSource>();
  private scanning: Promise<void> | undefined;
  private listed: string[] = [];
  /** Bumped on every change, so callers can cache what they derive from `sources()`. */
  generation = 0;

  constructor(
    private readonly roots: readonly string[],
    private readonly kindOf: (path: string) => SourceKind | undefined,
  ) {}

  /** Reads every deployment file of the workspace once; later calls return the same promise. */
  scan(): Promise<void> {
    this.scanning ??= this.readAll();
    return this.scanning;
  }

  private async readAll(): Promise<void> {
    this.listed = listWorkspaceFiles(this.roots);
    const paths = this.listed.filter((path) => this.kindOf(path) !== undefined).slice(0, MAX_SOURCES);
    for (let i = 0; i < paths.length; i += SLICE) {
      for (const path of paths.slice(i, i + SLICE)) this.readFromDisk(path);
      this.generation++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private readFromDisk(path: string): void {
    const kind = this.kindOf(path);
    const text = kind ? readTextFile(path, MAX_BYTES) : undefined;
    if (!kind || text === undefined) {
      this.disk.delete(path);
      return;
    }
    this.disk.set(path, { uri: pathToFileURL(path).href, path, kind, text });
  }

  /** A watched file was created, changed or deleted. */
  fileChanged(uri: string): void {
    if (!uri.startsWith('file:')) return;
    const path = fileURLToPath(uri);
    this.readFromDisk(path);
    this.generation++;
  }

  /** The editor's text wins over the disk while a document is open. */
  setOpen(uri: string, path: string, text: string): void {
    const kind = this.kindOf(path) ?? this.open.get(uri)?.kind;
    if (!kind) return;
    this.open.set(uri, { uri, path, kind, text });
    this.generation++;
  }

  /** Open documents whose language the editor decides (e.g. a `-c` file with an unusual name) use this kind. */
  setOpenWithKind(uri: string, path: string, kind: SourceKind, text: string): void {
    this.open.set(uri, { uri, path, kind, text });
    this.generation++;
  }

  close(uri: string): void {
    if (this.open.delete(uri)) this.generation++;
  }

  /** Every file path of the workspace as last listed (any kind), for resolving names such as `-c FILE`. */
  allPaths(): readonly string[] {
    return this.listed;
  }

  /** Every known deployment file, open documents first. */
  sources(): WorkspaceSource[] {
    const result = [...this.open.values()];
    const openPaths = new Set(result.map((s) => s.path));
    for (const source of this.disk.values()) if (!openPaths.has(source.path)) result.push(source);
    return result;
  }
}
