/**
 * The images a workload starts, for the image cache facts: the ones its manifest writes (what the
 * next rollout pulls), or, when the manifest names none (a kustomize patch), the ones its live pods
 * run. Init containers first, as the kubelet pulls them; each image once; variables left for a
 * templating tool (`$(IMAGE)`, `{{ .Values.image }}`) skipped, since no node lists them.
 */
import { isPlaceholderImage } from '../image-reference';
import type { Pod } from '../timings/kube-objects';
import type { Workload } from '../workload';
import { getString } from '../yaml-nodes';

export function manifestImages(workload: Workload): string[] {
  const order = { initContainer: 0, sidecar: 0, container: 1, ephemeralContainer: 2 } as const;
  const containers = [...workload.containers].sort((a, b) => order[a.kind] - order[b.kind]);
  return unique(containers.map((container) => getString(workload.doc, container.node, 'image')));
}

export function podImages(pods: readonly Pod[]): string[] {
  return unique(pods.flatMap((pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((container) => container.image)));
}

function unique(images: ReadonlyArray<string | undefined>): string[] {
  const result: string[] = [];
  for (const image of images) {
    const text = image?.trim();
    if (text && !isPlaceholderImage(text) && !result.includes(text)) result.push(text);
  }
  return result;
}
