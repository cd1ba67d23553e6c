/**
 * On how many of the cluster's nodes each of a workload's images is already present, from each
 * node's `status.images`: a pod landing on a node without the image waits for the pull, one with it
 * starts at once (with imagePullPolicy IfNotPresent). Only nodes a new pod can land on count:
 * schedulable (`spec.unschedulable` not true) and Ready. Taints and node selectors are not weighed.
 *
 * Absence is not always proof. The kubelet lists at most `nodeStatusMaxImages` images (default 50),
 * largest first (pkg/kubelet/nodestatus/setters.go: "imageListFunc is expected to return a list of
 * images sorted in descending order by image size", then truncated), so on a node that lists that
 * many, an image no larger than the smallest one listed may be there unlisted. An image larger than
 * that would have been listed: its absence is proof. (Each image also lists at most 5 names, digests
 * first, so an image known under many tags can miss one; that is rare and not weighed.)
 *
 * Sizes are the node's `sizeBytes`. containerd reports the image's packed (compressed) content
 * (pkg/cri/store/image: "get image compressed resource size"), close to what a pull downloads;
 * other runtimes may report the unpacked size, which makes a pull-time estimate from it an upper bound.
 */
import type { Node } from './kube-objects';
import { canonicalImageName } from './node-images';

/** The node fields read here besides those timings read. */
type ClusterNode = Node & {
  spec?: { unschedulable?: boolean };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
};

/** The kubelet's default `nodeStatusMaxImages` (KubeletConfiguration v1beta1: "Default: 50"). */
export const DEFAULT_NODE_STATUS_MAX_IMAGES = 50;

export interface CoverageOptions {
  /** `nodeStatusMaxImages` of the nodes whose kubelet configuration is known (from /configz); others take 50. */
  nodeStatusMaxImages?: Readonly<Record<string, number>>;
}

export interface ImageCoverage {
  /** The reference as the workload writes it. */
  image: string;
  /** As the runtime resolves it (`docker.io/library/redis:7.2.5`). */
  canonical: string;
  /** Eligible nodes that list it, and those that do not (sorted). */
  presentOn: string[];
  missingOn: string[];
  /** Of `missingOn`, the nodes whose image list is full and may hold it unlisted. */
  possiblyPresentOn: string[];
  /** The size a node holding it reports; undefined when no node lists it. */
  sizeBytes?: number;
  /** Missing on more than half of the eligible nodes. */
  missingOnMost: boolean;
}

export interface ImageCacheCoverage {
  /** Nodes a new pod can land on: schedulable and Ready (sorted). */
  nodes: string[];
  /** The other nodes and why they do not count. */
  excluded: Array<{ node: string; reason: 'unschedulable' | 'not Ready' }>;
  images: ImageCoverage[];
}

interface NodeImageList {
  names: Set<string>;
  sizes: Map<string, number>;
  full: boolean;
  smallestListed?: number;
}

export function imageCacheCoverage(images: readonly string[], nodes: readonly Node[], options: CoverageOptions = {}): ImageCacheCoverage {
  const eligible = new Map<string, NodeImageList>();
  const excluded: ImageCacheCoverage['excluded'] = [];
  for (const node of [...(nodes as readonly ClusterNode[])].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const name = node.metadata.name;
    if (!name) continue;
    if (node.spec?.unschedulable === true) excluded.push({ node: name, reason: 'unschedulable' });
    else if (!node.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True')) excluded.push({ node: name, reason: 'not Ready' });
    else eligible.set(name, imageListOf(node, options.nodeStatusMaxImages?.[name] ?? DEFAULT_NODE_STATUS_MAX_IMAGES));
  }

  const seen = new Set<string>();
  const coverage: ImageCoverage[] = [];
  for (const image of images) {
    const canonical = canonicalImageName(image);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    const presentOn: string[] = [];
    const missingOn: string[] = [];
    let sizeBytes: number | undefined;
    for (const [node, list] of eligible) {
      if (list.names.has(canonical)) {
        presentOn.push(node);
        sizeBytes ??= list.sizes.get(canonical);
      } else {
        missingOn.push(node);
      }
    }
    // An image larger than the smallest one a full list shows would have been listed.
    const possiblyPresentOn = missingOn.filter((node) => {
      const list = eligible.get(node)!;
      return list.full && (sizeBytes === undefined || list.smallestListed === undefined || sizeBytes <= list.smallestListed);
    });
    coverage.push({ image, canonical, presentOn, missingOn, possiblyPresentOn, sizeBytes, missingOnMost: missingOn.length * 2 > eligible.size });
  }
  return { nodes: [...eligible.keys()], excluded, images: coverage };
}

function imageListOf(node: Node, maxImages: number): NodeImageList {
  const listed = node.status?.images ?? [];
  const names = new Set<string>();
  const sizes = new Map<string, number>();
  let smallestListed: number | undefined;
  for (const image of listed) {
    for (const name of image.names ?? []) {
      const canonical = canonicalImageName(name);
      names.add(canonical);
      if (image.sizeBytes !== undefined) sizes.set(canonical, image.sizeBytes);
    }
    if (image.sizeBytes !== undefined) smallestListed = smallestListed === undefined ? image.sizeBytes : Math.min(smallestListed, image.sizeBytes);
  }
  // A cap of -1 lists every image; otherwise a list as long as the cap may have been cut.
  return { names, sizes, full: maxImages >= 0 && listed.length >= maxImages, smallestListed };
}
