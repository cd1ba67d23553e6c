/**
 * The kubelets behind `/api/v1/nodes/<node>/proxy/<path>`: what each node's kubelet answers, from
 * fixtures. `/configz` is `{"kubeletconfig": {…}}` (application/json) and `/metrics` Prometheus
 * text, as the kubelet serves them; any other path can be given as is. A path the kubelet does not
 * serve is its plain-text 404; a kubelet the API server cannot reach is a 503 Status, as
 * kube-apiserver's proxy reports a failed dial.
 *
 * The node name in the path may carry a port or scheme (`https:node-1:10250`), as the proxy
 * subresource allows.
 */
import type { KubeObject } from './resources';
import { serviceUnavailableStatus, type KubeStatus } from './status';

export interface KubeletResponse {
  status?: number;
  contentType: string;
  body: string;
}

export interface KubeletFixture {
  /** The kubelet's configuration (a KubeletConfiguration's fields), served wrapped as /configz does. */
  configz?: Record<string, unknown>;
  /** Prometheus text exposition served at /metrics. */
  metrics?: string;
  /** Other paths (`/metrics/cadvisor`, `/healthz`…) with their answers. */
  paths?: Record<string, KubeletResponse>;
  /** The API server cannot reach this kubelet (every proxy request is a 503). */
  unreachable?: boolean;
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** Splits `[scheme:]name[:port]` into the node name. */
export function nodeNameFromProxyTarget(target: string): string {
  const pieces = target.split(':');
  if (pieces.length === 3) return pieces[1];
  if (pieces.length === 2) return pieces[0] === 'http' || pieces[0] === 'https' ? pieces[1] : pieces[0];
  return target;
}

function internalAddress(node: KubeObject): string {
  const addresses = (node.status as { addresses?: Array<{ type?: string; address?: string }> } | undefined)?.addresses ?? [];
  return addresses.find((address) => address.type === 'InternalIP')?.address ?? addresses[0]?.address ?? node.metadata.name;
}

/** The kubelet's answer to `path` (starting with `/`), or the API server's Status when unreachable. */
export function kubeletAnswer(node: KubeObject, fixture: KubeletFixture | undefined, path: string): KubeletResponse | KubeStatus {
  if (!fixture || fixture.unreachable) {
    return serviceUnavailableStatus(`error trying to reach service: dial tcp ${internalAddress(node)}:10250: connect: connection refused`);
  }
  const given = fixture.paths?.[path];
  if (given) return given;
  if (path === '/configz' && fixture.configz) {
    return { contentType: 'application/json', body: JSON.stringify({ kubeletconfig: fixture.configz }) };
  }
  if (path === '/metrics' && fixture.metrics !== undefined) return { contentType: PROMETHEUS_TEXT, body: fixture.metrics };
  return { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' };
}
