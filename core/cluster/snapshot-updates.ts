/**
 * Keeps a snapshot of one namespace current from watch events (core/cluster/namespace-watch.ts), as
 * listing again would have it: ADDED and MODIFIED put the object in its resource's list (replacing the
 * one with the same uid, or the same namespace/name for an object without one), DELETED takes it out,
 * and every event, BOOKMARK included, moves the resource's resourceVersion on (so that a watch started
 * again later goes on from there).
 *
 * Objects are matched through an index of their positions, built on first use and again after a
 * deletion (which shifts the positions): a burst of changes to a namespace of thousands of events
 * costs one pass over each list, not one per change.
 */
import { typedObject, type ClusterSnapshot, type KubeObject, type NamespacedResource } from './snapshot';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

function keyOf(object: KubeObject): string | undefined {
  const metadata = object?.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  if (typeof metadata.uid === 'string' && metadata.uid !== '') return `uid:${metadata.uid}`;
  return typeof metadata.name === 'string' && metadata.name !== '' ? `name:${metadata.namespace ?? ''}/${metadata.name}` : undefined;
}

export class SnapshotUpdater {
  private readonly positions = new Map<NamespacedResource, Map<string, number>>();

  constructor(
    readonly snapshot: ClusterSnapshot,
    /** The namespace the watched lists are of (the snapshot's resourceVersions are per namespace). */
    readonly namespace: string,
  ) {}

  /** Applies one watch event; returns whether the snapshot's objects changed (a bookmark, or an object seen already at this resourceVersion, changes nothing). */
  apply(resource: NamespacedResource, type: WatchEventType, object: KubeObject): boolean {
    const resourceVersion = object?.metadata?.resourceVersion;
    if (typeof resourceVersion === 'string' && resourceVersion !== '') this.moveTo(resource, resourceVersion);
    if (type === 'BOOKMARK') return false;
    const key = keyOf(object);
    if (!key) return false;
    const list = this.snapshot.objects[resource];
    const positions = this.positionsOf(resource);
    const at = positions.get(key);
    if (type === 'DELETED') {
      if (at === undefined) return false;
      list.splice(at, 1);
      // Every later position moved: rebuilt when next needed.
      this.positions.delete(resource);
      return true;
    }
    const typed = typedObject(resource, object);
    if (at === undefined) {
      positions.set(key, list.length);
      list.push(typed);
      return true;
    }
    // A watch started again from an older resourceVersion repeats events: the same version is no change.
    if (typeof resourceVersion === 'string' && list[at]?.metadata?.resourceVersion === resourceVersion) return false;
    list[at] = typed;
    return true;
  }

  private positionsOf(resource: NamespacedResource): Map<string, number> {
    let positions = this.positions.get(resource);
    if (!positions) {
      positions = new Map();
      this.snapshot.objects[resource].forEach((object, index) => {
        const key = keyOf(object);
        if (key) positions!.set(key, index);
      });
      this.positions.set(resource, positions);
    }
    return positions;
  }

  private moveTo(resource: NamespacedResource, resourceVersion: string): void {
    const versions = (this.snapshot.resourceVersions ??= []);
    const entry = versions.find((candidate) => candidate.resource === resource && candidate.namespace === this.namespace);
    if (entry) entry.resourceVersion = resourceVersion;
    else versions.push({ resource, namespace: this.namespace, resourceVersion });
  }
}
