/**
 * A workload's cluster facts (core/cluster/workload-cluster-facts.ts) in a few sentences, for
 * `podstart timings` under its table and for the editor's hovers and waterfall: flagged images with
 * their size and pull time, the kubelets that pull one image at a time, each kubelet's own startup and
 * pull figures, and what could not be read and why. Only what matters is said: an image missing on
 * most nodes gets a line, one cached widely a short summary.
 */
import { estimatePullSeconds, formatByteSize } from '../registry/pull-estimate';
import { formatPullDuration } from '../image-pull-size';
import type { ImageCacheCoverage, ImageCoverage } from '../timings/image-cache-coverage';
import type { DurationDistribution, KubeletStartupMetrics } from './kubelet-metrics';
import { parallelPullsCanExceedRegistryBurst, type KubeletPullSettings } from './kubelet-pull-settings';
import type { QuantileEstimate } from './prometheus-histogram';
import type { NodeKubeletFacts, Readout, WorkloadClusterFacts } from './workload-cluster-facts';

/** How many node names a sentence lists before "and N more". */
const NAMES_LISTED = 5;

export function describeClusterFacts(facts: WorkloadClusterFacts): string[] {
  return [...describeImageCache(facts.imageCache, facts.linkSpeedMbps), ...describeKubelets(facts)];
}

function describeImageCache(readout: Readout<ImageCacheCoverage>, linkSpeedMbps: number): string[] {
  if (!readout.readable) return [`image cache: nodes not readable (${readout.reason})`];
  const coverage = readout.value;
  if (coverage.images.length === 0) return [];
  const total = coverage.nodes.length;
  if (total === 0) return [`image cache: no schedulable Ready node${coverage.excluded.length > 0 ? ` (${names(coverage.excluded.map((entry) => `${entry.node} ${entry.reason}`))})` : ''}`];
  const flagged = coverage.images.filter((image) => image.missingOnMost);
  const lines = flagged.map((image) => describeMissingImage(image, total, linkSpeedMbps));
  const cached = coverage.images.filter((image) => !image.missingOnMost);
  if (cached.length > 0) {
    const fewest = Math.min(...cached.map((image) => image.presentOn.length));
    const on = fewest === total ? `all ${total}` : cached.length === 1 ? count(fewest, total) : `at least ${count(fewest, total)}`;
    lines.push(cached.length === 1 ? `image ${cached[0].image} is on ${on} nodes` : `${flagged.length > 0 ? 'the other' : 'all'} ${cached.length} images are on ${on} nodes`);
  }
  return lines;
}

function describeMissingImage(image: ImageCoverage, total: number, linkSpeedMbps: number): string {
  const where = image.presentOn.length === 0 ? `is on none of the ${total} nodes` : `is missing on ${image.missingOn.length} of ${total} nodes (${names(image.missingOn)})`;
  const unsure = image.possiblyPresentOn.length > 0 ? ` (${names(image.possiblyPresentOn)} may hold it unlisted: a full image list shows only the largest images)` : '';
  if (image.sizeBytes === undefined) return `image ${image.image} ${where}${unsure}; its size is unknown (no node lists it)`;
  const seconds = estimatePullSeconds(image.sizeBytes, linkSpeedMbps);
  return `image ${image.image} (${formatByteSize(image.sizeBytes)}) ${where}${unsure}: about ${formatPullDuration(seconds)} to pull at ${linkSpeedMbps} Mbit/s`;
}

function describeKubelets(facts: WorkloadClusterFacts): string[] {
  if (!facts.kubeletsRead || facts.kubelets.length === 0) return [];
  const scope = facts.kubeletScope === 'workload-nodes' ? 'nodes that ran its pods' : 'nodes read';
  const lines: string[] = [];
  const settings = facts.kubelets.flatMap((kubelet) => (kubelet.pullSettings?.readable ? [kubelet.pullSettings.value] : []));
  if (settings.length > 0) {
    const serial = settings.filter((entry) => entry.serial).map((entry) => entry.node);
    if (settings.length === 1) lines.push(`${settings[0].node} pulls images ${settings[0].serial ? 'one at a time' : parallelism(settings[0])}`);
    else if (serial.length > 0) lines.push(`${count(serial.length, settings.length)} ${scope} pull images one at a time (${names(serial)})`);
    else lines.push(`the ${settings.length} ${scope} pull images in parallel`);
    for (const entry of settings.filter(parallelPullsCanExceedRegistryBurst)) lines.push(describeQpsRisk(entry));
  }
  // A kubelet's metrics cover every pod of its node: worth a line where the workload's pods ran, noise for a workload with none.
  const withMetrics = facts.kubeletScope === 'workload-nodes';
  for (const kubelet of withMetrics ? facts.kubelets : []) {
    const metrics = kubelet.startupMetrics?.readable ? describeMetrics(kubelet.node, kubelet.startupMetrics.value) : undefined;
    if (metrics) lines.push(metrics);
  }
  lines.push(...describeUnreadable(withMetrics ? facts.kubelets : facts.kubelets.map(({ node, pullSettings }) => ({ node, pullSettings }))));
  return lines;
}

