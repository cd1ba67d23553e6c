/**
 * Pod startup timings from a cluster snapshot: pure functions over the JSON the Kubernetes API returns
 * (no I/O, no editor or API client). podStartups() gives each pod's phases and kubelet SLI,
 * WorkloadPodIndex finds a workload's pods, summarizeWorkload() aggregates them.
 */
export type * from './kube-objects';
export { summarizeWorkload, defaultMilestone, type Milestone, type WorkloadStartupSummary, type DurationStats, type SlowPod, type StuckPod, type SummaryOptions } from './aggregate';
export { type ImagePull, type PullStatus } from './image-pulls';
export { isStatefulPod, kubeletSli, type KubeletSli, type SliExclusion } from './kubelet-sli';
export { nearestRank } from './percentile';
export { PodEventIndex, normalizeEvent, type PodEvent } from './pod-events';
export { podStartup, podStartups, type PodStartup, type StartupSnapshot } from './pod-startup';
export { PHASES, podTimeline, type ContainerTimeline, type PhaseName, type PhaseSegment, type PodMilestones, type PodStartState, type PodTimeline } from './pod-timeline';
export { WorkloadPodIndex, workloadRef, type OwnerObjects, type PodSelectionOptions, type WorkloadPods, type WorkloadRef } from './workload-pods';
