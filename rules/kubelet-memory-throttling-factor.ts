import { atLeast, type KubernetesVersion } from '../core/kubernetes-version';
import { defineKubeletRule } from '../core/rule';

/**
 * A `memoryThrottlingFactor` that throttles memory-hungry starts, or one the kubelet refuses.
 *
 * With the MemoryQoS feature on (cgroup v2), the kubelet writes each container's `memory.high`:
 * from 1.27, requests + factor × (limits − requests) (before 1.27, limits × factor). Past
 * `memory.high` the kernel throttles the container and makes it reclaim memory on every
 * allocation, and a start is when a process allocates most: a JVM sizing its heap, a model loaded
 * into memory, caches warmed. A factor below the 0.9 default pulls `memory.high` towards the
 * request, so the throttling begins earlier in the start. Without MemoryQoS the factor does
 * nothing, so it is not reported; a value outside (0, 1] is reported whatever the gate, because
 * the kubelet's validation rejects it before looking at gates.
 *
 * Sources: KEP-2570; the blog "Kubernetes 1.27: Quality-of-Service for Memory Resources"; the
 * kubelet's config `types.go`, `defaults.go` and `validation.go`; kubernetes/kubernetes#140007 (1.37).
 */

interface Options {
  minimumFactor: number;
}

const GATE = 'MemoryQoS';

/** The field and its range check exist from 1.22, with MemoryQoS (alpha). */
const FIELD_RELEASE = '1.22';
/** The formula became requests + factor × (limits − requests) and the default 0.9 in 1.27. */
const REQUEST_BASED_FORMULA_RELEASE = '1.27';
/** MemoryQoS is beta and on by default from 1.37 (with no memory.high unless the factor is set). */
const GATE_ON_BY_DEFAULT_RELEASE = '1.37';
/** The kubelet's default factor from 1.27 to 1.36, and what the fix writes. */
const DEFAULT_FACTOR = 0.9;

/** "2.5" for 2.5, "1.3" for 1.2999999: the example's numbers, to one decimal at most. */
function gibibytes(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** How memory.high follows from the factor in a release, on the example of a container requesting 1Gi with a 4Gi limit. */
function formulaOf(factor: number, version: KubernetesVersion): string {
  if (atLeast(version, REQUEST_BASED_FORMULA_RELEASE)) {
    return `the kubelet sets each container's memory.high to requests + ${factor} × (limits − requests), so a container requesting 1Gi with a 4Gi limit is throttled from ${gibibytes(1 + 3 * factor)}Gi instead of ${gibibytes(1 + 3 * DEFAULT_FACTOR)}Gi`;
  }
  return `the kubelet sets each container's memory.high to limits × ${factor} (the formula before 1.27, whose default factor is 0.8), so a container with a 4Gi limit is throttled from ${gibibytes(4 * factor)}Gi`;
}

/** What MemoryQoS is in a release, for the message. */
function gateNote(version: KubernetesVersion): string {
  if (atLeast(version, GATE_ON_BY_DEFAULT_RELEASE)) return ' MemoryQoS is on by default from 1.37, but writes memory.high only because this factor is set.';
  return ` MemoryQoS is alpha in ${version.major}.${version.minor}: its 1.28 beta was abandoned after SIG Node saw processes that allocate in large chunks stall indefinitely once they reached memory.high.`;
}

export default defineKubeletRule<Options>({
  meta: {
    id: 'kubelet-memory-throttling-factor',
    stage: 'container-start',
    defaultSeverity: 'error',
    description: 'A kubelet configuration with MemoryQoS on and a `memoryThrottlingFactor` below 0.9, which throttles memory-hungry starts, or with a factor outside (0, 1], which the kubelet refuses.',
    startupCost: 'With a factor of 0.5, a container requesting 1Gi with a 4Gi limit is throttled and forced into memory reclaim from 2.5Gi instead of 3.7Gi, in the middle of a JVM heap or model load; a factor outside (0, 1] stops the kubelet at start, so 100% of the node\'s pods wait.',
    fixable: true,
    options: {
      minimumFactor: { type: 'number', default: DEFAULT_FACTOR, description: 'Factors below this are reported when MemoryQoS is on (the kubelet default, 0.9, by default); the fix writes the larger of 0.9 and this value, at most 1.' },
    },
  },
  check({ config, options, kubernetesVersion, report }) {
    if (!atLeast(kubernetesVersion, FIELD_RELEASE)) return;
    const factor = config.get('memoryThrottlingFactor');
    if (!factor || typeof factor.value !== 'number') return;
    const value = factor.value;
    const threshold = Math.min(1, options.minimumFactor);
    const raisedTo = Math.max(DEFAULT_FACTOR, threshold);
    const edits = config.set({ memoryThrottlingFactor: raisedTo });

    if (!(value > 0 && value <= 1)) {
      report({
        target: factor.valueSpan,
        message: `memoryThrottlingFactor is ${value}: the kubelet refuses to start with it ("invalid configuration: memoryThrottlingFactor ${value} must be greater than 0 and less than or equal to 1.0"), so the node never becomes Ready. It is a fraction (${DEFAULT_FACTOR} by default), not a percentage.`,
        fixes: edits ? [{ title: `Set memoryThrottlingFactor to ${raisedTo}`, edits, safe: false }] : [],
      });
      return;
    }

    // Without MemoryQoS the kubelet writes no memory.high and the factor has no effect.
    const gate = config.featureGate(GATE);
    const memoryQoS = gate ? gate.enabled : atLeast(kubernetesVersion, GATE_ON_BY_DEFAULT_RELEASE);
    if (!memoryQoS || value >= threshold) return;
    report({
      target: factor.valueSpan,
      severity: 'warning',
      message:
        `memoryThrottlingFactor is ${value} with MemoryQoS on: ${formulaOf(value, kubernetesVersion)}. Past memory.high the kernel throttles the container and makes it reclaim memory as it allocates, which slows the allocation burst of a start (a JVM heap, a model loaded into memory, warmed caches).` +
        `${gateNote(kubernetesVersion)} Raise it to ${raisedTo}.`,
      // 0.9 is the kubelet's own default from 1.27; on older kubelets it is above their 0.8 default, so review it there.
      fixes: edits ? [{ title: `Raise memoryThrottlingFactor to ${raisedTo}`, edits, safe: atLeast(kubernetesVersion, REQUEST_BASED_FORMULA_RELEASE) }] : [],
    });
  },
});
