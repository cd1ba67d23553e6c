/**
 * Everything of the timings service that touches @kubernetes/client-node: opening the kubeconfig,
 * capturing a namespace, watching it, reading a snapshot file, listing contexts. The server loads
 * this module with a dynamic import, the first time a trusted workspace asks for timings: a session that never
 * does (an untrusted workspace, lenses off) never loads the Kubernetes client at all, and nothing
 * here runs before the workspace is trusted (exec and auth-provider plugins run only when a request
 * is made, core/cluster/kubeconfig.ts).
 */
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubeconfigError, loadKubeconfig, type LoadedKubeconfig } from '../core/cluster/kubeconfig';
import type { WatchClient } from '../core/cluster/namespace-watch';
import { ReadOnlyClusterClient, type ReadOnlyClientOptions } from '../core/cluster/read-only-client';
import { captureSnapshot, parseSnapshot, type ClusterSnapshot } from '../core/cluster/snapshot';
import type { ClusterContextsResult } from './protocol';

export { KubeconfigError };

export interface ClusterTarget {
  /** `podstart.kubeconfig`; absent: `KUBECONFIG`, then `~/.kube/config`. */
  kubeconfig?: string;
  /** `podstart.cluster.context`; absent: the kubeconfig's current context. */
  context?: string;
  env: NodeJS.ProcessEnv;
  home?: string;
}

/** An opened kubeconfig context: what the lenses name, and a way to capture a namespace. */
export interface OpenedCluster {
  context: string;
  /** The context's namespace (or `default`). */
  namespace: string;
  /** The API server's URL, for the log (never credentials). */
  server: string;
  /** `nodeDetails`: also each kubelet's /configz and /metrics (of the nodes running the namespace's pods), through the node proxy. */
  capture(namespace: string, options?: { nodeDetails?: boolean }): Promise<ClusterSnapshot>;
  /** Watches through the same read-only client (core/cluster/namespace-watch.ts uses it). */
  watch: WatchClient['watch'];
}

/** `podstart.kubeconfig` as a path: `~` is the home folder, and a relative path is taken from it too (a machine setting has no folder of its own). */
function explicitPath(target: ClusterTarget): string | undefined {
  const given = target.kubeconfig?.trim();
  if (!given) return undefined;
  const home = target.home ?? os.homedir();
  if (given.startsWith('~')) return path.join(home, given.slice(1));
  return path.isAbsolute(given) ? given : path.join(home, given);
}

function load(target: ClusterTarget): LoadedKubeconfig {
  return loadKubeconfig({ explicitPath: explicitPath(target), env: target.env, home: target.home }, target.context);
}

/** Reads the kubeconfig and selects the context; throws KubeconfigError with a message for the user. */
export function openCluster(target: ClusterTarget, clientOptions: ReadOnlyClientOptions = {}): OpenedCluster {
  const loaded = load(target);
  const client = new ReadOnlyClusterClient(loaded.config, clientOptions);
  return {
    context: loaded.context,
    namespace: loaded.namespace,
    server: loaded.server,
    capture: (namespace, options = {}) => captureSnapshot(client, { context: loaded.context, namespaces: [namespace], nodeDetails: options.nodeDetails }),
    watch: (path, query, onEvent, onEnd) => client.watch(path, query, onEvent, onEnd),
  };
}

/** The kubeconfig's contexts, for the context picker. */
export function listContexts(target: ClusterTarget): ClusterContextsResult {
  try {
    // The current context, not the selected one: an unknown selection must not hide the list.
    const loaded = load({ ...target, context: undefined });
    const contexts = loaded.config.getContexts().map((context) => ({ name: context.name, namespace: context.namespace || undefined, cluster: context.cluster }));
    return { contexts, current: loaded.config.getCurrentContext() || undefined, selected: target.context, files: loaded.files };
  } catch (error) {
    if (error instanceof KubeconfigError) return { contexts: [], selected: target.context, files: [], error: error.message };
    throw error;
  }
}

/**
 * Reads a snapshot file written by `podstart capture`. Messages never quote the file's text: a
 * setting may point at any file, and a JSON parser's message shows the characters it stopped at.
 */
export async function readSnapshotFile(file: string): Promise<ClusterSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `the snapshot file ${file} does not exist` : `cannot read the snapshot file ${file} (${code ?? 'error'})`);
  }
  try {
    return parseSnapshot(text, file);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith(`${file} is not JSON`) ? `${file} is not JSON (podstart capture writes a snapshot)` : message);
  }
}
