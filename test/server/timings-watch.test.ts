/**
 * The timings service's watches against the HTTPS Kubernetes API test server serving the
 * deployment-rollout fixtures (Deployment shop/web: 9 pods, 7 Ready after [14, 14, 19, 23, 24, 31, 46] s,
 * p50 23.0 s and p95 46.0 s, hand-computed in test/timings): changes made on the server after the
 * capture reach the service's view without a new list, and the figures move as computed by hand; a
 * dropped watch comes back from where it was; 410 Gone reads the namespace again; a forbidden watch
 * is asked once; failing watches back off; nothing is asked after dispose, a reset, the interval's
 * drop, with `watch: false` or a snapshot file. Every request is a GET. The backoff is shortened
 * (50 ms doubling to 400 ms) so that its bounds show within a second or two. Then, through the
 * language server, the lens and `podstart/timings` follow a change, and the client is told
 * (`podstart/timingsChanged`, what the open waterfalls redraw on).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TimingsService, type TimingsServiceOptions } from '../../server/timings-service';
import { DEFAULT_TIMINGS_SETTINGS, type TimingsSettings } from '../../server/timings-settings';
import type { TimingsView } from '../../server/timings-view';
import { CodeLensRequest, CodeLensResolveRequest, type CodeLens } from 'vscode-languageserver/node';
import type { TimingsResult } from '../../server/protocol';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, type KubeObject, type PolicyRule } from '../support/kube-api-server';
import { fixtureObjects, turnsReady, type PodStatus } from '../support/timing-fixtures';
import { Workspace } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

const WEB = { kind: 'Deployment', name: 'web', namespace: 'shop' };
const RESOURCES = ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets'];
const WATCHED = ['pods', 'events', 'replicasets', 'jobs'];
/** Everything a capture lists, but never a watch. */
const LIST_ONLY: PolicyRule[] = [{ verbs: ['get', 'list'], apiGroups: ['', 'apps', 'batch'], resources: ['pods', 'events', 'nodes', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs'] }];
const BACKOFF = { initialDelayMs: 50, maxDelayMs: 400, healthyAfterMs: 60_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** [pods, Ready, p50 ms, p95 ms] of a view. */
function figures(view: TimingsView): [number, number, number | undefined, number | undefined] {
  const summary = view.timings?.summary;
  assert.ok(summary, `no figures: ${view.problem ?? ''} ${view.reason ?? ''}`);
  return [summary.podCount, summary.reached, summary.timeToMilestone.p50Ms, summary.timeToMilestone.p95Ms];
}

/** A new pod of web's current ReplicaSet, created at 09:07:00 on node-b, Ready a minute later. */
function newWebPod(template: KubeObject): KubeObject {
  const pod = turnsReady(template, '2025-06-03T09:08:00Z') as KubeObject & { status: PodStatus };
  pod.metadata = { ...pod.metadata, name: 'web-7f9c6d5b8-x4k8j', uid: '0f3c2a9e-5b1d-4e7a-9c6f-2d8b7a1e4c30', creationTimestamp: '2025-06-03T09:07:00Z' };
  delete pod.metadata.resourceVersion;
  const at = (time: string) => `2025-06-03T09:07:${time}Z`;
  pod.status.startTime = at('01');
  for (const condition of pod.status.conditions) {
    if (condition.type === 'PodScheduled') condition.lastTransitionTime = at('01');
    if (condition.type === 'PodReadyToStartContainers') condition.lastTransitionTime = at('02');
    if (condition.type === 'Initialized') condition.lastTransitionTime = at('09');
  }
  pod.status.initContainerStatuses[0].state.terminated = { ...pod.status.initContainerStatuses[0].state.terminated, startedAt: at('02'), finishedAt: at('08') };
  pod.status.initContainerStatuses[1].state.running.startedAt = at('09');
  pod.status.containerStatuses[0].state.running.startedAt = at('10');
  return pod;
}

describe('language server: timings follow the cluster through watches', function () {
  this.timeout(30_000);
  let folder: string;
  let cluster: KubeApiTestServer;
  let service: TimingsService | undefined;
  let logs: string[];
  let changes: number;

  const ZR4TQ = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-7f9c6d5b8-zr4tq' };
  const watches = (resource?: string) => cluster.requests.filter((request) => request.verb === 'watch' && (!resource || request.resource === resource));
  const lists = () => cluster.requests.filter((request) => request.verb === 'list');

  /** A service reading the test cluster as `user`, trusted, with the shortened backoff. */
  const start = (user = 'admin', settings: Partial<TimingsSettings> = {}, options: Partial<TimingsServiceOptions> = {}) => {
    const kubeconfig = path.join(folder, `${user}.kubeconfig`);
    cluster.writeKubeconfig(kubeconfig, { user, namespace: 'shop', name: `shop-${user}` });
    service = new TimingsService({
      log: { info: (message) => logs.push(message), warn: (message) => logs.push(message) },
      changed: () => changes++,
      workspaceFolders: () => [folder],
      env: {},
      home: folder,
      watch: { backoff: BACKOFF, debounceMs: 50 },
      ...options,
    });
    service.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig, ...settings });
    service.setTrusted(true);
    return service;
  };
  const web = () => service!.view(WEB, Number.POSITIVE_INFINITY);
  /** The view once its figures are these. */
  const webBecomes = (expected: ReturnType<typeof figures>) =>
    until(`web's figures to become ${expected.join(', ')}`, async () => {
      const view = await web();
      return JSON.stringify(figures(view)) === JSON.stringify(expected) ? view : undefined;
    });

  beforeEach(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'podstart-watch-'));
    logs = [];
    changes = 0;
    // A cluster of its own for each test: they change its objects.
    cluster = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token-2b8d', rules: CLUSTER_ADMIN_RULES },
        { name: 'lister', token: 'lister-token-9e1a', rules: LIST_ONLY },
      ],
      objects: fixtureObjects('deployment-rollout', RESOURCES),
    });
    await cluster.start();
  });
  afterEach(async () => {
    service?.dispose();
    service = undefined;
    await cluster.stop();
    rmSync(folder, { recursive: true, force: true });
    // Whatever the test did, the cluster only ever saw GETs.
    assert.deepEqual(cluster.requests.filter((request) => request.method !== 'GET'), []);
    assert.ok(!logs.join('\n').includes('token-'), 'no credential in the log');
  });

  it('shows a pod turning Ready and a new pod without reading the namespace again: p50 23 → 19 → 23 s, p95 46 → 46 → 60 s', async () => {
    const listedAt = cluster.resourceVersion;
    start();
    assert.deepEqual(figures(await web()), [9, 7, 23_000, 46_000]);
    await until('the four watches', () => cluster.openWatchCount === 4);
    // From the lists' resourceVersion, asking for bookmarks, GET only.
    assert.deepEqual(watches().map((request) => [request.resource, request.query.resourceVersion, request.query.allowWatchBookmarks, request.query.watch]).sort(), WATCHED.map((resource) => [resource, listedAt, 'true', 'true']).sort());
    assert.match(logs.join('\n'), /Timings: watching pods, events, replicasets, jobs in namespace shop for changes\./);
    const changesBefore = changes;

    // zr4tq turns Ready 12 s after its creation: Ready times [12, 14, 14, 19, 23, 24, 31, 46]; p50 is the
    // 4th of 8 (19 s), p95 the 8th (46 s).
    cluster.update(turnsReady(cluster.get(ZR4TQ)!, '2025-06-03T09:05:12Z'));
    const ready = await webBecomes([9, 8, 19_000, 46_000]);
    assert.ok(Date.parse(ready.capturedAt!) > Date.parse('2025-06-03T10:00:00Z'), 'the capture is as of the change');
    await until('changed() after the change', () => changes > changesBefore);

    // A tenth pod, Ready after 60 s: [12, 14, 14, 19, 23, 24, 31, 46, 60]; p50 the 5th (23 s), p95 the 9th (60 s).
    cluster.create(newWebPod(cluster.get(ZR4TQ)!));
    const added = await webBecomes([10, 9, 23_000, 60_000]);
    assert.equal(added.timings!.pods.find((pod) => pod.name === 'web-7f9c6d5b8-x4k8j')?.timeToReadyMs, 60_000);

    // And it is deleted again: back to the nine pods.
    cluster.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-7f9c6d5b8-x4k8j' });
    await webBecomes([9, 8, 19_000, 46_000]);
    assert.equal(lists().length, 9, 'the namespace and the nodes were listed once, by the first capture');
  });

  it('gathers a burst of changes into one changed() about a second later', async () => {
    start('admin', {}, { watch: { backoff: BACKOFF } });
    await web();
    await until('the four watches', () => cluster.openWatchCount === 4);
    const before = changes;
    const pod = cluster.get(ZR4TQ)!;
    for (let second = 12; second < 17; second++) cluster.update(turnsReady(pod, `2025-06-03T09:05:${second}Z`));
    const started = Date.now();
    await until('changed()', () => changes > before);
    assert.ok(Date.now() - started >= 700, `changed() came ${Date.now() - started} ms after the burst`);
    await sleep(1_300);
    assert.equal(changes, before + 1, 'once for the five changes');
    const view = await web();
    assert.deepEqual(figures(view), [9, 8, 19_000, 46_000]);
    assert.equal(view.timings!.pods.find((candidate) => candidate.name === ZR4TQ.name)?.timeToReadyMs, 16_000, 'the last of the five');
  });

  it('watches again from the last resourceVersion after a dropped watch, and the changes after the drop arrive', async () => {
    // The first watch of pods is cut after one event.
    const drop = cluster.injectFault({ path: '/api/v1/namespaces/shop/pods', watch: true, times: 1, fault: { kind: 'drop-watch', afterEvents: 1 } });
    start();
    await web();
    await until('the four watches', () => cluster.openWatchCount === 4);
    const updated = cluster.update(turnsReady(cluster.get(ZR4TQ)!, '2025-06-03T09:05:12Z'));
    await until('the pods watch again', () => watches('pods').length === 2 && cluster.openWatchCount === 4);
    assert.equal(drop.hits, 1);
    assert.equal(watches('pods')[1].query.resourceVersion, updated.metadata.resourceVersion, 'from the last event before the drop');
    cluster.create(newWebPod(cluster.get(ZR4TQ)!));
    await webBecomes([10, 9, 23_000, 60_000]);
    assert.equal(lists().length, 9);
  });

  it('reads the namespace again on 410 Gone, once, and watches from the new lists', async () => {
    start();
    await web();
    await until('the four watches', () => cluster.openWatchCount === 4);
    // A change no watch sees (Deployments are not watched), then the history before it is forgotten:
    // each watch, ended by the server, comes back from a resourceVersion that is now too old.
    const deployment = cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' })!;
    cluster.update({ ...deployment, metadata: { ...deployment.metadata, annotations: { ...deployment.metadata.annotations, touched: 'yes' } } });
    cluster.compact();
    const compactedAt = cluster.resourceVersion;
    cluster.endWatches();
    await until('a second reading of the namespace', () => lists().length === 18);
    await until('the watches from the new lists', () => watches().filter((request) => request.query.resourceVersion === compactedAt).length === 4 && cluster.openWatchCount === 4);
    assert.match(logs.join('\n'), /the watch of \w+ in namespace shop is too old for the API server \(410 Gone\): reading the namespace again/);
    cluster.update(turnsReady(cluster.get(ZR4TQ)!, '2025-06-03T09:05:12Z'));
    await webBecomes([9, 8, 19_000, 46_000]);
    await sleep(300);
    assert.equal(lists().length, 18, 'read again once, not once per watch');
  });

  it('asks once for a watch RBAC forbids, says so once, and still reads the namespace on refresh', async () => {
    start('lister');
    assert.deepEqual(figures(await web()), [9, 7, 23_000, 46_000]);
    await until('the four refused watches', () => watches().length === 4 && watches().every((request) => request.status === 403));
    await sleep(1_500);
    assert.equal(watches().length, 4, 'no watch asked again');
    const refusals = logs.filter((line) => line.startsWith('Timings: not watching'));
    assert.equal(refusals.length, 4, refusals.join('\n'));
    assert.match(refusals.join('\n'), /not watching pods in namespace shop \(\/api\/v1\/namespaces\/shop\/pods: forbidden by RBAC \(HTTP 403\)\.\); it is read again only on save, on command and on the refresh interval\./);
    assert.equal(await service!.refresh(['shop']), 1);
    assert.equal(lists().length, 18);
    await sleep(300);
    assert.equal(watches().length, 4, 'a refresh does not ask for forbidden watches again');
  });

  it('backs off between failing watches (500, connection reset): a bounded number of attempts in 1.5 s, and recovers', async () => {
    const failing = [
      cluster.injectFault({ path: '/api/v1/namespaces/shop/pods', watch: true, fault: { kind: 'status', code: 500 } }),
      cluster.injectFault({ path: '/api/v1/namespaces/shop/events', watch: true, fault: { kind: 'reset' } }),
    ];
    start();
    await web();
    const from = Date.now();
    await sleep(1_500);
    const window = Date.now() - from;
    // Waits of 50, 100, 200, 400, 400 … ms, each cut by up to half by jitter: at least 25 + 50 + 100 + 200 +
    // 200 + … between attempts, so at most 10 attempts in 1.5 s (a loop without backoff would make hundreds);
    // at most 50 + 100 + 200 + 400 + 400, so at least 6 (4 allowing for slow requests).
    for (const resource of ['pods', 'events']) {
      const attempts = watches(resource).length;
      assert.ok(attempts >= 4 && attempts <= 10, `${resource}: ${attempts} watch attempts in ${window} ms`);
    }
    assert.equal(watches('replicasets').length, 1, 'the healthy watches are left alone');
    assert.equal(logs.filter((line) => /the watch of pods in namespace shop failed \(.*HTTP 500.*\); retrying with backoff/.test(line)).length, 1, 'said once');
    assert.equal(logs.filter((line) => /the watch of events in namespace shop failed \(Cannot reach the API server.*\); retrying with backoff/.test(line)).length, 1, 'said once');
    for (const fault of failing) fault.remove();
    await until('all four watches open again', () => cluster.openWatchCount === 4, 5_000);
    cluster.update(turnsReady(cluster.get(ZR4TQ)!, '2025-06-03T09:05:12Z'));
    await webBecomes([9, 8, 19_000, 46_000]);
  });

  it('stops every watch and every retry on dispose: no request afterwards', async () => {
    cluster.injectFault({ path: '/api/v1/namespaces/shop/events', watch: true, fault: { kind: 'status', code: 503 } });
    start();
    await web();
    await until('three open watches and a failing one', () => cluster.openWatchCount === 3 && watches('events').length >= 2);
    service!.dispose();
    await until('every watch closed', () => cluster.openWatchCount === 0);
    cluster.clearRequests();
    cluster.update(turnsReady(cluster.get(ZR4TQ)!, '2025-06-03T09:05:12Z'));
    await sleep(1_000);
    assert.deepEqual(cluster.requests, [], 'nothing asked after dispose');
  });

  it('stops the watches when the trust or the source changes and when the interval drops the namespace; none with watch off or a snapshot file', async () => {
    const timings = start();
    await web();
    await until('the four watches', () => cluster.openWatchCount === 4);
    timings.setTrusted(false);
    await until('no watch after the trust is withdrawn', () => cluster.openWatchCount === 0);

    timings.setTrusted(true);
    await web();
    await until('the four watches again', () => cluster.openWatchCount === 4);
    timings.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig: path.join(folder, 'admin.kubeconfig'), watch: false });
    await until('no watch with podstart.timings.watch off', () => cluster.openWatchCount === 0);
    cluster.clearRequests();
    await timings.refresh();
    await sleep(300);
    assert.deepEqual([lists().length, watches().length], [9, 0], 'read on refresh, never watched');

    // Turned on again: the namespaces shown are read again, and watched.
    timings.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig: path.join(folder, 'admin.kubeconfig') });
    await until('the watches with podstart.timings.watch on', () => cluster.openWatchCount === 4);

    // A namespace no lens asked about for two intervals is dropped, and its watches with it.
    timings.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig: path.join(folder, 'admin.kubeconfig'), refreshIntervalMs: 300 });
    await until('the namespace dropped by the interval', () => cluster.openWatchCount === 0, 5_000);
    cluster.clearRequests();
    await sleep(700);
    assert.deepEqual(cluster.requests, [], 'nothing read or watched once dropped');

    // A snapshot file: read, never watched (and the cluster's watches end with the change of source).
    const snapshotFile = path.join(folder, 'shop.json');
    const objects = fixtureObjects('deployment-rollout', RESOURCES);
    const of = (kind: string) => objects.filter((object) => object.kind === kind);
    writeFileSync(snapshotFile, JSON.stringify({ kind: 'PodstartSnapshot', version: 1, capturedAt: '2025-06-03T09:10:00Z', context: 'prod', server: 'https://prod.example:6443', namespaces: ['shop'], objects: { pods: of('Pod'), events: of('Event'), nodes: of('Node'), deployments: of('Deployment'), replicasets: of('ReplicaSet'), statefulsets: of('StatefulSet'), daemonsets: [], jobs: [], cronjobs: [] }, nodeDetails: {}, unavailable: [] }));
    timings.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig: path.join(folder, 'admin.kubeconfig') });
    await web();
    await until('the watches', () => cluster.openWatchCount === 4);
    timings.configure({ ...DEFAULT_TIMINGS_SETTINGS, kubeconfig: path.join(folder, 'admin.kubeconfig'), snapshot: snapshotFile });
    assert.deepEqual(figures(await web()), [9, 7, 23_000, 46_000]);
    await until('no watch with a snapshot file', () => cluster.openWatchCount === 0);
    cluster.clearRequests();
    await sleep(300);
    assert.deepEqual(cluster.requests, []);
  });
});

