/**
 * The kubelet's startup figures from its /metrics, on the fixtures the test API server serves
 * (test/timings/fixtures/deployment-rollout/kubelets/<node>.metrics.txt). Buckets are the kubelet's
 * (pod start: 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60... s; image pull: 1, 5, 10, 20, 30, 60... s;
 * runtime operations: 0.005 × 2.5^k s); each quantile below is worked out from the cumulative counts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubeletStartupMetrics } from '../../core/cluster/kubelet-metrics';

const KUBELETS = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout', 'kubelets');
const metricsOf = (node: string) => kubeletStartupMetrics(readFileSync(path.join(KUBELETS, `${node}.metrics.txt`), 'utf8'));
const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('core/cluster kubelet startup metrics', () => {
  const nodeA = metricsOf('node-a');

  it('estimates the pod start SLI\'s p50 and p95 from its buckets', () => {
    // 40 pods; cumulative: le=1 2, le=2 10, le=3 22, le=4 30, le=5 34, le=6 36, le=8 37, le=10 38, le=20 39, le=30 40.
    // p50: rank 20 → le=3 (22): 2 + (3 - 2) × (20 - 10) / (22 - 10) = 2.8333 s.
    // p95: rank 38 → le=10 (38): 8 + (10 - 8) × (38 - 37) / (38 - 37) = 10 s. Mean: sum 123.4 / 40 = 3.085 s.
    assert.equal(nodeA.podStartSli!.count, 40);
    close(nodeA.podStartSli!.p50!.value, 2 + 10 / 12);
    assert.deepEqual(nodeA.podStartSli!.p95, { value: 10, aboveHighestBound: false });
    close(nodeA.podStartSli!.meanSeconds, 3.085);
  });

  it('reads the pod start duration and the total (pulls included) beside it', () => {
    // pod_start_duration: le=6 17, le=8 20, le=30 37, le=45 39. p50: rank 20 → 6 + 2 × 3/3 = 8 s; p95: rank 38 → 30 + 15 × 1/2 = 37.5 s.
    assert.deepEqual([nodeA.podStart!.count, nodeA.podStart!.p50!.value, nodeA.podStart!.p95!.value], [40, 8, 37.5]);
    close(nodeA.podStart!.meanSeconds, 412.7 / 40);
    // pod_start_total: le=8 15, le=10 20, le=30 36, le=45 39. p50: rank 20 → 8 + 2 × 5/5 = 10 s; p95: rank 38 → 30 + 15 × 2/3 = 40 s.
    assert.deepEqual([nodeA.podStartTotal!.p50!.value, nodeA.podStartTotal!.p95!.value], [10, 40]);
  });

  it('adds up image pulls over the size labels, and keeps each size apart', () => {
    // 10MB-100MB: le=5 4, le=10 6. 100MB-500MB: le=10 1, le=20 3, le=30 8, le=60 10.
    // Together: le=5 4, le=10 7, le=20 9, le=30 14, le=60 16.
    // p50: rank 8 → le=20 (9): 10 + 10 × (8 - 7) / (9 - 7) = 15 s. p95: rank 15.2 → le=60 (16): 30 + 30 × (15.2 - 14) / 2 = 48 s.
    assert.equal(nodeA.imagePull!.count, 16);
    assert.equal(nodeA.imagePull!.p50!.value, 15);
    close(nodeA.imagePull!.p95!.value, 48);
    close(nodeA.imagePull!.meanSeconds, (25 + 212) / 16);
    // 10MB-100MB alone: p50 rank 3 → le=5 (4): 1 + 4 × 3/4 = 4 s; p95 rank 5.7 → le=10: 5 + 5 × 1.7/2 = 9.25 s.
    // 100MB-500MB alone: p50 rank 5 → le=30 (8): 20 + 10 × 2/5 = 24 s; p95 rank 9.5 → le=60 (10): 30 + 30 × 1.5/2 = 52.5 s.
    const bySize = nodeA.imagePull!.bySize;
    assert.deepEqual(Object.keys(bySize), ['10MB-100MB', '100MB-500MB']);
    assert.deepEqual([bySize['10MB-100MB'].count, bySize['100MB-500MB'].count], [6, 10]);
    close(bySize['10MB-100MB'].p50!.value, 4);
    close(bySize['10MB-100MB'].p95!.value, 9.25);
    close(bySize['100MB-500MB'].p50!.value, 24);
    close(bySize['100MB-500MB'].p95!.value, 52.5);
  });

  it('reads the runtime\'s pull_image operations apart from its other operations', () => {
    // 16 pulls: le=3.0517578125 3, le=7.62939453125 6, le=19.073486328125 11, le=47.6837158203125 16.
    // p50: rank 8 → 7.62939453125 + 11.444091796875 × 2/5 = 12.20703125 s.
    // p95: rank 15.2 → 19.073486328125 + 28.6102294921875 × 4.2/5 = 43.1060791015625 s.
    assert.equal(nodeA.runtimePullImage!.count, 16);
    close(nodeA.runtimePullImage!.p50!.value, 12.20703125);
    close(nodeA.runtimePullImage!.p95!.value, 43.1060791015625);
    assert.equal(nodeA.unreadableLines, 0);
  });

  it('leaves out what a kubelet does not serve: no pull observed on node-b', () => {
    const nodeB = metricsOf('node-b');
    // 12 pods: le=1 3, le=2 9, le=3 11, le=4 12. p50: rank 6 → 1 + 1 × 3/6 = 1.5 s; p95: rank 11.4 → 3 + 1 × 0.4/1 = 3.4 s.
    assert.equal(nodeB.podStartSli!.count, 12);
    close(nodeB.podStartSli!.p50!.value, 1.5);
    close(nodeB.podStartSli!.p95!.value, 3.4);
    // The image pull histogram is declared with no series, and no pull_image operation was observed.
    assert.equal(nodeB.imagePull, undefined);
    assert.equal(nodeB.runtimePullImage, undefined);
  });

  it('says nothing of metrics that are absent, and counts unreadable lines', () => {
    assert.deepEqual(kubeletStartupMetrics('# TYPE kubelet_running_pods gauge\nkubelet_running_pods 3\nnot a metric line\n'), { unreadableLines: 1 });
  });
});
