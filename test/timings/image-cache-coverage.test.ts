/**
 * Which nodes already hold a workload's images, from `status.images` of the timing fixtures' five
 * nodes (node-a/b/c of deployment-rollout, batch-node-1/2 of batch), matched by the name the runtime
 * resolves (`redis:7.2.5` is `docker.io/library/redis:7.2.5`), and when a node's absence proves
 * nothing: its list is as long as its kubelet's nodeStatusMaxImages and the image is no larger than
 * the smallest one it lists.
 */
import assert from 'node:assert/strict';
import type { Node } from '../../core/timings';
import { imageCacheCoverage } from '../../core/timings/image-cache-coverage';
import { loadScenario } from './fixtures';

const node = (name: string, images: Array<[string, number]>, extra: { unschedulable?: boolean; ready?: boolean } = {}): Node =>
  ({
    metadata: { name },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: { conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }], images: images.map(([image, sizeBytes]) => ({ names: [`${image.split(':')[0]}@sha256:${'0'.repeat(64)}`, image], sizeBytes })) },
  }) as Node;

describe('core/timings image cache coverage', () => {
  const nodes = [...loadScenario('deployment-rollout').nodes, ...loadScenario('batch').nodes];

  it('counts the schedulable Ready nodes that list each image, by the name the runtime resolves', () => {
    const coverage = imageCacheCoverage(
      ['registry.example.com/shop/api:1.9.0', 'redis:7.2.5', 'fluent/fluent-bit:3.0.4', 'busybox:1.36', 'registry.example.com/shop/web:9.9.9', 'docker.io/library/redis:7.2.5'],
      nodes,
    );
    assert.deepEqual(coverage.nodes, ['batch-node-1', 'batch-node-2', 'node-a', 'node-b', 'node-c']);
    assert.deepEqual(coverage.excluded, []);
    assert.deepEqual(
      coverage.images.map((image) => [image.image, image.presentOn, image.sizeBytes, image.missingOnMost]),
      [
        // 4 of 5 missing: 4 × 2 > 5.
        ['registry.example.com/shop/api:1.9.0', ['node-a'], 312456789, true],
        // Written short; node-b lists docker.io/library/redis:7.2.5.
        ['redis:7.2.5', ['node-b'], 40123456, true],
        // 2 of 5 missing: not most.
        ['fluent/fluent-bit:3.0.4', ['node-a', 'node-b', 'node-c'], 30183744, false],
        ['busybox:1.36', ['batch-node-1', 'batch-node-2'], 2160406, true],
        // On no node: its size is unknown.
        ['registry.example.com/shop/web:9.9.9', [], undefined, true],
      ],
    );
    assert.deepEqual(coverage.images[0].missingOn, ['batch-node-1', 'batch-node-2', 'node-b', 'node-c']);
    assert.equal(coverage.images[0].canonical, 'registry.example.com/shop/api:1.9.0');
    assert.equal(coverage.images[1].canonical, 'docker.io/library/redis:7.2.5');
    // Lists of 3 to 7 images, below the default cap of 50: every absence is proof.
    assert.deepEqual(coverage.images.flatMap((image) => image.possiblyPresentOn), []);
  });

  it('leaves out cordoned and not-Ready nodes, and says why', () => {
    const coverage = imageCacheCoverage(['app:1'], [node('n1', [['app:1', 5]]), node('n2', [], { unschedulable: true }), node('n3', [['app:1', 5]], { ready: false }), { metadata: { name: 'n4' } }]);
    assert.deepEqual(coverage.nodes, ['n1']);
    assert.deepEqual(coverage.excluded, [
      { node: 'n2', reason: 'unschedulable' },
      { node: 'n3', reason: 'not Ready' },
      { node: 'n4', reason: 'not Ready' },
    ]);
    assert.deepEqual(coverage.images[0].missingOn, []);
  });

  it('matches a digest reference by its digest, whatever the tag', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    const coverage = imageCacheCoverage([`registry.example/app:2.0@${digest}`, `registry.example/app@sha256:${'1'.repeat(64)}`], [node('n1', [['registry.example/app:1.0', 7]])]);
    assert.deepEqual(coverage.images.map((image) => image.presentOn), [['n1'], []]);
  });

  it('does not take absence as proof on a node whose list is full, unless the image is larger than the smallest listed', () => {
    const full = node('full', [['big:1', 500_000_000], ['mid:1', 100_000_000], ['small:1', 10_000_000]]);
    const all = node('all', [['big:1', 500_000_000], ['mid:1', 100_000_000], ['small:1', 10_000_000]]);
    const other = node('other', [['fifty:1', 50_000_000], ['tiny:1', 5_000_000]]);
    // full lists 3 images with a cap of 3; all has a cap of -1 (every image listed); other the default 50.
    const coverage = imageCacheCoverage(['fifty:1', 'tiny:1', 'unknown:1'], [full, all, other], { nodeStatusMaxImages: { full: 3, all: -1 } });
    const byImage = Object.fromEntries(coverage.images.map((image) => [image.image, image.possiblyPresentOn]));
    // fifty:1 is 50 MB > 10 MB, the smallest that full lists: it would have been listed.
    assert.deepEqual(byImage['fifty:1'], []);
    // tiny:1 is 5 MB ≤ 10 MB: full may hold it below its cut.
    assert.deepEqual(byImage['tiny:1'], ['full']);
    // unknown:1 has no known size: full may hold it; all lists everything.
    assert.deepEqual(byImage['unknown:1'], ['full']);
    assert.deepEqual(coverage.images[2].missingOn, ['all', 'full', 'other']);
  });
});
