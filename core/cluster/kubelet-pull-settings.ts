/**
 * A live kubelet's image pull settings, from its /configz (read through the API server's node proxy).
 * /configz serves the configuration the kubelet runs with, converted to KubeletConfiguration v1beta1
 * after defaulting (cmd/kubelet/app/server.go, setConfigz), so an absent field takes the kubelet's
 * default: the configuration is complete, unlike an overlay in a manifest. Whether it pulls one image
 * at a time is decided by the same function as the rule kubelet-serial-image-pulls.
 *
 * Defaults: the rules' and the generator's (core/kubelet/defaults.ts), plus imageMaximumGCAge 0s
 * (off), nodeStatusMaxImages 50 (-1 = no cap), maxParallelImagePulls unset (no limit once pulls are
 * parallel).
 */
import { KUBELET_DEFAULTS } from '../kubelet/defaults';
import { pullsImagesSerially } from '../kubelet/serial-image-pulls';

export interface KubeletPullSettings {
  node: string;
  /** One image at a time on the whole node. */
  serial: boolean;
  /** The bound on parallel pulls; undefined with parallel pulls means no bound. */
  maxParallelImagePulls?: number;
  /** Pulls the kubelet may start per second (0: no limit), and the burst above it. */
  registryPullQPS: number;
  registryBurst: number;
  imageGCHighThresholdPercent: number;
  imageGCLowThresholdPercent: number;
  imageMinimumGCAge: string;
  imageMaximumGCAge: string;
  /** How many images, largest first, the node lists in `status.images` (-1: all). */
  nodeStatusMaxImages: number;
}

export const KUBELET_PULL_DEFAULTS = {
  registryPullQPS: KUBELET_DEFAULTS.registryPullQPS,
  registryBurst: KUBELET_DEFAULTS.registryBurst,
  imageGCHighThresholdPercent: KUBELET_DEFAULTS.imageGCHighThresholdPercent,
  imageGCLowThresholdPercent: KUBELET_DEFAULTS.imageGCLowThresholdPercent,
  // KUBELET_DEFAULTS.imageMinimumGCAge (2m) as /configz serialises a duration.
  imageMinimumGCAge: '2m0s',
  imageMaximumGCAge: '0s',
  nodeStatusMaxImages: 50,
} as const;

export function kubeletPullSettings(node: string, kubeletConfig: Record<string, unknown>): KubeletPullSettings {
  const number = (field: keyof typeof KUBELET_PULL_DEFAULTS & string, fallback: number) => (typeof kubeletConfig[field] === 'number' ? (kubeletConfig[field] as number) : fallback);
  const text = (field: string, fallback: string) => (typeof kubeletConfig[field] === 'string' ? (kubeletConfig[field] as string) : fallback);
  const bound = kubeletConfig.maxParallelImagePulls;
  const serial = pullsImagesSerially(kubeletConfig.serializeImagePulls, bound, true) === true;
  return {
    node,
    serial,
    maxParallelImagePulls: serial ? 1 : typeof bound === 'number' ? bound : undefined,
    registryPullQPS: number('registryPullQPS', KUBELET_PULL_DEFAULTS.registryPullQPS),
    registryBurst: number('registryBurst', KUBELET_PULL_DEFAULTS.registryBurst),
    imageGCHighThresholdPercent: number('imageGCHighThresholdPercent', KUBELET_PULL_DEFAULTS.imageGCHighThresholdPercent),
    imageGCLowThresholdPercent: number('imageGCLowThresholdPercent', KUBELET_PULL_DEFAULTS.imageGCLowThresholdPercent),
    imageMinimumGCAge: text('imageMinimumGCAge', KUBELET_PULL_DEFAULTS.imageMinimumGCAge),
    imageMaximumGCAge: text('imageMaximumGCAge', KUBELET_PULL_DEFAULTS.imageMaximumGCAge),
    nodeStatusMaxImages: number('nodeStatusMaxImages', KUBELET_PULL_DEFAULTS.nodeStatusMaxImages),
  };
}

/**
 * Parallel pulls that can start more pulls at once than the registry limit's burst: the extra pulls
 * fail at once with "pull QPS exceeded" and back off for at least 10 s, because the limiter does not
 * queue (pkg/kubelet/images/helpers.go, TryAccept). EKS's default configuration (parallel, no bound,
 * QPS 5, burst 10) is such a one.
 */
export function parallelPullsCanExceedRegistryBurst(settings: KubeletPullSettings): boolean {
  if (settings.serial || settings.registryPullQPS <= 0) return false;
  return settings.maxParallelImagePulls === undefined || settings.maxParallelImagePulls > settings.registryBurst;
}
