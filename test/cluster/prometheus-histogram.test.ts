/**
 * Quantiles from histogram buckets, as PromQL's histogram_quantile() computes them: rank = q × count,
 * the first bucket whose cumulative count reaches the rank, linear interpolation inside it (from 0 in
 * the lowest bucket), the highest finite bound when the rank falls in +Inf. Every expected value is
 * worked out in the comment beside it.
 */
import assert from 'node:assert/strict';
import { estimateQuantile, histogramOf, type Histogram } from '../../core/cluster/prometheus-histogram';
import { parsePrometheusText } from '../../core/cluster/prometheus-text';

const histogram = (pairs: Array<[number, number]>): Histogram => ({ buckets: pairs.map(([upperBound, count]) => ({ upperBound, count })), count: pairs[pairs.length - 1][1] });

describe('core/cluster Prometheus histogram quantiles', () => {
  // The specification's example histogram: 144320 requests.
  const requests = histogram([[0.05, 24054], [0.1, 33444], [0.2, 100392], [0.5, 129389], [1, 133988], [Infinity, 144320]]);

  it('interpolates inside the bucket where the rank falls', () => {
    // p50: rank 0.5 × 144320 = 72160, first reached at le=0.2 (100392); the bucket holds 100392 - 33444 = 66948,
    // the rank is 72160 - 33444 = 38716 into it: 0.1 + (0.2 - 0.1) × 38716 / 66948 = 0.157830...
    assert.ok(Math.abs(estimateQuantile(0.5, requests)!.value - (0.1 + (0.1 * 38716) / 66948)) < 1e-12);
    assert.equal(estimateQuantile(0.5, requests)!.aboveHighestBound, false);
    // p90: rank 129888, first reached at le=1 (133988): 0.5 + 0.5 × (129888 - 129389) / (133988 - 129389) = 0.5 + 0.5 × 499 / 4599.
    assert.ok(Math.abs(estimateQuantile(0.9, requests)!.value - (0.5 + (0.5 * 499) / 4599)) < 1e-12);
  });

  it('interpolates from 0 in the lowest bucket', () => {
    // p10: rank 14432 ≤ 24054 in le=0.05: 0 + 0.05 × 14432 / 24054 = 0.029999...
    assert.ok(Math.abs(estimateQuantile(0.1, requests)!.value - (0.05 * 14432) / 24054) < 1e-15);
  });

  it('says "above the highest bound" when the rank falls in the +Inf bucket', () => {
    // p95: rank 137104 > 133988 (le=1): the +Inf bucket; PromQL answers the highest finite bound, 1.
    assert.deepEqual(estimateQuantile(0.95, requests), { value: 1, aboveHighestBound: true });
  });

  it('returns a bucket\'s bound exactly when the rank equals its cumulative count', () => {
    // 4 observations: le=1 holds 2, le=2 holds 2 more. p50: rank 2 = count of le=1: 0 + 1 × 2/2 = 1.
    assert.deepEqual(estimateQuantile(0.5, histogram([[1, 2], [2, 4], [Infinity, 4]])), { value: 1, aboveHighestBound: false });
  });

  it('gives nothing where PromQL gives NaN: no observations, no +Inf bucket, a single bucket, q out of range', () => {
    assert.equal(estimateQuantile(0.5, histogram([[1, 0], [Infinity, 0]])), undefined);
    assert.equal(estimateQuantile(0.5, histogram([[1, 3], [2, 5]])), undefined);
    assert.equal(estimateQuantile(0.5, histogram([[Infinity, 5]])), undefined);
    assert.equal(estimateQuantile(1.5, requests), undefined);
  });

  it('sorts the buckets and makes counts monotonic, as PromQL does with inconsistent data', () => {
    // Given out of order with le=2 below le=1 (5 < 6): le=2 is raised to 6. p50: rank 4 in le=1 (6): 1 × 4/6.
    const estimate = estimateQuantile(0.5, histogram([[2, 5], [1, 6], [Infinity, 8]]));
    assert.ok(Math.abs(estimate!.value - 4 / 6) < 1e-15);
  });

  it('adds up the series of a family per bound (sum by le), with _sum and _count', () => {
    const { families } = parsePrometheusText(
      [
        '# TYPE pulls histogram',
        'pulls_bucket{size="small",le="5"} 4',
        'pulls_bucket{size="small",le="10"} 6',
        'pulls_bucket{size="small",le="+Inf"} 6',
        'pulls_sum{size="small"} 25',
        'pulls_count{size="small"} 6',
        'pulls_bucket{size="large",le="5"} 0',
        'pulls_bucket{size="large",le="10"} 1',
        'pulls_bucket{size="large",le="+Inf"} 10',
        'pulls_sum{size="large"} 212',
        'pulls_count{size="large"} 10',
      ].join('\n'),
    );
    assert.deepEqual(histogramOf(families.get('pulls')), { buckets: [{ upperBound: 5, count: 4 }, { upperBound: 10, count: 7 }, { upperBound: Infinity, count: 16 }], count: 16, sum: 237 });
    assert.deepEqual(histogramOf(families.get('pulls'), (labels) => labels.size === 'large'), { buckets: [{ upperBound: 5, count: 0 }, { upperBound: 10, count: 1 }, { upperBound: Infinity, count: 10 }], count: 10, sum: 212 });
    assert.equal(histogramOf(families.get('pulls'), (labels) => labels.size === 'none'), undefined);
  });
});
