/**
 * What the cluster says about a workload's start beyond its own pods' timings: whether its images
 * are already on the nodes (`status.images`), whether the kubelets that run it pull one image at a
 * time (/configz), and the kubelets' own startup and pull metrics (/metrics). Pure: it reads a
 * snapshot (core/cluster/snapshot.ts), so the CLI, the code lens and the waterfall show the same
 * facts live or offline.
 *
 * Each part degrades on its own. Nodes the user may not list leave the image part "not readable";
 * a kubelet the node proxy refuses (RBAC on nodes/proxy) or cannot reach leaves that node's
 * configuration or metrics "not readable", with the reason; a snapshot taken without kubelet reads
 * (`--node-details`) leaves the kubelet part "not read", which is not an error.
 *
 * Per-node results are computed once per snapshot (a kubelet's metrics are parsed once, however many
 * workloads ran on its node).
 */
import { imageCacheCoverage, type ImageCacheCoverage } from '../timings/image-cache-coverage';
import type { Node } from '../timings/kube-objects';
import { DEFAULT_LINK_SPEED_MBPS } from '../image-pull-size';
import { kubeletStartupMetrics, type KubeletStartupMetrics } from './kubelet-metrics';
import { kubeletPullSettings, type KubeletPullSettings } from './kubelet-pull-settings';
import type { ClusterErrorKind } from './read-only-client';
import type { ClusterSnapshot, Unavailable } from './snapshot';

/** A part that was read, or why not (`forbidden`: RBAC refused it). */
export type Readout<T> = { readable: true; value: T } | { readable: false; forbidden: boolean; reason: string; message: string };

export interface NodeKubeletFacts {
  node: string;
  /** Undefined when the snapshot did not read this kubelet at all. */
  pullSettings?: Readout<KubeletPullSettings>;
  startupMetrics?: Readout<KubeletStartupMetrics>;
}

export interface WorkloadClusterFacts {
  imageCache: Readout<ImageCacheCoverage>;
  /** Whose kubelets `kubelets` describes: the nodes that ran the workload's pods, or (none ran) every node read. */
  kubeletScope: 'workload-nodes' | 'all-nodes-read';
  kubelets: NodeKubeletFacts[];
  /** Whether the snapshot read any kubelet (`podstart capture --node-details`). */
  kubeletsRead: boolean;
  /** For pull-time estimates from image sizes. */
  linkSpeedMbps: number;
}

export interface WorkloadImagesAndNodes {
  /** Image references: the manifest's, or the live pods' when the manifest names none. */
  images: readonly string[];
  /** Nodes that ran the workload's pods. */
  nodes: readonly string[];
}

export interface ClusterFactsOptions {
  /** Download speed for pull-time estimates, Mbit/s (100). */
  linkSpeedMbps?: number;
}

/** Short words for why a read failed; the API server's message is kept beside them. */
const REASONS: Record<ClusterErrorKind, string> = {
  forbidden: 'RBAC',
  unauthorized: 'credentials refused',
  unreachable: 'API server unreachable',
  timeout: 'timed out',
  'not-found': 'not found',
  gone: 'expired',
  server: 'server error',
  'invalid-response': 'unexpected answer',
};

export class ClusterFactsIndex {
  private readonly pullSettingsCache = new Map<string, Readout<KubeletPullSettings> | undefined>();
  private readonly metricsCache = new Map<string, Readout<KubeletStartupMetrics> | undefined>();
  private readonly linkSpeedMbps: number;

  constructor(
    private readonly snapshot: ClusterSnapshot,
    options: ClusterFactsOptions = {},
  ) {
    this.linkSpeedMbps = options.linkSpeedMbps !== undefined && options.linkSpeedMbps > 0 ? options.linkSpeedMbps : DEFAULT_LINK_SPEED_MBPS;
  }

  /** Whether the snapshot read any kubelet, or tried to. */
  get kubeletsRead(): boolean {
    return Object.keys(this.snapshot.nodeDetails).length > 0 || this.snapshot.unavailable.some((entry) => entry.resource === 'nodes/proxy');
  }

  forWorkload(workload: WorkloadImagesAndNodes): WorkloadClusterFacts {
    const workloadNodes = [...new Set(workload.nodes)].sort();
    const kubeletNodes = workloadNodes.length > 0 ? workloadNodes : this.nodesRead();
    return {
      imageCache: this.imageCache(workload.images),
      kubeletScope: workloadNodes.length > 0 ? 'workload-nodes' : 'all-nodes-read',
      kubelets: kubeletNodes.map((node) => ({ node, pullSettings: this.pullSettings(node), startupMetrics: this.startupMetrics(node) })),
      kubeletsRead: this.kubeletsRead,
      linkSpeedMbps: this.linkSpeedMbps,
    };
  }

  private imageCache(images: readonly string[]): Readout<ImageCacheCoverage> {
    const refused = this.snapshot.unavailable.find((entry) => entry.resource === 'nodes');
    if (refused) return unreadable(refused);
    const caps: Record<string, number> = {};
    for (const node of Object.keys(this.snapshot.nodeDetails)) {
      const settings = this.pullSettings(node);
      if (settings?.readable) caps[node] = settings.value.nodeStatusMaxImages;
    }
    return { readable: true, value: imageCacheCoverage(images, this.snapshot.objects.nodes as Node[], { nodeStatusMaxImages: caps }) };
  }

  private pullSettings(node: string): Readout<KubeletPullSettings> | undefined {
    if (!this.pullSettingsCache.has(node)) {
      const config = this.snapshot.nodeDetails[node]?.kubeletConfig;
      this.pullSettingsCache.set(node, config ? { readable: true, value: kubeletPullSettings(node, config) } : this.failedRead(node, 'configz'));
    }
    return this.pullSettingsCache.get(node);
  }

  private startupMetrics(node: string): Readout<KubeletStartupMetrics> | undefined {
    if (!this.metricsCache.has(node)) {
      const text = this.snapshot.nodeDetails[node]?.metrics;
      this.metricsCache.set(node, text !== undefined ? { readable: true, value: kubeletStartupMetrics(text) } : this.failedRead(node, 'metrics'));
    }
    return this.metricsCache.get(node);
  }

  /** Why a kubelet path of a node is missing: its failed read, or undefined when it was not read. */
  private failedRead(node: string, path: 'configz' | 'metrics'): Readout<never> | undefined {
    // Entries without a path (snapshots written by hand) stand for both reads.
    const failure = this.snapshot.unavailable.find((entry) => entry.resource === 'nodes/proxy' && entry.node === node && (entry.path === undefined || entry.path === path));
    if (failure) return unreadable(failure);
    if (this.snapshot.nodeDetails[node]) return { readable: false, forbidden: false, reason: 'empty answer', message: `the kubelet of ${node} answered /${path} without ${path === 'configz' ? 'a configuration' : 'metrics'}` };
    return undefined;
  }

  private nodesRead(): string[] {
    const nodes = new Set(Object.keys(this.snapshot.nodeDetails));
    for (const entry of this.snapshot.unavailable) if (entry.resource === 'nodes/proxy' && entry.node) nodes.add(entry.node);
    return [...nodes].sort();
  }
}

function unreadable(entry: Unavailable): Readout<never> {
  return { readable: false, forbidden: entry.kind === 'forbidden', reason: REASONS[entry.kind] ?? entry.kind, message: entry.message };
}
