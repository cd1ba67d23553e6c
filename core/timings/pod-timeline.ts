/**
 * One pod's start, from its object and its events: the milestones (created, scheduled, initialized,
 * all containers started, Ready), what each container did (image pull, init run, first start,
 * restarts), and the time from creation to the milestone split into five phases that add up to it:
 *
 *   schedule  created -> PodScheduled (the API server's binding time)
 *   pull      image pulls of init containers, sidecars and app containers, merged where they overlap,
 *             each from its Pulling event for the duration the kubelet reports (waiting for a pull slot
 *             included: the pod waited)
 *   init      init containers running (each from its first start to its successful finish, so failed
 *             attempts and their back-off count), minus any pull inside that span
 *   start     the rest of scheduled -> all app containers started: sandbox and network, volume mounts,
 *             Secrets and ConfigMaps, container creation, sidecars starting, and gaps between steps
 *   ready     all app containers started -> Ready (readiness probes, the application warming up)
 *
 * "All app containers started" is the first start of each container in spec.containers (restarts do not
 * move it), the moment the kubelet's start SLI waits for. A pod that never reaches a milestone gets the
 * phases it did reach, and `stuckIn` names the phase it is in. Times are epoch milliseconds; node times
 * are corrected for a node clock that is behind (node-clock.ts).
 */
import { imagePullsOf, pullIntervals, type ContainerRef, type ImagePull } from './image-pulls';
import { clip, measure, subtract, union, type Interval } from './intervals';
import type { ContainerStatus, Node, Pod, PodCondition } from './kube-objects';
import { nodeClockOffset } from './node-clock';
import { NodeImages } from './node-images';
import type { PodEvent } from './pod-events';
import { parseTime } from './timestamps';

export type PhaseName = 'schedule' | 'pull' | 'init' | 'start' | 'ready';
export const PHASES: readonly PhaseName[] = ['schedule', 'pull', 'init', 'start', 'ready'];

export interface ContainerTimeline {
  name: string;
  /** `sidecar`: an init container with restartPolicy Always, which keeps running beside the app. */
  kind: 'init' | 'sidecar' | 'app';
  image?: string;
  pull: ImagePull;
  /** First start (epoch ms): the earliest of the status's start times and the first Started event. */
  startedAt?: number;
  /** Init containers: when the successful run finished. */
  finishedAt?: number;
  /** Init containers: each run the status still shows (at most the last two), open while running. */
  runs: Array<{ start: number; end?: number; exitCode?: number }>;
  restarts: number;
  ready?: boolean;
  /** Restarted twice or more and no Started event left: `startedAt` is the earliest start still known. */
  firstStartApproximate: boolean;
  /** The current waiting reason (ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError...). */
  waitingReason?: string;
}

export interface PodMilestones {
  createdAt: number;
  scheduledAt?: number;
  /** PodReadyToStartContainers: sandbox and network ready (1.29+; after the image pulls before 1.36). */
  sandboxReadyAt?: number;
  initializedAt?: number;
  /** Every app container has started at least once. */
  containersStartedAt?: number;
  containersReadyAt?: number;
  readyAt?: number;
}

/** A piece of the pod's bar in a waterfall; the segments do not overlap and follow each other. */
export interface PhaseSegment {
  /** `pull-or-start`: time that is pull or start, when the pull events are gone. */
  phase: PhaseName | 'pull-or-start';
  start: number;
  end: number;
  /** The container whose pull or init run this is. */
  container?: string;
}

export type PodStartState = 'pending' | 'running' | 'ready' | 'succeeded' | 'failed';

