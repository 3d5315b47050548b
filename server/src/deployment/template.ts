// A new deployment from a few answers: gunicorn.conf.py, a systemd service and socket, and an nginx site that all
// agree with each other (socket path, timeouts, reload and stop behaviour). Pure: answers in, file texts out.

import { formatVersion, isAtLeast, parseVersion, type Version } from '../core/version';
import { gunicornCatalog } from '../languages/gunicorn/catalog';

/** What `gunicorn-config init` asks for; everything but name, app and gunicornVersion has a default. */
export interface DeploymentAnswers {
  /** Short name used for the unit files, the nginx upstream and /run/<name>: `shop`. */
  name: string;
  /** The WSGI/ASGI app as Gunicorn takes it: `shop.wsgi:application`. */
  app: string;
  /** Where the project lives on the server; default `/srv/<name>`. */
  projectDir?: string;
  /** The virtualenv holding Gunicorn; default `<projectDir>/.venv`. */
  venv?: string;
  /** The account the service runs as; default `www-data`. */
  user?: string;
  /** nginx server_name; default `<name>.example.com`. */
  serverName?: string;
  /** Worker processes; default 3, the (2 x cores) + 1 rule for one core. */
  workers?: number;
  /** Gunicorn's worker_class; default `sync`. */
  workerClass?: string;
  /** A Unix socket path (`/run/shop/gunicorn.sock`, the default) or a loopback `127.0.0.1:8000`. */
  socket?: string;
  /** The Gunicorn version the files are written for: `23.0.0`. */
  gunicornVersion: string;
}

export interface GeneratedFile {
  /** Relative, with forward slashes: `deploy/shop.service`. */
  path: string;
  text: string;
}

/** Answers that cannot make a working deployment; `problems` holds one sentence per bad answer. */
export class DeploymentAnswerError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'DeploymentAnswerError';
  }
}

/** The answers with defaults filled in and the choices derived from them. */
export interface DeploymentPlan {
  name: string;
  app: string;
  projectDir: string;
  venv: string;
  user: string;
  serverName: string;
  workers: number;
  workerClass: string;
  version: Version;
  /** Unix socket path, when Gunicorn listens on one. */
  socketPath?: string;
  /** host:port, when Gunicorn listens on loopback TCP instead. */
  tcpAddress?: string;
  /** The directory systemd creates under /run for the service (`shop` for /run/shop). */
  runtimeDirectory: string;
  /** Things the user should know about how the answers were read (a replaced worker class…). */
  notes: string[];
}

/** Seconds a silent worker may run before the master replaces it (Gunicorn's default). */
const TIMEOUT = 30;
/** Seconds workers get to finish on stop or reload (Gunicorn's default). */
const GRACEFUL_TIMEOUT = 30;
/** What systemd adds to the graceful timeout before it kills what is left. */
const STOP_MARGIN = 5;
/** nginx waits this long for a response: longer than Gunicorn's timeout. */
const PROXY_READ_TIMEOUT = 60;
/** Debian's and Ubuntu's nginx runs as this user; it must be able to connect to the socket. */
const NGINX_USER = 'www-data';
/** Readiness notification (sd_notify) arrived in Gunicorn 20.0. */
const NOTIFY_SINCE = '20.0.0';
/** control_socket appeared in 25.1; its default location is not writable under systemd's sandboxing. */
const CONTROL_SOCKET_SINCE = '25.1.0';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const APP = new RegExp(`^${IDENT}(\\.${IDENT})*:${IDENT}(\\(\\))?$`);
const HOSTNAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*(\.\*)?$/;
/** Characters that would need quoting in a unit file (`%` specifiers, `$` variables, spaces) or in nginx. */
const UNSAFE_PATH_CHARS = /[\s%$"'`\\;{}#]/;

function checkPath(label: string, path: string, problems: string[]): void {
  if (!path.startsWith('/')) {
    problems.push(`${label} must be an absolute path (starting with /), not '${path}'.`);
  } else if (UNSAFE_PATH_CHARS.test(path)) {
    problems.push(
      `${label} '${path}' contains a space, quote or one of % $ ; { } # \\, which systemd or nginx would read specially.`,
    );
  } else if (path.split('/').some((part) => part === '.' || part === '..')) {
    problems.push(`${label} '${path}' must not contain . or .. segments.`);
  } else if (path === '/' || path.endsWith('/') || path.includes('//')) {
    problems.push(`${label} '${path}' must name a directory below / without a trailing or doubled slash.`);
  }
}

/** Under ProtectHome=true the service sees /home, /root and /run/user as empty. */
function underHome(path: string): boolean {
  return /^\/(home|root|run\/user)(\/|$)/.test(path);
}

/** Reads the socket answer: a Unix path (with or without `unix:`) or a loopback host:port. */
function readSocket(
  socket: string,
  problems: string[],
): { socketPath?: string; tcpAddress?: string } | undefined {
  const path = socket.startsWith('unix:') ? socket.slice('unix:'.length) : socket;
  if (path.startsWith('/')) {
    const before = problems.length;
    checkPath('socket', path, problems);
    if (problems.length > before) return undefined;
    if (/^\/(tmp|var\/tmp)\//.test(path)) {
      problems.push(
        `socket '${path}' is under /tmp: the service gets a private /tmp (PrivateTmp=), so nginx would not see it; use /run/<name>/gunicorn.sock.`,
      );
      return undefined;
    }
    if (new TextEncoder().encode(path).length > 107) {
      problems.push(`socket '${path}' is longer than the 107 bytes a Unix socket path may have.`);
      return undefined;
    }
    return { socketPath: path };
  }
  const tcp = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]):(\d{1,5})$/.exec(socket);
  const port = tcp ? Number(tcp[2]) : NaN;
  if (!tcp || port < 1 || port > 65535) {
    problems.push(
      `socket '${socket}' must be an absolute Unix socket path such as /run/<name>/gunicorn.sock, or a loopback address such as 127.0.0.1:8000 (nginx runs on the same machine).`,
    );
    return undefined;
  }
  return { tcpAddress: socket };
}

