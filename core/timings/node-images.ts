/**
 * The images a node reports in `status.images` (each with all its names, tags and digests, and its size
 * in bytes), looked up by the image reference a pod spec writes. The kubelet lists full names
 * (`docker.io/library/nginx:1.27`), pod specs often write short ones (`nginx:1.27`), so both sides are
 * normalised the way the runtime resolves them.
 */
import { parseImageReference } from '../image-reference';
import type { Node } from './kube-objects';

export function canonicalImageName(raw: string): string {
  const reference = parseImageReference(raw);
  if (!reference) return raw;
  const registry = reference.registry ?? 'docker.io';
  const repository = registry === 'docker.io' && !reference.repository.includes('/') ? `library/${reference.repository}` : reference.repository;
  return reference.digest ? `${registry}/${repository}@${reference.digest}` : `${registry}/${repository}:${reference.tag ?? 'latest'}`;
}

export class NodeImages {
  private readonly sizes = new Map<string, number>();

  constructor(node: Node | undefined) {
    for (const image of node?.status?.images ?? []) {
      if (image.sizeBytes === undefined) continue;
      for (const name of image.names ?? []) this.sizes.set(canonicalImageName(name), image.sizeBytes);
    }
  }

  /** Size in bytes of the image the node holds under this reference, if it holds it. */
  sizeOf(image: string): number | undefined {
    return this.sizes.get(canonicalImageName(image));
  }
}
