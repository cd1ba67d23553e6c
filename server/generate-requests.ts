/**
 * The generators in the language server: `podstart/listGenerators` (the declarations the client asks
 * its quick picks from), `podstart/generate` (reads the files the client names, the open editors'
 * text winning over the disk, and runs the same core path as `podstart generate`,
 * core/generate/run-generator.ts), and `podstart/addStartupProbe` (the edit at the cursor's container),
 * also offered as a code action on a container with a readinessProbe and no startupProbe.
 *
 * Files are named relative to their workspace folder with `/` separators, as the CLI names them when
 * run from that folder, so that the two write the same source comments. Generation needs no trust;
 * the registry is asked only when registry access is on, which it never is in an untrusted workspace.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CodeAction, CodeActionKind, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { GENERATORS } from '../core/generate';
import { InventoryCache } from '../core/generate/document-images';
import { GenerationError, runGenerator, type RegistryAccess } from '../core/generate/run-generator';
import { addStartupProbe } from '../core/generate/run-startup-probe';
import { DEFAULT_KUBERNETES_VERSION } from '../core/kubernetes-version';
import { DEFAULT_MAX_FILE_SIZE, type PodstartSettings } from '../core/settings';
import { findWorkloads, WORKLOAD_KIND_NAMES } from '../core/workload';
import { parseChunk, splitYamlDocuments } from '../core/yaml-documents';
import { workspaceEditOf, type ClientEditSupport } from './code-actions';
import { toLspEdit } from './diagnostics';
import { generatorCommandId, type AddStartupProbeResult, type GenerateParams, type GenerateResult, type GeneratorSummary } from './protocol';
import { fileNameOf, fileSystemPathOf, fileUriOf } from './uris';

/** What the requests need from the server, passed in so that they are tested without a connection. */
export interface GenerateHost {
  /** The open document with this URI, if any. */
  openDocument(uri: string): TextDocument | undefined;
  workspaceFolders(): readonly string[];
  /** The engine settings (`.podstart.yaml` under `podstart.*`) of a file: asked once per request, for its first file. */
  settingsOf(uri: string): Promise<PodstartSettings>;
  /** Whether the nearest `.podstart.yaml`'s ignore list leaves the file out (as the CLI's walk does). */
  isIgnored(filePath: string): boolean;
  /** Registry access when it is on (trusted workspace, `podstart.registry.enabled`). */
  registry(): RegistryAccess | undefined;
}

/**
 * The workspace's document summaries, kept for the server's life (one server serves one window): a
 * generator run after an edit parses only the documents whose text changed. It holds the summaries
 * of the latest request's documents only; a summary is a function of the document's text, so requests
 * from different folders or settings cannot see each other's results, only miss the cache.
 */
const inventoryCache = new InventoryCache();

/** More files than a generator can sensibly list: the client finds at most this many too. */
export const MAX_GENERATE_FILES = 5000;

export function listGenerators(): GeneratorSummary[] {
  return GENERATORS.map((generator) => ({
    id: generator.id,
    title: generator.title,
    description: generator.description,
    commandId: generatorCommandId(generator.id),
    usesImages: generator.usesImages,
    options: [...generator.options],
  }));
}

/** The innermost workspace folder that holds the file. */
function folderOf(filePath: string, folders: readonly string[]): string | undefined {
  return folders.filter((folder) => filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep)).sort((a, b) => b.length - a.length)[0];
}

/** `orders-api.yaml` in a one-folder workspace; `<folder>/orders-api.yaml` when there are several. */
function displayNameOf(uri: string, folders: readonly string[]): string {
  const filePath = fileSystemPathOf(uri);
  if (!filePath) return fileNameOf(uri);
  const folder = folderOf(filePath, folders);
  if (!folder) return filePath;
  const relative = path.relative(folder, filePath).split(path.sep).join('/');
  return folders.length > 1 ? `${path.basename(folder)}/${relative}` : relative;
}

