/**
 * core/cluster/snapshot-updates.ts: watch events applied to a snapshot as a new list would have it
 * (by uid, or namespace/name without one), the resourceVersions moved on, and snapshot files written
 * before resourceVersions were kept still loading.
 */
import assert from 'node:assert/strict';
import { listResourceVersion, parseSnapshot, type ClusterSnapshot, type KubeObject } from '../../core/cluster/snapshot';
import { SnapshotUpdater } from '../../core/cluster/snapshot-updates';

const pod = (name: string, uid: string | undefined, resourceVersion: string, phase = 'Pending'): KubeObject => ({
  metadata: { name, namespace: 'shop', ...(uid ? { uid } : {}), resourceVersion },
  status: { phase },
});

/** Three pods of shop (web-c without a uid) listed at resourceVersion 20; parseSnapshot fills in the rest. */
function snapshot(): ClusterSnapshot {
  const pods = [pod('web-a', 'uid-a', '10'), pod('web-b', 'uid-b', '11'), pod('web-c', undefined, '12')].map((item) => ({ apiVersion: 'v1', kind: 'Pod', ...item }));
  const resourceVersions = [
    { resource: 'pods', namespace: 'shop', resourceVersion: '20' },
    { resource: 'nodes', resourceVersion: '20' },
  ];
  return parseSnapshot(JSON.stringify({ kind: 'PodstartSnapshot', version: 1, namespaces: ['shop'], objects: { pods }, resourceVersions }), 'test');
}

const names = (taken: ClusterSnapshot) => taken.objects.pods.map((object) => `${object.metadata.name}:${object.status?.phase}@${object.metadata.resourceVersion}`);

describe('core/cluster: watch events applied to a snapshot', () => {
  it('adds, replaces by uid (or namespace/name) and deletes, each change once, and moves the resourceVersion on', () => {
    const taken = snapshot();
    const updater = new SnapshotUpdater(taken, 'shop');
    assert.equal(updater.apply('pods', 'MODIFIED', pod('web-b', 'uid-b', '21', 'Running')), true);
    assert.equal(updater.apply('pods', 'ADDED', pod('web-d', 'uid-d', '22')), true);
    assert.equal(updater.apply('pods', 'MODIFIED', pod('web-c', undefined, '23', 'Running')), true);
    // The same version again (a watch started over from an older resourceVersion): nothing changes.
    assert.equal(updater.apply('pods', 'MODIFIED', pod('web-b', 'uid-b', '21', 'Running')), false);
    assert.equal(updater.apply('pods', 'DELETED', pod('web-a', 'uid-a', '24')), true);
    // Positions after a deletion are found again.
    assert.equal(updater.apply('pods', 'MODIFIED', pod('web-d', 'uid-d', '25', 'Running')), true);
    assert.equal(updater.apply('pods', 'DELETED', pod('web-gone', 'uid-x', '26')), false);
    assert.deepEqual(names(taken), ['web-b:Running@21', 'web-c:Running@23', 'web-d:Running@25']);
    // List items carry no kind: the snapshot's objects say what they are.
    assert.deepEqual([taken.objects.pods[2].apiVersion, taken.objects.pods[2].kind], ['v1', 'Pod']);
    assert.equal(listResourceVersion(taken, 'pods', 'shop'), '26');
    assert.equal(updater.apply('pods', 'BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '40' } }), false);
    assert.equal(listResourceVersion(taken, 'pods', 'shop'), '40');
    assert.equal(listResourceVersion(taken, 'nodes'), '20', 'other lists keep theirs');
  });

  it('starts the resourceVersions of a snapshot that had none, and ignores an object without a name', () => {
    const taken = snapshot();
    delete taken.resourceVersions;
    const updater = new SnapshotUpdater(taken, 'shop');
    assert.equal(updater.apply('events', 'ADDED', { metadata: { resourceVersion: '30' } }), false);
    assert.equal(updater.apply('events', 'ADDED', { metadata: { name: 'web-a.1', namespace: 'shop', resourceVersion: '31' }, reason: 'Pulling' }), true);
    assert.deepEqual(taken.resourceVersions, [{ resource: 'events', namespace: 'shop', resourceVersion: '31' }]);
    assert.deepEqual([taken.objects.events[0].kind, taken.objects.events[0].reason], ['Event', 'Pulling']);
  });

  it('loads snapshot files written before the resourceVersions were kept, and drops a malformed list of them', () => {
    const old = snapshot() as Partial<ClusterSnapshot>;
    delete old.resourceVersions;
    const loaded = parseSnapshot(JSON.stringify(old), 'old.json');
    assert.equal(loaded.resourceVersions, undefined);
    assert.equal(listResourceVersion(loaded, 'pods', 'shop'), undefined);
    assert.equal(loaded.objects.pods.length, 3);
    const malformed = parseSnapshot(JSON.stringify({ ...old, resourceVersions: { pods: '1' } }), 'odd.json');
    assert.equal(listResourceVersion(malformed, 'pods', 'shop'), undefined);
    const current = parseSnapshot(JSON.stringify(snapshot()), 'new.json');
    assert.equal(listResourceVersion(current, 'pods', 'shop'), '20');
  });
});
