/**
 * `podstart timings` and `podstart capture` against the HTTPS test server serving the timing
 * fixtures: the figures are the hand-computed ones of test/timings (web: p50 23 s, p95 46 s; the
 * nightly-report CronJob: 15 s and 16 s to Running), live and from a snapshot alike; only GET
 * requests, a fixed number per namespace; RBAC and an unreachable cluster explained.
 */
import assert from 'node:assert/strict';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer } from '../support/kube-api-server';
import { fixtureObjects } from '../support/timing-fixtures';
import { TempProject } from './harness';

const fixture = fixtureObjects;

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: registry.example/shop/web:3.2.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  template:
    spec:
      containers:
        - name: checkout
          image: registry.example/shop/checkout:1.0.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
  namespace: batch
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example/batch/report:2.1.0
`;

interface TimingsJson {
  context: string;
  workloads: Array<{ kind: string; name: string; namespace: string; live: boolean; reason?: string; summary?: { podCount: number; reached: number; timeToMilestone: { p50Ms?: number; p95Ms?: number }; phaseShare: Record<string, number>; milestone: string } }>;
}

describe('podstart timings and capture, against an HTTPS API server', () => {
  let server: KubeApiTestServer;
  let project: TempProject;

  before(async function () {
    this.timeout(30_000);
    server = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token', rules: CLUSTER_ADMIN_RULES },
        { name: 'no-events', token: 'no-events-token', rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'nodes', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'] }] },
      ],
      objects: [...fixture('deployment-rollout', ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets']), ...fixture('batch', ['pods', 'events', 'nodes', 'jobs', 'cronjobs'])],
    });
    await server.start();
    project = new TempProject({ 'deploy/shop.yaml': MANIFESTS });
    server.writeKubeconfig(project.path('admin.kubeconfig'), { user: 'admin', namespace: 'shop', name: 'shop-admin' });
    server.writeKubeconfig(project.path('no-events.kubeconfig'), { user: 'no-events', namespace: 'shop', name: 'shop-viewer' });
  });
  after(async () => {
    await server.stop();
    project.dispose();
  });
  beforeEach(() => server.clearRequests());

  const live = async (format: 'table' | 'json', kubeconfig = 'admin.kubeconfig') => project.run(['timings', 'deploy', '--kubeconfig', kubeconfig, '--format', format]);

  it('prints each workload\'s p50/p95 to Ready and the share of each phase, with the hand-computed figures', async () => {
    const run = await live('table');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0], /^Startup timings from context shop-admin \(https:\/\/127\.0\.0\.1:\d+\)$/);
    assert.match(lines[1], /^WORKLOAD\s+PODS\s+P50\s+P95\s+SLI P50\s+SCHEDULE\s+PULL\s+INIT\s+START\s+READY\s+NOTE$/);
    // web: 9 pods, 7 Ready: [14, 14, 19, 23, 24, 31, 46] s; pull 34.827 s of the 138 s of the 5 pods with every phase known.
    assert.match(lines[2], /^Deployment shop\/web\s+9\s+23\.0 s\s+46\.0 s\s+4\.0 s\s+\d+%\s+25%\s+\d+%\s+\d+%\s+\d+%\s+2 not Ready; 2 without pull events$/);
    assert.match(lines[3], /^Deployment shop\/checkout\s+0\s+-.*no Deployment shop\/checkout in the cluster$/);
    // nightly-report: 15 s and 16 s to Running (a CronJob's pods complete: they are never Ready).
    assert.match(lines[4], /^CronJob batch\/nightly-report\s+2\s+15\.0 s\s+16\.0 s\s+.*to Running/);
  });

  it('reads only with GET, eight lists per namespace and one for the nodes, whatever the pods', async () => {
    await live('json');
    assert.deepEqual([...new Set(server.requests.map((request) => request.method))], ['GET']);
    assert.equal(server.requests.filter((request) => request.verb === 'list').length, 2 * 8 + 1, 'shop and batch, then nodes');
  });

  it('gives the same figures from a snapshot written by podstart capture', async () => {
    const capture = await project.run(['capture', '--kubeconfig', 'admin.kubeconfig', '-n', 'shop', '-n', 'batch', '-o', 'snapshot.json']);
    assert.equal(capture.code, 0, capture.stderr);
    assert.match(capture.stderr, /wrote snapshot\.json: 15 pods, \d+ events, 5 nodes from shop, batch/);
    const fromCluster = JSON.parse((await live('json')).stdout) as TimingsJson;
    const offline = await project.run(['timings', 'deploy', '--snapshot', 'snapshot.json', '--format', 'json']);
    assert.equal(offline.code, 0, offline.stderr);
    const fromSnapshot = JSON.parse(offline.stdout) as TimingsJson;
    assert.deepEqual(fromSnapshot.workloads, fromCluster.workloads);
    const web = fromSnapshot.workloads.find((workload) => workload.name === 'web')!;
    assert.deepEqual([web.summary!.timeToMilestone.p50Ms, web.summary!.timeToMilestone.p95Ms, web.summary!.phaseShare.pull], [23_000, 46_000, 34.827 / 138]);
  });

  it('says what RBAC hides: without events, pulls are unknown and the run still reports', async () => {
    const run = await live('json', 'no-events.kubeconfig');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: .*events is forbidden: User "no-events" cannot list resource "events" in API group "" in the namespace "shop"/);
    const web = (JSON.parse(run.stdout) as TimingsJson).workloads.find((workload) => workload.name === 'web')!;
    assert.match(web.reason ?? '', /^events could not be read .*: image pulls are unknown$/);
    assert.equal(web.summary!.timeToMilestone.p50Ms, 23_000, 'times to Ready need no events');
  });

  it('fails clearly on an unreachable cluster and an unknown context, and reports nothing else', async () => {
    const unreachable = new TempProject({ 'deploy/shop.yaml': MANIFESTS });
    try {
      server.writeKubeconfig(unreachable.path('kubeconfig'), { user: 'admin', namespace: 'shop' });
      unreachable.write('kubeconfig', unreachable.read('kubeconfig').replace(/server: "https:\/\/127\.0\.0\.1:\d+"/, 'server: "https://127.0.0.1:1"'));
      const run = await unreachable.run(['timings', 'deploy', '--kubeconfig', 'kubeconfig']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /^podstart: Cannot read the cluster of context ".*" \(https:\/\/127\.0\.0\.1:1\): Cannot reach the API server for .*ECONNREFUSED/m);
      assert.equal(run.stdout, '');
      const context = await project.run(['timings', 'deploy', '--kubeconfig', 'admin.kubeconfig', '--context', 'prod']);
      assert.equal(context.code, 2);
      assert.match(context.stderr, /No context "prod" in the kubeconfig .*; it has: shop-admin\./);
    } finally {
      unreachable.dispose();
    }
  });
});
