/**
 * The language client: starts dist/server.js over Node IPC and syncs the YAML documents and
 * Dockerfiles of real files and untitled editors. Which YAML documents hold Kubernetes objects is
 * decided by the server from their content (apiVersion and kind), not from file names: the others
 * get no diagnostics at all. Dockerfiles are selected by language (VS Code's built-in `dockerfile`)
 * and by name, so `Dockerfile.prod` or `api.dockerfile` opened in another mode are analysed too.
 * It contributes no language and no schema for manifests (only one for .podstart.yaml), so it sits
 * beside Red Hat's YAML extension and the Docker extensions: they validate syntax and schemas,
 * Podstart adds startup findings.
 */
import * as path from 'node:path';
import { workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DOCKERFILE_GLOB } from '../core/file-types';
import { SETTINGS_SECTION, SHOW_RULE_DOC_COMMAND, SHOW_STARTUP_WATERFALL_COMMAND, type PodstartInitializationOptions } from '../server/protocol';
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
  // A function: a restarted server must learn the trust granted since the first start.
  const initializationOptions = (): PodstartInitializationOptions => ({
    // `synchronize` below already forwards setting changes: the server must not register for them too.
    synchronizesConfiguration: true,
    // Hovers link rule pages through podstart.showRuleDoc (the Markdown preview), trusted below.
    opensRuleDocLinks: true,
    // The hover over a workload links its startup waterfall (podstart.showStartupWaterfall), trusted below.
    opensStartupWaterfallLinks: true,
    // Registry lookups (podstart.registry.enabled) only in a trusted workspace; a grant later is
    // sent as WORKSPACE_TRUSTED_NOTIFICATION (extension.ts).
    workspaceTrusted: workspace.isTrusted,
    registryCacheDir: context.globalStorageUri.fsPath,
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      { scheme: 'file', pattern: DOCKERFILE_GLOB },
      // Kubelet config.json files and `kubectl get -o json` output; the server skips JSON without Kubernetes objects.
      { scheme: 'file', language: 'json' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: configWatcher },
    initializationOptions,
    // Server markdown may run these two commands and no other.
    markdown: { isTrusted: { enabledCommands: [SHOW_RULE_DOC_COMMAND, SHOW_STARTUP_WATERFALL_COMMAND] } },
    diagnosticCollectionName: 'podstart',
    outputChannel: output,
    middleware: { workspace: { configuration: configurationMiddleware } },
  };
  return new LanguageClient('podstart', 'Podstart', serverOptions, clientOptions);
}
