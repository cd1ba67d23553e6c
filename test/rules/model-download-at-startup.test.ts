import { runRuleTests } from './harness';

/** A vLLM Deployment; `args`, `env` and the volumes are parameters. */
const vllm = (args: string, volumeMounts = '', volumes = '', env = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-gemma
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: inference-server
          image: vllm/vllm-openai:v0.10.0
          args:
${args}${env}          resources:
            limits:
              nvidia.com/gpu: 1
          volumeMounts:
            - name: dshm
              mountPath: /dev/shm
${volumeMounts}      volumes:
        - name: dshm
          emptyDir:
            medium: Memory
${volumes}`;

const cacheMount = '            - name: model-cache\n              mountPath: /root/.cache/huggingface\n';

runRuleTests('model-download-at-startup', {
  valid: [
    {
      name: 'the Hugging Face cache is on a PersistentVolumeClaim',
      text: vllm('            - --model=google/gemma-3-12b-it\n', cacheMount, '        - name: model-cache\n          persistentVolumeClaim:\n            claimName: hf-cache\n'),
    },
    {
      name: 'a node-local cache (hostPath)',
      text: vllm('            - --model=google/gemma-3-12b-it\n', cacheMount, '        - name: model-cache\n          hostPath:\n            path: /mnt/models\n'),
    },
    { name: 'a model from a local path', text: vllm('            - --model=/models/gemma-3-12b-it\n') },
    {
      name: 'offline mode: the server only reads its cache',
      text: vllm('            - --model=google/gemma-3-12b-it\n', '', '', '          env:\n            - name: HF_HUB_OFFLINE\n              value: "1"\n'),
    },
    {
      name: 'an object-store copy in a pod without accelerators (a small config file, as likely as not)',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  initContainers:
  - name: config
    image: amazon/aws-cli:2.22.35
    command: ["aws", "s3", "cp", "s3://acme-config/api.yaml", "/config/api.yaml"]
  containers:
  - name: api
    image: ghcr.io/acme/api:3.2.0
`,
    },
    {
      name: 'an S3 sync into a persistent volume, which only transfers what is missing',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: train-resnet
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: dataset
        image: amazon/aws-cli:2.22.35
        command: ["aws", "s3", "sync", "s3://acme-datasets/imagenet/train", "/data/train"]
        volumeMounts:
        - name: data
          mountPath: /data
      containers:
      - name: train
        image: ghcr.io/acme/resnet:1.0.0
        resources:
          limits:
            nvidia.com/gpu: 8
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: imagenet-cache
`,
    },
    {
      name: 'a tool download, not a model (init-work-belongs-in-image covers it)',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: trainer
spec:
  initContainers:
  - name: tools
    image: curlimages/curl:8.11.1
    command: ["sh", "-c", "curl -fsSL -o /tools/yq https://github.com/mikefarah/yq/releases/download/v4.44.6/yq_linux_amd64 && chmod +x /tools/yq"]
  containers:
  - name: trainer
    image: ghcr.io/acme/trainer:1.0.0
    resources:
      limits:
        nvidia.com/gpu: 1
`,
    },
  ],
  invalid: [
    {
      name: 'a program name written with shell quoting (`hugging\'face\'-cli`, `w"get"`) is still read as the shell reads it',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: fetch
spec:
  initContainers:
  - name: weights
    image: python:3.12.8-slim
    command: ["sh", "-c", "hugging'face'-cli download org/model --local-dir /models"]
  - name: gguf
    image: busybox:1.36.1
    command: ["sh", "-c", "/bin/w\\"get\\" -O /models/m.gguf https://example.com/m.gguf"]
  containers:
  - name: app
    image: ghcr.io/acme/app:1.0.0
`,
      findings: [
        { line: 9, column: 27, message: /^Init container `weights` downloads `org\/model` from the Hugging Face Hub at every pod start/ },
        { line: 12, column: 27, message: /^Init container `gguf` downloads model weights \(https:\/\/example\.com\/m\.gguf\) at every pod start/ },
      ],
    },
    {
      name: 'vLLM given a Hub model id with only an emptyDir: the finding points at the argument',
      text: vllm('            - --model=google/gemma-3-12b-it\n            - --tensor-parallel-size=1\n'),
      findings: [
        {
          line: 13,
          column: 15,
          message:
            'Container `inference-server` has vLLM download `google/gemma-3-12b-it` from the Hugging Face Hub, with no persistent volume mounted to keep a copy, at every pod start, before it can serve: a 7B model in 16-bit weights is about 15 GB and a 70B one about 140 GB (about 2 and 19 minutes at 1 Gbit/s), repeated for every new pod. Keep the weights close to the node and mount them: a pre-populated volume (a ReadOnlyMany PVC or a disk snapshot), a node-local cache (a hostPath or local volume that a DaemonSet fills once per node) or an image volume holding the weights (`volumes[].image`, beta in Kubernetes 1.33 and 1.34 behind the ImageVolume feature gate).',
        },
      ],
    },
    {
      name: 'from 1.35 the advice names image volumes as on by default; `$(MODEL_ID)` is expanded',
      text: vllm('            - --model\n            - $(MODEL_ID)\n', '', '', '          env:\n            - name: MODEL_ID\n              value: meta-llama/Llama-3.1-8B-Instruct\n'),
      settings: { kubernetesVersion: '1.35' },
      findings: [{ line: 14, column: 15, message: /download `meta-llama\/Llama-3\.1-8B-Instruct` from the Hugging Face Hub.*an image volume holding the weights \(`volumes\[\]\.image`, on by default since Kubernetes 1\.35\)\.$/ }],
    },
    {
      name: 'Text Generation Inference reading MODEL_ID: the finding points at the variable',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgi
spec:
  template:
    spec:
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:3.0.1
        env:
        - name: MODEL_ID
          value: google/gemma-2-9b-it
        resources:
          limits:
            nvidia.com/gpu: 1
`,
      findings: [{ line: 13, column: 18, message: 'Container `tgi` has Text Generation Inference download `google/gemma-2-9b-it`' }],
    },
    {
      name: 'huggingface-cli download in an init container',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: finetune
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: fetch-model
        image: python:3.12.8-slim
        command:
        - sh
        - -c
        - |
          pip install --no-cache-dir huggingface_hub==0.27.0
          huggingface-cli download mistralai/Mistral-7B-v0.3 --local-dir /models/mistral
      containers:
      - name: train
        image: ghcr.io/acme/finetune:0.4.0
        resources:
          limits:
            nvidia.com/gpu: 4
`,
      findings: [{ line: 15, column: 11, message: 'Init container `fetch-model` downloads `mistralai/Mistral-7B-v0.3` from the Hugging Face Hub at every pod start, before the app containers start' }],
    },
    {
      name: 'an S3 sync of a data set in a GPU job',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: train-resnet
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - name: dataset
        image: amazon/aws-cli:2.22.35
        args: ["s3", "sync", "--only-show-errors", "s3://acme-datasets/imagenet/train", "/data/train"]
        command: ["aws"]
      containers:
      - name: train
        image: ghcr.io/acme/resnet:1.0.0
        resources:
          limits:
            nvidia.com/gpu: 8
`,
      findings: [{ line: 12, column: 52, message: 'Init container `dataset` copies `s3://acme-datasets/imagenet/train` from object storage at every pod start, before the app containers start' }],
    },
    {
      name: 'a GGUF file fetched with wget, in any pod',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: llama-cpp
spec:
  initContainers:
  - name: weights
    image: busybox:1.36.1
    command: ["wget", "-O", "/models/model.gguf", "https://example.com/files/qwen2.5-7b-instruct-q4_k_m.gguf"]
  containers:
  - name: server
    image: ghcr.io/ggerganov/llama.cpp:server-b4400
`,
      findings: [{ line: 9, column: 51, message: 'downloads model weights (https://example.com/files/qwen2.5-7b-instruct-q4_k_m.gguf)' }],
    },
  ],
});
