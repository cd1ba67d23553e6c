/**
 * Startup timings for the editor: reads the cluster (or a snapshot file) a namespace at a time, keeps
 * each namespace's capture with the time it was taken, and answers, for a workload of an open
 * manifest, with its figures or why there are none (a TimingsView).
 *
 * - Trust: nothing here reads a kubeconfig, loads the Kubernetes client or contacts a cluster until
 *   the workspace is trusted (the flag the registry lookups use). A kubeconfig can run programs
 *   (exec and auth-provider plugins), and a repository's settings must not get to choose them.
 * - Reads: one capture per namespace (core/cluster/snapshot: eight lists and the nodes), started the
 *   first time a lens of that namespace asks, again on save, on command and on the interval; a
 *   capture in flight is shared by everyone who asks meanwhile. A failed capture is kept as the
 *   namespace's state, with its reason, until the next refresh.
 * - Watches (`podstart.timings.watch`, on by default): after each successful capture, the namespace's
 *   pods, events, ReplicaSets and Jobs are watched from the lists' resourceVersions
 *   (core/cluster/namespace-watch.ts: four GETs per namespace, whatever its pods) and each change is
 *   applied to the capture (core/cluster/snapshot-updates.ts); `changed` follows within a second. A
 *   410 Gone reads the namespace again; a refused watch is given up (logged once; forbidden ones are
 *   not asked for again until the kubeconfig, the context or the trust change); anything else is
 *   retried with backoff.
 *   Watches end with a new capture of the namespace (which starts its own), when the interval drops
 *   it, on a change of source, settings or trust, and on dispose; a snapshot file is never watched.
 * - Never blocking: `view` waits for a first capture at most as long as it is told, then says
 *   "reading"; `changed` is called whenever a capture ends, so the lenses are asked for again.
 *   `cachedClusterFacts` answers only from captures already made (for the diagnostics, which must
 *   never wait for the cluster).
 * - Node details (`podstart.timings.nodeDetails`): each kubelet's /configz and /metrics through the
 *   node proxy, two GETs per node running the namespace's pods. Refused or unreachable, they become
 *   a sentence of the cluster facts ("not readable (RBAC)"), never a failed capture.
 * - Logging: namespaces, contexts, server URLs, counts and the API server's messages; never a
 *   header, a token, a certificate or a kubeconfig's content.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { NamespaceWatch, WATCHED_RESOURCES, type BackoffPolicy, type WatchError } from '../core/cluster/namespace-watch';
import { listResourceVersion, type ClusterSnapshot, type NamespacedResource } from '../core/cluster/snapshot';
import { SnapshotUpdater } from '../core/cluster/snapshot-updates';
import { ClusterFactsIndex, type WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import { isPlaceholderImage } from '../core/image-reference';
import { timingsForWorkloads, type TimingSource, type WorkloadTimings } from '../core/timings/workload-timings';
import type { ClusterContextsResult, TimingsProblem } from './protocol';
import type { OpenedCluster } from './timings-cluster';
import { DEFAULT_TIMINGS_SETTINGS, sameTimingsSettings, sameTimingsSource, type TimingsSettings } from './timings-settings';
import type { TimingsView } from './timings-view';

export interface TimingsLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface TimingsServiceOptions {
  log: TimingsLog;
  /** New data (or a new failure) arrived, or settings changed what is shown: lenses are out of date. */
  changed(): void;
  /** Workspace folders: a relative `podstart.timings.snapshot` is the first one's. */
  workspaceFolders(): string[];
  /** The environment whose KUBECONFIG applies (the server's). */
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** How watches are retried and how long their changes are gathered before `changed` (tests shorten them). */
  watch?: { backoff?: Partial<BackoffPolicy>; debounceMs?: number; timeoutSeconds?: number };
}

/** A workload as a manifest names it (its namespace, when it writes one). */
export interface WorkloadName {
  kind: string;
  name: string;
  namespace?: string;
}

/** A workload with the images its manifest writes (none: its live pods' images count). */
export interface WorkloadWithImages extends WorkloadName {
  images: readonly string[];
}

