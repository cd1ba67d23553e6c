/**
 * Startup timings for the workloads a manifest describes, from a cluster snapshot: each workload is
 * matched to its live object (same kind, namespace and name), then to its pods through owner
 * references (core/timings/workload-pods.ts), and summarised. When nothing can be said, `reason`
 * says why in words a user acts on: the object is not in the cluster, it has no pods yet, or the
 * pods or events could not be read.
 */
import type { KubeEvent, Node, Pod, ReplicaSet, Job, WorkloadObject } from './kube-objects';
import { defaultMilestone, summarizeWorkload, type WorkloadStartupSummary } from './aggregate';
import { podStartups, type PodStartup } from './pod-startup';
import { WorkloadPodIndex, workloadRef, type WorkloadRef } from './workload-pods';

/** A workload as a manifest names it. */
export interface NamedWorkload {
  kind: string;
  name: string;
  /** The manifest's namespace; the context's default namespace when the manifest has none. */
  namespace?: string;
}

/** What timings are computed from: a snapshot's objects (core/cluster/snapshot.ts) and what could not be read. */
export interface TimingSource {
  capturedAt: string;
  objects: {
    pods: readonly Pod[];
    events: readonly KubeEvent[];
    nodes: readonly Node[];
    replicasets: readonly ReplicaSet[];
    jobs: readonly Job[];
    deployments: readonly WorkloadObject[];
    statefulsets: readonly WorkloadObject[];
    daemonsets: readonly WorkloadObject[];
    cronjobs: readonly WorkloadObject[];
  };
  /** Resources the snapshot could not read, by namespace (RBAC, errors). */
  unavailable: ReadonlyArray<{ resource: string; namespace?: string; message: string }>;
}

export interface WorkloadTimings {
  workload: Required<NamedWorkload>;
  /** Whether the cluster has the object itself (not only pods that look like it). */
  live: boolean;
  summary?: WorkloadStartupSummary;
  /** The pods the summary covers, newest first. */
  pods: PodStartup[];
  /** Why there is no summary (or why it may be incomplete). */
  reason?: string;
}

export interface WorkloadTimingOptions {
  defaultNamespace: string;
  /** Only pods created within this window before the snapshot was taken (all pods when absent). */
  windowMs?: number;
}

const LIVE_LISTS: Record<string, keyof TimingSource['objects']> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  ReplicaSet: 'replicasets',
  Job: 'jobs',
  CronJob: 'cronjobs',
};

/** Timings of each named workload, in order; every pod's start is computed once for all of them. */
export function timingsForWorkloads(source: TimingSource, workloads: readonly NamedWorkload[], options: WorkloadTimingOptions): WorkloadTimings[] {
  const { objects } = source;
  const startups = new Map<Pod, PodStartup>();
  const startupsOf = (pods: readonly Pod[]): PodStartup[] => {
    const missing = pods.filter((pod) => !startups.has(pod));
    if (missing.length > 0) {
      const computed = podStartups({ pods: missing, events: objects.events, nodes: objects.nodes });
      missing.forEach((pod, index) => startups.set(pod, computed[index]));
    }
    return pods.map((pod) => startups.get(pod)!);
  };
  const index = new WorkloadPodIndex(objects.pods, { replicaSets: readable(source, 'replicasets') ? objects.replicasets : undefined, jobs: readable(source, 'jobs') ? objects.jobs : undefined });
  const now = Date.parse(source.capturedAt);

  return workloads.map((named) => {
    const workload = { kind: named.kind, name: named.name, namespace: named.namespace ?? options.defaultNamespace };
    const liveObject = findLive(objects, workload);
    const ref: WorkloadRef = liveObject ? workloadRef(liveObject, workload.namespace) : workload;
    const podsForbidden = source.unavailable.find((entry) => entry.resource === 'pods' && (entry.namespace === undefined || entry.namespace === workload.namespace));
    if (podsForbidden) return { workload, live: liveObject !== undefined, pods: [], reason: `pods of ${workload.namespace} could not be read: ${podsForbidden.message}` };
    const selection = index.podsOf(ref, options.windowMs !== undefined && Number.isFinite(now) ? { createdWithinMs: options.windowMs, now } : {});
    const pods = startupsOf(selection.pods);
    if (pods.length === 0) {
      const reason = liveObject || workload.kind === 'Pod' ? 'no pods in the window' : `no ${workload.kind} ${workload.namespace}/${workload.name} in the cluster`;
      return { workload, live: liveObject !== undefined, pods, reason };
    }
    const summary = summarizeWorkload(pods, { milestone: defaultMilestone(workload.kind) });
    const eventsMissing = source.unavailable.find((entry) => entry.resource === 'events' && (entry.namespace === undefined || entry.namespace === workload.namespace));
    return { workload, live: liveObject !== undefined, summary, pods, reason: eventsMissing ? `events could not be read (${eventsMissing.message}): image pulls are unknown` : undefined };
  });
}

function readable(source: TimingSource, resource: string): boolean {
  return !source.unavailable.some((entry) => entry.resource === resource);
}

function findLive(objects: TimingSource['objects'], workload: Required<NamedWorkload>): WorkloadObject | undefined {
  const list = LIVE_LISTS[workload.kind];
  if (!list) return undefined;
  const found = (objects[list] as readonly WorkloadObject[]).find((object) => object.metadata.name === workload.name && (object.metadata.namespace ?? workload.namespace) === workload.namespace);
  // List items come without their kind: the list they came from says it.
  return found && { ...found, kind: workload.kind };
}
