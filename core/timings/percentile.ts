/**
 * Nearest-rank percentile: the smallest value such that at least p % of the sample is less than or equal
 * to it, i.e. the value at rank ceil(p/100 * n) of the sorted sample (1-based). It is always one of the
 * observed values (no interpolation), so "p95 12.8 s" names a real pod's time. With 5 pods, p50 is the
 * 3rd fastest and p95 the slowest. (p * n is computed before the division, so 95 % of 20 is rank 19, not 20 by float error.)
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.min(sortedAscending.length, Math.max(1, Math.ceil((p * sortedAscending.length) / 100)));
  return sortedAscending[rank - 1];
}
