/**
 * What the cluster says beyond the pods, in the language server, against the HTTPS test server (the
 * deployment-rollout fixtures, the batch fixtures' two extra nodes, and the kubelets of node-a
 * (parallel, up to 2 pulls), node-b and node-c (serial) from
 * test/timings/fixtures/deployment-rollout/kubelets, as in test/cli/timings-cluster-facts.test.ts):
 * the cluster-informed diagnostics at the image values and kind values, with the fixtures' figures,
 * only once a namespace has been read and only in a trusted workspace, replaced when it is read again;
 * `podstart/timings` carrying the same sentences as `podstart timings`; the kubelets read through the
 * node proxy only with podstart.timings.nodeDetails.
 */
import assert from 'node:assert/strict';
import { CodeActionRequest, CodeLensRequest, CodeLensResolveRequest, type ClientCapabilities, type CodeAction, type CodeLens, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { TimingsResult } from '../../server/protocol';
import { fixtureObjects, kubeletFixture } from '../support/timing-fixtures';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, type PolicyRule } from '../support/kube-api-server';
import { Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from './lsp-test-client';

const fixture = fixtureObjects;
const kubelet = kubeletFixture;

/** Kind values on lines 1, 18 and 29; the api image on line 26, redis on line 38 (0-based). */
const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/shop/web-migrate:2.4.1
        - name: log-shipper
          image: fluent/fluent-bit:3.0.4
          restartPolicy: Always
      containers:
        - name: web
          image: registry.example.com/shop/web:2.4.1
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:1.9.0
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
spec:
  serviceName: cache
  template:
    spec:
      containers:
        - name: redis
          image: redis:7.2.5
`;

/** [code, start line, start character, end line, end character, message], in file order. */
type Expected = [string, number, number, number, number, string];
const API_IMAGE: Expected = ['cluster-image-not-cached', 26, 17, 26, 52, 'registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes: about 25 s to pull at 100 Mbit/s'];
const REDIS_IMAGE: Expected = ['cluster-image-not-cached', 38, 17, 38, 28, 'redis:7.2.5 (40 MB) is missing on 4 of 5 nodes: about 3.2 s to pull at 100 Mbit/s'];
const WEB_SERIAL: Expected = ['cluster-serial-pulls', 1, 6, 1, 16, '2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)'];
const CACHE_SERIAL: Expected = ['cluster-serial-pulls', 29, 6, 29, 17, 'node-b, the node that ran its pods, pulls images one at a time'];

const NODE_A_METRICS = 'node-a kubelet (all its pods): pod start SLI p50 ~2.8 s, p95 ~10 s (40 pods); image pulls p50 ~15 s, p95 ~48 s (16 pulls)';
const NODE_B_METRICS = 'node-b kubelet (all its pods): pod start SLI p50 ~1.5 s, p95 ~3.4 s (12 pods)';

const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true } },
  textDocument: { synchronization: { didSave: true }, codeLens: {} },
};

const readEverythingBut = (exclude: string): PolicyRule[] => [
  { verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'events', 'nodes', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'nodes/proxy'].filter((resource) => resource !== exclude) },
];

const shape = (diagnostic: Diagnostic): Expected => [String(diagnostic.code), diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character, messageText(diagnostic)];
const clusterOnes = (params: PublishDiagnosticsParams) => params.diagnostics.filter((diagnostic) => String(diagnostic.code).startsWith('cluster-'));

describe('language server: cluster-informed diagnostics and the waterfall\'s nodes and images', function () {
  this.timeout(30_000);
  let cluster: KubeApiTestServer;
  let workspace: Workspace;
  const servers: ServerUnderTest[] = [];

  before(async () => {
    cluster = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token-5e1d', rules: CLUSTER_ADMIN_RULES },
        { name: 'no-proxy', token: 'no-proxy-token-9a2c', rules: readEverythingBut('nodes/proxy') },
        { name: 'changing', token: 'changing-token-4b7f', rules: CLUSTER_ADMIN_RULES },
      ],
      objects: [...fixture('deployment-rollout', ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets']), ...fixture('batch', ['nodes'])],
      kubelets: { 'node-a': kubelet('node-a', true), 'node-b': kubelet('node-b', true), 'node-c': kubelet('node-c', false) },
    });
    await cluster.start();
    workspace = new Workspace();
    for (const user of ['admin', 'no-proxy', 'changing']) cluster.writeKubeconfig(workspace.path(`${user}.kubeconfig`), { user, namespace: 'shop', name: `shop-${user}` });
    workspace.write('deploy/shop.yaml', MANIFESTS);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await cluster.stop();
    workspace.dispose();
  });
  beforeEach(() => cluster.clearRequests());

  const start = async (options: { trusted: boolean; user?: string; timings?: Record<string, unknown> }) => {
    const server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      capabilities: CAPABILITIES,
      initializationOptions: { workspaceTrusted: options.trusted },
      // Every rule off: the cluster's diagnostics are the only ones.
      // Watches off: these tests count requests, and the watches of an earlier test's server would be among them (test/server/timings-watch.test.ts covers them).
      settings: () => ({ enable: true, rules: onlyRules(), kubeconfig: workspace.path(`${options.user ?? 'admin'}.kubeconfig`), timings: { watch: false, ...options.timings } }),
    });
    servers.push(server);
    server.connection.onRequest('workspace/codeLens/refresh', () => null);
    const uri = fileUri(workspace.path('deploy/shop.yaml'));
    await server.open(uri, MANIFESTS);
    return { server, uri };
  };
  /** Asks for the lenses and resolves them: what reads the namespace. */
  const showLenses = async (server: ServerUnderTest, uri: string) => {
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    await Promise.all(lenses.map((lens) => server.connection.sendRequest(CodeLensResolveRequest.type, lens)));
  };
  const clusterDiagnostics = async (server: ServerUnderTest, uri: string, count: number) => clusterOnes(await server.diagnosticsFor(uri, (params) => clusterOnes(params).length === count)).map(shape);
  const proxyPaths = () => cluster.requests.filter((request) => request.path.includes('/proxy/')).map((request) => request.path).sort();

  it('publishes the text\'s diagnostics at once, then merges in images missing on most nodes and serial kubelets once the namespace is read (node details on)', async () => {
    const { server, uri } = await start({ trusted: true, timings: { nodeDetails: true } });
    // Before anything is read: a publish, without cluster diagnostics, and no request sent for it.
    assert.deepEqual(clusterOnes(await server.diagnosticsFor(uri)), []);
    await showLenses(server, uri);
    assert.deepEqual(await clusterDiagnostics(server, uri, 4), [WEB_SERIAL, API_IMAGE, CACHE_SERIAL, REDIS_IMAGE]);
    const diagnostic = server.latest(uri)!.diagnostics.find((entry) => entry.code === 'cluster-image-not-cached')!;
    assert.deepEqual([diagnostic.severity, diagnostic.source], [3, 'podstart'], 'information, from podstart');
    // The kubelets of the three nodes the namespace's pods ran on, through the node proxy: GETs only.
    assert.deepEqual(proxyPaths(), ['a', 'b', 'c'].flatMap((node) => [`/api/v1/nodes/node-${node}/proxy/configz`, `/api/v1/nodes/node-${node}/proxy/metrics`]));
    assert.deepEqual([...new Set(cluster.requests.map((request) => request.method))], ['GET']);
  });

  it('offers, at each cluster diagnostic, the generator that removes its cost: a pre-puller for this file, a KubeletConfiguration', async () => {
    const { server, uri } = await start({ trusted: true, timings: { nodeDetails: true } });
    await showLenses(server, uri);
    await clusterDiagnostics(server, uri, 4);
    const published = server.latest(uri)!.diagnostics;
    const at = async (code: string) => {
      const diagnostic = published.find((entry) => entry.code === code)!;
      const actions = (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
      return actions.filter((action) => action.command).map((action) => [action.title, action.command!.command, action.command!.arguments ?? [], action.diagnostics?.map((entry) => entry.code)]);
    };
    assert.deepEqual(await at('cluster-image-not-cached'), [["Generate a pre-puller DaemonSet for this file's images", 'podstart.generatePrePuller', [uri, [uri]], ['cluster-image-not-cached']]]);
    assert.deepEqual(await at('cluster-serial-pulls'), [['Generate a KubeletConfiguration that pulls images in parallel', 'podstart.generateKubeletConfig', [], ['cluster-serial-pulls']]]);
  });

  it('answers podstart/timings with the sentences of podstart timings, and the facts as data', async () => {
    const { server, uri } = await start({ trusted: true, timings: { nodeDetails: true } });
    const web = (await server.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'web' })) as TimingsResult;
    assert.deepEqual(web.clusterFacts?.sentences, [
      'all 3 images are on at least 3 of 5 nodes',
      '2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)',
      NODE_A_METRICS,
      NODE_B_METRICS,
      'kubelet metrics of node-c: not readable (not found)',
    ]);
    assert.equal(web.clusterFacts?.nodeDetailsHint, undefined);
    const api = (await server.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'api' })) as TimingsResult;
    assert.deepEqual(api.clusterFacts?.sentences, [
      'image registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-b, node-c): about 25 s to pull at 100 Mbit/s',
      'node-a pulls images in parallel, up to 2 at a time',
      NODE_A_METRICS,
    ]);
    const coverage = api.clusterFacts?.facts.imageCache;
    assert.ok(coverage?.readable);
    assert.deepEqual([coverage.value.images[0].presentOn, coverage.value.images[0].sizeBytes], [['node-a'], 312456789]);
  });

  it('reads no kubelet without podstart.timings.nodeDetails: image diagnostics only, and the waterfall says how to get the rest', async () => {
    const { server, uri } = await start({ trusted: true });
    await showLenses(server, uri);
    assert.deepEqual(await clusterDiagnostics(server, uri, 2), [API_IMAGE, REDIS_IMAGE]);
    assert.deepEqual(proxyPaths(), []);
    const web = (await server.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'web' })) as TimingsResult;
    assert.deepEqual(web.clusterFacts?.sentences, ['all 3 images are on at least 3 of 5 nodes']);
    assert.equal(web.clusterFacts?.nodeDetailsHint, 'Kubelet pull settings and metrics were not read: turn on podstart.timings.nodeDetails (needs get on nodes/proxy).');
  });

  it('says "not readable (RBAC)" when the node proxy is refused, and keeps the image diagnostics', async () => {
    const { server, uri } = await start({ trusted: true, user: 'no-proxy', timings: { nodeDetails: true } });
    await showLenses(server, uri);
    assert.deepEqual(await clusterDiagnostics(server, uri, 2), [API_IMAGE, REDIS_IMAGE]);
    const web = (await server.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'web' })) as TimingsResult;
    assert.deepEqual(web.clusterFacts?.sentences, ['all 3 images are on at least 3 of 5 nodes', 'kubelet configuration and metrics of node-a, node-b, node-c: not readable (RBAC)']);
    assert.equal(web.problem, undefined, 'the timings themselves are whole');
    assert.ok(cluster.requests.some((request) => request.path.includes('/proxy/') && request.status === 403));
  });

  it('publishes none in an untrusted workspace, and sends the cluster nothing; trusting it brings them', async () => {
    const { server, uri } = await start({ trusted: false, timings: { nodeDetails: true } });
    await showLenses(server, uri);
    assert.deepEqual(clusterOnes(await server.diagnosticsFor(uri)), []);
    assert.equal(cluster.requests.length, 0);
    await server.connection.sendNotification('podstart/workspaceTrusted');
    await showLenses(server, uri);
    assert.deepEqual(await clusterDiagnostics(server, uri, 4), [WEB_SERIAL, API_IMAGE, CACHE_SERIAL, REDIS_IMAGE]);
  });

  it('replaces them when the namespace is read again: images the nodes can no longer be listed for lose theirs', async () => {
    const { server, uri } = await start({ trusted: true, user: 'changing', timings: { nodeDetails: true } });
    await showLenses(server, uri);
    assert.deepEqual(await clusterDiagnostics(server, uri, 4), [WEB_SERIAL, API_IMAGE, CACHE_SERIAL, REDIS_IMAGE]);
    cluster.setRules('changing', readEverythingBut('nodes'));
    try {
      assert.deepEqual(await server.connection.sendRequest('podstart/refreshTimings'), { refreshed: 1 });
      assert.deepEqual(await clusterDiagnostics(server, uri, 2), [WEB_SERIAL, CACHE_SERIAL]);
    } finally {
      cluster.setRules('changing', CLUSTER_ADMIN_RULES);
    }
  });

  it('follows the manifest as it is edited: an image changed to one the nodes have loses its diagnostic at once', async () => {
    const { server, uri } = await start({ trusted: true });
    await showLenses(server, uri);
    await clusterDiagnostics(server, uri, 2);
    // redis:7.2.5 → the web image, which is on at least 3 of the 5 nodes.
    await server.change(uri, [{ range: { start: { line: 38, character: 17 }, end: { line: 38, character: 28 } }, text: 'registry.example.com/shop/web:2.4.1' }]);
    assert.deepEqual(await clusterDiagnostics(server, uri, 1), [API_IMAGE]);
    assert.equal(cluster.requests.filter((request) => request.verb === 'list').length, 9, 'no new reading for an edit');
  });
});
