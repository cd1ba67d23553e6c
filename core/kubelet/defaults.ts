/**
 * The kubelet's defaults and the releases that changed them, written down once: the kubelet rules
 * judge configurations against them and the KubeletConfiguration generator
 * (core/generate/kubelet-config.ts) writes its values from them. Defaults are the
 * KubeletConfiguration v1beta1 ones (schemas/upstream/kubelet-config-v1beta1-types.go).
 */

/** Defaults of a current kubelet (Kubernetes 1.27 and later). */
export const KUBELET_DEFAULTS = {
  /** Pull starts per second once the burst is spent; 0 means no limit. */
  registryPullQPS: 5,
  registryBurst: 10,
  /**
   * The API client's limit, raised from 5/10 in 1.27 (kubernetes/kubernetes#116121; "Kubernetes
   * 1.27: updates on speeding up Pod startup", kubernetes.io/blog/2023/05/15/speed-up-pod-startup).
   */
  kubeAPIQPS: 50,
  kubeAPIBurst: 100,
  /** Image GC starts at this disk usage and deletes unused images down to the low threshold. */
  imageGCHighThresholdPercent: 85,
  imageGCLowThresholdPercent: 80,
  /** An unused image younger than this is never collected (0 means this default). */
  imageMinimumGCAge: '2m',
  /** With unbounded parallel pulls, the most pulls that can start together: one per pod. */
  maxPods: 110,
} as const;

/** The API client's limit before Kubernetes 1.27. */
export const KUBE_API_DEFAULTS_BEFORE_1_27 = { kubeAPIQPS: 5, kubeAPIBurst: 10 } as const;

/** The first release of each fact that changes what a kubelet configuration should say. */
export const KUBELET_RELEASES = {
  /** `maxParallelImagePulls` (KEP-3673), and with it `serializeImagePulls` defaulting to false beside a bound of 2 or more. */
  maxParallelImagePulls: '1.27',
  /** kubeAPIQPS/kubeAPIBurst default to 50/100 instead of 5/10. */
  kubeAPIDefaults: '1.27',
  /** `imageMaximumGCAge` arrives as an alpha field behind the ImageMaximumGCAge gate (KEP-4210). */
  imageMaximumGCAge: '1.29',
  /** The ImageMaximumGCAge gate is beta and on by default. */
  imageMaximumGCAgeOnByDefault: '1.30',
  /** The kubelet refuses a negative imageMinimumGCAge (kubernetes/kubernetes#135997). */
  negativeImageMinimumGCAgeRefused: '1.36',
} as const;
