/**
 * Which cluster Podstart talks to, decided the way kubectl decides it: an explicit kubeconfig path
 * (the `podstart.kubeconfig` setting, `--kubeconfig`), else the files of `KUBECONFIG` merged in
 * order, else `~/.kube/config`; a context chosen by the user, else the file's current context; the
 * context's namespace, else `default`. Loading reads files only: credentials plugins (`exec`,
 * `auth-provider`) run when a request is made, which only happens in a trusted workspace
 * (core/cluster/cluster-access.ts).
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeClient } from './kube-client-module';

export interface KubeconfigLocation {
  /** An explicit path: the setting or the command line's `--kubeconfig`. */
  explicitPath?: string;
  env: NodeJS.ProcessEnv;
  /** The home folder, for `~/.kube/config` and a leading `~` in paths. */
  home?: string;
}

/** The kubeconfig files to read, in kubectl's order of precedence. */
export function kubeconfigPaths(location: KubeconfigLocation): string[] {
  const home = location.home ?? os.homedir();
  const expand = (file: string) => (file.startsWith('~') ? path.join(home, file.slice(1)) : file);
  if (location.explicitPath?.trim()) return [expand(location.explicitPath.trim())];
  const fromEnv = (location.env.KUBECONFIG ?? '').split(path.delimiter).filter((file) => file.trim() !== '');
  if (fromEnv.length > 0) return fromEnv.map(expand);
  return [path.join(home, '.kube', 'config')];
}

export interface LoadedKubeconfig {
  config: KubeConfig;
  /** The files read (the ones that exist). */
  files: string[];
  contexts: string[];
  /** The context in use: the one asked for, or the file's current context. */
  context: string;
  /** The context's namespace, or `default`. */
  namespace: string;
  /** The API server's URL, for display (never credentials). */
  server: string;
}

export class KubeconfigError extends Error {}

/**
 * Reads and merges the kubeconfig files and selects a context. Throws KubeconfigError with a
 * message for the user (no file, a file that does not parse, an unknown context); the message
 * names files and contexts, never credentials.
 */
export function loadKubeconfig(location: KubeconfigLocation, context?: string): LoadedKubeconfig {
  const candidates = kubeconfigPaths(location);
  const files = candidates.filter((file) => existsSync(file));
  if (files.length === 0) {
    throw new KubeconfigError(`No kubeconfig found (looked for ${candidates.join(', ')}). Set podstart.kubeconfig or KUBECONFIG, or pass --kubeconfig.`);
  }
  const { KubeConfig } = kubeClient();
  const config = new KubeConfig();
  files.forEach((file, index) => {
    const next = index === 0 ? config : new KubeConfig();
    try {
      next.loadFromFile(file);
    } catch (error) {
      throw new KubeconfigError(`Cannot read the kubeconfig ${file}: ${firstLine(error)}`);
    }
    // Like kubectl, the first file that sets current-context wins.
    if (index > 0) config.mergeConfig(next, true);
  });
  const contexts = config.getContexts().map((candidate) => candidate.name);
  const chosen = context ?? config.getCurrentContext();
  if (!chosen) throw new KubeconfigError(`The kubeconfig (${files.join(', ')}) sets no current context; choose one of: ${contexts.join(', ') || 'none defined'}.`);
  if (!contexts.includes(chosen)) throw new KubeconfigError(`No context "${chosen}" in the kubeconfig (${files.join(', ')}); it has: ${contexts.join(', ') || 'none'}.`);
  config.setCurrentContext(chosen);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`Context "${chosen}" names a cluster the kubeconfig does not define.`);
  const namespace = config.getContextObject(chosen)?.namespace || 'default';
  return { config, files, contexts, context: chosen, namespace, server: cluster.server };
}

/** Whether the context's user gets credentials by running a program (`exec`) or an auth provider plugin. */
export function usesCredentialPlugin(config: KubeConfig): boolean {
  const user = config.getCurrentUser();
  return Boolean(user?.exec || user?.authProvider);
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
