/**
 * A Prometheus histogram read back from its text samples, and quantiles estimated from its buckets
 * the way PromQL's histogram_quantile() does for classic histograms (promql/quantile.go,
 * bucketQuantile): buckets sorted by upper bound, equal bounds merged, counts made monotonic, then
 * linear interpolation inside the bucket where the rank falls, from 0 for the lowest bucket. When
 * the rank falls in the +Inf bucket, PromQL returns the highest finite bound; here that is said
 * (`aboveHighestBound`) so a reader sees "over 3600 s" rather than a made-up figure.
 *
 * An estimate, not a measurement: it is only as fine as the buckets (the kubelet's pod start
 * buckets jump from 10 s to 20 s to 30 s).
 */
import { parseGoFloat, type MetricFamily } from './prometheus-text';

export interface HistogramBucket {
  /** The `le` bound, in the metric's unit; +Inf for the last. */
  upperBound: number;
  /** Cumulative count of observations ≤ upperBound. */
  count: number;
}

export interface Histogram {
  buckets: HistogramBucket[];
  /** `x_count`, or the +Inf bucket's count when `x_count` is missing. */
  count: number;
  /** `x_sum`, when given. */
  sum?: number;
}

export interface QuantileEstimate {
  value: number;
  /** The rank fell in the +Inf bucket: the quantile is above `value`, the highest finite bound. */
  aboveHighestBound: boolean;
}

/**
 * The histogram of a family's series whose labels pass `select` (all by default), added up per
 * bucket bound: `sum by (le)` over them, as several label sets (`image_size_in_bytes="0-10MB"`,
 * `"10MB-100MB"`...) make one distribution. Undefined when no series has buckets.
 */
export function histogramOf(family: MetricFamily | undefined, select: (labels: Record<string, string>) => boolean = () => true): Histogram | undefined {
  if (!family || family.type !== 'histogram') return undefined;
  const byBound = new Map<number, number>();
  let count = 0;
  let sum: number | undefined;
  let sawCount = false;
  for (const sample of family.samples) {
    if (!select(sample.labels)) continue;
    if (sample.name === `${family.name}_bucket`) {
      const bound = sample.labels.le === undefined ? undefined : parseGoFloat(sample.labels.le);
      if (bound === undefined || Number.isNaN(bound)) continue;
      byBound.set(bound, (byBound.get(bound) ?? 0) + sample.value);
    } else if (sample.name === `${family.name}_count`) {
      count += sample.value;
      sawCount = true;
    } else if (sample.name === `${family.name}_sum`) {
      sum = (sum ?? 0) + sample.value;
    }
  }
  if (byBound.size === 0) return undefined;
  const buckets = [...byBound].map(([upperBound, bucketCount]) => ({ upperBound, count: bucketCount })).sort((a, b) => a.upperBound - b.upperBound);
  const infinite = buckets[buckets.length - 1];
  return { buckets, count: sawCount ? count : infinite.upperBound === Number.POSITIVE_INFINITY ? infinite.count : 0, sum };
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of a histogram, as histogram_quantile(q, ...) computes it. Undefined
 * when PromQL gives NaN: no observations, fewer than two buckets, or no +Inf bucket.
 */
export function estimateQuantile(q: number, histogram: Histogram): QuantileEstimate | undefined {
  if (!(q >= 0 && q <= 1)) return undefined;
  const buckets = monotonic(histogram.buckets);
  if (buckets.length < 2 || buckets[buckets.length - 1].upperBound !== Number.POSITIVE_INFINITY) return undefined;
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return undefined;
  let rank = q * observations;
  // The first bucket, among all but the +Inf one, whose cumulative count reaches the rank (sort.Search).
  let index = buckets.findIndex((bucket, position) => position < buckets.length - 1 && bucket.count >= rank);
  if (index === -1) index = buckets.length - 1;
  if (index === buckets.length - 1) return { value: buckets[buckets.length - 2].upperBound, aboveHighestBound: true };
  if (index === 0 && buckets[0].upperBound <= 0) return { value: buckets[0].upperBound, aboveHighestBound: false };
  let start = 0;
  let inBucket = buckets[index].count;
  if (index > 0) {
    start = buckets[index - 1].upperBound;
    inBucket -= buckets[index - 1].count;
    rank -= buckets[index - 1].count;
  }
  return { value: start + (buckets[index].upperBound - start) * (rank / inBucket), aboveHighestBound: false };
}

/** Sorted buckets with equal bounds merged and counts never decreasing (PromQL's coalesceBuckets and ensureMonotonic). */
function monotonic(input: readonly HistogramBucket[]): HistogramBucket[] {
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  const merged: HistogramBucket[] = [];
  for (const bucket of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.upperBound === bucket.upperBound) last.count += bucket.count;
    else merged.push({ ...bucket });
  }
  let highest = merged[0]?.count ?? 0;
  for (const bucket of merged) {
    if (bucket.count < highest) bucket.count = highest;
    else highest = bucket.count;
  }
  return merged;
}
