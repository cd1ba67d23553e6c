import assert from 'node:assert/strict';
import { WorkloadPodIndex, workloadRef, type Pod, type WorkloadObject } from '../../core/timings';
import { loadScenario, SNAPSHOT_TIME } from './fixtures';

const rollout = loadScenario('deployment-rollout');
const batch = loadScenario('batch');
const names = (pods: Pod[]) => pods.map((pod) => pod.metadata.name);
const byName = (objects: WorkloadObject[], name: string) => objects.find((object) => object.metadata.name === name)!;

/** Newest first: the 09:00:00 trio is ordered by name. */
const WEB_PODS = [
  'web-7f9c6d5b8-m9w3z', // 09:06:00
  'web-7f9c6d5b8-zr4tq', // 09:05:00
  'web-7f9c6d5b8-v5t7w', // 09:02:00
  'web-7f9c6d5b8-h6c4d', // 09:01:00
  'web-7f9c6d5b8-k2x9p', // 09:00:00
  'web-7f9c6d5b8-p7h4m',
  'web-7f9c6d5b8-q8n2v',
  'web-6b7c8d9e5-9gq7c', // 07:40:30, revision 2
  'web-6b7c8d9e5-2mfkx', // 07:40:00
];

describe('core/timings workload pods', () => {
  const index = new WorkloadPodIndex(rollout.pods, { replicaSets: rollout.replicasets });

  it('finds a Deployment\'s pods through all its ReplicaSets, newest first', () => {
    const web = index.podsOf(workloadRef(byName(rollout.deployments, 'web')));
    assert.deepEqual(names(web.pods), WEB_PODS);
    assert.equal(web.matchedBy, 'owner-references');
    assert.deepEqual(names(index.podsOf(workloadRef(byName(rollout.deployments, 'api'))).pods), ['api-8c7d6f5b9-tz6kq']);
  });

  it('keeps only the pods created within the window, and the most recent ones', () => {
    const web = workloadRef(byName(rollout.deployments, 'web'));
    // Snapshot 09:10:00, window 60 min: from 09:10 - 60 min = 08:10; the revision 2 pods (07:40) are out.
    assert.deepEqual(names(index.podsOf(web, { createdWithinMs: 60 * 60_000, now: SNAPSHOT_TIME['deployment-rollout'] }).pods), WEB_PODS.slice(0, 7));
    // 10 min: from 09:00:00, inclusive.
    assert.deepEqual(names(index.podsOf(web, { createdWithinMs: 10 * 60_000, now: SNAPSHOT_TIME['deployment-rollout'] }).pods), WEB_PODS.slice(0, 7));
    // 9 min: from 09:01:00.
    assert.deepEqual(names(index.podsOf(web, { createdWithinMs: 9 * 60_000, now: SNAPSHOT_TIME['deployment-rollout'] }).pods), WEB_PODS.slice(0, 4));
    assert.deepEqual(names(index.podsOf(web, { limit: 3 }).pods), WEB_PODS.slice(0, 3));
    assert.throws(() => index.podsOf(web, { createdWithinMs: 60_000 }), /`now` is required/);
  });

  it('matches a manifest from the editor, which has no UID, by kind and name', () => {
    const manifest: WorkloadObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
    };
    assert.deepEqual(names(index.podsOf(workloadRef(manifest)).pods), WEB_PODS);
  });

  it('falls back to the selector when ReplicaSets are not available, keeping only pods of its own ReplicaSets', () => {
    const decoys: Pod[] = [
      // A debug pod someone started with the same labels: no controller.
      { metadata: { name: 'web-debug', namespace: 'shop', creationTimestamp: '2025-06-03T09:07:00Z', labels: { 'app.kubernetes.io/name': 'web' } } },
      // A canary Deployment's pod whose labels overlap: its ReplicaSet is web-canary-<hash>, not web-<hash>.
      {
        metadata: {
          name: 'web-canary-5c4b3a2d1-xk2lp',
          namespace: 'shop',
          creationTimestamp: '2025-06-03T09:07:00Z',
          labels: { 'app.kubernetes.io/name': 'web', 'pod-template-hash': '5c4b3a2d1' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-canary-5c4b3a2d1', uid: 'rs-canary', controller: true }],
        },
      },
      // Same labels in another namespace.
      { ...rollout.pods[0], metadata: { ...rollout.pods[0].metadata, namespace: 'staging', uid: 'staging-pod' } },
    ];
    const withoutReplicaSets = new WorkloadPodIndex([...rollout.pods, ...decoys]);
    const web = withoutReplicaSets.podsOf(workloadRef(byName(rollout.deployments, 'web')));
    assert.deepEqual(names(web.pods), WEB_PODS);
    assert.equal(web.matchedBy, 'label-selector');
  });

  it('finds StatefulSet, Job and CronJob pods, the CronJob\'s through its Jobs', () => {
    assert.deepEqual(names(index.podsOf(workloadRef(byName(rollout.statefulsets, 'cache'))).pods), ['cache-0']);
    const batchIndex = new WorkloadPodIndex(batch.pods, { jobs: batch.jobs });
    const cron = workloadRef(byName(batch.cronjobs, 'nightly-report'));
    assert.deepEqual(names(batchIndex.podsOf(cron).pods), ['nightly-report-29147160-7xk2p', 'nightly-report-29145720-5vq9d']);
    // Snapshot 02:10 on June 2, window 60 min: only that night's run.
    assert.deepEqual(names(batchIndex.podsOf(cron, { createdWithinMs: 60 * 60_000, now: SNAPSHOT_TIME.batch }).pods), ['nightly-report-29147160-7xk2p']);
    assert.deepEqual(names(batchIndex.podsOf(workloadRef(byName(batch.jobs, 'db-migrate'))).pods), ['db-migrate-w2r7n', 'db-migrate-4kq8s']);
    // Without the Jobs: pods whose Job is named nightly-report-<scheduled minute>.
    const fallback = new WorkloadPodIndex(batch.pods).podsOf(cron);
    assert.deepEqual([names(fallback.pods), fallback.matchedBy], [['nightly-report-29147160-7xk2p', 'nightly-report-29145720-5vq9d'], 'label-selector']);
  });

  it('finds DaemonSet pods and a bare Pod, and orphaned pods by selector when no owner claims any', () => {
    const pod = (name: string, owner?: { kind: string; name: string; uid: string }, labels: Record<string, string> = {}): Pod => ({
      metadata: { name, namespace: 'kube-system', creationTimestamp: '2025-06-03T08:00:00Z', labels, ownerReferences: owner ? [{ apiVersion: 'apps/v1', ...owner, controller: true }] : undefined },
    });
    const pods = [
      pod('node-exporter-4xkq2', { kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-1' }, { app: 'node-exporter' }),
      pod('node-exporter-9zt7c', { kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-1' }, { app: 'node-exporter' }),
      pod('debug-shell'),
      pod('registry-cache-0', undefined, { app: 'registry-cache' }),
    ];
    const system = new WorkloadPodIndex(pods);
    const daemonSet: WorkloadObject = { kind: 'DaemonSet', metadata: { name: 'node-exporter', namespace: 'kube-system', uid: 'ds-1' }, spec: { selector: { matchLabels: { app: 'node-exporter' } } } };
    assert.deepEqual(names(system.podsOf(workloadRef(daemonSet)).pods), ['node-exporter-4xkq2', 'node-exporter-9zt7c']);
    assert.deepEqual(names(system.podsOf({ kind: 'Pod', name: 'debug-shell', namespace: 'kube-system' }).pods), ['debug-shell']);
    // The StatefulSet was deleted with --cascade=orphan and recreated: its old pod has no owner any more.
    const statefulSet: WorkloadObject = { kind: 'StatefulSet', metadata: { name: 'registry-cache', namespace: 'kube-system', uid: 'sts-2' }, spec: { selector: { matchLabels: { app: 'registry-cache' } } } };
    assert.deepEqual(system.podsOf(workloadRef(statefulSet)), { pods: [pods[3]], matchedBy: 'label-selector' });
  });
});
