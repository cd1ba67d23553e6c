/**
 * A snapshot of what pod startup timings are computed from: a namespace's pods, their events and
 * owners, and the nodes, read with a fixed number of list requests (eight per namespace and one for the nodes, whatever
 * the number of pods), plus optionally each node's kubelet configuration and metrics through the
 * API server's node proxy. `podstart capture` writes one to a file; `podstart timings --snapshot`
 * and the editor read it instead of a live cluster.
 *
 * Each resource degrades on its own: a list the user may not read (RBAC) or that fails is recorded
 * in `unavailable`, and the rest of the snapshot is still taken.
 *
 * Each list's resourceVersion is kept (`resourceVersions`), so that the editor can watch for changes
 * from exactly that point (core/cluster/namespace-watch.ts) and keep the snapshot current with
 * core/cluster/snapshot-updates.ts instead of listing again.
 */
import type { TimingSource } from '../timings/workload-timings';
import { ClusterRequestError, type ClusterErrorKind, type ListResult, type ReadOnlyClusterClient } from './read-only-client';

/** The resources a snapshot holds, by their plural names, with the API paths they are listed from. */
export const NAMESPACED_RESOURCES = {
  pods: '/api/v1/namespaces/{namespace}/pods',
  events: '/api/v1/namespaces/{namespace}/events',
  replicasets: '/apis/apps/v1/namespaces/{namespace}/replicasets',
  deployments: '/apis/apps/v1/namespaces/{namespace}/deployments',
  statefulsets: '/apis/apps/v1/namespaces/{namespace}/statefulsets',
  daemonsets: '/apis/apps/v1/namespaces/{namespace}/daemonsets',
  jobs: '/apis/batch/v1/namespaces/{namespace}/jobs',
  cronjobs: '/apis/batch/v1/namespaces/{namespace}/cronjobs',
} as const;

export type NamespacedResource = keyof typeof NAMESPACED_RESOURCES;

/**
 * The apiVersion and kind of each resource's objects. List items come without them (the API
 * server puts them on the list only); the snapshot restores them, as `kubectl get -o json` does,
 * so each object says what it is.
 */
const TYPES: Record<NamespacedResource | 'nodes', { apiVersion: string; kind: string }> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  events: { apiVersion: 'v1', kind: 'Event' },
  replicasets: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  cronjobs: { apiVersion: 'batch/v1', kind: 'CronJob' },
  nodes: { apiVersion: 'v1', kind: 'Node' },
};
export type SnapshotResource = NamespacedResource | 'nodes';

/** A Kubernetes object as the API returns it. */
export type KubeObject = Record<string, any>;

export interface Unavailable {
  resource: SnapshotResource | 'nodes/proxy';
  namespace?: string;
  node?: string;
  /** For `nodes/proxy`: which kubelet path could not be read. */
  path?: 'configz' | 'metrics';
  kind: ClusterErrorKind;
  message: string;
}

export interface NodeDetails {
  /** The kubelet's live configuration (`/configz`'s `kubeletconfig`). */
  kubeletConfig?: KubeObject;
  /** The kubelet's Prometheus metrics, as text. */
  metrics?: string;
}

/** The resourceVersion a list was read at (and, once watched, the last one seen): where a watch of it starts. */
export interface ListVersion {
  resource: SnapshotResource;
  /** Absent for the nodes (cluster-scoped). */
  namespace?: string;
  resourceVersion: string;
}

export interface ClusterSnapshot {
  kind: 'PodstartSnapshot';
  version: 1;
  capturedAt: string;
  context: string;
  server: string;
  namespaces: string[];
  objects: Record<SnapshotResource, KubeObject[]>;
  nodeDetails: Record<string, NodeDetails>;
  unavailable: Unavailable[];
  /**
   * Optional, so that the format stays version 1: snapshot files written before it was kept load
   * as they are (a file is never watched; only the editor's live captures are).
   */
  resourceVersions?: ListVersion[];
}

export interface CaptureOptions {
  context: string;
  namespaces: string[];
  /** Also read each node's kubelet configuration and metrics through the node proxy (nodes that run the namespaces' pods). */
  nodeDetails?: boolean;
  now?: () => Date;
}

/** An object of a resource with its apiVersion and kind (list items come without them). */
export function typedObject(resource: SnapshotResource, item: KubeObject): KubeObject {
  return { ...TYPES[resource], ...item };
}

/** The resourceVersion a snapshot's list of a resource (in a namespace) was read at, or last watched to; undefined when not kept or not read. */
export function listResourceVersion(snapshot: ClusterSnapshot, resource: SnapshotResource, namespace?: string): string | undefined {
  return snapshot.resourceVersions?.find((entry) => entry.resource === resource && entry.namespace === namespace)?.resourceVersion;
}

