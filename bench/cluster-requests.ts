/**
 * API requests per refresh (issue 6, "Efficiency"): the requests one snapshot of the cluster costs
 * grow with the namespaces read, not with the pods in them. The HTTPS test server
 * (test/support/kube-api-server) holds a namespace of 100, 1,000 or 5,000 pods with two events each;
 * core/cluster's captureSnapshot reads one, two or three such namespaces, and the table prints the
 * requests the server saw (every one a GET), the list requests, and the wall time of the capture
 * (TLS, JSON, paging at 500 objects included). Then, as the editor does after a capture, each
 * namespace is watched from its lists' resourceVersions (core/cluster/namespace-watch.ts), and the
 * table prints the watch requests opened per namespace.
 *
 *   node --import tsx bench/cluster-requests.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '../core/cluster/kubeconfig';
import { ReadOnlyClusterClient } from '../core/cluster/read-only-client';
import { NamespaceWatch, WATCHED_RESOURCES } from '../core/cluster/namespace-watch';
import { captureSnapshot, listResourceVersion, type ClusterSnapshot } from '../core/cluster/snapshot';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, type KubeObject } from '../test/support/kube-api-server';
import { markdownTable } from './stats';

/** Watches each namespace of the snapshot as the editor does; resolves with the watch requests opened per namespace, once they are all open. */
async function watchRequestsPerNamespace(server: KubeApiTestServer, client: ReadOnlyClusterClient, snapshot: ClusterSnapshot): Promise<number> {
  server.clearRequests();
  const watches = snapshot.namespaces.map((namespace) => {
    const resourceVersions = Object.fromEntries(WATCHED_RESOURCES.map((resource) => [resource, listResourceVersion(snapshot, resource, namespace)]));
    return new NamespaceWatch({ client, namespace, resourceVersions, onEvent: () => undefined, onGone: () => undefined, onRefused: () => undefined });
  });
  for (const watch of watches) watch.start();
  const expected = snapshot.namespaces.length * WATCHED_RESOURCES.length;
  const deadline = Date.now() + 10_000;
  while (server.openWatchCount < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  for (const watch of watches) watch.stop();
  const opened = server.requests.filter((request) => request.verb === 'watch' && request.method === 'GET').length;
  return opened / snapshot.namespaces.length;
}

function namespaceObjects(namespace: string, pods: number): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let index = 0; index < pods; index++) {
    const name = `web-${index.toString(36).padStart(5, '0')}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, uid: `${namespace}-${index}`, creationTimestamp: '2025-06-03T09:00:00Z', labels: { app: 'web' } },
      spec: { nodeName: `node-${index % 40}`, containers: [{ name: 'web', image: 'registry.example.com/web:1.0.0' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-06-03T09:00:20Z' }] },
    });
    for (const reason of ['Pulling', 'Pulled']) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${reason}`, namespace },
        involvedObject: { kind: 'Pod', name, namespace, uid: `${namespace}-${index}` },
        reason,
        message: reason === 'Pulling' ? 'Pulling image "registry.example.com/web:1.0.0"' : 'Successfully pulled image "registry.example.com/web:1.0.0" in 4.2s (4.2s including waiting). Image size: 52428800 bytes.',
        firstTimestamp: '2025-06-03T09:00:02Z',
        lastTimestamp: '2025-06-03T09:00:06Z',
        type: 'Normal',
      });
    }
  }
  return objects;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const folder = mkdtempSync(path.join(tmpdir(), 'podstart-bench-cluster-'));
  try {
    for (const podsPerNamespace of [100, 1_000, 5_000]) {
      const namespaces = ['team-a', 'team-b', 'team-c'];
      const nodes: KubeObject[] = Array.from({ length: 40 }, (_, index) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${index}` } }));
      const server = new KubeApiTestServer({ users: [{ name: 'admin', token: 'bench-token', rules: CLUSTER_ADMIN_RULES }], objects: [...nodes, ...namespaces.flatMap((namespace) => namespaceObjects(namespace, podsPerNamespace))] });
      await server.start();
      try {
        const file = path.join(folder, 'kubeconfig');
        server.writeKubeconfig(file, { user: 'admin', namespace: 'team-a' });
        const loaded = loadKubeconfig({ explicitPath: file, env: {} });
        const client = new ReadOnlyClusterClient(loaded.config);
        for (const count of [1, 2, 3]) {
          server.clearRequests();
          const started = performance.now();
          const snapshot = await captureSnapshot(client, { context: loaded.context, namespaces: namespaces.slice(0, count) });
          const elapsed = performance.now() - started;
          const requests = server.requests;
          const lists = requests.filter((request) => request.verb === 'list').length;
          const methods = [...new Set(requests.map((request) => request.method))].join(', ');
          const row = [String(podsPerNamespace * count), String(count), String(requests.length), String(lists), `${8 * count + 1}`, methods, `${Math.round(elapsed)}`, String(snapshot.objects.pods.length)];
          rows.push([...row, String(await watchRequestsPerNamespace(server, client, snapshot))]);
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  console.log('### API requests per refresh: one snapshot of 1–3 namespaces (HTTPS test server, pages of 500)\n');
  console.log(markdownTable(['pods', 'namespaces', 'requests', 'list requests', 'lists without paging (8 per namespace + nodes)', 'methods', 'wall (ms)', 'pods read', 'watches per namespace (editor)'], rows));
  console.log('\nRequests grow with namespaces and with pages of 500 objects, never per pod or per workload; only GET is sent.');
  console.log(`After a capture the editor keeps each namespace current with ${WATCHED_RESOURCES.length} watch requests (${WATCHED_RESOURCES.join(', ')}), whatever its pods.`);
}

void main();
