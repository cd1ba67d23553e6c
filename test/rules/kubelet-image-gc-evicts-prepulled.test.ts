import { runRuleTests } from './harness';

const RULE = 'kubelet-image-gc-evicts-prepulled';

runRuleTests('kubelet-image-gc-evicts-prepulled', {
  valid: [
    {
      name: 'the defaults written out, as kubeadm prints them',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 85
imageGCLowThresholdPercent: 80
imageMinimumGCAge: 2m0s
imageMaximumGCAge: 0s
`,
    },
    {
      name: 'imageMinimumGCAge 0 means the 2m default',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: 0s
`,
    },
    {
      name: "kind's imageGCHighThresholdPercent: 100 turns threshold GC off and keeps every image",
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 100
evictionHard:
  nodefs.available: "0%"
`,
    },
    {
      name: 'high 100 with a low far below it: no threshold run, so no gap',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 50
`,
    },
    {
      name: 'thresholds lowered to stay ahead of disk eviction (75/70), and two weeks of idle time',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 75
imageGCLowThresholdPercent: 70
imageMaximumGCAge: 336h
`,
    },
    {
      name: 'a gap of 20 points is allowed',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 90
imageGCLowThresholdPercent: 70
`,
    },
    {
      name: 'before 1.29 the kubelet ignores imageMaximumGCAge',
      settings: { kubernetesVersion: '1.28' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 1h
`,
    },
    {
      name: 'on 1.29 with the gate enabled and a long age',
      settings: { kubernetesVersion: '1.29' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  ImageMaximumGCAge: true
imageMaximumGCAge: 720h
`,
    },
    {
      name: 'a shorter minimum from the option',
      settings: { rules: { [RULE]: { options: { minimumMaximumGCAge: '24h' } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 48h
`,
    },
    {
      name: 'a kind patch that sets only the high threshold: its low threshold comes from the base',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  imageGCHighThresholdPercent: 75
`,
    },
    {
      name: 'a drop-in that sets only the high threshold is not a whole configuration',
      fileName: '/etc/kubernetes/kubelet.conf.d/50-gc.conf',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 78
`,
    },
    {
      name: 'kubeletExtraArgs with the defaults',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    image-gc-high-threshold: "85"
    image-gc-low-threshold: "80"
    minimum-image-ttl-duration: "5m"
`,
    },
    {
      name: 'a value that is not a duration is left to the schema check',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 1 day
`,
    },
  ],
  invalid: [
    {
      name: 'imageMaximumGCAge of a day: the fix lengthens it to a week',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 24h # clean up nightly
`,
      findings: [{ line: 3, column: 20, endColumn: 23, message: 'imageMaximumGCAge is 24h (1 day), shorter than 168h' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 168h # clean up nightly
`,
    },
    {
      name: 'JSON: the fix writes a JSON string',
      fileName: 'kubelet-config.json',
      text: `{
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "kind": "KubeletConfiguration",
  "imageMaximumGCAge": "1h30m",
  "maxPods": 110
}
`,
      findings: [{ line: 4, column: 24, endColumn: 31, message: 'imageMaximumGCAge is 1h30m (1.5 hours)' }],
      output: `{
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "kind": "KubeletConfiguration",
  "imageMaximumGCAge": "168h",
  "maxPods": 110
}
`,
    },
    {
      name: 'inside a kind patch: the range and the fix are mapped into the block',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    imageMaximumGCAge: 12h
`,
      findings: [{ line: 9, column: 24, endColumn: 27, message: 'shorter than 168h' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    imageMaximumGCAge: 168h
`,
    },
    {
      name: 'EKS nodeadm spec.kubelet.config',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      imageMaximumGCAge: 72h
`,
      findings: [{ line: 6, column: 26, message: 'imageMaximumGCAge is 72h (3 days)' }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      imageMaximumGCAge: 168h
`,
    },
    {
      name: 'the minimum from the option, and the fix writes it',
      settings: { rules: { [RULE]: { options: { minimumMaximumGCAge: '336h' } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 168h
`,
      findings: [{ line: 3, column: 20, message: 'shorter than 336h' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 336h
`,
    },
    {
      name: 'on 1.29 a whole configuration without the gate is refused',
      settings: { kubernetesVersion: '1.29' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 720h
`,
      findings: [{ line: 3, column: 20, message: 'alpha and off by default in Kubernetes 1.29, so the kubelet refuses this configuration and does not start' }],
    },
    {
      name: 'on 1.29 a kind patch cannot show the gate: the message says it is needed',
      settings: { kubernetesVersion: '1.29' },
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  imageMaximumGCAge: 24h
`,
      findings: [{ line: 6, column: 22, message: /On Kubernetes 1\.29 it also needs the ImageMaximumGCAge feature gate, or the kubelet refuses to start\.$/ }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  imageMaximumGCAge: 168h
`,
    },
    {
      name: 'the gate set to false is refused whatever the release',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  ImageMaximumGCAge: false
imageMaximumGCAge: 720h
`,
      findings: [{ line: 5, column: 20, message: 'the ImageMaximumGCAge feature gate is set to false here, so the kubelet refuses' }],
    },
    {
      name: 'a negative imageMaximumGCAge is refused',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: -24h
`,
      findings: [{ line: 3, column: 20, endColumn: 24, message: 'imageMaximumGCAge is -24h: it must not be negative, and the kubelet refuses' }],
    },
    {
      name: 'imageMaximumGCAge not longer than imageMinimumGCAge is refused; the fix lengthens it to the option',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: 2h
imageMaximumGCAge: 1h
`,
      findings: [{ line: 4, column: 20, message: 'imageMaximumGCAge (1h) is not longer than imageMinimumGCAge (2h): it must be longer, so the kubelet refuses' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: 2h
imageMaximumGCAge: 168h
`,
    },
    {
      name: 'imageMaximumGCAge equal to the default minimum age of a whole configuration is refused',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 120s
`,
      findings: [{ line: 3, column: 20, message: 'imageMaximumGCAge (120s) is not longer than imageMinimumGCAge (2m, the default)' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMaximumGCAge: 168h
`,
    },
    {
      name: 'a high threshold of 75 alone: the low threshold defaults to 80 and the kubelet refuses; the fix puts low 5 below',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 75
`,
      findings: [{ line: 3, column: 30, endColumn: 32, message: 'imageGCHighThresholdPercent is 75 and imageGCLowThresholdPercent, not set, defaults to 80' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 75
imageGCLowThresholdPercent: 70
`,
    },
    {
      name: 'low equal to high is refused (points at the low threshold)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 80
imageGCLowThresholdPercent: 80
`,
      findings: [{ line: 4, column: 29, message: 'imageGCLowThresholdPercent (80) is not below imageGCHighThresholdPercent (80)' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 80
imageGCLowThresholdPercent: 75
`,
    },
    {
      name: 'a high threshold of 0 in a kind patch is refused whatever the low one',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  imageGCHighThresholdPercent: 0
`,
      findings: [{ line: 6, column: 32, message: 'imageGCHighThresholdPercent is 0: the low threshold must be below it and cannot be negative' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  imageGCHighThresholdPercent: 70
  imageGCLowThresholdPercent: 65
`,
    },
    {
      name: 'high threshold below 70: the fix raises both thresholds',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 60
imageGCLowThresholdPercent: 50
`,
      findings: [{ line: 3, column: 30, endColumn: 32, message: 'imageGCHighThresholdPercent is 60, below 70' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 70
imageGCLowThresholdPercent: 65
`,
    },
    {
      name: 'a low threshold 35 points below the high one: the fix raises it to 5 below',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCLowThresholdPercent: 50
`,
      findings: [{ line: 3, column: 29, message: 'imageGCLowThresholdPercent is 50, 35 points below the high threshold (85)' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCLowThresholdPercent: 80
`,
    },
    {
      name: 'JSON thresholds with a wide gap',
      fileName: 'kubelet-config.json',
      text: `{"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "imageGCHighThresholdPercent": 90, "imageGCLowThresholdPercent": 60}
`,
      findings: [{ line: 1, column: 146, endColumn: 148, message: 'imageGCLowThresholdPercent is 60, 30 points below the high threshold (90)' }],
      output: `{"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "imageGCHighThresholdPercent": 90, "imageGCLowThresholdPercent": 85}
`,
    },
    {
      name: 'a stricter option reports a gap the default allows',
      settings: { rules: { [RULE]: { options: { maximumThresholdGapPercent: 10 } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 90
imageGCLowThresholdPercent: 75
`,
      findings: [{ line: 4, column: 29, message: '15 points below the high threshold (90)' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 90
imageGCLowThresholdPercent: 85
`,
    },
    {
      name: 'kubeadm kubeletExtraArgs as a map: the fix rewrites the flag and adds the low one',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    image-gc-high-threshold: "60"
`,
      findings: [{ line: 5, column: 30, endColumn: 34, message: '--image-gc-high-threshold is 60, below 70' }],
      output: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    image-gc-high-threshold: "70"
    image-gc-low-threshold: "65"
`,
    },
    {
      name: 'EKS nodeadm flags: low above high is refused',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --image-gc-high-threshold=90
      - --image-gc-low-threshold=95
`,
      findings: [{ line: 7, column: 34, endColumn: 36, message: '--image-gc-low-threshold (95) is not below --image-gc-high-threshold (90)' }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --image-gc-high-threshold=90
      - --image-gc-low-threshold=85
`,
    },
    {
      name: 'a negative imageMinimumGCAge before 1.36: no guard for just-pulled images; the fix writes the default',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: -1m
`,
      findings: [{ line: 3, column: 20, endColumn: 23, message: 'imageMinimumGCAge is -1m: only 0 is replaced by the 2m default' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: 2m
`,
    },
    {
      name: 'a negative imageMinimumGCAge from 1.36 is refused',
      settings: { kubernetesVersion: '1.36' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: -30s
`,
      findings: [{ line: 3, column: 20, message: 'from Kubernetes 1.36 the kubelet refuses this configuration' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageMinimumGCAge: 2m
`,
    },
    {
      name: 'Cluster API kubeletExtraArgs as a list (v1beta2): --minimum-image-ttl-duration',
      text: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
            - name: minimum-image-ttl-duration
              value: "-5m"
`,
      findings: [{ line: 12, column: 22, message: '--minimum-image-ttl-duration is -5m' }],
      output: `apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
kind: KubeadmConfigTemplate
metadata:
  name: workers
spec:
  template:
    spec:
      joinConfiguration:
        nodeRegistration:
          kubeletExtraArgs:
            - name: minimum-image-ttl-duration
              value: "2m"
`,
    },
    {
      name: 'several findings in one configuration, each with its fix',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 65
imageGCLowThresholdPercent: 60
imageMinimumGCAge: -2m
imageMaximumGCAge: 6h
`,
      findings: [
        { line: 3, column: 30, message: 'imageGCHighThresholdPercent is 65, below 70' },
        { line: 5, column: 20, message: 'imageMinimumGCAge is -2m' },
        { line: 6, column: 20, message: 'imageMaximumGCAge is 6h' },
      ],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
imageGCHighThresholdPercent: 70
imageGCLowThresholdPercent: 65
imageMinimumGCAge: 2m
imageMaximumGCAge: 168h
`,
    },
  ],
});
