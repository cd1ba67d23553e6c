import { runRuleTests } from './harness';

/** A 4-node torchrun StatefulSet; `extra` goes into the pod template's spec (scheduler, ...). */
const torchrun = (nnodes: string, extra = '', gpus = '              nvidia.com/gpu: 8\n') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: llama-pretrain
spec:
  serviceName: llama-pretrain
  replicas: 4
  selector:
    matchLabels:
      app: llama-pretrain
  template:
    metadata:
      labels:
        app: llama-pretrain
    spec:
${extra}      containers:
        - name: trainer
          image: ghcr.io/acme/llama-pretrain:0.7.2
          command: ["torchrun"]
          args: ["--nnodes=${nnodes}", "--nproc-per-node=8", "--rdzv-endpoint=llama-pretrain-0.llama-pretrain:29500", "train.py"]
          resources:
            limits:
${gpus}`;

/** An Indexed Job of TPU hosts that find each other through a headless Service; `labels` under the Job's metadata. */
const tpuJob = (labels = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: maxtext-v5p-32
${labels}spec:
  completionMode: Indexed
  parallelism: 4
  completions: 4
  backoffLimit: 0
  template:
    spec:
      subdomain: maxtext-headless
      restartPolicy: Never
      nodeSelector:
        cloud.google.com/gke-tpu-accelerator: tpu-v5p-slice
        cloud.google.com/gke-tpu-topology: 2x2x4
      containers:
      - name: maxtext
        image: us-docker.pkg.dev/acme/maxtext/maxtext:2025.01.15
        command: ["python3", "MaxText/train.py", "MaxText/configs/base.yml"]
        resources:
          limits:
            google.com/tpu: 4
`;

/** A PyTorchJob with one Master and three Workers; `runPolicy` lines go under `spec`. */
const pytorchJob = (runPolicy = '') => `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: resnet-ddp
spec:
${runPolicy}  pytorchReplicaSpecs:
    Master:
      replicas: 1
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/resnet-ddp:1.2.0
              resources:
                limits:
                  nvidia.com/gpu: 1
    Worker:
      replicas: 3
      restartPolicy: OnFailure
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/resnet-ddp:1.2.0
              resources:
                limits:
                  nvidia.com/gpu: 1
`;