export interface PodTimeline {
  namespace: string;
  name: string;
  uid?: string;
  nodeName?: string;
  kubeletVersion?: string;
  /** The controller owner reference (ReplicaSet, Job, StatefulSet, DaemonSet...). */
  owner?: { kind: string; name: string; uid?: string };
  state: PodStartState;
  milestones: PodMilestones;
  /**
   * Phase durations in ms, for the phases the pod went through. `pull` and `start` are absent when the
   * image events are gone; `pullOrStart` then holds their sum. `ready` is absent until Ready.
   */
  phases: Partial<Record<PhaseName, number>> & { pullOrStart?: number };
  segments: PhaseSegment[];
  containers: ContainerTimeline[];
  /** created -> all app containers started. */
  timeToRunningMs?: number;
  /** created -> Ready. */
  timeToReadyMs?: number;
  /** The phase the pod is in now when it has not reached Ready (or, when done, all containers started). */
  stuckIn?: PhaseName;
  /** The pod could not be scheduled at some point: PodScheduled=False now, or FailedScheduling events. */
  unschedulable?: { reason?: string; message?: string; since?: number; attempts: number };
  /** Restarts of all containers. */
  restarts: number;
  /** Milliseconds added to the node's times because its clock was behind (node-clock.ts). */
  clockSkewMs: number;
  /** Some container started but its image events are gone (expired after the API server's event TTL). */
  pullUnknown: boolean;
  /** The Ready condition moved after an app container restarted: readyAt is the last Ready, maybe not the first. */
  readyAfterRestart: boolean;
}

const SCHEDULER_COMPONENTS = new Set(['default-scheduler']);

function conditionTimes(conditions: readonly PodCondition[] | undefined): Map<string, PodCondition> {
  const map = new Map<string, PodCondition>();
  for (const condition of conditions ?? []) map.set(condition.type, condition);
  return map;
}

function trueSince(condition: PodCondition | undefined): number | undefined {
  return condition?.status === 'True' ? parseTime(condition.lastTransitionTime) : undefined;
}

/** Kubelet events carry the node's clock; scheduler and controller events the control plane's. */
function isNodeEvent(event: PodEvent, nodeName: string | undefined): boolean {
  return event.component === 'kubelet' || (nodeName !== undefined && event.host === nodeName && !SCHEDULER_COMPONENTS.has(event.component ?? ''));
}

function statusTimes(status: ContainerStatus | undefined): Array<number | undefined> {
  if (!status) return [];
  return [
    parseTime(status.state?.running?.startedAt),
    parseTime(status.state?.terminated?.startedAt),
    parseTime(status.state?.terminated?.finishedAt),
    parseTime(status.lastState?.terminated?.startedAt),
    parseTime(status.lastState?.terminated?.finishedAt),
  ];
}

/** A node time moved by the node clock's offset. */
function shifted(offsetMs: number, time: number | undefined): number | undefined {
  return time === undefined ? undefined : time + offsetMs;
}

function minDefined(values: Iterable<number | undefined>): number | undefined {
  let result: number | undefined;
  for (const value of values) if (value !== undefined && (result === undefined || value < result)) result = value;
  return result;
}

type ContainerRefWithKind = ContainerRef & { kind: ContainerTimeline['kind'] };

/** One container: its pull, first start, init runs and restarts, node times moved by the clock offset. */
function containerTimeline(ref: ContainerRefWithKind, status: ContainerStatus | undefined, pull: ImagePull, startedEvent: number | undefined, clockSkewMs: number): ContainerTimeline {
  const restarts = status?.restartCount ?? 0;
  // The status keeps the current and the previous run; the first Started event (its count grows with
  // each restart) keeps the first start when the container restarted more than once.
  const startedAt = minDefined([
    shifted(clockSkewMs, parseTime(status?.lastState?.terminated?.startedAt)),
    shifted(clockSkewMs, parseTime(status?.state?.terminated?.startedAt)),
    shifted(clockSkewMs, parseTime(status?.state?.running?.startedAt)),
    startedEvent,
  ]);
  const runs: ContainerTimeline['runs'] = [];
  if (ref.kind === 'init') {
    for (const state of [status?.lastState, status?.state]) {
      const start = shifted(clockSkewMs, parseTime(state?.terminated?.startedAt ?? state?.running?.startedAt));
      if (start === undefined) continue;
      runs.push({ start, end: shifted(clockSkewMs, parseTime(state?.terminated?.finishedAt)), exitCode: state?.terminated?.exitCode });
    }
  }
  const terminated = status?.state?.terminated;
  return {
    name: ref.name,
    kind: ref.kind,
    image: ref.image,
    pull,
    startedAt,
    finishedAt: ref.kind === 'init' && terminated?.exitCode === 0 ? shifted(clockSkewMs, parseTime(terminated.finishedAt)) : undefined,
    runs,
    restarts,
    ready: status?.ready,
    firstStartApproximate: restarts >= 2 && startedEvent === undefined,
    waitingReason: status?.state?.waiting?.reason,
  };
}

