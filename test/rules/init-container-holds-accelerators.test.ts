import { runRuleTests } from './harness';

/** A fine-tuning Job whose init container converts a checkpoint; both GPU counts are parameters. */
const finetune = (initGpus: string, trainerGpus: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: llama-finetune
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: convert-checkpoint
          image: ghcr.io/acme/checkpoint-tools:1.4.0
          args: ["convert", "--to", "safetensors", "/checkpoints/latest"]
          resources:
            limits:
              nvidia.com/gpu: ${initGpus}
      containers:
        - name: trainer
          image: ghcr.io/acme/llama-finetune:2.1.0
          resources:
            limits:
              nvidia.com/gpu: ${trainerGpus}
`;

runRuleTests('init-container-holds-accelerators', {
  valid: [
    {
      name: 'the init container uses no more GPUs than the app container: the devices pass on to it',
      text: finetune('8', '8'),
    },
    {
      name: 'fewer GPUs in the init container',
      text: finetune('1', '4'),
    },
    {
      name: 'an init container without accelerators',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton
spec:
  template:
    spec:
      initContainers:
        - name: fetch-config
          image: busybox:1.36.1
          command: ["cp", "/config/model.pbtxt", "/models/"]
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:24.12-py3
          resources:
            limits:
              nvidia.com/gpu: 1
`,
    },
    {
      name: 'two app containers of 1 GPU each, and an init container of 2',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: pair
spec:
  initContainers:
  - name: warmup
    image: ghcr.io/acme/warmup:0.3.0
    resources:
      limits:
        amd.com/gpu: 2
  containers:
  - name: encoder
    image: ghcr.io/acme/encoder:0.3.0
    resources:
      limits:
        amd.com/gpu: 1
  - name: decoder
    image: ghcr.io/acme/decoder:0.3.0
    resources:
      limits:
        amd.com/gpu: 1
`,
    },
  ],
  invalid: [
    {
      name: 'an init container with 8 GPUs before a trainer that uses 1',
      text: finetune('8', '1'),
      findings: [
        {
          line: 16,
          column: 31,
          message:
            'Init container `convert-checkpoint` asks for 8 `nvidia.com/gpu` while the app containers and sidecars use 1: the pod\'s effective request is the larger number, so it stays Pending until one node has 8 free, and keeps 7 of them reserved and idle for its whole life.',
        },
      ],
    },
    {
      name: 'a GPU warm-up in an init container of a pod whose app uses none',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: tpu-probe
spec:
  initContainers:
  - name: check-tpu
    image: ghcr.io/acme/tpu-check:1.0.2
    resources:
      requests:
        google.com/tpu: 4
      limits:
        google.com/tpu: 4
  containers:
  - name: api
    image: ghcr.io/acme/api:3.2.0
`,
      findings: [{ line: 13, column: 25, message: 'asks for 4 `google.com/tpu` while the app containers and sidecars use none: the pod\'s effective request is the larger number, so it stays Pending until one node has 4 free, and keeps 4 of them reserved' }],
    },
    {
      name: 'a native sidecar started before the init container adds to its step',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: embedder
spec:
  initContainers:
  - name: metrics-agent
    image: ghcr.io/acme/gpu-metrics:0.9.1
    restartPolicy: Always
    resources:
      limits:
        nvidia.com/mig-1g.10gb: 1
  - name: build-index
    image: ghcr.io/acme/index-builder:0.9.1
    resources:
      limits:
        nvidia.com/mig-1g.10gb: 1
  containers:
  - name: embedder
    image: ghcr.io/acme/embedder:0.9.1
`,
      findings: [{ line: 17, column: 33, message: 'Init container `build-index` asks for 1 `nvidia.com/mig-1g.10gb` (with the sidecars started before it, 2) while the app containers and sidecars use 1' }],
    },
  ],
});
