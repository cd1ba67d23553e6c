/**
 * `podstart capture` and `podstart timings`: the cluster side of the CLI. Both read the cluster
 * through core/cluster (GET only, the kubeconfig kubectl would use); `timings` can instead read a
 * snapshot file that `capture` wrote, so the same figures come out offline and in CI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { KubeconfigError, loadKubeconfig } from '../core/cluster/kubeconfig';
import { ReadOnlyClusterClient } from '../core/cluster/read-only-client';
import { captureSnapshot, parseSnapshot, timingSourceOf, type ClusterSnapshot } from '../core/cluster/snapshot';
import { ClusterFactsIndex } from '../core/cluster/workload-cluster-facts';
import { manifestImages, podImages } from '../core/cluster/workload-images';
import { timingsForWorkloads, type NamedWorkload, type WorkloadTimings } from '../core/timings/workload-timings';
import { findWorkloads } from '../core/workload';
import { DocumentParseCache } from '../core/yaml-documents';
import type { CaptureCommand, ClusterOptions, TimingsCommand } from './cluster-arguments';
import type { CliEnvironment } from './environment';
import { filesInFolder } from './file-selection';
import { formatTimingsJson, formatTimingsTable, type ClusterFactsForRows } from './timings-format';

/** A workload as its manifest names it, with the images it writes. */
type ManifestWorkload = NamedWorkload & { images: string[] };

/** Writes a snapshot of the namespaces (the context's namespace by default) to --output or stdout. */
export async function runCapture(command: CaptureCommand, environment: CliEnvironment): Promise<number> {
  const connected = connect(command.cluster, environment);
  if (typeof connected === 'string') return fail(environment, connected);
  const namespaces = command.cluster.namespaces.length > 0 ? command.cluster.namespaces : [connected.namespace];
  const snapshot = await captureSnapshot(connected.client, { context: connected.context, namespaces, nodeDetails: command.nodeDetails });
  if (snapshot.unavailable.length > 0 && snapshot.unavailable.every((entry) => entry.kind === 'unreachable' || entry.kind === 'timeout' || entry.kind === 'unauthorized')) {
    return fail(environment, `Cannot read the cluster of context "${connected.context}" (${connected.server}): ${snapshot.unavailable[0].message}`);
  }
  for (const entry of snapshot.unavailable) environment.stderr.write(`podstart: warning: ${entry.message}\n`);
  const text = JSON.stringify(snapshot, null, 2) + '\n';
  if (command.output) {
    await writeFile(path.resolve(environment.cwd, command.output), text);
    environment.stderr.write(`podstart: wrote ${command.output}: ${snapshot.objects.pods.length} pods, ${snapshot.objects.events.length} events, ${snapshot.objects.nodes.length} nodes from ${namespaces.join(', ')}\n`);
  } else {
    environment.stdout.write(text);
  }
  return 0;
}

/** Prints each workload of the manifests with its startup timings, from the cluster or a snapshot. */
export async function runTimings(command: TimingsCommand, environment: CliEnvironment): Promise<number> {
  const workloads = await manifestWorkloads(command.paths.length > 0 ? command.paths : ['.'], environment);
  if (typeof workloads === 'string') return fail(environment, workloads);
  let snapshot: ClusterSnapshot;
  let defaultNamespace = command.cluster.namespaces[0] ?? 'default';
  if (command.snapshot) {
    try {
      snapshot = parseSnapshot(await readFile(path.resolve(environment.cwd, command.snapshot), 'utf8'), command.snapshot);
    } catch (error) {
      return fail(environment, (error as Error).message);
    }
    defaultNamespace = command.cluster.namespaces[0] ?? snapshot.namespaces[0] ?? 'default';
  } else {
    const connected = connect(command.cluster, environment);
    if (typeof connected === 'string') return fail(environment, connected);
    defaultNamespace = command.cluster.namespaces[0] ?? connected.namespace;
    const namespaces = [...new Set(workloads.map((workload) => workload.namespace ?? defaultNamespace))];
    snapshot = await captureSnapshot(connected.client, { context: connected.context, namespaces: namespaces.length > 0 ? namespaces : [defaultNamespace], nodeDetails: command.nodeDetails });
    // A kubelet the node proxy cannot reach costs only that node's details, not the run.
    const fatal = snapshot.unavailable.find((entry) => entry.resource !== 'nodes/proxy' && (entry.kind === 'unreachable' || entry.kind === 'timeout' || entry.kind === 'unauthorized'));
    if (fatal) return fail(environment, `Cannot read the cluster of context "${connected.context}" (${connected.server}): ${fatal.message}`);
  }
  for (const entry of snapshot.unavailable) environment.stderr.write(`podstart: warning: ${entry.message}\n`);
  const rows = timingsForWorkloads(timingSourceOf(snapshot), workloads, { defaultNamespace, windowMs: command.windowMs });
  const cluster = clusterFacts(snapshot, workloads, rows, command.snapshot ? 'take the snapshot with podstart capture --node-details (needs get on nodes/proxy)' : 'add --node-details (needs get on nodes/proxy)');
  const source = command.snapshot ? `snapshot ${command.snapshot} (context ${snapshot.context || 'unknown'}, taken ${snapshot.capturedAt})` : `context ${snapshot.context} (${snapshot.server})`;
  environment.stdout.write(command.format === 'json' ? formatTimingsJson(rows, { context: snapshot.context, capturedAt: snapshot.capturedAt }, cluster) : formatTimingsTable(rows, source, cluster));
  return 0;
}

