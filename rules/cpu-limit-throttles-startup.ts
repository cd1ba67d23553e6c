import { isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ChunkEditor } from '../core/edits';
import { atLeast, supports, type KubernetesVersion } from '../core/kubernetes-version';
import { formatCores, parseCpuMillicores } from '../core/quantities';
import { describeContainer, defineRule } from '../core/rule';
import type { Fix, TextEdit } from '../core/types';
import { getMap, getPair, scalarText } from '../core/yaml-nodes';

interface Options {
  minCpuLimit: string;
}

const DEFAULT_MIN_CPU_LIMIT = '500m';

/**
 * A CPU limit below what a start needs. The kubelet turns `limits.cpu` into a CFS quota: a limit
 * of L cores lets the container's threads run L × 100 ms in each 100 ms period, then stops them
 * until the next period. Startup is the most CPU-hungry moment of most programs (class loading and
 * JIT in a JVM, imports in Python, Node's module loading, TLS key generation), so a start that needs
 * 2 s of CPU takes at least 2 / L s of wall time: 10 s at 200m. A request below the limit does not
 * help; the quota is a hard ceiling even when the node is idle.
 *
 * The default threshold, 500m, is where a start takes at least twice its CPU time; below it the
 * stretch grows fast (4× at 250m, 10× at 100m). Mesh proxies are an example of why it is not higher:
 * istio-proxy ships with a 2000m limit, and the common hand-tuned 500m–1000m limits on sidecars
 * start fine, whereas the 100m limits sometimes copied from the proxy's request make Envoy's first
 * configuration load crawl.
 */
export default defineRule<Options>({
  meta: {
    id: 'cpu-limit-throttles-startup',
    stage: 'container-start',
    defaultSeverity: 'warning',
    description: 'Container whose CPU limit is so low that the CFS quota throttles its start.',
    startupCost:
      'A limit of L cores allows L × 100 ms of CPU per 100 ms period, so a start that needs 2 s of CPU (a JVM, a Python app importing large libraries) takes at least 2 / L s: 4 s at 500m, 10 s at 200m, 20 s at 100m, even on an idle node. Readiness, and every rollout and scale-up, wait for it.',
    fixable: true,
    options: {
      minCpuLimit: {
        type: 'string',
        default: DEFAULT_MIN_CPU_LIMIT,
        description: 'Lowest CPU limit not reported, as a Kubernetes quantity (`500m`, `0.5`, `1`).',
      },
    },
  },
  check({ workload, options, kubernetesVersion, edit, report }) {
    const { doc } = workload;
    // A setting that is not a quantity falls back to the default rather than writing garbage into a fix.
    const minimumText = parseCpuMillicores(options.minCpuLimit) !== undefined ? String(options.minCpuLimit).trim() : DEFAULT_MIN_CPU_LIMIT;
    const minimum = parseCpuMillicores(minimumText)!;
    const appContainers = workload.containers.filter((container) => container.kind === 'container');
    for (const container of workload.containers) {
      // Ephemeral containers take no resources; a partial container is a patch whose limits may be completed elsewhere.
      if (container.kind === 'ephemeralContainer' || container.partial) continue;
      if (container.kind === 'container' && appContainers.length > 1 && !gatesReadiness(container.node)) continue;
      const resources = getMap(doc, container.node, 'resources');
      const limitsPair = getPair(resources, 'limits');
      const limits = getMap(doc, resources, 'limits');
      const cpuPair = getPair(limits, 'cpu');
      if (!resources || !limitsPair || !limits || !cpuPair?.value) continue;
      const raw = scalarText(doc, cpuPair.value);
      const millicores = parseCpuMillicores(raw);
      // A zero limit sets no quota at all.
      if (raw === undefined || millicores === undefined || millicores <= 0 || millicores >= minimum) continue;

      const cores = millicores / 1000;
      const site: LimitSite = { doc, resources, limitsPair, limits, cpuPair };
      const fixes = [raiseLimitFix(edit, site, raw, minimumText), removeLimitFix(edit, site, raw)].filter((fix): fix is Fix => fix !== undefined);
      report({
        target: cpuPair.value,
        message: `${describeContainer(container)} has a CPU limit of ${raw} (${formatCores(millicores)} CPU): the CFS quota lets it run ${formatNumber(cores * 100)} ms per 100 ms period, so a start that needs 2 s of CPU (a JVM, a Python app importing large libraries) takes at least ${formatNumber(2 / cores)} s, and every second of CPU its start needs costs ${formatNumber(1 / cores)} s. ${advice(kubernetesVersion, minimumText)}`,
        fixes,
      });
    }
  },
});