/** Fills in defaults and checks every answer; throws DeploymentAnswerError listing all the problems at once. */
export function planDeployment(answers: DeploymentAnswers): DeploymentPlan {
  const problems: string[] = [];
  const notes: string[] = [];
  const name = answers.name ?? '';
  const nameOk = NAME.test(name);
  if (!nameOk) {
    problems.push(
      `name '${name}' must be 1 to 64 letters, digits, '-' or '_' starting with a letter or digit: it names the unit files, the nginx upstream and /run/<name>.`,
    );
  }
  const app = answers.app ?? '';
  if (!APP.test(app)) {
    problems.push(
      `app '${app}' must be module:callable as Gunicorn takes it, such as shop.wsgi:application or main:create_app().`,
    );
  }
  // Defaults built from a bad name would only repeat the name's problem.
  const projectDir = answers.projectDir ?? `/srv/${name}`;
  if (answers.projectDir !== undefined || nameOk) checkPath('project directory', projectDir, problems);
  const venv = answers.venv ?? `${projectDir}/.venv`;
  if (answers.venv !== undefined) checkPath('virtualenv', venv, problems);
  const user = answers.user ?? 'www-data';
  if (!USER.test(user)) {
    problems.push(
      `user '${user}' is not a valid account name (lower-case letters, digits, '-' and '_', at most 32).`,
    );
  } else if (user === 'root') {
    problems.push(
      'user root: Gunicorn should not run as root; pick an unprivileged account such as www-data.',
    );
  }
  const serverName = answers.serverName ?? `${nameOk ? name : 'app'}.example.com`;
  const names = serverName.trim().split(/\s+/);
  if (serverName.trim() === '' || !names.every((n) => n === '_' || HOSTNAME.test(n))) {
    problems.push(
      `server name '${serverName}' must be host names separated by spaces (example.com www.example.com, *.example.com or _).`,
    );
  }
  const workers = answers.workers ?? 3;
  if (!Number.isInteger(workers) || workers < 1 || workers > 512) {
    problems.push(`workers must be a whole number from 1 to 512, not ${workers}.`);
  }
  const version = parseVersion(answers.gunicornVersion);
  if (!version) {
    problems.push(`Gunicorn version '${answers.gunicornVersion}' is not a version such as 23.0.0.`);
  }
  let workerClass = answers.workerClass ?? 'sync';
  if (version) {
    const resolved = readWorkerClass(workerClass, version, problems);
    if (resolved && resolved !== workerClass) {
      notes.push(
        `worker class ${workerClass} is deprecated; the config uses its replacement ${resolved} (install the package that provides it).`,
      );
      workerClass = resolved;
    }
  }
  const socketAnswer = answers.socket ?? (nameOk ? `/run/${name}/gunicorn.sock` : undefined);
  const socket = socketAnswer === undefined ? undefined : readSocket(socketAnswer, problems);
  const socketDir = socket?.socketPath ? /^\/run\/([^/]+)\/[^/]+$/.exec(socket.socketPath)?.[1] : undefined;
  if (problems.length > 0) throw new DeploymentAnswerError(problems);
  return {
    name,
    app,
    projectDir,
    venv,
    user,
    serverName: names.join(' '),
    workers,
    workerClass,
    version: version!,
    ...socket,
    runtimeDirectory: socketDir ?? name,
    notes,
  };
}