/** Why a capture gave nothing: a problem and the message that explains it. */
interface Failure {
  problem: TimingsProblem;
  reason: string;
}

/** What one capture of a namespace (or of the snapshot file) gave. */
interface Capture {
  snapshot?: ClusterSnapshot;
  failure?: Failure;
  /** Epoch ms. */
  at: number;
}

interface Entry {
  capture?: Capture;
  inFlight?: Promise<void>;
  /** When a lens last asked about it (the interval refreshes only namespaces still shown). */
  wantedAt: number;
  /** Timings computed from the current capture, by workload. */
  memo: Map<string, WorkloadTimings>;
  /** The current capture's per-node facts, and each workload's (by workload and images). */
  facts?: ClusterFactsIndex;
  factsMemo: Map<string, WorkloadClusterFacts>;
  /** The watches keeping the capture current (live captures only). */
  watch?: NamespaceWatch;
}

type ClusterModule = typeof import('./timings-cluster');

/** The snapshot file is one entry for every namespace. */
const SNAPSHOT_ENTRY = '';

/** Errors that say the cluster as a whole could not be read, not one resource of it. */
const CLUSTER_WIDE = new Set(['unreachable', 'timeout', 'unauthorized']);

/** Changes under a watch are gathered this long before the lenses are asked for again. */
const WATCH_DEBOUNCE_MS = 1000;

export class TimingsService {
  private trusted = false;
  private settings: TimingsSettings = DEFAULT_TIMINGS_SETTINGS;
  private readonly entries = new Map<string, Entry>();
  /** The opened kubeconfig context, or why it could not be opened; reopened on every refresh. */
  private cluster?: Promise<OpenedCluster | Failure>;
  private module?: Promise<ClusterModule>;
  private timer?: NodeJS.Timeout;
  /** Bumped whenever the source changes: captures started before are dropped when they end. */
  private generation = 0;
  /** The opened context's namespace, once known: where manifests that name none live (for cachedClusterFacts, which never opens the kubeconfig). */
  private contextNamespace?: string;
  /** `namespace/resource` watches RBAC forbids: not asked for again until the source (kubeconfig, context) or the trust changes. */
  private readonly watchForbidden = new Set<string>();
  /** Watch problems already logged (`namespace/resource/kind`), so that each is logged once. */
  private readonly watchLogged = new Set<string>();
  /** Pending `changed` for changes seen by watches. */
  private changedTimer?: NodeJS.Timeout;

  constructor(private readonly options: TimingsServiceOptions) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** The workspace's trust; returns whether what the lenses show changed. */
  setTrusted(trusted: boolean): boolean {
    if (trusted === this.trusted) return false;
    this.trusted = trusted;
    this.reset();
    return true;
  }

  /** New settings; returns whether what the lenses show changed. */
  configure(settings: TimingsSettings): boolean {
    if (sameTimingsSettings(settings, this.settings)) return false;
    const sourceChanged = !sameTimingsSource(settings, this.settings);
    const watchedBefore = this.watches(this.settings);
    this.settings = settings;
    if (sourceChanged) this.reset();
    else for (const entry of this.entries.values()) clearMemos(entry);
    if (!this.watches(settings)) this.stopWatches();
    // Watches turned on (or the timings again): read what is shown again, which starts them from fresh lists.
    else if (!watchedBefore && !sourceChanged) void this.refresh();
    this.schedule();
    return true;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.generation++;
    this.stopWatches();
    this.entries.clear();
  }

  /**
   * What is known about a workload's startup. Waits at most `waitMs` for a first capture of its
   * namespace (a capture already made answers at once); then answers `loading`.
   */
  async view(workload: WorkloadName, waitMs = 0): Promise<TimingsView> {
    return (await this.views([workload], waitMs))[0];
  }

