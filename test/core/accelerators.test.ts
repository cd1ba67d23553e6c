import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { acceleratorKind, isExtendedResourceName, podAcceleratorRequests, usesAccelerators } from '../../core/accelerators';
import { findWorkloads } from '../../core/workload';

function podOf(text: string) {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors, []);
  return findWorkloads(doc)[0];
}

describe('core/accelerators', () => {
  it('tells extended resources as the API server does', () => {
    for (const name of ['nvidia.com/gpu', 'amd.com/gpu', 'vpc.amazonaws.com/efa', 'example.com/foo']) assert.ok(isExtendedResourceName(name), name);
    for (const name of ['cpu', 'memory', 'hugepages-2Mi', 'ephemeral-storage', 'kubernetes.io/something', 'node.kubernetes.io/x', 'requests.nvidia.com/gpu']) assert.ok(!isExtendedResourceName(name), name);
  });

  it('knows device counts from the shares of GPU-sharing schedulers', () => {
    const counts = (name: string) => acceleratorKind(name)?.countsDevices;
    assert.deepEqual(
      ['nvidia.com/gpu', 'nvidia.com/mig-1g.10gb', 'nvidia.com/gpu.shared', 'amd.com/gpu', 'gpu.intel.com/i915', 'habana.ai/gaudi', 'aws.amazon.com/neuroncore', 'google.com/tpu', 'huawei.com/Ascend910B4', 'volcano.sh/vgpu-number'].map(counts),
      [true, true, true, true, true, true, true, true, true, true],
    );
    assert.deepEqual(['nvidia.com/gpumem', 'nvidia.com/gpucores', 'gpu.intel.com/millicores', 'huawei.com/Ascend910B4-memory', 'volcano.sh/vgpu-memory', 'iluvatar.ai/BI-V100.vMem'].map(counts), [false, false, false, false, false, false]);
    assert.equal(acceleratorKind('vpc.amazonaws.com/efa'), undefined);
  });

  it("computes the pod's effective request: max(app containers and sidecars, each init step with the sidecars before it)", () => {
    const pod = podOf(`apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  initContainers:
  - name: first
    image: a:1
    resources: { limits: { nvidia.com/gpu: 2 } }
  - name: sidecar
    image: b:1
    restartPolicy: Always
    resources: { limits: { nvidia.com/gpu: 1 } }
  - name: second
    image: c:1
    resources: { requests: { nvidia.com/gpu: 3 }, limits: { nvidia.com/gpu: 3 } }
  containers:
  - name: app
    image: d:1
    resources: { limits: { nvidia.com/gpu: 1, nvidia.com/gpumem: 4000 } }
`);
    const [gpu, ...rest] = podAcceleratorRequests(pod);
    assert.deepEqual(rest, [], 'shares such as gpumem are not devices');
    assert.equal(gpu.resource, 'nvidia.com/gpu');
    assert.equal(gpu.running, 2, 'app 1 + sidecar 1');
    assert.equal(gpu.largestInit?.container.name, 'second');
    assert.equal(gpu.largestInit?.step, 4, 'init 3 + the sidecar started before it');
    assert.equal(gpu.effective, 4);
    assert.equal(usesAccelerators(pod), true);
  });

  it('takes the request when the limit is zero, and no name without a domain is an accelerator', () => {
    const pod = podOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: a:1\n    resources:\n      limits: { cpu: 2, nvidia.com/gpu: 0 }\n      requests: { memory: 1Gi, nvidia.com/gpu: 2 }\n');
    assert.deepEqual(podAcceleratorRequests(pod).map((total) => [total.resource, total.running]), [['nvidia.com/gpu', 2]]);
    for (const name of ['cpu', 'memory', 'gpu', 'nvidia-gpu', 'hugepages-2Mi']) assert.equal(acceleratorKind(name), undefined, name);
    const cpuOnly = podOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: a:1\n    resources: { limits: { cpu: 2 }, requests: { memory: 1Gi } }\n');
    assert.equal(usesAccelerators(cpuOnly), false);
    const requestOnly = podOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: a:1\n    resources: { requests: { amd.com/gpu: 1 } }\n');
    assert.equal(usesAccelerators(requestOnly), true);
  });

  it('counts DRA resource claims as accelerator use', () => {
    const pod = podOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: a:1\n    resources:\n      claims:\n      - name: gpu\n  resourceClaims:\n  - name: gpu\n    resourceClaimTemplateName: one-gpu\n');
    assert.equal(usesAccelerators(pod), true);
    assert.deepEqual(podAcceleratorRequests(pod), []);
  });
});
