/**
 * The extension's entry point: the output channel, the language client (which does the analysis
 * through the server), the commands (the startup waterfall's and the generators' among them) and the status bar item.
 * Nothing here analyses YAML or talks to a cluster.
 */
import { window, workspace, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../server/protocol';
import { registerCommands } from './commands';
import { registerGenerateCommands } from './generate-commands';
import { createLanguageClient } from './language-client';
import { PodstartStatusBar } from './status-bar';
import { registerTimingsCommands } from './timings-commands';
import { registerWorkspaceFileLister } from './workspace-scan';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const output = window.createOutputChannel('Podstart', { log: true });
  context.subscriptions.push(output);
  client = createLanguageClient(context, output);
  context.subscriptions.push(...registerCommands(context, client, output), ...registerTimingsCommands(client, output), ...registerGenerateCommands(context, client, output), new PodstartStatusBar(client), registerWorkspaceFileLister(client));
  // Registry lookups and cluster timings wait for trust; VS Code cannot take trust back without reloading the window.
  const tellServerTrusted = () => {
    if (client?.isRunning()) void client.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION).catch((error) => output.error(`Telling the server about workspace trust failed: ${(error as Error)?.message ?? error}`));
  };
  context.subscriptions.push(workspace.onDidGrantWorkspaceTrust(tellServerTrusted));
  try {
    await client.start();
    // Trust granted while the server was starting reached neither its initialization options (read
    // before) nor the handler above (the client was not running yet); the server ignores a repeat.
    if (workspace.isTrusted) tellServerTrusted();
  } catch (error) {
    output.error(`The Podstart language server did not start: ${(error as Error)?.message ?? error}`);
    void window.showErrorMessage('Podstart: the language server did not start; see the Podstart output.', 'Show Output').then((choice) => {
      if (choice) output.show(true);
    });
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
