import { runRuleTests } from './harness';

runRuleTests('kubelet-config-invalid', {
  valid: [
    {
      name: 'a valid configuration with nested fields, durations and quantities',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 5
imageMinimumGCAge: 2m
cpuManagerPolicy: static
kubeReserved:
  cpu: 500m
  memory: 1Gi
evictionHard:
  memory.available: 100Mi
  nodefs.available: 10%
authentication:
  webhook:
    enabled: true
`,
    },
    {
      name: 'YAML 1.1 booleans, as the kubelet reads its YAML (yes, on, no), but not quoted ones',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failSwapOn: no
serializeImagePulls: Off
featureGates:
  MemoryQoS: yes
`,
    },
    {
      name: 'the pair the parallel-pulls rule reports is left to it',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: true
maxParallelImagePulls: 4
`,
    },
    {
      name: 'a kubeadm ClusterConfiguration beside it is not a kubelet configuration',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
notAKubeletField: true
`,
    },
  ],
  invalid: [
    {
      name: 'a misspelt field: a warning at the key, renamed by the fix',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePull: false
`,
      findings: [{ line: 3, column: 1, endColumn: 19, message: 'Unknown field "serializeImagePull" in KubeletConfiguration: did you mean "serializeImagePulls"?' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
`,
    },
    {
      name: 'a value of the wrong type, an enum and a duration: errors at the values',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: "false"
cpuManagerPolicy: Static
imageMinimumGCAge: 2 minutes
`,
      findings: [
        { line: 3, column: 22, message: 'must be true or false (got a string "false")' },
        { line: 4, column: 19, message: 'did you mean "static"?' },
        { line: 5, column: 20, message: 'Go duration' },
      ],
    },
    {
      name: 'in JSON, the renamed key keeps its quotes',
      fileName: 'kubelet-config.json',
      text: `{
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "kind": "KubeletConfiguration",
  "SerializeImagePulls": false
}
`,
      findings: [{ line: 4, column: 3, message: 'did you mean "serializeImagePulls"?' }],
      output: `{
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "kind": "KubeletConfiguration",
  "serializeImagePulls": false
}
`,
    },
    {
      name: 'a nested unknown field inside a kind patch, mapped into the block',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    authentication:
      webhook:
        enabledd: true
`,
      findings: [{ line: 8, column: 9, endColumn: 17, message: 'Unknown field "enabledd" in authentication.webhook: did you mean "enabled"?' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    authentication:
      webhook:
        enabled: true
`,
    },
    {
      name: 'nodeadm spec.kubelet.config is checked as a KubeletConfiguration',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxPods: "110"
`,
      findings: [{ line: 6, column: 16, message: '"maxPods" must be an integer' }],
    },
  ],
});
