import assert from 'node:assert/strict';
import { estimatePullSeconds, formatByteSize } from '../../core/registry/pull-estimate';

describe('core/registry/pull-estimate', () => {
  it('estimates the transfer time at a link speed (decimal units)', () => {
    assert.equal(estimatePullSeconds(1_200_000_000, 100), 96, '1.2 GB at 100 Mbit/s');
    assert.equal(estimatePullSeconds(200_000_000, 1000), 1.6, '200 MB at 1 Gbit/s');
    assert.equal(estimatePullSeconds(1, 0), Number.POSITIVE_INFINITY);
  });

  it('formats sizes as registries and users count them', () => {
    assert.equal(formatByteSize(1_234_567_890), '1.2 GB');
    assert.equal(formatByteSize(48_200_000), '48 MB');
    assert.equal(formatByteSize(5_120), '5.1 kB');
    assert.equal(formatByteSize(999), '999 B');
    assert.equal(formatByteSize(215_000_000), '215 MB');
  });
});
