/**
 * Whether a kubelet pulls images one at a time, decided as the kubelet decides it (defaults.go):
 * `serializeImagePulls` defaults to true, except that when it is unset and `maxParallelImagePulls` is
 * 2 or more it defaults to false. With an explicit true beside a bound of 2 or more the kubelet
 * refuses to start (kubelet-parallel-pulls-while-serial reports that), so such a pair never pulls
 * serially either.
 *
 * Shared by the rule kubelet-serial-image-pulls (a configuration file) and the cluster facts
 * (a live kubelet's /configz), so that both read the same settings the same way.
 */
export function pullsImagesSerially(
  serializeImagePulls: unknown,
  maxParallelImagePulls: unknown,
  /** Whether unset fields take the kubelet's defaults: a whole KubeletConfiguration, or a live kubelet's /configz. */
  complete: boolean,
): boolean | undefined {
  if (typeof maxParallelImagePulls === 'number' && maxParallelImagePulls >= 2) return false;
  if (serializeImagePulls !== undefined) return serializeImagePulls === true;
  // Unset: the default (true) applies only where defaults apply; an overlay's base is unknown.
  return complete ? true : undefined;
}
