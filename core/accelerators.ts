/**
 * Extended resources and the accelerators among them, read from containers' `resources`.
 *
 * An extended resource is a resource name with a domain outside kubernetes.io (`nvidia.com/gpu`,
 * `amd.com/gpu`, `vpc.amazonaws.com/efa`). The API server treats every one alike: integer
 * quantities only, no overcommit (a request must equal its limit, and a request without a limit
 * is rejected), and a limit without a request makes the request default to the limit.
 *
 * Accelerators are the extended resources that device plugins advertise for GPUs, TPUs and AI
 * chips. Some of them count devices (or device slices such as MIG instances) that a pod holds
 * exclusively while it runs; others are the per-device shares of a GPU-sharing scheduler (HAMi's
 * `nvidia.com/gpumem`, volcano's `volcano.sh/vgpu-memory`), which say how much of a device, not
 * how many devices.
 */
import { isPair, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseQuantity } from './quantities';
import type { ContainerRef, Workload } from './workload';
import { asMap, getPair, getSeq, keyText, resolveNode, scalarText } from './yaml-nodes';

/** kube-apiserver's IsExtendedResourceName: qualified, not native (`*kubernetes.io/`), not a quota name. */
export function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

export interface AcceleratorKind {
  /** Who makes or shares the device, for messages: "NVIDIA GPU", "AWS Neuron". */
  vendor: string;
  /** The quantity counts devices (or slices) a pod holds exclusively, rather than a share of one. */
  countsDevices: boolean;
}

/**
 * Device-plugin resources of GPUs, TPUs and AI accelerators: the common ones, and the vendors
 * whose examples are in the shared corpus (HAMi's device plugins, volcano's vGPU). More specific
 * patterns come first.
 */
