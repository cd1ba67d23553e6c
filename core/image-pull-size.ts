/**
 * How big an image is to pull, in the words the size rules use: "image is 1.2 GB compressed, about
 * 96 s to pull at 100 Mbit/s". Decimal units, as registries and links are sized (1 MB = 10^6 bytes,
 * 1 Mbit/s = 10^6 bit/s); the time is the transfer alone (core/registry/pull-estimate.ts), a floor
 * on a node that has none of the layers. The threshold and the link speed are rule options, shared
 * by the manifest rule and the Dockerfile rule so that both read the same in `.podstart.yaml`.
 */
import type { ImageFactsView } from './image-facts';
import { estimatePullSeconds, formatByteSize } from './registry/pull-estimate';
import type { RuleOptionSpec } from './types';

export interface PullSizeOptions {
  sizeThresholdMB: number;
  linkSpeedMbps: number;
}

export const DEFAULT_SIZE_THRESHOLD_MB = 200;
export const DEFAULT_LINK_SPEED_MBPS = 100;

export const PULL_SIZE_OPTIONS: Record<keyof PullSizeOptions, RuleOptionSpec> = {
  sizeThresholdMB: {
    type: 'number',
    default: DEFAULT_SIZE_THRESHOLD_MB,
    description: 'Compressed size, in MB (1 MB = 1,000,000 bytes), above which an image is reported.',
  },
  linkSpeedMbps: {
    type: 'number',
    default: DEFAULT_LINK_SPEED_MBPS,
    description: "Download speed of a node from the registry, in Mbit/s, for the pull time the message gives (100 by default; a cloud node pulling from its own region's registry often gets 500-1000).",
  },
};

/** Whether the image's compressed size is over the threshold. */
export function isLargeImage(facts: ImageFactsView, options: PullSizeOptions): boolean {
  const thresholdMB = Number.isFinite(options.sizeThresholdMB) ? options.sizeThresholdMB : DEFAULT_SIZE_THRESHOLD_MB;
  return facts.compressedSize > thresholdMB * 1_000_000;
}

/** "image is 1.2 GB compressed, about 96 s to pull at 100 Mbit/s". */
export function describePullSize(facts: ImageFactsView, options: PullSizeOptions): string {
  const speed = Number.isFinite(options.linkSpeedMbps) && options.linkSpeedMbps > 0 ? options.linkSpeedMbps : DEFAULT_LINK_SPEED_MBPS;
  const seconds = estimatePullSeconds(facts.compressedSize, speed);
  return `image is ${formatByteSize(facts.compressedSize)} compressed, about ${formatPullDuration(seconds)} to pull at ${speed} Mbit/s`;
}

/** `0.4 s`, `96 s`, `12 min`: seconds up to two minutes, whole minutes beyond. */
export function formatPullDuration(seconds: number): string {
  // A few hundred kB still takes some time: never "about 0 s".
  if (seconds < 10) return `${Math.max(0.1, Math.round(seconds * 10) / 10)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

/** Where the messages point for a large image, besides making it smaller. */
export const PREPULL_AND_LAZY_PULL = 'pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter)';