  /**
   * `view` for several workloads at once (the lenses of a document): the timings of the workloads of
   * one namespace are computed together, so every pod's start and the namespace's event index are
   * worked out once, not once per workload.
   */
  async views(workloads: readonly WorkloadName[], waitMs = 0): Promise<TimingsView[]> {
    const source = this.settings.snapshot ? 'snapshot' : 'cluster';
    const base = { source, windowMs: this.settings.windowMs, snapshotFile: this.settings.snapshot } as const;
    const named = workloads.map((workload) => ({ kind: workload.kind, name: workload.name, namespace: workload.namespace ?? this.settings.namespace ?? '' }));
    const withNamespace = (workload: Required<WorkloadName>, fallback = 'default') => ({ ...workload, namespace: workload.namespace || fallback });
    if (!this.settings.enabled) return named.map((workload) => ({ ...base, workload: withNamespace(workload), problem: 'disabled' }));
    if (!this.trusted) return named.map((workload) => ({ ...base, workload: withNamespace(workload), problem: 'untrusted' }));

    let context: string | undefined;
    let keyOf = (_workload: Required<WorkloadName>) => SNAPSHOT_ENTRY;
    if (!this.settings.snapshot) {
      const cluster = await this.openCluster();
      if ('problem' in cluster) return named.map((workload) => ({ ...base, workload: withNamespace(workload), ...cluster }));
      context = cluster.context;
      for (const workload of named) workload.namespace ||= cluster.namespace;
      keyOf = (workload) => workload.namespace;
    }
    const entries = new Map<string, Entry>();
    for (const workload of named) {
      const key = keyOf(workload);
      const entry = this.entry(key);
      entry.wantedAt = Date.now();
      if (!entry.capture && !entry.inFlight) void this.capture(key);
      entries.set(key, entry);
    }
    const pending = [...entries.values()].flatMap((entry) => (!entry.capture && entry.inFlight ? [entry.inFlight] : []));
    if (pending.length > 0 && waitMs > 0) {
      const all = Promise.all(pending);
      await (Number.isFinite(waitMs) ? Promise.race([all, delay(waitMs)]) : all);
    }
    for (const [key, entry] of entries) {
      const snapshot = entry.capture?.snapshot;
      if (!snapshot) continue;
      const fallback = snapshot.namespaces[0] || 'default';
      this.computeTimings(entry, snapshot, named.filter((workload) => keyOf(workload) === key).map((workload) => withNamespace(workload, fallback)));
    }
    return named.map((workload) => {
      const entry = entries.get(keyOf(workload))!;
      const capture = entry.capture;
      if (!capture) return { ...base, workload: withNamespace(workload), context, loading: true };
      if (capture.failure) return { ...base, workload: withNamespace(workload), context, capturedAt: new Date(capture.at).toISOString(), ...capture.failure };
      const snapshot = capture.snapshot!;
      return { ...base, ...this.timingsView(entry, snapshot, withNamespace(workload, snapshot.namespaces[0] || 'default')), context: snapshot.context || context };
    });
  }

  /**
   * The cluster facts of workloads (core/cluster/workload-cluster-facts.ts: images on the nodes, the
   * kubelets' pull settings and metrics) from the captures already made, without reading anything:
   * undefined for a workload whose namespace has not been read (or whose capture failed), and for
   * every workload when the workspace is untrusted or the timings are off.
   */
  cachedClusterFacts(workloads: readonly WorkloadWithImages[]): Array<WorkloadClusterFacts | undefined> {
    if (!this.trusted || !this.settings.enabled) return workloads.map(() => undefined);
    return workloads.map((workload) => {
      let namespace = workload.namespace ?? this.settings.namespace;
      const entryKey = this.settings.snapshot ? SNAPSHOT_ENTRY : (namespace ?? this.contextNamespace);
      const entry = entryKey === undefined ? undefined : this.entries.get(entryKey);
      const snapshot = entry?.capture?.snapshot;
      if (!entry || !snapshot) return undefined;
      namespace ||= this.settings.snapshot ? snapshot.namespaces[0] || 'default' : this.contextNamespace;
      if (!namespace) return undefined;
      const named = { kind: workload.kind, name: workload.name, namespace };
      const key = `${memoKey(named)}\n${workload.images.join('\n')}`;
      let facts = entry.factsMemo.get(key);
      if (!facts) {
        this.computeTimings(entry, snapshot, [named]);
        const timings = entry.memo.get(memoKey(named))!;
        // A manifest naming no image (a kustomize patch): the images its pods run.
        const images = workload.images.length > 0 ? workload.images : podImagesOf(timings);
        entry.facts ??= new ClusterFactsIndex(snapshot);
        facts = entry.facts.forWorkload({ images, nodes: timings.pods.flatMap((pod) => (pod.nodeName ? [pod.nodeName] : [])) });
        entry.factsMemo.set(key, facts);
      }
      return facts;
    });
  }

