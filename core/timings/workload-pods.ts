/**
 * Which pods belong to a workload, the way its controllers own them:
 *
 *   Deployment  -> ReplicaSets (every revision kept) -> Pods
 *   CronJob     -> Jobs -> Pods
 *   StatefulSet, DaemonSet, Job, ReplicaSet, ReplicationController -> Pods
 *   Pod         -> itself
 *
 * Ownership is read from each child's controller owner reference (`controller: true`): by UID when the
 * workload is a live object, by kind and name when it is only a manifest (owner references always
 * carry both). When the intermediate objects are not available (ReplicaSets or Jobs not listed,
 * forbidden by RBAC), the pods are found by label selector instead, keeping only pods whose controller
 * can be the workload's: a ReplicaSet named `<deployment>-<pod-template-hash>`, a Job named
 * `<cronjob>-<scheduled minute>`. Pods with no controller at all (orphaned) that match the selector are
 * taken only when the owners found none.
 *
 * Built once per snapshot (`WorkloadPodIndex`), so each workload costs a few map lookups, not a scan of
 * every pod.
 */
import type { Job, LabelSelector, OwnerReference, Pod, ReplicaSet, WorkloadObject } from './kube-objects';
import { matchesSelector, toLabelSelector } from './label-selector';
import { parseTime } from './timestamps';

export interface WorkloadRef {
  kind: string;
  name: string;
  namespace: string;
  /** Known for live objects; absent for a manifest from the editor. */
  uid?: string;
  selector?: LabelSelector;
}

export interface OwnerObjects {
  /** Undefined when not listed (not needed, or forbidden): Deployments then fall back to selectors. */
  replicaSets?: readonly ReplicaSet[];
  /** Undefined when not listed: CronJobs then fall back to job names. */
  jobs?: readonly Job[];
}

export interface PodSelectionOptions {
  /** Only pods created within this many ms before `now`. */
  createdWithinMs?: number;
  /** Epoch ms the window ends at; required with createdWithinMs. */
  now?: number;
  /** Keep only the most recent pods. */
  limit?: number;
}

export interface WorkloadPods {
  /** Newest first (creationTimestamp, then name). */
  pods: Pod[];
  matchedBy: 'owner-references' | 'label-selector';
}

const DIRECT_OWNERS = new Set(['StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet', 'ReplicationController']);

/** The workload's identity and selector, from a live object or a manifest. */
export function workloadRef(object: WorkloadObject, defaultNamespace = 'default'): WorkloadRef {
  const kind = object.kind ?? '';
  const spec = object.spec ?? {};
  const selector =
    kind === 'CronJob'
      ? toLabelSelector(spec.jobTemplate?.spec?.selector) ?? labelsAsSelector(spec.jobTemplate?.spec?.template?.metadata?.labels)
      : kind === 'Job'
        ? toLabelSelector(spec.selector) ?? { matchLabels: { 'job-name': object.metadata.name ?? '' } }
        : toLabelSelector(spec.selector) ?? (kind === 'ReplicationController' ? labelsAsSelector(spec.template?.metadata?.labels) : undefined);
  return { kind, name: object.metadata.name ?? '', namespace: object.metadata.namespace ?? defaultNamespace, uid: object.metadata.uid, selector };
}

function labelsAsSelector(labels: Record<string, string> | undefined): LabelSelector | undefined {
  return labels && Object.keys(labels).length > 0 ? { matchLabels: labels } : undefined;
}

function controllerOf(object: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.controller === true);
}

/** Children indexed by their controller's UID and by namespace/kind/name. */
class ChildIndex<T extends { metadata: { namespace?: string; ownerReferences?: OwnerReference[] } }> {
  private readonly byUid = new Map<string, T[]>();
  private readonly byName = new Map<string, T[]>();

  constructor(children: readonly T[]) {
    for (const child of children) {
      const controller = controllerOf(child);
      if (!controller) continue;
      if (controller.uid) add(this.byUid, controller.uid, child);
      add(this.byName, `${child.metadata.namespace ?? ''}/${controller.kind}/${controller.name}`, child);
    }
  }

  of(parent: { kind: string; name: string; namespace: string; uid?: string }): T[] {
    if (parent.uid) return this.byUid.get(parent.uid) ?? [];
    return this.byName.get(`${parent.namespace}/${parent.kind}/${parent.name}`) ?? [];
  }
}

