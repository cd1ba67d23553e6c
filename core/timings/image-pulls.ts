/**
 * Per container of one pod, how its image came to the node, from the pod's kubelet events: pulled (when,
 * how long the runtime pulled, how long including the wait for a pull slot, how big), already present,
 * still pulling or failing, or unknown.
 *
 * "Unknown" is not "zero": events expire (the API server's --event-ttl, 1 h by default), so a pod older
 * than that has no image events at all, and a pod whose Pulling event expired first may keep only its
 * Pulled. The kubelet records a Pulled event (pulled or already present) before every container it
 * creates, so a started container without one lost its events.
 *
 * A container that restarts pulls again (pull policy Always) or logs "already present" again; those
 * repeats are later occurrences of the same events (count > 1) or later events, and only the first pull,
 * the one the pod's start waited for, is kept.
 */
import type { Interval } from './intervals';
import { parseImageEvent, type ImageEvent } from './kubelet-image-messages';
import type { NodeImages } from './node-images';
import type { PodEvent } from './pod-events';

export type PullStatus =
  /** Pulled from the registry; `interval` is when. */
  | 'pulled'
  /** Already on the node: no pull. */
  | 'cached'
  /** A Pulling event with no outcome yet. */
  | 'pulling'
  /** Failed pulls (ErrImagePull, ImagePullBackOff) and no success yet. */
  | 'failing'
  /** Not present and imagePullPolicy Never. */
  | 'never-pull'
  /** No image event for this container: expired, not captured, or the container never got that far. */
  | 'unknown';

export interface ImagePull {
  image?: string;
  status: PullStatus;
  /** First Pulling event (epoch ms, node clock). */
  requestedAt?: number;
  /** The Pulled event: pull finished, or image found present. */
  completedAt?: number;
  /** The runtime's pull, without the wait for a pull slot, as the kubelet reports it. */
  pullMs?: number;
  /** From the Pulling event to the pull's end, waiting included, as the kubelet reports it. */
  totalMs?: number;
  /** totalMs - pullMs: time queued behind other pulls on the node (serial pulls or maxParallelImagePulls). */
  waitingMs?: number;
  sizeBytes?: number;
  sizeSource?: 'kubelet-event' | 'node-status';
  /** Failed pull events before the image arrived (each retried after a back-off). */
  failedAttempts: number;
  /**
   * When the container waited for its image: from the first Pulling event for the kubelet's reported
   * duration (millisecond precision; the event itself is whole seconds), or to the Pulled event when the
   * pull needed retries (the back-off is part of the wait) or reported no duration. Open-ended
   * (`end` undefined) while pulling or failing. The pod timeline moves it earlier when the whole-second
   * event time makes it overrun the container's start (pod-timeline.ts, fitPullsBeforeStarts).
   */
  interval?: { start: number; end?: number };
}

export interface ContainerRef {
  name: string;
  image?: string;
  /** Which list of the spec it is in, as the kubelet's fieldPath names it. */
  list: 'containers' | 'initContainers';
}

const FIELD_PATH = /^spec\.(containers|initContainers|ephemeralContainers)\{(.+)\}$/;

interface ParsedImageEvent {
  event: PodEvent;
  parsed: ImageEvent;
}

/** The pull record of each container, by container name. */
export function imagePullsOf(containers: readonly ContainerRef[], events: readonly PodEvent[], nodeImages: NodeImages): Map<string, ImagePull> {
  const byContainer = new Map<string, ParsedImageEvent[]>();
  const unassigned: ParsedImageEvent[] = [];
  for (const event of events) {
    const parsed = parseImageEvent(event.reason, event.message);
    if (!parsed) continue;
    const match = event.fieldPath ? FIELD_PATH.exec(event.fieldPath) : null;
    const key = match ? `${match[1]}/${match[2]}` : undefined;
    if (key) push(byContainer, key, { event, parsed });
    else unassigned.push({ event, parsed });
  }
  // Events without a fieldPath (hand-made or very old) go to the first container with that image.
  for (const item of unassigned) {
    const owner = containers.find((container) => container.image === item.parsed.image);
    if (owner) push(byContainer, `${owner.list}/${owner.name}`, item);
  }
  const pulls = new Map<string, ImagePull>();
  for (const container of containers) {
    pulls.set(container.name, pullOf(container, byContainer.get(`${container.list}/${container.name}`) ?? [], nodeImages));
  }
  return pulls;
}

