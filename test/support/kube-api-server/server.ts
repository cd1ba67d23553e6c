/**
 * KubeApiTestServer: an HTTPS server on 127.0.0.1 that answers like kube-apiserver, for testing
 * Podstart's cluster features with the client users run (@kubernetes/client-node) where no real
 * API server can run.
 *
 * Each request goes the way kube-apiserver's filter chain takes it: authentication (client
 * certificate, bearer token, or anonymous when enabled: else 401), then injected faults, then RBAC
 * authorization (403 with kube-apiserver's message), then the handler: discovery, GET, LIST and
 * WATCH of the served resource types, and the node proxy to fixture kubelets. Writes (create,
 * update, patch, delete) are refused with 405 after authorization: tests change the cluster
 * through this class (`create`, `update`, `delete`), and open watches see those changes.
 *
 * Every request is recorded (`requests`), so a test can check what a client sent.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { authenticate, type TokenOwner } from './authentication';
import { forbiddenReason, isAllowed, type PolicyRule } from './authorization';
import { createCertificateAuthority, type CertificateAuthority, type KeyAndCertificate } from './certificates';
import { apiGroup, apiGroupList, apiResourceList, coreApiVersions, versionInfo } from './discovery';
import { FaultInjector, type Fault, type FaultRule, type InjectedFault } from './faults';
import { fixtureObjects, type FixtureInput } from './fixture-input';
import { renderKubeconfig, type CertificateFiles, type KubeconfigUser } from './kubeconfig';
import { presentObject, listCollection } from './list';
import { readListOptions } from './list-options';
import { kubeletAnswer, nodeNameFromProxyTarget, type KubeletFixture } from './node-proxy';
import { ObjectStore } from './object-store';
import { readRequestInfo, type RequestInfo, type ResourceRequestInfo } from './request-info';
import { RequestLog, type RecordedRequest } from './request-log';
import { findResourceType, storedTypeOf, type KubeObject } from './resources';
import {
  badRequestStatus,
  forbiddenStatus,
  methodNotSupportedStatus,
  notFoundStatus,
  resourceNotFoundStatus,
  statusForCode,
  unauthorizedStatus,
  type KubeStatus,
} from './status';
import { invalidWatchResourceVersion, WatchStream } from './watch';

export interface TestUser {
  name: string;
  groups?: string[];
  /** The bearer token this user authenticates with (a user may also, or only, use a client certificate). */
  token?: string;
  /** RBAC rules bound to the user (none: only discovery, like any authenticated user). */
  rules?: PolicyRule[];
}

export interface KubeApiTestServerOptions {
  users?: TestUser[];
  /** RBAC rules bound to groups (a certificate's Organizations, a user's `groups`). */
  groupRules?: Record<string, PolicyRule[]>;
  /** Requests without credentials run as system:anonymous instead of getting 401 (default false). */
  anonymousAuth?: boolean;
  /** The release /version reports (default 1.34.1). */
  kubernetesVersion?: string;
  /** Objects the cluster starts with. */
  objects?: FixtureInput;
  /** The kubelets behind the node proxy, by node name. */
  kubelets?: Record<string, KubeletFixture>;
  /** The resourceVersion before the first object (default 1000). */
  initialResourceVersion?: number;
  /** How often open watches that allow bookmarks get one (kube-apiserver: about a minute). */
  bookmarkIntervalMs?: number;
  /** How long a watch without timeoutSeconds stays open (kube-apiserver: 30 to 60 minutes). */
  defaultWatchTimeoutSeconds?: number;
  /** How long a list at a resourceVersion not reached yet waits before its 504 (kube-apiserver: 3 s). */
  tooLargeResourceVersionWaitMs?: number;
  /** The cluster's name in kubeconfigs (default `podstart-test`). */
  clusterName?: string;
}

export interface StartedKubeApiServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  host: string;
  port: number;
  /** The cluster CA, which signed the serving certificate and every client certificate. */
  caPem: string;
}