/** The worker class to write for the answer, or undefined (with a problem) when the target version lacks it. */
function readWorkerClass(answer: string, version: Version, problems: string[]): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(answer)) {
    problems.push(
      `worker class '${answer}' must be a Gunicorn shortcut (sync, gthread, gevent…) or a dotted class path.`,
    );
    return undefined;
  }
  const info = gunicornCatalog().workerClass(answer);
  const label = formatVersion(version);
  if (!info) {
    if (answer.includes('.')) return answer; // a class of the project's own or of a package we do not know
    const shortcuts = gunicornCatalog()
      .workerClasses.filter((w) => w.builtin && isAtLeast(version, w.since) && !removedIn(w.removed, version))
      .map((w) => w.name);
    problems.push(
      `worker class '${answer}' is not a shortcut Gunicorn ${label} knows; use one of ${shortcuts.join(', ')} or a dotted class path.`,
    );
    return undefined;
  }
  if (!isAtLeast(version, info.since)) {
    problems.push(`worker class '${answer}' needs Gunicorn ${info.since} or newer; the target is ${label}.`);
    return undefined;
  }
  if (removedIn(info.removed, version)) {
    problems.push(
      `worker class '${answer}' was removed in Gunicorn ${info.removed!.since}; the target is ${label}.`,
    );
    return undefined;
  }
  if (info.deprecated && isAtLeast(version, info.deprecated.since)) {
    if (info.deprecated.replacement) return info.deprecated.replacement;
    problems.push(`worker class '${answer}' is deprecated: ${info.deprecated.message}`);
    return undefined;
  }
  return answer;
}

function removedIn(removed: { since: string } | undefined, version: Version): boolean {
  return !!removed && isAtLeast(version, removed.since);
}

/** The four files of a new deployment, consistent with each other; throws DeploymentAnswerError on bad answers. */
export function newDeployment(answers: DeploymentAnswers): GeneratedFile[] {
  const plan = planDeployment(answers);
  return [
    { path: 'gunicorn.conf.py', text: gunicornConfig(plan) },
    { path: `deploy/${plan.name}.service`, text: serviceUnit(plan) },
    { path: `deploy/${plan.name}.socket`, text: socketUnit(plan) },
    { path: `deploy/nginx/${plan.name}.conf`, text: nginxSite(plan) },
  ];
}

function workerInfo(plan: DeploymentPlan): { async: boolean; gthread: boolean } {
  const info = gunicornCatalog().workerClass(plan.workerClass);
  return { async: info?.async ?? false, gthread: info?.name === 'gthread' };
}

function bindAddress(plan: DeploymentPlan): string {
  return plan.socketPath ? `unix:${plan.socketPath}` : plan.tcpAddress!;
}

/** True when the Unix socket lies in the service's RuntimeDirectory (so stopping must not delete it). */
function socketInRuntimeDirectory(plan: DeploymentPlan): boolean {
  return !!plan.socketPath && plan.socketPath.startsWith(`/run/${plan.runtimeDirectory}/`);
}