function push(map: Map<string, ParsedImageEvent[]>, key: string, item: ParsedImageEvent): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

function firstOfKind(events: readonly ParsedImageEvent[], kind: ImageEvent['kind']): ParsedImageEvent | undefined {
  return events.find((item) => item.parsed.kind === kind);
}

function pullOf(container: ContainerRef, events: readonly ParsedImageEvent[], nodeImages: NodeImages): ImagePull {
  const image = container.image ?? events[0]?.parsed.image;
  const pulling = firstOfKind(events, 'pulling');
  const success = firstOfKind(events, 'pulled');
  const cached = firstOfKind(events, 'cached');
  const readyAt = Math.min(success?.event.firstAt ?? Infinity, cached?.event.firstAt ?? Infinity);
  const failedAttempts = events
    .filter((item) => item.parsed.kind === 'failed' && item.event.firstAt <= readyAt)
    .reduce((sum, item) => sum + item.event.count, 0);
  const fromNode = image ? nodeImages.sizeOf(image) : undefined;

  if (success && (!cached || success.event.firstAt <= cached.event.firstAt)) {
    const reported = success.parsed as Extract<ImageEvent, { kind: 'pulled' }>;
    const requestedAt = pulling && pulling.event.firstAt <= success.event.firstAt ? pulling.event.firstAt : undefined;
    const completedAt = success.event.firstAt;
    const start = requestedAt ?? (reported.totalMs !== undefined ? completedAt - reported.totalMs : completedAt);
    // One attempt: the kubelet's duration is more precise than the two whole-second event times.
    const end = failedAttempts === 0 && reported.totalMs !== undefined ? start + reported.totalMs : Math.max(completedAt, start);
    const sizeBytes = reported.sizeBytes ?? fromNode;
    return {
      image,
      status: 'pulled',
      requestedAt,
      completedAt,
      pullMs: reported.pullMs,
      totalMs: reported.totalMs,
      waitingMs: reported.pullMs !== undefined && reported.totalMs !== undefined ? Math.max(0, reported.totalMs - reported.pullMs) : undefined,
      sizeBytes,
      sizeSource: reported.sizeBytes !== undefined ? 'kubelet-event' : fromNode !== undefined ? 'node-status' : undefined,
      failedAttempts,
      interval: { start, end },
    };
  }
  const size = fromNode === undefined ? {} : { sizeBytes: fromNode, sizeSource: 'node-status' as const };
  if (cached) return { image, status: 'cached', completedAt: cached.event.firstAt, failedAttempts, ...size };
  if (firstOfKind(events, 'never-pull')) return { image, status: 'never-pull', failedAttempts, ...size };
  if (pulling) {
    const failing = failedAttempts > 0 || firstOfKind(events, 'backoff') !== undefined;
    return { image, status: failing ? 'failing' : 'pulling', requestedAt: pulling.event.firstAt, failedAttempts, interval: { start: pulling.event.firstAt }, ...size };
  }
  return { image, status: 'unknown', failedAttempts, ...size };
}

/** The closed pull intervals (the ones a start waited for) of a set of pulls. */
export function pullIntervals(pulls: Iterable<ImagePull>): Interval[] {
  const intervals: Interval[] = [];
  for (const pull of pulls) if (pull.interval?.end !== undefined) intervals.push({ start: pull.interval.start, end: pull.interval.end });
  return intervals;
}