/** One context of a kubeconfig: which user, which namespace, which credential. */
export interface KubeconfigContextSpec {
  /** Context name (default: the user's name). */
  name?: string;
  user: string;
  namespace?: string;
  /** Default: the user's token when they have one, else a client certificate; `none` writes no credential. */
  credential?: 'token' | 'certificate' | 'none';
  /** Writes this token instead of the user's (for a wrong or revoked token). */
  token?: string;
  /** Writes this certificate and key instead of one the cluster CA issues (for an untrusted certificate). */
  clientCertificate?: KeyAndCertificate;
}

export type KubeconfigOptions = KubeconfigContextSpec | { contexts: KubeconfigContextSpec[]; currentContext?: string };

/** Identifies an object to delete: its apiVersion, kind, namespace and name. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

const DEFAULT_OPTIONS = {
  kubernetesVersion: '1.34.1',
  initialResourceVersion: 1000,
  bookmarkIntervalMs: 60_000,
  defaultWatchTimeoutSeconds: 1800,
  tooLargeResourceVersionWaitMs: 3000,
  clusterName: 'podstart-test',
};

function resetConnection(socket: Socket): void {
  // An RST rather than a FIN, where the socket allows it: what a crashed proxy or peer sends.
  const raw = (socket as Socket & { _parent?: Socket })._parent ?? socket;
  try {
    raw.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

function isStatus(value: object): value is KubeStatus {
  return (value as { kind?: unknown }).kind === 'Status';
}

function sendJson(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    'Audit-Id': randomUUID(),
  });
  response.end(text);
}

function sendStatus(response: ServerResponse, status: KubeStatus): void {
  sendJson(response, status.code, status);
}

function sendText(response: ServerResponse, code: number, contentType: string, body: string): void {
  response.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

/** The plain 404 of a path no handler serves (Go's http.NotFound). */
function sendPageNotFound(response: ServerResponse): void {
  sendText(response, 404, 'text/plain; charset=utf-8', '404 page not found\n');
}

export class KubeApiTestServer {
  readonly store: ObjectStore;
  private readonly settings: typeof DEFAULT_OPTIONS;
  private readonly users = new Map<string, TestUser>();
  private readonly groupRules: Record<string, PolicyRule[]>;
  private readonly kubelets = new Map<string, KubeletFixture>();
  private readonly faultInjector = new FaultInjector();
  private readonly log = new RequestLog();
  private readonly watches = new Set<WatchStream>();
  private readonly clientCertificates = new Map<string, KeyAndCertificate>();
  private readonly anonymousAuth: boolean;
  private authority: CertificateAuthority | undefined;
  private server: Server | undefined;
  private started: StartedKubeApiServer | undefined;

  constructor(options: KubeApiTestServerOptions = {}) {
    this.settings = {
      kubernetesVersion: options.kubernetesVersion ?? DEFAULT_OPTIONS.kubernetesVersion,
      initialResourceVersion: options.initialResourceVersion ?? DEFAULT_OPTIONS.initialResourceVersion,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? DEFAULT_OPTIONS.bookmarkIntervalMs,
      defaultWatchTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? DEFAULT_OPTIONS.defaultWatchTimeoutSeconds,
      tooLargeResourceVersionWaitMs: options.tooLargeResourceVersionWaitMs ?? DEFAULT_OPTIONS.tooLargeResourceVersionWaitMs,
      clusterName: options.clusterName ?? DEFAULT_OPTIONS.clusterName,
    };
    this.anonymousAuth = options.anonymousAuth ?? false;
    this.groupRules = { ...(options.groupRules ?? {}) };
    this.store = new ObjectStore(this.settings.initialResourceVersion);
    for (const user of options.users ?? []) this.addUser(user);
    for (const [node, fixture] of Object.entries(options.kubelets ?? {})) this.setKubelet(node, fixture);
    if (options.objects) this.load(options.objects);
  }

  // ---- lifecycle ----