const ACCELERATORS: ReadonlyArray<{ pattern: RegExp } & AcceleratorKind> = [
  { pattern: /^nvidia\.com\/gpu$/, vendor: 'NVIDIA GPU', countsDevices: true },
  // The device plugin's time-slicing or MPS replicas, renamed (`renameByDefault: true`).
  { pattern: /^nvidia\.com\/gpu\.shared$/, vendor: 'NVIDIA shared GPU', countsDevices: true },
  { pattern: /^nvidia\.com\/mig-[0-9a-z.+-]+$/, vendor: 'NVIDIA MIG device', countsDevices: true },
  // HAMi's shares of the GPUs counted by nvidia.com/gpu.
  { pattern: /^nvidia\.com\/(gpumem|gpumem-percentage|gpucores|priority)$/, vendor: 'HAMi GPU share', countsDevices: false },
  { pattern: /^amd\.com\/gpu$/, vendor: 'AMD GPU', countsDevices: true },
  { pattern: /^gpu\.intel\.com\/(i915|xe)$/, vendor: 'Intel GPU', countsDevices: true },
  { pattern: /^gpu\.intel\.com\//, vendor: 'Intel GPU share', countsDevices: false },
  { pattern: /^habana\.ai\/gaudi$/, vendor: 'Intel Gaudi', countsDevices: true },
  { pattern: /^aws\.amazon\.com\/neuron(core|device)?$/, vendor: 'AWS Neuron', countsDevices: true },
  { pattern: /^google\.com\/tpu$/, vendor: 'Google TPU', countsDevices: true },
  { pattern: /^huawei\.com\/Ascend[0-9A-Za-z]+-memory$/, vendor: 'Huawei Ascend share', countsDevices: false },
  { pattern: /^huawei\.com\/Ascend[0-9A-Za-z]+$/, vendor: 'Huawei Ascend', countsDevices: true },
  { pattern: /^cambricon\.com\/v?mlu$/, vendor: 'Cambricon MLU', countsDevices: true },
  { pattern: /^cambricon\.com\//, vendor: 'Cambricon MLU share', countsDevices: false },
  { pattern: /^hygon\.com\/dcunum$/, vendor: 'Hygon DCU', countsDevices: true },
  { pattern: /^hygon\.com\/dcu/, vendor: 'Hygon DCU share', countsDevices: false },
  { pattern: /^iluvatar\.ai\/([0-9A-Za-z.-]+-vgpu|gpu)$/, vendor: 'Iluvatar GPU', countsDevices: true },
  { pattern: /^iluvatar\.ai\//, vendor: 'Iluvatar GPU share', countsDevices: false },
  { pattern: /^metax-tech\.com\/s?gpu$/, vendor: 'MetaX GPU', countsDevices: true },
  { pattern: /^metax-tech\.com\/v(core|memory)$/, vendor: 'MetaX GPU share', countsDevices: false },
  { pattern: /^mthreads\.com\/v?gpu$/, vendor: 'Moore Threads GPU', countsDevices: true },
  { pattern: /^mthreads\.com\/sgpu-/, vendor: 'Moore Threads GPU share', countsDevices: false },
  { pattern: /^enflame\.com\/(v|drs-)?gcu$/, vendor: 'Enflame GCU', countsDevices: true },
  { pattern: /^enflame\.com\/gcu-/, vendor: 'Enflame GCU share', countsDevices: false },
  { pattern: /^kunlunxin\.com\/v?xpu$/, vendor: 'Kunlunxin XPU', countsDevices: true },
  { pattern: /^kunlunxin\.com\/vxpu-/, vendor: 'Kunlunxin XPU share', countsDevices: false },
  { pattern: /^birentech\.com\/gpu$/, vendor: 'Biren GPU', countsDevices: true },
  { pattern: /^volcano\.sh\/(vgpu|gpu)-number$/, vendor: 'volcano vGPU', countsDevices: true },
  { pattern: /^volcano\.sh\/(vgpu|gpu)-/, vendor: 'volcano vGPU share', countsDevices: false },
];

export function acceleratorKind(resourceName: string): AcceleratorKind | undefined {
  // Every name in the table has a domain prefix: `cpu` and `memory`, most of what containers ask for, skip its thirty-odd patterns.
  if (!resourceName.includes('/')) return undefined;
  const found = ACCELERATORS.find((entry) => entry.pattern.test(resourceName));
  return found && { vendor: found.vendor, countsDevices: found.countsDevices };
}

function countsAcceleratorDevices(resourceName: string): boolean {
  return acceleratorKind(resourceName)?.countsDevices ?? false;
}

export interface ResourceEntry {
  name: string;
  pair: Pair<Node, Node>;
  /** The quantity's source node (a scalar), absent for `nvidia.com/gpu:` with no value. */
  value?: Node;
  /** The quantity as written, or undefined when it is not a scalar. */
  text?: string;
  /** The quantity's value, or undefined when it is not a Kubernetes quantity. */
  quantity?: number;
}

export interface ContainerResources {
  resources?: YAMLMap;
  resourcesPair?: Pair<Node, Node>;
  requests?: YAMLMap;
  requestsPair?: Pair<Node, Node>;
  limits?: YAMLMap;
  limitsPair?: Pair<Node, Node>;
}

export function containerResources(doc: Document, container: YAMLMap): ContainerResources {
  const resourcesPair = getPair(container, 'resources');
  const resources = asMap(doc, resourcesPair?.value);
  const requestsPair = getPair(resources, 'requests');
  const limitsPair = getPair(resources, 'limits');
  return { resources, resourcesPair, requests: asMap(doc, requestsPair?.value), requestsPair, limits: asMap(doc, limitsPair?.value), limitsPair };
}

/** The entries of a `requests` or `limits` map, in order. */
export function resourceEntries(doc: Document, map: YAMLMap | undefined): ResourceEntry[] {
  const entries: ResourceEntry[] = [];
  for (const item of map?.items ?? []) {
    const name = isPair(item) ? keyText(item) : undefined;
    if (name !== undefined) entries.push(resourceEntry(doc, item as Pair<Node, Node>, name));
  }
  return entries;
}

function resourceEntry(doc: Document, pair: Pair<Node, Node>, name: string): ResourceEntry {
  const value = resolveNode(doc, pair.value) ?? undefined;
  const text = scalarText(doc, value);
  return { name, pair, value, text, quantity: parseQuantity(text) };
}

/** Device-counting accelerators a container asks for, by resource name (its limit, or else its request). */
export function containerAccelerators(doc: Document, container: YAMLMap): Map<string, ResourceEntry> {
  const found = new Map<string, ResourceEntry>();
  const { requests, limits } = containerResources(doc, container);
  for (const map of [limits, requests]) {
    for (const item of map?.items ?? []) {
      // Names first: only an accelerator's quantity is parsed.
      const name = isPair(item) ? keyText(item) : undefined;
      if (name === undefined || found.has(name) || !countsAcceleratorDevices(name)) continue;
      const entry = resourceEntry(doc, item as Pair<Node, Node>, name);
      if ((entry.quantity ?? 0) > 0) found.set(name, entry);
    }
  }
  return found;
}

export interface PodAcceleratorRequest {
  resource: string;
  /** What the pod reserves on its node for its whole life: max(app containers and sidecars, the largest init step). */
  effective: number;
  /** The app containers and all sidecars together. */
  running: number;
  /** The init container whose step needs the most, with what it needs (itself plus the sidecars started before it). */
  largestInit?: { container: ContainerRef; entry: ResourceEntry; step: number };
}

/**
 * The pod's effective request of each device accelerator, as the scheduler computes it: app
 * containers and sidecars run together, and each init container runs beside the sidecars started
 * before it, so the pod needs max(sum of app containers and sidecars, max over init containers of
 * init + earlier sidecars) on one node, for as long as it exists.
 */
export function podAcceleratorRequests(workload: Workload): PodAcceleratorRequest[] {
  const { doc } = workload;
  const totals = new Map<string, PodAcceleratorRequest>();
  const entry = (resource: string) => {
    let total = totals.get(resource);
    if (!total) totals.set(resource, (total = { resource, effective: 0, running: 0 }));
    return total;
  };
  const sidecarsSoFar = new Map<string, number>();
  for (const container of workload.containers) {
    if (container.kind === 'ephemeralContainer') continue;
    for (const [resource, request] of containerAccelerators(doc, container.node)) {
      const count = request.quantity ?? 0;
      const total = entry(resource);
      if (container.kind === 'initContainer') {
        const step = count + (sidecarsSoFar.get(resource) ?? 0);
        if (!total.largestInit || step > total.largestInit.step) total.largestInit = { container, entry: request, step };
      } else {
        total.running += count;
        if (container.kind === 'sidecar') sidecarsSoFar.set(resource, (sidecarsSoFar.get(resource) ?? 0) + count);
      }
    }
  }
  for (const total of totals.values()) total.effective = Math.max(total.running, total.largestInit?.step ?? 0);
  return [...totals.values()];
}

/** The pod asks for accelerator devices, through device plugins or through DRA resource claims. */
export function usesAccelerators(workload: Workload): boolean {
  const { doc } = workload;
  if ((getSeq(doc, workload.podSpec, 'resourceClaims')?.items.length ?? 0) > 0) return true;
  return workload.containers.some((container) => {
    const { requests, limits } = containerResources(doc, container.node);
    return namesAccelerator(limits) || namesAccelerator(requests);
  });
}

/** Whether a requests or limits map names an accelerator, whatever its quantity. */
function namesAccelerator(map: YAMLMap | undefined): boolean {
  for (const item of map?.items ?? []) {
    const name = isPair(item) ? keyText(item) : undefined;
    if (name !== undefined && acceleratorKind(name) !== undefined) return true;
  }
  return false;
}
