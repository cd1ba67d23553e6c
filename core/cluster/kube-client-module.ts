/**
 * Loads kube-client.ts (client-node's KubeConfig and Watch, node-fetch) on first use, so that the
 * language server and the CLI start without reading, compiling or initialising them: only reading
 * a cluster needs them. In dist/ the require below is rewritten by scripts/build.mjs to the
 * separate bundle dist/kube-client.js next to the one running; from source (tsx) it loads
 * kube-client.ts, which requires the ESM @kubernetes/client-node (Node 20.19+ requires ESM).
 */
import type * as KubeClient from './kube-client';

export type KubeClientModule = typeof KubeClient;

let loaded: KubeClientModule | undefined;

/** client-node's KubeConfig and Watch and node-fetch's fetch, loaded at the first call. */
export function kubeClient(): KubeClientModule {
  loaded ??= require('./kube-client') as KubeClientModule;
  return loaded;
}
