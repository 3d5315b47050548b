// The VS Code client: starts the bundled language server for Gunicorn configs, systemd units and nginx configs.
// No analysis here.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import nodeFlags from '../../server/data/node-flags.json';
import { registerExplainView } from './explainView';
import { registerValidateCommand } from './validateCommand';
import { MODEL_BOUNDS_NOTIFICATION, type ModelBoundsParams } from '../../server/src/lsp/notifications';

/** Template suffixes (`app.service.j2`): a template is checked as the file it renders to, placeholders left alone. */
const TEMPLATE = '{j2,jinja,jinja2,tpl,tmpl,template,in,erb}';
const UNIT_PATTERNS = [
  '**/*.{service,socket,timer,path}',
  '**/*.{service,socket,timer,path}.d/*.conf',
  `**/*.{service,socket,timer,path}.${TEMPLATE}`,
];
const COMMAND_PATTERNS = [
  '**/{Dockerfile,Dockerfile.*,Dockerfile-*,Dockerfile_*,*.dockerfile,Containerfile}',
  '**/{Procfile,Procfile.*}',
  '**/{docker-compose,compose}*.{yml,yaml}',
  `**/{docker-compose,compose}*.{yml,yaml}.${TEMPLATE}`,
  `**/{*.dockerfile,Containerfile}.${TEMPLATE}`,
  `**/*.{sh,bash}.${TEMPLATE}`,
  // Templates named for nginx or a Gunicorn config, whatever language another extension gives them (jinja…).
  `**/{nginx.conf,*.nginx,*nginx*.conf,gunicorn*.py,*gunicorn*conf*.py}.${TEMPLATE}`,
  `**/{nginx,conf.d}/**/*.conf.${TEMPLATE}`,
  // Orchestrator manifests (the server reads their content and ignores what is none): platform files by name,
  // Kubernetes YAML in the folders and under the names server/src/languages/commands/paths.ts lists.
  '**/{render.yaml,render.yml,fly.toml,fly.*.toml,app.json,app.yaml,app.yml}',
  '**/{k8s,kube,kubernetes,manifests,manifest,deploy,deployment,deployments,helm,charts,kustomize,openshift}/**/*.{yaml,yml}',
  '**/*{deployment,statefulset,daemonset,cronjob,service,k8s}*.{yaml,yml}',
];
let client: LanguageClient | undefined;

function documentSelector(): LanguageClientOptions['documentSelector'] {
  return [
    // Every Python file: one named by `-c` in a unit or Dockerfile is a Gunicorn config whatever its name. The server
    // answers only for config names, the gunicornConfig.files globs and such files, and stays silent on the rest.
    { language: 'python' },
    // Unit files: by our language id, and by file pattern for users who keep another systemd extension's id.
    { language: 'systemd-unit-file' },
    ...UNIT_PATTERNS.map((pattern) => ({ pattern })),
    { language: 'nginx' },
    // Places that start Gunicorn: Dockerfiles, Procfiles, compose files, shell scripts.
    { language: 'dockerfile' },
    { language: 'dockercompose' },
    { language: 'shellscript' },
    ...COMMAND_PATTERNS.map((pattern) => ({ pattern })),
  ];
}

/** Opens files matching `gunicornConfig.nginxFiles` as nginx, so they get highlighting and the server's checks. */
function claimNginxDocument(document: vscode.TextDocument): void {
  if (document.languageId === 'nginx' || document.uri.scheme !== 'file') return;
  const globs = vscode.workspace.getConfiguration('gunicornConfig').get<string[]>('nginxFiles', []);
  if (globs.some((pattern) => vscode.languages.match({ pattern }, document) > 0)) {
    void vscode.languages.setTextDocumentLanguage(document, 'nginx');
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The client adds process.env to `env` when it forks the server.
  const options = { execArgv: nodeFlags.execArgv, env: nodeFlags.env };
  // With folders open, the server starts its deployment-model thread as it starts (server/src/lsp/earlyStart.ts).
  const args = vscode.workspace.workspaceFolders?.length ? ['--early-worker'] : [];
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio, options, args },
    debug: { module, transport: TransportKind.stdio, options, args },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: {
      configurationSection: 'gunicornConfig',
      fileEvents: vscode.workspace.createFileSystemWatcher(
        '**/{*requirements*.txt,requirements/*.{txt,in},environment.{yml,yaml},pyproject.toml,Pipfile,Pipfile.lock,poetry.lock,uv.lock,setup.cfg,*.service,*.socket,*.timer,*.path,*.target,*.conf,*.nginx,proxy_params,sites-available/*,sites-enabled/*,Dockerfile*,*.dockerfile,Containerfile,Procfile*,*compose*.{yml,yaml},*.yaml,*.yml,fly*.toml,app.json,*.sh,*.py,*.{j2,jinja,jinja2,tpl,tmpl,template,in,erb}}',
      ),
    },
  };
  client = new LanguageClient('gunicornConfig', 'Gunicorn Config', serverOptions, clientOptions);
  await client.start();
  client.onNotification(MODEL_BOUNDS_NOTIFICATION, (params: ModelBoundsParams) =>
    showBounds(context, params),
  );
}

