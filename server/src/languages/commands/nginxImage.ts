// The nginx version a Dockerfile or compose file runs: `FROM nginx:1.27`, `image: nginx:1.26-alpine`, OpenResty images.

import type { CommandSourceKind } from './parse';

/** One nginx image reference: its nginx version (`latest` for a moving tag) and its zero-based line. */
export interface NginxImageReference {
  /** "1.27", "1.27.3" (as written, suffixes dropped), "stable" for `stable*` tags, or "latest" for `latest`,
   * `mainline`, `alpine`… or no tag */
  version: string;
  line: number;
  /** the image as written, e.g. `nginx:1.27.3-alpine` */
  image: string;
}

/**
 * Repositories whose tags are nginx versions: Docker Hub's official image, NGINX Inc's images (also on their
 * registries), Bitnami's. OpenResty is handled apart: its versions are nginx's plus a fourth number.
 */
const NGINX_REPOSITORIES =
  /^(?:(?:docker\.io|registry\.hub\.docker\.com|public\.ecr\.aws|mirror\.gcr\.io|ghcr\.io|quay\.io)\/)?(?:library\/|nginx\/|docker\/library\/)?(?:nginxinc\/)?(?:nginx|nginx-unprivileged)$|^(?:[\w.-]+\/)?bitnami\/nginx$/;
const OPENRESTY = /^(?:(?:docker\.io)\/)?openresty\/openresty$/;

/** The nginx version of an image reference, if it names an nginx (or OpenResty) image. */
export function nginxVersionOfImage(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  const hasTag = colon > slash;
  const repository = (hasTag ? withoutDigest.slice(0, colon) : withoutDigest).toLowerCase();
  const tag = hasTag ? withoutDigest.slice(colon + 1) : '';
  if (NGINX_REPOSITORIES.test(repository)) {
    const version = /^(\d+\.\d+(?:\.\d+)?)(?:$|[-_])/.exec(tag);
    if (version) return version[1];
    if (/^stable(?:$|-)/.test(tag)) return 'stable';
    // `latest`, `mainline`, `alpine`, `perl`… or no tag: a moving target, read as the newest release.
    return /^\d/.test(tag) || /\$/.test(tag) ? undefined : 'latest';
  }
  if (OPENRESTY.test(repository)) {
    // 1.25.3.1-alpine → nginx core 1.25.3; `alpine`, `latest` and friends → the newest.
    const version = /^(\d+\.\d+\.\d+)(?:\.\d+)?(?:$|[-_])/.exec(tag);
    if (version) return version[1];
    return /^\d/.test(tag) || /\$/.test(tag) ? undefined : 'latest';
  }
  return undefined;
}

/**
 * Every nginx image a Dockerfile's `FROM` lines or a compose file's `image:` keys name. Images written with a
 * variable (`nginx:${NGINX_VERSION}`) are skipped: the version is not in the text.
 */
export function nginxImageReferences(kind: CommandSourceKind, text: string): NginxImageReference[] {
  const found: NginxImageReference[] = [];
  const lines = text.slice(0, 1_000_000).split(/\r?\n/);
  lines.forEach((line, index) => {
    let image: string | undefined;
    if (kind === 'dockerfile') {
      // FROM [--platform=…] image [AS name]
      image = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line)?.[1];
    } else if (kind === 'compose') {
      image = /^\s*(?:-\s+)?image\s*:\s*["']?([^\s"'#]+)/.exec(line)?.[1];
    }
    if (!image) return;
    const version = nginxVersionOfImage(image);
    if (version) found.push({ version, line: index, image });
  });
  return found;
}

/** An nginx image found in a workspace file, with the file's path. */
export interface NginxImageFound extends NginxImageReference {
  path: string;
}

/** Every nginx image the Dockerfiles and compose files among `sources` name, in the order given. */
export function nginxImagesIn(
  sources: readonly { path: string; kind: string; text: string }[],
): NginxImageFound[] {
  return sources.flatMap((source) =>
    source.kind === 'dockerfile' || source.kind === 'compose'
      ? nginxImageReferences(source.kind, source.text).map((found) => ({ ...found, path: source.path }))
      : [],
  );
}