  /**
   * What `view` answers for a workload, from a capture already made and never waiting or reading
   * (for hovers): undefined while its namespace has not been read, when the read failed, and when
   * the workspace is untrusted or the timings are off.
   */
  cachedView(workload: WorkloadName): TimingsView | undefined {
    if (!this.trusted || !this.settings.enabled) return undefined;
    const snapshotFile = this.settings.snapshot;
    let namespace = workload.namespace ?? this.settings.namespace;
    const key = snapshotFile ? SNAPSHOT_ENTRY : (namespace ?? this.contextNamespace);
    const entry = key === undefined ? undefined : this.entries.get(key);
    const snapshot = entry?.capture?.snapshot;
    namespace ||= snapshotFile ? snapshot?.namespaces[0] || 'default' : this.contextNamespace;
    if (!entry || !snapshot || !namespace) return undefined;
    const view = this.timingsView(entry, snapshot, { kind: workload.kind, name: workload.name, namespace });
    return { ...view, source: snapshotFile ? 'snapshot' : 'cluster', snapshotFile, context: snapshot.context || undefined };
  }

  /** Whether node details are read (the waterfall says how to get them when they are not). */
  get readsNodeDetails(): boolean {
    return this.settings.nodeDetails;
  }

  /**
   * Reads again the namespaces named (those lenses asked about, when none are named), or the
   * snapshot file; the kubeconfig is read again too. Resolves when every read has ended.
   */
  async refresh(namespaces?: readonly string[]): Promise<number> {
    if (!this.trusted || !this.settings.enabled) return 0;
    this.cluster = undefined;
    if (this.settings.snapshot) {
      await this.capture(SNAPSHOT_ENTRY, true);
      return 1;
    }
    let keys = [...this.entries.keys()];
    if (namespaces) {
      const cluster = await this.openCluster();
      const fallback = 'problem' in cluster ? undefined : (this.settings.namespace ?? cluster.namespace);
      const wanted = new Set(namespaces.map((namespace) => namespace || fallback).filter((namespace): namespace is string => namespace !== undefined));
      keys = keys.filter((key) => wanted.has(key));
    }
    await Promise.all(keys.map((key) => this.capture(key, true)));
    return keys.length;
  }

  /** The kubeconfig's contexts; none (and why) in an untrusted workspace, whose kubeconfig is never read. */
  async contexts(): Promise<ClusterContextsResult> {
    if (!this.trusted) return { contexts: [], files: [], selected: this.settings.context, error: 'The workspace is not trusted: Podstart reads no kubeconfig for it.' };
    const cluster = await this.loadModule();
    return cluster.listContexts(this.target());
  }

  // ---- internals -------------------------------------------------------------------------------

