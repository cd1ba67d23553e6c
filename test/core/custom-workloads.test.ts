import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { analyzeText } from '../../core/analyze';
import { findWorkloads, WORKLOAD_KIND_NAMES, type Workload } from '../../core/workload';
import { getString } from '../../core/yaml-nodes';

function workloadsOf(text: string): Workload[] {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors, []);
  return findWorkloads(doc);
}

/** role → image of the first container, for each workload found. */
function roles(workloads: Workload[]): Array<[string | undefined, string | undefined, boolean]> {
  return workloads.map((workload) => [workload.podTemplateRole, getString(workload.doc, workload.containers[0]?.node, 'image'), workload.runsToCompletion]);
}

describe('core/custom-workloads: pod templates of operator kinds', () => {
  it('are parsed: the kinds are among the workload kinds', () => {
    for (const kind of ['JobSet', 'LeaderWorkerSet', 'PyTorchJob', 'MPIJob', 'TFJob', 'RayCluster', 'RayJob', 'RayService']) assert.ok(WORKLOAD_KIND_NAMES.has(kind), kind);
  });

  it('a PyTorchJob gives one workload per replica spec, named by its role', () => {
    const workloads = workloadsOf(`apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: mnist
  namespace: training
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        metadata:
          annotations:
            podstart.dev/ignore: mutable-image-tag
        spec:
          containers:
          - name: pytorch
            image: ghcr.io/acme/mnist:1.0.0
    Worker:
      replicas: 3
      template:
        spec:
          containers:
          - name: pytorch
            image: ghcr.io/acme/mnist-worker:1.0.0
`);
    assert.deepEqual(roles(workloads), [
      ['Master', 'ghcr.io/acme/mnist:1.0.0', true],
      ['Worker', 'ghcr.io/acme/mnist-worker:1.0.0', true],
    ]);
    assert.deepEqual(workloads.map((workload) => [workload.kind, workload.name, workload.namespace]), [['PyTorchJob', 'mnist', 'training'], ['PyTorchJob', 'mnist', 'training']]);
    assert.ok(workloads[0].podTemplateMetadata, 'the template metadata is read, for annotations');
    assert.equal(workloads[1].podTemplateMetadata, undefined);
  });

  it('a LeaderWorkerSet gives its leader and worker templates; a RayCluster its head and worker groups', () => {
    assert.deepEqual(roles(workloadsOf(`apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  leaderWorkerTemplate:
    size: 2
    leaderTemplate:
      spec:
        containers:
        - name: leader
          image: vllm/vllm-openai:v0.8.5
    workerTemplate:
      spec:
        containers:
        - name: worker
          image: vllm/vllm-openai:v0.8.5
`)), [['leaderTemplate', 'vllm/vllm-openai:v0.8.5', false], ['workerTemplate', 'vllm/vllm-openai:v0.8.5', false]]);
    assert.deepEqual(roles(workloadsOf(`apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train
spec:
  entrypoint: python train.py
  rayClusterSpec:
    headGroupSpec:
      template:
        spec:
          containers:
          - name: head
            image: rayproject/ray:2.46.0
    workerGroupSpecs:
    - groupName: gpu-workers
      replicas: 2
      template:
        spec:
          containers:
          - name: worker
            image: rayproject/ray:2.46.0-gpu
`)), [['headGroupSpec', 'rayproject/ray:2.46.0', true], ['workerGroupSpecs[gpu-workers]', 'rayproject/ray:2.46.0-gpu', true]]);
  });

  it("a JobSet gives each replicated job's pod template", () => {
    assert.deepEqual(roles(workloadsOf(`apiVersion: jobset.x-k8s.io/v1alpha2
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
        template:
          spec:
            containers:
            - name: jax
              image: ghcr.io/acme/jax:0.4.38
`)), [['replicatedJobs[slice]', 'ghcr.io/acme/jax:0.4.38', true]]);
  });

  it('ignores the same kinds in other API groups, and objects without templates', () => {
    assert.deepEqual(workloadsOf('apiVersion: example.com/v1\nkind: RayCluster\nmetadata:\n  name: x\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        containers: []\n'), []);
    assert.deepEqual(workloadsOf('apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: x\nspec:\n  pytorchReplicaSpecs: {}\n'), []);
    assert.deepEqual(workloadsOf('apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata:\n  name: x\nspec:\n  runtimeRef:\n    name: torch-distributed\n'), []);
  });

  it('every rule sees them: findings name the object, and its pod template annotation silences them', () => {
    const text = `apiVersion: kubeflow.org/v1
kind: TFJob
metadata:
  name: dist-mnist
spec:
  tfReplicaSpecs:
    PS:
      template:
        metadata:
          annotations:
            podstart.dev/ignore: mutable-image-tag
        spec:
          containers:
          - name: tensorflow
            image: ghcr.io/acme/dist-mnist:latest
    Worker:
      template:
        spec:
          containers:
          - name: tensorflow
            image: ghcr.io/acme/dist-mnist:latest
`;
    const findings = analyzeText({ text }).findings.filter((finding) => finding.ruleId === 'mutable-image-tag');
    assert.deepEqual(findings.map((finding) => [finding.range.start.line + 1, finding.object]), [[21, { kind: 'TFJob', name: 'dist-mnist' }]]);
  });
});