export async function generate(params: GenerateParams, host: GenerateHost): Promise<GenerateResult> {
  const uris = [...new Set(Array.isArray(params.uris) ? params.uris.filter((uri) => typeof uri === 'string') : [])].slice(0, MAX_GENERATE_FILES);
  const folders = host.workspaceFolders();
  // One set of settings for the run, as `podstart generate` run in the workspace folder takes that
  // folder's: those of a file at the root of the first file's folder (a file there need not exist).
  const firstPath = uris.length > 0 ? fileSystemPathOf(uris[0]) : undefined;
  const root = firstPath ? folderOf(firstPath, folders) : folders[0];
  const runSettings = root ? await host.settingsOf(fileUriOf(path.join(root, 'podstart-generate.yaml'))) : uris.length > 0 ? await host.settingsOf(uris[0]) : {};
  const maxFileSize = runSettings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const kubernetesVersion = runSettings.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const files: Array<{ file: string; text: string }> = [];
  const skipped: Array<{ file: string; reason: string }> = [];
  for (const uri of uris) {
    const file = displayNameOf(uri, folders);
    const open = host.openDocument(uri);
    const filePath = fileSystemPathOf(uri);
    if (filePath && host.isIgnored(filePath)) continue;
    if (open) {
      files.push({ file, text: open.getText() });
      continue;
    }
    if (!filePath) continue;
    try {
      // A file far over the limit is not even read (run-generator leaves out the ones just over it).
      if ((await stat(filePath)).size > maxFileSize) {
        skipped.push({ file, reason: `larger than the maximum file size (${(maxFileSize / 1048576).toFixed(1)} MB)` });
        continue;
      }
      files.push({ file, text: await readFile(filePath, 'utf8') });
    } catch (error) {
      skipped.push({ file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  const registry = host.registry();
  const summary = { filesRead: files.length, kubernetesVersion, usedRegistry: registry !== undefined };
  try {
    const generated = await runGenerator({ generatorId: params.generatorId, options: params.options ?? {}, files, skipped, kubernetesVersion, maxFileSize, registry, inventoryCache });
    return { ...summary, file: generated };
  } catch (error) {
    // A request that cannot be carried out is the user's to read; anything else is a bug, for the log.
    if (error instanceof GenerationError) return { ...summary, error: error.message };
    throw error;
  }
}

/** The edit adding a startupProbe to the container at `offset`, and what was done or why not. */
export function startupProbeEdit(document: TextDocument, offset: number, kubernetesVersion: string | undefined, support: ClientEditSupport): AddStartupProbeResult {
  const result = addStartupProbe(document.getText(), { offset, kubernetesVersion });
  if (result.edits.length === 0) return { notes: result.notes };
  return { edit: workspaceEditOf(document, result.edits.map((edit) => toLspEdit(edit, document)), support), notes: result.notes };
}

/** Documents larger than this are not parsed again for the code action on each cursor move. */
const CODE_ACTION_TEXT_LIMIT = 256 * 1024;

/** Whether the offset is inside an app container or a native sidecar (the containers that take probes). */
function inProbedContainer(text: string, offset: number): boolean {
  // Only the document under the cursor is parsed, the way the analysis parses (a document nested past what is safe is refused).
  const around = splitYamlDocuments(text).find((chunk) => offset >= chunk.start && offset <= chunk.start + chunk.text.length);
  const doc = around && parseChunk(around, (kind) => kind === undefined || WORKLOAD_KIND_NAMES.has(kind)).doc;
  if (!around || !doc) return false;
  const at = offset - around.start;
  return findWorkloads(doc).some((workload) =>
    workload.containers.some(({ kind, node }) => (kind === 'container' || kind === 'sidecar') && node.range !== undefined && node.range !== null && at >= node.range[0] && at <= node.range[1]),
  );
}

/**
 * "Add a startupProbe from the readinessProbe" where the cursor is on a container that has a
 * readinessProbe and no startupProbe. Left out where a finding's own fix already offers a startup
 * probe (missing-startup-probe), so that the menu does not list the same edit twice.
 */
export function startupProbeCodeAction(document: TextDocument, range: Range, kubernetesVersion: string | undefined, support: ClientEditSupport, offeredTitles: readonly string[]): CodeAction | undefined {
  const text = document.getText();
  if (text.length > CODE_ACTION_TEXT_LIMIT || !text.includes('readinessProbe') || offeredTitles.some((title) => /startupProbe/.test(title))) return undefined;
  // On a container only: on the workload around it the command would edit every container, too much for a light bulb.
  const offset = document.offsetAt(range.start);
  if (!inProbedContainer(text, offset)) return undefined;
  const { edit } = startupProbeEdit(document, offset, kubernetesVersion, support);
  if (!edit) return undefined;
  return CodeAction.create('Add a startupProbe from the readinessProbe', edit, CodeActionKind.RefactorRewrite);
}
