// The `commands` language: files that start Gunicorn (Dockerfiles, Procfiles, compose files, shell scripts), read
// into their launches once per target version.

import { LineIndex } from '../../core/text';
import { formatVersion, type Version } from '../../core/version';
import type { ParsedSource } from '../gunicorn/launchSites';
import { readCommandSource } from './sources';

/** `manifest`: a Kubernetes manifest, render.yaml, App Engine app.yaml, fly.toml or app.json (by content). */
export type CommandSourceKind = 'dockerfile' | 'procfile' | 'compose' | 'shell' | 'manifest';

export interface CommandsModel {
  kind: CommandSourceKind;
  text: string;
  lines: LineIndex;
  /** The launches, regions and comments of the file as read for `version` (cached per version). */
  at(version: Version): ParsedSource;
}

/** Parses a command source; never throws. */
export function parseCommands(
  kind: CommandSourceKind,
  text: string,
  version: Version,
  path = '',
): CommandsModel {
  const lines = new LineIndex(text);
  const cache = new Map<string, ParsedSource>();
  const at = (target: Version): ParsedSource => {
    const key = formatVersion(target);
    let parsed = cache.get(key);
    if (!parsed) {
      parsed = readCommandSource({ uri: '', path, kind, text }, target);
      cache.set(key, parsed);
    }
    return parsed;
  };
  at(version);
  return { kind, text, lines, at };
}
