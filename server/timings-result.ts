/**
 * A workload's timings as `podstart/timings` sends them: plain JSON the waterfall draws from. Times
 * are milliseconds from each pod's creation (the bars start at 0), so the client needs no clock and
 * no knowledge of the Kubernetes objects; segments, node, image sizes, restarts and the state of
 * pods that have not reached the milestone come with each pod.
 */
import { describeClusterFacts } from '../core/cluster/cluster-facts-text';
import type { WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import type { PodStartup } from '../core/timings/pod-startup';
import type { TimingsClusterFacts, TimingsPod, TimingsResult, TimingsSummary } from './protocol';
import { startupLensTitle } from './timings-lens-title';
import type { TimingsView } from './timings-view';

function podOf(pod: PodStartup, milestone: TimingsSummary['milestone'], capturedAt: number): TimingsPod {
  const created = pod.milestones.createdAt;
  const durationMs = milestone === 'ready' ? pod.timeToReadyMs : pod.timeToRunningMs;
  const waiting = pod.containers.find((container) => container.waitingReason);
  const serialized: TimingsPod = {
    name: pod.name,
    node: pod.nodeName,
    state: pod.state,
    createdAt: new Date(created).toISOString(),
    durationMs,
    ageMs: Number.isFinite(capturedAt) ? Math.max(0, capturedAt - created) : 0,
    phases: { ...pod.phases },
    segments: pod.segments.map((segment) => ({ phase: segment.phase, startMs: segment.start - created, endMs: segment.end - created, container: segment.container })),
    images: pod.containers.map((container) => ({
      container: container.name,
      kind: container.kind,
      image: container.image,
      status: container.pull.status,
      sizeBytes: container.pull.sizeBytes,
      pullMs: container.pull.pullMs,
      waitingMs: container.pull.waitingMs,
    })),
    restarts: pod.restarts,
    sliMs: pod.sli.included ? pod.sli.valueMs : undefined,
    clockSkewMs: pod.clockSkewMs,
    pullUnknown: pod.pullUnknown,
  };
  if (durationMs === undefined) {
    serialized.stuckIn = pod.stuckIn;
    serialized.stuckReason = pod.unschedulable ? (pod.unschedulable.reason ?? 'Unschedulable') : waiting?.waitingReason;
    serialized.stuckMessage = pod.unschedulable?.message;
  }
  return serialized;
}

/**
 * The cluster facts in the words `podstart timings` prints, and how to get the kubelets' side when it
 * was not read: `nodeDetailsHint` names the setting (or, for a snapshot, the capture flag).
 */
export function clusterFactsResultOf(facts: WorkloadClusterFacts, source: TimingsView['source']): TimingsClusterFacts {
  const result: TimingsClusterFacts = { sentences: describeClusterFacts(facts), facts };
  if (!facts.kubeletsRead) {
    result.nodeDetailsHint =
      source === 'snapshot'
        ? 'Kubelet pull settings and metrics were not read: take the snapshot with podstart capture --node-details (needs get on nodes/proxy).'
        : 'Kubelet pull settings and metrics were not read: turn on podstart.timings.nodeDetails (needs get on nodes/proxy).';
  }
  return result;
}

export function timingsResultOf(view: TimingsView, clusterFacts?: WorkloadClusterFacts): TimingsResult {
  const timings = view.timings;
  const summary = timings?.summary;
  const result: TimingsResult = {
    workload: view.workload,
    title: startupLensTitle(view),
    problem: view.problem,
    reason: view.reason,
    source: view.source,
    context: view.context,
    snapshotFile: view.source === 'snapshot' ? view.snapshotFile : undefined,
    capturedAt: view.capturedAt,
    windowMs: view.windowMs,
    live: timings?.live ?? false,
    pods: [],
  };
  if (clusterFacts) result.clusterFacts = clusterFactsResultOf(clusterFacts, view.source);
  if (!timings) return result;
  const milestone = summary?.milestone ?? (view.workload.kind === 'Job' || view.workload.kind === 'CronJob' ? 'running' : 'ready');
  const capturedAt = Date.parse(view.capturedAt ?? '');
  result.pods = timings.pods.map((pod) => podOf(pod, milestone, capturedAt));
  if (summary) {
    result.summary = {
      milestone,
      podCount: summary.podCount,
      reached: summary.reached,
      p50Ms: summary.timeToMilestone.p50Ms,
      p95Ms: summary.timeToMilestone.p95Ms,
      maxMs: summary.timeToMilestone.maxMs,
      sliP50Ms: summary.sli.p50Ms,
      sliP95Ms: summary.sli.p95Ms,
      phaseShare: summary.phaseShare,
      dominantPhase: summary.dominantPhase,
    };
  }
  return result;
}
