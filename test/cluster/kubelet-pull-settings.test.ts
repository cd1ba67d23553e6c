/**
 * A live kubelet's pull settings from /configz, with the defaulting of kubelet-facts.md §1 (serial by
 * default; unset with maxParallelImagePulls ≥ 2 means parallel) shared with the rule
 * kubelet-serial-image-pulls, and the registry limit that fails pulls past its burst (§3).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { kubeletPullSettings, parallelPullsCanExceedRegistryBurst } from '../../core/cluster/kubelet-pull-settings';
import { pullsImagesSerially } from '../../core/kubelet/serial-image-pulls';

const KUBELETS = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout', 'kubelets');
const configz = (node: string) => JSON.parse(readFileSync(path.join(KUBELETS, `${node}.configz.json`), 'utf8')) as Record<string, unknown>;

describe('core/cluster kubelet pull settings', () => {
  it('decides serial pulls as the kubelet defaults them', () => {
    assert.equal(pullsImagesSerially(undefined, undefined, true), true, 'unset: serial by default');
    assert.equal(pullsImagesSerially(undefined, 3, true), false, 'unset with a bound of 3: parallel');
    assert.equal(pullsImagesSerially(undefined, 1, true), true, 'a bound of 1 keeps the default');
    assert.equal(pullsImagesSerially(false, undefined, true), false);
    assert.equal(pullsImagesSerially(true, undefined, false), true);
    assert.equal(pullsImagesSerially(true, 2, true), false, 'the kubelet refuses this pair: it never pulls serially with it');
    assert.equal(pullsImagesSerially(undefined, undefined, false), undefined, 'an overlay: its base decides');
  });

  it('reads a parallel kubelet\'s /configz (node-a)', () => {
    assert.deepEqual(kubeletPullSettings('node-a', configz('node-a')), {
      node: 'node-a',
      serial: false,
      maxParallelImagePulls: 2,
      registryPullQPS: 5,
      registryBurst: 10,
      imageGCHighThresholdPercent: 85,
      imageGCLowThresholdPercent: 80,
      imageMinimumGCAge: '2m0s',
      imageMaximumGCAge: '0s',
      nodeStatusMaxImages: 50,
    });
  });

  it('reads a serial kubelet, and takes the kubelet\'s defaults for fields /configz leaves out', () => {
    const nodeB = kubeletPullSettings('node-b', configz('node-b'));
    assert.deepEqual([nodeB.serial, nodeB.maxParallelImagePulls], [true, 1]);
    assert.deepEqual(kubeletPullSettings('bare', {}), {
      node: 'bare',
      serial: true,
      maxParallelImagePulls: 1,
      registryPullQPS: 5,
      registryBurst: 10,
      imageGCHighThresholdPercent: 85,
      imageGCLowThresholdPercent: 80,
      imageMinimumGCAge: '2m0s',
      imageMaximumGCAge: '0s',
      nodeStatusMaxImages: 50,
    });
    assert.equal(kubeletPullSettings('kind', { serializeImagePulls: false, imageGCHighThresholdPercent: 100, nodeStatusMaxImages: -1 }).nodeStatusMaxImages, -1);
  });

  it('flags parallel pulls that can start more pulls at once than the registry burst', () => {
    const settings = (config: Record<string, unknown>) => kubeletPullSettings('n', config);
    // EKS's default: parallel, no bound, QPS 5 / burst 10.
    assert.equal(parallelPullsCanExceedRegistryBurst(settings({ serializeImagePulls: false })), true);
    assert.equal(parallelPullsCanExceedRegistryBurst(settings({ serializeImagePulls: false, maxParallelImagePulls: 10 })), false, 'a bound of 10 fits the burst of 10');
    assert.equal(parallelPullsCanExceedRegistryBurst(settings({ maxParallelImagePulls: 20 })), true);
    assert.equal(parallelPullsCanExceedRegistryBurst(settings({ serializeImagePulls: false, registryPullQPS: 0 })), false, 'QPS 0: no limit');
    assert.equal(parallelPullsCanExceedRegistryBurst(settings({ serializeImagePulls: true })), false);
  });
});
