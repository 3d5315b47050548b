// "Gunicorn: Validate with Gunicorn": runs the project's own Gunicorn with --check-config (--print-config where the
// release has it) on one deployment, in a trusted workspace and only when asked; the language server never runs code.
// Gunicorn's errors become diagnostics on the config line or on the place that sets the rejected setting.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExplainDeployment, ExplainReport } from '../../server/src/deployment/explain';
import {
  findGunicorn,
  gunicornRelease,
  hasPrintConfig,
  problemPlace,
  validateWithGunicorn,
  validationTarget,
  type ValidateResult,
} from '../../server/src/validateGunicorn';

const TIMEOUT_MS = 30_000;

export const UNTRUSTED_MESSAGE =
  'Validate with Gunicorn is disabled in an untrusted workspace: it runs the project’s Gunicorn, its config file and its app. Trust the workspace to use it.';

export function registerValidateCommand(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('gunicorn-validate');
  const output = vscode.window.createOutputChannel('Gunicorn Validate');
  context.subscriptions.push(
    diagnostics,
    output,
    vscode.commands.registerCommand(
      'gunicornConfig.validateWithGunicorn',
      async (options?: { deployment?: number }): Promise<ValidateResult | string | undefined> => {
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE);
          return UNTRUSTED_MESSAGE;
        }
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        const running = client();
        if (!folder || !running) return undefined;
        const answer = (await running.sendRequest('workspace/executeCommand', {
          command: 'gunicornConfig.server.explain',
        })) as { report?: ExplainReport; error?: string } | undefined;
        const deployments = answer?.report?.deployments ?? [];
        if (!deployments.length) {
          void vscode.window.showErrorMessage(
            `Validate with Gunicorn: ${answer?.error ?? 'no deployment found.'}`,
          );
          return undefined;
        }
        const deployment =
          options?.deployment !== undefined ? deployments[options.deployment] : await pick(deployments);
        if (!deployment) return undefined;
        const gunicorn = findGunicorn(folder);
        if (!gunicorn) {
          void vscode.window.showErrorMessage(
            'Validate with Gunicorn: no gunicorn in .venv/, venv/ or on PATH. Install it in the project’s virtual environment.',
          );
          return undefined;
        }
        const target = validationTarget(deployment, folder);
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Running ${gunicorn} --check-config…` },
          () =>
            validateWithGunicorn({
              gunicorn,
              ...target,
              timeoutMs: TIMEOUT_MS,
              printConfig: hasPrintConfig(gunicornRelease(gunicorn)),
            }),
        );
        show(output, result, target.cwd);
        diagnostics.clear();
        const byFile = new Map<string, vscode.Diagnostic[]>();
        for (const problem of result.problems) {
          const place = problemPlace(problem, deployment, target.cwd);
          if (!place) continue;
          const line = Math.max(0, place.line - 1);
          const diagnostic = new vscode.Diagnostic(
            new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER),
            problem.message,
            vscode.DiagnosticSeverity.Error,
          );
          diagnostic.source = 'gunicorn --check-config';
          byFile.set(place.file, [...(byFile.get(place.file) ?? []), diagnostic]);
        }
        for (const [file, list] of byFile) diagnostics.set(vscode.Uri.file(file), list);
        const summary =
          result.status === 'passed'
            ? `Gunicorn accepts ${deployment.title}.`
            : result.status === 'timeout'
              ? `Gunicorn did not finish within ${TIMEOUT_MS / 1000} s and was stopped.`
              : `Gunicorn rejects ${deployment.title}: ${result.problems[0]?.message ?? 'see the output'}`;
        if (result.status === 'passed') void vscode.window.showInformationMessage(summary);
        else void vscode.window.showErrorMessage(summary);
        return result;
      },
    ),
  );
}

async function pick(deployments: readonly ExplainDeployment[]): Promise<ExplainDeployment | undefined> {
  if (deployments.length === 1) return deployments[0];
  const chosen = await vscode.window.showQuickPick(
    deployments.map((d, index) => ({
      label: d.title,
      description: [d.config?.place?.file, d.app?.spec].filter(Boolean).join(' · '),
      index,
    })),
    { title: 'Validate with Gunicorn: which deployment?' },
  );
  return chosen ? deployments[chosen.index] : undefined;
}

function show(output: vscode.OutputChannel, result: ValidateResult, cwd: string): void {
  output.clear();
  output.appendLine(`$ cd ${cwd} && ${result.command.join(' ')}`);
  output.appendLine(`${result.status} (exit code ${result.exitCode ?? 'none'})`);
  if (result.stdout.trim()) output.appendLine(result.stdout);
  if (result.stderr.trim()) output.appendLine(result.stderr);
  output.show(true);
}
