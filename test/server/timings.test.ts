/**
 * Startup timings in the language server, against the HTTPS Kubernetes API test server serving the
 * timing fixtures (deployment-rollout: Deployment shop/web, 9 pods, p50 23.0 s and p95 46.0 s to
 * Ready, hand-computed in test/timings): the lens above each workload, resolved to those figures;
 * `podstart/timings` for the waterfall; an untrusted workspace that never reaches the cluster, RBAC
 * and an unreachable server explained in the title; a snapshot file instead of a cluster; only GET
 * requests; no token in the log.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeLensRequest, CodeLensResolveRequest, type ClientCapabilities, type CodeLens } from 'vscode-languageserver/node';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, readFixtureFile, type PolicyRule } from '../support/kube-api-server';
import { turnsReady } from '../support/timing-fixtures';
import { Workspace } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

const FIXTURES = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout');
const RESOURCES = ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets'];
const fixtureObjects = () => RESOURCES.flatMap((resource) => readFixtureFile(path.join(FIXTURES, `${resource}.json`)));

/** Line 1 (0-based) holds `kind: Deployment` of web; line 19 that of checkout, which the cluster does not have. */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web:2.4.1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: checkout
    spec:
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:1.0.0
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

const ADMIN_TOKEN = 'admin-token-7c1f9e2b';
const VIEWER_TOKEN = 'viewer-token-0d4a6b8e';
/** Everything a timings capture lists, except pods. */
const NO_PODS_RULES: PolicyRule[] = [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch'], resources: ['events', 'nodes', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'] }];

/**
 * web: [14, 14, 19, 23, 24, 31, 46] s to Ready for 7 of its 9 pods; of the 138 s of the five pods with
 * every phase known, 55 s are the wait for Ready after the containers started (40%), its largest phase.
 */
const WEB_TITLE = 'Startup p50 23.0 s · p95 46.0 s · ready 40% · 9 pods (2 not Ready) · ctx shop-admin';