export function podTimeline(pod: Pod, events: readonly PodEvent[], node?: Node, nodeImages: NodeImages = new NodeImages(node)): PodTimeline {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const nodeName = spec.nodeName || undefined;
  const conditions = conditionTimes(status.conditions);
  const statuses = new Map<string, ContainerStatus>();
  for (const containerStatus of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) statuses.set(containerStatus.name, containerStatus);

  // Control-plane clock.
  const schedulerEvents = events.filter((event) => !isNodeEvent(event, nodeName));
  const createdAt = parseTime(pod.metadata.creationTimestamp) ?? minDefined(events.map((event) => event.firstAt)) ?? 0;
  const scheduledEvent = schedulerEvents.find((event) => event.reason === 'Scheduled');
  let scheduledAt = trueSince(conditions.get('PodScheduled')) ?? scheduledEvent?.firstAt ?? (nodeName ? createdAt : undefined);
  if (scheduledAt !== undefined && scheduledAt < createdAt) scheduledAt = createdAt;
  const unschedulable = unschedulableOf(conditions.get('PodScheduled'), schedulerEvents);

  // Node clock: find how far behind it is, then read every node time through `shifted`.
  const nodeConditionTypes = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready'];
  const rawNodeTimes: Array<number | undefined> = [
    parseTime(status.startTime),
    ...nodeConditionTypes.map((type) => parseTime(conditions.get(type)?.lastTransitionTime)),
    ...[...statuses.values()].flatMap(statusTimes),
    ...events.filter((event) => isNodeEvent(event, nodeName)).map((event) => event.firstAt),
  ];
  const clockSkewMs = nodeName ? nodeClockOffset(scheduledAt ?? createdAt, rawNodeTimes) : 0;
  const nodeEvents = clockSkewMs
    ? events.map((event) => (isNodeEvent(event, nodeName) ? { ...event, firstAt: event.firstAt + clockSkewMs, lastAt: event.lastAt + clockSkewMs } : event))
    : events;

  const refs: ContainerRefWithKind[] = [
    ...(spec.initContainers ?? []).map((container) => ({ name: container.name, image: container.image, list: 'initContainers' as const, kind: container.restartPolicy === 'Always' ? ('sidecar' as const) : ('init' as const) })),
    ...(spec.containers ?? []).map((container) => ({ name: container.name, image: container.image, list: 'containers' as const, kind: 'app' as const })),
  ];
  const pulls = imagePullsOf(refs, nodeEvents, nodeImages);
  const firstStartedEvent = new Map<string, number>();
  for (const event of nodeEvents) {
    if (event.reason !== 'Started' || !event.fieldPath) continue;
    const name = /\{(.+)\}$/.exec(event.fieldPath)?.[1];
    if (name && !firstStartedEvent.has(name)) firstStartedEvent.set(name, event.firstAt);
  }

  const containers = refs.map((ref) => containerTimeline(ref, statuses.get(ref.name), pulls.get(ref.name)!, firstStartedEvent.get(ref.name), clockSkewMs));

  fitPullsBeforeStarts(containers, scheduledAt ?? createdAt);
  const apps = containers.filter((container) => container.kind === 'app');
  const containersStartedAt = apps.length > 0 && apps.every((container) => container.startedAt !== undefined) ? Math.max(...apps.map((container) => container.startedAt!)) : undefined;
  const milestones: PodMilestones = {
    createdAt,
    scheduledAt,
    sandboxReadyAt: shifted(clockSkewMs, trueSince(conditions.get('PodReadyToStartContainers'))),
    initializedAt: shifted(clockSkewMs, trueSince(conditions.get('Initialized'))),
    containersStartedAt,
    containersReadyAt: shifted(clockSkewMs, trueSince(conditions.get('ContainersReady'))),
    readyAt: shifted(clockSkewMs, trueSince(conditions.get('Ready'))),
  };

  // A started container whose Pulled event is gone: its pull is unknown, not zero.
  const pullUnknown = containers.some((container) => container.pull.status === 'unknown' && (container.startedAt !== undefined || container.runs.length > 0));
  const { phases, segments } = splitIntoPhases(milestones, containers, pullUnknown);
  const restarts = containers.reduce((sum, container) => sum + container.restarts, 0);
  const controller = pod.metadata.ownerReferences?.find((reference) => reference.controller) ?? pod.metadata.ownerReferences?.[0];
  const podPhase = status.phase;
  const state: PodStartState =
    podPhase === 'Succeeded' ? 'succeeded' : podPhase === 'Failed' ? 'failed' : milestones.readyAt !== undefined ? 'ready' : containersStartedAt !== undefined ? 'running' : 'pending';
  const restartedApps = apps.filter((container) => container.restarts > 0);
  const readyAfterRestart =
    milestones.readyAt !== undefined &&
    restartedApps.some((container) => {
      const currentStart = shifted(clockSkewMs, parseTime(statuses.get(container.name)?.state?.running?.startedAt));
      return currentStart !== undefined && milestones.readyAt! >= currentStart;
    });

  return {
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid,
    nodeName,
    kubeletVersion: node?.status?.nodeInfo?.kubeletVersion,
    owner: controller?.kind && controller.name ? { kind: controller.kind, name: controller.name, uid: controller.uid } : undefined,
    state,
    milestones,
    phases,
    segments,
    containers,
    timeToRunningMs: containersStartedAt === undefined ? undefined : containersStartedAt - createdAt,
    timeToReadyMs: milestones.readyAt === undefined ? undefined : Math.max(milestones.readyAt, containersStartedAt ?? milestones.readyAt) - createdAt,
    stuckIn: stuckIn(state, milestones, containers),
    unschedulable,
    restarts,
    clockSkewMs,
    pullUnknown,
    readyAfterRestart,
  };
}

