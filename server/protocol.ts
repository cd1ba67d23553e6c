/**
 * The contract between the extension client and the language server: custom request names,
 * their payloads, the command ids the server's code actions invoke, and the shape of the
 * editor's `podstart.*` settings. Both sides import this file; it has no runtime imports,
 * so the client bundle never pulls in server code.
 */
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import type { WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import type { GeneratedFile, GeneratorOption } from '../core/generate/types';
import type { Severity, SeveritySetting } from '../core/types';
import type { RuleSettingInput } from '../core/settings';

/** The settings section the server pulls per document and the client synchronises. */
export const SETTINGS_SECTION = 'podstart';

/**
 * The editor's `podstart.*` settings as the server receives them. Values the user did not set
 * are absent (the Podstart client sends only explicit values), so that a `.podstart.yaml` in the
 * repository is not overridden by the editor's defaults.
 */
export interface EditorSettings {
  enable: boolean;
  kubernetesVersion?: string;
  maxFileSize?: number;
  rules?: Record<string, RuleSettingInput>;
  /**
   * `podstart.registry.*`: read once for the server (not per document), and only from the user's
   * own settings: the Podstart client never takes them from a workspace's settings.
   */
  registry?: RegistryEditorSettings;
  /** `podstart.kubeconfig`: a kubeconfig file instead of `KUBECONFIG` / `~/.kube/config`; read once for the server, from the user's settings only. */
  kubeconfig?: string;
  /** `podstart.cluster.*`: read once for the server. */
  cluster?: ClusterEditorSettings;
  /** `podstart.timings.*`: read once for the server. */
  timings?: TimingsEditorSettings;
  /** `podstart.workspaceScan.*`: read once for the server (server/workspace-scan.ts). */
  workspaceScan?: { enabled?: boolean };
}

/** `podstart.registry.*` as sent; server/registry-settings.ts checks them and fills in defaults. */
export interface RegistryEditorSettings {
  /** Ask registries for image sizes and digests (only in a trusted workspace). */
  enabled?: boolean;
  /** The nodes' platform, `os/arch[/variant]`: which image of a multi-platform index is measured. */
  platform?: string;
  /** Registry hosts (`host:port`) that may be spoken to over plain http besides loopback. */
  insecureRegistries?: string[];
}

/** Code action kind for fix-on-save: `"editor.codeActionsOnSave": { "source.fixAll.podstart": "explicit" }`. */
export const SOURCE_FIX_ALL_KIND = 'source.fixAll.podstart';

/** Client command that opens a rule's bundled documentation; the argument is the rule id. */
export const SHOW_RULE_DOC_COMMAND = 'podstart.showRuleDoc';

/** What the Podstart client says about itself in `initializationOptions`; other clients send nothing. */
export interface PodstartInitializationOptions {
  /** The client forwards changes of the `podstart` section itself: the server must not register for them too. */
  synchronizesConfiguration?: boolean;
  /**
   * The client runs SHOW_RULE_DOC_COMMAND from `command:` links in hovers (it trusts that one
   * command in markdown), so the hover links the rendered page instead of the raw file.
   */
  opensRuleDocLinks?: boolean;
  /**
   * The client runs SHOW_STARTUP_WATERFALL_COMMAND from a `command:` link in a hover (it trusts that
   * one command too), so the hover over a workload links its startup waterfall.
   */
  opensStartupWaterfallLinks?: boolean;
  /**
   * The user trusts the workspace (VS Code's `workspace.isTrusted`). Registry lookups send the
   * image names a repository's files contain to the registries they name, with the user's
   * credentials, so they happen only in a trusted workspace; a client that sends nothing gets none.
   * Trust granted later arrives as WORKSPACE_TRUSTED_NOTIFICATION.
   */
  workspaceTrusted?: boolean;
  /** A folder of the client's (VS Code's global storage) for the registry answers cache; memory only without. */
  registryCacheDir?: string;
}

/**
 * `podstart/workspaceFiles` (server → client): the files of the workspace matching `include`, less
 * `exclude` and the editor's `files.exclude`, as URIs. The workspace scan asks it: only the editor
 * knows its exclusions.
 */
export const WORKSPACE_FILES_REQUEST = 'podstart/workspaceFiles';

export interface WorkspaceFilesParams {
  include: string;
  exclude: string;
}

export interface WorkspaceFilesResult {
  uris: string[];
}

/** `podstart/workspaceTrusted` (client → server, no params): the user has just trusted the workspace. */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'podstart/workspaceTrusted';

/** `podstart/documentStatus`: what the status bar shows for the active editor. */
export const DOCUMENT_STATUS_REQUEST = 'podstart/documentStatus';

export interface DocumentStatusParams {
  uri: string;
}

export interface DocumentStatus {
  uri: string;
  /** `podstart.enable` for this document. */
  enabled: boolean;
  /** Workloads (objects with a pod spec) in the document; the status bar hides when this and `kubeletConfigCount` are zero. */
  workloadCount: number;
  /** Kubelet configurations in the document (KubeletConfiguration documents, kind patches, kubeletExtraArgs). */
  kubeletConfigCount?: number;
  /** Findings published for the document, by severity. */
  findings: Record<Severity, number>;
  /** Why the document was not analysed, when it was not (in plain words, for the tooltip). */
  skippedBecause?: string;
}

/** `podstart/fixAll`: every safe fix in one document, as the `podstart.fixAll` command applies it. */
export const FIX_ALL_REQUEST = 'podstart/fixAll';

export interface FixAllParams {
  uri: string;
}

export interface FixAllResult {
  /** Absent when nothing can be fixed. */
  edit?: WorkspaceEdit;
  /** Number of fixes applied (over every pass). */
  fixed: number;
}

/** `podstart/listRules`: the rule catalog, with the severity each rule has for one document. */
export const LIST_RULES_REQUEST = 'podstart/listRules';

export interface ListRulesParams {
  /** The document whose settings (`.podstart.yaml`, `podstart.rules`) decide the severities; none: the defaults. */
  uri?: string;
}

export interface RuleSummary {
  id: string;
  /** The startup stage the rule's findings cost, in words ("Image pull"). */
  stage: string;
  defaultSeverity: Severity;
  /** The severity in effect for the document asked about, `off` when it does not run. */
  severity: SeveritySetting;
  description: string;
  startupCost: string;
  fixable: boolean;
}

// ---- cluster startup timings (issue 6) ----------------------------------------------------------

/**
 * `podstart.cluster.*`. The context (like `podstart.kubeconfig`) decides which credentials are
 * used: the Podstart client takes it from the user's own settings only.
 */
export interface ClusterEditorSettings {
  /** A context of the kubeconfig; empty: its current context. */
  context?: string;
  /** The namespace of manifests that name none; empty: the context's namespace. */
  namespace?: string;
}

/** `podstart.timings.*`: the code lens and the waterfall. */
export interface TimingsEditorSettings {
  /** Code lenses with startup timings above workloads (default true). */
  enabled?: boolean;
  /** A Go duration (`6h`): only pods created that long before the capture; empty: every current pod. */
  window?: string;
  /** Seconds between refreshes while lenses are shown; 0: only on save and on command. */
  refreshInterval?: number;
  /** A snapshot written by `podstart capture`, read instead of a live cluster. */
  snapshot?: string;
  /** Also read each kubelet's configuration and metrics through the node proxy (get on nodes/proxy). */
  nodeDetails?: boolean;
  /** Watch the namespaces read for changes (pods, events, their owners), so that figures follow the cluster (default true). */
  watch?: boolean;
}

/** The command the startup lens runs (client): opens the waterfall of the workload in its arguments. */
export const SHOW_STARTUP_WATERFALL_COMMAND = 'podstart.showStartupWaterfall';

/** A workload as the lens and the waterfall name it (the argument of SHOW_STARTUP_WATERFALL_COMMAND). */
export interface TimingsParams {
  /** The manifest it is written in. */
  uri: string;
  kind: string;
  name: string;
  /** The manifest's namespace; absent: `podstart.cluster.namespace`, else the context's. */
  namespace?: string;
}

/** `podstart/timings`: the workload's startup timings, as the waterfall draws them. */
export const TIMINGS_REQUEST = 'podstart/timings';

/** Why there are no figures (or why they may be incomplete); the lens title says the same in words. */
export type TimingsProblem =
  | 'disabled'
  | 'untrusted'
  | 'kubeconfig'
  | 'snapshot'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'no-pods'
  | 'error';

export type TimingsPhase = 'schedule' | 'pull' | 'init' | 'start' | 'ready';

/** One piece of a pod's bar, in ms from the pod's creation. */
export interface TimingsSegment {
  /** `pull-or-start`: pull or start, when the image events have expired. */
  phase: TimingsPhase | 'pull-or-start';
  startMs: number;
  endMs: number;
  /** The container whose image pull or init run it is. */
  container?: string;
}

/** How a container's image came to the node. */
export interface TimingsImage {
  container: string;
  kind: 'init' | 'sidecar' | 'app';
  image?: string;
  /** pulled, cached, pulling, failing, never-pull, unknown. */
  status: string;
  sizeBytes?: number;
  pullMs?: number;
  /** Queued behind other pulls on the node. */
  waitingMs?: number;
}

export interface TimingsPod {
  name: string;
  node?: string;
  /** pending, running, ready, succeeded, failed. */
  state: string;
  createdAt: string;
  /** Creation to the workload's milestone (Ready, or Running for Jobs); absent when not reached. */
  durationMs?: number;
  /** Creation to the capture: how long a pod that has not reached the milestone has waited. */
  ageMs: number;
  /** The phase a pod that has not reached the milestone is in. */
  stuckIn?: TimingsPhase;
  /** Why it is stuck, in the cluster's words (Unschedulable, ImagePullBackOff...). */
  stuckReason?: string;
  stuckMessage?: string;
  phases: Partial<Record<TimingsPhase | 'pullOrStart', number>>;
  segments: TimingsSegment[];
  images: TimingsImage[];
  restarts: number;
  /** The kubelet's start SLI for this pod, when it counts. */
  sliMs?: number;
  clockSkewMs: number;
  pullUnknown: boolean;
}

export interface TimingsSummary {
  /** `ready` for long-running workloads, `running` for Jobs and CronJobs. */
  milestone: 'ready' | 'running';
  podCount: number;
  reached: number;
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
  sliP50Ms?: number;
  sliP95Ms?: number;
  /** Fraction of the time to the milestone spent in each phase (0..1). */
  phaseShare: Partial<Record<TimingsPhase, number>>;
  dominantPhase?: TimingsPhase;
}

export interface TimingsResult {
  workload: { kind: string; name: string; namespace: string };
  /** The lens's title for the same state. */
  title: string;
  problem?: TimingsProblem;
  /** What went wrong or is incomplete, in full. */
  reason?: string;
  source: 'cluster' | 'snapshot';
  context?: string;
  /** The snapshot file, for `source: snapshot`. */
  snapshotFile?: string;
  capturedAt?: string;
  windowMs?: number;
  /** Whether the cluster has the object itself. */
  live: boolean;
  summary?: TimingsSummary;
  /** Newest first, as the cluster lists them. */
  pods: TimingsPod[];
  /** What the cluster says beyond the pods (images on the nodes, the kubelets' pull settings and metrics); absent when nothing was read. */
  clusterFacts?: TimingsClusterFacts;
}

export interface TimingsClusterFacts {
  /** In words, as `podstart timings` prints them under its table (core/cluster/cluster-facts-text.ts). */
  sentences: string[];
  /** How to get the kubelets' side when it was not read (podstart.timings.nodeDetails off, or a snapshot taken without it). */
  nodeDetailsHint?: string;
  /** The same facts as data (core/cluster/workload-cluster-facts.ts, as `podstart timings --format json` writes them). */
  facts: WorkloadClusterFacts;
}

/** `podstart/refreshTimings`: reads the cluster (or the snapshot file) again; resolves when done. */
export const REFRESH_TIMINGS_REQUEST = 'podstart/refreshTimings';

export interface RefreshTimingsResult {
  /** Namespaces read again (or 1 for a snapshot file). */
  refreshed: number;
}

/**
 * `podstart/timingsChanged` (server → client, no params): new timings arrived (a namespace read or
 * changed under a watch, or gone): open waterfalls ask for theirs again. Sent at most about once a
 * second.
 */
export const TIMINGS_CHANGED_NOTIFICATION = 'podstart/timingsChanged';

/** `podstart/clusterContexts`: the kubeconfig's contexts, for a context picker. */
export const CLUSTER_CONTEXTS_REQUEST = 'podstart/clusterContexts';

export interface ClusterContextsResult {
  contexts: Array<{ name: string; namespace?: string; cluster?: string }>;
  /** The kubeconfig's current context. */
  current?: string;
  /** `podstart.cluster.context`, when set. */
  selected?: string;
  files: string[];
  /** Why the contexts are not listed (not trusted, no kubeconfig). */
  error?: string;
}

// ---- generators (issue 7) -----------------------------------------------------------------------

/** `podstart.generatePrePuller` for `pre-puller`: the editor command of a generator (package.json contributes one per generator). */
export function generatorCommandId(generatorId: string): string {
  return `podstart.generate${generatorId.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase())}`;
}

/** The command that adds a startupProbe, made from the readinessProbe, to the container at the cursor. */
export const ADD_STARTUP_PROBE_COMMAND = 'podstart.addStartupProbe';

/** `podstart/listGenerators` (no params): the generators and the options each declares, for the client to ask. */
export const LIST_GENERATORS_REQUEST = 'podstart/listGenerators';

export interface GeneratorSummary {
  id: string;
  /** `Generate Pre-puller DaemonSet`. */
  title: string;
  description: string;
  /** generatorCommandId(id). */
  commandId: string;
  /** Whether it reads the workspace's manifests (the KubeletConfiguration does not). */
  usesImages: boolean;
  options: GeneratorOption[];
}

/** `podstart/generate`: runs a generator over files, as `podstart generate <id> <files>` does. */
export const GENERATE_REQUEST = 'podstart/generate';

export interface GenerateParams {
  generatorId: string;
  /** By declared option name; missing ones take their defaults. */
  options: Record<string, unknown>;
  /** The manifests (file URIs): open documents' current text wins over the disk. */
  uris: string[];
}

export interface GenerateResult {
  /** Absent when nothing was generated; `error` says why. */
  file?: GeneratedFile;
  error?: string;
  /** Files read (after the ignore lists and the size limit). */
  filesRead: number;
  /** The Kubernetes release the file was made for. */
  kubernetesVersion: string;
  /** Whether the registry was asked for digests and sizes (registry access on, workspace trusted). */
  usedRegistry: boolean;
}

/** `podstart/addStartupProbe`: the edit that adds a startupProbe to the container at a position. */
export const ADD_STARTUP_PROBE_REQUEST = 'podstart/addStartupProbe';

export interface AddStartupProbeParams {
  uri: string;
  position: { line: number; character: number };
}

export interface AddStartupProbeResult {
  /** Absent when no probe can be added there; `notes` say why. */
  edit?: WorkspaceEdit;
  notes: string[];
}