  async start(): Promise<StartedKubeApiServer> {
    if (this.started) return this.started;
    this.authority = createCertificateAuthority();
    const serving = this.authority.issueServingCertificate(['127.0.0.1'], ['localhost']);
    const server = createServer(
      {
        key: serving.privateKeyPem,
        cert: serving.certificatePem,
        ca: [this.authority.certificatePem],
        // Client certificates are asked for and checked against the CA, but not required, as
        // kube-apiserver does with --client-ca-file.
        requestCert: true,
        rejectUnauthorized: false,
      },
      (request, response) => {
        this.handle(request, response).catch((error: unknown) => {
          if (!response.headersSent) sendStatus(response, statusForCode(500, error instanceof Error ? error.message : String(error)));
          else response.destroy();
        });
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.started = { url: `https://127.0.0.1:${port}`, host: '127.0.0.1', port, caPem: this.authority.certificatePem };
    return this.started;
  }

  async stop(): Promise<void> {
    for (const watch of [...this.watches]) watch.end();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.started = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  get url(): string {
    return this.requireStarted().url;
  }

  get caPem(): string {
    return this.requireStarted().caPem;
  }

  // ---- what clients sent ----

  /** Every request received so far, oldest first. */
  get requests(): readonly RecordedRequest[] {
    return this.log.all;
  }

  clearRequests(): void {
    this.log.clear();
  }

  // ---- users, credentials, RBAC ----

  addUser(user: TestUser): void {
    this.users.set(user.name, { ...user, rules: [...(user.rules ?? [])] });
  }

  /** Replaces the rules bound to a user (who need not have a token: certificate users are named by their CN). */
  setRules(userName: string, rules: PolicyRule[]): void {
    const user = this.users.get(userName) ?? { name: userName };
    this.users.set(userName, { ...user, rules: [...rules] });
  }

  setGroupRules(group: string, rules: PolicyRule[]): void {
    this.groupRules[group] = [...rules];
  }

  /** A client certificate signed by the cluster CA: CN = `userName`, O = each group. */
  issueClientCertificate(userName: string, groups?: string[]): KeyAndCertificate {
    const authority = this.requireAuthority();
    return authority.issueClientCertificate(userName, groups ?? this.users.get(userName)?.groups ?? []);
  }

  /** A kubeconfig (YAML) for this cluster, with the certificates and keys embedded. */
  kubeconfig(options: KubeconfigOptions): string {
    return renderKubeconfig(this.kubeconfigDocument(options));
  }

  /**
   * Writes a kubeconfig to `path`; with `certificateFiles`, the CA, client certificates and keys
   * are written beside it and referred to by relative paths, instead of embedded.
   */
  writeKubeconfig(path: string, options: KubeconfigOptions, { certificateFiles = false } = {}): void {
    const document = this.kubeconfigDocument(options);
    mkdirSync(dirname(path), { recursive: true });
    let files: CertificateFiles | undefined;
    if (certificateFiles) {
      files = { certificateAuthority: 'ca.crt', clientCertificates: {} };
      writeFileSync(join(dirname(path), 'ca.crt'), document.caPem);
      for (const user of document.users) {
        if (!user.clientCertificatePem || !user.clientKeyPem) continue;
        const base = user.name.replace(/[^A-Za-z0-9_.-]/g, '_');
        files.clientCertificates[user.name] = { certificate: `${base}.crt`, key: `${base}.key` };
        writeFileSync(join(dirname(path), `${base}.crt`), user.clientCertificatePem);
        writeFileSync(join(dirname(path), `${base}.key`), user.clientKeyPem, { mode: 0o600 });
      }
    }
    writeFileSync(path, renderKubeconfig(document, files), { mode: 0o600 });
  }

  // ---- the cluster's objects ----

  /** Adds or replaces objects (plain JSON, arrays, or lists as `kubectl get -o json` writes them). */
  load(input: FixtureInput): void {
    for (const object of fixtureObjects(input)) this.store.write(storedTypeOf(object), object, 'upsert');
  }

  /** Creates an object; open watches see ADDED. Returns the stored object (resourceVersion, uid set). */
  create(object: KubeObject): KubeObject {
    return structuredClone(this.store.write(storedTypeOf(object), object, 'create').object);
  }

  /** Replaces an existing object; open watches see MODIFIED (or ADDED/DELETED as selectors now match). */
  update(object: KubeObject): KubeObject {
    return structuredClone(this.store.write(storedTypeOf(object), object, 'update').object);
  }

  /** Deletes an object; open watches see DELETED. */
  delete(reference: ObjectReference): void {
    const type = storedTypeOf({ apiVersion: reference.apiVersion, kind: reference.kind, metadata: { name: reference.name } });
    this.store.delete(type, reference.namespace, reference.name);
  }

  /** The stored object, or undefined. */
  get(reference: ObjectReference): KubeObject | undefined {
    const type = storedTypeOf({ apiVersion: reference.apiVersion, kind: reference.kind, metadata: { name: reference.name } });
    const stored = this.store.get(type, type.namespaced ? reference.namespace || 'default' : undefined, reference.name);
    return stored && structuredClone(stored);
  }

  /** The cluster's current resourceVersion (what a list made now reports). */
  get resourceVersion(): string {
    return String(this.store.revision);
  }

  /**
   * Forgets the change history up to `resourceVersion` (default: all), as etcd compaction does:
   * watches from older versions then get 410 Expired, and so do continue tokens.
   */
  compact(resourceVersion?: string | number): void {
    this.store.compact(resourceVersion === undefined ? undefined : Number(resourceVersion));
  }

  // ---- kubelets ----

  setKubelet(nodeName: string, fixture: KubeletFixture): void {
    this.kubelets.set(nodeName, fixture);
  }

  // ---- watches ----

  /** Sends a BOOKMARK at the current resourceVersion on every open watch that allows bookmarks. */
  sendBookmarks(): void {
    for (const watch of this.watches) watch.bookmark();
  }

  get openWatchCount(): number {
    return this.watches.size;
  }

  /** Ends every open watch cleanly, as an API server restart or timeout does. */
  endWatches(): void {
    for (const watch of [...this.watches]) watch.end();
  }

  // ---- faults ----

  injectFault(rule: FaultRule): InjectedFault {
    return this.faultInjector.inject(rule);
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  // ---- request handling ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'https://kubernetes.invalid');
    let decodedPath: string;
    try {
      decodedPath = decodeURIComponent(url.pathname);
    } catch {
      sendStatus(response, badRequestStatus(`invalid URL escape in ${JSON.stringify(url.pathname)}`));
      return;
    }
    const info = readRequestInfo(method, decodedPath, url.searchParams);
    const authentication = authenticate(request, this.tokenOwners(), this.anonymousAuth);
    const user = 'user' in authentication ? authentication.user : undefined;
    const entry = this.log.record(method, url.searchParams, info, user, request.headers['user-agent']);
    const settle = () => {
      if (response.headersSent) entry.status = response.statusCode;
    };
    response.on('finish', settle);
    response.on('close', settle);

    const faults = this.faultInjector.take(method, decodedPath, info);
    entry.faults = faults.map((fault) => fault.kind);
    let stopWatchAfter: { events: number; how: 'drop' | 'end' } | undefined;
    for (const fault of faults) {
      const outcome = await this.applyFault(fault, request, response);
      if (outcome === 'answered') return;
      if (fault.kind === 'drop-watch') stopWatchAfter = { events: fault.afterEvents, how: 'drop' };
      if (fault.kind === 'end-watch') stopWatchAfter = { events: fault.afterEvents, how: 'end' };
    }

    if (!user) {
      sendStatus(response, unauthorizedStatus());
      return;
    }
    const granted = this.users.get(user.name)?.rules ?? [];
    if (!isAllowed(user, info, granted, this.groupRules)) {
      const resource = info.isResourceRequest ? { group: info.group, resource: info.resource } : undefined;
      sendStatus(response, forbiddenStatus(resource, info.isResourceRequest ? info.name : undefined, forbiddenReason(user, info)));
      return;
    }

    if (info.isResourceRequest) await this.serveResource(info, url.searchParams, request, response, stopWatchAfter);
    else this.serveNonResource(info, response);
    settle();
  }

  /** Applies one fault: `answered` when the request is done with, `continue` otherwise. */
  private async applyFault(fault: Fault, request: IncomingMessage, response: ServerResponse): Promise<'answered' | 'continue'> {
    switch (fault.kind) {
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return response.destroyed ? 'answered' : 'continue';
      case 'status':
        sendStatus(response, statusForCode(fault.code, fault.message));
        return 'answered';
      case 'reset':
        resetConnection(request.socket);
        return 'answered';
      case 'hang':
        return 'answered';
      case 'garbage':
        sendText(response, fault.status ?? 200, fault.contentType ?? 'application/json', fault.body ?? '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVer');
        return 'answered';
      default:
        return 'continue';
    }
  }

  private serveNonResource(info: RequestInfo, response: ServerResponse): void {
    const path = info.path.replace(/\/+$/, '') || '/';
    const parts = path.split('/').filter(Boolean);
    if (info.verb !== 'get') {
      sendPageNotFound(response);
      return;
    }
    if (path === '/version') return sendJson(response, 200, versionInfo(this.settings.kubernetesVersion));
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return sendText(response, 200, 'text/plain; charset=utf-8', 'ok');
    if (path === '/api') return sendJson(response, 200, coreApiVersions(`${this.requireStarted().host}:${this.requireStarted().port}`));
    if (path === '/apis') return sendJson(response, 200, apiGroupList());
    let document: object | undefined;
    if (parts[0] === 'api' && parts.length === 2) document = apiResourceList('', parts[1]);
    else if (parts[0] === 'apis' && parts.length === 2) document = apiGroup(parts[1]);
    else if (parts[0] === 'apis' && parts.length === 3) document = apiResourceList(parts[1], parts[2]);
    if (document) sendJson(response, 200, document);
    else sendPageNotFound(response);
  }

  private async serveResource(
    info: ResourceRequestInfo,
    query: URLSearchParams,
    request: IncomingMessage,
    response: ServerResponse,
    stopWatchAfter: { events: number; how: 'drop' | 'end' } | undefined,
  ): Promise<void> {
    const type = findResourceType(info.group, info.version, info.resource);
    if (!type) {
      if (apiResourceList(info.group, info.version)) sendStatus(response, resourceNotFoundStatus());
      else sendPageNotFound(response);
      return;
    }
    const groupResource = { group: type.group, resource: type.resource };
    // Paths that exist only in the other scope (/api/v1/namespaces/x/nodes, /api/v1/pods/name).
    if ((!type.namespaced && info.namespace && type.resource !== 'namespaces') || (type.namespaced && !info.namespace && info.pathName)) {
      sendPageNotFound(response);
      return;
    }
    const namespace = type.namespaced ? info.namespace : '';

    if (info.subresource) {
      if (type.resource === 'nodes' && info.subresource === 'proxy') this.serveNodeProxy(info, response);
      else sendStatus(response, resourceNotFoundStatus());
      return;
    }

    switch (info.verb) {
      case 'get': {
        const stored = this.store.get(type, namespace, info.pathName);
        if (stored) sendJson(response, 200, presentObject(type, stored, true));
        else sendStatus(response, notFoundStatus(groupResource, info.pathName));
        return;
      }
      case 'list': {
        const options = readListOptions(query, type, false);
        if ('code' in options) return sendStatus(response, options);
        const result = await listCollection(this.store, type, namespace, options, this.settings);
        if (isStatus(result)) sendStatus(response, result);
        else sendJson(response, 200, result);
        return;
      }
      case 'watch': {
        if (info.pathName) query.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${info.pathName}`].filter(Boolean).join(','));
        const options = readListOptions(query, type, true);
        if ('code' in options) return sendStatus(response, options);
        const invalid = invalidWatchResourceVersion(options);
        if (invalid) return sendStatus(response, badRequestStatus(invalid));
        const watch = new WatchStream(
          this.store,
          type,
          namespace,
          options,
          request,
          response,
          { bookmarkIntervalMs: this.settings.bookmarkIntervalMs, defaultTimeoutSeconds: this.settings.defaultWatchTimeoutSeconds, stopAfter: stopWatchAfter },
          (closed) => this.watches.delete(closed),
        );
        this.watches.add(watch);
        watch.start();
        return;
      }
      default:
        sendStatus(response, methodNotSupportedStatus(groupResource, info.verb));
    }
  }

  private serveNodeProxy(info: ResourceRequestInfo, response: ServerResponse): void {
    const nodeName = nodeNameFromProxyTarget(info.pathName);
    const nodes = findResourceType('', 'v1', 'nodes')!;
    const node = this.store.get(nodes, undefined, nodeName);
    if (!node) {
      sendStatus(response, notFoundStatus({ group: '', resource: 'nodes' }, nodeName));
      return;
    }
    if (info.verb !== 'get') {
      sendStatus(response, methodNotSupportedStatus({ group: '', resource: 'nodes/proxy' }, info.verb));
      return;
    }
    const answer = kubeletAnswer(node, this.kubelets.get(nodeName), `/${info.subpath}${info.trailingSlash && info.subpath ? '/' : ''}`);
    if (isStatus(answer)) sendStatus(response, answer);
    else sendText(response, answer.status ?? 200, answer.contentType, answer.body);
  }

  // ---- helpers ----

  private tokenOwners(): Map<string, TokenOwner> {
    const owners = new Map<string, TokenOwner>();
    for (const user of this.users.values()) if (user.token) owners.set(user.token, { name: user.name, groups: user.groups ?? [] });
    return owners;
  }

  private kubeconfigDocument(options: KubeconfigOptions) {
    const started = this.requireStarted();
    const contexts = 'contexts' in options ? options.contexts : [options];
    if (contexts.length === 0) throw new Error('a kubeconfig needs at least one context');
    const users = new Map<string, KubeconfigUser>();
    const contextEntries = contexts.map((context) => {
      const known = this.users.get(context.user);
      const credential = context.credential ?? ((context.token ?? known?.token) ? 'token' : 'certificate');
      let entry: KubeconfigUser;
      if (credential === 'none') {
        entry = { name: `${context.user}-without-credentials` };
      } else if (credential === 'token') {
        const token = context.token ?? known?.token;
        if (!token) throw new Error(`user ${context.user} has no token: give one, or use credential: 'certificate'`);
        entry = { name: context.token ? `${context.user}-token-${users.size}` : context.user, token };
      } else {
        const certificate = context.clientCertificate ?? this.cachedClientCertificate(context.user);
        entry = {
          name: context.clientCertificate ? `${context.user}-certificate-${users.size}` : `${context.user}-certificate`,
          clientCertificatePem: certificate.certificatePem,
          clientKeyPem: certificate.privateKeyPem,
        };
      }
      users.set(entry.name, entry);
      return { name: context.name ?? context.user, user: entry.name, namespace: context.namespace };
    });
    const names = contextEntries.map((context) => context.name);
    if (new Set(names).size !== names.length) throw new Error(`kubeconfig context names must differ: ${names.join(', ')}`);
    const currentContext = ('contexts' in options ? options.currentContext : undefined) ?? names[0];
    return {
      clusterName: this.settings.clusterName,
      server: started.url,
      caPem: started.caPem,
      users: [...users.values()],
      contexts: contextEntries,
      currentContext,
    };
  }

  private cachedClientCertificate(userName: string): KeyAndCertificate {
    let certificate = this.clientCertificates.get(userName);
    if (!certificate) this.clientCertificates.set(userName, (certificate = this.issueClientCertificate(userName)));
    return certificate;
  }

  private requireStarted(): StartedKubeApiServer {
    if (!this.started) throw new Error('start() the KubeApiTestServer first');
    return this.started;
  }

  private requireAuthority(): CertificateAuthority {
    if (!this.authority) throw new Error('start() the KubeApiTestServer first: its CA is made then');
    return this.authority;
  }
}
