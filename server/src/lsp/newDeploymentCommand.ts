// workspace/executeCommand `gunicornConfig.server.newDeployment`: writes a matching gunicorn.conf.py, .service,
// .socket and nginx site into a folder, through the client's workspace/applyEdit (all of it or nothing).

import {
  ApplyWorkspaceEditRequest,
  CancellationTokenSource,
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  type CancellationToken,
  type Connection,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import { DeploymentAnswerError, newDeployment, type DeploymentAnswers } from '../deployment/template';

export const NEW_DEPLOYMENT_COMMAND = 'gunicornConfig.server.newDeployment';

/**
 * How long the command waits for the client to apply its edit. A client that never answers must not leave the command
 * pending forever. The environment variable exists for tests.
 */
const APPLY_EDIT_TIMEOUT_MS =
  Number(process.env.GUNICORN_CONFIG_APPLY_EDIT_TIMEOUT_MS) > 0
    ? Number(process.env.GUNICORN_CONFIG_APPLY_EDIT_TIMEOUT_MS)
    : 30_000;

/** The command's answer: the URIs of the files written, or why none was (`cancelled`: the request was, meanwhile). */
export type NewDeploymentAnswer = { files: string[] } | { error: string } | { cancelled: true };

/** What the command needs of the server: its folders, the Gunicorn release it targets, and the request's token. */
export interface NewDeploymentContext {
  roots: readonly string[];
  gunicornVersion: string;
  token: CancellationToken | undefined;
}

/** Makes the files from the answers (`[answers, folderUri?]`) and asks the client to create them. */
export async function answerNewDeployment(
  connection: Connection,
  args: unknown[] | undefined,
  { roots, gunicornVersion, token }: NewDeploymentContext,
): Promise<NewDeploymentAnswer> {
  const [answers, folderUri] = (Array.isArray(args) ? args : []) as [
    Partial<DeploymentAnswers> | undefined,
    unknown,
  ];
  const folder =
    typeof folderUri === 'string' ? folderUri : roots[0] ? pathToFileURL(roots[0]).href : undefined;
  if (!folder || !answers || typeof answers !== 'object') {
    return { error: 'Give the answers and a folder (or open a workspace folder).' };
  }
  let files;
  try {
    files = newDeployment({
      ...answers,
      gunicornVersion: answers.gunicornVersion ?? gunicornVersion,
    } as DeploymentAnswers);
  } catch (error) {
    if (error instanceof DeploymentAnswerError) return { error: error.problems.join(' ') };
    // Answers of the wrong shape (a number for a name) can throw anywhere in the template: report, do not fail.
    connection.console.error(
      `gunicorn-config: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      error: `The answers could not be used: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (token?.isCancellationRequested) return { cancelled: true };
  const base = folder.replace(/\/$/, '');
  const uris = files.map((file) => `${base}/${file.path.split('/').map(encodeURIComponent).join('/')}`);
  // Create every file (never overwriting one), then fill it; the client applies all of it or nothing.
  const applied = await applyEdit(
    connection,
    {
      label: 'New Gunicorn deployment',
      edit: {
        documentChanges: [
          ...uris.map((uri) => ({
            kind: 'create' as const,
            uri,
            options: { overwrite: false, ignoreIfExists: false },
          })),
          ...files.map((file, i) => ({
            textDocument: { uri: uris[i]!, version: null },
            edits: [
              {
                range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                newText: file.text,
              },
            ],
          })),
        ],
      },
    },
    token,
  ).catch((error: unknown) => ({
    applied: false,
    failureReason: `The editor failed to apply the edit: ${error instanceof Error ? error.message : String(error)}`,
  }));
  if (token?.isCancellationRequested) return { cancelled: true };
  if (!applied) {
    return {
      error: `The editor did not answer the edit within ${APPLY_EDIT_TIMEOUT_MS / 1000} s; no file was written by the server.`,
    };
  }
  return applied.applied
    ? { files: uris }
    : {
        error:
          applied.failureReason ??
          'The editor did not apply the edit (does one of the files exist already?).',
      };
}

/**
 * workspace/applyEdit, bounded: the answer is undefined when the client has not answered within
 * APPLY_EDIT_TIMEOUT_MS or the request was cancelled (the client is then told with $/cancelRequest).
 */
async function applyEdit(
  connection: Connection,
  params: ApplyWorkspaceEditParams,
  token: CancellationToken | undefined,
): Promise<ApplyWorkspaceEditResult | undefined> {
  const source = new CancellationTokenSource();
  const timer = setTimeout(() => source.cancel(), APPLY_EDIT_TIMEOUT_MS);
  const onCancel = token?.onCancellationRequested(() => source.cancel());
  try {
    return await Promise.race([
      connection.sendRequest(ApplyWorkspaceEditRequest.type, params, source.token),
      new Promise<undefined>((resolve) => source.token.onCancellationRequested(() => resolve(undefined))),
    ]);
  } finally {
    clearTimeout(timer);
    onCancel?.dispose();
    source.dispose();
  }
}
