/**
 * The generator commands ("Podstart: Generate Pre-puller DaemonSet"...), one per generator as
 * package.json contributes them, and "Podstart: Add Startup Probe". A generator command asks the
 * options its generator marks `ask`, finds the manifests (the files or folders chosen in the Explorer
 * when run from its context menu, else the workspace's *.yaml and *.yml, `files.exclude` and
 * node_modules left out), and asks the server to generate (`podstart/generate`), which runs the same
 * core path as `podstart generate`. The result opens in a new untitled editor named as the generator
 * suggests; what the generator chose and why goes to the Podstart output, offered by "Show Notes".
 *
 * The generators live in the server: the client learns their options from `podstart/listGenerators`.
 */
import * as path from 'node:path';
import { commands, FileType, languages, ProgressLocation, RelativePattern, Uri, window, workspace, type Disposable, type ExtensionContext, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ADD_STARTUP_PROBE_COMMAND,
  ADD_STARTUP_PROBE_REQUEST,
  GENERATE_REQUEST,
  LIST_GENERATORS_REQUEST,
  type AddStartupProbeParams,
  type AddStartupProbeResult,
  type GenerateParams,
  type GenerateResult,
  type GeneratorSummary,
} from '../server/protocol';
import { askGeneratorOptions } from './generator-options';

/** The server reads at most this many files for one generator; the search stops there too. */
const MAX_FILES = 5000;
const MANIFEST_GLOB = '**/*.{yaml,yml}';

/** The generator command ids package.json contributes (written from the generators by scripts/generate-manifest.ts). */
function contributedGeneratorCommands(context: ExtensionContext): string[] {
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
  return contributed.map((entry) => entry.command).filter((command) => /^podstart\.generate[A-Z]/.test(command));
}

function isManifestCandidate(uri: Uri): boolean {
  // The configuration is YAML but not a manifest; dependencies hold no manifest of the project.
  return !uri.path.split('/').includes('node_modules') && path.posix.basename(uri.path) !== '.podstart.yaml';
}

/**
 * The manifests to read: each file chosen in the Explorer, and the YAML files under each folder
 * chosen; none chosen, the workspace's. `undefined` for `exclude` keeps `files.exclude` applied.
 */
async function manifestUris(selection: readonly Uri[]): Promise<Uri[]> {
  if (selection.length === 0) return (await workspace.findFiles(MANIFEST_GLOB, undefined, MAX_FILES)).filter(isManifestCandidate);
  const found: Uri[] = [];
  for (const uri of selection) {
    const type = await workspace.fs.stat(uri).then((stats) => stats.type, () => undefined);
    if (type === undefined) continue;
    if (type & FileType.Directory) found.push(...(await workspace.findFiles(new RelativePattern(uri, MANIFEST_GLOB), undefined, MAX_FILES)).filter(isManifestCandidate));
    else found.push(uri);
  }
  return [...new Map(found.map((uri) => [uri.toString(), uri])).values()].slice(0, MAX_FILES);
}

/** The Explorer's selection when the command runs from its context menu: (clicked, all selected). */
function explorerSelection(clicked: unknown, selected: unknown): Uri[] {
  // From a server's code action the URIs arrive as strings (a cluster diagnostic's "generate a pre-puller for this file").
  const asUri = (item: unknown) => (item instanceof Uri ? item : typeof item === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(item) ? Uri.parse(item) : undefined);
  if (Array.isArray(selected)) {
    const uris = selected.map(asUri);
    if (uris.every((uri) => uri !== undefined)) return uris as Uri[];
  }
  const one = asUri(clicked);
  return one ? [one] : [];
}

/** An untitled editor named `fileName` in the first workspace folder (`-2`, `-3`... when taken), so that Save proposes it. */
function untitledUri(fileName: string): Uri | undefined {
  const folder = workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const extension = path.extname(fileName);
  const stem = fileName.slice(0, fileName.length - extension.length);
  const taken = new Set(workspace.textDocuments.map((document) => document.uri.path));
  for (let attempt = 1; attempt < 100; attempt++) {
    const candidate = Uri.joinPath(folder.uri, attempt === 1 ? fileName : `${stem}-${attempt}${extension}`).with({ scheme: 'untitled' });
    if (!taken.has(candidate.path)) return candidate;
  }
  return undefined;
}

