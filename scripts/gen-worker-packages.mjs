// Generates server/data/packages/gunicorn-workers.json: for every Gunicorn release in server/data/gunicorn/versions.json,
// which package each of Gunicorn's own worker modules imports (and the oldest version of it the module accepts), and
// which packages each of Gunicorn's extras (`gunicorn[gevent]`) installs.
//
// Run by hand (CI never needs the sources; the generated JSON is committed):
//   node scripts/gen-worker-packages.mjs --repo /work/.mirror/benoitc+gunicorn/repo [--out FILE]
// The repository is a bare clone of https://github.com/benoitc/gunicorn (the `fetch` tool puts one there); the script
// reads each release tag with `git show TAG:PATH`.
//
// How each fact is found:
// - worker modules: gunicorn/workers/*.py of the tag; a module's package is the one it imports inside the `try:` whose
//   `except ImportError:` raises (the worker refuses to load without it);
// - the oldest version a module accepts: the version it compares the package's `__version__` (or `version_info`)
//   with before raising (`enforced`: Gunicorn stops at start-up below it), else the lower bound of the extra of the
//   same name (pip's resolver only: nothing checks it at run time);
// - extras: `extras_require` in setup.py (up to 21.x) or `[project.optional-dependencies]` in pyproject.toml (22.0 on).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const repo = option('--repo');
const out = option('--out') ?? join(root, 'server/data/packages/gunicorn-workers.json');
if (!repo) {
  process.stderr.write('usage: node scripts/gen-worker-packages.mjs --repo GUNICORN_GIT_DIR [--out FILE]\n');
  process.exit(2);
}

const git = (...rest) =>
  execFileSync('git', ['-C', repo, ...rest], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
const show = (tag, path) => {
  try {
    return git('show', `${tag}:${path}`);
  } catch {
    return undefined;
  }
};

/** Lower bound of a requirement string (`gevent>=1.4.0` → 1.4.0). */
const lowerBound = (requirement) => /(?:>=|==|~=)\s*([0-9][0-9.]*)/.exec(requirement)?.[1];
const nameOf = (requirement) =>
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/
    .exec(requirement)?.[1]
    ?.toLowerCase()
    .replace(/[-_.]+/g, '-');

/** The extras a release declares: name → requirement strings. */
function extrasOf(tag) {
  const extras = {};
  const pyproject = show(tag, 'pyproject.toml');
  const section =
    pyproject && /^\[project\.optional-dependencies\]\s*\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject);
  if (section) {
    // One `name = [ … ]` per extra, possibly over several lines.
    for (const m of section[1].matchAll(/^([A-Za-z0-9_-]+)\s*=\s*\[([\s\S]*?)\]/gm)) {
      extras[m[1]] = [...m[2].matchAll(/["']([^"']+)["']/g)].map((s) => s[1]);
    }
    return extras;
  }
  const setup = show(tag, 'setup.py') ?? '';
  const block = /extras?_require\s*=\s*\{([\s\S]*?)\n\}/.exec(setup);
  if (block) {
    for (const m of block[1].matchAll(/["']([A-Za-z0-9_-]+)["']\s*:\s*\[([^\]]*)\]/g)) {
      extras[m[1]] = [...m[2].matchAll(/["']([^"']+)["']/g)].map((s) => s[1]);
    }
  }
  return extras;
}

/** The package a worker module cannot load without, and the oldest version it accepts. */
function workerModule(source, extras) {
  const guarded =
    /try:\s*\n\s*import\s+([A-Za-z_][\w.]*)\s*\nexcept ImportError:\s*\n\s*raise RuntimeError/.exec(source);
  if (!guarded) return undefined;
  const pkg = guarded[1].split('.')[0];
  const compared =
    /parse_version\(\s*\w+\.__version__\s*\)\s*<\s*parse_version\(\s*['"]([0-9.]+)['"]\s*\)/.exec(
      source,
    )?.[1] ??
    /version_info\s*<\s*\(([0-9,\s]+)\)/
      .exec(source)?.[1]
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .join('.');
  const extra = (extras[pkg] ?? []).find((r) => nameOf(r) === pkg);
  const min = compared ?? (extra ? lowerBound(extra) : undefined);
  // `enforced`: the module itself refuses an older version at start-up (else the bound is only the extra's).
  return { package: pkg, ...(min ? { min, enforced: compared !== undefined } : {}) };
}

const versions = JSON.parse(readFileSync(join(root, 'server/data/gunicorn/versions.json'), 'utf8'));
const releases = {};
for (const version of versions) {
  const tag =
    git('tag', '--list', version).trim() || git('tag', '--list', version.replace(/\.0$/, '')).trim();
  if (!tag) {
    process.stderr.write(`no tag for ${version}\n`);
    continue;
  }
  const extras = extrasOf(tag);
  const workers = {};
  const files = git('ls-tree', '--name-only', tag, 'gunicorn/workers/')
    .split('\n')
    .filter((f) => f.endsWith('.py'));
  for (const file of files) {
    const source = show(tag, file);
    const found = source && workerModule(source, extras);
    if (found) workers[file.slice('gunicorn/workers/'.length, -3)] = found;
  }
  const extraPackages = {};
  for (const [name, list] of Object.entries(extras)) {
    if (name === 'testing') continue;
    extraPackages[name] = list.map(nameOf).filter(Boolean);
  }
  releases[version] = { workers, extras: extraPackages };
}

const data = {
  $comment:
    'Generated by scripts/gen-worker-packages.mjs from the release tags of benoitc/gunicorn; do not edit by hand.',
  releases,
};
writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
process.stdout.write(`wrote ${out}: ${Object.keys(releases).length} releases\n`);