/** Reads a snapshot: eight lists per namespace and one for the nodes; per-node proxy reads only when asked. */
export async function captureSnapshot(client: ReadOnlyClusterClient, options: CaptureOptions): Promise<ClusterSnapshot> {
  const snapshot: ClusterSnapshot = {
    kind: 'PodstartSnapshot',
    version: 1,
    capturedAt: (options.now?.() ?? new Date()).toISOString(),
    context: options.context,
    server: client.server,
    namespaces: options.namespaces,
    objects: { pods: [], events: [], replicasets: [], deployments: [], statefulsets: [], daemonsets: [], jobs: [], cronjobs: [], nodes: [] },
    nodeDetails: {},
    unavailable: [],
    resourceVersions: [],
  };
  const listed = (resource: SnapshotResource, namespace: string | undefined, result: ListResult<KubeObject>) => {
    snapshot.objects[resource].push(...result.items.map((item) => typedObject(resource, item)));
    if (result.resourceVersion) snapshot.resourceVersions!.push({ resource, ...(namespace === undefined ? {} : { namespace }), resourceVersion: result.resourceVersion });
  };
  const record = (error: unknown, entry: Omit<Unavailable, 'kind' | 'message'>) => {
    if (!(error instanceof ClusterRequestError)) throw error;
    snapshot.unavailable.push({ ...entry, kind: error.kind, message: error.message });
  };
  const lists: Array<Promise<void>> = [];
  for (const namespace of options.namespaces) {
    for (const [resource, template] of Object.entries(NAMESPACED_RESOURCES) as Array<[NamespacedResource, string]>) {
      lists.push(
        client.list<KubeObject>(template.replace('{namespace}', encodeURIComponent(namespace))).then(
          (result) => listed(resource, namespace, result),
          (error) => record(error, { resource, namespace }),
        ),
      );
    }
  }
  lists.push(client.list<KubeObject>('/api/v1/nodes').then((result) => listed('nodes', undefined, result), (error) => record(error, { resource: 'nodes' })));
  await Promise.all(lists);
  if (options.nodeDetails) await readNodeDetails(client, snapshot, record);
  return snapshot;
}

/** The kubelet's configuration and metrics of each node running the snapshot's pods, read through the API server's node proxy. */
async function readNodeDetails(client: ReadOnlyClusterClient, snapshot: ClusterSnapshot, record: (error: unknown, entry: Omit<Unavailable, 'kind' | 'message'>) => void): Promise<void> {
  const nodes = [...new Set(snapshot.objects.pods.map((pod) => pod.spec?.nodeName).filter((name): name is string => typeof name === 'string' && name !== ''))].sort();
  await Promise.all(
    nodes.map(async (node) => {
      const details: NodeDetails = {};
      const base = `/api/v1/nodes/${encodeURIComponent(node)}/proxy`;
      await client.getJson<{ kubeletconfig?: KubeObject }>(`${base}/configz`).then(
        (configz) => void (details.kubeletConfig = configz.kubeletconfig),
        (error) => record(error, { resource: 'nodes/proxy', node, path: 'configz' }),
      );
      await client.getText(`${base}/metrics`, {}, 'text/plain').then(
        (metrics) => void (details.metrics = metrics),
        (error) => record(error, { resource: 'nodes/proxy', node, path: 'metrics' }),
      );
      snapshot.nodeDetails[node] = details;
    }),
  );
}

/** Reads a snapshot file's JSON, checking it is one; throws an Error with a message for the user. */
export function parseSnapshot(text: string, source: string): ClusterSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  const snapshot = value as Partial<ClusterSnapshot>;
  if (snapshot?.kind !== 'PodstartSnapshot' || snapshot.version !== 1 || typeof snapshot.objects !== 'object' || snapshot.objects === null) {
    throw new Error(`${source} is not a Podstart snapshot (podstart capture writes one).`);
  }
  const objects = snapshot.objects as Partial<Record<SnapshotResource, unknown>>;
  for (const resource of [...Object.keys(NAMESPACED_RESOURCES), 'nodes'] as SnapshotResource[]) {
    if (!Array.isArray(objects[resource])) objects[resource] = [];
  }
  // Absent from files written before it was kept; anything else than a list of them is dropped.
  if (snapshot.resourceVersions !== undefined && !Array.isArray(snapshot.resourceVersions)) delete snapshot.resourceVersions;
  return { nodeDetails: {}, unavailable: [], namespaces: [], context: '', server: '', capturedAt: '', ...snapshot } as ClusterSnapshot;
}

/**
 * The snapshot as timings read it. The objects are what the API server returned; core/timings
 * types them by the fields it reads (and tolerates any of them missing), which the generic
 * KubeObject here does not spell out.
 */
export function timingSourceOf(snapshot: ClusterSnapshot): TimingSource {
  return snapshot as unknown as TimingSource;
}
