/**
 * `podstart timings` with what the cluster says beyond the pods, against the HTTPS test server: the
 * timing fixtures' five nodes and their images, and the kubelets of node-a (parallel, up to 2 pulls),
 * node-b and node-c (serial) behind the node proxy, from
 * test/timings/fixtures/deployment-rollout/kubelets (node-c serves no metrics). The printed lines are
 * checked word for word; the figures are worked out in test/cluster/kubelet-metrics.test.ts and
 * test/cluster/workload-cluster-facts.test.ts. Each part degrades on its own under RBAC.
 */
import assert from 'node:assert/strict';
import { fixtureObjects, kubeletFixture } from '../support/timing-fixtures';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer } from '../support/kube-api-server';
import { TempProject } from './harness';

const fixture = fixtureObjects;
const kubelet = kubeletFixture;

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

const NODE_A_METRICS = '  node-a kubelet (all its pods): pod start SLI p50 ~2.8 s, p95 ~10 s (40 pods); image pulls p50 ~15 s, p95 ~48 s (16 pulls)';
const NODE_B_METRICS = '  node-b kubelet (all its pods): pod start SLI p50 ~1.5 s, p95 ~3.4 s (12 pods)';
const API_IMAGE = '  image registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-b, node-c): about 25 s to pull at 100 Mbit/s';
const REDIS_IMAGE = '  image redis:7.2.5 (40 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-a, node-c): about 3.2 s to pull at 100 Mbit/s';

/** The lines after the table: from the first blank line on. */
const factLines = (stdout: string) => {
  const lines = stdout.trimEnd().split('\n');
  return lines.slice(lines.indexOf('') + 1);
};

