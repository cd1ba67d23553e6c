/**
 * The Podstart language server: wires the protocol to the core and nothing else. Started by the
 * extension over IPC, or by any LSP client with `node dist/server.js --stdio`.
 *
 *   documents ──change──▶ ValidationQueue ──▶ DocumentAnalyses (analyzeText, parse cache per URI)
 *                                                   │
 *   settings: editor (per URI) + .podstart.yaml ────┘──▶ diagnostics, hover, code actions, status
 *                                                   ▲
 *   registry facts (trusted workspace, opt-in) ─────┘  fetched after publishing; documents whose
 *                                                      images got new facts are analysed again
 *
 *   cluster timings (trusted workspace) ──▶ startup code lenses and podstart/timings, never in the
 *                                           way of diagnostics (server/timings-*.ts); once a namespace
 *                                           is read, its facts are merged into the diagnostics
 *                                           (server/cluster-diagnostics.ts)
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DOCKERIGNORE_GLOB, isDockerignorePath } from '../core/dockerfile/build-context';
import { resolveRuleSetting, SEVERITIES } from '../core/settings';
import { STAGE_TITLES, type Severity } from '../core/types';
import { ALL_RULES } from '../rules';
import { AnalysisWarmUp } from './analysis-warm-up';
import { clusterDiagnosticActions, clusterDiagnostics } from './cluster-diagnostics';
import { codeActionsFor, resolveFixAllAction, workspaceEditOf, type ClientEditSupport } from './code-actions';
import { configProblemDiagnostic } from './diagnostics';
import { DocumentAnalyses, holdsKubernetesObjects, isCandidate, sniffWorkloadCount, type DocumentAnalysis } from './document-analysis';
import { DocumentSettingsResolver } from './document-settings';
import { fixDocument } from './fix-all';
import { generate, listGenerators, startupProbeCodeAction, startupProbeEdit, type GenerateHost } from './generate-requests';
import { describeError, guard } from './guard';
import { ImageFactsService } from './image-facts-service';
import { commandDocLink, fileDocLink, hoverAt, type RuleDocLink } from './hover';
import { isConfigFilePath, ProjectConfigs } from './project-config';
import {
  ADD_STARTUP_PROBE_REQUEST,
  GENERATE_REQUEST,
  LIST_GENERATORS_REQUEST,
  type AddStartupProbeParams,
  type AddStartupProbeResult,
  type GenerateParams,
  type GenerateResult,
  CLUSTER_CONTEXTS_REQUEST,
  DOCUMENT_STATUS_REQUEST,
  FIX_ALL_REQUEST,
  REFRESH_TIMINGS_REQUEST,
  TIMINGS_CHANGED_NOTIFICATION,
  TIMINGS_REQUEST,
  LIST_RULES_REQUEST,
  SETTINGS_SECTION,
  SOURCE_FIX_ALL_KIND,
  WORKSPACE_TRUSTED_NOTIFICATION,
  type DocumentStatus,
  type DocumentStatusParams,
  type FixAllParams,
  type FixAllResult,
  type ListRulesParams,
  type PodstartInitializationOptions,
  type RuleSummary,
  type ClusterContextsResult,
  type RefreshTimingsResult,
  type TimingsParams,
  type TimingsResult,
} from './protocol';
import { readRegistrySettings } from './registry-settings';
import { EditorSettingsStore } from './settings';
import { PieceTextDocument } from './piece-document';
import { ShownLenses } from './shown-lenses';
import { resolveStartupLens, startupLenses } from './timings-code-lens';
import { startupLensTitle } from './timings-lens-title';
import { clusterHoverAt, type HoverPart } from './timings-hover';
import { timingsResultOf } from './timings-result';
import type { WorkloadSite } from './timings-workload-sites';
import { TimingsService } from './timings-service';
import { readTimingsSettings } from './timings-settings';
import { createServerConnection } from './transport';
import { fileSystemPathOf, fileUriOf } from './uris';
import { ValidationQueue } from './validation-queue';
import { readWorkspaceScanEnabled, workspaceScanOverConnection } from './workspace-scan';

// The transport (--stdio, --node-ipc, --socket=) is chosen from the command line.
const connection = createServerConnection();
const log = connection.console;
// Open documents kept as their YAML documents, so a keystroke does not copy the whole file (server/piece-document.ts).
const documents = new TextDocuments(PieceTextDocument);

let canPullConfiguration = false;
let canRegisterConfigurationChange = false;
let canWatchWorkspaceFolders = false;
/** The client can watch files for the server: `.dockerignore` files, whose presence changes Dockerfile findings. */
let canWatchDockerignores = false;
/** The client fetches code lenses again when asked (`workspace/codeLens/refresh`). */
let canRefreshCodeLenses = false;
const editSupport: ClientEditSupport = { documentChanges: false, resolveEdits: false, createFiles: false };
let workspaceFolders: string[] = [];
let ruleDocLink: RuleDocLink = fileDocLink;
/** The client runs the waterfall command from hover links (the Podstart client). */
let opensStartupWaterfallLinks = false;

