import assert from 'node:assert/strict';
import { parseGoDuration, parseTime } from '../../core/timings/timestamps';

describe('core/timings timestamps', () => {
  it('reads API times: whole seconds, microseconds (kept to the millisecond), other layouts through Date.parse', () => {
    assert.equal(parseTime('2025-06-03T09:00:01Z'), Date.UTC(2025, 5, 3, 9, 0, 1));
    assert.equal(parseTime('2025-06-03T09:00:01.214503Z'), Date.UTC(2025, 5, 3, 9, 0, 1, 214));
    assert.equal(parseTime('2025-06-03T09:00:01.2Z'), Date.UTC(2025, 5, 3, 9, 0, 1, 200));
    assert.equal(parseTime('2025-06-03T09:00:01.21Z'), Date.UTC(2025, 5, 3, 9, 0, 1, 210));
    assert.equal(parseTime('2024-02-29T23:59:59.999999Z'), Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    assert.equal(parseTime('2025-06-03T11:00:01+02:00'), Date.UTC(2025, 5, 3, 9, 0, 1));
    assert.equal(parseTime(null), undefined);
    assert.equal(parseTime(''), undefined);
    assert.equal(parseTime('yesterday'), undefined);
  });

  it('reads Go durations as the kubelet prints them', () => {
    assert.equal(parseGoDuration('313ms'), 313);
    assert.equal(parseGoDuration('1.594s'), 1594);
    assert.equal(parseGoDuration('1m2.345s'), 62_345);
    assert.equal(parseGoDuration('1h0m5s'), 3_605_000);
    assert.equal(parseGoDuration('4.209136582s'), 4209.136582);
    assert.equal(parseGoDuration('850µs'), 0.85);
    assert.equal(parseGoDuration('0s'), 0);
    assert.equal(parseGoDuration('fast'), undefined);
    assert.equal(parseGoDuration('1.5'), undefined);
  });
});
