import assert from 'node:assert/strict';
import { parseImageEvent } from '../../core/timings/kubelet-image-messages';

describe('core/timings kubelet image messages', () => {
  it('reads the current Pulled message: pull, pull including waiting, image size', () => {
    assert.deepEqual(
      parseImageEvent('Pulled', 'Successfully pulled image "ghcr.io/actions/actions-runner:latest" in 796ms (1.594s including waiting). Image size: 543804759 bytes.'),
      { kind: 'pulled', image: 'ghcr.io/actions/actions-runner:latest', pullMs: 796, totalMs: 1594, sizeBytes: 543_804_759 },
    );
    assert.deepEqual(parseImageEvent('Pulled', 'Successfully pulled image "registry.example.com/big:1" in 1m2.5s (1m4s including waiting). Image size: 9876543210 bytes.'), {
      kind: 'pulled',
      image: 'registry.example.com/big:1',
      pullMs: 62_500,
      totalMs: 64_000,
      sizeBytes: 9_876_543_210,
    });
  });

  it('reads the Pulled message without the size and the old one with a single duration', () => {
    assert.deepEqual(parseImageEvent('Pulled', 'Successfully pulled image "nginx:1.25" in 2.1s (3.4s including waiting)'), {
      kind: 'pulled',
      image: 'nginx:1.25',
      pullMs: 2100,
      totalMs: 3400,
      sizeBytes: undefined,
    });
    // The old duration was measured from the Pulling event (waiting included), in nanoseconds: truncated to ms.
    assert.deepEqual(parseImageEvent('Pulled', 'Successfully pulled image "busybox" in 2.520453853s'), { kind: 'pulled', image: 'busybox', totalMs: 2520, sizeBytes: undefined });
  });

  it('tells cached images apart, with or without the credential check', () => {
    assert.deepEqual(parseImageEvent('Pulled', 'Container image "nginx:1.14.2" already present on machine'), { kind: 'cached', image: 'nginx:1.14.2' });
    assert.deepEqual(parseImageEvent('Pulled', 'Container image "busybox:1.36" already present on machine and can be accessed by the pod'), { kind: 'cached', image: 'busybox:1.36' });
  });

  it('reads pulling, failures, back-off and pull policy Never', () => {
    assert.deepEqual(parseImageEvent('Pulling', 'Pulling image "registry.k8s.io/metrics-server/metrics-server:v0.8.0"'), { kind: 'pulling', image: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0' });
    assert.deepEqual(parseImageEvent('Failed', 'Failed to pull image "ghcr.io/acme/app:2": pull QPS exceeded'), { kind: 'failed', image: 'ghcr.io/acme/app:2' });
    assert.deepEqual(parseImageEvent('BackOff', 'Back-off pulling image "ghcr.io/acme/app:2"'), { kind: 'backoff', image: 'ghcr.io/acme/app:2' });
    assert.deepEqual(parseImageEvent('BackOff', 'Back-off pulling image "ghcr.io/acme/app:2": ErrImagePull: not found'), { kind: 'backoff', image: 'ghcr.io/acme/app:2' });
    assert.deepEqual(parseImageEvent('ErrImageNeverPull', 'Container image "local/dev:1" is not present with pull policy of Never'), { kind: 'never-pull', image: 'local/dev:1' });
  });

  it('ignores events that are not about images', () => {
    assert.equal(parseImageEvent('BackOff', 'Back-off restarting failed container web in pod web-1_shop(uid)'), undefined);
    assert.equal(parseImageEvent('Failed', 'Error: ImagePullBackOff'), undefined);
    assert.equal(parseImageEvent('Started', 'Started container web'), undefined);
  });
});