  private reset(): void {
    this.generation++;
    this.stopWatches();
    this.watchForbidden.clear();
    this.watchLogged.clear();
    this.entries.clear();
    this.cluster = undefined;
    this.contextNamespace = undefined;
    this.schedule();
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { wantedAt: 0, memo: new Map(), factsMemo: new Map() };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private target() {
    return { kubeconfig: this.settings.kubeconfig, context: this.settings.context, env: this.options.env ?? process.env, home: this.options.home };
  }

  private loadModule(): Promise<ClusterModule> {
    if (!this.module) {
      // Loaded on first use only: the Kubernetes client is a large part of the server's bundle. Its
      // HTTP stack loads Node's deprecated `punycode`, whose warning would show in the Podstart output
      // as an error the user can do nothing about: deprecation warnings are off while it loads.
      const previous = process.noDeprecation;
      process.noDeprecation = true;
      this.module = import('./timings-cluster.js').finally(() => {
        process.noDeprecation = previous;
      });
    }
    return this.module;
  }

  private openCluster(): Promise<OpenedCluster | Failure> {
    this.cluster ??= this.loadModule().then((cluster) => {
      try {
        const opened = cluster.openCluster(this.target());
        this.contextNamespace = opened.namespace;
        return opened;
      } catch (error) {
        if (error instanceof cluster.KubeconfigError) {
          this.options.log.warn(`Timings: ${error.message}`);
          return { problem: 'kubeconfig', reason: error.message } satisfies Failure;
        }
        throw error;
      }
    });
    return this.cluster;
  }

  private snapshotPath(): string {
    const given = this.settings.snapshot!;
    if (given.startsWith('~')) return path.join(this.options.home ?? os.homedir(), given.slice(1));
    const folder = this.options.workspaceFolders()[0];
    return path.isAbsolute(given) || !folder ? given : path.join(folder, given);
  }

  /** Captures a namespace (or reads the snapshot file), sharing a capture already in flight. */
  private capture(key: string, refresh = false): Promise<void> {
    const entry = this.entry(key);
    if (entry.inFlight) return entry.inFlight;
    const generation = this.generation;
    const started = Date.now();
    let opened: OpenedCluster | undefined;
    const run = async (): Promise<Capture> => {
      if (key === SNAPSHOT_ENTRY) return this.readSnapshot(started);
      const cluster = await this.openCluster();
      if ('problem' in cluster) return { failure: cluster, at: started };
      opened = cluster;
      const snapshot = await cluster.capture(key, { nodeDetails: this.settings.nodeDetails });
      const failed = snapshot.unavailable.filter((entry) => entry.resource !== 'nodes/proxy');
      // Every list failed the same way: the cluster, not RBAC on one resource, is the problem.
      const wholesale = failed.length > 0 && failed.every((unavailable) => CLUSTER_WIDE.has(unavailable.kind)) && failed.some((unavailable) => unavailable.resource === 'pods');
      if (wholesale) {
        const first = failed[0];
        this.options.log.warn(`Timings: cannot read namespace ${key} from context ${cluster.context} (${cluster.server}): ${first.message}`);
        return { failure: { problem: first.kind === 'unauthorized' ? 'unauthorized' : 'unreachable', reason: first.message }, at: started };
      }
      for (const unavailable of failed) this.options.log.warn(`Timings: ${unavailable.message}`);
      // A kubelet the node proxy refuses or cannot reach costs only that node's details: the cluster facts say so.
      const kubelets = snapshot.unavailable.filter((entry) => entry.resource === 'nodes/proxy');
      if (kubelets.length > 0) this.options.log.info(`Timings: ${kubelets.length} kubelet read${kubelets.length === 1 ? '' : 's'} through the node proxy failed, for example: ${kubelets[0].message}`);
      const { pods, events, nodes } = snapshot.objects;
      this.options.log.info(
        `Timings: read namespace ${key} from context ${cluster.context} (${cluster.server}) in ${Date.now() - started} ms: ${pods.length} pods, ${events.length} events, ${nodes.length} nodes${refresh ? ' (refresh)' : ''}.`,
      );
      return { snapshot, at: Date.parse(snapshot.capturedAt) || started };
    };
    entry.inFlight = run()
      .catch((error: unknown): Capture => {
        // Not a ClusterRequestError (those are recorded in the snapshot): only the error's kind and first line.
        const reason = safeMessage(error);
        this.options.log.warn(`Timings: reading ${key === SNAPSHOT_ENTRY ? 'the snapshot' : `namespace ${key}`} failed: ${reason}`);
        return { failure: { problem: key === SNAPSHOT_ENTRY ? 'snapshot' : 'error', reason }, at: started };
      })
      .then((capture) => {
        if (generation !== this.generation) return;
        entry.capture = capture;
        clearMemos(entry);
        entry.facts = undefined;
        entry.inFlight = undefined;
        // The new lists replace what the watches kept current: watch again from them (or stop, when the capture failed).
        this.watch(key, entry, capture.snapshot && !capture.failure ? opened : undefined);
        this.options.changed();
      });
    return entry.inFlight;
  }

  private async readSnapshot(started: number): Promise<Capture> {
    const file = this.snapshotPath();
    const cluster = await this.loadModule();
    const snapshot = await cluster.readSnapshotFile(file);
    this.options.log.info(`Timings: read the snapshot ${file} (context ${snapshot.context || 'unknown'}, taken ${snapshot.capturedAt}): ${snapshot.objects.pods.length} pods.`);
    return { snapshot, at: Date.parse(snapshot.capturedAt) || started };
  }

  private watches(settings: TimingsSettings): boolean {
    return settings.enabled && settings.watch && !settings.snapshot;
  }

  private stopWatches(): void {
    for (const entry of this.entries.values()) stopWatch(entry);
    if (this.changedTimer) clearTimeout(this.changedTimer);
    this.changedTimer = undefined;
  }

  /** Watches a namespace from its capture's lists (stopping the watches of its previous capture); `cluster` undefined: only stops. */
  private watch(key: string, entry: Entry, cluster: OpenedCluster | undefined): void {
    const wasWatching = entry.watch !== undefined;
    stopWatch(entry);
    const snapshot = entry.capture?.snapshot;
    if (!cluster || !snapshot || key === SNAPSHOT_ENTRY || !this.trusted || !this.watches(this.settings)) return;
    const from: Partial<Record<NamespacedResource, string>> = {};
    for (const resource of WATCHED_RESOURCES) {
      const resourceVersion = listResourceVersion(snapshot, resource, key);
      if (resourceVersion && !this.watchForbidden.has(`${key}/${resource}`)) from[resource] = resourceVersion;
    }
    if (Object.keys(from).length === 0) return;
    const updater = new SnapshotUpdater(snapshot, key);
    const log = this.options.log;
    let relisting = false;
    const watch = new NamespaceWatch({
      client: cluster,
      namespace: key,
      resourceVersions: from,
      backoff: this.options.watch?.backoff,
      timeoutSeconds: this.options.watch?.timeoutSeconds,
      onEvent: (resource, type, object) => {
        if (entry.watch !== watch || !updater.apply(resource, type, object)) return;
        // The capture is now as of this change: timings are computed again, with the pods' ages to now.
        const now = Date.now();
        snapshot.capturedAt = new Date(now).toISOString();
        entry.capture!.at = now;
        clearMemos(entry);
        entry.facts = undefined;
        this.changedSoon();
      },
      onGone: (resource) => {
        // One new reading for the whole namespace, however many of its watches are too old: it replaces this watch.
        if (entry.watch !== watch || relisting) return;
        relisting = true;
        log.info(`Timings: the watch of ${resource} in namespace ${key} is too old for the API server (410 Gone): reading the namespace again.`);
        void this.capture(key, true);
      },
      onRefused: (resource, error) => {
        if (error.kind === 'forbidden') this.watchForbidden.add(`${key}/${resource}`);
        this.logWatchOnce(key, resource, error, `Timings: not watching ${resource} in namespace ${key} (${error.message}); it is read again only on save, on command and on the refresh interval.`);
      },
      onRetry: (resource, error, delayMs, attempt) => {
        if (attempt === 1) this.logWatchOnce(key, resource, error, `Timings: the watch of ${resource} in namespace ${key} failed (${error.message}); retrying with backoff, from ${Math.max(1, Math.round(delayMs / 1000))} s.`);
      },
    });
    entry.watch = watch;
    watch.start();
    if (!wasWatching) log.info(`Timings: watching ${watch.watching.join(', ')} in namespace ${key} for changes.`);
  }

  private logWatchOnce(namespace: string, resource: string, error: WatchError, message: string): void {
    const key = `${namespace}/${resource}/${error.kind}`;
    if (this.watchLogged.has(key)) return;
    this.watchLogged.add(key);
    this.options.log.warn(message);
  }

  /** `changed`, once for the changes of the next second (a rollout is a burst of pod and event changes). */
  private changedSoon(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = undefined;
      this.options.changed();
    }, this.options.watch?.debounceMs ?? WATCH_DEBOUNCE_MS);
    this.changedTimer.unref?.();
  }

  /** Timings of the workloads not computed yet from this capture, in one pass over its pods and events. */
  private computeTimings(entry: Entry, snapshot: ClusterSnapshot, workloads: ReadonlyArray<Required<WorkloadName>>): void {
    const missing = workloads.filter((workload, index) => !entry.memo.has(memoKey(workload)) && workloads.findIndex((other) => memoKey(other) === memoKey(workload)) === index);
    if (missing.length === 0) return;
    const computed = timingsForWorkloads(snapshot as unknown as TimingSource, missing, { defaultNamespace: missing[0].namespace, windowMs: this.settings.windowMs });
    missing.forEach((workload, index) => entry.memo.set(memoKey(workload), computed[index]));
  }

  private timingsView(entry: Entry, snapshot: ClusterSnapshot, workload: Required<WorkloadName>): Omit<TimingsView, 'source'> {
    this.computeTimings(entry, snapshot, [workload]);
    const timings = entry.memo.get(memoKey(workload))!;
    const view: Omit<TimingsView, 'source'> = { workload, capturedAt: snapshot.capturedAt, windowMs: this.settings.windowMs, timings };
    const podsUnreadable = snapshot.unavailable.find((unavailable) => unavailable.resource === 'pods' && (unavailable.namespace === undefined || unavailable.namespace === workload.namespace));
    if (podsUnreadable) return { ...view, problem: podsUnreadable.kind === 'forbidden' ? 'forbidden' : CLUSTER_WIDE.has(podsUnreadable.kind) ? 'unreachable' : 'error', reason: podsUnreadable.message };
    if (!timings.summary) return { ...view, problem: timings.live || workload.kind === 'Pod' ? 'no-pods' : 'not-found', reason: timings.reason };
    return { ...view, reason: timings.reason };
  }

  /** The interval timer, running only while it can do something. */
  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const interval = this.settings.refreshIntervalMs;
    if (!this.trusted || !this.settings.enabled || interval <= 0) return;
    this.timer = setInterval(() => {
      // Only what lenses still show: a namespace no lens asked about for two intervals is dropped.
      const now = Date.now();
      for (const [key, entry] of this.entries) {
        if (now - entry.wantedAt > 2 * interval && !entry.inFlight) {
          stopWatch(entry);
          this.entries.delete(key);
        }
      }
      void this.refresh();
    }, interval);
    this.timer.unref();
  }
}