async function openGenerated(result: Required<Pick<GenerateResult, 'file'>>['file']): Promise<void> {
  const target = untitledUri(result.fileName);
  let document;
  if (target) {
    document = await workspace.openTextDocument(target);
    const editor = await window.showTextDocument(document, { preview: false });
    await editor.edit((builder) => builder.insert(document!.positionAt(0), result.text));
  } else {
    document = await workspace.openTextDocument({ language: result.language, content: result.text });
    await window.showTextDocument(document, { preview: false });
  }
  if (document.languageId !== result.language) await languages.setTextDocumentLanguage(document, result.language);
}

async function runGenerator(client: LanguageClient, output: LogOutputChannel, commandId: string, selection: Uri[]): Promise<void> {
  const generators = await client.sendRequest<GeneratorSummary[]>(LIST_GENERATORS_REQUEST);
  const generator = generators.find((candidate) => candidate.commandId === commandId);
  if (!generator) {
    void window.showErrorMessage(`Podstart: the language server has no generator for ${commandId}; restart it (Podstart: Restart Language Server).`);
    return;
  }
  const options = await askGeneratorOptions(generator);
  if (!options) return;
  const result = await window.withProgress({ location: ProgressLocation.Notification, title: `Podstart: ${generator.title.replace(/^Generate /, 'generating the ')}…` }, async () => {
    const uris = generator.usesImages ? await manifestUris(selection) : [];
    const params: GenerateParams = { generatorId: generator.id, options, uris: uris.map((uri) => uri.toString()) };
    return client.sendRequest<GenerateResult>(GENERATE_REQUEST, params);
  });
  if (!result.file) {
    output.warn(`${generator.title}: ${result.error ?? 'nothing generated'}`);
    void window.showWarningMessage(`Podstart: ${result.error ?? 'nothing was generated.'}`);
    return;
  }
  await openGenerated(result.file);
  const from = generator.usesImages ? ` from ${result.filesRead} file${result.filesRead === 1 ? '' : 's'}` : '';
  output.info(`${generator.title}: ${result.file.fileName}${from}, for Kubernetes ${result.kubernetesVersion}${result.usedRegistry ? ', with the registry\'s digests and sizes' : ''}.`);
  for (const note of result.file.notes) output.info(`  ${note}`);
  if (result.file.notes.length > 0) {
    const choice = await window.showInformationMessage(`Podstart: ${result.file.fileName}${from}, ${result.file.notes.length} note${result.file.notes.length === 1 ? '' : 's'} on what was chosen.`, 'Show Notes');
    if (choice) output.show(true);
  }
}

async function addStartupProbe(client: LanguageClient): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'yaml') {
    void window.showInformationMessage('Podstart: put the cursor on a container with a readinessProbe in a Kubernetes manifest.');
    return;
  }
  const params: AddStartupProbeParams = { uri: editor.document.uri.toString(), position: { line: editor.selection.active.line, character: editor.selection.active.character } };
  const result = await client.sendRequest<AddStartupProbeResult>(ADD_STARTUP_PROBE_REQUEST, params);
  if (!result.edit) {
    void window.showInformationMessage(`Podstart: ${result.notes.join(' ') || 'no startup probe can be added here.'}`);
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!(await workspace.applyEdit(edit))) {
    void window.showWarningMessage('Podstart: the file changed while the probe was made; run the command again.');
    return;
  }
  if (result.notes.length > 0) void window.setStatusBarMessage(`Podstart: ${result.notes[0]}`, 5000);
}

/** Runs a command body; a failure is logged and shown, never thrown into the editor. */
function safely(output: LogOutputChannel, what: string, body: () => Promise<void>): Promise<void> {
  return body().catch((error: unknown) => {
    output.error(`${what} failed: ${(error as Error)?.message ?? error}`);
    void window.showErrorMessage(`Podstart: ${what} failed; see the Podstart output.`);
  });
}

export function registerGenerateCommands(context: ExtensionContext, client: LanguageClient, output: LogOutputChannel): Disposable[] {
  return [
    ...contributedGeneratorCommands(context).map((commandId) =>
      commands.registerCommand(commandId, (clicked?: unknown, selected?: unknown) => safely(output, 'Generating', () => runGenerator(client, output, commandId, explorerSelection(clicked, selected)))),
    ),
    commands.registerCommand(ADD_STARTUP_PROBE_COMMAND, () => safely(output, 'Adding a startup probe', () => addStartupProbe(client))),
  ];
}
