/**
 * The values Podstart takes from @kubernetes/client-node and node-fetch, in one module of their
 * own. With their dependencies (whatwg-url, tr46, ws, socks, js-yaml, jsonpath-plus…) they are
 * about 1.8 MB of bundle and tens of milliseconds of module initialisation, needed only once the
 * cluster is read; scripts/build.mjs bundles this file as dist/kube-client.js, beside the server
 * and the CLI, and nothing imports it but kube-client-module.ts, which loads it on first use.
 */
export { KubeConfig, Watch } from '@kubernetes/client-node';
export { default as fetch } from 'node-fetch';
