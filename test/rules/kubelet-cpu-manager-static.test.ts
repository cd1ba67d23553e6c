import assert from 'node:assert/strict';
import { findingsOf, runRuleTests } from './harness';

runRuleTests('kubelet-cpu-manager-static', {
  valid: [
    {
      name: 'the none policy, even with a strict topology policy (devices only)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: none
topologyManagerPolicy: single-numa-node
`,
    },
    {
      name: 'no CPU manager policy (none by default)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeReserved:
  cpu: 500m
`,
    },
    {
      name: 'flags without the policy: reserved CPUs alone are not this rule\'s business',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: reserved-cpus
      value: "0-1"
    - name: system-reserved-cgroup
      value: /system.slice
`,
    },
    {
      name: 'a static configuration whose caveat the team silenced on its line',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# podstart-disable-next-line kubelet-cpu-manager-static
cpuManagerPolicy: static
kubeReserved:
  cpu: "1"
`,
    },
    {
      name: 'a ConfigMap is not a kubelet configuration',
      text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubelet
data:
  cpuManagerPolicy: static
`,
    },
  ],
  invalid: [
    {
      name: 'a whole configuration without a CPU reservation: the kubelet does not start',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
cpuManagerPolicy: static
`,
      findings: [{ line: 4, column: 19, endColumn: 25, message: 'cpuManagerPolicy is static but this KubeletConfiguration reserves no CPU (no kubeReserved.cpu, systemReserved.cpu or reservedSystemCPUs): the kubelet refuses to start ("[cpumanager] the static policy requires systemreserved.cpu + kubereserved.cpu to be greater than zero")' }],
    },
    {
      name: 'a zero CPU reservation counts as none; the rejecting option is named in the same finding',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: "static"
cpuManagerPolicyOptions:
  full-pcpus-only: "true"
kubeReserved:
  cpu: "0"
  memory: 1Gi
systemReserved:
  memory: 500Mi
`,
      findings: [{ line: 3, column: 19, endColumn: 27, message: /reserves no CPU.* full-pcpus-only also rejects pods that cannot get whole physical cores \(SMTAlignmentError\)\.$/ }],
    },
    {
      name: 'before 1.17 reservedSystemCPUs does not exist, so it reserves nothing',
      settings: { kubernetesVersion: '1.16' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: static
reservedSystemCPUs: "0"
`,
      findings: [{ line: 3, column: 19, message: 'reserves no CPU' }],
    },
    {
      name: 'reserved through reservedSystemCPUs: only the caveat',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: static
reservedSystemCPUs: "0"
`,
      findings: [{ line: 3, column: 19, endColumn: 25, message: 'cpuManagerPolicy is static: only containers of Guaranteed pods with an integer CPU request' }],
    },
    {
      name: 'reservedSystemCPUs beside a reserved cgroup: the kubelet refuses the combination',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: static
reservedSystemCPUs: 0-1
systemReservedCgroup: /system.slice
`,
      findings: [{ line: 4, column: 21, endColumn: 24, message: 'reservedSystemCPUs is "0-1" while systemReservedCgroup is /system.slice: the kubelet refuses the combination ("invalid configuration: can\'t use reservedSystemCPUs (--reserved-cpus) with systemReservedCgroup (--system-reserved-cgroup) or kubeReservedCgroup (--kube-reserved-cgroup)")' }],
    },
    {
      name: 'JSON with full-pcpus-only: underlines the option value',
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "cpuManagerPolicy": "static",
  "cpuManagerPolicyOptions": {
    "full-pcpus-only": "true"
  },
  "kubeReserved": {"cpu": "500m"}
}
`,
      findings: [{ line: 6, column: 24, endColumn: 30, message: 'cpuManagerPolicyOptions sets full-pcpus-only to true: a Guaranteed pod whose integer CPU request cannot be given as whole physical cores' }],
    },
    {
      name: 'before 1.22 full-pcpus-only does not exist: only the caveat',
      settings: { kubernetesVersion: '1.21' },
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "cpuManagerPolicy": "static",
  "cpuManagerPolicyOptions": {"full-pcpus-only": "true"},
  "kubeReserved": {"cpu": "500m"}
}
`,
      findings: [{ line: 4, column: 23, message: 'cpuManagerPolicy is static: only containers' }],
    },
    {
      name: 'kind patch with single-numa-node: an overlay is not judged on its reservation',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    cpuManagerPolicy: static
    topologyManagerPolicy: single-numa-node
`,
      findings: [{ line: 9, column: 28, endColumn: 44, message: 'topologyManagerPolicy is single-numa-node: with the static CPU policy, a pod whose exclusive CPUs (and devices) cannot be placed on a single NUMA node is rejected at admission with TopologyAffinityError' }],
    },
    {
      name: 'kind patch with static alone: the caveat, with the policy-change procedure',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  cpuManagerPolicy: static
`,
      findings: [{ line: 6, column: 21, endColumn: 27, message: 'or the kubelet crash-loops ("could not restore state from checkpoint: configured policy "static" differs from state checkpoint policy "none"")' }],
    },
    {
      name: 'kubeadm kubeletExtraArgs map (v1beta3): full-pcpus-only first, the topology policy named with it',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    cpu-manager-policy: static
    cpu-manager-policy-options: full-pcpus-only=true
    topology-manager-policy: restricted
`,
      findings: [{ line: 6, column: 33, endColumn: 53, message: /^--cpu-manager-policy-options sets full-pcpus-only to true: .* --topology-manager-policy restricted also rejects pods it cannot align \(TopologyAffinityError\)\.$/ }],
    },
    {
      name: 'Cluster API kubeletExtraArgs list (v1beta2): --reserved-cpus beside --kube-reserved-cgroup',
      text: `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  kubeadmConfigSpec:
    initConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
          - name: cpu-manager-policy
            value: static
          - name: reserved-cpus
            value: "0,1"
          - name: kube-reserved-cgroup
            value: /kube.slice
`,
      findings: [{ line: 13, column: 20, endColumn: 25, message: '--reserved-cpus is "0,1" while --kube-reserved-cgroup is /kube.slice' }],
    },
    {
      name: 'EKS nodeadm config: nodeadm\'s own defaults set both reserved cgroups',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      cpuManagerPolicy: static
      reservedSystemCPUs: "0-1"
`,
      findings: [{ line: 7, column: 27, endColumn: 32, message: 'reservedSystemCPUs is "0-1" while EKS nodeadm\'s default configuration sets systemReservedCgroup: /system and kubeReservedCgroup: /runtime' }],
    },
    {
      name: 'EKS nodeadm flags: the CPU list inside the flag is underlined',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --cpu-manager-policy=static
      - --reserved-cpus=0-1
`,
      findings: [{ line: 7, column: 25, endColumn: 28, message: /^--reserved-cpus is "0-1" while EKS nodeadm's default configuration sets/ }],
    },
    {
      name: 'EKS nodeadm config with a reservation by amount: the caveat only',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      cpuManagerPolicy: static
      kubeReserved:
        cpu: 250m
`,
      findings: [{ line: 6, column: 25, message: 'cpuManagerPolicy is static: only containers' }],
    },
  ],
});