/** VS Code's workspace capabilities, with `workspace/codeLens/refresh`. */
const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceFolders: true,
    codeLens: { refreshSupport: true },
  },
  textDocument: { synchronization: { didSave: true }, codeLens: {} },
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('language server: startup timings from a cluster', function () {
  this.timeout(30_000);
  let cluster: KubeApiTestServer;
  let workspace: Workspace;
  const servers: ServerUnderTest[] = [];

  before(async () => {
    cluster = new KubeApiTestServer({
      users: [
        { name: 'admin', token: ADMIN_TOKEN, rules: CLUSTER_ADMIN_RULES },
        { name: 'viewer', token: VIEWER_TOKEN, rules: NO_PODS_RULES },
      ],
      objects: fixtureObjects(),
    });
    await cluster.start();
    workspace = new Workspace();
    cluster.writeKubeconfig(workspace.path('admin.kubeconfig'), { user: 'admin', namespace: 'shop', name: 'shop-admin' });
    cluster.writeKubeconfig(workspace.path('viewer.kubeconfig'), { user: 'viewer', namespace: 'shop', name: 'shop-viewer' });
    cluster.writeKubeconfig(workspace.path('unreachable.kubeconfig'), { user: 'admin', namespace: 'shop', name: 'shop-admin' });
    const unreachable = readFileSync(workspace.path('unreachable.kubeconfig'), 'utf8').replace(/server: "https:\/\/127\.0\.0\.1:\d+"/, 'server: "https://127.0.0.1:1"');
    writeFileSync(workspace.path('unreachable.kubeconfig'), unreachable);
    workspace.write('deploy/shop.yaml', MANIFEST);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await cluster.stop();
    workspace.dispose();
  });
  beforeEach(() => cluster.clearRequests());

  /** A server with these podstart settings, every rule off (the lenses are the subject), and a count of the lens refreshes it asks for. */
  const start = async (options: { trusted: boolean; kubeconfig?: string; timings?: Record<string, unknown>; cluster?: Record<string, unknown> }) => {
    const server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      capabilities: CAPABILITIES,
      initializationOptions: { workspaceTrusted: options.trusted },
      // Watches off unless a test turns them on: these tests count lists and requests, and a server of an earlier test
      // would still be opening its watches (test/server/timings-watch.test.ts covers them).
      settings: () => ({ enable: true, rules: onlyRules(), kubeconfig: options.kubeconfig && workspace.path(options.kubeconfig), cluster: options.cluster ?? {}, timings: { watch: false, ...options.timings } }),
    });
    servers.push(server);
    const refreshes = { count: 0 };
    server.connection.onRequest('workspace/codeLens/refresh', () => {
      refreshes.count++;
      return null;
    });
    const uri = fileUri(workspace.path('deploy/shop.yaml'));
    await server.open(uri, MANIFEST);
    return { server, uri, refreshes };
  };

  const lenses = (server: ServerUnderTest, uri: string) => server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;
  const resolve = (server: ServerUnderTest, lens: CodeLens) => server.connection.sendRequest(CodeLensResolveRequest.type, lens) as Promise<CodeLens>;
  /** The lens titles once none of them says "reading" any more. */
  const settledTitles = (server: ServerUnderTest, uri: string) =>
    until('the lens titles', async () => {
      const titles = await Promise.all((await lenses(server, uri)).map(async (lens) => (lens.command ?? (await resolve(server, lens)).command)?.title ?? ''));
      return titles.some((title) => title.startsWith('Startup: reading')) ? undefined : titles;
    });
  const logText = (server: ServerUnderTest) => server.logs.map((log) => log.message).join('\n');

  it('puts one lens on the kind line of each workload, none on the Service, and resolves web to its p50, p95 and pod count', async () => {
    const { server, uri } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig' });
    const found = await lenses(server, uri);
    assert.deepEqual(
      found.map((lens) => [lens.range.start.line, lens.range.start.character, lens.range.end.line, lens.range.end.character]),
      [
        [1, 0, 1, 16],
        [19, 0, 19, 16],
      ],
    );
    const [web, checkout] = await settledTitles(server, uri);
    assert.equal(web, WEB_TITLE);
    assert.equal(checkout, 'Startup: no Deployment shop/checkout in the cluster');
    const resolved = (await lenses(server, uri))[0];
    assert.deepEqual(resolved.command?.command, 'podstart.showStartupWaterfall');
    assert.deepEqual(resolved.command?.arguments, [{ uri, kind: 'Deployment', name: 'web', namespace: 'shop' }]);
    // Both lenses are in namespace shop: one capture, eight lists and the nodes, only GETs.
    assert.deepEqual([...new Set(cluster.requests.map((request) => request.method))], ['GET']);
    assert.equal(cluster.requests.filter((request) => request.verb === 'list').length, 9);
    assert.ok(!logText(server).includes(ADMIN_TOKEN), 'the log holds no token');
    assert.match(logText(server), /Timings: read namespace shop from context shop-admin \(https:\/\/127\.0\.0\.1:\d+\) in \d+ ms: \d+ pods, \d+ events, 3 nodes/);
  });

  it('answers podstart/timings with the summary and each pod\'s phases from its creation, slowest to Ready at 46 s', async () => {
    const { server, uri } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig' });
    const result = (await server.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'web', namespace: 'shop' })) as {
      title: string;
      context: string;
      source: string;
      capturedAt: string;
      summary: { p50Ms: number; p95Ms: number; podCount: number; reached: number; milestone: string };
      pods: Array<{ name: string; node?: string; durationMs?: number; state: string; stuckIn?: string; stuckReason?: string; segments: Array<{ phase: string; startMs: number; endMs: number }>; images: Array<{ container: string; sizeBytes?: number }> }>;
    };
    assert.equal(result.title, WEB_TITLE);
    assert.deepEqual([result.context, result.source, result.summary.milestone], ['shop-admin', 'cluster', 'ready']);
    assert.deepEqual([result.summary.p50Ms, result.summary.p95Ms, result.summary.podCount, result.summary.reached], [23_000, 46_000, 9, 7]);
    assert.equal(result.pods.length, 9);
    const durations = result.pods.map((pod) => pod.durationMs).filter((ms): ms is number => ms !== undefined).sort((a, b) => a - b);
    assert.deepEqual(durations.map((ms) => Math.round(ms / 1000)), [14, 14, 19, 23, 24, 31, 46]);
    for (const pod of result.pods.filter((pod) => pod.durationMs !== undefined)) {
      // The bar of a pod that reached Ready ends at its time to Ready, and its segments follow each other from 0.
      assert.equal(pod.segments[pod.segments.length - 1].endMs, pod.durationMs, pod.name);
      pod.segments.forEach((segment, index) => assert.equal(segment.startMs, index === 0 ? 0 : pod.segments[index - 1].endMs, `${pod.name} segment ${index}`));
    }
    const unschedulable = result.pods.find((pod) => pod.name === 'web-7f9c6d5b8-m9w3z')!;
    assert.deepEqual([unschedulable.state, unschedulable.stuckIn, unschedulable.stuckReason, unschedulable.node], ['pending', 'schedule', 'Unschedulable', undefined]);
    const cached = result.pods.find((pod) => pod.name === 'web-7f9c6d5b8-q8n2v')!;
    assert.equal(cached.images.find((image) => image.container === 'web')?.sizeBytes, 187654321, 'the size node-b reports for the image');
  });

  it('in an untrusted workspace says so and sends the cluster nothing; trusting the workspace fills the lens in', async () => {
    const { server, uri, refreshes } = await start({ trusted: false, kubeconfig: 'admin.kubeconfig' });
    assert.deepEqual(await settledTitles(server, uri), ['Startup: workspace not trusted', 'Startup: workspace not trusted']);
    const contexts = (await server.connection.sendRequest('podstart/clusterContexts')) as { contexts: unknown[]; error?: string };
    assert.deepEqual(contexts.contexts, []);
    assert.match(contexts.error ?? '', /not trusted/);
    assert.equal(cluster.requests.length, 0, 'no request reached the cluster');

    await server.connection.sendNotification('podstart/workspaceTrusted');
    await until('a lens refresh', async () => (refreshes.count > 0 ? true : undefined));
    const [web] = await settledTitles(server, uri);
    assert.equal(web, WEB_TITLE);
    assert.ok(!logText(server).includes(ADMIN_TOKEN));
  });

  it('says "forbidden by RBAC" when the user may not list pods, and "cluster unreachable" when nothing answers', async () => {
    const forbidden = await start({ trusted: true, kubeconfig: 'viewer.kubeconfig' });
    assert.deepEqual(await settledTitles(forbidden.server, forbidden.uri), ['Startup: forbidden by RBAC (pods in shop)', 'Startup: forbidden by RBAC (pods in shop)']);
    assert.ok(cluster.requests.some((request) => request.resource === 'pods' && request.status === 403));
    assert.ok(!logText(forbidden.server).includes(VIEWER_TOKEN));

    const unreachable = await start({ trusted: true, kubeconfig: 'unreachable.kubeconfig' });
    assert.deepEqual(await settledTitles(unreachable.server, unreachable.uri), ['Startup: cluster unreachable (ECONNREFUSED)', 'Startup: cluster unreachable (ECONNREFUSED)']);
  });

  it('names the kubeconfig problem: an unknown context', async () => {
    const { server, uri } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig', cluster: { context: 'prod' } });
    const [web] = await settledTitles(server, uri);
    assert.match(web, /^Startup: no cluster \(No context "prod" in the kubeconfig/);
    assert.equal(cluster.requests.length, 0);
    const contexts = (await server.connection.sendRequest('podstart/clusterContexts')) as { contexts: Array<{ name: string; namespace?: string }>; current?: string; selected?: string };
    assert.deepEqual(contexts.contexts.map((context) => [context.name, context.namespace]), [['shop-admin', 'shop']]);
    assert.deepEqual([contexts.current, contexts.selected], ['shop-admin', 'prod']);
  });

  it('reads the cluster again on podstart/refreshTimings and on save, with the same number of lists', async () => {
    const { server, uri } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig' });
    await settledTitles(server, uri);
    cluster.clearRequests();
    assert.deepEqual(await server.connection.sendRequest('podstart/refreshTimings'), { refreshed: 1 });
    assert.equal(cluster.requests.filter((request) => request.verb === 'list').length, 9);
    cluster.clearRequests();
    await server.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await until('the lists of a refresh on save', async () => (cluster.requests.filter((request) => request.verb === 'list').length === 9 ? true : undefined));
  });

  it('reads the namespaces its lenses show again every podstart.timings.refreshInterval seconds (10 at least), and asks for the lenses again only when a title changes', async function () {
    this.timeout(60_000);
    const { server, uri, refreshes } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig', timings: { refreshInterval: 1 } });
    assert.equal((await settledTitles(server, uri))[0], WEB_TITLE);
    assert.match(logText(server), /Ignoring a setting: podstart\.timings\.refreshInterval 1 is below 10 seconds; using 10/);
    const before = refreshes.count;
    cluster.clearRequests();
    await until('a second reading of namespace shop', async () => (cluster.requests.filter((request) => request.verb === 'list').length >= 9 ? true : undefined), 15_000);
    assert.equal(cluster.requests.filter((request) => request.verb === 'list').length, 9, 'one namespace, read once');
    // The same figures: the lenses stay as they are (replacing them would drop a click on one in between).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(refreshes.count, before, 'no refresh for a reading that changes no title');
    // zr4tq turns Ready 12 s after its creation (p50 23 → 19 s): the next reading changes web's title.
    const zr4tq = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-7f9c6d5b8-zr4tq' };
    const original = cluster.get(zr4tq)!;
    cluster.update(turnsReady(original, '2025-06-03T09:05:12Z'));
    try {
      await until('a lens refresh after the next reading', async () => (refreshes.count > before ? true : undefined), 15_000);
      assert.match((await settledTitles(server, uri))[0], /^Startup p50 19\.0 s · p95 46\.0 s · ready 38% · 9 pods \(1 not Ready\) · ctx shop-admin$/);
    } finally {
      cluster.update(original);
    }
    // Its timer must not read the cluster during the next tests.
    servers.splice(servers.indexOf(server), 1);
    await server.stop();
  });

  it('reads a snapshot file instead of a cluster: the same figures, and no request', async () => {
    const objects = fixtureObjects();
    const of = (kind: string) => objects.filter((object) => object.kind === kind);
    const snapshot = {
      kind: 'PodstartSnapshot',
      version: 1,
      capturedAt: '2025-06-03T09:10:00Z',
      context: 'prod',
      server: 'https://prod.example:6443',
      namespaces: ['shop'],
      objects: { pods: of('Pod'), events: of('Event'), nodes: of('Node'), deployments: of('Deployment'), replicasets: of('ReplicaSet'), statefulsets: of('StatefulSet'), daemonsets: [], jobs: [], cronjobs: [] },
      nodeDetails: {},
      unavailable: [],
    };
    workspace.write('snapshots/shop.json', JSON.stringify(snapshot));
    const { server, uri } = await start({ trusted: true, timings: { snapshot: 'snapshots/shop.json' } });
    const [web, checkout] = await settledTitles(server, uri);
    assert.equal(web, WEB_TITLE.replace('ctx shop-admin', 'ctx prod (snapshot)'));
    assert.equal(checkout, 'Startup: no Deployment shop/checkout in the cluster');
    assert.equal(cluster.requests.length, 0);

    workspace.write('snapshots/broken.json', '{"kind": "PodstartSnapshot", secret-looking text');
    const broken = await start({ trusted: true, timings: { snapshot: 'snapshots/broken.json' } });
    const [title] = await settledTitles(broken.server, broken.uri);
    assert.match(title, /^Startup: snapshot unreadable \(.*broken\.json is not JSON/);
    assert.ok(!logText(broken.server).includes('secret-looking'), 'the file\'s text is never quoted');
  });

  it('shows no lens when podstart.timings.enabled is off', async () => {
    const { server, uri } = await start({ trusted: true, kubeconfig: 'admin.kubeconfig', timings: { enabled: false } });
    assert.deepEqual(await lenses(server, uri), []);
    assert.equal(cluster.requests.length, 0);
  });
});
