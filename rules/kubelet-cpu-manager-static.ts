import type { KubeletConfigView, KubeletSetting, FileSpan } from '../core/kubelet/model';
import { atLeast, type KubernetesVersion } from '../core/kubernetes-version';
import { parseCpuMillicores } from '../core/quantities';
import { defineKubeletRule } from '../core/rule';
import type { Severity } from '../core/types';

/**
 * `cpuManagerPolicy: static`, and what it costs pod starts. The static policy pins containers of
 * Guaranteed pods with integer CPU requests to exclusive CPUs; around it sit mistakes that stop the
 * kubelet or turn pods away at admission:
 * - no CPU reservation in a whole configuration: the kubelet refuses to start;
 * - `reservedSystemCPUs` with `systemReservedCgroup` / `kubeReservedCgroup` (set by EKS nodeadm's
 *   defaults): the kubelet's validation refuses it;
 * - `full-pcpus-only` or a `restricted` / `single-numa-node` topology policy: pods that cannot be
 *   aligned fail at admission with SMTAlignmentError / TopologyAffinityError, and their ReplicaSet
 *   keeps making replacements that can fail the same way;
 * - otherwise a caveat (info): who really gets exclusive CPUs, and the drain and state-file removal
 *   a node needs when its policy changes, without which the kubelet crash-loops.
 * One finding per configuration, the most severe, naming the others.
 *
 * Sources: the "Control CPU Management Policies on the Node" and topology-manager task pages; the
 * kubelet's `cpu_manager.go`, `policy_static.go`, `validation.go`, `policy_single_numa_node.go` and
 * `options.go` (flags); amazon-eks-ami nodeadm (EKS's default configuration).
 */

/** The explicit CPU list `reservedSystemCPUs` (`--reserved-cpus`) exists from 1.17 (task page). */
const RESERVED_CPUS_RELEASE = '1.17';
/** `full-pcpus-only`, the first static policy option, is available from 1.22 (GA in 1.33). */
const FULL_PCPUS_ONLY_RELEASE = '1.22';
/** The Topology Manager and its policies: beta, on by default, from 1.18 (KEP-693). */
const TOPOLOGY_MANAGER_RELEASE = '1.18';

/** Topology policies that reject a pod they cannot align. */
const REJECTING_TOPOLOGY_POLICIES: ReadonlySet<string> = new Set(['restricted', 'single-numa-node']);

/** Go's strconv.ParseBool true values, which the static policy uses for its options. */
const GO_TRUE = /^(1|t|T|TRUE|true|True)$/;

interface Problem {
  target: FileSpan;
  /** Undefined: the rule's own severity (the kubelet does not start). */
  severity?: Severity;
  message: string;
  /** One sentence for the message of a more severe problem of the same configuration. */
  brief: string;
}

/** How the setting is written: the field, or the flag for flag forms. */
function nameOf(setting: KubeletSetting): string {
  return setting.flag ? `--${setting.flag}` : setting.field;
}

