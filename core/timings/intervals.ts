/**
 * Half-open time intervals in epoch milliseconds, and the set operations the phase figures need: the
 * union of overlapping pulls (so parallel pulls are not counted twice), clipping to a window, and the
 * part of one set not covered by another.
 */
export interface Interval {
  start: number;
  end: number;
}

/** Sorted, non-overlapping union of `intervals`; empty and inverted ones are dropped. */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.end > interval.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ start: interval.start, end: interval.end });
  }
  return merged;
}

/** Total length of a union (intervals may overlap; they are merged first). */
export function measure(intervals: readonly Interval[]): number {
  return union(intervals).reduce((sum, interval) => sum + interval.end - interval.start, 0);
}

/** The parts of `intervals` inside [from, to]. */
export function clip(intervals: readonly Interval[], from: number, to: number): Interval[] {
  const clipped: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (end > start) clipped.push({ start, end });
  }
  return clipped;
}

/** The parts of `intervals` that `removed` does not cover, as a sorted union. */
export function subtract(intervals: readonly Interval[], removed: readonly Interval[]): Interval[] {
  const cuts = union(removed);
  const result: Interval[] = [];
  for (const interval of union(intervals)) {
    let cursor = interval.start;
    for (const cut of cuts) {
      if (cut.end <= cursor) continue;
      if (cut.start >= interval.end) break;
      if (cut.start > cursor) result.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
      if (cursor >= interval.end) break;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
  }
  return result;
}
