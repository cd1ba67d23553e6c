import { runRuleTests } from './harness';

const OLD_RELEASE = { kubernetesVersion: '1.26' };

runRuleTests('kubelet-api-qps-low', {
  valid: [
    {
      name: 'a whole KubeletConfiguration from 1.27 that leaves the limits to their defaults (50/100)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`,
    },
    {
      name: 'the 1.27 defaults written out, and higher values',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 50
kubeAPIBurst: 100
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 100
kubeAPIBurst: 200
`,
    },
    {
      name: 'kubeAPIBurst: 0 in a file is defaulted to 100',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIBurst: 0
`,
    },
    {
      name: 'before 1.27, values raised above the old 5/10 (the 1.27 post suggested 20/40) are deliberate tuning',
      settings: OLD_RELEASE,
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 20
kubeAPIBurst: 40
`,
    },
    {
      name: 'before 1.27, a kind patch that does not mention the limits (its base is not visible)',
      settings: OLD_RELEASE,
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  maxPods: 250
`,
    },
    {
      name: 'before 1.27, a drop-in file that does not mention the limits',
      settings: OLD_RELEASE,
      fileName: '/etc/kubernetes/kubelet.conf.d/20-pods.conf',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxPods: 250
`,
    },
    {
      name: 'a negative value is a validation error, not this rule\'s finding',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: -1
`,
    },
    {
      name: 'kubeletExtraArgs at the defaults (kubeadm v1beta4 list)',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: kube-api-qps
      value: "50"
    - name: kube-api-burst
      value: "100"
`,
    },
    {
      name: 'event limits are another client: eventRecordQPS is not this rule\'s',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
eventRecordQPS: 5
eventBurst: 10
`,
    },
  ],
  invalid: [
    {
      name: 'below the 1.27 defaults: points at the QPS, the fix raises both and keeps comments',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 10 # carried over from the 1.26 AMI
kubeAPIBurst: 20
`,
      findings: [
        {
          line: 3,
          column: 13,
          endColumn: 15,
          message: 'kubeAPIQPS is 10, below the default of 50 since Kubernetes 1.27; kubeAPIBurst is 20, below the default of 100 since Kubernetes 1.27. The kubelet\'s API client then allows 10 requests per second (burst 20), and starting pods wait for it in the Volumes, Secrets and ConfigMaps stage (Secret, ConfigMap and ServiceAccount token fetches, status updates): a node starting 50 pods (about 200 requests) waits about 18 s on this limit, against about 2 s with 50/100. Set kubeAPIQPS to 50 and kubeAPIBurst to 100.',
        },
      ],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 50 # carried over from the 1.26 AMI
kubeAPIBurst: 100
`,
    },
    {
      name: 'JSON: kubeAPIQPS 0 is not unlimited (client-go uses 5); the fix sets only the QPS',
      fileName: 'kubelet-config.json',
      text: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "kubeAPIQPS": 0,
    "maxPods": 110
}
`,
      findings: [{ line: 4, column: 19, endColumn: 20, message: 'kubeAPIQPS is 0, which is not "no limit": client-go replaces a QPS of 0 with its default, 5 requests per second' }],
      output: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "kubeAPIQPS": 50,
    "maxPods": 110
}
`,
    },
    {
      name: 'JSON before 1.27 with nothing set: the fix adds both members',
      settings: OLD_RELEASE,
      fileName: 'kubelet-config.json',
      text: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "maxPods": 110
}
`,
      findings: [{ line: 2, column: 13, message: 'kubeAPIQPS and kubeAPIBurst are not set, and before Kubernetes 1.27 they default to 5 and 10' }],
      output: `{
    "kind": "KubeletConfiguration",
    "apiVersion": "kubelet.config.k8s.io/v1beta1",
    "maxPods": 110,
    "kubeAPIQPS": 50,
    "kubeAPIBurst": 100
}
`,
    },
    {
      name: 'only the burst is low: points at it; the fix keeps the higher QPS and raises the burst to 100',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 80
kubeAPIBurst: 60
`,
      findings: [{ line: 4, column: 15, endColumn: 17, message: /^kubeAPIBurst is 60, below the default of 100 since Kubernetes 1\.27\. .* \(burst 60\).* Set kubeAPIBurst to 100\.$/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 80
kubeAPIBurst: 100
`,
    },
    {
      name: 'a low burst under a high QPS is raised to the QPS, not lowered to 100',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 150
kubeAPIBurst: 60
`,
      findings: [{ line: 4, column: 15, message: 'Set kubeAPIBurst to 150.' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 150
kubeAPIBurst: 150
`,
    },
    {
      name: 'before 1.27, a whole configuration that leaves the limits unset gets the old 5/10: points at the kind',
      settings: OLD_RELEASE,
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.26.9
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`,
      findings: [{ line: 6, column: 7, endColumn: 27, message: 'waits about 38 s on this limit' }],
      output: `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.26.9
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
kubeAPIQPS: 50
kubeAPIBurst: 100
`,
    },
    {
      name: 'before 1.27, the old defaults written out are as slow as leaving them unset',
      settings: OLD_RELEASE,
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 5
kubeAPIBurst: 10
`,
      findings: [{ line: 3, column: 13, message: 'kubeAPIQPS is 5, no more than the default of 5 before Kubernetes 1.27; kubeAPIBurst is 10, no more than the default of 10 before Kubernetes 1.27' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 50
kubeAPIBurst: 100
`,
    },
    {
      name: 'before 1.27, a burst of 0 counts as unset (10): the fix replaces it',
      settings: OLD_RELEASE,
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 20
kubeAPIBurst: 0
`,
      findings: [{ line: 4, column: 15, message: 'kubeAPIBurst is 0, which the kubelet treats as unset, and before Kubernetes 1.27 the default is 10' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
kubeAPIQPS: 20
kubeAPIBurst: 100
`,
    },
    {
      name: 'a kind patch: only what it writes; from 1.27 the unwritten burst is left to the base',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    kubeAPIQPS: 20
`,
      findings: [{ line: 8, column: 17, endColumn: 19, message: /^kubeAPIQPS is 20, below the default of 50 since Kubernetes 1\.27\. The kubelet's API client then allows 20 requests per second, and/ }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    kubeAPIQPS: 50
`,
    },
    {
      name: 'kubeadm v1beta3 kubeletExtraArgs map: the flag is named as a flag, the fix rewrites its value',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    kube-api-qps: "10"
    kube-api-burst: "200"
`,
      findings: [{ line: 5, column: 19, endColumn: 23, message: /^--kube-api-qps is 10, below the default of 50 since Kubernetes 1\.27\..* Set --kube-api-qps to 50\.$/ }],
      output: `apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    kube-api-qps: "50"
    kube-api-burst: "200"
`,
    },
    {
      name: 'kubeadm v1beta4 kubeletExtraArgs list of name and value',
      text: `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: node-labels
      value: tier=batch
    - name: kube-api-qps
      value: "5"
    - name: kube-api-burst
      value: "10"
`,
      findings: [{ line: 8, column: 14, endColumn: 17, message: 'Set --kube-api-qps to 50 and --kube-api-burst to 100.' }],
      output: `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    - name: node-labels
      value: tier=batch
    - name: kube-api-qps
      value: "50"
    - name: kube-api-burst
      value: "100"
`,
    },
    {
      name: 'Cluster API v1beta2 kubeletExtraArgs list, burst only',
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
            - name: kube-api-burst
              value: "40"
`,
      findings: [{ line: 12, column: 22, message: '--kube-api-burst is 40, below the default of 100' }],
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
            - name: kube-api-burst
              value: "100"
`,
    },
    {
      name: 'nodeadm flags before 1.27: the QPS is raised and, the base burst being unseen, the burst flag is added',
      settings: OLD_RELEASE,
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --node-labels=team=ml
      - --kube-api-qps=5
`,
      findings: [{ line: 7, column: 24, endColumn: 25, message: /^--kube-api-qps is 5, no more than the default of 5 before Kubernetes 1\.27\./ }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --node-labels=team=ml
      - --kube-api-qps=50
      - "--kube-api-burst=100"
`,
    },
    {
      name: 'nodeadm spec.kubelet.config',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      kubeAPIQPS: 10
      kubeAPIBurst: 20
`,
      findings: [{ line: 6, column: 19 }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      kubeAPIQPS: 50
      kubeAPIBurst: 100
`,
    },
  ],
});