describe('podstart timings: cluster facts under the table', () => {
  let server: KubeApiTestServer;
  let project: TempProject;
  const readEverythingBut = (exclude: string) => [
    { verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'events', 'nodes', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'nodes/proxy'].filter((resource) => resource !== exclude) },
  ];

  before(async function () {
    this.timeout(30_000);
    server = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token', rules: CLUSTER_ADMIN_RULES },
        { name: 'no-proxy', token: 'no-proxy-token', rules: readEverythingBut('nodes/proxy') },
        { name: 'no-nodes', token: 'no-nodes-token', rules: readEverythingBut('nodes') },
      ],
      objects: [...fixture('deployment-rollout', ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets']), ...fixture('batch', ['nodes'])],
      kubelets: { 'node-a': kubelet('node-a', true), 'node-b': kubelet('node-b', true), 'node-c': kubelet('node-c', false) },
    });
    await server.start();
    project = new TempProject({ 'deploy/shop.yaml': MANIFESTS });
    for (const user of ['admin', 'no-proxy', 'no-nodes']) server.writeKubeconfig(project.path(`${user}.kubeconfig`), { user, namespace: 'shop', name: `shop-${user}` });
  });
  after(async () => {
    await server.stop();
    project.dispose();
  });
  beforeEach(() => server.clearRequests());

  const timings = (user: string, ...extra: string[]) => project.run(['timings', 'deploy', '--kubeconfig', `${user}.kubeconfig`, ...extra]);

  it('prints each workload\'s images, its kubelets\' pull settings and their own figures, with --node-details', async () => {
    const run = await timings('admin', '--node-details');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout.split('\n')[2], /^Deployment shop\/web\s+9\s+23\.0 s\s+46\.0 s/, 'the table is unchanged');
    assert.deepEqual(factLines(run.stdout), [
      'Deployment shop/web:',
      '  all 3 images are on at least 3 of 5 nodes',
      '  2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)',
      NODE_A_METRICS,
      NODE_B_METRICS,
      '  kubelet metrics of node-c: not readable (not found)',
      'Deployment shop/api:',
      API_IMAGE,
      '  node-a pulls images in parallel, up to 2 at a time',
      NODE_A_METRICS,
      'StatefulSet shop/cache:',
      REDIS_IMAGE,
      '  node-b pulls images one at a time',
      NODE_B_METRICS,
    ]);
    assert.match(run.stderr, /^podstart: warning: \/api\/v1\/nodes\/node-c\/proxy\/metrics: .*\(HTTP 404\)\.$/m);
    // Eight lists for shop and one for the nodes, then /configz and /metrics of the three nodes the pods ran on: all GET.
    assert.deepEqual([...new Set(server.requests.map((request) => request.method))], ['GET']);
    assert.equal(server.requests.filter((request) => request.verb === 'list').length, 9);
    assert.deepEqual(server.requests.filter((request) => request.path.includes('/proxy/')).map((request) => request.path).sort(), ['a', 'b', 'c'].flatMap((node) => [`/api/v1/nodes/node-${node}/proxy/configz`, `/api/v1/nodes/node-${node}/proxy/metrics`]));
  });

  it('gives the image facts without --node-details, and says how to get the kubelets\' side', async () => {
    const run = await timings('admin');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(factLines(run.stdout), [
      'Deployment shop/web:',
      '  all 3 images are on at least 3 of 5 nodes',
      'Deployment shop/api:',
      API_IMAGE,
      'StatefulSet shop/cache:',
      REDIS_IMAGE,
      'Kubelet pull settings and metrics were not read: add --node-details (needs get on nodes/proxy).',
    ]);
    assert.equal(server.requests.filter((request) => request.path.includes('/proxy/')).length, 0);
  });

  it('says "not readable (RBAC)" for kubelets when nodes/proxy is refused, and keeps the rest', async () => {
    const run = await timings('no-proxy', '--node-details');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(factLines(run.stdout), [
      'Deployment shop/web:',
      '  all 3 images are on at least 3 of 5 nodes',
      '  kubelet configuration and metrics of node-a, node-b, node-c: not readable (RBAC)',
      'Deployment shop/api:',
      API_IMAGE,
      '  kubelet configuration and metrics of node-a: not readable (RBAC)',
      'StatefulSet shop/cache:',
      REDIS_IMAGE,
      '  kubelet configuration and metrics of node-b: not readable (RBAC)',
    ]);
    assert.match(run.stderr, /warning: .*nodes "node-a" is forbidden: User "no-proxy" cannot get resource "nodes\/proxy"/);
  });

  it('says "not readable (RBAC)" for the image cache when nodes cannot be listed, and keeps the kubelets\' side', async () => {
    const run = await timings('no-nodes', '--node-details');
    assert.equal(run.code, 0, run.stderr);
    const lines = factLines(run.stdout);
    assert.deepEqual(lines.slice(0, 3), ['Deployment shop/web:', '  image cache: nodes not readable (RBAC)', '  2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)']);
    assert.deepEqual(lines.slice(6), ['Deployment shop/api:', '  image cache: nodes not readable (RBAC)', '  node-a pulls images in parallel, up to 2 at a time', NODE_A_METRICS, 'StatefulSet shop/cache:', '  image cache: nodes not readable (RBAC)', '  node-b pulls images one at a time', NODE_B_METRICS]);
  });

  it('gives the same facts from a snapshot taken with podstart capture --node-details, and as JSON', async () => {
    const live = await timings('admin', '--node-details');
    const capture = await project.run(['capture', '--kubeconfig', 'admin.kubeconfig', '--node-details', '-o', 'snapshot.json']);
    assert.equal(capture.code, 0, capture.stderr);
    const offline = await project.run(['timings', 'deploy', '--snapshot', 'snapshot.json']);
    assert.equal(offline.code, 0, offline.stderr);
    assert.deepEqual(factLines(offline.stdout), factLines(live.stdout));

    const json = await project.run(['timings', 'deploy', '--snapshot', 'snapshot.json', '--format', 'json']);
    const api = (JSON.parse(json.stdout) as { workloads: Array<{ name: string; cluster: any }> }).workloads.find((workload) => workload.name === 'api')!;
    assert.deepEqual(api.cluster.imageCache.value.images, [
      {
        image: 'registry.example.com/shop/api:1.9.0',
        canonical: 'registry.example.com/shop/api:1.9.0',
        presentOn: ['node-a'],
        missingOn: ['batch-node-1', 'batch-node-2', 'node-b', 'node-c'],
        possiblyPresentOn: [],
        sizeBytes: 312456789,
        missingOnMost: true,
      },
    ]);
    assert.deepEqual(api.cluster.kubelets.map((entry: any) => [entry.node, entry.pullSettings.value.serial, entry.pullSettings.value.maxParallelImagePulls, entry.startupMetrics.value.podStartSli.count]), [['node-a', false, 2, 40]]);
    assert.equal(api.cluster.kubelets[0].startupMetrics.value.imagePull.p95.value.toFixed(6), '48.000000');
  });

  it('refuses --node-details with --snapshot, which has what capture read', async () => {
    const run = await project.run(['timings', 'deploy', '--snapshot', 'snapshot.json', '--node-details']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--node-details reads the cluster: a snapshot has the kubelet details that podstart capture --node-details read\./);
  });
});
