import { runRuleTests } from './harness';

runRuleTests('kubelet-parallel-pulls-while-serial', {
  valid: [
    {
      name: 'parallel pulls with a bound',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 5
`,
    },
    {
      name: 'a bound of 1 with serial pulls is allowed',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 1
`,
    },
    {
      name: 'a bound of 2 or more with serializeImagePulls unset: the kubelet defaults it to false',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
maxParallelImagePulls: 4
`,
    },
    {
      name: 'an overlay whose base decides serializeImagePulls',
      text: `apiVersion: node.eks.aws/v1alpha1
kind: NodeConfig
spec:
  kubelet:
    config:
      maxParallelImagePulls: 4
`,
    },
  ],
  invalid: [
    {
      name: 'a bound while serializeImagePulls is true',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: true
maxParallelImagePulls: 4
`,
      findings: [{ line: 4, column: 24, endColumn: 25, message: 'serializeImagePulls is true' }],
      output: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 4
`,
    },
    {
      name: 'a bound while serializeImagePulls is true, in a kind patch',
      text: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    serializeImagePulls: true
    maxParallelImagePulls: 3
`,
      findings: [{ line: 7, column: 28, message: 'serializeImagePulls is true' }],
      output: `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    serializeImagePulls: false
    maxParallelImagePulls: 3
`,
    },
    {
      name: 'a bound below 1',
      text: `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
serializeImagePulls: false
maxParallelImagePulls: 0
`,
      findings: [{ line: 4, column: 24, message: 'requires a positive number' }],
    },
  ],
});
