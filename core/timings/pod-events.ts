/**
 * Events of either API shape, reduced to what the timings read, and indexed by the pod they concern.
 *
 * The same event reads differently through the two APIs. core/v1 (what the kubelet's legacy recorder
 * writes): `involvedObject`, `message`, `firstTimestamp`/`lastTimestamp` (whole seconds), `count`, and
 * `eventTime: null`. events.k8s.io/v1 (what the scheduler writes since it moved to the new API):
 * `regarding`, `note`, `eventTime` (microseconds) and `series: {count, lastObservedTime}` when it
 * repeats; read through core/v1 such an event has `firstTimestamp: null` and `eventTime` set, and a
 * legacy event read through events.k8s.io/v1 has `eventTime: null` and `deprecatedFirstTimestamp`.
 *
 * A repeated event is one object whose count grows: the first occurrence is the time we want for a
 * startup (the first pull, the first start), so `firstAt` is eventTime, else firstTimestamp, else
 * deprecatedFirstTimestamp, and only then the object's creationTimestamp.
 */
import type { CoreEvent, EventsV1Event, KubeEvent, ObjectReference, Pod } from './kube-objects';
import { parseTime } from './timestamps';

export interface PodEvent {
  reason: string;
  message: string;
  type?: string;
  /** `spec.containers{web}`, `spec.initContainers{migrate}`: the container the kubelet acted on. */
  fieldPath?: string;
  /** First occurrence, epoch ms. */
  firstAt: number;
  /** Last occurrence, epoch ms (equal to firstAt for a single occurrence). */
  lastAt: number;
  count: number;
  /** `kubelet`, `default-scheduler`... */
  component?: string;
  /** The node for kubelet events. */
  host?: string;
}

/** The aggregator's prefix when more than 10 similar events come within 10 minutes (client-go tools/record). */
const COMBINED_PREFIX = '(combined from similar events): ';

function isEventsV1(event: KubeEvent): event is EventsV1Event {
  return 'regarding' in event || 'note' in event || 'deprecatedFirstTimestamp' in event;
}

/** The object an event concerns, whichever API it came from. */
export function regardingOf(event: KubeEvent): ObjectReference | undefined {
  return isEventsV1(event) ? event.regarding : (event as CoreEvent).involvedObject;
}

/** One event of either shape as a PodEvent, or undefined when it has no usable time. */
export function normalizeEvent(event: KubeEvent): PodEvent | undefined {
  const v1 = isEventsV1(event);
  const core = event as CoreEvent;
  const modern = event as EventsV1Event;
  const firstAt =
    parseTime(event.eventTime) ??
    parseTime(v1 ? modern.deprecatedFirstTimestamp : core.firstTimestamp) ??
    parseTime(v1 ? modern.deprecatedLastTimestamp : core.lastTimestamp) ??
    parseTime(event.metadata?.creationTimestamp);
  if (firstAt === undefined) return undefined;
  const lastAt = Math.max(firstAt, parseTime(event.series?.lastObservedTime) ?? parseTime(v1 ? modern.deprecatedLastTimestamp : core.lastTimestamp) ?? firstAt);
  const count = Math.max(1, event.series?.count ?? (v1 ? modern.deprecatedCount : core.count) ?? 1);
  let message = (v1 ? modern.note : core.message) ?? '';
  if (message.startsWith(COMBINED_PREFIX)) message = message.slice(COMBINED_PREFIX.length);
  const source = v1 ? modern.deprecatedSource : core.source;
  return {
    reason: event.reason ?? '',
    message,
    type: event.type,
    fieldPath: regardingOf(event)?.fieldPath || undefined,
    firstAt,
    lastAt,
    count,
    component: (v1 ? modern.reportingController : core.reportingComponent) || source?.component || undefined,
    host: source?.host || event.reportingInstance || undefined,
  };
}

/**
 * Events grouped by the pod they concern, built once per snapshot so that each pod's lookup is a map
 * access (5,000 pods with 10 events each stay linear). A pod is matched by UID, which tells a new pod
 * from an old one of the same name (StatefulSet pods, recreated pods); by namespace and name only
 * when the event carries no UID.
 */
export class PodEventIndex {
  private readonly byUid = new Map<string, PodEvent[]>();
  private readonly byName = new Map<string, PodEvent[]>();

  constructor(events: readonly KubeEvent[]) {
    for (const event of events) {
      const regarding = regardingOf(event);
      if (!regarding || (regarding.kind && regarding.kind !== 'Pod')) continue;
      const normalized = normalizeEvent(event);
      if (!normalized) continue;
      const namespace = regarding.namespace ?? event.metadata?.namespace ?? '';
      const key = regarding.uid ? regarding.uid : `${namespace}/${regarding.name ?? ''}`;
      const map = regarding.uid ? this.byUid : this.byName;
      const list = map.get(key);
      if (list) list.push(normalized);
      else map.set(key, [normalized]);
    }
    for (const list of [...this.byUid.values(), ...this.byName.values()]) list.sort((a, b) => a.firstAt - b.firstAt);
  }

  /** The pod's events, oldest first occurrence first. */
  eventsFor(pod: Pod): PodEvent[] {
    const byUid = pod.metadata.uid ? this.byUid.get(pod.metadata.uid) : undefined;
    const byName = this.byName.get(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    if (byUid && byName) return [...byUid, ...byName].sort((a, b) => a.firstAt - b.firstAt);
    return byUid ?? byName ?? [];
  }
}