function parallelism(settings: KubeletPullSettings): string {
  return settings.maxParallelImagePulls === undefined ? 'in parallel, without a bound' : `in parallel, up to ${settings.maxParallelImagePulls} at a time`;
}

function describeQpsRisk(settings: KubeletPullSettings): string {
  const bound = settings.maxParallelImagePulls === undefined ? 'without a bound' : `up to ${settings.maxParallelImagePulls} at a time`;
  return `${settings.node} pulls in parallel ${bound}, but its registry limit (registryPullQPS ${settings.registryPullQPS}, registryBurst ${settings.registryBurst}) lets at most ${settings.registryBurst} pulls start at once: the others fail with "pull QPS exceeded" and back off for at least 10 s`;
}

/** "node-a kubelet (all its pods): pod start SLI p50 ~2.6 s, p95 ~9.1 s (412 pods); image pulls p50 ~12 s, p95 ~48 s (37 pulls)". */
function describeMetrics(node: string, metrics: KubeletStartupMetrics): string | undefined {
  const parts: string[] = [];
  if (metrics.podStartSli && metrics.podStartSli.count > 0) parts.push(`pod start SLI ${percentiles(metrics.podStartSli)} (${plural(metrics.podStartSli.count, 'pod')})`);
  const pulls = metrics.imagePull && metrics.imagePull.count > 0 ? { label: 'image pulls', value: metrics.imagePull } : metrics.runtimePullImage && metrics.runtimePullImage.count > 0 ? { label: 'runtime image pulls', value: metrics.runtimePullImage } : undefined;
  if (pulls) parts.push(`${pulls.label} ${percentiles(pulls.value)} (${plural(pulls.value.count, 'pull')})`);
  if (parts.length === 0) return undefined;
  return `${node} kubelet (all its pods): ${parts.join('; ')}`;
}

function percentiles(distribution: DurationDistribution): string {
  return [distribution.p50 && `p50 ${estimate(distribution.p50)}`, distribution.p95 && `p95 ${estimate(distribution.p95)}`].filter(Boolean).join(', ');
}

function estimate(quantile: QuantileEstimate): string {
  return quantile.aboveHighestBound ? `> ${formatPullDuration(quantile.value)}` : `~${formatPullDuration(quantile.value)}`;
}

/** Failed reads grouped by reason: "kubelet configuration and metrics of node-a, node-b: not readable (RBAC)". */
function describeUnreadable(kubelets: readonly NodeKubeletFacts[]): string[] {
  const groups = new Map<string, { what: string; reason: string; nodes: string[] }>();
  const add = (what: string, reason: string, node: string) => {
    const key = `${what}\n${reason}`;
    const group = groups.get(key) ?? { what, reason, nodes: [] };
    group.nodes.push(node);
    groups.set(key, group);
  };
  for (const kubelet of kubelets) {
    const configuration = kubelet.pullSettings?.readable === false ? kubelet.pullSettings.reason : undefined;
    const metrics = kubelet.startupMetrics?.readable === false ? kubelet.startupMetrics.reason : undefined;
    if (configuration !== undefined && configuration === metrics) {
      add('configuration and metrics', configuration, kubelet.node);
      continue;
    }
    if (configuration !== undefined) add('configuration', configuration, kubelet.node);
    if (metrics !== undefined) add('metrics', metrics, kubelet.node);
  }
  return [...groups.values()].map((group) => `kubelet ${group.what} of ${names(group.nodes)}: not readable (${group.reason})`);
}

function names(list: readonly string[]): string {
  return list.length <= NAMES_LISTED ? list.join(', ') : `${list.slice(0, NAMES_LISTED).join(', ')} and ${list.length - NAMES_LISTED} more`;
}

function count(part: number, whole: number): string {
  return `${part} of ${whole}`;
}

function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
