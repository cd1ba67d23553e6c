/**
 * The kubelet's pod start SLI (`kubelet_pod_start_sli_duration_seconds`) recomputed from a pod and its
 * events, to show beside the time to Ready that users feel.
 *
 * Definition (kubernetes/community sig-scalability/slos/pod_startup_latency.md, "Pod startup latency
 * SLI"): "Startup latency of schedulable stateless pods, excluding time to pull images and run init
 * containers, measured from pod creation timestamp to when all its containers are reported as started
 * and observed via watch". Stateless: "a pod that doesn't mount volumes with sources other than secrets,
 * config maps, downward API and empty dir". Schedulable: "can be scheduled in the cluster without
 * causing any preemption".
 *
 * Implementation followed (kubernetes/kubernetes pkg/kubelet/util/pod_startup_latency_tracker.go as
 * changed by PR #131950, "PodStartSLIDuration should exclude init container runtime, image pulling
 * time, stateful pods, not immediately schedulable pods", in the 1.36 changelog and cherry-picked to
 * 1.35 and 1.34):
 *   podStartSLOduration = (watchObservedRunningTime - creationTimestamp)
 *                         - calculateImagePullingTime(imagePullSessions)   // sessions merged where they overlap
 *                         - totalInitContainerRuntime                      // sum of init runs, sidecars excluded
 *   observed only when !isStatefulPod(pod); pods seen with PodScheduled=False are never tracked;
 *   hasPodStartedSLO: every entry of status.containerStatuses running (init containers not included).
 * Before that change the kubelet subtracted only (lastFinishedPulling - firstStartedPulling) and
 * nothing for init containers, and observed every pod: older kubelets report larger values.
 *
 * What we cannot see from the objects, and how we approximate it:
 * - "observed via watch": the kubelet's own watch time is not recorded; we use the last first-start of
 *   the app containers, which is earlier by the status update and watch delay (usually well under 1 s).
 * - pull sessions run from just before the Pulling event to just before the Pulled event: the pull
 *   intervals of image-pulls.ts (waiting for a pull slot included), merged the same way.
 * - init runtime: the kubelet times each non-restartable init container from its start call to its
 *   finish; we use each run's startedAt -> finishedAt from the status.
 * - unschedulable: the kubelet only sees a pod after binding, and binding sets PodScheduled=True in the
 *   same write as spec.nodeName (pkg/registry/core/pod/storage/storage.go setPodNodeAndMetadata), so its
 *   exclusion almost never applies: a pod that waited for a node is counted in the kubelet's metric,
 *   waiting included. We follow the SLO's definition instead and exclude a pod with PodScheduled=False
 *   or a FailedScheduling event (which also covers pods that needed preemption).
 * - times: the kubelet compares its own clock with the API server's creationTimestamp; we use the node
 *   times corrected for a clock that is behind (node-clock.ts).
 */
import { clip, measure } from './intervals';
import { pullIntervals } from './image-pulls';
import type { Pod, Volume } from './kube-objects';
import type { PodTimeline } from './pod-timeline';

export type SliExclusion =
  /** Mounts a volume other than the stateless kinds: the SLO's stateful pods. */
  | 'stateful'
  /** Not immediately schedulable. */
  | 'unschedulable'
  /** Not all app containers have started. */
  | 'not-started'
  /** The image events are gone, so the pull time to subtract is unknown. */
  | 'pull-unknown';

export interface KubeletSli {
  /** Whether the pod counts in the SLI. Figures are filled in whenever they can be, included or not. */
  included: boolean;
  exclusion?: SliExclusion;
  /** SLI value: e2eMs - pullMs - initMs. */
  valueMs?: number;
  /** created -> all app containers started (the kubelet's podStartE2EDuration, minus the watch delay). */
  e2eMs?: number;
  /** Merged image pull time before all containers started (totalImagesPullingTime). */
  pullMs?: number;
  /** Init container runtime, sidecars excluded (totalInitContainerRuntime). */
  initMs?: number;
}

/**
 * The volume sources the kubelet counts as stateless (isStatefulPod in pod_startup_latency_tracker.go):
 * the SLO's four plus projected (service account tokens are projected volumes: without it nearly every
 * pod would be stateful), gitRepo, image, generic ephemeral, and CSI volumes marked ephemeral.
 */
const STATELESS_SOURCES = ['secret', 'configMap', 'downwardAPI', 'emptyDir', 'projected', 'gitRepo', 'image', 'ephemeral'];

function isStatelessVolume(volume: Volume): boolean {
  if (STATELESS_SOURCES.some((source) => volume[source] !== undefined && volume[source] !== null)) return true;
  return volume.csi?.volumeAttributes?.['csi.storage.k8s.io/ephemeral'] === 'true';
}

export function isStatefulPod(pod: Pod): boolean {
  return (pod.spec?.volumes ?? []).some((volume) => !isStatelessVolume(volume));
}

export function kubeletSli(pod: Pod, timeline: PodTimeline): KubeletSli {
  const exclusion: SliExclusion | undefined = isStatefulPod(pod)
    ? 'stateful'
    : timeline.unschedulable
      ? 'unschedulable'
      : timeline.milestones.containersStartedAt === undefined
        ? 'not-started'
        : timeline.pullUnknown
          ? 'pull-unknown'
          : undefined;
  const { createdAt, containersStartedAt } = timeline.milestones;
  if (containersStartedAt === undefined) return { included: false, exclusion };

  const e2eMs = containersStartedAt - createdAt;
  const initMs = timeline.containers
    .filter((container) => container.kind === 'init')
    .flatMap((container) => container.runs)
    .reduce((sum, run) => sum + (run.end === undefined ? 0 : Math.max(0, Math.min(run.end, containersStartedAt) - run.start)), 0);
  if (timeline.pullUnknown) return { included: false, exclusion, e2eMs, initMs };
  const pullMs = measure(clip(pullIntervals(timeline.containers.map((container) => container.pull)), createdAt, containersStartedAt));
  return { included: exclusion === undefined, exclusion, valueMs: e2eMs - pullMs - initMs, e2eMs, pullMs, initMs };
}