/**
 * Whether the pod's Ready condition waits for this container's start. A container without a
 * readiness or startup probe counts as ready once its process runs, so a throttled start of a helper
 * beside the app (a metrics proxy, a config reloader) delays nothing the pod's start is measured by.
 * Init containers and sidecars always gate what comes after them, and a pod's only app container is
 * the service itself: those are always checked.
 */
function gatesReadiness(container: YAMLMap): boolean {
  return getPair(container, 'readinessProbe') !== undefined || getPair(container, 'startupProbe') !== undefined;
}

function formatNumber(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Number(value.toFixed(1)));
}

function advice(version: KubernetesVersion, minimum: string): string {
  if (supports(version, 'inPlacePodResize')) {
    return `Raise the limit to at least ${minimum}, remove it, or give CPU only during start: from Kubernetes 1.33 a pod's CPU can be resized in place, so a controller such as kube-startup-cpu-boost can raise the limit at start and lower it once the pod is Ready, without a restart.`;
  }
  if (atLeast(version, '1.27')) {
    return `Raise the limit to at least ${minimum} or remove it. Boosting CPU only during start (kube-startup-cpu-boost) needs in-place pod resize, which before 1.33 is alpha behind the InPlacePodVerticalScaling feature gate.`;
  }
  return `Raise the limit to at least ${minimum} or remove it; this Kubernetes version cannot resize a running pod's CPU, so the limit must cover the start.`;
}

/** The new value written the way the old one was: quoted values stay quoted, plain ones stay plain. */
function quotedLike(node: Node, value: string): string {
  if (isScalar(node) && node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (isScalar(node) && node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** Where a container's CPU limit lives, and what an edit needs around it. */
interface LimitSite {
  doc: Document;
  resources: YAMLMap;
  limitsPair: Pair;
  limits: YAMLMap;
  cpuPair: Pair;
}

/**
 * Without an explicit CPU request, Kubernetes sets the request to the limit. A fix that changes or
 * removes the limit would then also change the request the scheduler places the pod by, so it writes
 * the old value down as the request. Returns [] when a request exists, undefined when it cannot edit.
 */
function keepRequestEdits(edit: ChunkEditor, site: LimitSite): TextEdit[] | undefined {
  const { doc, resources, limitsPair, limits, cpuPair } = site;
  const requestsPair = getPair(resources, 'requests');
  const requests = getMap(doc, resources, 'requests');
  if (getPair(requests, 'cpu')) return [];
  const valueRange = (cpuPair.value as Node).range!;
  const rawValue = edit.text.slice(edit.abs(valueRange[0]), edit.abs(valueRange[1]));
  if (requests) {
    const last = requests.items[requests.items.length - 1] as Pair | undefined;
    const insert = last && !requests.flow ? edit.insertAfterPair(requests, last, [`cpu: ${rawValue}`]) : undefined;
    return insert ? [insert] : undefined;
  }
  // `requests:` with an empty or non-map value: leave it to the user.
  if (requestsPair || resources.flow || limits.flow) return undefined;
  const unit = ' '.repeat(edit.indentUnit(limitsPair, limits));
  const insert = edit.insertAfterPair(resources, limitsPair, ['requests:', `${unit}cpu: ${rawValue}`]);
  return insert ? [insert] : undefined;
}

/** Raises the limit to the threshold, quoting like the old value. */
function raiseLimitFix(edit: ChunkEditor, site: LimitSite, raw: string, minimum: string): Fix | undefined {
  const replace = edit.replaceNode(site.cpuPair.value as Node, quotedLike(site.cpuPair.value as Node, minimum));
  const keep = keepRequestEdits(edit, site);
  if (!replace || !keep) return undefined;
  return { title: `Raise the CPU limit to ${minimum}${keep.length ? ` (keep ${raw} as the CPU request)` : ''}`, edits: [replace, ...keep], safe: false };
}

/** Removes `cpu` from `limits`, and `limits` itself when cpu was its only key. */
function removeLimitFix(edit: ChunkEditor, site: LimitSite, raw: string): Fix | undefined {
  const { resources, limitsPair, limits, cpuPair } = site;
  const onlyKey = limits.items.length === 1;
  const keep = keepRequestEdits(edit, site);
  if (!keep) return undefined;
  if (onlyKey && keep.length > 0 && !getPair(resources, 'requests')) {
    // `limits: {cpu: 200m}` and no requests: the same map renamed keeps the request exactly.
    const rename = edit.replaceNode(limitsPair.key as Node, 'requests');
    return rename ? { title: `Remove the CPU limit (keep ${raw} as the CPU request)`, edits: [rename], safe: false } : undefined;
  }
  const removal = onlyKey ? edit.removePair(resources, limitsPair) : edit.removePair(limits, cpuPair);
  if (!removal) return undefined;
  return { title: `Remove the CPU limit${keep.length ? ` (keep ${raw} as the CPU request)` : ''}`, edits: [removal, ...keep], safe: false };
}
