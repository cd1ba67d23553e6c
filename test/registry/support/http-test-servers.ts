/**
 * Small servers on 127.0.0.1 for what a real registry will not do on demand: a proxy that counts
 * the requests reaching a real registry (to tell a cache hit from a registry round trip), a
 * scripted server (wrong digests, 5xx, 429, redirects, challenges), and a server that accepts
 * connections and never answers (to test the deadline).
 */
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface TestServer {
  /** `127.0.0.1:<port>`. */
  host: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Counts (and records) requests on their way to `targetHost` (`127.0.0.1:<port>`). */
export async function startCountingProxy(targetHost: string): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const [hostname, port] = targetHost.split(':');
  const server = createHttpServer((incoming, outgoing) => {
    requests.push(record(incoming));
    const forwarded = httpRequest({ hostname, port: Number(port), method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: targetHost } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => {
      outgoing.statusCode = 502;
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  return listen(server, requests);
}

/** A server that answers each request with `handler`; requests are recorded before it runs. */
export async function startScriptedServer(handler: (request: IncomingMessage, response: ServerResponse, host: string) => void): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let host = '';
  const server = createHttpServer((incoming, outgoing) => {
    requests.push(record(incoming));
    handler(incoming, outgoing, host);
  });
  const started = await listen(server, requests);
  host = started.host;
  return started;
}

/** Accepts TCP connections and never sends a byte: a registry that hangs. */
export async function startSilentServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    requests: [],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function record(incoming: IncomingMessage): RecordedRequest {
  return { method: incoming.method ?? '', path: incoming.url ?? '', authorization: incoming.headers.authorization };
}

async function listen(server: Server, requests: RecordedRequest[]): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
