import assert from 'node:assert/strict';
import { fixAll } from '../../core/apply-edits';
import { findingsOf, onlyRule, runRuleTests } from './harness';

const RULE = 'extended-resource-request-rejected';

/** A vLLM Deployment; `resources` lines come at the container's key indentation plus two. */
const vllm = (resources: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-llama
  namespace: inference
spec:
  replicas: 2
  selector:
    matchLabels:
      app: vllm-llama
  template:
    metadata:
      labels:
        app: vllm-llama
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.8.5
          args: ["--model", "/models/llama-3.1-8b-instruct"]
          resources:
${resources}          ports:
            - containerPort: 8000
`;

/** A HAMi-style pod with one container: `resources` at four spaces plus two. */
const sharedGpuPod = (resources: string) => `apiVersion: v1
kind: Pod
metadata:
  name: notebook
spec:
  containers:
  - name: jupyter
    image: quay.io/jupyter/pytorch-notebook:cuda12-2024-12-09
    resources:
${resources}`;

runRuleTests('extended-resource-request-rejected', {
  valid: [
    {
      name: 'a limit alone: the request defaults to it',
      text: vllm('            limits:\n              nvidia.com/gpu: 1\n              memory: 24Gi\n            requests:\n              cpu: "4"\n              memory: 24Gi\n'),
    },
    {
      name: 'request equal to the limit, written differently ("1" and 1000m)',
      text: vllm('            requests:\n              nvidia.com/gpu: "1"\n            limits:\n              nvidia.com/gpu: 1000m\n'),
    },
    {
      name: 'CPU and memory may be overcommitted: a request without a limit, or below it, is fine',
      text: vllm('            requests:\n              cpu: "2"\n              memory: 8Gi\n            limits:\n              memory: 16Gi\n'),
    },
    {
      name: "HAMi's GPU shares as limits only, the way its examples write them",
      text: sharedGpuPod('      limits:\n        nvidia.com/gpu: 1\n        nvidia.com/gpumem: 3000\n        nvidia.com/gpucores: 30\n'),
    },
    {
      name: 'a value that is not a quantity (a placeholder filled in later) is left alone',
      text: sharedGpuPod('      requests:\n        nvidia.com/gpu: ${GPU_COUNT}\n'),
    },
  ],
  invalid: [
    {
      name: 'a GPU request without limits: the fix adds a limits map after requests, keeping the comment',
      text: vllm('            requests:\n              cpu: "4"\n              nvidia.com/gpu: 1 # one L4 per replica\n'),
      findings: [
        {
          line: 23,
          column: 15,
          message: 'Container `vllm` requests 1 `nvidia.com/gpu` (NVIDIA GPU) without a limit: extended resources cannot be overcommitted, and the API server rejects the Deployment (its pod template fails validation), so no pod is ever created ("Limit must be set for non overcommitable resources").',
        },
      ],
      output: vllm('            requests:\n              cpu: "4"\n              nvidia.com/gpu: 1 # one L4 per replica\n            limits:\n              nvidia.com/gpu: 1\n'),
    },
    {
      name: 'limits without the GPU: the entry is added at the end of limits, quotes kept',
      text: sharedGpuPod('      limits:\n        memory: 16Gi\n      requests:\n        memory: 8Gi\n        amd.com/gpu: "2"\n'),
      findings: [{ line: 14, column: 9, message: 'requests 2 `amd.com/gpu` (AMD GPU) without a limit' }],
      output: sharedGpuPod('      limits:\n        memory: 16Gi\n        amd.com/gpu: "2"\n      requests:\n        memory: 8Gi\n        amd.com/gpu: "2"\n'),
    },
    {
      name: 'a request different from its limit: the review fix sets the limit to the request',
      text: vllm('            requests:\n              nvidia.com/gpu: 1\n            limits:\n              nvidia.com/gpu: 2\n'),
      findings: [{ line: 22, column: 31, message: 'requests 1 `nvidia.com/gpu` (NVIDIA GPU) but sets its limit to 2' }],
      output: vllm('            requests:\n              nvidia.com/gpu: 1\n            limits:\n              nvidia.com/gpu: 1\n'),
    },
    {
      name: 'half a GPU is not a count: no fix, the message points at GPU sharing',
      text: sharedGpuPod('      limits:\n        nvidia.com/gpu: 0.5\n'),
      findings: [{ line: 11, column: 25, message: 'Container `jupyter` limits 0.5 of `nvidia.com/gpu` (NVIDIA GPU): extended resources are counted in whole devices, and the API server rejects the Pod, so it is never created ("must be an integer")' }],
    },
    {
      name: 'any extended resource, not only accelerators (an EFA interface)',
      text: sharedGpuPod('      requests:\n        vpc.amazonaws.com/efa: 1\n'),
      findings: [{ line: 11, column: 9, message: 'requests 1 the extended resource `vpc.amazonaws.com/efa` without a limit' }],
      output: sharedGpuPod('      requests:\n        vpc.amazonaws.com/efa: 1\n      limits:\n        vpc.amazonaws.com/efa: 1\n'),
    },
    {
      name: "a PyTorchJob's Worker template: the operator's pods are rejected",
      text: `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: bert-finetune
spec:
  pytorchReplicaSpecs:
    Worker:
      replicas: 2
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/bert-finetune:2.3.1
              resources:
                requests:
                  nvidia.com/gpu: 4
`,
      findings: [{ line: 17, column: 19, message: 'the API server rejects every pod the PyTorchJob operator creates from `Worker`, so they never start' }],
      output: `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: bert-finetune
spec:
  pytorchReplicaSpecs:
    Worker:
      replicas: 2
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/bert-finetune:2.3.1
              resources:
                requests:
                  nvidia.com/gpu: 4
                limits:
                  nvidia.com/gpu: 4
`,
    },
  ],
});

describe(`rule ${RULE}: several requests without limits in one container`, () => {
  const iluvatar = sharedGpuPod('      requests:\n        iluvatar.ai/BI-V100-vgpu: 1\n        iluvatar.ai/BI-V100.vCore: 50\n        iluvatar.ai/BI-V100.vMem: 64\n');

  it('reports each request, every finding offering the one fix that adds all the limits', () => {
    const findings = findingsOf(RULE, iluvatar);
    assert.deepEqual(findings.map((finding) => [finding.range.start.line + 1, finding.range.start.character + 1]), [[11, 9], [12, 9], [13, 9]]);
    assert.deepEqual(new Set(findings.map((finding) => JSON.stringify(finding.fixes))).size, 1, 'the same fix on each finding');
  });

  it('fix-all adds one limits map with every entry', () => {
    const { text } = fixAll({ text: iluvatar, settings: onlyRule(RULE) });
    assert.equal(text, sharedGpuPod('      requests:\n        iluvatar.ai/BI-V100-vgpu: 1\n        iluvatar.ai/BI-V100.vCore: 50\n        iluvatar.ai/BI-V100.vMem: 64\n      limits:\n        iluvatar.ai/BI-V100-vgpu: 1\n        iluvatar.ai/BI-V100.vCore: 50\n        iluvatar.ai/BI-V100.vMem: 64\n'));
    assert.deepEqual(findingsOf(RULE, text), []);
  });
});
