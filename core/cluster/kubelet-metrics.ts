/**
 * The kubelet's own startup figures, from its /metrics (Prometheus text, read through the API
 * server's node proxy). Each is a histogram over every pod or pull the kubelet handled since it
 * started, on that node, for all workloads: a node-wide view beside the per-workload timings.
 *
 * Names and meanings from pkg/kubelet/metrics/metrics.go (all ALPHA stability):
 * - kubelet_pod_start_sli_duration_seconds: pod creation to all containers started and observed via
 *   watch, excluding image pulls and init containers (the pod startup SLI);
 * - kubelet_pod_start_duration_seconds: the kubelet first seeing the pod to the pod running;
 * - kubelet_pod_start_total_duration_seconds: pod creation to containers started, pulls included
 *   (newer kubelets);
 * - kubelet_image_pull_duration_seconds{image_size_in_bytes="0-10MB"|"10MB-100MB"|...}: one image
 *   pull, including the time waiting for a pull slot (from 1.30, kubernetes/kubernetes#121719);
 * - kubelet_runtime_operations_duration_seconds{operation_type="pull_image"}: the runtime's PullImage
 *   call (every kubelet; its buckets stop at about 745 s).
 * A metric the kubelet does not serve is left out; nothing here guesses it.
 */
import { estimateQuantile, histogramOf, type Histogram, type QuantileEstimate } from './prometheus-histogram';
import { parsePrometheusText, type MetricFamily } from './prometheus-text';

export const KUBELET_STARTUP_METRICS = {
  podStartSli: 'kubelet_pod_start_sli_duration_seconds',
  podStart: 'kubelet_pod_start_duration_seconds',
  podStartTotal: 'kubelet_pod_start_total_duration_seconds',
  imagePull: 'kubelet_image_pull_duration_seconds',
  runtimeOperations: 'kubelet_runtime_operations_duration_seconds',
} as const;

export interface DurationDistribution {
  /** Observations (pods started, images pulled). */
  count: number;
  /** Exact, from `_sum / _count`. */
  meanSeconds?: number;
  /** Estimated from the buckets. */
  p50?: QuantileEstimate;
  p95?: QuantileEstimate;
}

export interface KubeletStartupMetrics {
  podStartSli?: DurationDistribution;
  podStart?: DurationDistribution;
  podStartTotal?: DurationDistribution;
  imagePull?: DurationDistribution & { bySize: Record<string, DurationDistribution> };
  runtimePullImage?: DurationDistribution;
  /** Lines of the text that could not be read (skipped). */
  unreadableLines: number;
}

export function kubeletStartupMetrics(text: string): KubeletStartupMetrics {
  const { families, errors } = parsePrometheusText(text);
  const distribution = (family: MetricFamily | undefined, select?: (labels: Record<string, string>) => boolean) => distributionOf(histogramOf(family, select));
  const result: KubeletStartupMetrics = { unreadableLines: errors.length };
  const assign = <K extends 'podStartSli' | 'podStart' | 'podStartTotal' | 'runtimePullImage'>(key: K, value: DurationDistribution | undefined) => {
    if (value) result[key] = value;
  };
  assign('podStartSli', distribution(families.get(KUBELET_STARTUP_METRICS.podStartSli)));
  assign('podStart', distribution(families.get(KUBELET_STARTUP_METRICS.podStart)));
  assign('podStartTotal', distribution(families.get(KUBELET_STARTUP_METRICS.podStartTotal)));
  assign('runtimePullImage', distribution(families.get(KUBELET_STARTUP_METRICS.runtimeOperations), (labels) => labels.operation_type === 'pull_image'));
  const pulls = families.get(KUBELET_STARTUP_METRICS.imagePull);
  const allPulls = distribution(pulls);
  if (allPulls && pulls) {
    const sizes = [...new Set(pulls.samples.map((sample) => sample.labels.image_size_in_bytes).filter((size): size is string => size !== undefined))];
    const bySize: Record<string, DurationDistribution> = {};
    for (const size of sizes) {
      const perSize = distribution(pulls, (labels) => labels.image_size_in_bytes === size);
      if (perSize && perSize.count > 0) bySize[size] = perSize;
    }
    result.imagePull = { ...allPulls, bySize };
  }
  return result;
}

function distributionOf(histogram: Histogram | undefined): DurationDistribution | undefined {
  if (!histogram) return undefined;
  const result: DurationDistribution = { count: histogram.count };
  if (histogram.sum !== undefined && histogram.count > 0) result.meanSeconds = histogram.sum / histogram.count;
  const p50 = estimateQuantile(0.5, histogram);
  const p95 = estimateQuantile(0.95, histogram);
  if (p50) result.p50 = p50;
  if (p95) result.p95 = p95;
  return result;
}
