// Which files are nginx configuration by their path, as the extension's manifest associates them.

/** nginx files by path, as the manifest associates them: nginx.conf, *.nginx, nginx/…/*.conf, sites-*, conf.d/*.conf. */
export function isNginxPath(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  return (
    /(^|\/)nginx\.conf$/.test(normalized) ||
    /\.nginx$/.test(normalized) ||
    /(^|\/)nginx\/(.+\/)?[^/]+\.conf$/.test(normalized) ||
    /(^|\/)sites-(available|enabled)\/[^/]+$/.test(normalized) ||
    /(^|\/)conf\.d\/[^/]+\.conf$/.test(normalized)
  );
}
