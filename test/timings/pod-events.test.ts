import assert from 'node:assert/strict';
import { normalizeEvent, podStartups, type CoreEvent, type EventsV1Event, type KubeEvent } from '../../core/timings';
import { loadScenario } from './fixtures';

/** The events.k8s.io/v1 view of a core/v1 event, as the API server converts it (pkg/apis/events/v1 conversion). */
function asEventsV1(event: CoreEvent): EventsV1Event {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: event.metadata,
    eventTime: event.eventTime ?? null,
    series: event.series ?? undefined,
    reportingController: event.reportingComponent,
    reportingInstance: event.reportingInstance,
    action: event.action,
    reason: event.reason,
    regarding: event.involvedObject,
    note: event.message,
    type: event.type,
    deprecatedSource: event.source,
    deprecatedFirstTimestamp: event.firstTimestamp ?? null,
    deprecatedLastTimestamp: event.lastTimestamp ?? null,
    deprecatedCount: event.count,
  };
}

describe('core/timings events', () => {
  it('reads a legacy kubelet event: whole-second first and last times, count', () => {
    const event = normalizeEvent({
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u-1', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      source: { component: 'kubelet', host: 'node-a' },
      firstTimestamp: '2025-06-03T09:00:08Z',
      lastTimestamp: '2025-06-03T09:02:40Z',
      count: 2,
      eventTime: null,
    });
    assert.deepEqual(event, {
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      type: undefined,
      fieldPath: 'spec.containers{web}',
      firstAt: Date.parse('2025-06-03T09:00:08Z'),
      lastAt: Date.parse('2025-06-03T09:02:40Z'),
      count: 2,
      component: 'kubelet',
      host: 'node-a',
    });
  });

  it('reads an events.k8s.io event with eventTime and series (microseconds kept to the millisecond)', () => {
    const event = normalizeEvent({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding: { kind: 'Pod', name: 'web-2', namespace: 'shop', uid: 'u-2' },
      reason: 'FailedScheduling',
      note: '0/3 nodes are available: 3 Insufficient cpu.',
      type: 'Warning',
      eventTime: '2025-06-03T09:06:00.412871Z',
      series: { count: 7, lastObservedTime: '2025-06-03T09:09:41.120553Z' },
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-control-plane-1',
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    });
    assert.deepEqual([event?.firstAt, event?.lastAt, event?.count, event?.component], [Date.parse('2025-06-03T09:06:00.412Z'), Date.parse('2025-06-03T09:09:41.120Z'), 7, 'default-scheduler']);
  });

  it('reads a legacy event through events.k8s.io (deprecated fields) and strips the aggregation prefix', () => {
    const event = normalizeEvent({
      regarding: { kind: 'Pod', name: 'web-3', namespace: 'shop', uid: 'u-3', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      note: '(combined from similar events): Successfully pulled image "nginx:1.27" in 1s (1s including waiting). Image size: 1 bytes.',
      eventTime: null,
      deprecatedSource: { component: 'kubelet', host: 'node-b' },
      deprecatedFirstTimestamp: '2025-06-03T09:00:01Z',
      deprecatedLastTimestamp: '2025-06-03T09:00:05Z',
      deprecatedCount: 3,
    });
    assert.deepEqual(
      [event?.message, event?.firstAt, event?.lastAt, event?.count, event?.component, event?.host],
      ['Successfully pulled image "nginx:1.27" in 1s (1s including waiting). Image size: 1 bytes.', Date.parse('2025-06-03T09:00:01Z'), Date.parse('2025-06-03T09:00:05Z'), 3, 'kubelet', 'node-b'],
    );
  });

  it('gives the same timings whichever events API the snapshot was read from', () => {
    for (const name of ['deployment-rollout', 'batch'] as const) {
      const scenario = loadScenario(name);
      const fromCore = podStartups(scenario);
      const fromEventsV1 = podStartups({ ...scenario, events: (scenario.events as CoreEvent[]).map(asEventsV1) as KubeEvent[] });
      assert.deepEqual(fromEventsV1, fromCore, name);
    }
  });

  it('matches events to the pod by UID, so a recreated pod of the same name does not inherit them', () => {
    const scenario = loadScenario('deployment-rollout');
    const original = scenario.pods.find((pod) => pod.metadata.name === 'web-7f9c6d5b8-k2x9p')!;
    const recreated = { ...original, metadata: { ...original.metadata, uid: 'another-uid' } };
    const [startup] = podStartups({ pods: [recreated], events: scenario.events, nodes: scenario.nodes });
    assert.deepEqual(
      startup.containers.map((container) => container.pull.status),
      ['unknown', 'unknown', 'unknown'],
    );
  });
});