/**
 * The kubelet pulls a container's image just before it creates the container, so a pull ends before
 * that container's first start. Placed from its whole-second Pulling event, a pull of the kubelet's
 * exact duration can overrun that start by up to a second; it is then moved earlier (not before the
 * pod was scheduled) rather than cut, keeping the duration the kubelet measured.
 */
function fitPullsBeforeStarts(containers: readonly ContainerTimeline[], notBefore: number): void {
  for (const container of containers) {
    const interval = container.pull.interval;
    const startedAt = minDefined([container.startedAt, container.runs[0]?.start]);
    if (!interval || interval.end === undefined || startedAt === undefined || interval.end <= startedAt) continue;
    const length = interval.end - interval.start;
    const start = Math.max(notBefore, startedAt - length);
    container.pull.interval = { start, end: Math.min(startedAt, start + length) };
  }
}

function unschedulableOf(condition: PodCondition | undefined, controlPlaneEvents: readonly PodEvent[]): PodTimeline['unschedulable'] {
  const failures = controlPlaneEvents.filter((event) => event.reason === 'FailedScheduling');
  const pending = condition?.status === 'False';
  if (!pending && failures.length === 0) return undefined;
  const latest = failures[failures.length - 1];
  return {
    reason: pending ? condition?.reason : 'FailedScheduling',
    message: pending ? (condition?.message ?? latest?.message) : latest?.message,
    since: minDefined([pending ? parseTime(condition?.lastTransitionTime) : undefined, failures[0]?.firstAt]),
    attempts: failures.reduce((sum, event) => sum + event.count, 0),
  };
}

