/**
 * A workload's cluster facts and their sentences, from a snapshot of the timing fixtures: the five
 * nodes' images, and the kubelets of node-a (parallel, up to 2 pulls), node-b and node-c (serial) with
 * node-c's metrics unread. Each part degrades on its own: nodes refused, the node proxy refused, a
 * snapshot without kubelet reads. Figures: see kubelet-metrics.test.ts and image-cache-coverage.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeClusterFacts } from '../../core/cluster/cluster-facts-text';
import type { ClusterSnapshot, Unavailable } from '../../core/cluster/snapshot';
import { ClusterFactsIndex } from '../../core/cluster/workload-cluster-facts';
import { loadScenario } from '../timings/fixtures';

const KUBELETS = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout', 'kubelets');
const read = (file: string) => readFileSync(path.join(KUBELETS, file), 'utf8');

const WEB_IMAGES = ['registry.example.com/shop/web-migrate:2.4.1', 'fluent/fluent-bit:3.0.4', 'registry.example.com/shop/web:2.4.1'];
const WEB_NODES = ['node-a', 'node-a', 'node-b', 'node-c', 'node-b', 'node-b'];
const NODE_A_METRICS = 'node-a kubelet (all its pods): pod start SLI p50 ~2.8 s, p95 ~10 s (40 pods); image pulls p50 ~15 s, p95 ~48 s (16 pulls)';
const NODE_B_METRICS = 'node-b kubelet (all its pods): pod start SLI p50 ~1.5 s, p95 ~3.4 s (12 pods)';

function snapshot(changes: { unavailable?: Unavailable[]; nodeDetails?: ClusterSnapshot['nodeDetails'] } = {}): ClusterSnapshot {
  const rollout = loadScenario('deployment-rollout');
  const batch = loadScenario('batch');
  return {
    kind: 'PodstartSnapshot',
    version: 1,
    capturedAt: '2025-06-03T09:10:00Z',
    context: 'shop-admin',
    server: 'https://127.0.0.1:6443',
    namespaces: ['shop'],
    objects: { pods: rollout.pods, events: [], replicasets: [], deployments: [], statefulsets: [], daemonsets: [], jobs: [], cronjobs: [], nodes: [...rollout.nodes, ...batch.nodes] },
    nodeDetails: changes.nodeDetails ?? {
      'node-a': { kubeletConfig: JSON.parse(read('node-a.configz.json')), metrics: read('node-a.metrics.txt') },
      'node-b': { kubeletConfig: JSON.parse(read('node-b.configz.json')), metrics: read('node-b.metrics.txt') },
      'node-c': { kubeletConfig: JSON.parse(read('node-c.configz.json')) },
    },
    unavailable: changes.unavailable ?? [{ resource: 'nodes/proxy', node: 'node-c', path: 'metrics', kind: 'not-found', message: '/api/v1/nodes/node-c/proxy/metrics: not found (HTTP 404).' }],
  } as unknown as ClusterSnapshot;
}

const forbiddenProxy = (node: string, readPath: 'configz' | 'metrics'): Unavailable => ({
  resource: 'nodes/proxy',
  node,
  path: readPath,
  kind: 'forbidden',
  message: `/api/v1/nodes/${node}/proxy/${readPath}: nodes "${node}" is forbidden: User "viewer" cannot get resource "nodes/proxy" in API group "" at the cluster scope (HTTP 403).`,
});

describe('core/cluster workload cluster facts', () => {
  it('describes a Deployment whose images are on 3 of 5 nodes and whose pods ran on serial and parallel kubelets', () => {
    const facts = new ClusterFactsIndex(snapshot()).forWorkload({ images: WEB_IMAGES, nodes: WEB_NODES });
    assert.equal(facts.kubeletScope, 'workload-nodes');
    assert.deepEqual(facts.kubelets.map((kubelet) => [kubelet.node, kubelet.pullSettings?.readable, kubelet.startupMetrics?.readable]), [
      ['node-a', true, true],
      ['node-b', true, true],
      ['node-c', true, false],
    ]);
    assert.deepEqual(describeClusterFacts(facts), [
      // Each of the three images is on node-a, node-b and node-c, not on the batch nodes.
      'all 3 images are on at least 3 of 5 nodes',
      // node-b and node-c have serializeImagePulls: true; node-a false with maxParallelImagePulls: 2.
      '2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)',
      NODE_A_METRICS,
      NODE_B_METRICS,
      'kubelet metrics of node-c: not readable (not found)',
    ]);
  });

  it('flags an image missing on most nodes with its size and pull time at 100 Mbit/s', () => {
    const index = new ClusterFactsIndex(snapshot());
    // api:1.9.0 is on node-a only: 312456789 B → 312 MB; × 8 / 100e6 = 24.997 s → "25 s".
    assert.deepEqual(describeClusterFacts(index.forWorkload({ images: ['registry.example.com/shop/api:1.9.0'], nodes: ['node-a'] })), [
      'image registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-b, node-c): about 25 s to pull at 100 Mbit/s',
      'node-a pulls images in parallel, up to 2 at a time',
      NODE_A_METRICS,
    ]);
    // redis:7.2.5 (docker.io/library/redis) is on node-b only: 40123456 B → 40 MB; × 8 / 100e6 = 3.21 s → "3.2 s".
    assert.deepEqual(describeClusterFacts(index.forWorkload({ images: ['redis:7.2.5'], nodes: ['node-b'] })), [
      'image redis:7.2.5 (40 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-a, node-c): about 3.2 s to pull at 100 Mbit/s',
      'node-b pulls images one at a time',
      NODE_B_METRICS,
    ]);
  });

  it('summarises the images cached widely beside the one flagged', () => {
    const lines = describeClusterFacts(new ClusterFactsIndex(snapshot()).forWorkload({ images: ['registry.example.com/shop/api:1.9.0', ...WEB_IMAGES], nodes: [] }));
    assert.deepEqual(lines.slice(0, 2), [
      'image registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-b, node-c): about 25 s to pull at 100 Mbit/s',
      'the other 3 images are on at least 3 of 5 nodes',
    ]);
  });

  it('warns of parallel pulls that the registry limit turns into "pull QPS exceeded" (EKS\'s default)', () => {
    const details = snapshot().nodeDetails;
    // serializeImagePulls false and no maxParallelImagePulls: no bound; registryPullQPS 5, registryBurst 10 as configz gives them.
    const { maxParallelImagePulls: _bound, ...unbounded } = details['node-a'].kubeletConfig as Record<string, unknown>;
    details['node-a'] = { ...details['node-a'], kubeletConfig: unbounded };
    const facts = new ClusterFactsIndex(snapshot({ nodeDetails: details })).forWorkload({ images: [], nodes: ['node-a'] });
    assert.deepEqual(describeClusterFacts(facts).slice(0, 2), [
      'node-a pulls images in parallel, without a bound',
      'node-a pulls in parallel without a bound, but its registry limit (registryPullQPS 5, registryBurst 10) lets at most 10 pulls start at once: the others fail with "pull QPS exceeded" and back off for at least 10 s',
    ]);
  });

  it('uses the link speed given, and says when no node knows an image', () => {
    const index = new ClusterFactsIndex(snapshot(), { linkSpeedMbps: 1000 });
    // 312456789 × 8 / 1000e6 = 2.4997 s → "2.5 s".
    assert.match(describeClusterFacts(index.forWorkload({ images: ['registry.example.com/shop/api:1.9.0'], nodes: [] }))[0], /: about 2\.5 s to pull at 1000 Mbit\/s$/);
    const unknown = describeClusterFacts(index.forWorkload({ images: ['registry.example.com/shop/web:3.0.0', 'registry.example.com/shop/web:2.4.1'], nodes: [] }));
    assert.deepEqual(unknown.slice(0, 2), ['image registry.example.com/shop/web:3.0.0 is on none of the 5 nodes; its size is unknown (no node lists it)', 'image registry.example.com/shop/web:2.4.1 is on 3 of 5 nodes']);
  });

  it('describes the pull settings of every kubelet read when the workload has no pods yet, without their node-wide metrics', () => {
    const facts = new ClusterFactsIndex(snapshot()).forWorkload({ images: [], nodes: [] });
    assert.equal(facts.kubeletScope, 'all-nodes-read');
    assert.equal(facts.kubelets.length, 3);
    assert.deepEqual(describeClusterFacts(facts), ['2 of 3 nodes read pull images one at a time (node-b, node-c)']);
  });

  it('says "not readable (RBAC)" for nodes the user may not list, and still gives the kubelet facts', () => {
    const refused: Unavailable = { resource: 'nodes', kind: 'forbidden', message: '/api/v1/nodes: nodes is forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope (HTTP 403).' };
    const facts = new ClusterFactsIndex(snapshot({ unavailable: [refused] })).forWorkload({ images: WEB_IMAGES, nodes: ['node-a'] });
    assert.deepEqual(facts.imageCache, { readable: false, forbidden: true, reason: 'RBAC', message: refused.message });
    assert.deepEqual(describeClusterFacts(facts), ['image cache: nodes not readable (RBAC)', 'node-a pulls images in parallel, up to 2 at a time', NODE_A_METRICS]);
  });

  it('says "not readable (RBAC)" for kubelets behind a refused node proxy, and still gives the image facts', () => {
    const unavailable = ['node-a', 'node-b', 'node-c'].flatMap((node) => [forbiddenProxy(node, 'configz'), forbiddenProxy(node, 'metrics')]);
    const facts = new ClusterFactsIndex(snapshot({ unavailable, nodeDetails: { 'node-a': {}, 'node-b': {}, 'node-c': {} } })).forWorkload({ images: ['registry.example.com/shop/api:1.9.0'], nodes: WEB_NODES });
    assert.equal(facts.kubelets[0].pullSettings?.readable, false);
    assert.deepEqual(describeClusterFacts(facts), [
      'image registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes (batch-node-1, batch-node-2, node-b, node-c): about 25 s to pull at 100 Mbit/s',
      'kubelet configuration and metrics of node-a, node-b, node-c: not readable (RBAC)',
    ]);
  });

  it('says nothing of kubelets when the snapshot did not read them', () => {
    const index = new ClusterFactsIndex(snapshot({ unavailable: [], nodeDetails: {} }));
    assert.equal(index.kubeletsRead, false);
    const facts = index.forWorkload({ images: WEB_IMAGES, nodes: WEB_NODES });
    assert.deepEqual(facts.kubelets.map((kubelet) => [kubelet.pullSettings, kubelet.startupMetrics]), [
      [undefined, undefined],
      [undefined, undefined],
      [undefined, undefined],
    ]);
    assert.deepEqual(describeClusterFacts(facts), ['all 3 images are on at least 3 of 5 nodes']);
  });

  it('takes the image cap of each node from its kubelet configuration, and says where an image may be unlisted', () => {
    // node-c lists 4 images, the smallest pause:3.10 (320368 B). With nodeStatusMaxImages 4 its list is full:
    // busybox:1.36 (2160406 B, known from the batch nodes) is larger, so its absence on node-c is still proof;
    // an image no node lists has no known size, so node-c may hold it below the cut.
    const details = snapshot().nodeDetails;
    details['node-c'] = { kubeletConfig: { ...details['node-c'].kubeletConfig, nodeStatusMaxImages: 4 } };
    const facts = new ClusterFactsIndex(snapshot({ nodeDetails: details, unavailable: [] })).forWorkload({ images: ['busybox:1.36', 'registry.example.com/shop/sidecar:0.1.0'], nodes: [] });
    assert.ok(facts.imageCache.readable);
    assert.deepEqual(facts.imageCache.value.images.map((image) => image.possiblyPresentOn), [[], ['node-c']]);
    // busybox: 2160406 B → 2.2 MB; × 8 / 100e6 = 0.17 s → "0.2 s".
    assert.deepEqual(describeClusterFacts(facts).slice(0, 2), [
      'image busybox:1.36 (2.2 MB) is missing on 3 of 5 nodes (node-a, node-b, node-c): about 0.2 s to pull at 100 Mbit/s',
      'image registry.example.com/shop/sidecar:0.1.0 is on none of the 5 nodes (node-c may hold it unlisted: a full image list shows only the largest images); its size is unknown (no node lists it)',
    ]);
  });
});
