/**
 * The language client: starts dist/server.js over Node IPC and syncs the YAML documents of real
 * files and untitled editors. Which of them hold Kubernetes objects is decided by the server from
 * their content (apiVersion and kind), not from file names: the others get no diagnostics at all.
 * It contributes no language and no schema for manifests (only one for .podstart.yaml), so it sits
 * beside Red Hat's YAML extension: that one validates YAML and schemas, Podstart adds startup findings.
 */
import * as path from 'node:path';
import { workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, SHOW_RULE_DOC_COMMAND, type PodstartInitializationOptions } from '../server/protocol';
import { configurationMiddleware } from './configuration';

export const CONFIG_FILE_GLOB = '**/.podstart.yaml';

export function createLanguageClient(context: ExtensionContext, output: LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // Created, changed and deleted .podstart.yaml files re-configure the open manifests.
  const configWatcher = workspace.createFileSystemWatcher(CONFIG_FILE_GLOB);
  context.subscriptions.push(configWatcher);
  const initializationOptions: PodstartInitializationOptions = {
    // `synchronize` below already forwards setting changes: the server must not register for them too.
    synchronizesConfiguration: true,
    // Hovers link rule pages through podstart.showRuleDoc (the Markdown preview), trusted below.
    opensRuleDocLinks: true,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: configWatcher },
    initializationOptions,
    // Server markdown may run this one command and no other.
    markdown: { isTrusted: { enabledCommands: [SHOW_RULE_DOC_COMMAND] } },
    diagnosticCollectionName: 'podstart',
    outputChannel: output,
    middleware: { workspace: { configuration: configurationMiddleware } },
  };
  return new LanguageClient('podstart', 'Podstart', serverOptions, clientOptions);
}