function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class WorkloadPodIndex {
  private readonly podsByController: ChildIndex<Pod>;
  private readonly replicaSets?: ChildIndex<ReplicaSet>;
  private readonly jobs?: ChildIndex<Job>;
  private readonly podsByNamespace = new Map<string, Pod[]>();

  constructor(pods: readonly Pod[], owners: OwnerObjects = {}) {
    this.podsByController = new ChildIndex(pods);
    if (owners.replicaSets) this.replicaSets = new ChildIndex(owners.replicaSets);
    if (owners.jobs) this.jobs = new ChildIndex(owners.jobs);
    for (const pod of pods) add(this.podsByNamespace, pod.metadata.namespace ?? '', pod);
  }

  podsOf(workload: WorkloadRef, options: PodSelectionOptions = {}): WorkloadPods {
    const { pods, matchedBy } = this.match(workload);
    return { pods: recentFirst(pods, options), matchedBy };
  }

  private match(workload: WorkloadRef): { pods: Pod[]; matchedBy: WorkloadPods['matchedBy'] } {
    const namespacePods = this.podsByNamespace.get(workload.namespace) ?? [];
    if (workload.kind === 'Pod') return { pods: namespacePods.filter((pod) => pod.metadata.name === workload.name), matchedBy: 'owner-references' };
    const intermediate = workload.kind === 'Deployment' ? this.replicaSets : workload.kind === 'CronJob' ? this.jobs : undefined;
    if (DIRECT_OWNERS.has(workload.kind) || intermediate) {
      const owners = DIRECT_OWNERS.has(workload.kind) ? [workload] : intermediate!.of(workload).map((owner) => ({ kind: owner.kind ?? (workload.kind === 'Deployment' ? 'ReplicaSet' : 'Job'), name: owner.metadata.name ?? '', namespace: workload.namespace, uid: owner.metadata.uid }));
      const pods = owners.flatMap((owner) => this.podsByController.of(owner));
      if (pods.length > 0 || !workload.selector) return { pods, matchedBy: 'owner-references' };
      const orphans = namespacePods.filter((pod) => !controllerOf(pod) && matchesSelector(workload.selector, pod.metadata.labels));
      return orphans.length > 0 ? { pods: orphans, matchedBy: 'label-selector' } : { pods, matchedBy: 'owner-references' };
    }
    return { pods: namespacePods.filter((pod) => selectedByName(workload, pod)), matchedBy: 'label-selector' };
  }
}

/** Selector fallback for Deployments and CronJobs whose ReplicaSets or Jobs are not available. */
function selectedByName(workload: WorkloadRef, pod: Pod): boolean {
  const controller = controllerOf(pod);
  const labels = pod.metadata.labels ?? {};
  if (workload.kind === 'Deployment') {
    if (!matchesSelector(workload.selector, labels)) return false;
    if (!controller) return false;
    const hash = labels['pod-template-hash'];
    return controller.kind === 'ReplicaSet' && (hash ? controller.name === `${workload.name}-${hash}` : (controller.name ?? '').startsWith(`${workload.name}-`));
  }
  if (workload.kind === 'CronJob') {
    const jobName = controller?.kind === 'Job' ? controller.name : (labels['batch.kubernetes.io/job-name'] ?? labels['job-name']);
    if (!jobName || !new RegExp(`^${escapeRegExp(workload.name)}-\\d+$`).test(jobName)) return false;
    return !workload.selector || matchesSelector(workload.selector, labels);
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function recentFirst(pods: readonly Pod[], options: PodSelectionOptions): Pod[] {
  let selected = pods.map((pod) => ({ pod, createdAt: parseTime(pod.metadata.creationTimestamp) ?? -Infinity }));
  if (options.createdWithinMs !== undefined) {
    if (options.now === undefined) throw new Error('podsOf: `now` is required with `createdWithinMs`');
    const from = options.now - options.createdWithinMs;
    selected = selected.filter((item) => item.createdAt >= from);
  }
  selected.sort((a, b) => b.createdAt - a.createdAt || (a.pod.metadata.name ?? '').localeCompare(b.pod.metadata.name ?? ''));
  const limited = options.limit === undefined ? selected : selected.slice(0, options.limit);
  return limited.map((item) => item.pod);
}