describe('language server: the lenses and the waterfall follow a watched namespace', function () {
  this.timeout(30_000);
  let cluster: KubeApiTestServer;
  let workspace: Workspace;
  let server: ServerUnderTest | undefined;

  before(async () => {
    cluster = new KubeApiTestServer({ users: [{ name: 'admin', token: 'admin-token-2b8d', rules: CLUSTER_ADMIN_RULES }], objects: fixtureObjects('deployment-rollout', RESOURCES) });
    await cluster.start();
    workspace = new Workspace();
    cluster.writeKubeconfig(workspace.path('admin.kubeconfig'), { user: 'admin', namespace: 'shop', name: 'shop-admin' });
  });
  after(async () => {
    await server?.stop();
    await cluster.stop();
    workspace.dispose();
  });

  it('asks for the lenses again and tells the client (podstart/timingsChanged) when a pod turns Ready, with the new figures', async () => {
    server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      capabilities: { workspace: { configuration: true, workspaceFolders: true, codeLens: { refreshSupport: true } }, textDocument: { codeLens: {} } },
      initializationOptions: { workspaceTrusted: true },
      settings: () => ({ enable: true, rules: onlyRules(), kubeconfig: workspace.path('admin.kubeconfig') }),
    });
    const notices = { lenses: 0, timings: 0 };
    server.connection.onRequest('workspace/codeLens/refresh', () => void notices.lenses++);
    server.connection.onNotification('podstart/timingsChanged', () => void notices.timings++);
    const uri = fileUri(workspace.path('deploy/web.yaml'));
    await server.open(uri, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/shop/web:2.4.1\n');
    const title = async () => {
      const [lens] = (await server!.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
      return (lens.command ?? ((await server!.connection.sendRequest(CodeLensResolveRequest.type, lens)) as CodeLens).command)?.title ?? '';
    };
    const timings = () => server!.connection.sendRequest('podstart/timings', { uri, kind: 'Deployment', name: 'web', namespace: 'shop' }) as Promise<TimingsResult>;
    assert.match(await until('the first figures', async () => ((await title()).startsWith('Startup p50') ? title() : undefined)), /^Startup p50 23\.0 s · p95 46\.0 s · .* · 9 pods \(2 not Ready\) · ctx shop-admin$/);
    await until('the watches', () => cluster.openWatchCount === 4);
    const before = { ...notices };
    cluster.clearRequests();

    cluster.update(turnsReady(cluster.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-7f9c6d5b8-zr4tq' })!, '2025-06-03T09:05:12Z'));
    await until('a lens refresh and a timingsChanged notification', () => notices.lenses > before.lenses && notices.timings > before.timings);
    assert.match(await title(), /^Startup p50 19\.0 s · p95 46\.0 s · .* · 9 pods \(1 not Ready\) · ctx shop-admin$/);
    const result = await timings();
    assert.deepEqual([result.summary?.p50Ms, result.summary?.p95Ms, result.summary?.reached], [19_000, 46_000, 8]);
    assert.deepEqual(cluster.requests, [], 'the change came through the watch: nothing was listed or asked');
  });
});
