import assert from 'node:assert/strict';
import { clip, measure, subtract, union } from '../../core/timings/intervals';

describe('core/timings intervals', () => {
  it('merges overlapping and touching intervals, as the kubelet merges overlapping pull sessions', () => {
    // The kubelet's own test case (pod_startup_latency_tracker_test.go): pulls 0.5-1.5, 4.2-5.2,
    // 7.2-8.2 and 7.3-8.5 s take 1 + 1 + (8.5 - 7.2) = 3.3 s.
    const pulls = [
      { start: 500, end: 1500 },
      { start: 4200, end: 5200 },
      { start: 7200, end: 8200 },
      { start: 7300, end: 8500 },
    ];
    assert.deepEqual(union(pulls), [
      { start: 500, end: 1500 },
      { start: 4200, end: 5200 },
      { start: 7200, end: 8500 },
    ]);
    assert.equal(measure(pulls), 3300);
    assert.deepEqual(union([{ start: 5, end: 9 }, { start: 1, end: 5 }, { start: 3, end: 3 }]), [{ start: 1, end: 9 }]);
  });

  it('clips to a window and subtracts one set from another', () => {
    assert.deepEqual(clip([{ start: 0, end: 10 }, { start: 12, end: 20 }, { start: 30, end: 40 }], 5, 15), [
      { start: 5, end: 10 },
      { start: 12, end: 15 },
    ]);
    assert.deepEqual(subtract([{ start: 0, end: 10 }], [{ start: 2, end: 3 }, { start: 5, end: 7 }, { start: 9, end: 12 }]), [
      { start: 0, end: 2 },
      { start: 3, end: 5 },
      { start: 7, end: 9 },
    ]);
    assert.deepEqual(subtract([{ start: 0, end: 10 }], [{ start: -5, end: 15 }]), []);
    assert.deepEqual(subtract([{ start: 0, end: 4 }, { start: 6, end: 8 }], []), [
      { start: 0, end: 4 },
      { start: 6, end: 8 },
    ]);
  });
});
