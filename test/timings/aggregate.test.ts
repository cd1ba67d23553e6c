/**
 * Per-workload figures from the pods' phases (see pod-timeline.test.ts for each pod's arithmetic).
 * Percentiles are nearest-rank: rank ceil(p/100 * n) of the sorted values.
 */
import assert from 'node:assert/strict';
import { defaultMilestone, nearestRank, podStartups, summarizeWorkload, WorkloadPodIndex, workloadRef, type PodStartup } from '../../core/timings';
import { loadScenario, SNAPSHOT_TIME, type Scenario } from './fixtures';

function startupsOf(scenario: Scenario, workload: ReturnType<typeof workloadRef>, options: { createdWithinMs?: number; now?: number } = {}): PodStartup[] {
  const index = new WorkloadPodIndex(scenario.pods, { replicaSets: scenario.replicasets, jobs: scenario.jobs });
  return podStartups({ pods: index.podsOf(workload, options).pods, events: scenario.events, nodes: scenario.nodes });
}

describe('core/timings workload summary', () => {
  const rollout = loadScenario('deployment-rollout');
  const batch = loadScenario('batch');
  const web = workloadRef(rollout.deployments.find((deployment) => deployment.metadata.name === 'web')!);

  it('takes nearest-rank percentiles', () => {
    assert.equal(nearestRank([14, 23, 24, 31, 46], 50), 24); // ceil(2.5) = rank 3
    assert.equal(nearestRank([14, 23, 24, 31, 46], 95), 46); // ceil(4.75) = rank 5
    assert.equal(nearestRank(Array.from({ length: 20 }, (_, index) => index + 1), 95), 19); // ceil(19) = rank 19
    assert.equal(nearestRank([7], 50), 7);
    assert.equal(nearestRank([], 50), undefined);
  });

  it('summarises a Deployment\'s last hour: percentiles, SLI, phase shares, slowest and stuck pods', () => {
    const summary = summarizeWorkload(startupsOf(rollout, web, { createdWithinMs: 60 * 60_000, now: SNAPSHOT_TIME['deployment-rollout'] }));
    assert.equal(summary.milestone, 'ready');
    assert.equal(summary.podCount, 7);
    // Ready: q8n2v 14 s, p7h4m 23 s, h6c4d 24 s, k2x9p 31 s, v5t7w 46 s (zr4tq and m9w3z never Ready).
    assert.deepEqual(summary.timeToMilestone, { count: 5, p50Ms: 24_000, p95Ms: 46_000, maxMs: 46_000 });
    assert.equal(summary.reached, 5);
    // SLI: 2.25, 3, 4, 4 (zr4tq counts: its containers started), 4.327, 4.596 s; m9w3z excluded.
    // p50 = rank ceil(3) = 3 -> 4 s; p95 = rank ceil(5.7) = 6 -> 4.596 s.
    assert.deepEqual(summary.sli, { count: 6, p50Ms: 4000, p95Ms: 4596, maxMs: 4596, excluded: { unschedulable: 1 } });
    // Phases summed over the 5 Ready pods (k2x9p + p7h4m + q8n2v + v5t7w + h6c4d):
    //   schedule 1 + 1 + 1 + 0 + 1                          =   4 s
    //   pull     14.404 + 8.673 + 0 + 0 + 11.75             =  34.827 s
    //   init     6 + 6 + 6 + 6 + 6                          =  30 s
    //   start    3.596 + 3.327 + 3 + 3 + 1.25               =  14.173 s
    //   ready    6 + 4 + 4 + 37 + 4                         =  55 s
    //   total    31 + 23 + 14 + 46 + 24                     = 138 s
    assert.deepEqual(summary.phaseShare, { schedule: 4 / 138, pull: 34.827 / 138, init: 30 / 138, start: 14.173 / 138, ready: 55 / 138 });
    assert.equal(summary.phaseSharePods, 5);
    assert.equal(summary.dominantPhase, 'ready');
    assert.deepEqual(summary.slowest, [
      { name: 'web-7f9c6d5b8-v5t7w', nodeName: 'node-b', durationMs: 46_000, dominantPhase: 'ready' },
      { name: 'web-7f9c6d5b8-k2x9p', nodeName: 'node-a', durationMs: 31_000, dominantPhase: 'pull' },
      { name: 'web-7f9c6d5b8-h6c4d', nodeName: 'node-c', durationMs: 24_000, dominantPhase: 'pull' },
      { name: 'web-7f9c6d5b8-p7h4m', nodeName: 'node-a', durationMs: 23_000, dominantPhase: 'pull' },
      { name: 'web-7f9c6d5b8-q8n2v', nodeName: 'node-b', durationMs: 14_000, dominantPhase: 'init' },
    ]);
    assert.deepEqual(summary.stuck, [
      { name: 'web-7f9c6d5b8-m9w3z', state: 'pending', stuckIn: 'schedule', reason: 'Unschedulable' },
      { name: 'web-7f9c6d5b8-zr4tq', state: 'running', stuckIn: 'ready', reason: undefined },
    ]);
    assert.deepEqual(summary.flags, { clockSkew: 1, pullUnknown: 0, restarted: 1, unschedulable: 1 });
  });

  it('keeps pods whose events expired in the percentiles but not in the phase shares', () => {
    const summary = summarizeWorkload(startupsOf(rollout, web));
    assert.equal(summary.podCount, 9);
    // Adds 2mfkx (19 s) and 9gq7c (14 s): [14, 14, 19, 23, 24, 31, 46]; p50 = rank ceil(3.5) = 4 -> 23 s,
    // p95 = rank ceil(6.65) = 7 -> 46 s.
    assert.deepEqual(summary.timeToMilestone, { count: 7, p50Ms: 23_000, p95Ms: 46_000, maxMs: 46_000 });
    assert.equal(summary.phaseSharePods, 5);
    assert.equal(summary.phaseShare.pull, 34.827 / 138);
    assert.deepEqual(summary.sli.excluded, { unschedulable: 1, 'pull-unknown': 2 });
    assert.equal(summary.flags.pullUnknown, 2);
  });

  it('times Jobs and CronJobs to all containers started', () => {
    const cron = workloadRef(batch.cronjobs[0]);
    assert.equal(defaultMilestone('CronJob'), 'running');
    assert.equal(defaultMilestone('Deployment'), 'ready');
    const summary = summarizeWorkload(startupsOf(batch, cron), { milestone: defaultMilestone('CronJob') });
    // 5vq9d 15 s (pull unknown), 7xk2p 16 s: p50 = rank 1 -> 15 s, p95 = rank 2 -> 16 s.
    assert.deepEqual(summary.timeToMilestone, { count: 2, p50Ms: 15_000, p95Ms: 16_000, maxMs: 16_000 });
    // Shares from 7xk2p alone: 0 + 11.537 + 3 + 1.463 = 16 s.
    assert.deepEqual(summary.phaseShare, { schedule: 0, pull: 11.537 / 16, init: 3 / 16, start: 1.463 / 16 });
    assert.equal(summary.dominantPhase, 'pull');
    assert.deepEqual(summary.stuck, []);

    const job = workloadRef(batch.jobs.find((object) => object.metadata.name === 'db-migrate')!);
    const jobSummary = summarizeWorkload(startupsOf(batch, job), { milestone: 'running' });
    // w2r7n 1 s, 4kq8s 5 s. Phases: pull 4.209 + 0, start 0.791 + 1 = 1.791, of 6 s.
    assert.deepEqual(jobSummary.timeToMilestone, { count: 2, p50Ms: 1000, p95Ms: 5000, maxMs: 5000 });
    assert.deepEqual(jobSummary.phaseShare, { schedule: 0, pull: 4209 / 6000, init: 0, start: 1791 / 6000 });
  });

  it('summarises nothing without pods', () => {
    const summary = summarizeWorkload([]);
    assert.deepEqual(summary, {
      milestone: 'ready',
      podCount: 0,
      reached: 0,
      timeToMilestone: { count: 0, p50Ms: undefined, p95Ms: undefined, maxMs: undefined },
      sli: { count: 0, p50Ms: undefined, p95Ms: undefined, maxMs: undefined, excluded: {} },
      phaseShare: {},
      phaseSharePods: 0,
      dominantPhase: undefined,
      slowest: [],
      stuck: [],
      flags: { clockSkew: 0, pullUnknown: 0, restarted: 0, unschedulable: 0 },
    });
  });
});