function isWritten(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The CPU of `kubeReserved` / `systemReserved` in millicores: 0 when absent, undefined when written but not a quantity. */
function reservedCpu(config: KubeletConfigView, field: string): number | undefined {
  const value = config.get(field)?.value;
  if (!isMap(value) || value.cpu === undefined || value.cpu === null) return 0;
  return typeof value.cpu === 'string' || typeof value.cpu === 'number' ? parseCpuMillicores(value.cpu) : undefined;
}

/** (a) A whole configuration that reserves no CPU: the static policy cannot start. */
function noReservation(config: KubeletConfigView, policy: KubeletSetting, version: KubernetesVersion): Problem | undefined {
  if (!config.complete) return undefined; // an overlay's base may reserve CPU (EKS's does)
  if (atLeast(version, RESERVED_CPUS_RELEASE) && isWritten(config.get('reservedSystemCPUs')?.value)) return undefined;
  const kube = reservedCpu(config, 'kubeReserved');
  const system = reservedCpu(config, 'systemReserved');
  if (kube === undefined || system === undefined || kube + system > 0) return undefined;
  return {
    target: policy.valueSpan,
    message: `${nameOf(policy)} is static but ${config.label} reserves no CPU (no kubeReserved.cpu, systemReserved.cpu or reservedSystemCPUs): the kubelet refuses to start ("[cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu to be greater than zero"), so the node never becomes Ready. Reserve CPU for the system, for example kubeReserved: {cpu: 500m} (the static policy rounds it up to 1 whole CPU) or reservedSystemCPUs: "0".`,
    brief: 'It also reserves no CPU, which stops the kubelet at start.',
  };
}

/** (b) An explicit CPU list beside reserved cgroups: the kubelet's validation refuses it. */
function reservedCpusWithCgroups(config: KubeletConfigView, version: KubernetesVersion): Problem | undefined {
  const list = config.get('reservedSystemCPUs');
  if (!list || !isWritten(list.value) || !atLeast(version, RESERVED_CPUS_RELEASE)) return undefined;
  // EKS nodeadm merges its own defaults under what it is given, and they set both cgroups (amazon-eks-ami nodeadm, code-read).
  const eksDefaults = config.form === 'nodeadm-config' || config.form === 'nodeadm-flags';
  const written: string[] = [];
  const defaulted: string[] = [];
  for (const [field, eksDefault] of [['systemReservedCgroup', '/system'], ['kubeReservedCgroup', '/runtime']] as const) {
    const cgroup = config.get(field);
    if (cgroup) {
      if (isWritten(cgroup.value)) written.push(`${nameOf(cgroup)} is ${String(cgroup.value)}`);
    } else if (eksDefaults) {
      defaulted.push(`${field}: ${eksDefault}`);
    }
  }
  const causes = defaulted.length > 0 ? [...written, `EKS nodeadm's default configuration sets ${defaulted.join(' and ')}`] : written;
  if (causes.length === 0) return undefined;
  return {
    target: list.valueSpan,
    message: `${nameOf(list)} is "${String(list.value)}" while ${causes.join(' and ')}: the kubelet refuses the combination ("invalid configuration: can't use reservedSystemCPUs (--reserved-cpus) with systemReservedCgroup (--system-reserved-cgroup) or kubeReservedCgroup (--kube-reserved-cgroup)") and does not start, so the node never becomes Ready. Reserve CPU by amount with kubeReserved.cpu and systemReserved.cpu instead${eksDefaults ? '' : ', or drop the reserved cgroups'}.`,
    brief: `Its ${nameOf(list)} beside reserved cgroups also stops the kubelet at start.`,
  };
}

/** (c) `full-pcpus-only`: pods that cannot get whole physical cores fail at admission. */
function fullPhysicalCoresOnly(config: KubeletConfigView, version: KubernetesVersion): Problem | undefined {
  const options = config.get('cpuManagerPolicyOptions');
  if (!options || !isMap(options.value) || !atLeast(version, FULL_PCPUS_ONLY_RELEASE)) return undefined;
  const value = options.value['full-pcpus-only'];
  if (value !== true && !(typeof value === 'string' && GO_TRUE.test(value.trim()))) return undefined;
  return {
    target: config.schemaSource?.spanOf(['cpuManagerPolicyOptions', 'full-pcpus-only'], false) ?? options.valueSpan,
    severity: 'warning',
    message: `${nameOf(options)} sets full-pcpus-only to true: a Guaranteed pod whose integer CPU request cannot be given as whole physical cores (for example 3 CPUs on a node with 2 hardware threads per core) is rejected at admission with SMTAlignmentError and stays Failed. The scheduler does not take it back, and its ReplicaSet creates a replacement that can be sent to the same node and rejected again, in a loop. Request CPUs in multiples of the threads per core on these nodes.`,
    brief: 'full-pcpus-only also rejects pods that cannot get whole physical cores (SMTAlignmentError).',
  };
}

/** (c) A topology policy that rejects pods it cannot align. */
function rejectingTopologyPolicy(config: KubeletConfigView, version: KubernetesVersion): Problem | undefined {
  const policy = config.get('topologyManagerPolicy');
  if (!policy || typeof policy.value !== 'string' || !REJECTING_TOPOLOGY_POLICIES.has(policy.value) || !atLeast(version, TOPOLOGY_MANAGER_RELEASE)) return undefined;
  const where = policy.value === 'single-numa-node' ? 'on a single NUMA node' : 'on the NUMA nodes it prefers';
  return {
    target: policy.valueSpan,
    severity: 'warning',
    message: `${nameOf(policy)} is ${policy.value}: with the static CPU policy, a pod whose exclusive CPUs (and devices) cannot be placed ${where} is rejected at admission with TopologyAffinityError ("Resources cannot be allocated with Topology Locality") and stays Failed. The scheduler does not see NUMA, so the ReplicaSet's replacement can be sent to the same node and rejected again, in a loop. Size such pods to fit one NUMA node, or use best-effort.`,
    brief: `${nameOf(policy)} ${policy.value} also rejects pods it cannot align (TopologyAffinityError).`,
  };
}

/** (d) The caveat every static configuration deserves once. */
function staticPolicyCaveat(policy: KubeletSetting): Problem {
  return {
    target: policy.valueSpan,
    severity: 'info',
    message: `${nameOf(policy)} is static: only containers of Guaranteed pods with an integer CPU request (requests equal to limits, such as cpu: "2") get exclusive CPUs; a container with a fractional request, such as a 500m sidecar in the same pod, and every Burstable and BestEffort pod share the remaining CPUs. Switching a node that ran another policy needs a drain, a stopped kubelet and /var/lib/kubelet/cpu_manager_state removed, or the kubelet crash-loops ("could not restore state from checkpoint: configured policy "static" differs from state checkpoint policy "none"").`,
    brief: '',
  };
}

export default defineKubeletRule({
  meta: {
    id: 'kubelet-cpu-manager-static',
    stage: 'container-start',
    defaultSeverity: 'error',
    description: 'A kubelet configuration with `cpuManagerPolicy: static`: an error when the kubelet will not start (no CPU reservation, or `reservedSystemCPUs` beside reserved cgroups), a warning when pods can be rejected at admission (`full-pcpus-only`, a `restricted` or `single-numa-node` topology policy), otherwise an info on who gets exclusive CPUs and how to change the policy.',
    startupCost: 'Without a CPU reservation, or with reservedSystemCPUs beside reserved cgroups, the kubelet exits at start and 100% of the node\'s pods wait; with full-pcpus-only or a strict topology policy, a pod that cannot be aligned fails at admission and its replacements can fail the same way, 0 of N replicas Ready.',
    fixable: false,
    options: {},
  },
  check({ config, kubernetesVersion, report }) {
    const policy = config.get('cpuManagerPolicy');
    if (policy?.value !== 'static') return;
    const problems = [
      noReservation(config, policy, kubernetesVersion),
      reservedCpusWithCgroups(config, kubernetesVersion),
      fullPhysicalCoresOnly(config, kubernetesVersion),
      rejectingTopologyPolicy(config, kubernetesVersion),
    ].filter((problem): problem is Problem => problem !== undefined);
    // Listed from the most severe; the caveat only when nothing worse is there, to keep one finding per configuration.
    const [first, ...others] = problems.length > 0 ? problems : [staticPolicyCaveat(policy)];
    report({
      target: first.target,
      severity: first.severity,
      message: others.length > 0 ? `${first.message} ${others.map((other) => other.brief).join(' ')}` : first.message,
    });
  },
});
