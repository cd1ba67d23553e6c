import { runRuleTests } from './harness';

const OLD_RELEASE = { kubernetesVersion: '1.26' };

runRuleTests('kubelet-registry-pull-qps-low', {
  valid: [
    {
      name: 'serial pulls (the default): starts are spaced by the pulls themselves',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`,
    },
    {
      name: 'serial pulls with a low pull QPS are not judged',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: true
registryPullQPS: 1
`,
    },
    {
      name: 'the defaults 5/10 with a bound of at most 10 are fine',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 5
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 10
`,
    },
    {
      name: 'unbounded parallel pulls without a limit (registryPullQPS: 0)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryPullQPS: 0
`,
    },
    {
      name: 'unbounded parallel pulls with a burst of at least maxPods',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryBurst: 110
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxPods: 8
`,
    },
    {
      name: 'a kind patch that turns pulls parallel and says nothing of a bound or the registry (its base is not visible)',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  serializeImagePulls: false
`,
    },
    {
      name: 'a drop-in that turns pulls parallel leaves the bound and the limit to the main file',
      fileName: '/etc/kubernetes/kubelet.conf.d/10-pulls.conf',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
`,
    },
    {
      name: 'a NodeConfig whose kubelet config says nothing about pulls leaves them to EKS',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxPods: 58
`,
    },
    {
      name: 'a NodeConfig that bounds the pulls to the burst',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxParallelImagePulls: 10
`,
    },
    {
      name: 'kubeletExtraArgs with parallel pulls and the default limit (the bound lives in the config file)',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    serialize-image-pulls: "false"
    registry-qps: "5"
    registry-burst: "10"
`,
    },
    {
      name: 'a --registry-burst=0 flag is not judged',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --serialize-image-pulls=false
      - --registry-burst=0
`,
    },
    {
      name: 'before 1.27, a configuration that writes maxParallelImagePulls is ahead of the configured release: not judged',
      settings: OLD_RELEASE,
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 20
`,
    },
  ],
  invalid: [
    {
      name: 'a bound above the default burst: points at the bound, the safe fix raises the burst to it',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 20 # big nodes
`,
      findings: [
        {
          line: 4,
          column: 24,
          endColumn: 26,
          message: 'maxParallelImagePulls is 20, but the default registry limit (registryPullQPS 5, registryBurst 10) lets only 10 pulls start together: when 20 pods start on a node within a second, up to 10 of them fail their first pull. Pulls past the limit are not queued: they fail at once with "pull QPS exceeded" (ErrImagePull), and their pods wait in image back-off, 10 s at first and doubling up to 300 s, before the kubelet tries again (Image pull stage). Set registryBurst to 20, or set registryPullQPS to 0 for no limit.',
        },
      ],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 20 # big nodes
registryBurst: 20
`,
    },
    {
      name: 'a bound of 2 or more with serializeImagePulls unset is parallel (the kubelet\'s defaulting)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 16
registryBurst: 0
`,
      findings: [{ line: 4, column: 16, endColumn: 17, message: 'registryPullQPS 5 (the default) with registryBurst 10 (written as 0, which means the default) lets only 10 pulls start together' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 16
registryBurst: 16
`,
    },
    {
      name: 'JSON, unbounded parallel pulls with the default limit (EKS\'s own config.json): the safe fix bounds the pulls to the burst',
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "serializeImagePulls": false,
  "maxPods": 58
}
`,
      findings: [
        {
          line: 4,
          column: 26,
          endColumn: 31,
          message: /^serializeImagePulls is false with no maxParallelImagePulls, so every pod starting on the node \(up to maxPods, 58\) can start its pull at once, but the default registry limit \(registryPullQPS 5, registryBurst 10\) lets only 10 start together: when 30 pods start on a node within a second, up to 20 of them fail their first pull\..* Set maxParallelImagePulls to 10, so that pulls past the burst wait for a free slot instead of failing, or set registryPullQPS to 0 for no limit\.$/,
        },
      ],
      output: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "serializeImagePulls": false,
  "maxPods": 58,
  "maxParallelImagePulls": 10
}
`,
    },
    {
      name: 'the review-only alternative removes the limit',
      fixTitle: 'Remove the registry pull limit (registryPullQPS: 0)',
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "serializeImagePulls": false
}
`,
      findings: [{ line: 4, column: 26 }],
      output: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "serializeImagePulls": false,
  "registryPullQPS": 0
}
`,
    },
    {
      name: 'a raised burst still short of maxPods: the bound follows the burst',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryBurst: 40
`,
      findings: [{ line: 3, column: 22, message: 'registryPullQPS 5 (the default) with registryBurst 40 lets only 40 start together: when 80 pods start on a node within a second, up to 40 of them fail their first pull' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryBurst: 40
maxParallelImagePulls: 40
`,
    },
    {
      name: 'before 1.27 nothing can bound the pulls: the only fix is the review-only "no limit"',
      settings: OLD_RELEASE,
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
`,
      findings: [{ line: 3, column: 22, message: /Set registryPullQPS to 0 for no limit \(maxParallelImagePulls, which would bound the pulls, exists from Kubernetes 1\.27\)\.$/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
registryPullQPS: 0
`,
    },
    {
      name: 'an explicit pull QPS below the default with parallel pulls: points at it, the fix restores 5',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 5
registryPullQPS: 2
`,
      findings: [{ line: 5, column: 18, endColumn: 19, message: /^registryPullQPS is 2, below the default of 5: once the burst is spent, only 2 pulls may start per second\..* Set registryPullQPS to 5 \(or to 0 for no limit\)\.$/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 5
registryPullQPS: 5
`,
    },
    {
      name: 'a low QPS and a burst short of the bound: one finding, one fix for both',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 8
registryPullQPS: 1
registryBurst: 4
`,
      findings: [{ line: 5, column: 18, message: 'Set registryPullQPS to 5 and registryBurst to 10, or set registryPullQPS to 0 for no limit.' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 8
registryPullQPS: 5
registryBurst: 10
`,
    },
    {
      name: 'a kind patch: judged on what it writes (a burst below its bound; the unwritten QPS is taken at its default)',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  serializeImagePulls: false
  maxParallelImagePulls: 20
  registryBurst: 5
`,
      findings: [{ line: 8, column: 18, endColumn: 19, message: 'maxParallelImagePulls is 20, but registryPullQPS 5 (the default) with registryBurst 5 lets only 5 pulls start together' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  serializeImagePulls: false
  maxParallelImagePulls: 20
  registryBurst: 20
`,
    },
    {
      name: 'EKS nodeadm config turning pulls parallel without a bound: its base leaves the limit at 5/10',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      serializeImagePulls: false
`,
      findings: [{ line: 6, column: 28, endColumn: 33, message: "but the registry limit EKS's base configuration leaves at its default (registryPullQPS 5, registryBurst 10) lets only 10 start together" }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      serializeImagePulls: false
      maxParallelImagePulls: 10
`,
    },
    {
      name: 'EKS nodeadm config with a bound above the base burst',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxParallelImagePulls: 20
`,
      findings: [{ line: 6, column: 30, message: "maxParallelImagePulls is 20, but the registry limit EKS's base configuration leaves at its default" }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxParallelImagePulls: 20
      registryBurst: 20
`,
    },
    {
      name: 'EKS nodeadm config that only lowers the pull QPS: the base pulls in parallel without a bound, so both are fixed',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxPods: 29
      registryPullQPS: 2
`,
      findings: [
        {
          line: 7,
          column: 24,
          endColumn: 25,
          message: /^EKS's base configuration pulls in parallel with no maxParallelImagePulls, so every pod starting on the node \(up to maxPods, 29\) can start its pull at once, but registryPullQPS 2 with registryBurst 10 \(EKS's base configuration leaves the default\) lets only 10 start together: when 29 pods start on a node within a second, up to 19 of them fail their first pull; registryPullQPS is 2, below the default of 5/,
        },
      ],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxPods: 29
      registryPullQPS: 5
      maxParallelImagePulls: 10
`,
    },
    {
      name: 'kubeadm v1beta3 kubeletExtraArgs map: a low --registry-qps with parallel pulls',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    serialize-image-pulls: "false"
    registry-qps: "2"
`,
      findings: [{ line: 6, column: 19, endColumn: 22, message: /^--registry-qps is 2, below the default of 5.* Set --registry-qps to 5 \(or to 0 for no limit\)\.$/ }],
      output: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    serialize-image-pulls: "false"
    registry-qps: "5"
`,
    },
    {
      name: 'kubeadm v1beta4 kubeletExtraArgs list: a burst of 1 cannot start two parallel pulls together',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: serialize-image-pulls
      value: "false"
    - name: registry-burst
      value: "1"
`,
      findings: [{ line: 8, column: 14, endColumn: 17, message: '--serialize-image-pulls is false, so at least 2 pulls can start together, but registryPullQPS 5 (the default) with --registry-burst 1 lets only 1 start at once' }],
      output: `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: serialize-image-pulls
      value: "false"
    - name: registry-burst
      value: "10"
`,
    },
    {
      name: 'Cluster API v1beta2 kubeletExtraArgs list',
      text: `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  kubeadmConfigSpec:
    joinConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
          - name: serialize-image-pulls
            value: "false"
          - name: registry-qps
            value: "1"
`,
      findings: [{ line: 13, column: 20, message: '--registry-qps is 1, below the default of 5: once the burst is spent, only 1 pull may start per second' }],
      output: `apiVersion: controlplane.cluster.x-k8s.io/v1beta2
kind: KubeadmControlPlane
metadata:
  name: cp
spec:
  kubeadmConfigSpec:
    joinConfiguration:
      nodeRegistration:
        kubeletExtraArgs:
          - name: serialize-image-pulls
            value: "false"
          - name: registry-qps
            value: "5"
`,
    },
    {
      name: 'EKS nodeadm flags',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --serialize-image-pulls=false
      - --registry-qps=1
`,
      findings: [{ line: 7, column: 24, endColumn: 25, message: '--registry-qps is 1' }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --serialize-image-pulls=false
      - --registry-qps=5
`,
    },
  ],
});