describe('rule kubelet-cpu-manager-static: one severity per case', () => {
  const severityOf = (text: string, settings?: Parameters<typeof findingsOf>[2]) => findingsOf('kubelet-cpu-manager-static', text, settings).map((finding) => finding.severity);
  const staticWith = (extra: string) => `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cpuManagerPolicy: static
${extra}`;

  it('error when the kubelet will not start', () => {
    assert.deepEqual(severityOf(staticWith('')), ['error']);
    assert.deepEqual(severityOf(staticWith('reservedSystemCPUs: "0"\nkubeReservedCgroup: /runtime\n')), ['error']);
  });

  it('warning when pods can be rejected at admission', () => {
    assert.deepEqual(severityOf(staticWith('kubeReserved: {cpu: 1}\ntopologyManagerPolicy: restricted\n')), ['warning']);
  });

  it('info for the caveat', () => {
    assert.deepEqual(severityOf(staticWith('kubeReserved: {cpu: 1}\n')), ['info']);
  });

  it('the configured severity is the ceiling', () => {
    assert.deepEqual(severityOf(staticWith(''), { rules: { 'kubelet-cpu-manager-static': 'warning' } }), ['warning']);
    assert.deepEqual(severityOf(staticWith('kubeReserved: {cpu: 1}\n'), { rules: { 'kubelet-cpu-manager-static': 'warning' } }), ['info']);
  });
});