const editorSettings = new EditorSettingsStore(connection, () => canPullConfiguration);
const analyses = new DocumentAnalyses();
const warmUp = new AnalysisWarmUp();
/** What was last published per URI, so an unchanged analysis is not sent twice. */
const published = new Map<string, DocumentAnalysis>();
/** The cluster diagnostics last published with it, as JSON (they change without the analysis changing). */
const publishedCluster = new Map<string, string>();

function openDocumentAt(filePath: string): TextDocument | undefined {
  return documents.all().find((document) => fileSystemPathOf(document.uri) === filePath);
}

function isConfigDocument(document: TextDocument): boolean {
  const filePath = fileSystemPathOf(document.uri);
  return filePath !== undefined && isConfigFilePath(filePath);
}

const configs = new ProjectConfigs({
  openText: (filePath) => openDocumentAt(filePath)?.getText(),
  workspaceFolders: () => workspaceFolders,
  loaded: (config) => {
    const uri = openDocumentAt(config.path)?.uri ?? fileUriOf(config.path);
    void connection.sendDiagnostics({ uri, diagnostics: config.problems.map(configProblemDiagnostic) });
  },
  gone: (configPath) => {
    void connection.sendDiagnostics({ uri: fileUriOf(configPath), diagnostics: [] });
  },
});
const settingsResolver = new DocumentSettingsResolver(editorSettings, configs);

/** Analyses that asked about these images are out of date: analyse their documents again (published only if that changes anything). */
function imageFactsChanged(references: readonly string[]): void {
  const changed = new Set(references);
  for (const document of documents.all()) {
    const analysis = analyses.last(document.uri);
    if (analysis?.file?.imageReferences().some((reference) => changed.has(reference))) queue.schedule(document.uri);
  }
}

const imageFacts = new ImageFactsService({
  log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
  factsChanged: imageFactsChanged,
});

/** Asks the editor for the lenses again, once for a burst of changes (several namespaces read at once), when a title would change. */
const shownLenses = new ShownLenses();
let lensRefresh: NodeJS.Timeout | undefined;
function refreshCodeLenses(): void {
  if (!canRefreshCodeLenses || lensRefresh) return;
  lensRefresh = setTimeout(() => {
    lensRefresh = undefined;
    void shownLenses
      .changed(timings.enabled, async (params) => (await timings.views(params, 0)).map((view) => startupLensTitle(view)))
      .then((changed) => (changed ? connection.sendRequest(CodeLensRefreshRequest.type) : undefined))
      .catch((error: unknown) => log.warn(`Podstart: asking for the code lenses again failed: ${(error as Error)?.message ?? error}`));
  }, 50);
}

const timings = new TimingsService({
  log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
  changed: timingsChanged,
  workspaceFolders: () => workspaceFolders,
});

/** Tells the client that timings changed (its open waterfalls redraw), at most once a second. */
let timingsNotice: NodeJS.Timeout | undefined;
function notifyTimingsChanged(): void {
  if (timingsNotice) return;
  timingsNotice = setTimeout(() => {
    timingsNotice = undefined;
    connection.sendNotification(TIMINGS_CHANGED_NOTIFICATION).catch((error: unknown) => log.warn(`Podstart: telling the client that the timings changed failed: ${(error as Error)?.message ?? error}`));
  }, 1000);
  timingsNotice.unref?.();
}

