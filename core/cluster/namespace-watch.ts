/**
 * Watches a namespace's resources for changes after a capture, from the resourceVersions its lists
 * were read at, so that the editor's figures follow the cluster without listing it again. Each
 * resource is one long-lived GET (`watch=true`, `allowWatchBookmarks`, through
 * ReadOnlyClusterClient.watch: nothing else can be sent), and how each watch ends decides what next:
 *
 * - it ends cleanly (the server's `timeoutSeconds`): watched again at once from the last
 *   resourceVersion seen (an object's, or a BOOKMARK's);
 * - 410 Gone (the resourceVersion has been compacted away): `onGone`, and that resource is no longer
 *   watched here: the owner lists the namespace again and starts a new NamespaceWatch from the new
 *   lists, as the API documentation asks
 *   (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes);
 * - forbidden or unauthorized: `onRefused`, and that resource is no longer watched (asking again
 *   would get the same answer);
 * - unreachable, a server error, a timeout, anything else: watched again after an exponential
 *   backoff with jitter (1 s doubling to 60 s by default), which starts over after a watch that
 *   lived a while. A watch that ends cleanly at once having delivered nothing counts as a failure
 *   too, so that a proxy closing every watch is not asked again and again.
 *
 * The server is asked to end each watch after 5 to 10 minutes, as client-go's reflector does
 * (`timeoutSeconds`, randomised so that many clients do not come back together); a watch that
 * outlives that by a minute is taken for a dead connection and started again.
 *
 * Pure apart from the client and the timers, both injected: tests drive it with a fake client and
 * fake time.
 */
import type { ClusterErrorKind, Query, WatchHandle } from './read-only-client';
import { NAMESPACED_RESOURCES, type KubeObject, type NamespacedResource } from './snapshot';
import type { WatchEventType } from './snapshot-updates';

/**
 * What the editor watches in a namespace it has read: the pods and their events, which the figures
 * are made of, and the owners pods are matched to their workload through (a rollout's new
 * ReplicaSet, a CronJob's new Job). The workloads themselves change what is shown only when one is
 * created or deleted, which a save (and its refresh) usually follows. Four watches per namespace,
 * whatever the number of pods.
 */
export const WATCHED_RESOURCES: readonly NamespacedResource[] = ['pods', 'events', 'replicasets', 'jobs'];

/** An error that ended a watch (ClusterRequestError has this shape). */
export interface WatchError {
  kind: ClusterErrorKind;
  message: string;
}

/** What a NamespaceWatch needs of ReadOnlyClusterClient. */
export interface WatchClient {
  watch(path: string, query: Query, onEvent: (type: string, object: unknown) => void, onEnd: (error?: WatchError) => void): Promise<WatchHandle>;
}

export interface BackoffPolicy {
  /** The wait before the first retry. */
  initialDelayMs: number;
  /** The longest wait: the delay doubles up to it. */
  maxDelayMs: number;
  /** A watch that lived this long before failing starts the backoff over. */
  healthyAfterMs: number;
  /** 0..1: each wait is the delay times a random factor between 1 - jitter and 1. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 1000, maxDelayMs: 60_000, healthyAfterMs: 60_000, jitter: 0.5 };

/** Time, as the watch uses it. */
export interface WatchTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export const REAL_TIMERS: WatchTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // Watches must never keep a process alive (the CLI, a test run, a server shutting down).
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  random: () => Math.random(),
};

/** client-go's reflector asks for minWatchTimeout (5 min) times a random factor in [1, 2). */
const MIN_WATCH_TIMEOUT_SECONDS = 300;
/** How long past its own timeout a watch may stay silent before it is taken for a dead connection. */
const DEAD_WATCH_SLACK_MS = 60_000;

export interface NamespaceWatchOptions {
  client: WatchClient;
  namespace: string;
  /** Where each resource's watch starts: its list's resourceVersion. Resources absent are not watched. */
  resourceVersions: Partial<Record<NamespacedResource, string>>;
  /** An object changed, or a BOOKMARK moved the resource's resourceVersion on. */
  onEvent(resource: NamespacedResource, type: WatchEventType, object: KubeObject): void;
  /** 410 Gone: the resource must be listed again (this watch no longer watches it). */
  onGone(resource: NamespacedResource, error: WatchError): void;
  /** Forbidden or unauthorized: this resource is no longer watched. */
  onRefused(resource: NamespacedResource, error: WatchError): void;
  /** A watch failed and is tried again after `delayMs` (attempt 1 is the first retry after a success). */
  onRetry?(resource: NamespacedResource, error: WatchError, delayMs: number, attempt: number): void;
  backoff?: Partial<BackoffPolicy>;
  timers?: WatchTimers;
  /** The server-side timeout asked of each watch; default 300 to 600 s, at random. */
  timeoutSeconds?: number;
}

