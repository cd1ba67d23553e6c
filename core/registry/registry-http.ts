/**
 * The HTTP exchanges with registries and token services, on Node's http/https modules: one request
 * at a time, bounded by the lookup's deadline and by a body size limit, redirects followed without
 * carrying the Authorization header to another host, and every network failure turned into a
 * `RegistryError` that names the host but never a credential. No retries: a failed lookup fails
 * once, and the caller's cache keeps it from being asked again at once.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { allowsPlainHttp } from './image-location';
import { RegistryBadResponseError, RegistryTimeoutError, RegistryUnreachableError } from './registry-errors';

export interface HttpResponse {
  status: number;
  /** Header values by lowercased name, each header's values kept apart (WWW-Authenticate may repeat). */
  headers: Record<string, string[]>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: URL;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Larger bodies are refused (a manifest is at most a few hundred kB; Distribution caps them at 4 MiB). */
  maxBodyBytes: number;
}

/** A point in time by which the whole lookup must be done, shared by all its requests. */
export class Deadline {
  private readonly expiresAt: number;

  constructor(readonly totalMs: number) {
    this.expiresAt = performance.now() + totalMs;
  }

  remainingMs(): number {
    return this.expiresAt - performance.now();
  }
}

const MAX_REDIRECTS = 5;

export class RegistryHttp {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });

  constructor(
    private readonly insecureRegistries: readonly string[],
    private readonly userAgent: string,
  ) {}

  /** The URL for `path` on `host`: https, or http for loopback and registries marked insecure. */
  urlFor(host: string, path: string): URL {
    const scheme = allowsPlainHttp(host, this.insecureRegistries) ? 'http' : 'https';
    return new URL(`${scheme}://${host}${path}`);
  }

  /** Whether `url` may be requested: https always, http only for hosts that allow it. */
  assertAllowedUrl(url: URL, purpose: string): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && allowsPlainHttp(url.host, this.insecureRegistries)) return;
    throw new RegistryBadResponseError(`${purpose} at ${url.host} uses ${url.protocol.replace(':', '')}, not https; mark the host insecure to allow plain http`, url.host);
  }

  async send(request: HttpRequest, deadline: Deadline): Promise<HttpResponse> {
    let current = request;
    for (let redirects = 0; ; redirects++) {
      const response = await this.sendOnce(current, deadline);
      const location = response.headers.location?.[0];
      if (![301, 302, 303, 307, 308].includes(response.status) || !location || current.method === 'POST') return response;
      if (redirects === MAX_REDIRECTS) throw new RegistryBadResponseError(`${request.url.host} redirected more than ${MAX_REDIRECTS} times`, request.url.host);
      const target = new URL(location, current.url);
      this.assertAllowedUrl(target, 'a redirect');
      const headers = { ...current.headers };
      // Credentials are for the host that asked for them; a blob store or CDN gets none.
      if (target.host !== current.url.host) delete headers.authorization;
      current = { ...current, url: target, headers };
    }
  }

  private sendOnce(request: HttpRequest, deadline: Deadline): Promise<HttpResponse> {
    const { url } = request;
    const host = url.host;
    const remaining = deadline.remainingMs();
    if (remaining <= 0) return Promise.reject(timeoutError(host, deadline));
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const isHttps = url.protocol === 'https:';
    return new Promise<HttpResponse>((resolve, reject) => {
      let outgoing: http.ClientRequest | undefined;
      let settled = false;
      const finish = (error: Error | undefined, response?: HttpResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          outgoing?.destroy();
          reject(error);
        } else resolve(response!);
      };
      // One timer for connecting, sending and reading: the deadline bounds the whole exchange.
      const timer = setTimeout(() => finish(timeoutError(host, deadline)), remaining);
      try {
        outgoing = (isHttps ? https : http).request(url, { method: request.method, headers, agent: isHttps ? this.httpsAgent : this.httpAgent }, (incoming) =>
          readResponse(incoming, request, finish),
        );
      } catch (error) {
        // Node validates headers synchronously (a value with a line break, say).
        finish(new RegistryBadResponseError(`cannot send a request to ${host}: ${(error as NodeJS.ErrnoException).code ?? 'invalid request'}`, host));
        return;
      }
      outgoing.on('error', (error) => finish(networkError(host, error)));
      outgoing.end(request.body);
    });
  }

  /** Closes idle keep-alive connections, so that a CLI run can exit at once. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function readResponse(incoming: http.IncomingMessage, request: HttpRequest, finish: (error: Error | undefined, response?: HttpResponse) => void): void {
  const host = request.url.host;
  const chunks: Buffer[] = [];
  let received = 0;
  incoming.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > request.maxBodyBytes) finish(new RegistryBadResponseError(`${host} sent a response larger than ${request.maxBodyBytes} bytes`, host));
    else chunks.push(chunk);
  });
  incoming.on('error', (error) => finish(networkError(host, error)));
  incoming.on('aborted', () => finish(new RegistryUnreachableError(`${host} closed the connection mid-response`, host)));
  incoming.on('end', () => {
    const headers: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(incoming.headersDistinct)) if (values) headers[name] = values;
    finish(undefined, { status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks), url: request.url });
  });
}

function timeoutError(host: string, deadline: Deadline): RegistryTimeoutError {
  return new RegistryTimeoutError(`${host} did not answer within ${formatSeconds(deadline.totalMs)}`, host);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

function networkError(host: string, error: Error): Error {
  if (error instanceof RegistryBadResponseError || error instanceof RegistryTimeoutError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const described = NETWORK_FAILURES[code];
  if (described) return new RegistryUnreachableError(`${host}: ${described}`, host);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || /certificate|SSL|TLS/i.test(error.message)) {
    return new RegistryUnreachableError(`${host}: TLS handshake failed (${code || 'TLS error'})`, host);
  }
  return new RegistryUnreachableError(`${host}: ${code || 'network error'}`, host);
}
