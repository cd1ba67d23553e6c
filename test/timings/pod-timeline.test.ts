/**
 * Each pod's phases against figures computed by hand from the fixture's timestamps (all times below are
 * on the fixture's date; "t+N" is N seconds after the pod's creation). Phases must add up to the time to
 * Ready (or, for Jobs, to all containers started).
 */
import assert from 'node:assert/strict';
import { podStartup, PodEventIndex, type PodStartup } from '../../core/timings';
import { at, loadScenario, startupsByName } from './fixtures';

const rollout = loadScenario('deployment-rollout');
const batch = loadScenario('batch');
const pods = startupsByName(rollout);
const jobs = startupsByName(batch);
const june3 = at('2025-06-03');
const june2 = at('2025-06-02');

function get(map: Map<string, PodStartup>, name: string): PodStartup {
  const startup = map.get(name);
  assert.ok(startup, name);
  return startup;
}

function sumOfPhases(startup: PodStartup): number {
  return Object.values(startup.phases).reduce((sum, value) => sum + (value ?? 0), 0);
}

describe('core/timings pod timeline', () => {
  it('splits a pod with an init container, a sidecar and two pulls that waited for a pull slot', () => {
    const pod = get(pods, 'web-7f9c6d5b8-k2x9p');
    // created 09:00:00, PodScheduled 09:00:01                                   schedule = 1 s
    // migrate: Pulling 09:00:02, "in 3.2s (5.5s including waiting)"           pull [t+2, t+7.5]
    // web:     Pulling 09:00:16, "in 6.012s (8.904s including waiting)"       pull [t+16, t+24.904]
    //                                                                          pull = 5.5 + 8.904 = 14.404 s
    // migrate ran 09:00:08 -> 09:00:14                                         init = 6 s
    // all app containers started 09:00:25 (web); scheduled -> started = 24 s  start = 24 - 14.404 - 6 = 3.596 s
    // Ready 09:00:31                                                           ready = 31 - 25 = 6 s
    assert.deepEqual(pod.phases, { schedule: 1000, pull: 14_404, init: 6000, start: 3596, ready: 6000 });
    assert.equal(pod.timeToReadyMs, 31_000);
    assert.equal(pod.timeToRunningMs, 25_000);
    assert.equal(sumOfPhases(pod), pod.timeToReadyMs);
    assert.equal(pod.state, 'ready');
    assert.deepEqual(pod.milestones, {
      createdAt: june3('09:00:00'),
      scheduledAt: june3('09:00:01'),
      sandboxReadyAt: june3('09:00:02'),
      initializedAt: june3('09:00:15'),
      containersStartedAt: june3('09:00:25'),
      containersReadyAt: june3('09:00:31'),
      readyAt: june3('09:00:31'),
    });
  });

  it('reports each pull as the kubelet measured it: the pull, the wait for a slot, the size', () => {
    const pod = get(pods, 'web-7f9c6d5b8-k2x9p');
    const byName = new Map(pod.containers.map((container) => [container.name, container]));
    assert.deepEqual(
      pod.containers.map((container) => [container.name, container.kind]),
      [['migrate', 'init'], ['log-shipper', 'sidecar'], ['web', 'app']],
    );
    // 5.5 s including waiting - 3.2 s pulling = 2.3 s queued behind other pulls on node-a.
    assert.deepEqual(byName.get('migrate')!.pull, {
      image: 'registry.example.com/shop/web-migrate:2.4.1',
      status: 'pulled',
      requestedAt: june3('09:00:02'),
      completedAt: june3('09:00:07'),
      pullMs: 3200,
      totalMs: 5500,
      waitingMs: 2300,
      sizeBytes: 48_234_496,
      sizeSource: 'kubelet-event',
      failedAttempts: 0,
      interval: { start: june3('09:00:02'), end: june3('09:00:02') + 5500 },
    });
    // 8.904 - 6.012 = 2.892 s waiting.
    assert.equal(byName.get('web')!.pull.waitingMs, 2892);
    // "already present on machine": no pull, and the size comes from node-a's status.images.
    assert.deepEqual(byName.get('log-shipper')!.pull, {
      image: 'fluent/fluent-bit:3.0.4',
      status: 'cached',
      completedAt: june3('09:00:14'),
      failedAttempts: 0,
      sizeBytes: 30_183_744,
      sizeSource: 'node-status',
    });
    assert.deepEqual(byName.get('migrate')!.runs, [{ start: june3('09:00:08'), end: june3('09:00:14'), exitCode: 0 }]);
    assert.equal(byName.get('log-shipper')!.startedAt, june3('09:00:15'));
  });

  it('lays the phases out as consecutive segments for a waterfall', () => {
    const pod = get(pods, 'web-7f9c6d5b8-k2x9p');
    const t = (seconds: number) => june3('09:00:00') + seconds * 1000;
    assert.deepEqual(pod.segments, [
      { phase: 'schedule', start: t(0), end: t(1) },
      { phase: 'start', start: t(1), end: t(2) },
      { phase: 'pull', start: t(2), end: t(7.5), container: 'migrate' },
      { phase: 'start', start: t(7.5), end: t(8) },
      { phase: 'init', start: t(8), end: t(14), container: 'migrate' },
      { phase: 'start', start: t(14), end: t(16) },
      { phase: 'pull', start: t(16), end: t(24.904), container: 'web' },
      { phase: 'start', start: t(24.904), end: t(25) },
      { phase: 'ready', start: t(25), end: t(31) },
    ]);
  });

  it('splits a second pod on the same node whose pulls overlapped the first one', () => {
    const pod = get(pods, 'web-7f9c6d5b8-p7h4m');
    // schedule 09:00:00 -> 09:00:01                                        1 s
    // migrate "in 2.302s (2.302s including waiting)" from 09:00:02;
    // web "in 6.371s" from 09:00:12 (overlaps k2x9p's web pull at 09:00:16)  pull = 2.302 + 6.371 = 8.673 s
    // migrate ran 09:00:05 -> 09:00:11                                     init = 6 s
    // web started 09:00:19: 19 - 1 = 18 s after scheduling                 start = 18 - 8.673 - 6 = 3.327 s
    // Ready 09:00:23                                                       ready = 23 - 19 = 4 s
    assert.deepEqual(pod.phases, { schedule: 1000, pull: 8673, init: 6000, start: 3327, ready: 4000 });
    assert.equal(pod.timeToReadyMs, 23_000);
  });

  it('counts no pull time when every image was already on the node (kubelet 1.35 message)', () => {
    const pod = get(pods, 'web-7f9c6d5b8-q8n2v');
    // schedule 1 s; pull 0; migrate 09:00:02 -> 09:00:08 = 6 s; web started 09:00:10:
    // start = (10 - 1) - 0 - 6 = 3 s; Ready 09:00:14: ready = 14 - 10 = 4 s.
    assert.deepEqual(pod.phases, { schedule: 1000, pull: 0, init: 6000, start: 3000, ready: 4000 });
    assert.deepEqual(
      pod.containers.map((container) => container.pull.status),
      ['cached', 'cached', 'cached'],
    );
  });

  it('corrects the clock of a node that is behind the control plane, keeping node-measured durations', () => {
    const pod = get(pods, 'web-7f9c6d5b8-h6c4d');
    // created 09:01:00, scheduled 09:01:01 (control plane). node-c reports startTime and its first
    // Pulling event at 09:00:58, before the pod was even bound: its clock is at least
    // 09:01:01 - 09:00:58 = 3 s behind, so every node time moves 3 s later.
    assert.equal(pod.clockSkewMs, 3000);
    // After the shift, relative to creation:
    //   migrate pull    58+3 -> t+1, 3.1 s     [t+1, t+4.1]
    //   migrate run     62+3 -> t+5 .. 68+3 -> t+11      init = 6 s
    //   fluent-bit pull 68+3 -> t+11, 1.8 s    [t+11, t+12.8]
    //   web pull        70+3 -> t+13, 6.85 s   [t+13, t+19.85]   pull = 3.1 + 1.8 + 6.85 = 11.75 s
    //   web started     77+3 -> t+20;  start = (20 - 1) - 11.75 - 6 = 1.25 s
    //   Ready           81+3 -> t+24;  ready = 24 - 20 = 4 s
    assert.deepEqual(pod.phases, { schedule: 1000, pull: 11_750, init: 6000, start: 1250, ready: 4000 });
    // Without the correction, Ready would read 09:01:21: 21 s instead of 24 s.
    assert.equal(pod.timeToReadyMs, 24_000);
    assert.equal(pod.milestones.readyAt, june3('09:01:24'));
    const fluent = pod.containers.find((container) => container.name === 'log-shipper')!;
    assert.deepEqual(fluent.pull.interval, { start: june3('09:01:11'), end: june3('09:01:11') + 1800 });
    assert.equal(fluent.pull.sizeBytes, 30_183_744);
  });

  it('takes the first start of a restarted container and says that Ready came after the restart', () => {
    const pod = get(pods, 'web-7f9c6d5b8-v5t7w');
    // created and scheduled 09:02:00: schedule 0; all images cached: pull 0; migrate 09:02:01 -> 07: init 6 s.
    // web first started 09:02:09 (lastState.terminated, OOMKilled at 09:02:30, restarted 09:02:40):
    //   start = 9 - 0 - 6 = 3 s; Ready 09:02:46: ready = 46 - 9 = 37 s (the crash and back-off count).
    assert.deepEqual(pod.phases, { schedule: 0, pull: 0, init: 6000, start: 3000, ready: 37_000 });
    assert.equal(pod.milestones.containersStartedAt, june3('09:02:09'));
    assert.equal(pod.restarts, 1);
    assert.equal(pod.readyAfterRestart, true);
    const web = pod.containers.find((container) => container.name === 'web')!;
    // The cached-image event repeated on the restart (count 2): its first occurrence is the one kept.
    assert.deepEqual([web.pull.status, web.pull.completedAt, web.startedAt, web.firstStartApproximate], ['cached', june3('09:02:08'), june3('09:02:09'), false]);
  });

  it('gives a pod that never turns Ready its phases up to the start, and says where it is stuck', () => {
    const pod = get(pods, 'web-7f9c6d5b8-zr4tq');
    // schedule 09:05:00 -> 01 = 1 s; pull 0; init 09:05:02 -> 08 = 6 s; web started 09:05:10:
    // start = (10 - 1) - 0 - 6 = 3 s. Ready is False (readiness probe failing): no ready phase.
    assert.deepEqual(pod.phases, { schedule: 1000, pull: 0, init: 6000, start: 3000 });
    assert.equal(pod.timeToReadyMs, undefined);
    assert.equal(pod.timeToRunningMs, 10_000);
    assert.equal(pod.state, 'running');
    assert.equal(pod.stuckIn, 'ready');
  });

  it('reports a pod that was never scheduled, with the scheduler\'s reason and attempts', () => {
    const pod = get(pods, 'web-7f9c6d5b8-m9w3z');
    assert.equal(pod.state, 'pending');
    assert.equal(pod.stuckIn, 'schedule');
    assert.deepEqual(pod.phases, {});
    assert.deepEqual(pod.segments, []);
    assert.deepEqual(pod.unschedulable, {
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      since: june3('09:06:00'),
      // FailedScheduling recorded through events.k8s.io with series.count 7.
      attempts: 7,
    });
  });

  it('marks the pull unknown, not zero, when the events have expired', () => {
    const pod = get(pods, 'web-6b7c8d9e5-2mfkx');
    // Created 07:40:00, 90 minutes before the snapshot: no events left (event TTL 1 h).
    // schedule 07:40:00 -> 01 = 1 s; migrate 07:40:03 -> 09 = 6 s; web started 07:40:14:
    // pull or start = (14 - 1) - 6 = 7 s, not split; Ready 07:40:19: ready = 5 s.
    assert.deepEqual(pod.phases, { schedule: 1000, init: 6000, pullOrStart: 7000, ready: 5000 });
    assert.equal(pod.pullUnknown, true);
    assert.deepEqual(
      pod.containers.map((container) => container.pull.status),
      ['unknown', 'unknown'],
    );
    assert.deepEqual(
      pod.segments.map((segment) => segment.phase),
      ['schedule', 'pull-or-start', 'init', 'pull-or-start', 'ready'],
    );
  });

  it('times a Job pod to its containers started, with an init container and a pull', () => {
    const pod = get(jobs, 'nightly-report-29147160-7xk2p');
    // created and scheduled 02:00:00: schedule 0; fetch-config (busybox cached) ran 02:00:01 -> 04: init 3 s;
    // report pulled from 02:00:04 "in 11.537s": pull 11.537 s; report started 02:00:16:
    // start = 16 - 0 - 3 - 11.537 = 1.463 s. Succeeded, so Ready (False, PodCompleted) is no milestone.
    assert.deepEqual(pod.phases, { schedule: 0, pull: 11_537, init: 3000, start: 1463 });
    assert.equal(pod.timeToRunningMs, 16_000);
    assert.equal(pod.timeToReadyMs, undefined);
    assert.equal(pod.state, 'succeeded');
    assert.equal(pod.stuckIn, undefined);
    assert.equal(pod.containers[0].pull.sizeBytes, 2_160_406, 'busybox:1.36 is found as docker.io/library/busybox:1.36 in node status');
  });

  it('reads the old one-duration pull message and keeps its duration when whole-second times overrun the start', () => {
    const pod = get(jobs, 'db-migrate-4kq8s');
    // kubelet 1.26: Pulling 01:55:01, "Successfully pulled image ... in 4.209136582s" (waiting included,
    // truncated to 4209 ms), container started 01:55:05. From the Pulling event the pull would end at
    // 01:55:05.209, after the start: it is moved to end at the start, [01:55:00.791, 01:55:05].
    //   pull = 4.209 s, start = 5 - 0 - 4.209 = 0.791 s.
    assert.deepEqual(pod.phases, { schedule: 0, pull: 4209, init: 0, start: 791 });
    const pull = pod.containers[0].pull;
    assert.deepEqual([pull.pullMs, pull.totalMs, pull.waitingMs, pull.sizeBytes, pull.sizeSource], [undefined, 4209, undefined, 95_420_416, 'node-status']);
    assert.deepEqual(pull.interval, { start: june2('01:55:05') - 4209, end: june2('01:55:05') });
    assert.equal(pod.state, 'failed');
  });

  it('follows a pull through failures and back-off to its success', () => {
    const pod = {
      metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1', creationTimestamp: '2025-06-03T10:00:00Z' },
      spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'registry.example.com/shop/web:2.4.2' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-06-03T10:00:01Z' }],
        containerStatuses: [{ name: 'web', restartCount: 0, state: { running: { startedAt: '2025-06-03T10:00:40Z' } } }],
      },
    };
    const event = (reason: string, message: string, first: string, last = first, count = 1) => ({
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u-1', fieldPath: 'spec.containers{web}' },
      reason,
      message,
      firstTimestamp: `2025-06-03T${first}Z`,
      lastTimestamp: `2025-06-03T${last}Z`,
      count,
      source: { component: 'kubelet', host: 'node-a' },
    });
    const events = new PodEventIndex([
      event('Pulling', 'Pulling image "registry.example.com/shop/web:2.4.2"', '10:00:02', '10:00:31', 3),
      event('Failed', 'Failed to pull image "registry.example.com/shop/web:2.4.2": rpc error: code = Unknown desc = 429 Too Many Requests', '10:00:03', '10:00:13', 2),
      event('BackOff', 'Back-off pulling image "registry.example.com/shop/web:2.4.2"', '10:00:04', '10:00:20', 2),
      event('Pulled', 'Successfully pulled image "registry.example.com/shop/web:2.4.2" in 7.5s (7.5s including waiting). Image size: 187654321 bytes.', '10:00:38'),
    ]);
    const startup = podStartup(pod, events.eventsFor(pod));
    const pull = startup.containers[0].pull;
    // Two failed attempts, then a success: the pull runs from the first Pulling (10:00:02) to the
    // Pulled event (10:00:38), back-off included: 36 s. start = (40 - 1) - 36 = 3 s.
    assert.deepEqual([pull.status, pull.failedAttempts, pull.interval], ['pulled', 2, { start: Date.parse('2025-06-03T10:00:02Z'), end: Date.parse('2025-06-03T10:00:38Z') }]);
    assert.deepEqual(startup.phases, { schedule: 1000, pull: 36_000, init: 0, start: 3000 });
  });

  it('says a pod waiting for its image is stuck in the pull', () => {
    const pod = {
      metadata: { name: 'web-2', namespace: 'shop', uid: 'u-2', creationTimestamp: '2025-06-03T10:00:00Z' },
      spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'registry.example.com/shop/web:9.9.9' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-06-03T10:00:01Z' }],
        containerStatuses: [{ name: 'web', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }],
      },
    };
    const events = new PodEventIndex([
      {
        involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'shop', uid: 'u-2', fieldPath: 'spec.containers{web}' },
        reason: 'Failed',
        message: 'Failed to pull image "registry.example.com/shop/web:9.9.9": not found',
        firstTimestamp: '2025-06-03T10:00:03Z',
        count: 4,
        source: { component: 'kubelet', host: 'node-a' },
      },
      {
        involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'shop', uid: 'u-2', fieldPath: 'spec.containers{web}' },
        reason: 'Pulling',
        message: 'Pulling image "registry.example.com/shop/web:9.9.9"',
        firstTimestamp: '2025-06-03T10:00:02Z',
        count: 4,
        source: { component: 'kubelet', host: 'node-a' },
      },
    ]);
    const startup = podStartup(pod, events.eventsFor(pod));
    assert.deepEqual([startup.state, startup.stuckIn, startup.containers[0].pull.status, startup.containers[0].pull.failedAttempts], ['pending', 'pull', 'failing', 4]);
    assert.deepEqual(startup.phases, { schedule: 1000 });
  });
});