let boundsItem: vscode.StatusBarItem | undefined;

/** A status bar item while the deployment model leaves files out (the server logs which); hidden once it does not. */
function showBounds(context: vscode.ExtensionContext, { modelled, leftOut }: ModelBoundsParams): void {
  if (!leftOut) {
    boundsItem?.hide();
    return;
  }
  if (!boundsItem) {
    boundsItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
    context.subscriptions.push(boundsItem);
  }
  boundsItem.text = `$(warning) Gunicorn: ${leftOut} files not modelled`;
  boundsItem.tooltip =
    `The deployment model holds the ${modelled} deployment files nearest the open ones; ${leftOut} more are ` +
    'left out of cross-file checks (see the Gunicorn Config output).';
  boundsItem.show();
}

export async function activate(
  context: vscode.ExtensionContext,
): Promise<{ client: () => LanguageClient | undefined }> {
  await start(context);
  vscode.workspace.textDocuments.forEach(claimNginxDocument);
  registerExplainView(context, () => client);
  registerValidateCommand(context, () => client);
  context.subscriptions.push(
    vscode.commands.registerCommand('gunicornConfig.newDeployment', newDeploymentCommand),
    vscode.workspace.onDidOpenTextDocument(claimNginxDocument),
    vscode.workspace.onDidChangeConfiguration((event) => {
      // gunicornConfig.files reaches the server as a setting; nginx globs change which language a file opens as.
      if (event.affectsConfiguration('gunicornConfig.nginxFiles')) {
        vscode.workspace.textDocuments.forEach(claimNginxDocument);
      }
    }),
  );
  return { client: () => client };
}

interface NewDeploymentAnswers {
  name: string;
  app: string;
  serverName?: string;
  workerClass?: string;
}

/** Asks the few questions a new deployment needs; undefined when the user cancels. */
async function askDeploymentAnswers(): Promise<NewDeploymentAnswers | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'New Gunicorn deployment (1/4)',
    prompt: 'Short name for the service, socket and nginx upstream',
    placeHolder: 'shop',
    validateInput: (v) =>
      /^[a-z][a-z0-9_-]*$/i.test(v) ? undefined : 'Letters, digits, - and _; start with a letter',
  });
  if (!name) return undefined;
  const app = await vscode.window.showInputBox({
    title: 'New Gunicorn deployment (2/4)',
    prompt: 'The application Gunicorn serves, as module:callable',
    value: `${name}.wsgi:application`,
    validateInput: (v) =>
      /^[\w.]+:[\w.()]+$/.test(v) ? undefined : 'module:callable, e.g. shop.wsgi:application',
  });
  if (!app) return undefined;
  const serverName = await vscode.window.showInputBox({
    title: 'New Gunicorn deployment (3/4)',
    prompt: 'The host name nginx answers for',
    value: `${name}.example.com`,
  });
  if (serverName === undefined) return undefined;
  const workerClass = await vscode.window.showQuickPick(
    [
      { label: 'sync', description: 'one request per worker process (the default)' },
      { label: 'gthread', description: 'threads inside each worker' },
      { label: 'gevent', description: 'many concurrent connections per worker (needs gevent installed)' },
    ],
    { title: 'New Gunicorn deployment (4/4)', placeHolder: 'Worker class' },
  );
  if (!workerClass) return undefined;
  return { name, app, serverName, workerClass: workerClass.label };
}

/** "Gunicorn: New deployment": the server writes the files; answers and folder may come from a caller (tests). */
async function newDeploymentCommand(
  answers?: NewDeploymentAnswers,
  folder?: vscode.Uri,
): Promise<string[] | undefined> {
  const target = folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!target) {
    void vscode.window.showErrorMessage('Open a folder first: the deployment files are written into it.');
    return undefined;
  }
  const given = answers ?? (await askDeploymentAnswers());
  if (!given || !client) return undefined;
  const result = (await client.sendRequest('workspace/executeCommand', {
    command: 'gunicornConfig.server.newDeployment',
    arguments: [given, target.toString()],
  })) as { files?: string[]; error?: string } | undefined;
  if (!result?.files) {
    void vscode.window.showErrorMessage(
      `New Gunicorn deployment: ${result?.error ?? 'nothing was written.'}`,
    );
    return undefined;
  }
  if (!answers) {
    const first = result.files[0];
    if (first) await vscode.window.showTextDocument(vscode.Uri.parse(first));
  }
  return result.files;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
