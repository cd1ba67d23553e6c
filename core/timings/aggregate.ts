/**
 * A workload's start over its recent pods: how long its pods take (p50/p95, nearest rank), the kubelet
 * SLI beside it, which phase the time goes to, and which pods are slowest or stuck.
 *
 * The milestone is Ready for long-running workloads and "all containers started" for Jobs and CronJobs,
 * whose pods run to completion (a finished pod's Ready condition is False with reason PodCompleted,
 * and when it was first True is lost).
 *
 * Phase shares are time-weighted: the sum of each phase over the pods that reached the milestone with
 * every phase known, divided by the sum of their times, so that slow pods weigh as much as they cost.
 * Pods whose image events expired are left out of the shares (not counted as zero pull) but kept in the
 * percentiles.
 */
import { nearestRank } from './percentile';
import type { SliExclusion } from './kubelet-sli';
import type { PodStartup } from './pod-startup';
import { PHASES, type PhaseName, type PodStartState } from './pod-timeline';

export type Milestone = 'ready' | 'running';

export function defaultMilestone(workloadKind: string): Milestone {
  return workloadKind === 'Job' || workloadKind === 'CronJob' ? 'running' : 'ready';
}

export interface DurationStats {
  count: number;
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
}

export interface SlowPod {
  name: string;
  nodeName?: string;
  durationMs: number;
  /** The phase that took longest in this pod (undefined when its pull time is unknown). */
  dominantPhase?: PhaseName;
}

export interface StuckPod {
  name: string;
  state: PodStartState;
  stuckIn?: PhaseName;
  /** Unschedulable reason, or the waiting reason of the first container not started. */
  reason?: string;
}

export interface WorkloadStartupSummary {
  milestone: Milestone;
  podCount: number;
  /** Pods that reached the milestone. */
  reached: number;
  timeToMilestone: DurationStats;
  sli: DurationStats & { excluded: Partial<Record<SliExclusion, number>> };
  /** Fraction (0..1) of the time-to-milestone spent in each phase; sums to 1. */
  phaseShare: Partial<Record<PhaseName, number>>;
  /** Pods the shares are computed over. */
  phaseSharePods: number;
  dominantPhase?: PhaseName;
  /** Slowest first. */
  slowest: SlowPod[];
  /** Pods that have not reached the milestone. */
  stuck: StuckPod[];
  flags: { clockSkew: number; pullUnknown: number; restarted: number; unschedulable: number };
}

export interface SummaryOptions {
  milestone?: Milestone;
  /** How many slowest pods to list (5). */
  slowest?: number;
}

function stats(values: number[]): DurationStats {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: nearestRank(sorted, 50), p95Ms: nearestRank(sorted, 95), maxMs: sorted[sorted.length - 1] };
}

function durationOf(pod: PodStartup, milestone: Milestone): number | undefined {
  return milestone === 'ready' ? pod.timeToReadyMs : pod.timeToRunningMs;
}

function phasesOf(milestone: Milestone): readonly PhaseName[] {
  return milestone === 'ready' ? PHASES : PHASES.filter((phase) => phase !== 'ready');
}

function dominant(values: Partial<Record<PhaseName, number>>, phases: readonly PhaseName[]): PhaseName | undefined {
  let best: PhaseName | undefined;
  for (const phase of phases) if ((values[phase] ?? -1) > (best === undefined ? -1 : values[best]!)) best = phase;
  return best;
}

export function summarizeWorkload(pods: readonly PodStartup[], options: SummaryOptions = {}): WorkloadStartupSummary {
  const milestone = options.milestone ?? 'ready';
  const phases = phasesOf(milestone);
  const reached = pods.filter((pod) => durationOf(pod, milestone) !== undefined);

  const totals: Partial<Record<PhaseName, number>> = {};
  let basis = 0;
  for (const pod of reached) {
    if (!phases.every((phase) => pod.phases[phase] !== undefined)) continue;
    basis++;
    for (const phase of phases) totals[phase] = (totals[phase] ?? 0) + pod.phases[phase]!;
  }
  const sum = phases.reduce((total, phase) => total + (totals[phase] ?? 0), 0);
  const phaseShare: Partial<Record<PhaseName, number>> = {};
  if (sum > 0) for (const phase of phases) phaseShare[phase] = (totals[phase] ?? 0) / sum;

  const excluded: Partial<Record<SliExclusion, number>> = {};
  for (const pod of pods) if (pod.sli.exclusion) excluded[pod.sli.exclusion] = (excluded[pod.sli.exclusion] ?? 0) + 1;

  const slowest = reached
    .map((pod): SlowPod => ({ name: pod.name, nodeName: pod.nodeName, durationMs: durationOf(pod, milestone)!, dominantPhase: phases.every((phase) => pod.phases[phase] !== undefined) ? dominant(pod.phases, phases) : undefined }))
    .sort((a, b) => b.durationMs - a.durationMs || a.name.localeCompare(b.name))
    .slice(0, options.slowest ?? 5);

  const stuck = pods
    .filter((pod) => durationOf(pod, milestone) === undefined)
    .map((pod): StuckPod => ({ name: pod.name, state: pod.state, stuckIn: pod.stuckIn, reason: pod.unschedulable?.reason ?? pod.containers.find((container) => container.waitingReason)?.waitingReason }));

  return {
    milestone,
    podCount: pods.length,
    reached: reached.length,
    timeToMilestone: stats(reached.map((pod) => durationOf(pod, milestone)!)),
    sli: { ...stats(pods.filter((pod) => pod.sli.included).map((pod) => pod.sli.valueMs!)), excluded },
    phaseShare,
    phaseSharePods: basis,
    dominantPhase: sum > 0 ? dominant(totals, phases) : undefined,
    slowest,
    stuck,
    flags: {
      clockSkew: pods.filter((pod) => pod.clockSkewMs > 0).length,
      pullUnknown: pods.filter((pod) => pod.pullUnknown).length,
      restarted: pods.filter((pod) => pod.restarts > 0).length,
      unschedulable: pods.filter((pod) => pod.unschedulable).length,
    },
  };
}