function stopWatch(entry: Entry): void {
  entry.watch?.stop();
  entry.watch = undefined;
}

function clearMemos(entry: Entry): void {
  entry.memo.clear();
  entry.factsMemo.clear();
}

/** The images a workload's pods ran, init containers first, each once (placeholders left out: no node lists them). */
function podImagesOf(timings: WorkloadTimings): string[] {
  const order = { init: 0, sidecar: 0, app: 1 } as const;
  const containers = timings.pods.flatMap((pod) => pod.containers).sort((a, b) => (order[a.kind as keyof typeof order] ?? 1) - (order[b.kind as keyof typeof order] ?? 1));
  return [...new Set(containers.flatMap((container) => (container.image && !isPlaceholderImage(container.image) ? [container.image.trim()] : [])))];
}

function memoKey(workload: Required<WorkloadName>): string {
  return `${workload.kind}/${workload.namespace}/${workload.name}`;
}

/** An unexpected error's kind and first line, with anything that looks like a credential removed. */
export function safeMessage(error: unknown): string {
  const text = error instanceof Error ? `${error.message}` : String(error);
  const firstLine = text.split('\n')[0].slice(0, 300);
  return firstLine.replace(/(bearer\s+|token["']?\s*[:=]\s*["']?|password["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1[redacted]');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