/** New captures (or none any more): the lenses, the open waterfalls, and the cluster diagnostics of the documents with workloads. */
function timingsChanged(): void {
  refreshCodeLenses();
  notifyTimingsChanged();
  for (const document of documents.all()) {
    const uri = document.uri;
    if ((analyses.last(uri)?.file?.workloadSites().length ?? 0) > 0 || publishedCluster.has(uri)) queue.schedule(uri);
  }
}

/**
 * The cluster-informed diagnostics of an analysis, from the captures already read (nothing is read
 * for them, so they never hold the text's diagnostics back); none when anything goes wrong.
 */
function clusterDiagnosticsOf(analysis: DocumentAnalysis): Diagnostic[] {
  if (analysis.fileType !== 'manifest') return [];
  const sites: WorkloadSite[] = analysis.file?.workloadSites() ?? [];
  if (sites.length === 0) return [];
  try {
    return clusterDiagnostics(sites, timings.cachedClusterFacts(sites.map((site) => ({ kind: site.kind, name: site.name, namespace: site.namespace, images: site.images.map((entry) => entry.image) }))));
  } catch (error) {
    log.error(`Podstart: cluster diagnostics failed: ${describeError(error)}`);
    return [];
  }
}

/** How long a lens waits for a first capture of its namespace before saying "reading": longer when the editor cannot be asked to fetch it again. */
function lensWaitMs(): number {
  return canRefreshCodeLenses ? 1500 : 20_000;
}

/**
 * `podstart.registry.*`, read for the whole server (the Podstart client answers with the user's
 * own settings only), from the client when it can answer workspace/configuration, else from what
 * it pushed. Re-analyses every document when registry access changes.
 */
async function refreshRegistrySettings(pushed?: unknown): Promise<void> {
  let section: unknown;
  if (canPullConfiguration) {
    try {
      section = await connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
    } catch (error) {
      log.error(`Could not read the podstart.registry settings: ${(error as Error)?.message ?? error}`);
      return;
    }
  } else if (typeof pushed === 'object' && pushed !== null) section = (pushed as Record<string, unknown>)[SETTINGS_SECTION];
  else return;
  const registry = typeof section === 'object' && section !== null ? (section as Record<string, unknown>).registry : undefined;
  const { settings, problems } = readRegistrySettings(registry);
  for (const problem of problems) log.warn(`Ignoring a setting: ${problem}`);
  // The cluster and timings settings are server-wide too (the Podstart client sends the kubeconfig and the context from the user's own settings only).
  const timingsSettings = readTimingsSettings(section);
  for (const problem of timingsSettings.problems) log.warn(`Ignoring a setting: ${problem}`);
  if (timings.configure(timingsSettings.settings)) timingsChanged();
  if (imageFacts.configure(settings)) revalidateAll();
  workspaceScan.configure(readWorkspaceScanEnabled(section));
}

/**
 * Settles once the registry settings (and the other server-wide ones: cluster, timings) have been
 * read at startup: the first analyses wait for it (it runs beside their own settings request), so
 * that sizes already in the cache are in the first publish, and the first lens reads the right cluster.
 */
let registrySettingsRead: Promise<void> = Promise.resolve();

/** The analysis of a document as it is now (analysed on demand if an edit is still queued). */
async function currentAnalysis(uri: string): Promise<{ document: TextDocument; analysis: DocumentAnalysis } | undefined> {
  const opened = documents.get(uri);
  if (!opened || isConfigDocument(opened)) return undefined;
  const [settings] = await Promise.all([settingsResolver.resolve(uri), registrySettingsRead]);
  // The settings may have been fetched from the client meanwhile: analyse the latest text, if still open.
  const document = documents.get(uri);
  return document ? { document, analysis: analyses.analyze(document, settings, imageFacts) } : undefined;
}

const validate = guard(log, 'analysis', undefined, async (uri: string) => {
  const current = await currentAnalysis(uri);
  if (!current) return;
  const { document, analysis } = current;
  const cluster = clusterDiagnosticsOf(analysis);
  const clusterKey = JSON.stringify(cluster);
  if (published.get(uri) === analysis && (publishedCluster.get(uri) ?? '[]') === clusterKey) return;
  published.set(uri, analysis);
  if (cluster.length > 0) publishedCluster.set(uri, clusterKey);
  else publishedCluster.delete(uri);
  await connection.sendDiagnostics({ uri, version: document.version, diagnostics: cluster.length > 0 ? [...analysis.diagnostics, ...cluster] : analysis.diagnostics });
  // The first answer is out: compile the analysis's code before the user's first edits need it.
  if (analysis.file && analysis.fileType === 'manifest') void warmUp.start(analysis.settings.engine);
  // The text's findings are out; now the registry facts its rules asked about, if access is on.
  if (analysis.file && imageFacts.active) imageFacts.request(analysis.file.imageReferences());
});
const queue = new ValidationQueue(validate);