interface ResourceState {
  resource: NamespacedResource;
  resourceVersion: string;
  /** Consecutive failures since the last healthy watch. */
  failures: number;
  /** Bumped at every start and at stop: callbacks of an older watch are ignored. */
  token: number;
  /** The token of the watch open now, 0 when none is. */
  open: number;
  startedAt: number;
  received: boolean;
  handle?: WatchHandle;
  retry?: unknown;
  deadline?: unknown;
  /** No longer watched (gone, refused, or the whole watch stopped). */
  finished: boolean;
}

const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

export class NamespaceWatch {
  private readonly states: ResourceState[];
  private readonly backoff: BackoffPolicy;
  private readonly timers: WatchTimers;
  private stopped = false;
  private started = false;

  constructor(private readonly options: NamespaceWatchOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.timers = options.timers ?? REAL_TIMERS;
    this.states = (Object.entries(options.resourceVersions) as Array<[NamespacedResource, string | undefined]>)
      .filter((entry): entry is [NamespacedResource, string] => typeof entry[1] === 'string' && entry[1] !== '')
      .map(([resource, resourceVersion]) => ({ resource, resourceVersion, failures: 0, token: 0, open: 0, startedAt: 0, received: false, finished: false }));
  }

  /** The resources still watched (or waiting to be watched again). */
  get watching(): NamespacedResource[] {
    return this.states.filter((state) => !state.finished).map((state) => state.resource);
  }

  /** The last resourceVersion seen of a resource. */
  resourceVersion(resource: NamespacedResource): string | undefined {
    return this.states.find((state) => state.resource === resource)?.resourceVersion;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const state of this.states) this.open(state);
  }

  /** Ends every watch and every pending retry; nothing is called back afterwards. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const state of this.states) {
      state.finished = true;
      state.token++;
      state.open = 0;
      this.clearTimers(state);
      state.handle?.stop();
      state.handle = undefined;
    }
  }

  private open(state: ResourceState): void {
    if (this.stopped || state.finished) return;
    const token = ++state.token;
    state.open = token;
    state.startedAt = this.timers.now();
    state.received = false;
    const timeoutSeconds = this.options.timeoutSeconds ?? Math.floor(MIN_WATCH_TIMEOUT_SECONDS * (1 + this.timers.random()));
    state.deadline = this.timers.setTimeout(() => {
      if (state.open !== token) return;
      const handle = state.handle;
      this.ended(state, token, { kind: 'timeout', message: `The watch of ${state.resource} in ${this.options.namespace} went silent past its ${timeoutSeconds} s timeout.` });
      handle?.stop();
    }, timeoutSeconds * 1000 + DEAD_WATCH_SLACK_MS);
    const path = NAMESPACED_RESOURCES[state.resource].replace('{namespace}', encodeURIComponent(this.options.namespace));
    const onEvent = (type: string, object: unknown) => {
      if (state.open !== token || !OBJECT_EVENTS.has(type)) return;
      state.received = true;
      const resourceVersion = (object as KubeObject | undefined)?.metadata?.resourceVersion;
      if (typeof resourceVersion === 'string' && resourceVersion !== '') state.resourceVersion = resourceVersion;
      this.options.onEvent(state.resource, type as WatchEventType, object as KubeObject);
    };
    this.options.client
      .watch(path, { resourceVersion: state.resourceVersion, timeoutSeconds }, onEvent, (error) => this.ended(state, token, error))
      .then(
        (handle) => {
          // Ended (or stopped) before the response came: the handle is all that is left to close.
          if (state.open === token) state.handle = handle;
          else handle.stop();
        },
        (error: unknown) => this.ended(state, token, { kind: 'unreachable', message: `Cannot watch ${path}: ${(error as Error)?.message ?? error}` }),
      );
  }

  private ended(state: ResourceState, token: number, error: WatchError | undefined): void {
    if (this.stopped || state.open !== token) return;
    state.open = 0;
    state.handle = undefined;
    this.clearTimers(state);
    const lived = this.timers.now() - state.startedAt;
    if (!error) {
      if (state.received || lived >= this.backoff.initialDelayMs) {
        state.failures = 0;
        this.open(state);
        return;
      }
      error = { kind: 'server', message: `The API server ended the watch of ${state.resource} in ${this.options.namespace} at once.` };
    }
    if (error.kind === 'gone' || error.kind === 'forbidden' || error.kind === 'unauthorized') {
      state.finished = true;
      if (error.kind === 'gone') this.options.onGone(state.resource, error);
      else this.options.onRefused(state.resource, error);
      return;
    }
    if (lived >= this.backoff.healthyAfterMs) state.failures = 0;
    const delay = Math.min(this.backoff.maxDelayMs, this.backoff.initialDelayMs * 2 ** state.failures);
    state.failures++;
    const wait = Math.round(delay * (1 - this.backoff.jitter * this.timers.random()));
    this.options.onRetry?.(state.resource, error, wait, state.failures);
    state.retry = this.timers.setTimeout(() => {
      state.retry = undefined;
      this.open(state);
    }, wait);
  }

  private clearTimers(state: ResourceState): void {
    if (state.retry !== undefined) this.timers.clearTimeout(state.retry);
    if (state.deadline !== undefined) this.timers.clearTimeout(state.deadline);
    state.retry = undefined;
    state.deadline = undefined;
  }
}