/** Each row's cluster facts: its manifest's images (its pods' when the manifest names none) on the nodes, and the kubelets of the nodes its pods ran on. */
function clusterFacts(snapshot: ClusterSnapshot, workloads: readonly ManifestWorkload[], rows: readonly WorkloadTimings[], nodeDetailsHint: string): ClusterFactsForRows {
  const index = new ClusterFactsIndex(snapshot);
  const podsByName = new Map(snapshot.objects.pods.map((pod) => [`${pod.metadata?.namespace}/${pod.metadata?.name}`, pod]));
  const facts = rows.map((row, position) => {
    const pods = row.pods.flatMap((startup) => podsByName.get(`${row.workload.namespace}/${startup.name}`) ?? []);
    const images = workloads[position].images.length > 0 ? workloads[position].images : podImages(pods);
    return index.forWorkload({ images, nodes: row.pods.flatMap((startup) => (startup.nodeName ? [startup.nodeName] : [])) });
  });
  return { facts, kubeletsRead: index.kubeletsRead, nodeDetailsHint };
}

function connect(cluster: ClusterOptions, environment: CliEnvironment): { client: ReadOnlyClusterClient; context: string; namespace: string; server: string } | string {
  try {
    const loaded = loadKubeconfig({ explicitPath: cluster.kubeconfig && path.resolve(environment.cwd, cluster.kubeconfig), env: environment.env }, cluster.context);
    return { client: new ReadOnlyClusterClient(loaded.config), context: loaded.context, namespace: loaded.namespace, server: loaded.server };
  } catch (error) {
    if (error instanceof KubeconfigError) return error.message;
    throw error;
  }
}

/** The workloads of the manifests named (files, or folders searched as `podstart check` does). */
async function manifestWorkloads(paths: readonly string[], environment: CliEnvironment): Promise<ManifestWorkload[] | string> {
  const files: string[] = [];
  for (const given of paths) {
    const full = path.resolve(environment.cwd, given);
    const found = await filesInFolder(full, () => undefined);
    files.push(...(found.length > 0 ? found : [full]));
  }
  const workloads: ManifestWorkload[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EISDIR') continue;
      environment.stderr.write(`podstart: warning: cannot read ${file}: ${(error as Error).message}\n`);
      continue;
    }
    for (const chunk of new DocumentParseCache().parse(text, () => true)) {
      if (!chunk.doc || chunk.errors.length > 0) continue;
      for (const workload of findWorkloads(chunk.doc)) {
        // One row per object, however many pod templates it has (their images together).
        const known = workloads.find((entry) => entry.kind === workload.kind && entry.name === workload.name && entry.namespace === workload.namespace);
        const images = manifestImages(workload);
        if (known) known.images.push(...images.filter((image) => !known.images.includes(image)));
        else workloads.push({ kind: workload.kind, name: workload.name, namespace: workload.namespace, images });
      }
    }
  }
  return workloads.length > 0 ? workloads : `No workloads found in ${paths.join(', ')}.`;
}

function fail(environment: CliEnvironment, message: string): number {
  environment.stderr.write(`podstart: ${message}\n`);
  return 2;
}