/** Each init container's span: its first run's start to its successful finish (retries included). */
function initSpans(containers: readonly ContainerTimeline[]): Array<Interval & { container: string }> {
  const spans: Array<Interval & { container: string }> = [];
  for (const container of containers) {
    if (container.kind !== 'init' || container.runs.length === 0) continue;
    const start = Math.min(container.startedAt ?? Infinity, ...container.runs.map((run) => run.start));
    const end = container.finishedAt ?? container.runs[container.runs.length - 1].end;
    if (end !== undefined && end > start) spans.push({ start, end, container: container.name });
  }
  return spans;
}

function splitIntoPhases(milestones: PodMilestones, containers: readonly ContainerTimeline[], pullUnknown: boolean): Pick<PodTimeline, 'phases' | 'segments'> {
  const { createdAt, scheduledAt, containersStartedAt, readyAt } = milestones;
  const phases: PodTimeline['phases'] = {};
  const segments: PhaseSegment[] = [];
  if (scheduledAt === undefined) return { phases, segments };
  phases.schedule = scheduledAt - createdAt;
  if (scheduledAt > createdAt) segments.push({ phase: 'schedule', start: createdAt, end: scheduledAt });

  // Until all containers started, only what is known so far is laid out.
  const windowEnd = containersStartedAt ?? Math.max(scheduledAt, ...containers.flatMap((container) => [container.pull.interval?.end ?? -Infinity, container.finishedAt ?? -Infinity]));
  const pullOwners = containers.filter((container) => container.pull.interval?.end !== undefined);
  const pulls = union(clip(pullIntervals(pullOwners.map((container) => container.pull)), scheduledAt, windowEnd));
  const inits = initSpans(containers);
  const initOnly = subtract(clip(inits, scheduledAt, windowEnd), pulls);

  const owned: PhaseSegment[] = [
    ...pulls.map((interval): PhaseSegment => ({ phase: 'pull', ...interval, container: pullOwners.find((container) => container.pull.interval!.start <= interval.start && container.pull.interval!.end! > interval.start)?.name })),
    ...initOnly.map((interval): PhaseSegment => ({ phase: 'init', ...interval, container: inits.find((span) => span.start <= interval.start && span.end > interval.start)?.container })),
  ].sort((a, b) => a.start - b.start);
  const gapPhase = pullUnknown ? 'pull-or-start' : 'start';
  const gaps = subtract([{ start: scheduledAt, end: windowEnd }], owned);
  segments.push(...[...owned, ...gaps.map((interval): PhaseSegment => ({ phase: gapPhase, ...interval }))].sort((a, b) => a.start - b.start));

  // Not started yet: the segments show what happened so far; the phase figures wait for the milestone.
  if (containersStartedAt === undefined) return { phases, segments };

  const pullMs = measure(pulls);
  const initMs = measure(initOnly);
  const gapMs = containersStartedAt - scheduledAt - pullMs - initMs;
  phases.init = initMs;
  if (pullUnknown) phases.pullOrStart = pullMs + gapMs;
  else {
    phases.pull = pullMs;
    phases.start = gapMs;
  }
  if (readyAt !== undefined) {
    const end = Math.max(readyAt, containersStartedAt);
    phases.ready = end - containersStartedAt;
    if (end > containersStartedAt) segments.push({ phase: 'ready', start: containersStartedAt, end });
  }
  return { phases, segments };
}

function stuckIn(state: PodStartState, milestones: PodMilestones, containers: readonly ContainerTimeline[]): PhaseName | undefined {
  if (state === 'ready') return undefined;
  if (milestones.scheduledAt === undefined) return 'schedule';
  if (milestones.containersStartedAt !== undefined) return state === 'running' ? 'ready' : undefined;
  if (state === 'succeeded' || state === 'failed') return undefined;
  // The kubelet works through init containers in order, then the app containers: the first container
  // not done yet is where the pod is.
  for (const container of containers) {
    const done = container.kind === 'init' ? container.finishedAt !== undefined : container.startedAt !== undefined;
    if (done) continue;
    if (['pulling', 'failing', 'never-pull'].includes(container.pull.status) || ['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull'].includes(container.waitingReason ?? '')) return 'pull';
    return container.kind === 'init' && container.runs.length > 0 ? 'init' : 'start';
  }
  return 'start';
}
