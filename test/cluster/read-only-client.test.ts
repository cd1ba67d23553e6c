/**
 * The cluster client as users run it: a kubeconfig loaded from a file by @kubernetes/client-node,
 * requests to an HTTPS API server (the test server, serving the timing fixtures), and each failure
 * explained by kind. Only GET ever reaches the server, and no credential reaches a message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kubeconfigPaths, loadKubeconfig, usesCredentialPlugin } from '../../core/cluster/kubeconfig';
import { ClusterRequestError, ReadOnlyClusterClient } from '../../core/cluster/read-only-client';
import { captureSnapshot, parseSnapshot } from '../../core/cluster/snapshot';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, readFixtureFile } from '../support/kube-api-server';

const FIXTURES = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout');
const TOKEN = 'viewer-secret-token-4f1c';
const READ_SHOP = { verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'nodes'] };

describe('core/cluster: the read-only client against an HTTPS API server', () => {
  let server: KubeApiTestServer;
  let folder: string;

  const clientFor = (user: string, options: ConstructorParameters<typeof ReadOnlyClusterClient>[1] = {}) => {
    const file = path.join(folder, `${user}.kubeconfig`);
    server.writeKubeconfig(file, { user, namespace: 'shop' });
    const loaded = loadKubeconfig({ explicitPath: file, env: {} });
    return { loaded, client: new ReadOnlyClusterClient(loaded.config, { retries: 1, timeoutMs: 2_000, ...options }) };
  };

  before(async function () {
    this.timeout(30_000);
    folder = mkdtempSync(path.join(tmpdir(), 'podstart-cluster-'));
    const objects = ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets'].flatMap((resource) => readFixtureFile(path.join(FIXTURES, `${resource}.json`)));
    server = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token', rules: CLUSTER_ADMIN_RULES },
        // Everything but events: the snapshot must still be taken, with events marked unavailable.
        { name: 'viewer', token: TOKEN, rules: [READ_SHOP] },
      ],
      objects,
      kubelets: { 'node-a': { configz: { serializeImagePulls: false, maxParallelImagePulls: 3 }, metrics: '# TYPE kubelet_pod_start_sli_duration_seconds histogram\nkubelet_pod_start_sli_duration_seconds_count 12\n' } },
    });
    await server.start();
  });
  after(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.clearRequests();
    server.clearFaults();
  });

  it('reads the kubeconfig a user has: context, namespace and server', () => {
    const { loaded } = clientFor('admin');
    assert.equal(loaded.namespace, 'shop');
    assert.equal(loaded.server, server.url);
    assert.deepEqual(loaded.contexts, [loaded.context]);
    assert.equal(usesCredentialPlugin(loaded.config), false);
  });

  it('lists pods across pages, with label selectors, and sends nothing but GET', async () => {
    const { client } = clientFor('admin', { pageSize: 2 });
    const all = await client.list<{ metadata: { name: string } }>('/api/v1/namespaces/shop/pods');
    const fixturePods = readFixtureFile(path.join(FIXTURES, 'pods.json'));
    assert.equal(all.items.length, fixturePods.length);
    assert.ok(Number(all.resourceVersion) > 0);
    const web = await client.list<{ metadata: { labels: Record<string, string> } }>('/api/v1/namespaces/shop/pods', { labelSelector: 'app.kubernetes.io/name=web' });
    assert.ok(web.items.length > 0 && web.items.every((pod) => pod.metadata.labels['app.kubernetes.io/name'] === 'web'));
    assert.ok(server.requests.length >= Math.ceil(fixturePods.length / 2) + 1, 'paged');
    assert.deepEqual([...new Set(server.requests.map((request) => request.method))], ['GET']);
  });

  it('explains RBAC refusals and bad credentials without showing the token', async () => {
    const { client } = clientFor('viewer');
    await assert.rejects(client.list('/api/v1/namespaces/shop/events'), (error: ClusterRequestError) => {
      assert.equal(error.kind, 'forbidden');
      assert.equal(error.status, 403);
      assert.match(error.message, /events is forbidden: User "viewer" cannot list resource "events" in API group "" in the namespace "shop"/);
      return true;
    });
    server.setRules('viewer', [READ_SHOP]);
    const file = path.join(folder, 'wrong.kubeconfig');
    server.writeKubeconfig(file, { user: 'viewer', namespace: 'shop', token: `${TOKEN}-revoked` });
    const wrong = new ReadOnlyClusterClient(loadKubeconfig({ explicitPath: file, env: {} }).config, { retries: 0 });
    await assert.rejects(wrong.list('/api/v1/namespaces/shop/pods'), (error: ClusterRequestError) => {
      assert.equal(error.kind, 'unauthorized');
      assert.ok(!error.message.includes(TOKEN), 'no token in the message');
      return true;
    });
  });

  it('retries a 500 and a reset, and gives up with the kind of failure after its bounded retries', async () => {
    const { client } = clientFor('admin');
    server.injectFault({ path: '/api/v1/nodes', times: 1, fault: { kind: 'status', code: 500 } });
    assert.ok((await client.list('/api/v1/nodes')).items.length > 0, 'second attempt succeeds');
    server.injectFault({ path: '/api/v1/nodes', fault: { kind: 'reset' } });
    await assert.rejects(client.list('/api/v1/nodes'), (error: ClusterRequestError) => error.kind === 'unreachable');
    assert.equal(server.requests.filter((request) => request.path === '/api/v1/nodes').length, 2 + 2, 'the 500 and its successful retry, then the reset and its one retry');
  });

  it('times out on a server that hangs', async () => {
    const { client } = clientFor('admin', { timeoutMs: 300, retries: 0 });
    server.injectFault({ path: '/api/v1/nodes', fault: { kind: 'hang' } });
    await assert.rejects(client.list('/api/v1/nodes'), (error: ClusterRequestError) => error.kind === 'timeout' && /did not answer/.test(error.message));
  });

  it('says the server is unreachable when nothing listens', async () => {
    const file = path.join(folder, 'admin.kubeconfig');
    server.writeKubeconfig(file, { user: 'admin', namespace: 'shop' });
    const loaded = loadKubeconfig({ explicitPath: file, env: {} });
    (loaded.config.getCurrentCluster() as { server: string }).server = 'https://127.0.0.1:1';
    const client = new ReadOnlyClusterClient(loaded.config, { retries: 0 });
    await assert.rejects(client.list('/api/v1/nodes'), (error: ClusterRequestError) => error.kind === 'unreachable' && /ECONNREFUSED/.test(error.message));
  });

  it('watches pods from a resourceVersion, and reports a compacted one as gone', async () => {
    const { client } = clientFor('admin');
    const { resourceVersion } = await client.list('/api/v1/namespaces/shop/pods');
    const seen: string[] = [];
    let ended: ClusterRequestError | undefined | null = null;
    const handle = await client.watch('/api/v1/namespaces/shop/pods', { resourceVersion }, (type, object) => seen.push(`${type} ${(object as { metadata?: { name?: string } }).metadata?.name}`), (error) => (ended = error));
    server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-new', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'web:1' }] } });
    const deadline = Date.now() + 5_000;
    while (!seen.includes('ADDED web-new') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    handle.stop();
    server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-new' });
    assert.ok(seen.includes('ADDED web-new'), seen.join(', '));
    server.compact();
    await new Promise<void>((resolve) => {
      void client.watch('/api/v1/namespaces/shop/pods', { resourceVersion }, () => undefined, (error) => {
        ended = error;
        resolve();
      });
    });
    assert.equal((ended as ClusterRequestError | null)?.kind, 'gone');
  });

  it('captures a snapshot with a fixed number of requests, marking what RBAC refuses and reading kubelets through the node proxy', async () => {
    server.setRules('viewer', [READ_SHOP, { verbs: ['get'], apiGroups: [''], resources: ['nodes/proxy'] }]);
    const { client, loaded } = clientFor('viewer');
    const snapshot = await captureSnapshot(client, { context: loaded.context, namespaces: ['shop'], nodeDetails: true, now: () => new Date('2025-06-03T09:10:00Z') });
    assert.equal(snapshot.objects.pods.length, readFixtureFile(path.join(FIXTURES, 'pods.json')).length);
    assert.deepEqual(snapshot.objects.events, []);
    assert.deepEqual(snapshot.unavailable.map((entry) => `${entry.resource} ${entry.kind}`).sort(), ['events forbidden', ...snapshot.unavailable.filter((entry) => entry.resource === 'nodes/proxy').map((entry) => `nodes/proxy ${entry.kind}`)].sort());
    assert.deepEqual(snapshot.nodeDetails['node-a']?.kubeletConfig, { serializeImagePulls: false, maxParallelImagePulls: 3 });
    assert.match(snapshot.nodeDetails['node-a']?.metrics ?? '', /kubelet_pod_start_sli_duration_seconds_count 12/);
    // Eight lists for the namespace and one for the nodes, however many pods; then two proxy reads per node with pods.
    const lists = server.requests.filter((request) => request.verb === 'list');
    assert.equal(lists.length, 9);
    assert.deepEqual([...new Set(server.requests.map((request) => request.method))], ['GET']);
    // A snapshot written to a file reads back.
    assert.deepEqual(parseSnapshot(JSON.stringify(snapshot), 'snapshot.json'), snapshot);
    assert.throws(() => parseSnapshot('{"kind": "Pod"}', 'pod.json'), /pod\.json is not a Podstart snapshot/);
  });
});

describe('core/cluster: which kubeconfig', () => {
  it('prefers the explicit path, then KUBECONFIG (every file, in order), then ~/.kube/config', () => {
    assert.deepEqual(kubeconfigPaths({ explicitPath: '~/clusters/prod.yaml', env: { KUBECONFIG: '/a:/b' }, home: '/home/dev' }), ['/home/dev/clusters/prod.yaml']);
    assert.deepEqual(kubeconfigPaths({ env: { KUBECONFIG: `/a${path.delimiter}${path.delimiter}/b` }, home: '/home/dev' }), ['/a', '/b']);
    assert.deepEqual(kubeconfigPaths({ env: {}, home: '/home/dev' }), ['/home/dev/.kube/config']);
  });

  it('merges KUBECONFIG files like kubectl, and names unknown contexts and missing files', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'podstart-kubeconfig-'));
    try {
      const config = (name: string, current?: string) => `apiVersion: v1
kind: Config
${current ? `current-context: ${current}\n` : ''}clusters:
- name: ${name}
  cluster: {server: "https://${name}.example:6443"}
users:
- name: ${name}
  user: {token: "t-${name}"}
contexts:
- name: ${name}
  context: {cluster: ${name}, user: ${name}, namespace: team-${name}}
`;
      writeFileSync(path.join(folder, 'one'), config('one', 'one'));
      writeFileSync(path.join(folder, 'two'), config('two', 'two'));
      const env = { KUBECONFIG: [path.join(folder, 'one'), path.join(folder, 'two')].join(path.delimiter) };
      const merged = loadKubeconfig({ env });
      assert.deepEqual([merged.context, merged.namespace, merged.server], ['one', 'team-one', 'https://one.example:6443']);
      assert.deepEqual(merged.contexts.sort(), ['one', 'two']);
      assert.equal(loadKubeconfig({ env }, 'two').server, 'https://two.example:6443');
      assert.throws(() => loadKubeconfig({ env }, 'prod'), /No context "prod" in the kubeconfig .*; it has: one, two\./);
      assert.throws(() => loadKubeconfig({ explicitPath: path.join(folder, 'missing'), env: {} }), /No kubeconfig found/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