export function gunicornConfig(plan: DeploymentPlan): string {
  const { name } = plan;
  const worker = workerInfo(plan);
  const lines = [
    `# Gunicorn settings for ${name}, written by \`gunicorn-config init\` for Gunicorn ${formatVersion(plan.version)}.`,
    `# deploy/${name}.service starts Gunicorn with this file; deploy/${name}.socket owns the listening socket.`,
    '',
    `# The address nginx proxies to (deploy/nginx/${name}.conf). Started by ${name}.socket, Gunicorn adopts the`,
    '# socket systemd already opened; keep this equal to its ListenStream= for runs without systemd.',
    `bind = ${JSON.stringify(bindAddress(plan))}`,
    '',
    '# (2 x CPU cores) + 1 is the usual starting point: 3 for one core, 9 for four. A fixed number rather than',
    '# cpu_count() keeps the count the same on every machine; measure under real load, then adjust.',
    `workers = ${plan.workers}`,
    `worker_class = ${JSON.stringify(plan.workerClass)}`,
  ];
  if (worker.gthread) {
    lines.push(
      '# Each gthread worker serves this many requests at once; the app must be thread-safe.',
      'threads = 4',
    );
  }
  lines.push(
    '',
    `# A worker that stays silent this long is killed and replaced. nginx waits longer (proxy_read_timeout ${PROXY_READ_TIMEOUT}s),`,
    '# so a stuck request is ended, and logged, by Gunicorn.',
    `timeout = ${TIMEOUT}`,
    `# On stop and reload, workers get this long to finish what they serve; TimeoutStopSec= in ${name}.service is longer.`,
    `graceful_timeout = ${GRACEFUL_TIMEOUT}`,
    '',
    '# Replace each worker after about this many requests, which caps slow memory growth;',
    '# the jitter spreads the restarts so the workers do not all restart at once.',
    'max_requests = 1000',
    'max_requests_jitter = 100',
    '',
    `# Log to stdout and stderr; systemd keeps both in the journal (journalctl -u ${name}).`,
    'accesslog = "-"',
    'errorlog = "-"',
    'loglevel = "info"',
    '',
  );
  if (plan.socketPath) {
    lines.push(
      '# Gunicorn trusts X-Forwarded-Proto from Unix-socket peers whatever this says, so nginx is trusted already;',
      '# the list matters only if you move to TCP. Keep it to this machine rather than "*".',
    );
  } else {
    lines.push('# nginx connects from this machine: trust its X-Forwarded-Proto and nobody else’s.');
  }
  lines.push('forwarded_allow_ips = "127.0.0.1,::1"');
  if (isAtLeast(plan.version, CONTROL_SOCKET_SINCE)) {
    lines.push(
      '',
      '# The control socket for `gunicornc`. Its default place (under $XDG_RUNTIME_DIR or ~/.gunicorn) is not writable',
      `# for the service; /run/${plan.runtimeDirectory} is, because ${name}.service declares it as RuntimeDirectory=.`,
      `control_socket = "/run/${plan.runtimeDirectory}/gunicorn.ctl"`,
    );
  }
  if (worker.async) {
    lines.push(
      '',
      `# ${plan.workerClass} holds many connections per worker (worker_connections, 1000 by default);`,
      `# ${name}.service raises the open-file limit to match.`,
    );
  }
  return lines.join('\n') + '\n';
}

export function serviceUnit(plan: DeploymentPlan): string {
  const { name, projectDir, venv } = plan;
  const notify = isAtLeast(plan.version, NOTIFY_SINCE);
  const preserve = socketInRuntimeDirectory(plan);
  const stop = GRACEFUL_TIMEOUT + STOP_MARGIN;
  const homeIsUsed = underHome(projectDir) || underHome(venv);
  const lines = [
    `# systemd service for ${name}: Gunicorn from the virtualenv, started through ${name}.socket.`,
    `# Install both units in /etc/systemd/system, then: systemctl daemon-reload && systemctl enable --now ${name}.socket`,
    '[Unit]',
    `Description=${name} (Gunicorn)`,
    `# ${name}.socket opens the listening socket; systemd passes it to Gunicorn when the service starts.`,
    `Requires=${name}.socket`,
    `After=network.target ${name}.socket`,
    '',
    '[Service]',
  ];
  if (notify) {
    lines.push(
      '# Gunicorn reports when it is ready to serve, so "started" means it really answers.',
      'Type=notify',
    );
  } else {
    lines.push(
      `# Gunicorn ${formatVersion(plan.version)} does not report readiness (that came in 20.0), so no Type=notify.`,
      'Type=exec',
    );
  }
  lines.push(`User=${plan.user}`);
  lines.push(
    preserve
      ? `# /run/${plan.runtimeDirectory}, writable by ${plan.user}. Kept when the service stops: ${name}.socket's socket lives there.`
      : `# /run/${plan.runtimeDirectory}, writable by ${plan.user} while the service runs.`,
    `RuntimeDirectory=${plan.runtimeDirectory}`,
  );
  if (preserve) lines.push('RuntimeDirectoryPreserve=yes');
  lines.push(
    `WorkingDirectory=${projectDir}`,
    `ExecStart=${venv}/bin/gunicorn --config ${projectDir}/gunicorn.conf.py ${plan.app}`,
    '# HUP: Gunicorn re-reads its config and starts new workers with fresh code, then retires the old ones gracefully.',
    'ExecReload=/bin/kill -s HUP $MAINPID',
    '# SIGTERM goes to the Gunicorn master only, which lets its workers finish; systemd kills any left at the timeout.',
    'KillMode=mixed',
    `# graceful_timeout (${GRACEFUL_TIMEOUT} s) plus ${STOP_MARGIN} s for the master to collect its workers and exit.`,
    `TimeoutStopSec=${stop}`,
    'Restart=on-failure',
    'RestartSec=5',
  );
  if (workerInfo(plan).async) {
    lines.push(
      '# Each open connection is a file; the default soft limit of 1024 is too low for async workers.',
      'LimitNOFILE=65536',
    );
  }
  lines.push(
    '# Sandbox: own /tmp, no privilege gain, /usr /boot and /etc read-only.',
    'PrivateTmp=true',
    'NoNewPrivileges=true',
    'ProtectSystem=full',
  );
  if (homeIsUsed) {
    lines.push('# ProtectHome= is left out because the project or the virtualenv is under a home directory.');
  } else {
    lines.push('ProtectHome=true');
  }
  lines.push('', '[Install]', 'WantedBy=multi-user.target');
  return lines.join('\n') + '\n';
}

