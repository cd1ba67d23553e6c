/**
 * WATCH, as kube-apiserver's watch cache serves it: a 200 response whose chunked body is one JSON
 * watch event per line (`{"type":"ADDED","object":{…}}`).
 *
 * - resourceVersion unset or "0": synthetic ADDED events for the objects that exist, then changes;
 *   a resourceVersion: the changes after it ("Start at Exact"). sendInitialEvents=true (with
 *   resourceVersionMatch=NotOlderThan) ends the initial events with a BOOKMARK annotated
 *   `k8s.io/initial-events-end: "true"`; sendInitialEvents=false skips them.
 * - A resourceVersion older than the history kept: one ERROR event carrying a 410 Expired Status
 *   (`too old resource version: X (Y)`), then the stream ends. Like kube-apiserver, the HTTP status
 *   is still 200.
 * - Selectors apply to changes as the watch cache applies them: an object that starts matching
 *   arrives as ADDED, one that stops matching as DELETED (its previous content, at the new version).
 * - allowWatchBookmarks: BOOKMARK events carry only kind, apiVersion and metadata.resourceVersion;
 *   they come every bookmark interval (a minute in kube-apiserver), about 2 s before the watch's
 *   deadline, and when a test asks for one.
 * - timeoutSeconds: the stream ends cleanly at the deadline; without it, after the default timeout.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListOptions } from './list-options';
import { selects } from './list-options';
import { presentObject } from './list';
import type { ObjectStore, StoreChange } from './object-store';
import { apiVersionOf, type KubeObject, type ResourceType } from './resources';
import { tooOldWatchResourceVersionStatus, type KubeStatus } from './status';

export interface WatchSettings {
  bookmarkIntervalMs: number;
  defaultTimeoutSeconds: number;
  /** From a watch fault: after this many events, cut the connection (`drop`) or end the stream (`end`). */
  stopAfter?: { events: number; how: 'drop' | 'end' };
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One open watch stream. */
export class WatchStream {
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private objectEvents = 0;
  private closed = false;
  /** Changes at or before this revision are not for this watch ("Start at Exact" a future version). */
  private startRevision = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly type: ResourceType,
    private readonly namespace: string,
    private readonly options: ListOptions,
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly settings: WatchSettings,
    private readonly onClose: (stream: WatchStream) => void,
  ) {}

  get allowsBookmarks(): boolean {
    return this.options.allowWatchBookmarks;
  }

  /** Starts streaming; returns when the initial events are written. */
  start(): void {
    this.response.on('close', () => this.finish());
    this.request.on('close', () => this.finish());
    this.response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    this.response.flushHeaders();
    if (this.settings.stopAfter?.events === 0) {
      if (this.settings.stopAfter.how === 'drop') this.drop();
      else this.end();
      return;
    }

    const requested = this.options.resourceVersion;
    const fromScratch = requested === undefined || requested === '0';
    if (!fromScratch && Number(requested) < this.store.compactedRevision) {
      this.writeError(tooOldWatchResourceVersionStatus(Number(requested), this.store.compactedRevision));
      this.end();
      return;
    }

    // Everything below runs in one turn of the event loop: no change can slip between the
    // initial state and the subscription.
    const sendsInitialState = fromScratch ? this.options.sendInitialEvents !== false : this.options.sendInitialEvents === true;
    if (sendsInitialState) {
      for (const [, stored] of this.store.objectsAt(this.type.storage) ?? []) {
        if (this.matches(stored)) this.writeObjectEvent('ADDED', stored);
        if (this.closed) return;
      }
    } else if (!fromScratch) {
      this.startRevision = Number(requested);
      for (const change of this.store.changesSince(this.type.storage, this.startRevision) ?? []) {
        this.deliver(change);
        if (this.closed) return;
      }
    }
    if (this.options.sendInitialEvents === true && this.options.allowWatchBookmarks) this.bookmark(true);
    if (this.closed) return;
    this.unsubscribe = this.store.onChange((change) => {
      if (change.storage === this.type.storage) this.deliver(change);
    });

    const timeoutMs = (this.options.timeoutSeconds && this.options.timeoutSeconds > 0 ? this.options.timeoutSeconds : this.settings.defaultTimeoutSeconds) * 1000;
    this.timers.push(setTimeout(() => this.end(), timeoutMs));
    if (this.options.allowWatchBookmarks) {
      this.timers.push(setTimeout(() => this.bookmark(), Math.max(0, timeoutMs - 2000)));
      this.timers.push(setInterval(() => this.bookmark(), this.settings.bookmarkIntervalMs));
    }
  }

  /** Sends a BOOKMARK at the current revision, when the client allowed bookmarks. */
  bookmark(initialEventsEnd = false): void {
    if (this.closed || !this.options.allowWatchBookmarks) return;
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.revision) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.write('BOOKMARK', { kind: this.type.kind, apiVersion: apiVersionOf(this.type), metadata } as unknown as KubeObject);
  }

  /** Ends the stream cleanly, as at its deadline. */
  end(): void {
    if (this.closed) return;
    this.response.end();
    this.finish();
  }

  /** Cuts the connection without ending the chunked body. */
  drop(): void {
    if (this.closed) return;
    this.finish();
    this.request.socket.destroy();
  }

  private matches(stored: KubeObject): boolean {
    return selects(this.options, this.type, this.namespace, stored);
  }

  private deliver(change: StoreChange): void {
    if (change.revision <= this.startRevision) return;
    const now = change.type === 'DELETED' ? false : this.matches(change.object);
    const before = change.previous !== undefined && this.matches(change.previous);
    if (change.type === 'ADDED' && now) this.writeObjectEvent('ADDED', change.object);
    else if (change.type === 'MODIFIED' && now) this.writeObjectEvent(before ? 'MODIFIED' : 'ADDED', change.object);
    else if (before && change.previous) {
      // Deleted, or no longer selected: the previous content at the change's resourceVersion.
      const gone = structuredClone(change.previous);
      gone.metadata.resourceVersion = String(change.revision);
      this.writeObjectEvent('DELETED', gone);
    }
  }

  private writeObjectEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', stored: KubeObject): void {
    const stopAfter = this.settings.stopAfter;
    const last = stopAfter !== undefined && this.objectEvents + 1 >= stopAfter.events;
    if (!last || stopAfter.how === 'end') {
      this.write(type, presentObject(this.type, stored, true));
      this.objectEvents += 1;
      if (last) this.end();
      return;
    }
    // The last event before the cut: written, then the connection dropped once it has left, so
    // that the client receives exactly the events promised and then a broken stream.
    if (this.closed || this.response.destroyed) return;
    this.objectEvents += 1;
    const socket = this.request.socket;
    this.finish();
    this.response.write(`${JSON.stringify({ type, object: presentObject(this.type, stored, true) })}\n`, () => socket.destroy());
  }

  private writeError(status: KubeStatus): void {
    this.write('ERROR', status as unknown as KubeObject);
  }

  private write(type: EventType, object: KubeObject): void {
    if (this.closed || this.response.destroyed) return;
    this.response.write(`${JSON.stringify({ type, object })}\n`);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.unsubscribe?.();
    this.onClose(this);
  }
}

/** Checks a watch's resourceVersion before any response is written: a 400 reason, or undefined. */
export function invalidWatchResourceVersion(options: ListOptions): string | undefined {
  const requested = options.resourceVersion;
  if (requested === undefined || requested === '0' || /^\d+$/.test(requested)) return undefined;
  return `invalid resource version: ${JSON.stringify(requested)}`;
}
