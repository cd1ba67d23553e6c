/**
 * The only way Podstart talks to a Kubernetes API server: GET requests (get, list, watch, and the
 * node proxy's read endpoints), with the credentials and TLS settings of the kubeconfig applied by
 * @kubernetes/client-node exactly as for any other client. There is no method that sends anything
 * else, so read-only is a property of the code, not a promise (test/cluster/read-only.test.ts
 * checks the server never sees another verb).
 *
 * Errors become ClusterRequestError with a kind the editor and the CLI can explain (unreachable,
 * unauthorized, forbidden, …) and the API server's own message; no header, token or certificate
 * ever enters a message or a log line.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { RequestInit } from 'node-fetch';
import { kubeClient } from './kube-client-module';

export type ClusterErrorKind = 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-found' | 'gone' | 'server' | 'invalid-response';

export class ClusterRequestError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    /** The request path, without the query (no selector values, which may carry names). */
    readonly path: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface ReadOnlyClientOptions {
  /** Per request (a watch is not bounded by it). */
  timeoutMs?: number;
  /** Extra attempts for a request that failed to connect or got a 5xx; 4xx answers are final. */
  retries?: number;
  /** Objects per page of a list (`limit`); the client follows `continue` to the end. */
  pageSize?: number;
  /** Called before each request is sent, with its method and path (for tests and request counts). */
  onRequest?: (request: { method: 'GET'; path: string; watch: boolean }) => void;
}

export interface ListResult<T> {
  items: T[];
  /** The list's resourceVersion, to start a watch from. */
  resourceVersion: string;
}

export interface WatchHandle {
  stop(): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_PAGE_SIZE = 500;

export class ReadOnlyClusterClient {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly pageSize: number;

  constructor(
    private readonly config: KubeConfig,
    private readonly options: ReadOnlyClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /** The API server's URL, for display. */
  get server(): string {
    return this.config.getCurrentCluster()?.server ?? '';
  }

  async getJson<T>(path: string, query: Query = {}): Promise<T> {
    const text = await this.getText(path, query, 'application/json');
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClusterRequestError('invalid-response', path, `The API server answered ${path} with something that is not JSON.`);
    }
  }

  /** A list, every page of it (`limit` and `continue`), as plain objects. */
  async list<T>(path: string, query: Query = {}): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let next: string | undefined;
    do {
      const page = await this.getJson<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(path, { ...query, limit: this.pageSize, continue: next });
      if (!Array.isArray(page.items)) throw new ClusterRequestError('invalid-response', path, `The API server answered ${path} without a list of items.`);
      items.push(...page.items);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      next = page.metadata?.continue || undefined;
    } while (next);
    return { items, resourceVersion };
  }

  /** Plain text (the node proxy's /metrics), or JSON as text. */
  async getText(path: string, query: Query = {}, accept = 'application/json, text/plain;q=0.9, */*;q=0.8'): Promise<string> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new ClusterRequestError('unreachable', path, 'The kubeconfig context names no cluster.');
    const url = new URL(cluster.server.replace(/\/+$/, '') + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(url, path, accept);
      } catch (error) {
        const retryable = error instanceof ClusterRequestError && (error.kind === 'unreachable' || error.kind === 'server' || error.kind === 'timeout');
        if (!retryable || attempt >= this.retries) throw error;
        await delay(200 * 3 ** attempt);
      }
    }
  }

  /**
   * Watches a collection from a resourceVersion, through client-node's Watch; `onEnd` is called
   * once, with the error that ended it (a 410 Gone is kind `gone`: list again), or none when the
   * server closed it normally.
   */
  async watch(path: string, query: Query, onEvent: (type: string, object: unknown) => void, onEnd: (error?: ClusterRequestError) => void): Promise<WatchHandle> {
    this.options.onRequest?.({ method: 'GET', path, watch: true });
    let ended = false;
    const end = (error?: ClusterRequestError) => {
      if (!ended) {
        ended = true;
        onEnd(error);
      }
    };
    const { Watch } = kubeClient();
    const controller = await new Watch(this.config).watch(
      path,
      { ...query, allowWatchBookmarks: true },
      (type, object) => {
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string; reason?: string };
          end(new ClusterRequestError(status.code === 410 ? 'gone' : 'server', path, status.message ?? 'The watch ended with an error.', status.code));
          return;
        }
        onEvent(type, object);
      },
      (error: unknown) => end(error ? errorOf(path, error) : undefined),
    );
    return { stop: () => controller.abort() };
  }

  private async send(url: URL, path: string, accept: string): Promise<string> {
    this.options.onRequest?.({ method: 'GET', path, watch: false });
    const init = (await this.config.applyToFetchOptions({})) as unknown as RequestInit;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const headers = init.headers as unknown as { set(name: string, value: string): void } | undefined;
      headers?.set('Accept', accept);
      const response = await kubeClient().fetch(url.toString(), { ...init, method: 'GET', signal: controller.signal as RequestInit['signal'] });
      const body = await response.text();
      if (response.ok) return body;
      throw statusError(path, response.status, body);
    } catch (error) {
      if (error instanceof ClusterRequestError) throw error;
      if (controller.signal.aborted) throw new ClusterRequestError('timeout', path, `The API server did not answer ${path} within ${Math.round(this.timeoutMs / 1000)} s.`);
      throw errorOf(path, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** An HTTP error answer as a ClusterRequestError, with the API server's Status message when it sent one. */
function statusError(path: string, status: number, body: string): ClusterRequestError {
  let message: string | undefined;
  try {
    message = (JSON.parse(body) as { message?: string }).message;
  } catch {
    // Not a Status object (a proxy's page): the code says enough.
  }
  const kind: ClusterErrorKind = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 410 ? 'gone' : status >= 500 ? 'server' : 'invalid-response';
  const fallback = { unauthorized: 'the credentials of this context were refused', forbidden: 'forbidden by RBAC', 'not-found': 'not found', gone: 'the resourceVersion is too old' }[kind as string] ?? `HTTP ${status}`;
  return new ClusterRequestError(kind, path, `${path}: ${message ?? fallback} (HTTP ${status}).`, status);
}

/** A transport failure as a ClusterRequestError; only the error's code and first line, never request details. */
function errorOf(path: string, error: unknown): ClusterRequestError {
  const { code, statusCode, message } = (error ?? {}) as { code?: string; statusCode?: number; message?: string };
  if (typeof statusCode === 'number') return statusError(path, statusCode, '');
  const reason = code ?? String(message ?? error).split('\n')[0];
  return new ClusterRequestError('unreachable', path, `Cannot reach the API server for ${path}: ${reason}.`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
