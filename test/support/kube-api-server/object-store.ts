/**
 * The cluster's objects, versioned the way etcd versions them for kube-apiserver: one revision
 * counter for every write, each object's `metadata.resourceVersion` the revision of its last write,
 * and a history of changes from which a watch resumes and a paginated list reads a consistent
 * snapshot. `compact()` drops history, as etcd compaction (every 5 minutes by default) does; what
 * asks for a revision before it then gets 410 Gone.
 *
 * Keys sort like etcd keys (`namespace/name`, or `name` for cluster-scoped objects), which is the
 * order lists come back in.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject, ResourceType } from './resources';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: ChangeType;
  revision: number;
  storage: string;
  key: string;
  /** The object after the change; for DELETED its last state, at the revision of the deletion. */
  object: KubeObject;
  /** The object before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

export function objectKey(type: ResourceType, namespace: string | undefined, name: string): string {
  return type.namespaced ? `${namespace ?? ''}/${name}` : name;
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function kubeTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Objects = Map<string, KubeObject>;

export class ObjectStore {
  private currentRevision: number;
  private compacted: number;
  private readonly current = new Map<string, Objects>();
  /** The state at the compacted revision, onto which history replays. */
  private readonly baseline = new Map<string, Objects>();
  private history: StoreChange[] = [];
  private readonly listeners = new Set<(change: StoreChange) => void>();

  constructor(initialRevision: number) {
    this.currentRevision = initialRevision;
    this.compacted = initialRevision;
  }

  /** The revision of the last write (what a list made now reports as its resourceVersion). */
  get revision(): number {
    return this.currentRevision;
  }

  /** Revisions before this one are gone: no watch resumes from them, no snapshot is read at them. */
  get compactedRevision(): number {
    return this.compacted;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objectsOf(this.current, type.storage).get(objectKey(type, namespace, name));
  }

  /** Creates (`create`), replaces (`update`) or either (`upsert`) an object of a stored type. */
  write(type: ResourceType, input: KubeObject, mode: 'create' | 'update' | 'upsert'): StoreChange {
    if (!input.metadata?.name) throw new Error(`a ${type.kind} needs metadata.name`);
    const object = structuredClone(input);
    if (type.namespaced) object.metadata.namespace = object.metadata.namespace || 'default';
    else delete object.metadata.namespace;
    const key = objectKey(type, object.metadata.namespace, object.metadata.name);
    const objects = this.objectsOf(this.current, type.storage);
    const previous = objects.get(key);
    if (previous && mode === 'create') throw new Error(`${type.resource} ${key} already exists`);
    if (!previous && mode === 'update') throw new Error(`${type.resource} ${key} does not exist`);

    object.metadata.uid = object.metadata.uid ?? previous?.metadata.uid ?? randomUUID();
    object.metadata.creationTimestamp = object.metadata.creationTimestamp ?? previous?.metadata.creationTimestamp ?? kubeTimestamp();
    object.metadata.resourceVersion = String(++this.currentRevision);
    objects.set(key, object);
    return this.record({ type: previous ? 'MODIFIED' : 'ADDED', revision: this.currentRevision, storage: type.storage, key, object, previous });
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): StoreChange {
    const key = objectKey(type, type.namespaced ? namespace || 'default' : undefined, name);
    const objects = this.objectsOf(this.current, type.storage);
    const previous = objects.get(key);
    if (!previous) throw new Error(`${type.resource} ${key} does not exist`);
    objects.delete(key);
    this.currentRevision += 1;
    const object = structuredClone(previous);
    object.metadata.resourceVersion = String(this.currentRevision);
    return this.record({ type: 'DELETED', revision: this.currentRevision, storage: type.storage, key, object, previous });
  }

  /**
   * The objects of a storage at `revision` (default: now), sorted by key. Undefined when the
   * revision is compacted away or not reached yet.
   */
  objectsAt(storage: string, revision = this.currentRevision): Array<[string, KubeObject]> | undefined {
    if (revision < this.compacted || revision > this.currentRevision) return undefined;
    let objects: Objects;
    if (revision === this.currentRevision) {
      objects = this.objectsOf(this.current, storage);
    } else {
      objects = new Map(this.objectsOf(this.baseline, storage));
      for (const change of this.history) {
        if (change.revision > revision) break;
        if (change.storage !== storage) continue;
        if (change.type === 'DELETED') objects.delete(change.key);
        else objects.set(change.key, change.object);
      }
    }
    return [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The changes to a storage after `revision`, oldest first; undefined when some are compacted away. */
  changesSince(storage: string, revision: number): StoreChange[] | undefined {
    if (revision < this.compacted) return undefined;
    return this.history.filter((change) => change.revision > revision && change.storage === storage);
  }

  /** Forgets the history up to `revision` (default: all of it), as etcd compaction does. */
  compact(revision = this.currentRevision): void {
    const upTo = Math.min(revision, this.currentRevision);
    if (upTo <= this.compacted) return;
    const kept: StoreChange[] = [];
    for (const change of this.history) {
      if (change.revision > upTo) {
        kept.push(change);
        continue;
      }
      const objects = this.objectsOf(this.baseline, change.storage);
      if (change.type === 'DELETED') objects.delete(change.key);
      else objects.set(change.key, change.object);
    }
    this.history = kept;
    this.compacted = upTo;
  }

  private record(change: StoreChange): StoreChange {
    this.history.push(change);
    for (const listener of this.listeners) listener(change);
    return change;
  }

  private objectsOf(states: Map<string, Objects>, storage: string): Objects {
    let objects = states.get(storage);
    if (!objects) states.set(storage, (objects = new Map()));
    return objects;
  }
}
