import assert from 'node:assert/strict';
import { describeDuration, parseGoDuration } from '../../core/kubelet/go-duration';

const SECOND = 1e9;

describe('Go durations', () => {
  it('reads what time.ParseDuration accepts', () => {
    const cases: Array<[string, number]> = [
      ['0', 0],
      ['0s', 0],
      ['-0', 0],
      ['2m', 120 * SECOND],
      ['2m0s', 120 * SECOND],
      ['1h30m', 5400 * SECOND],
      ['1.5h', 5400 * SECOND],
      ['.5m', 30 * SECOND],
      ['1.m', 60 * SECOND],
      ['+10s', 10 * SECOND],
      ['-24h', -86400 * SECOND],
      ['168h', 604800 * SECOND],
      ['300ms', 0.3 * SECOND],
      ['10us', 10e3],
      ['10µs', 10e3],
      ['10μs', 10e3],
      ['7ns', 7],
    ];
    for (const [text, nanoseconds] of cases) assert.equal(parseGoDuration(text), nanoseconds, text);
  });

  it('refuses what time.ParseDuration refuses', () => {
    for (const text of ['', '-', '60', '1d', '1 h', 'h', '.', '.s', '1hm', '1h5', '2m0', 'Infinity', '1e3s', '--1s']) {
      assert.equal(parseGoDuration(text), undefined, JSON.stringify(text));
    }
  });

  it('says a duration in words', () => {
    assert.equal(describeDuration(604800 * SECOND), '7 days');
    assert.equal(describeDuration(86400 * SECOND), '1 day');
    assert.equal(describeDuration(36 * 3600 * SECOND), '36 hours');
    assert.equal(describeDuration(5400 * SECOND), '1.5 hours');
    assert.equal(describeDuration(1800 * SECOND), '30 minutes');
    assert.equal(describeDuration(45 * SECOND), '45 seconds');
    assert.equal(describeDuration(-3600 * SECOND), '-1 hour');
  });
});
