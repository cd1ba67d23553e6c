import assert from 'node:assert/strict';
import { findingsOf, runRuleTests } from './harness';

runRuleTests('kubelet-memory-throttling-factor', {
  valid: [
    {
      name: 'a low factor without MemoryQoS has no effect (before 1.37 the gate is off by default)',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.5
`,
    },
    {
      name: 'a low factor with MemoryQoS turned off',
      settings: { kubernetesVersion: '1.37' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: false
memoryThrottlingFactor: 0.5
`,
    },
    {
      name: 'MemoryQoS with the default factor',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'MemoryQoS with the factor left to its default',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
`,
    },
    {
      name: 'a factor at the configured minimum',
      settings: { rules: { 'kubelet-memory-throttling-factor': { options: { minimumFactor: 0.6 } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.6
`,
    },
    {
      name: 'before 1.22 the field does not exist (the kubelet ignores it)',
      settings: { kubernetesVersion: '1.21' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 90
`,
    },
    {
      name: 'flags carry the gate but no factor (the field has no flag)',
      text: `apiVersion: kubeadm.k8s.io/v1beta3
kind: InitConfiguration
nodeRegistration:
  kubeletExtraArgs:
    feature-gates: MemoryQoS=true
`,
    },
  ],
  invalid: [
    {
      name: 'standalone KubeletConfiguration: the formula with the example, a safe raise to 0.9',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.5 # tighter
`,
      findings: [{ line: 5, column: 25, endColumn: 28, message: 'memoryThrottlingFactor is 0.5 with MemoryQoS on: the kubelet sets each container\'s memory.high to requests + 0.5 × (limits − requests), so a container requesting 1Gi with a 4Gi limit is throttled from 2.5Gi instead of 3.7Gi' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.9 # tighter
`,
    },
    {
      name: '1.27: names the abandoned 1.28 beta',
      settings: { kubernetesVersion: '1.27' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.7
featureGates:
  MemoryQoS: true
`,
      findings: [{ line: 3, column: 25, message: /from 3\.1Gi instead of 3\.7Gi.*MemoryQoS is alpha in 1\.27: its 1\.28 beta was abandoned/ }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.9
featureGates:
  MemoryQoS: true
`,
    },
    {
      name: '1.26: the older formula, limits × factor',
      settings: { kubernetesVersion: '1.26' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.6
`,
      findings: [{ line: 5, column: 25, message: 'memory.high to limits × 0.6 (the formula before 1.27, whose default factor is 0.8), so a container with a 4Gi limit is throttled from 2.4Gi' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: 0.9
`,
    },
    {
      name: '1.37: MemoryQoS is on by default, so the gate need not be written',
      settings: { kubernetesVersion: '1.37' },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.5
`,
      findings: [{ line: 3, column: 25, message: 'MemoryQoS is on by default from 1.37, but writes memory.high only because this factor is set.' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'a percentage for the fraction: the kubelet refuses it, with or without MemoryQoS',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 90
`,
      findings: [{ line: 3, column: 25, endColumn: 27, message: '("invalid configuration: memoryThrottlingFactor 90 must be greater than 0 and less than or equal to 1.0")' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'zero is refused too',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0
`,
      findings: [{ line: 3, column: 25, message: 'memoryThrottlingFactor 0 must be greater than 0' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'a higher minimum: the fix writes the minimum',
      settings: { rules: { 'kubelet-memory-throttling-factor': { options: { minimumFactor: 0.95 } } } },
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates: {MemoryQoS: true}
memoryThrottlingFactor: 0.9
`,
      findings: [{ line: 4, column: 25, message: 'Raise it to 0.95.' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates: {MemoryQoS: true}
memoryThrottlingFactor: 0.95
`,
    },
    {
      name: 'JSON',
      fileName: 'kubelet-config.json',
      text: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "featureGates": {"MemoryQoS": true},
  "memoryThrottlingFactor": 0.6
}
`,
      findings: [{ line: 5, column: 29, endColumn: 32, message: 'throttled from 2.8Gi instead of 3.7Gi' }],
      output: `{
  "kind": "KubeletConfiguration",
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "featureGates": {"MemoryQoS": true},
  "memoryThrottlingFactor": 0.9
}
`,
    },
    {
      name: 'inside a kind kubeadmConfigPatches entry',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  featureGates:
    MemoryQoS: true
  memoryThrottlingFactor: 0.4
`,
      findings: [{ line: 8, column: 27, endColumn: 30 }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  featureGates:
    MemoryQoS: true
  memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'EKS nodeadm config',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      featureGates:
        MemoryQoS: true
      memoryThrottlingFactor: 0.5
`,
      findings: [{ line: 8, column: 31 }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      featureGates:
        MemoryQoS: true
      memoryThrottlingFactor: 0.9
`,
    },
    {
      name: 'EKS nodeadm: the factor in spec.kubelet.config, MemoryQoS enabled in spec.kubelet.flags',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      memoryThrottlingFactor: 0.5
    flags:
      - --feature-gates=MemoryQoS=true
`,
      findings: [{ line: 6, column: 31 }],
      output: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      memoryThrottlingFactor: 0.9
    flags:
      - --feature-gates=MemoryQoS=true
`,
    },
  ],
});

describe('rule kubelet-memory-throttling-factor: severities and fixes', () => {
  const withGate = (factor: string) => `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
featureGates:
  MemoryQoS: true
memoryThrottlingFactor: ${factor}
`;

  it('a refused factor is an error with a fix to review; a low factor is a warning with a safe fix', () => {
    const [refused] = findingsOf('kubelet-memory-throttling-factor', withGate('1.5'));
    const [low] = findingsOf('kubelet-memory-throttling-factor', withGate('0.5'));
    assert.deepEqual([refused.severity, refused.fixes.map((fix) => fix.safe)], ['error', [false]]);
    assert.deepEqual([low.severity, low.fixes.map((fix) => fix.safe)], ['warning', [true]]);
  });

  it('before 1.27 the raise to 0.9 is above that release\'s 0.8 default: offered for review', () => {
    const [low] = findingsOf('kubelet-memory-throttling-factor', withGate('0.5'), { kubernetesVersion: '1.26' });
    assert.deepEqual(low.fixes.map((fix) => fix.safe), [false]);
  });
});
