// Rule: write-path-read-only — a file Gunicorn writes (pid file, logs, heartbeat directory, its unix socket) lies in a
// directory the service's ProtectSystem= makes read-only.

import { gunicornBindEndpoint } from '../addresses';
import { booleanValue } from '../../languages/systemd/values';
import type { Deployment } from '../model';
import type { DeploymentRule } from './types';
import { deploymentRuleDocsUrl } from './types';
import { fixAcross, insertUnitLineAfter, originLabel, unitRelated } from './shared';
import type { UnitView } from '../systemdFacts';

const FILE_SETTINGS: readonly { setting: string; what: string; isDir: boolean }[] = [
  { setting: 'pidfile', what: 'its PID file', isDir: false },
  { setting: 'accesslog', what: 'the access log', isDir: false },
  { setting: 'errorlog', what: 'the error log', isDir: false },
  { setting: 'worker_tmp_dir', what: "the workers' heartbeat files", isDir: true },
];

function dirOf(path: string): string {
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

function under(path: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '') || '/';
  return d === '/' || path === d || path.startsWith(`${d}/`);
}

/** Directories the service can write despite ProtectSystem=; undefined when something we cannot judge may add more. */
function writableDirs(view: UnitView): string[] | undefined {
  for (const key of ['TemporaryFileSystem', 'BindPaths', 'RootDirectory', 'RootImage']) {
    if (view.last('Service', key)) return undefined;
  }
  const dirs = ['/dev', '/proc', '/sys'];
  for (const { word } of view.words('Service', 'ReadWritePaths')) {
    const path = word.replace(/^[-+]+/, '');
    if (/[%$]/.test(path)) return undefined;
    dirs.push(path);
  }
  const roots: Record<string, string> = {
    RuntimeDirectory: '/run',
    StateDirectory: '/var/lib',
    CacheDirectory: '/var/cache',
    LogsDirectory: '/var/log',
  };
  for (const [key, root] of Object.entries(roots)) {
    for (const { word } of view.words('Service', key)) {
      const name = word.split(':')[0]!;
      if (/[%$]/.test(name)) return undefined;
      dirs.push(`${root}/${name}`);
    }
  }
  const privateTmp = view.last('Service', 'PrivateTmp')?.directive.value;
  if (privateTmp && (booleanValue(privateTmp) === true || privateTmp === 'disconnected')) {
    dirs.push('/tmp', '/var/tmp');
  }
  return dirs;
}

function readOnlyPrefixes(mode: string): string[] | 'all' | undefined {
  if (mode === 'strict') return 'all';
  if (mode === 'full') return ['/usr', '/boot', '/efi', '/etc'];
  if (booleanValue(mode) === true) return ['/usr', '/boot', '/efi'];
  return undefined;
}

function absolute(deployment: Deployment, path: string): string | undefined {
  if (/[$%`]/.test(path)) return undefined;
  if (path.startsWith('/')) return path;
  return deployment.cwd ? `${deployment.cwd.replace(/\/$/, '')}/${path}` : undefined;
}

export const writePathReadOnly: DeploymentRule = {
  meta: {
    id: 'write-path-read-only',
    defaultSeverity: 'warning',
    description:
      'A pid file, log file, worker_tmp_dir or unix socket Gunicorn writes lies where ProtectSystem= makes the file system read-only and no ReadWritePaths= (or RuntimeDirectory=, LogsDirectory=…) opens it.',
    docsUrl: deploymentRuleDocsUrl('write-path-read-only'),
  },
  check({ facts, report }) {
    for (const deployment of facts.deployments) {
      const view = deployment.service?.view;
      if (!view || !deployment.launch) continue;
      const protect = view.last('Service', 'ProtectSystem');
      if (!protect) continue;
      const readOnly = readOnlyPrefixes(protect.directive.value);
      if (!readOnly) continue;
      const writable = writableDirs(view);
      if (!writable) continue;
      const checks: { setting: string; what: string; path: string; dir: string }[] = [];
      for (const { setting, what, isDir } of FILE_SETTINGS) {
        const resolved = facts.setting(deployment, setting);
        if (!resolved?.known || resolved.origin === 'default' || resolved.parsed.str === undefined) continue;
        const raw = resolved.parsed.str.trim();
        if (!raw || raw === '-') continue;
        const path = absolute(deployment, raw);
        if (path) checks.push({ setting, what, path, dir: isDir ? path : dirOf(path) });
      }
      if (!deployment.sockets.length) {
        const bind = facts.setting(deployment, 'bind');
        if (bind?.known && bind.origin !== 'default') {
          for (const entry of bind.parsed.list ?? []) {
            const endpoint = gunicornBindEndpoint(entry, deployment.cwd);
            if (endpoint?.kind === 'unix') {
              checks.push({
                setting: 'bind',
                what: 'its unix socket',
                path: endpoint.path,
                dir: dirOf(endpoint.path),
              });
            }
          }
        }
      }
      for (const check of checks) {
        const isReadOnly =
          readOnly === 'all'
            ? !writable.some((dir) => under(check.path, dir))
            : readOnly.some((prefix) => under(check.path, prefix)) &&
              !writable.some((dir) => under(check.path, dir));
        if (!isReadOnly) continue;
        const resolved = facts.setting(deployment, check.setting)!;
        if (!resolved.where) continue;
        const uri = resolved.where.uri;
        report({
          uri,
          range: resolved.where.range,
          message: `Gunicorn writes ${check.what} at ${check.path} (${check.setting} from ${originLabel(resolved.origin)}), but ${deployment.service!.name} has ProtectSystem=${protect.directive.value}, which makes ${readOnly === 'all' ? 'the whole file system' : readOnly.join(', ')} read-only for it and nothing opens ${check.dir}: Gunicorn fails with "Read-only file system" when it starts or writes there. Add ReadWritePaths=${check.dir} (or use RuntimeDirectory=/LogsDirectory=).`,
          related: [unitRelated(protect, `ProtectSystem=${protect.directive.value}`)],
          fixes: [
            fixAcross(
              uri,
              `Add ReadWritePaths=${check.dir} to ${deployment.service!.name}`,
              [insertUnitLineAfter(protect, `ReadWritePaths=${check.dir}`)],
              true,
            ),
          ],
        });
      }
    }
  },
};
