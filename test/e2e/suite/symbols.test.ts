// The Outline in a real VS Code: the nesting VS Code gets from the server's document symbols for an nginx site and a
// unit file of the test workspace (vscode.executeDocumentSymbolProvider is what the Outline view and breadcrumbs ask).

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitForDiagnostics } from './helpers';

/** The names of the symbols, children indented under their parent. */
function shape(symbols: readonly vscode.DocumentSymbol[], indent = ''): string[] {
  return symbols.flatMap((s) => [`${indent}${s.name}`, ...shape(s.children, `${indent}  `)]);
}

async function outline(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
    'vscode.executeDocumentSymbolProvider',
    uri,
  );
  // A hierarchical answer arrives as DocumentSymbols (they have children); a flat one would be SymbolInformation.
  assert.ok(symbols?.length, `no symbols for ${uri.fsPath}`);
  assert.ok(
    symbols.every((s) => 'children' in s),
    'expected nested DocumentSymbols',
  );
  return symbols as vscode.DocumentSymbol[];
}

export function registerSymbolTests(): void {
  describe('Outline in a real VS Code', () => {
    let workspace: string;

    before(async () => {
      workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    });

    it('nests an nginx site: upstream with its server, server by server_name with its location', async () => {
      const site = vscode.Uri.file(path.join(workspace, 'deploy', 'nginx', 'sites-enabled', 'app'));
      const symbols = await outline(site);
      assert.deepEqual(shape(symbols), [
        'upstream app',
        '  server unix:/run/app/gunicorn.sock',
        'server app.example.com',
        '  location /',
      ]);
      assert.equal(symbols[1]!.detail, '80');
      assert.equal(symbols[1]!.kind, vscode.SymbolKind.Class);
    });

    it('lists a unit file by section, with the Gunicorn ExecStart= marked', async () => {
      const unit = vscode.Uri.file(path.join(workspace, 'deploy', 'app.service'));
      const symbols = await outline(unit);
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['[Unit]', '[Service]', '[Install]'],
      );
      const exec = symbols[1]!.children.find((c) => c.name === 'ExecStart=');
      assert.ok(exec, shape(symbols).join('\n'));
      assert.equal(exec.kind, vscode.SymbolKind.Event);
      assert.equal(exec.detail, 'gunicorn app:app');
      assert.equal(symbols[2]!.children[0]!.name, 'WantedBy=');
    });

    it('finds units, upstreams and launches of the workspace with Go to Symbol in Workspace', async () => {
      // An nginx file's diagnostics in a workspace come after the first deployment build: the symbols are there then.
      const site = vscode.Uri.file(path.join(workspace, 'deploy', 'nginx', 'sites-enabled', 'app'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(site));
      await waitForDiagnostics(site, (all) => all.length > 0);
      const found = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
        'vscode.executeWorkspaceSymbolProvider',
        'crossapp',
      );
      const names = found.map((s) => `${s.name} in ${path.basename(s.location.uri.fsPath)}`);
      assert.ok(names.includes('crossapp.service in crossapp.service'), names.join(' | '));
      assert.ok(names.includes('crossapp.socket in crossapp.socket'), names.join(' | '));
      assert.ok(names.includes('gunicorn crossapp:app in Procfile'), names.join(' | '));
      const upstream = (
        await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
          'vscode.executeWorkspaceSymbolProvider',
          'app',
        )
      ).find((s) => s.name === 'app' && s.kind === vscode.SymbolKind.Struct);
      assert.ok(upstream, 'the upstream app');
      assert.equal(upstream.location.range.start.line, 0);
    });
  });
}
