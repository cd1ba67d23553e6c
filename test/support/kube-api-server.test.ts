/**
 * The Kubernetes API test server, driven by the client users run (@kubernetes/client-node 1.4):
 * kubeconfigs loaded as users load them, discovery, lists with selectors and pages, watches with
 * bookmarks, pushed changes and 410 Gone, an informer relisting after 410, the node proxy,
 * authentication (token, client certificate, anonymous) and RBAC (401 and 403 bodies), and
 * injected faults, each as the client reports it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { CLUSTER_ADMIN_RULES, createCertificateAuthority, KubeApiTestServer, type KubeObject } from './kube-api-server';
import { parseLabelSelector, labelsMatch, SelectorParseError } from './kube-api-server/label-selector';

type ClientNode = typeof K8s;

const CREATED = '2025-03-01T10:00:00Z';

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: CREATED }, status: { phase: 'Active' } };
}

function node(name: string, internalIp: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name }, creationTimestamp: CREATED },
    spec: {},
    status: { addresses: [{ type: 'InternalIP', address: internalIp }], nodeInfo: { kubeletVersion: 'v1.34.1' } },
  };
}

function pod(namespaceName: string, name: string, labels: Record<string, string>, nodeName: string | undefined, phase: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: namespaceName, labels, creationTimestamp: CREATED },
    spec: { ...(nodeName ? { nodeName } : {}), restartPolicy: 'Always', containers: [{ name: 'app', image: `registry.example/${labels.app}:1.0` }] },
    status: { phase },
  };
}

function event(namespaceName: string, name: string, podName: string, reason: string, type: string, message: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: namespaceName, creationTimestamp: CREATED },
    involvedObject: { kind: 'Pod', namespace: namespaceName, name: podName, uid: `uid-${podName}`, apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
    reason,
    message,
    type,
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: CREATED,
    lastTimestamp: CREATED,
    count: 1,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };
}

const KUBELET_CONFIG = { serializeImagePulls: true, maxParallelImagePulls: 1, registryPullQPS: 5 };
const KUBELET_METRICS = [
  '# HELP kubelet_pod_start_sli_duration_seconds [BETA] Duration in seconds to start a pod, excluding time to pull images and run init containers',
  '# TYPE kubelet_pod_start_sli_duration_seconds histogram',
  'kubelet_pod_start_sli_duration_seconds_bucket{le="0.5"} 3',
  'kubelet_pod_start_sli_duration_seconds_bucket{le="+Inf"} 5',
  'kubelet_pod_start_sli_duration_seconds_sum 4.2',
  'kubelet_pod_start_sli_duration_seconds_count 5',
  '',
].join('\n');

function clusterObjects(): KubeObject[] {
  return [
    namespace('team-a'),
    namespace('team-b'),
    node('node-1', '10.0.0.11'),
    node('node-2', '10.0.0.12'),
    pod('team-a', 'web-1', { app: 'web', tier: 'frontend' }, 'node-1', 'Running'),
    pod('team-a', 'web-2', { app: 'web', tier: 'frontend' }, 'node-2', 'Running'),
    pod('team-a', 'web-3', { app: 'web' }, undefined, 'Pending'),
    pod('team-a', 'db-0', { app: 'db', tier: 'backend' }, 'node-1', 'Running'),
    pod('team-b', 'api-1', { app: 'api' }, 'node-1', 'Running'),
    event('team-a', 'web-1.pulling', 'web-1', 'Pulling', 'Normal', 'Pulling image "registry.example/web:1.0"'),
    event('team-a', 'web-1.pulled', 'web-1', 'Pulled', 'Normal', 'Successfully pulled image "registry.example/web:1.0" in 2.1s (2.1s including waiting). Image size: 31000000 bytes.'),
    event('team-a', 'web-3.failed-scheduling', 'web-3', 'FailedScheduling', 'Warning', '0/2 nodes are available: 2 Insufficient cpu.'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'team-a', labels: { app: 'web' }, creationTimestamp: CREATED },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.example/web:1.0' }] } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'team-b', creationTimestamp: CREATED },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.example/migrate:1.0' }] } } },
      status: { succeeded: 1 },
    },
  ];
}

const VIEWER_RULES = [
  { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'events'], namespaces: ['team-a'] },
  { verbs: ['get', 'list'], apiGroups: [''], resources: ['nodes'] },
];

interface WatchOutcome {
  events: Array<{ type: string; object: KubeObject }>;
  /** What the client's `done` callback got: null for a clean end. */
  done: unknown;
}