/** Diagnostics of the unopened manifests and Dockerfiles (podstart.workspaceScan.enabled; server/workspace-scan.ts). */
const workspaceScan = workspaceScanOverConnection(connection, {
  workspaceFolders: () => workspaceFolders,
  isOpen: (uri) => documents.get(uri) !== undefined || openDocumentAt(fileSystemPathOf(uri) ?? '') !== undefined,
  settingsOf: (uri) => settingsResolver.resolve(uri),
  forgetSettings: (uri) => {
    settingsResolver.forget(uri);
    editorSettings.forget(uri);
  },
  isIgnoredByConfig: isIgnoredByConfig,
  canWatch: () => canWatchDockerignores,
});

function revalidateAll(): void {
  for (const document of documents.all()) {
    if (!isConfigDocument(document)) queue.schedule(document.uri);
  }
}

/** A `.podstart.yaml` changed (in the editor or on disk): re-read it, show its problems, re-analyse. */
function configChanged(configPath: string, created = false): void {
  configs.invalidate(configPath, created);
  configs.load(configPath);
  revalidateAll();
  workspaceScan.configChanged();
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const capabilities = params.capabilities;
  canPullConfiguration = capabilities.workspace?.configuration === true;
  const options = (typeof params.initializationOptions === 'object' ? params.initializationOptions : undefined) as PodstartInitializationOptions | null | undefined;
  // The Podstart client syncs the `podstart` section itself; registering too would double every notification.
  canRegisterConfigurationChange = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true && options?.synchronizesConfiguration !== true;
  ruleDocLink = options?.opensRuleDocLinks === true ? commandDocLink : fileDocLink;
  opensStartupWaterfallLinks = options?.opensStartupWaterfallLinks === true;
  imageFacts.setCacheDir(typeof options?.registryCacheDir === 'string' && options.registryCacheDir !== '' ? options.registryCacheDir : undefined);
  // Only an explicit `true`: a client that says nothing about trust gets no registry lookups.
  imageFacts.setTrusted(options?.workspaceTrusted === true);
  // The same trust gates the cluster: no kubeconfig is read, no cluster contacted, without it.
  timings.setTrusted(options?.workspaceTrusted === true);
  canRefreshCodeLenses = capabilities.workspace?.codeLens?.refreshSupport === true;
  canWatchWorkspaceFolders = capabilities.workspace?.workspaceFolders === true;
  editSupport.documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
  editSupport.resolveEdits = capabilities.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit') === true;
  editSupport.createFiles = capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true;
  canWatchDockerignores = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  workspaceFolders = (params.workspaceFolders ?? []).flatMap((folder) => fileSystemPathOf(folder.uri) ?? []);
  const rootPath = params.rootUri ? fileSystemPathOf(params.rootUri) : undefined;
  if (workspaceFolders.length === 0 && rootPath) workspaceFolders = [rootPath];
  return {
    capabilities: {
      // Saves refresh the startup timings of the saved manifest's namespaces.
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, SOURCE_FIX_ALL_KIND], resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'Podstart' },
  };
});

connection.onInitialized(
  guard(log, 'initialized', undefined, async () => {
    // First, before anything else can be handled: documents opened meanwhile wait for it.
    registrySettingsRead = refreshRegistrySettings().catch((error: unknown) => log.error(`Podstart: reading the registry settings failed: ${describeError(error)}`));
    log.info(`Podstart language server started: ${ALL_RULES.length} rules; workspace folders: ${workspaceFolders.length}.`);
    for (const folder of workspaceFolders) configs.loadFolderConfig(folder);
    if (canRegisterConfigurationChange) await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (canWatchDockerignores) await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: DOCKERIGNORE_GLOB }] });
    await registrySettingsRead;
    if (canWatchWorkspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard(log, 'workspace folder change', undefined, (event) => {
          const removed = new Set(event.removed.flatMap((folder) => fileSystemPathOf(folder.uri) ?? []));
          const added = event.added.flatMap((folder) => fileSystemPathOf(folder.uri) ?? []);
          workspaceFolders = [...workspaceFolders.filter((folder) => !removed.has(folder)), ...added];
          configs.clear();
          for (const folder of added) configs.loadFolderConfig(folder);
          revalidateAll();
        }),
      );
    }
  }),
);