export function socketUnit(plan: DeploymentPlan): string {
  const { name } = plan;
  const lines = [
    `# systemd socket for ${name}: systemd listens here and starts ${name}.service on the first connection.`,
    '# The socket stays open while Gunicorn restarts, so no connection is refused meanwhile.',
    '[Unit]',
    `Description=${name} Gunicorn socket`,
    '',
    '[Socket]',
  ];
  if (plan.socketPath) {
    lines.push(
      `ListenStream=${plan.socketPath}`,
      `# nginx (${NGINX_USER} on Debian and Ubuntu) connects through the path; Gunicorn inherits the open socket.`,
      `SocketUser=${NGINX_USER}`,
      `SocketGroup=${NGINX_USER}`,
      'SocketMode=0660',
    );
  } else {
    lines.push(
      '# Loopback only: nginx on this machine connects, nothing else can.',
      `ListenStream=${plan.tcpAddress}`,
    );
  }
  lines.push('', '[Install]', 'WantedBy=sockets.target');
  return lines.join('\n') + '\n';
}

export function nginxSite(plan: DeploymentPlan): string {
  const { name, projectDir } = plan;
  const address = plan.socketPath ? `unix:${plan.socketPath}` : plan.tcpAddress!;
  const lines = [
    `# nginx site for ${name}, written by \`gunicorn-config init\`. It belongs inside http { }: on Debian and Ubuntu,`,
    `# copy it to /etc/nginx/sites-available/${name} and link it from /etc/nginx/sites-enabled/.`,
    `upstream ${name} {`,
    '    # fail_timeout=0: one failed request (say, during a restart) never marks the only server as down.',
    `    server ${address} fail_timeout=0;`,
    '}',
    '',
    'server {',
    '    listen 80;',
    `    server_name ${plan.serverName};`,
    '',
    '    client_max_body_size 10m;',
    '    keepalive_timeout 5;',
    '',
    '    # Static files come straight from disk. Both paths end in a slash, so /static../ cannot leave the folder.',
    '    location /static/ {',
    `        alias ${projectDir}/static/;`,
    '    }',
    '',
    '    location / {',
    '        # The app learns the public host name, the client address and the scheme from these headers.',
    '        proxy_set_header Host $host;',
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_redirect off;',
    '        # nginx takes the whole response at once and feeds slow clients itself, freeing the worker sooner.',
    '        proxy_buffering on;',
    `        # Longer than Gunicorn's timeout (${TIMEOUT} s), so Gunicorn ends a stuck request before nginx gives up.`,
    `        proxy_read_timeout ${PROXY_READ_TIMEOUT}s;`,
    `        proxy_pass http://${name};`,
    '    }',
    '}',
  ];
  return lines.join('\n') + '\n';
}
