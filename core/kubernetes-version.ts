/**
 * Kubernetes minor versions, for advice that depends on the cluster's release
 * (the `podstart.kubernetesVersion` setting and `kubernetesVersion` in .podstart.yaml).
 */
export interface KubernetesVersion {
  major: number;
  minor: number;
}

/** The release assumed when nothing is configured: a current, widely offered minor version. */
export const DEFAULT_KUBERNETES_VERSION = '1.34';

/** "1.33", "v1.33" or "1.33.2": what settings accept (as a JSON schema pattern). */
export const KUBERNETES_VERSION_PATTERN = '^v?\\d+\\.\\d+(\\.\\d+)?$';
const KUBERNETES_VERSION_REGEX = /^v?(\d+)\.(\d+)(?:\.\d+)?$/; // the same, capturing major and minor

export function parseKubernetesVersion(text: string | undefined): KubernetesVersion | undefined {
  const match = KUBERNETES_VERSION_REGEX.exec((text ?? '').trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

export function atLeast(version: KubernetesVersion, release: string): boolean {
  const other = parseKubernetesVersion(release);
  if (!other) throw new Error(`bad release ${release}`);
  return version.major > other.major || (version.major === other.major && version.minor >= other.minor);
}

/**
 * Features whose availability changes advice. Each entry is the first release in which the
 * feature is usable without touching feature gates (beta on by default, or GA), from the
 * Kubernetes documentation and KEPs.
 */
export const FEATURE_RELEASES = {
  /** startupProbe: GA in 1.20 (KEP-950). */
  startupProbe: '1.20',
  /** fsGroupChangePolicy: GA in 1.23 (KEP-695). */
  fsGroupChangePolicy: '1.23',
  /** Native sidecars (initContainers with restartPolicy: Always): beta on by default in 1.29, GA in 1.33 (KEP-753). */
  sidecarContainers: '1.29',
  /** In-place pod resize of CPU and memory: beta on by default in 1.33, GA in 1.35 (KEP-1287). */
  inPlacePodResize: '1.33',
  /**
   * `image` volumes (an OCI image mounted read-only, KEP-4639): alpha in 1.31 and 1.32, beta but off by
   * default in 1.33 and 1.34, beta on by default in 1.35 (feature gate ImageVolume;
   * kubernetes.io/docs/tasks/configure-pod-container/image-volumes). The runtime must support them too.
   */
  imageVolume: '1.35',
} as const;

export function supports(version: KubernetesVersion, feature: keyof typeof FEATURE_RELEASES): boolean {
  return atLeast(version, FEATURE_RELEASES[feature]);
}
