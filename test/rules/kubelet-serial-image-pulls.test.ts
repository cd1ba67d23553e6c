import { runRuleTests } from './harness';

runRuleTests('kubelet-serial-image-pulls', {
  valid: [
    {
      name: 'parallel pulls with a bound',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 10
`,
    },
    {
      name: 'serializeImagePulls: no is false to the kubelet, which reads YAML 1.1',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: no
`,
    },
    {
      name: 'a drop-in file leaves the field to the main configuration',
      fileName: '/etc/kubernetes/kubelet.conf.d/50-gc.conf',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 90
`,
    },
    {
      name: 'a kind patch that does not mention pulls (its base is kind\'s own configuration)',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  apiVersion: kubelet.config.k8s.io/v1beta1
  kind: KubeletConfiguration
  evictionHard:
    nodefs.available: "0%"
`,
    },
    {
      name: 'kubeletExtraArgs without the flag',
      text: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta1
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
            eviction-hard: nodefs.available<0%
`,
    },
    {
      name: 'a bound of 2 or more: serializeImagePulls then defaults to false',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 4
`,
    },
    {
      name: 'a ConfigMap is not a kubelet configuration',
      text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubelet
data:
  serializeImagePulls: "true"
`,
    },
  ],
  invalid: [
    {
      name: 'a bound of 1 keeps pulls serial: the fix raises it',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 1
`,
      findings: [{ line: 2, column: 7 }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 5
serializeImagePulls: false
`,
    },
    {
      name: 'unset in a whole KubeletConfiguration: points at the kind, fix adds both fields',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDomain: cluster.local # keep
`,
      findings: [{ line: 2, column: 7, endColumn: 27, message: 'serializeImagePulls is not set, and it defaults to true' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDomain: cluster.local # keep
serializeImagePulls: false
maxParallelImagePulls: 5
`,
    },
    {
      name: 'explicitly true: points at the value, fix replaces it and adds the bound from the option',
      settings: { rules: { 'kubelet-serial-image-pulls': { options: { maxParallelImagePulls: 8 } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: true
registryPullQPS: 10
`,
      findings: [{ line: 3, column: 22, endColumn: 26, message: 'serializeImagePulls is true' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryPullQPS: 10
maxParallelImagePulls: 8
`,
    },
    {
      name: 'before 1.27 the fix sets only serializeImagePulls (no maxParallelImagePulls yet)',
      settings: { kubernetesVersion: '1.26' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: true
`,
      findings: [{ line: 3, column: 22, message: /Set serializeImagePulls to false\.$/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
`,
    },
    {
      name: 'a KubeletConfiguration document of a kubeadm configuration file',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`,
      findings: [{ line: 5, column: 7 }],
      output: `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
serializeImagePulls: false
maxParallelImagePulls: 5
`,
    },
    {
      name: 'JSON: the fix adds entries in JSON',
      fileName: 'kubelet-config.json',
      text: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "serializeImagePulls": true,
    "maxPods": 110
}
`,
      findings: [{ line: 4, column: 28, endColumn: 32 }],
      output: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "serializeImagePulls": false,
    "maxPods": 110,
    "maxParallelImagePulls": 5
}
`,
    },
    {
      name: 'inside a kind kubeadmConfigPatches entry: the range and the fix are mapped into the block',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  kubeadmConfigPatches:
  - |
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    serializeImagePulls: true
  - |
    kind: JoinConfiguration
`,
      findings: [{ line: 9, column: 26, endColumn: 30, message: 'serializeImagePulls is true' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  kubeadmConfigPatches:
  - |
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    serializeImagePulls: false
    maxParallelImagePulls: 5
  - |
    kind: JoinConfiguration
`,
    },
    {
      name: 'kubeletExtraArgs of a kubeadm InitConfiguration inside a kind patch',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: InitConfiguration
  nodeRegistration:
    kubeletExtraArgs:
      serialize-image-pulls: "true"
`,
      findings: [{ line: 8, column: 30, endColumn: 36, message: '--serialize-image-pulls is true' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: InitConfiguration
  nodeRegistration:
    kubeletExtraArgs:
      serialize-image-pulls: "false"
`,
    },
    {
      name: 'Cluster API kubeletExtraArgs as a list of name and value (v1beta2)',
      text: `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  kubeadmConfigSpec:
    initConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
          - name: serialize-image-pulls
            value: "true"
`,
      findings: [{ line: 11, column: 20 }],
      output: `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  kubeadmConfigSpec:
    initConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
          - name: serialize-image-pulls
            value: "false"
`,
    },
    {
      name: 'Cluster API kubeletExtraArgs as a map (v1beta1), in a KubeadmConfigTemplate',
      text: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta1
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
            serialize-image-pulls: "true"
`,
      findings: [{ line: 11, column: 36 }],
      output: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta1
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
            serialize-image-pulls: "false"
`,
    },
    {
      name: 'EKS nodeadm: spec.kubelet.config and spec.kubelet.flags',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      serializeImagePulls: true
    flags:
      - --node-labels=team=ml
      - --serialize-image-pulls=true
`,
      findings: [
        { line: 6, column: 28, message: 'serializeImagePulls is true' },
        { line: 9, column: 33, endColumn: 37, message: '--serialize-image-pulls is true' },
      ],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      serializeImagePulls: false
      maxParallelImagePulls: 5
    flags:
      - --node-labels=team=ml
      - --serialize-image-pulls=false
`,
    },
  ],
});
