/**
 * What the editor knows about one workload's startup at a moment: the figures, or why there are
 * none. The lens title (timings-lens-title.ts) and the waterfall's data (timings-result.ts) are both
 * made from this one value, so they never disagree.
 */
import type { WorkloadTimings } from '../core/timings/workload-timings';
import type { TimingsProblem } from './protocol';

export interface TimingsView {
  workload: { kind: string; name: string; namespace: string };
  source: 'cluster' | 'snapshot';
  /** The kubeconfig context read (or the one the snapshot was taken from). */
  context?: string;
  snapshotFile?: string;
  /** When the data was read (ISO 8601). */
  capturedAt?: string;
  windowMs?: number;
  /** The cluster is being read for the first time: nothing to say yet. */
  loading?: boolean;
  problem?: TimingsProblem;
  /** The problem in full (the API server's message), or what is incomplete about the figures. */
  reason?: string;
  timings?: WorkloadTimings;
}
