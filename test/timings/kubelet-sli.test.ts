/**
 * The kubelet start SLI: created -> all app containers started, minus merged image pull time, minus
 * init container runtime (sidecars not subtracted); stateful and unschedulable pods excluded.
 */
import assert from 'node:assert/strict';
import { isStatefulPod, type Pod } from '../../core/timings';
import { loadScenario, startupsByName } from './fixtures';

const pods = startupsByName(loadScenario('deployment-rollout'));
const jobs = startupsByName(loadScenario('batch'));
const sli = (name: string) => (pods.get(name) ?? jobs.get(name))!.sli;

describe('core/timings kubelet SLI', () => {
  it('subtracts pulls and init containers from the time to all containers started', () => {
    // k2x9p: web started t+25; pulls 5.5 + 8.904 = 14.404 s; migrate ran 6 s; the sidecar's start is not
    // subtracted. 25 - 14.404 - 6 = 4.596 s, while users waited 31 s for Ready.
    assert.deepEqual(sli('web-7f9c6d5b8-k2x9p'), { included: true, exclusion: undefined, valueMs: 4596, e2eMs: 25_000, pullMs: 14_404, initMs: 6000 });
    // p7h4m: 19 - (2.302 + 6.371) - 6 = 4.327 s.
    assert.equal(sli('web-7f9c6d5b8-p7h4m').valueMs, 4327);
    // q8n2v: 10 - 0 - 6 = 4 s.
    assert.equal(sli('web-7f9c6d5b8-q8n2v').valueMs, 4000);
    // h6c4d (node clock corrected by 3 s): 20 - 11.75 - 6 = 2.25 s.
    assert.equal(sli('web-7f9c6d5b8-h6c4d').valueMs, 2250);
    // api: 16 - 13.802 = 2.198 s.
    assert.equal(sli('api-8c7d6f5b9-tz6kq').valueMs, 2198);
    // nightly-report run of June 2: 16 - 11.537 - 3 = 1.463 s.
    assert.equal(sli('nightly-report-29147160-7xk2p').valueMs, 1463);
  });

  it('stops at the first start of every app container: restarts and readiness do not count', () => {
    // v5t7w: web first started t+9, OOM-killed, Ready only at t+46. SLI = 9 - 0 - 6 = 3 s.
    assert.equal(sli('web-7f9c6d5b8-v5t7w').valueMs, 3000);
    // zr4tq never turns Ready but all its containers started at t+10: 10 - 0 - 6 = 4 s.
    assert.deepEqual([sli('web-7f9c6d5b8-zr4tq').included, sli('web-7f9c6d5b8-zr4tq').valueMs], [true, 4000]);
  });

  it('excludes stateful, unschedulable and unstarted pods, and pods whose pull time is unknown', () => {
    // cache-0 mounts a PersistentVolumeClaim: stateful. Its figure is still given (9 s), not counted.
    assert.deepEqual(sli('cache-0'), { included: false, exclusion: 'stateful', valueMs: 9000, e2eMs: 9000, pullMs: 0, initMs: 0 });
    assert.deepEqual(sli('web-7f9c6d5b8-m9w3z'), { included: false, exclusion: 'unschedulable' });
    assert.deepEqual(sli('web-6b7c8d9e5-2mfkx'), { included: false, exclusion: 'pull-unknown', e2eMs: 14_000, initMs: 6000 });
  });

  it('counts the default service account token volume and other ephemeral sources as stateless', () => {
    const pod = (volumes: Array<Record<string, unknown>>): Pod => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], volumes } });
    const stateless: Array<Record<string, unknown>> = [
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'config', configMap: { name: 'c' } },
      { name: 'secret', secret: { secretName: 's' } },
      { name: 'info', downwardAPI: { items: [] } },
      { name: 'tmp', emptyDir: {} },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
      { name: 'inline', csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { 'csi.storage.k8s.io/ephemeral': 'true' } } },
    ];
    assert.equal(isStatefulPod(pod(stateless)), false);
    assert.equal(isStatefulPod(pod([])), false);
    for (const volume of [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }, { name: 'host', hostPath: { path: '/var/lib/x' } }, { name: 'nfs', nfs: { server: 'nfs', path: '/' } }, { name: 'csi', csi: { driver: 'ebs.csi.aws.com' } }]) {
      assert.equal(isStatefulPod(pod([...stateless, volume])), true, volume.name);
    }
  });
});
