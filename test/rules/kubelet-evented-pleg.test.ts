import assert from 'node:assert/strict';
import { findingsOf, runRuleTests } from './harness';

runRuleTests('kubelet-evented-pleg', {
  valid: [
    {
      name: 'the gate turned off',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: false
  MemoryQoS: true
`,
    },
    {
      name: 'a whole configuration without the gate (off by default in every release)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
`,
    },
    {
      name: 'flags that turn other gates on',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    feature-gates: "MemoryQoS=true,NotEventedPLEG=true"
`,
    },
    {
      name: 'the gate in --feature-gates set to false',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --feature-gates=EventedPLEG=false
`,
    },
    {
      name: 'a ConfigMap is not a kubelet configuration',
      text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: kubelet
data:
  featureGates: "EventedPLEG=true"
`,
    },
  ],
  invalid: [
    {
      name: 'standalone KubeletConfiguration: underlines the entry, the fix sets it to false and keeps the comment',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true # faster pod starts?
  MemoryQoS: false
`,
      findings: [{ line: 4, column: 3, endColumn: 20, message: 'featureGates.EventedPLEG is true. In 1.34 it is an alpha feature, off by default.' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: false # faster pod starts?
  MemoryQoS: false
`,
    },
    {
      name: '1.28: the beta that stayed off and went back to alpha',
      settings: { kubernetesVersion: '1.28' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true
`,
      findings: [{ line: 4, column: 3, message: /In 1\.28\.0 it was labelled beta yet left off by default, and it went back to alpha in later 1\.28 patch releases \(kubernetes\/kubernetes#122697\)/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: false
`,
    },
    {
      name: '1.25: the gate does not exist and the kubelet refuses to start (no fix: false is refused too)',
      settings: { kubernetesVersion: '1.25' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true
`,
      findings: [{ line: 4, column: 3, message: 'the kubelet exits at start with "unrecognized feature gate: EventedPLEG"' }],
    },
    {
      name: '1.36: points at PLEGOnDemandRelist for the startup gain',
      settings: { kubernetesVersion: '1.36' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true
`,
      findings: [{ line: 4, column: 3, message: 'on-demand relisting (the PLEGOnDemandRelist gate, beta in 1.36)' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: false
`,
    },
    {
      name: '1.37: only container terminations, and no 300 s relist',
      settings: { kubernetesVersion: '1.37' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true
`,
      findings: [{ line: 4, column: 3, message: /only asks for an early relist when a container stops.*GA and always on in 1\.37/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: false
`,
    },
    {
      name: 'JSON: the member is rewritten in JSON',
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "featureGates": {
    "EventedPLEG": true,
    "MemoryQoS": false
  }
}
`,
      findings: [{ line: 5, column: 5, endColumn: 24 }],
      output: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "featureGates": {
    "EventedPLEG": false,
    "MemoryQoS": false
  }
}
`,
    },
    {
      name: 'inside a kind kubeadmConfigPatches entry: the range and the fix are mapped into the block',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    featureGates:
      EventedPLEG: true
`,
      findings: [{ line: 9, column: 7, endColumn: 24, message: 'featureGates.EventedPLEG is true' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    featureGates:
      EventedPLEG: false
`,
    },
    {
      name: 'EKS nodeadm config with a flow map',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      featureGates: {EventedPLEG: true}
`,
      findings: [{ line: 6, column: 22, endColumn: 39 }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      featureGates: {EventedPLEG: false}
`,
    },
    {
      name: 'kubeadm kubeletExtraArgs map (v1beta3): only the gate inside the quoted list is underlined and rewritten',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    feature-gates: "MemoryQoS=true,EventedPLEG=true"
`,
      findings: [{ line: 5, column: 36, endColumn: 52, message: '--feature-gates sets EventedPLEG=true.' }],
      output: `apiVersion: kubeadm.k8s.io/v1beta3
kind: JoinConfiguration
nodeRegistration:
  kubeletExtraArgs:
    feature-gates: "MemoryQoS=true,EventedPLEG=false"
`,
    },
    {
      name: 'Cluster API kubeletExtraArgs list (v1beta2), spaces around the = and the comma',
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
            - name: feature-gates
              value: EventedPLEG = true, MemoryQoS=true
`,
      findings: [{ line: 12, column: 22, endColumn: 40 }],
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
            - name: feature-gates
              value: EventedPLEG=false, MemoryQoS=true
`,
    },
    {
      name: 'EKS nodeadm flags: the last occurrence of the gate is the one the kubelet keeps',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --node-labels=pool=gpu
      - "--feature-gates=EventedPLEG=false,NodeSwap=true,EventedPLEG=true"
`,
      findings: [{ line: 7, column: 58, endColumn: 74 }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    flags:
      - --node-labels=pool=gpu
      - "--feature-gates=EventedPLEG=false,NodeSwap=true,EventedPLEG=false"
`,
    },
  ],
});

describe('rule kubelet-evented-pleg: fixes', () => {
  const config = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  EventedPLEG: true
`;

  it('offers a safe fix from 1.26 on', () => {
    const [finding] = findingsOf('kubelet-evented-pleg', config, { kubernetesVersion: '1.26' });
    assert.deepEqual(finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })), [{ title: 'Turn the EventedPLEG feature gate off (EventedPLEG: false)', safe: true }]);
  });

  it('offers no fix before 1.26, where only removing the entry works', () => {
    const [finding] = findingsOf('kubelet-evented-pleg', config, { kubernetesVersion: '1.25' });
    assert.deepEqual(finding.fixes, []);
  });
});