describe('Kubernetes API test server, with @kubernetes/client-node', function () {
  this.timeout(20_000);
  let k8s: ClientNode;
  let server: KubeApiTestServer;
  let admin: K8s.KubeConfig;
  let viewer: K8s.KubeConfig;
  const scratch = mkdtempSync(join(tmpdir(), 'podstart-kube-api-'));

  const load = (yaml: string): K8s.KubeConfig => {
    const config = new k8s.KubeConfig();
    config.loadFromString(yaml);
    return config;
  };

  /** The Status body of an ApiException (client-node keeps it as the raw response text). */
  const statusOf = (error: unknown): Record<string, unknown> => {
    assert.ok(error instanceof k8s.ApiException, `expected an ApiException, got ${String(error)}`);
    return JSON.parse(error.body as string) as Record<string, unknown>;
  };

  /** Watches until `enough` says so (then aborts) or the server ends the stream. */
  const watch = async (
    config: K8s.KubeConfig,
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    enough: (events: WatchOutcome['events']) => boolean = () => false,
    duringWatch: () => void = () => {},
  ): Promise<WatchOutcome> => {
    const events: WatchOutcome['events'] = [];
    let controller: AbortController | undefined;
    let finished = false;
    const done = await new Promise<unknown>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`watch of ${path} got ${JSON.stringify(events.map((e) => e.type))} and no end`)), 10_000);
      const settle = (value: unknown) => {
        finished = true;
        clearTimeout(deadline);
        resolve(value);
      };
      new k8s.Watch(config)
        .watch(
          path,
          query,
          (type, object) => {
            if (finished) return;
            events.push({ type, object });
            if (enough(events)) {
              settle('enough');
              controller?.abort();
            }
          },
          (error) => {
            if (!finished) settle(error);
          },
        )
        .then((started) => {
          controller = started;
          if (finished) started.abort();
          else duringWatch();
        }, reject);
    });
    return { events, done };
  };

  /** A GET with the kubeconfig's TLS settings and credentials, outside the generated client. */
  const rawGet = async (config: K8s.KubeConfig, path: string, timeoutMs = 5_000): Promise<{ status: number; contentType: string; body: string }> => {
    const options: { headers?: Record<string, string> } & Record<string, unknown> = {};
    await config.applyToHTTPSOptions(options as never);
    return new Promise((resolve, reject) => {
      const sent = httpsRequest(`${server.url}${path}`, { ...options, method: 'GET' }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type']), body }));
      });
      sent.setTimeout(timeoutMs, () => sent.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      sent.on('error', reject);
      sent.end();
    });
  };

  before(async () => {
    k8s = await import('@kubernetes/client-node');
    server = new KubeApiTestServer({
      users: [
        { name: 'admin', token: 'admin-token-0c1f', rules: CLUSTER_ADMIN_RULES },
        { name: 'viewer', token: 'viewer-token-77aa', rules: VIEWER_RULES },
      ],
      groupRules: { 'podstart-readers': [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }] },
      objects: clusterObjects(),
      kubelets: {
        'node-1': { configz: KUBELET_CONFIG, metrics: KUBELET_METRICS, paths: { '/metrics/cadvisor': { contentType: 'text/plain; version=0.0.4', body: 'container_cpu_usage_seconds_total 1\n' } } },
        'node-2': { unreachable: true },
      },
    });
    await server.start();
    admin = load(server.kubeconfig({ user: 'admin', namespace: 'team-a' }));
    viewer = load(server.kubeconfig({ user: 'viewer', namespace: 'team-a' }));
  });

  after(async () => {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  afterEach(() => {
    server.clearFaults();
  });

  describe('kubeconfig', () => {
    it('is loaded by KubeConfig.loadFromString with the cluster, user and namespace it names', () => {
      const config = load(server.kubeconfig({ contexts: [{ user: 'admin', namespace: 'team-a' }, { name: 'viewer-b', user: 'viewer', namespace: 'team-b' }], currentContext: 'viewer-b' }));
      assert.equal(config.getCurrentContext(), 'viewer-b');
      assert.deepEqual(config.getContexts().map((context) => [context.name, context.namespace]), [['admin', 'team-a'], ['viewer-b', 'team-b']]);
      assert.equal(config.getCurrentCluster()?.server, server.url);
      assert.equal(Buffer.from(config.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8'), server.caPem);
      assert.equal(config.getCurrentUser()?.token, 'viewer-token-77aa');
    });

    it('with certificate files beside it is loaded by loadFromFile, and the client certificate authenticates', async () => {
      const path = join(scratch, 'with-files', 'config');
      server.writeKubeconfig(path, { user: 'viewer', credential: 'certificate', namespace: 'team-a' }, { certificateFiles: true });
      assert.match(readFileSync(path, 'utf8'), /client-certificate: "viewer-certificate\.crt"/);
      const config = new k8s.KubeConfig();
      config.loadFromFile(path);
      assert.equal(config.getCurrentUser()?.certFile, join(scratch, 'with-files', 'viewer-certificate.crt'));
      server.clearRequests();
      const pods = await config.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a' });
      assert.equal(pods.items.length, 4);
      assert.deepEqual(
        server.requests.map((request) => [request.user, request.authenticatedBy]),
        [['viewer', 'certificate']],
      );
    });
  });

  describe('discovery', () => {
    it('serves /version, /api, /api/v1 and /apis as client-node reads them', async () => {
      const version = await admin.makeApiClient(k8s.VersionApi).getCode();
      assert.deepEqual([version.major, version.minor, version.gitVersion, version.platform], ['1', '34', 'v1.34.1', 'linux/amd64']);
      const core = await admin.makeApiClient(k8s.CoreApi).getAPIVersions();
      assert.deepEqual(core.versions, ['v1']);
      const coreResources = await admin.makeApiClient(k8s.CoreV1Api).getAPIResources();
      assert.equal(coreResources.groupVersion, 'v1');
      assert.deepEqual(
        coreResources.resources.map((resource) => `${resource.name}:${resource.kind}:${resource.namespaced}`),
        ['pods:Pod:true', 'events:Event:true', 'nodes:Node:false', 'nodes/proxy:NodeProxyOptions:false', 'namespaces:Namespace:false'],
      );
      const groups = await admin.makeApiClient(k8s.ApisApi).getAPIVersions();
      assert.deepEqual(groups.groups.map((group) => group.preferredVersion?.groupVersion), ['apps/v1', 'batch/v1', 'events.k8s.io/v1']);
      const apps = await admin.makeApiClient(k8s.AppsV1Api).getAPIResources();
      assert.deepEqual(apps.resources.map((resource) => resource.name), ['deployments', 'replicasets', 'statefulsets', 'daemonsets']);
      const batch = await admin.makeApiClient(k8s.BatchV1Api).getAPIResources();
      assert.deepEqual(batch.resources.map((resource) => [resource.name, resource.shortNames]), [['jobs', undefined], ['cronjobs', ['cj']]]);
    });

    it('answers a resource it does not serve with a NotFound Status, and an unknown group with a plain 404', async () => {
      const unknownResource = await rawGet(admin, '/api/v1/namespaces/team-a/configmaps');
      assert.equal(unknownResource.status, 404);
      assert.deepEqual(JSON.parse(unknownResource.body), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404,
      });
      const unknownGroup = await rawGet(admin, '/apis/example.com/v1/widgets');
      assert.deepEqual([unknownGroup.status, unknownGroup.contentType, unknownGroup.body], [404, 'text/plain; charset=utf-8', '404 page not found\n']);
    });
  });

  describe('get and list', () => {
    it('gets one object with kind and apiVersion, and answers a missing one with NotFound', async () => {
      const apps = admin.makeApiClient(k8s.AppsV1Api);
      const deployment = await apps.readNamespacedDeployment({ name: 'web', namespace: 'team-a' });
      assert.equal(deployment.kind, 'Deployment');
      assert.equal(deployment.apiVersion, 'apps/v1');
      assert.equal(deployment.spec?.replicas, 3);
      assert.match(deployment.metadata?.resourceVersion ?? '', /^\d+$/);
      const missing = await apps.readNamespacedDeployment({ name: 'nope', namespace: 'team-a' }).catch((error: unknown) => error);
      assert.deepEqual(statusOf(missing), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "nope" not found', reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'deployments' }, code: 404,
      });
    });

    it('lists items without kind and apiVersion, sorted by namespace and name, at the current resourceVersion', async () => {
      const body = JSON.parse((await rawGet(admin, '/api/v1/pods')).body) as { kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: KubeObject[] };
      assert.equal(body.kind, 'PodList');
      assert.equal(body.apiVersion, 'v1');
      assert.equal(body.metadata.resourceVersion, server.resourceVersion);
      assert.deepEqual(body.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`), ['team-a/db-0', 'team-a/web-1', 'team-a/web-2', 'team-a/web-3', 'team-b/api-1']);
      assert.deepEqual(body.items.map((item) => [item.kind, item.apiVersion]), Array(5).fill([undefined, undefined]));
      const jobs = await admin.makeApiClient(k8s.BatchV1Api).listJobForAllNamespaces();
      assert.deepEqual(jobs.items.map((job) => `${job.metadata?.namespace}/${job.metadata?.name}`), ['team-b/migrate']);
    });

    const labelCases: Array<[string, string[]]> = [
      ['app=web', ['web-1', 'web-2', 'web-3']],
      ['app==web,tier=frontend', ['web-1', 'web-2']],
      ['tier!=frontend', ['db-0', 'web-3']],
      ['app in (web, db)', ['db-0', 'web-1', 'web-2', 'web-3']],
      ['app notin (web)', ['db-0']],
      ['tier', ['db-0', 'web-1', 'web-2']],
      ['!tier', ['web-3']],
    ];
    for (const [labelSelector, expected] of labelCases) {
      it(`selects pods by the label selector ${labelSelector}`, async () => {
        const pods = await viewer.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a', labelSelector });
        assert.deepEqual(pods.items.map((item) => item.metadata?.name), expected);
      });
    }

    const fieldCases: Array<[string, string[]]> = [
      ['spec.nodeName=node-2', ['web-2']],
      ['status.phase!=Running', ['web-3']],
      ['metadata.name=web-1', ['web-1']],
      ['spec.nodeName=', ['web-3']],
      ['metadata.namespace=team-a,status.phase=Running', ['db-0', 'web-1', 'web-2']],
    ];
    for (const [fieldSelector, expected] of fieldCases) {
      it(`selects pods by the field selector ${fieldSelector}`, async () => {
        const pods = await viewer.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a', fieldSelector });
        assert.deepEqual(pods.items.map((item) => item.metadata?.name), expected);
      });
    }

    it('selects pods of every namespace on a node, with labels and fields together', async () => {
      const pods = await admin.makeApiClient(k8s.CoreV1Api).listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=node-1', labelSelector: 'app!=db' });
      assert.deepEqual(pods.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`), ['team-a/web-1', 'team-b/api-1']);
    });

    it('selects events by involvedObject, reason and type', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      const ofPod = await core.listNamespacedEvent({ namespace: 'team-a', fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.namespace=team-a' });
      assert.deepEqual(ofPod.items.map((item) => item.reason), ['Pulled', 'Pulling']);
      const byUid = await core.listNamespacedEvent({ namespace: 'team-a', fieldSelector: 'involvedObject.uid=uid-web-3' });
      assert.deepEqual(byUid.items.map((item) => item.metadata.name), ['web-3.failed-scheduling']);
      const warnings = await core.listNamespacedEvent({ namespace: 'team-a', fieldSelector: 'type=Warning,reason=FailedScheduling' });
      assert.deepEqual(warnings.items.map((item) => item.message), ['0/2 nodes are available: 2 Insufficient cpu.']);
    });

    it('serves the same events as events.k8s.io/v1, with regarding and note', async () => {
      const events = await admin.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace: 'team-a', fieldSelector: 'regarding.name=web-1,reason=Pulled' });
      assert.equal(events.items.length, 1);
      assert.deepEqual([events.items[0].regarding?.name, events.items[0].note, events.items[0].reportingController, events.items[0].deprecatedCount], [
        'web-1', 'Successfully pulled image "registry.example/web:1.0" in 2.1s (2.1s including waiting). Image size: 31000000 bytes.', 'kubelet', 1,
      ]);
      const rejected = await admin.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace: 'team-a', fieldSelector: 'involvedObject.name=web-1' }).catch((error: unknown) => error);
      assert.equal(statusOf(rejected).message, 'field label not supported: involvedObject.name');
    });

    it('answers a field label the resource does not support, and a selector that does not parse, with 400 BadRequest', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      const unsupported = await core.listNamespacedPod({ namespace: 'team-a', fieldSelector: 'spec.containers.image=nginx' }).catch((error: unknown) => error);
      assert.deepEqual(statusOf(unsupported), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'field label not supported: spec.containers.image', reason: 'BadRequest', code: 400,
      });
      const malformed = await core.listNamespacedPod({ namespace: 'team-a', labelSelector: 'app in web' }).catch((error: unknown) => error);
      assert.equal((malformed as K8s.ApiException<string>).code, 400);
      assert.equal(statusOf(malformed).message, "unable to parse requirement: found 'web', expected: '('");
    });
  });

  describe('pagination', () => {
    it('pages through one consistent snapshot with limit and continue', async () => {
      const core = admin.makeApiClient(k8s.CoreV1Api);
      const first = await core.listPodForAllNamespaces({ limit: 2 });
      assert.deepEqual(first.items.map((item) => item.metadata?.name), ['db-0', 'web-1']);
      assert.equal(first.metadata?.remainingItemCount, 3);
      assert.ok(first.metadata?._continue);
      const snapshot = first.metadata?.resourceVersion;

      // Written between pages: not in this list, whose pages all show the first page's version.
      const added = server.create(pod('team-a', 'web-0', { app: 'web' }, 'node-1', 'Pending'));
      try {
        const second = await core.listPodForAllNamespaces({ limit: 2, _continue: first.metadata?._continue });
        assert.deepEqual(second.items.map((item) => item.metadata?.name), ['web-2', 'web-3']);
        assert.equal(second.metadata?.resourceVersion, snapshot);
        assert.equal(second.metadata?.remainingItemCount, 1);
        const third = await core.listPodForAllNamespaces({ limit: 2, _continue: second.metadata?._continue });
        assert.deepEqual(third.items.map((item) => item.metadata?.name), ['api-1']);
        assert.equal(third.metadata?._continue, undefined);
        assert.equal(third.metadata?.remainingItemCount, undefined);
        const fresh = await core.listPodForAllNamespaces({ limit: 3 });
        assert.deepEqual(fresh.items.map((item) => item.metadata?.name), ['db-0', 'web-0', 'web-1']);
        assert.equal(fresh.metadata?.resourceVersion, added.metadata.resourceVersion);
      } finally {
        server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-0' });
      }
    });

    it('with a selector, pages over the keys: short pages, and no remainingItemCount', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      const pages: Array<{ names: Array<string | undefined>; remaining: number | undefined; more: boolean }> = [];
      let token: string | undefined;
      do {
        const page = await core.listNamespacedPod({ namespace: 'team-a', labelSelector: 'tier=frontend', limit: 1, _continue: token });
        token = page.metadata?._continue;
        pages.push({ names: page.items.map((item) => item.metadata?.name), remaining: page.metadata?.remainingItemCount, more: token !== undefined });
      } while (token);
      // Keys db-0, web-1, web-2, web-3: web-2 fills the second page while web-3 is left to examine.
      assert.deepEqual(pages, [
        { names: ['web-1'], remaining: undefined, more: true },
        { names: ['web-2'], remaining: undefined, more: true },
        { names: [], remaining: undefined, more: false },
      ]);
    });

    it('answers a continue token older than the compacted history with 410 Expired and a fresh token', async () => {
      const core = admin.makeApiClient(k8s.CoreV1Api);
      const first = await core.listNamespacedPod({ namespace: 'team-a', limit: 2 });
      server.update({ ...namespace('team-b'), metadata: { name: 'team-b', labels: { touched: 'yes' } } });
      server.compact();
      const expired = await core.listNamespacedPod({ namespace: 'team-a', limit: 2, _continue: first.metadata?._continue }).catch((error: unknown) => error);
      const status = statusOf(expired);
      assert.deepEqual([status.code, status.reason], [410, 'Expired']);
      assert.match(String(status.message), /^The provided continue parameter is too old to display a consistent list result\./);
      const fresh = (status.metadata as { continue?: string }).continue;
      assert.ok(fresh);
      const rest = await core.listNamespacedPod({ namespace: 'team-a', limit: 2, _continue: fresh });
      assert.deepEqual(rest.items.map((item) => item.metadata?.name), ['web-2', 'web-3']);
      assert.equal(rest.metadata?.resourceVersion, server.resourceVersion);
    });

    it('rejects a continue token together with a resourceVersion, as the API does', async () => {
      const core = admin.makeApiClient(k8s.CoreV1Api);
      const first = await core.listNamespacedPod({ namespace: 'team-a', limit: 1 });
      const rejected = await core.listNamespacedPod({ namespace: 'team-a', limit: 1, _continue: first.metadata?._continue, resourceVersion: '5' }).catch((error: unknown) => error);
      assert.deepEqual([statusOf(rejected).code, statusOf(rejected).message], [400, 'specifying resource version is not allowed when using continue']);
    });
  });

  describe('watch', () => {
    it('from a list resourceVersion, delivers pushed changes with increasing resourceVersions, and bookmarks', async () => {
      const start = server.resourceVersion;
      const outcome = await watch(
        viewer,
        '/api/v1/namespaces/team-a/pods',
        { resourceVersion: start, allowWatchBookmarks: true },
        (events) => events.length === 4,
        () => {
          server.create(pod('team-a', 'web-4', { app: 'web' }, undefined, 'Pending'));
          server.update(pod('team-a', 'web-4', { app: 'web' }, 'node-2', 'Running'));
          server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-4' });
          server.create(pod('team-b', 'elsewhere', { app: 'web' }, undefined, 'Pending'));
          server.sendBookmarks();
        },
      );
      server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-b', name: 'elsewhere' });
      assert.deepEqual(
        outcome.events.map(({ type, object }) => [type, object.metadata.name, (object.spec as { nodeName?: string } | undefined)?.nodeName]),
        [['ADDED', 'web-4', undefined], ['MODIFIED', 'web-4', 'node-2'], ['DELETED', 'web-4', 'node-2'], ['BOOKMARK', undefined, undefined]],
      );
      const versions = outcome.events.map(({ object }) => Number(object.metadata.resourceVersion));
      assert.deepEqual(versions.slice(0, 3), [Number(start) + 1, Number(start) + 2, Number(start) + 3]);
      // The bookmark carries only the type and the version the watch has reached (team-b's pod included).
      assert.deepEqual(outcome.events[3].object, { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(Number(start) + 4) } });
      assert.equal(outcome.events[0].object.kind, 'Pod');
    });

    it('without a resourceVersion, starts with ADDED for what exists; an object leaving the selector is DELETED', async () => {
      const outcome = await watch(
        viewer,
        '/api/v1/namespaces/team-a/pods',
        { labelSelector: 'tier=frontend' },
        (events) => events.length === 3,
        () => server.update(pod('team-a', 'web-2', { app: 'web' }, 'node-2', 'Running')),
      );
      server.update(pod('team-a', 'web-2', { app: 'web', tier: 'frontend' }, 'node-2', 'Running'));
      assert.deepEqual(outcome.events.map(({ type, object }) => `${type} ${object.metadata.name} ${JSON.stringify(object.metadata.labels)}`), [
        'ADDED web-1 {"app":"web","tier":"frontend"}',
        'ADDED web-2 {"app":"web","tier":"frontend"}',
        // The previous content, at the version of the change that took it out of the selection.
        'DELETED web-2 {"app":"web","tier":"frontend"}',
      ]);
    });

    it('from a resourceVersion not reached yet, delivers only the changes after it', async () => {
      const future = String(Number(server.resourceVersion) + 1);
      const outcome = await watch(
        viewer,
        '/api/v1/namespaces/team-a/pods',
        { resourceVersion: future },
        (events) => events.length === 1,
        () => {
          server.create(pod('team-a', 'web-6', { app: 'web' }, undefined, 'Pending'));
          server.create(pod('team-a', 'web-7', { app: 'web' }, undefined, 'Pending'));
        },
      );
      server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-6' });
      server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-7' });
      assert.deepEqual(outcome.events.map(({ type, object }) => `${type} ${object.metadata.name} ${object.metadata.resourceVersion}`), [
        `ADDED web-7 ${Number(future) + 1}`,
      ]);
    });

    it('with sendInitialEvents, ends the initial events with an annotated bookmark', async () => {
      const outcome = await watch(
        viewer,
        '/api/v1/namespaces/team-a/pods',
        { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true, fieldSelector: 'spec.nodeName=node-1' },
        (events) => events.some((event) => event.type === 'BOOKMARK'),
      );
      assert.deepEqual(outcome.events.map(({ type, object }) => `${type} ${object.metadata.name ?? ''}`), ['ADDED db-0', 'ADDED web-1', 'BOOKMARK ']);
      assert.deepEqual(outcome.events[2].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    });

    it('from a compacted resourceVersion, sends one ERROR event with a 410 Expired Status, then ends', async () => {
      const old = server.resourceVersion;
      server.update({ ...namespace('team-b'), metadata: { name: 'team-b', labels: { touched: 'again' } } });
      server.compact();
      const outcome = await watch(viewer, '/api/v1/namespaces/team-a/pods', { resourceVersion: old });
      assert.deepEqual(outcome.events, [
        {
          type: 'ERROR',
          object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${old} (${server.resourceVersion})`, reason: 'Expired', code: 410 },
        },
      ]);
      // client-node reports the end of that stream as a clean close: the 410 is only in the event.
      assert.equal(outcome.done, null);
    });

    it('ends at timeoutSeconds, after a bookmark when bookmarks are allowed', async () => {
      const started = performance.now();
      const outcome = await watch(viewer, '/api/v1/namespaces/team-a/pods', { resourceVersion: server.resourceVersion, timeoutSeconds: 1, allowWatchBookmarks: true });
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 950 && elapsed < 3_000, `ended after ${Math.round(elapsed)} ms`);
      assert.deepEqual(outcome.events.map((event) => event.type), ['BOOKMARK']);
      assert.equal(outcome.done, null);
    });

    it('lets an informer relist after its watch resumes at a compacted version', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      const informer = k8s.makeInformer(viewer, '/api/v1/namespaces/team-a/pods', () => core.listNamespacedPod({ namespace: 'team-a' }));
      const added: string[] = [];
      informer.on('add', (object) => added.push(object.metadata?.name ?? ''));
      server.clearRequests();
      await informer.start();
      try {
        await waitFor(() => server.openWatchCount === 1);
        // Writes elsewhere move the cluster on; compaction leaves the informer's version behind.
        server.update({ ...namespace('team-b'), metadata: { name: 'team-b', labels: { touched: 'thrice' } } });
        server.compact();
        server.endWatches();
        await waitFor(() => server.requests.filter((request) => request.verb === 'list').length === 2 && server.openWatchCount === 1);
        server.create(pod('team-a', 'web-5', { app: 'web' }, undefined, 'Pending'));
        await waitFor(() => added.includes('web-5'));
      } finally {
        await informer.stop().catch(() => {});
        server.delete({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-5' });
      }
      assert.deepEqual(server.requests.map((request) => request.verb), ['list', 'watch', 'watch', 'list', 'watch']);
      assert.deepEqual(added, ['db-0', 'web-1', 'web-2', 'web-3', 'web-5']);
    });
  });

  describe('node proxy', () => {
    it('serves the kubelet configz and metrics through client-node', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      server.setRules('viewer', [...VIEWER_RULES, { verbs: ['get'], apiGroups: [''], resources: ['nodes/proxy'] }]);
      try {
        // Typed as a string, but client-node parses the application/json answer into an object.
        const configz = (await core.connectGetNodeProxyWithPath({ name: 'node-1', path: 'configz' })) as unknown;
        assert.deepEqual(configz, { kubeletconfig: KUBELET_CONFIG });
        const metrics = await core.connectGetNodeProxyWithPath({ name: 'node-1', path: 'metrics' });
        assert.equal(metrics, KUBELET_METRICS);
        // client-node percent-encodes the path: metrics%2Fcadvisor, which the API server decodes.
        const cadvisor = await core.connectGetNodeProxyWithPath({ name: 'node-1', path: 'metrics/cadvisor' });
        assert.equal(cadvisor, 'container_cpu_usage_seconds_total 1\n');
        assert.equal(server.requests.at(-1)?.path, '/api/v1/nodes/node-1/proxy/metrics/cadvisor');
      } finally {
        server.setRules('viewer', VIEWER_RULES);
      }
    });

    it('serves the raw proxy path with the kubelet content types', async () => {
      const configz = await rawGet(admin, '/api/v1/nodes/node-1/proxy/configz');
      assert.deepEqual([configz.status, configz.contentType, JSON.parse(configz.body)], [200, 'application/json', { kubeletconfig: KUBELET_CONFIG }]);
      const metrics = await rawGet(admin, '/api/v1/nodes/https:node-1:10250/proxy/metrics');
      assert.deepEqual([metrics.status, metrics.contentType, metrics.body], [200, 'text/plain; version=0.0.4; charset=utf-8', KUBELET_METRICS]);
      const unknownPath = await rawGet(admin, '/api/v1/nodes/node-1/proxy/nope');
      assert.deepEqual([unknownPath.status, unknownPath.body], [404, '404 page not found\n']);
    });

    it('answers a kubelet that cannot be reached with 503, and a missing node with NotFound', async () => {
      const unreachable = await rawGet(admin, '/api/v1/nodes/node-2/proxy/configz');
      assert.equal(unreachable.status, 503);
      assert.equal(JSON.parse(unreachable.body).message, 'error trying to reach service: dial tcp 10.0.0.12:10250: connect: connection refused');
      const missing = await admin.makeApiClient(k8s.CoreV1Api).connectGetNodeProxyWithPath({ name: 'node-9', path: 'configz' }).catch((error: unknown) => error);
      assert.equal(statusOf(missing).message, 'nodes "node-9" not found');
    });

    it('is forbidden without nodes/proxy, even with access to nodes', async () => {
      const forbidden = await viewer.makeApiClient(k8s.CoreV1Api).connectGetNodeProxyWithPath({ name: 'node-1', path: 'configz' }).catch((error: unknown) => error);
      assert.deepEqual(statusOf(forbidden), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'nodes "node-1" is forbidden: User "viewer" cannot get resource "nodes/proxy" in API group "" at the cluster scope',
        reason: 'Forbidden', details: { name: 'node-1', kind: 'nodes' }, code: 403,
      });
    });
  });

  describe('authentication', () => {
    it('answers a wrong bearer token with 401 Unauthorized (client-node drops the 401 body)', async () => {
      const wrong = load(server.kubeconfig({ user: 'viewer', token: 'revoked-token' }));
      const error = await wrong.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a' }).catch((caught: unknown) => caught);
      assert.ok(error instanceof k8s.ApiException);
      assert.deepEqual([error.code, error.body], [401, undefined]);
      const raw = await rawGet(wrong, '/api/v1/namespaces/team-a/pods');
      assert.deepEqual(JSON.parse(raw.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      assert.equal(server.requests.at(-1)?.user, undefined);
    });

    it('answers a request without credentials, and a certificate from another CA, with 401', async () => {
      const anonymous = load(server.kubeconfig({ user: 'viewer', credential: 'none' }));
      assert.equal((await rawGet(anonymous, '/version')).status, 401);
      const otherAuthority = createCertificateAuthority('someone-else');
      const untrusted = load(server.kubeconfig({ user: 'admin', credential: 'certificate', clientCertificate: otherAuthority.issueClientCertificate('admin', ['system:masters']) }));
      const error = await untrusted.makeApiClient(k8s.CoreV1Api).listNode().catch((caught: unknown) => caught);
      assert.equal((error as K8s.ApiException<unknown>).code, 401);
    });

    it('reads the user and groups of a client certificate from its CN and O', async () => {
      const certificate = server.issueClientCertificate('ci-bot', ['podstart-readers']);
      const config = load(server.kubeconfig({ user: 'ci-bot', credential: 'certificate', clientCertificate: certificate }));
      const deployments = await config.makeApiClient(k8s.AppsV1Api).listDeploymentForAllNamespaces();
      assert.deepEqual(deployments.items.map((item) => item.metadata?.name), ['web']);
      const recorded = server.requests.at(-1);
      assert.deepEqual([recorded?.user, recorded?.groups, recorded?.authenticatedBy], ['ci-bot', ['podstart-readers', 'system:authenticated'], 'certificate']);
    });

    it('with anonymous auth on, serves /version to anyone and forbids the rest to system:anonymous', async () => {
      const open = new KubeApiTestServer({ anonymousAuth: true, objects: clusterObjects() });
      await open.start();
      try {
        const config = load(open.kubeconfig({ user: 'nobody', credential: 'none' }));
        const version = await config.makeApiClient(k8s.VersionApi).getCode();
        assert.equal(version.gitVersion, 'v1.34.1');
        const forbidden = await config.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a' }).catch((error: unknown) => error);
        assert.equal(statusOf(forbidden).message, 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "team-a"');
        const discovery = await config.makeApiClient(k8s.CoreV1Api).getAPIResources().catch((error: unknown) => error);
        assert.equal(statusOf(discovery).message, 'forbidden: User "system:anonymous" cannot get path "/api/v1"');
      } finally {
        await open.stop();
      }
    });
  });

  describe('authorization', () => {
    it('answers 403 with the Status kube-apiserver writes, which client-node keeps as the body', async () => {
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      const otherNamespace = await core.listNamespacedPod({ namespace: 'team-b' }).catch((error: unknown) => error);
      assert.deepEqual(statusOf(otherNamespace), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "team-b"',
        reason: 'Forbidden', details: { kind: 'pods' }, code: 403,
      });
      // A namespace-bound grant does not cover the all-namespaces list.
      const everywhere = await core.listPodForAllNamespaces().catch((error: unknown) => error);
      assert.equal(statusOf(everywhere).message, 'pods is forbidden: User "viewer" cannot list resource "pods" in API group "" at the cluster scope');
      const deployment = await viewer.makeApiClient(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'team-a' }).catch((error: unknown) => error);
      assert.deepEqual(statusOf(deployment).details, { name: 'web', group: 'apps', kind: 'deployments' });
      assert.equal(statusOf(deployment).message, 'deployments.apps "web" is forbidden: User "viewer" cannot get resource "deployments" in API group "apps" in the namespace "team-a"');
    });

    it('applies resourceNames to gets and to lists and watches pinned by metadata.name', async () => {
      server.setRules('viewer', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'], resourceNames: ['web-1'], namespaces: ['team-a'] }]);
      try {
        const core = viewer.makeApiClient(k8s.CoreV1Api);
        assert.equal((await core.readNamespacedPod({ name: 'web-1', namespace: 'team-a' })).metadata?.name, 'web-1');
        const pinned = await core.listNamespacedPod({ namespace: 'team-a', fieldSelector: 'metadata.name=web-1' });
        assert.deepEqual(pinned.items.map((item) => item.metadata?.name), ['web-1']);
        const other = await core.readNamespacedPod({ name: 'web-2', namespace: 'team-a' }).catch((error: unknown) => error);
        assert.equal(statusOf(other).message, 'pods "web-2" is forbidden: User "viewer" cannot get resource "pods" in API group "" in the namespace "team-a"');
        const all = await core.listNamespacedPod({ namespace: 'team-a' }).catch((error: unknown) => error);
        assert.equal(statusOf(all).code, 403);
      } finally {
        server.setRules('viewer', VIEWER_RULES);
      }
    });

    it('records every request, so a test can check that only reads were sent; writes are refused', async () => {
      server.clearRequests();
      await viewer.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a' });
      await viewer.makeApiClient(k8s.CoreV1Api).readNode({ name: 'node-1' });
      assert.deepEqual(server.requests.map((request) => [request.method, request.verb, request.resource, request.namespace ?? '', request.user, request.status]), [
        ['GET', 'list', 'pods', 'team-a', 'viewer', 200],
        ['GET', 'get', 'nodes', '', 'viewer', 200],
      ]);
      assert.ok(!JSON.stringify(server.requests).includes('viewer-token-77aa'), 'no credential is recorded');

      const denied = await viewer.makeApiClient(k8s.CoreV1Api).deleteNamespacedPod({ name: 'web-1', namespace: 'team-a' }).catch((error: unknown) => error);
      assert.equal(statusOf(denied).message, 'pods "web-1" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "team-a"');
      const refused = await admin.makeApiClient(k8s.CoreV1Api).deleteNamespacedPod({ name: 'web-1', namespace: 'team-a' }).catch((error: unknown) => error);
      assert.deepEqual([statusOf(refused).code, statusOf(refused).message], [405, 'delete is not supported on resources of kind "pods"']);
      assert.deepEqual(server.requests.slice(2).map((request) => [request.method, request.verb, request.status]), [['DELETE', 'delete', 403], ['DELETE', 'delete', 405]]);
      assert.ok(server.get({ apiVersion: 'v1', kind: 'Pod', namespace: 'team-a', name: 'web-1' }));
    });
  });

  describe('faults', () => {
    it('a 500 surfaces as an ApiException with the InternalError Status', async () => {
      server.injectFault({ path: '/api/v1/namespaces/*/pods', fault: { kind: 'status', code: 500, message: 'etcdserver: request timed out' } });
      const error = await viewer.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: 'team-a' }).catch((caught: unknown) => caught);
      assert.deepEqual(statusOf(error), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: etcdserver: request timed out', reason: 'InternalError',
        details: { causes: [{ message: 'etcdserver: request timed out' }] }, code: 500,
      });
      assert.deepEqual(server.requests.at(-1)?.faults, ['status']);
    });

    it('applies a fault a given number of times only', async () => {
      const fault = server.injectFault({ path: '/api/v1/nodes', times: 1, fault: { kind: 'status', code: 503 } });
      const core = viewer.makeApiClient(k8s.CoreV1Api);
      assert.equal((await core.listNode().catch((error: unknown) => error) as K8s.ApiException<unknown>).code, 503);
      assert.equal((await core.listNode()).items.length, 2);
      assert.equal(fault.hits, 1);
    });

    it('delays a response', async () => {
      server.injectFault({ path: '/api/v1/nodes/**', fault: { kind: 'delay', ms: 400 } });
      const started = performance.now();
      const configz = await rawGet(admin, '/api/v1/nodes/node-1/proxy/configz');
      assert.equal(configz.status, 200);
      assert.ok(performance.now() - started >= 390);
    });

    it('resets the connection (client-node: a FetchError with code ECONNRESET)', async () => {
      server.injectFault({ path: '/api/v1/nodes', fault: { kind: 'reset' } });
      const error = await viewer.makeApiClient(k8s.CoreV1Api).listNode().catch((caught: unknown) => caught);
      assert.equal((error as { code?: string }).code, 'ECONNRESET');
    });

    it('answers with a body that is not JSON (client-node: a SyntaxError)', async () => {
      server.injectFault({ path: '/api/v1/nodes', fault: { kind: 'garbage' } });
      const error = await viewer.makeApiClient(k8s.CoreV1Api).listNode().catch((caught: unknown) => caught);
      assert.ok(error instanceof SyntaxError);
    });

    it('never answers a hanging request', async () => {
      server.injectFault({ path: '/version', fault: { kind: 'hang' } });
      await assert.rejects(rawGet(admin, '/version', 300), /no answer within 300 ms/);
    });

    it('cuts a watch after N events (client-node: done with ERR_STREAM_PREMATURE_CLOSE)', async () => {
      server.injectFault({ path: '/api/v1/namespaces/team-a/pods', watch: true, fault: { kind: 'drop-watch', afterEvents: 2 } });
      const outcome = await watch(viewer, '/api/v1/namespaces/team-a/pods', {});
      assert.deepEqual(outcome.events.map(({ type, object }) => `${type} ${object.metadata.name}`), ['ADDED db-0', 'ADDED web-1']);
      assert.equal((outcome.done as { code?: string }).code, 'ERR_STREAM_PREMATURE_CLOSE');
    });

    it('fails a watch request with a 500 (client-node: an Error with statusCode, the Status body dropped)', async () => {
      server.injectFault({ path: '/api/v1/namespaces/team-a/pods', watch: true, fault: { kind: 'status', code: 500 } });
      const outcome = await watch(viewer, '/api/v1/namespaces/team-a/pods', {});
      assert.deepEqual([outcome.events, (outcome.done as Error).message, (outcome.done as { statusCode?: number }).statusCode], [[], 'Internal Server Error', 500]);
    });
  });
});

describe('label selector parsing', () => {
  it('matches as Kubernetes does: != and notin also select objects without the label', () => {
    const labels = { app: 'web', replicas: '3' };
    assert.equal(labelsMatch(parseLabelSelector('app=web,replicas>2'), labels), true);
    assert.equal(labelsMatch(parseLabelSelector('replicas<3'), labels), false);
    assert.equal(labelsMatch(parseLabelSelector('tier!=frontend, tier notin (a,b)'), labels), true);
    assert.equal(labelsMatch(parseLabelSelector('example.com/team in (a)'), { 'example.com/team': 'a' }), true);
    assert.deepEqual(parseLabelSelector(''), []);
  });

  it('rejects what labels.Parse rejects', () => {
    for (const selector of ['app in (a', '=web', 'app=web,', '-app=x', 'app>x', 'app=-web']) {
      assert.throws(() => parseLabelSelector(selector), SelectorParseError, selector);
    }
    // An empty value is valid: it selects the label with an empty value.
    assert.equal(labelsMatch(parseLabelSelector('app='), { app: '' }), true);
  });
});

/** Polls until `condition` holds (deadline 5 s): waits for a state, never for a fixed time. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