runRuleTests('accelerator-job-without-gang-scheduling', {
  valid: [
    {
      name: 'a Deployment of independent inference replicas is not one job',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.8.5
          args: ["--model", "/models/llama", "--tensor-parallel-size", "8"]
          env:
            - name: NCCL_DEBUG
              value: WARN
          resources:
            limits:
              nvidia.com/gpu: 8
`,
    },
    {
      name: 'a Job of independent batch pods (no rendezvous, not Indexed with a subdomain)',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: embed-shards
spec:
  parallelism: 8
  completions: 64
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: embed
        image: ghcr.io/acme/embedder:0.9.1
        args: ["--queue", "redis://queue:6379/shards"]
        resources:
          limits:
            nvidia.com/gpu: 1
`,
    },
    { name: 'torchrun on one node (--nnodes=1)', text: torchrun('1') },
    { name: 'elastic torchrun that can start on one node (--nnodes=1:4)', text: torchrun('1:4') },
    { name: 'scheduled by volcano', text: torchrun('4', '      schedulerName: volcano\n') },
    { name: "Kubernetes' own workload-aware scheduling (schedulingGroup)", text: torchrun('4', '      schedulingGroup:\n        podGroupName: llama-pretrain\n') },
    { name: 'no accelerators', text: torchrun('4', '', '              cpu: "16"\n') },
    { name: "a Kueue queue label on the Job", text: tpuJob('  labels:\n    kueue.x-k8s.io/queue-name: tpu-queue\n') },
    {
      name: "the training operator's gang settings (runPolicy.schedulingPolicy)",
      text: pytorchJob('  runPolicy:\n    schedulingPolicy:\n      minAvailable: 4\n      queue: training\n'),
    },
    {
      name: 'a RayService serves with independent replicas',
      text: `apiVersion: ray.io/v1
kind: RayService
metadata:
  name: llm
spec:
  rayClusterConfig:
    headGroupSpec:
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray-ml:2.9.0-gpu
    workerGroupSpecs:
    - groupName: gpu-group
      replicas: 4
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray-ml:2.9.0-gpu
            resources:
              limits:
                nvidia.com/gpu: 1
`,
    },
  ],
  invalid: [
    {
      name: 'a torchrun StatefulSet across 4 nodes: the finding points at replicas',
      text: torchrun('4'),
      findings: [
        {
          line: 7,
          column: 13,
          message:
            'StatefulSet `llama-pretrain` runs 4 replicas with `nvidia.com/gpu` that only work together (their containers rendezvous through `torchrun --nnodes 4`), and nothing schedules them as a gang: the default scheduler places pods one at a time, so some can start and hold their devices while the rest wait Pending',
        },
      ],
    },
    {
      name: 'an Indexed Job whose pods address each other through a subdomain',
      text: tpuJob(),
      findings: [{ line: 7, column: 16, message: 'Job `maxtext-v5p-32` runs 4 pods in parallel with `google.com/tpu` that only work together (it is an Indexed Job whose pods address each other through a subdomain)' }],
    },
    {
      name: 'a PyTorchJob, reported once, at the Workers\' replicas',
      text: pytorchJob(),
      findings: [{ line: 19, column: 17, message: 'PyTorchJob `resnet-ddp` runs 4 pods with `nvidia.com/gpu` that only work together (a PyTorchJob trains across all its replicas)' }],
    },
    {
      name: 'a LeaderWorkerSet group whose leader has no TPU',
      text: `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: jetstream
spec:
  replicas: 1
  leaderWorkerTemplate:
    size: 5
    leaderTemplate:
      spec:
        containers:
        - name: pathways-proxy
          image: us-docker.pkg.dev/cloud-tpu-v2-images/pathways/proxy_server:jax-0.5.3
    workerTemplate:
      spec:
        containers:
        - name: worker
          image: us-docker.pkg.dev/cloud-tpu-v2-images/pathways/server:jax-0.5.3
          resources:
            limits:
              google.com/tpu: 4
`,
      findings: [{ line: 8, column: 11, message: 'LeaderWorkerSet `jetstream` runs groups of 5 pods (a leader and 4 workers), 4 of them with `google.com/tpu`, that only work together (each group serves one model across its pods)' }],
    },
    {
      name: 'a JobSet of two replicated jobs',
      text: `apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: multislice
spec:
  replicatedJobs:
  - name: slice
    replicas: 2
    template:
      spec:
        parallelism: 4
        completions: 4
        template:
          spec:
            containers:
            - name: jax
              image: us-docker.pkg.dev/acme/jax-train:0.4.38
              resources:
                limits:
                  google.com/tpu: 4
`,
      findings: [{ line: 8, column: 15, message: 'JobSet `multislice` runs 8 pods with `google.com/tpu`' }],
    },
    {
      name: 'a Job whose pods read MASTER_ADDR',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: ddp
spec:
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: train
        image: ghcr.io/acme/ddp:0.2.0
        env:
        - name: MASTER_ADDR
          value: ddp-0.ddp
        resources:
          limits:
            amd.com/gpu: 8
`,
      findings: [{ line: 6, column: 16, message: 'Job `ddp` runs 2 pods in parallel with `amd.com/gpu` that only work together (their containers rendezvous through the `MASTER_ADDR` variable)' }],
    },
    {
      name: 'a RayCluster with a CPU head and two GPU workers',
      text: `apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: verl
spec:
  headGroupSpec:
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.47.0
  workerGroupSpecs:
  - groupName: gpu-group
    replicas: 2
    minReplicas: 2
    template:
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.47.0-gpu
          resources:
            limits:
              nvidia.com/gpu: 8
`,
      findings: [{ line: 14, column: 15, message: 'RayCluster `verl` runs 3 pods, 2 of them with `nvidia.com/gpu`, that only work together (the Ray cluster runs its tasks across them)' }],
    },
  ],
});