documents.onDidChangeContent(
  guard(log, 'document change', undefined, ({ document }) => {
    workspaceScan.noteEdit();
    if (isConfigDocument(document)) configChanged(fileSystemPathOf(document.uri)!);
    else queue.schedule(document.uri);
  }),
);

documents.onDidClose(
  guard(log, 'document close', undefined, ({ document }) => {
    if (isConfigDocument(document)) {
      // The text on disk applies again (the editor may have had unsaved changes).
      configChanged(fileSystemPathOf(document.uri)!);
      return;
    }
    queue.cancel(document.uri);
    analyses.forget(document.uri);
    shownLenses.forget(document.uri);
    settingsResolver.forget(document.uri);
    editorSettings.forget(document.uri);
    published.delete(document.uri);
    publishedCluster.delete(document.uri);
    // A scanned file's diagnostics come from disk again once it is closed.
    if (!workspaceScan.closed(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  }),
);

connection.onDidChangeConfiguration(
  guard(log, 'configuration change', undefined, async (change) => {
    editorSettings.changed(change.settings);
    revalidateAll();
    await refreshRegistrySettings(change.settings);
  }),
);

connection.onNotification(
  WORKSPACE_TRUSTED_NOTIFICATION,
  guard(log, 'workspace trust', undefined, () => {
    if (imageFacts.setTrusted(true)) revalidateAll();
    if (timings.setTrusted(true)) timingsChanged();
  }),
);

documents.onDidSave(
  guard(log, 'document save', undefined, async ({ document }) => {
    // A saved manifest may just have been applied: read its namespaces again.
    const sites = analyses.last(document.uri)?.file?.workloadSites() ?? [];
    if (sites.length > 0) await timings.refresh([...new Set(sites.map((site) => site.namespace ?? ''))]);
  }),
);

connection.onCodeLens(
  guard(log, 'code lenses', [] as CodeLens[], async ({ textDocument }) => {
    await registrySettingsRead;
    if (!timings.enabled) {
      shownLenses.answered(textDocument.uri, false, []);
      return [];
    }
    const current = await currentAnalysis(textDocument.uri);
    const sites = current?.analysis.file?.workloadSites() ?? [];
    const lenses = sites.length > 0 ? await startupLenses(timings, textDocument.uri, sites) : [];
    shownLenses.answered(textDocument.uri, true, lenses.map((lens) => ({ params: lens.data as TimingsParams, title: lens.command?.title })));
    return lenses;
  }),
);

connection.onCodeLensResolve(async (lens) => {
  // Not `guard`: the neutral answer here is the lens itself.
  try {
    await registrySettingsRead;
    const resolved = await resolveStartupLens(timings, lens, lensWaitMs());
    if (resolved.command) shownLenses.resolved(resolved.command.arguments?.[0] as TimingsParams, resolved.command.title);
    return resolved;
  } catch (error) {
    log.error(`Podstart: code lens resolve failed: ${describeError(error)}`);
    return lens;
  }
});

connection.onRequest(
  TIMINGS_REQUEST,
  guard(log, 'timings', undefined as TimingsResult | undefined, async ({ uri, kind, name, namespace }: TimingsParams): Promise<TimingsResult> => {
    await registrySettingsRead;
    // The waterfall waits for the capture: it is what the user asked to see.
    const view = await timings.view({ kind, name, namespace }, Number.POSITIVE_INFINITY);
    // The images the open manifest writes for it (none found: its pods' images).
    const site = analyses
      .last(uri)
      ?.file?.workloadSites()
      .find((candidate) => candidate.kind === kind && candidate.name === name && candidate.namespace === namespace);
    const [facts] = timings.cachedClusterFacts([{ kind, name, namespace, images: site?.images.map((entry) => entry.image) ?? [] }]);
    return timingsResultOf(view, facts);
  }),
);

connection.onRequest(
  REFRESH_TIMINGS_REQUEST,
  guard(log, 'refresh timings', { refreshed: 0 } as RefreshTimingsResult, async (): Promise<RefreshTimingsResult> => {
    await registrySettingsRead;
    return { refreshed: await timings.refresh() };
  }),
);

connection.onRequest(
  CLUSTER_CONTEXTS_REQUEST,
  guard(log, 'cluster contexts', { contexts: [], files: [], error: 'failed' } as ClusterContextsResult, async () => {
    await registrySettingsRead;
    return timings.contexts();
  }),
);

connection.onShutdown(() => {
  timings.dispose();
  workspaceScan.dispose();
});

connection.onDidChangeWatchedFiles(
  guard(log, 'watched file change', undefined, ({ changes }) => {
    workspaceScan.filesChanged(changes);
    let any = false;
    for (const change of changes) {
      const filePath = fileSystemPathOf(change.uri);
      if (filePath && isDockerignorePath(filePath)) {
        // Analyses compare what lies beside each Dockerfile, so only the affected ones change.
        any = true;
        continue;
      }
      if (!filePath || !isConfigFilePath(filePath)) continue;
      any = true;
      // An open config is read from the editor; its disk state matters only once it is closed.
      if (openDocumentAt(filePath)) continue;
      configs.invalidate(filePath, change.type === FileChangeType.Created);
      if (change.type === FileChangeType.Deleted) void connection.sendDiagnostics({ uri: change.uri, diagnostics: [] });
      else configs.load(filePath);
      workspaceScan.configChanged();
    }
    if (any) revalidateAll();
  }),
);

connection.onHover(
  guard(log, 'hover', null, async ({ textDocument, position }) => {
    const current = await currentAnalysis(textDocument.uri);
    return current ? hoverAt(current.document, current.analysis, position, ruleDocLink, clusterHoverOf(textDocument.uri, current.analysis, position)) : null;
  }),
);

/** What the startup timings already read say at a position of a manifest (never read for it); nothing when anything goes wrong. */
function clusterHoverOf(uri: string, analysis: DocumentAnalysis, position: Position): HoverPart | undefined {
  if (analysis.fileType !== 'manifest') return undefined;
  const sites = analysis.file?.workloadSites() ?? [];
  if (sites.length === 0) return undefined;
  try {
    return clusterHoverAt(uri, sites, position, timings, { waterfallLink: opensStartupWaterfallLinks });
  } catch (error) {
    log.error(`Podstart: the cluster part of a hover failed: ${describeError(error)}`);
    return undefined;
  }
}

connection.onCodeAction(
  guard(log, 'code actions', [] as CodeAction[], async ({ textDocument, range, context }) => {
    const current = await currentAnalysis(textDocument.uri);
    if (!current) return [];
    const actions = codeActionsFor(current.document, current.analysis, range, context.only, editSupport);
    if (!context.only || context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) actions.push(...clusterDiagnosticActions(textDocument.uri, context.diagnostics));
    // Adding a startup probe is offered on any container with a readinessProbe, finding or not.
    const only = context.only;
    if (current.analysis.fileType === 'manifest' && (!only || only.some((kind) => CodeActionKind.RefactorRewrite.startsWith(kind)))) {
      const probe = startupProbeCodeAction(current.document, range, current.analysis.settings.engine.kubernetesVersion, editSupport, actions.map((action) => action.title));
      if (probe) actions.push(probe);
    }
    return actions;
  }),
);

connection.onCodeActionResolve(async (action) => {
  // Not `guard`: the neutral answer here is the unresolved action itself.
  try {
    const uri = (action.data as { uri?: unknown } | undefined)?.uri;
    if (typeof uri !== 'string') return action;
    const current = await currentAnalysis(uri);
    return resolveFixAllAction(action, current?.document, current?.analysis, editSupport);
  } catch (error) {
    log.error(`Podstart: code action resolve failed: ${describeError(error)}`);
    return action;
  }
});

function emptyCounts(): Record<Severity, number> {
  return { error: 0, warning: 0, info: 0, hint: 0 };
}

connection.onRequest(
  DOCUMENT_STATUS_REQUEST,
  guard(log, 'document status', undefined as DocumentStatus | undefined, async ({ uri }: DocumentStatusParams): Promise<DocumentStatus> => {
    const status: DocumentStatus = { uri, enabled: true, workloadCount: 0, findings: emptyCounts() };
    const current = await currentAnalysis(uri);
    if (!current) return status;
    const { document, analysis } = current;
    status.enabled = analysis.settings.enabled;
    status.skippedBecause = analysis.skippedBecause;
    for (const severity of SEVERITIES) status.findings[severity] = analysis.file?.count((finding) => finding.severity === severity) ?? 0;
    status.workloadCount = analysis.file?.workloadCount ?? 0;
    status.kubeletConfigCount = analysis.file?.kubeletConfigCount ?? 0;
    if (status.workloadCount === 0 && isCandidate(document.languageId, document.uri)) {
      // Not analysed (disabled, ignored, too large, a template): count workloads without parsing.
      const text = document.getText();
      if (holdsKubernetesObjects(text, document.uri)) status.workloadCount = sniffWorkloadCount(text);
    }
    return status;
  }),
);

connection.onRequest(
  LIST_RULES_REQUEST,
  guard(log, 'list rules', [] as RuleSummary[], async ({ uri }: ListRulesParams = {}): Promise<RuleSummary[]> => {
    const settings = typeof uri === 'string' && documents.get(uri) ? (await settingsResolver.resolve(uri)).engine : {};
    return ALL_RULES.map((rule) => ({
      id: rule.meta.id,
      stage: STAGE_TITLES[rule.meta.stage],
      defaultSeverity: rule.meta.defaultSeverity,
      severity: resolveRuleSetting(rule, settings).severity,
      description: rule.meta.description,
      startupCost: rule.meta.startupCost,
      fixable: rule.meta.fixable,
    }));
  }),
);

connection.onRequest(
  FIX_ALL_REQUEST,
  guard(log, 'fix all', { fixed: 0 } as FixAllResult, async ({ uri }: FixAllParams): Promise<FixAllResult> => {
    const current = await currentAnalysis(uri);
    if (!current) return { fixed: 0 };
    const { edits, fixed } = fixDocument(current.document, current.analysis);
    return edits.length > 0 ? { edit: workspaceEditOf(current.document, edits, editSupport), fixed } : { fixed: 0 };
  }),
);

/** Whether the `ignore` list of a file's `.podstart.yaml` excludes it. */
function isIgnoredByConfig(filePath: string): boolean {
  const config = configs.forFile(filePath);
  return config !== undefined && configs.ignores(config, filePath);
}

const generateHost: GenerateHost = {
  openDocument: (uri) => documents.get(uri),
  workspaceFolders: () => workspaceFolders,
  settingsOf: async (uri) => (await settingsResolver.resolve(uri)).engine,
  isIgnored: isIgnoredByConfig,
  // Only while registry access is on, which needs a trusted workspace (ImageFactsService).
  registry: () => (imageFacts.active ? { lookUp: (references) => imageFacts.lookUpNow(references), lookup: imageFacts.lookup } : undefined),
};

connection.onRequest(LIST_GENERATORS_REQUEST, guard(log, 'list generators', [], () => listGenerators()));

connection.onRequest(
  GENERATE_REQUEST,
  guard(log, 'generate', { error: 'Generating failed; see the Podstart output.', filesRead: 0, kubernetesVersion: '', usedRegistry: false } as GenerateResult, async (params: GenerateParams): Promise<GenerateResult> => {
    await registrySettingsRead;
    return generate(params, generateHost);
  }),
);

connection.onRequest(
  ADD_STARTUP_PROBE_REQUEST,
  guard(log, 'add startup probe', { notes: ['Adding a startup probe failed; see the Podstart output.'] } as AddStartupProbeResult, async ({ uri, position }: AddStartupProbeParams): Promise<AddStartupProbeResult> => {
    const document = documents.get(uri);
    if (!document) return { notes: ['Open the manifest in an editor first.'] };
    const settings = await settingsResolver.resolve(uri);
    return startupProbeEdit(document, document.offsetAt(position), settings.engine.kubernetesVersion, editSupport);
  }),
);

documents.listen(connection);
connection.listen();
