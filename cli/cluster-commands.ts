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
import { timingsForWorkloads, type NamedWorkload } from '../core/timings/workload-timings';
import { findWorkloads } from '../core/workload';
import { DocumentParseCache } from '../core/yaml-documents';
import type { CaptureCommand, ClusterOptions, TimingsCommand } from './cluster-arguments';
import type { CliEnvironment } from './environment';
import { filesInFolder } from './file-selection';
import { formatTimingsJson, formatTimingsTable } from './timings-format';

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
    snapshot = await captureSnapshot(connected.client, { context: connected.context, namespaces: namespaces.length > 0 ? namespaces : [defaultNamespace] });
    if (snapshot.unavailable.some((entry) => entry.kind === 'unreachable' || entry.kind === 'timeout' || entry.kind === 'unauthorized')) {
      return fail(environment, `Cannot read the cluster of context "${connected.context}" (${connected.server}): ${snapshot.unavailable[0].message}`);
    }
  }
  for (const entry of snapshot.unavailable) environment.stderr.write(`podstart: warning: ${entry.message}\n`);
  const rows = timingsForWorkloads(timingSourceOf(snapshot), workloads, { defaultNamespace, windowMs: command.windowMs });
  const source = command.snapshot ? `snapshot ${command.snapshot} (context ${snapshot.context || 'unknown'}, taken ${snapshot.capturedAt})` : `context ${snapshot.context} (${snapshot.server})`;
  environment.stdout.write(command.format === 'json' ? formatTimingsJson(rows, { context: snapshot.context, capturedAt: snapshot.capturedAt }) : formatTimingsTable(rows, source));
  return 0;
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
async function manifestWorkloads(paths: readonly string[], environment: CliEnvironment): Promise<NamedWorkload[] | string> {
  const files: string[] = [];
  for (const given of paths) {
    const full = path.resolve(environment.cwd, given);
    const found = await filesInFolder(full, () => undefined);
    files.push(...(found.length > 0 ? found : [full]));
  }
  const workloads: NamedWorkload[] = [];
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
        // One row per object, however many pod templates it has.
        if (!workloads.some((known) => known.kind === workload.kind && known.name === workload.name && known.namespace === workload.namespace)) {
          workloads.push({ kind: workload.kind, name: workload.name, namespace: workload.namespace });
        }
      }
    }
  }
  return workloads.length > 0 ? workloads : `No workloads found in ${paths.join(', ')}.`;
}

function fail(environment: CliEnvironment, message: string): number {
  environment.stderr.write(`podstart: ${message}\n`);
  return 2;
}
