import assert from 'node:assert/strict';
import { analyzeText } from '../../core/analyze';
import { collectDefinedObjects } from '../../core/defined-objects';
import { nearMiss } from '../../rules/resource-claim-reference-unresolved';
import { deviceClass, pod, template } from '../support/dra-objects';
import { onlyRule, runRuleTests } from './harness';

const RULE = 'resource-claim-reference-unresolved';

const file = (...documents: string[]) => documents.join('---\n');

runRuleTests('resource-claim-reference-unresolved', {
  valid: [
    {
      name: 'the template the pod names is defined beside it, and asks for a defined DeviceClass',
      text: file(deviceClass('gpu.nvidia.com'), template('single-gpu', 'gpu-test'), template('two-gpus', 'gpu-test'), pod('gpu-test', 'single-gpu')),
    },
    {
      name: "templates only in another namespace: the pod's come from elsewhere",
      text: file(template('single-gpu', 'team-a'), pod('team-b', 'single-gpus')),
    },
    {
      name: 'no template known at all (made by a chart or another repository)',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: encoder
  namespace: media
spec:
  selector:
    matchLabels:
      app: encoder
  template:
    metadata:
      labels:
        app: encoder
    spec:
      containers:
      - name: encoder
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: gpu
      resourceClaims:
      - name: gpu
        resourceClaimTemplateName: single-gpu
`,
    },
    {
      name: "a DeviceClass from the driver's chart, not among the defined ones and not close to any",
      text: file(deviceClass('example-device-class'), template('single-gpu', 'gpu-test', 'gpu.nvidia.com'), pod('gpu-test', 'single-gpu')),
    },
    {
      name: "classes of one family (another device type, another size) are not each other's typos",
      text: file(
        deviceClass('gpu.example.com'),
        deviceClass('mig-1g.10gb.gpu.nvidia.com'),
        template('cpu-pinned', 'demo', 'cpu.example.com'),
        template('small-mig', 'demo', 'mig-2g.20gb.gpu.nvidia.com'),
        pod('demo', 'cpu-pinned'),
        pod('demo', 'small-mig'),
      ),
    },
    {
      name: "the template a ComputeDomain's controller creates for its IMEX channel",
      text: file(
        template('single-gpu', undefined),
        `apiVersion: resource.nvidia.com/v1beta1
kind: ComputeDomain
metadata:
  name: imex-domain
spec:
  numNodes: 2
  channel:
    resourceClaimTemplate:
      name: imex-channel-0
`,
        pod(undefined, 'imex-channel-0'),
      ),
    },
    {
      name: 'a claim without a namespace may be applied into the namespace of the pod that names it',
      text: file(
        `apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: other-gpu
  namespace: encoders
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
`,
        `apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: shared-gpu
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
`,
        pod('encoders', 'shared-gpu', 'resourceClaimName'),
      ),
    },
    {
      name: 'the `source` form on 1.31 or later is refused by the API server (resource-claim-rejected), not left Pending',
      text: file(template('single-gpu', 'gpu-test'), pod('gpu-test', 'unused').replace('    resourceClaimTemplateName: unused\n', '    source:\n      resourceClaimTemplateName: single-gpus\n')),
    },
  ],
  invalid: [
    {
      name: 'a misspelt template name, with the name meant',
      text: file(template('single-gpu', 'gpu-test'), template('two-gpus', 'gpu-test'), pod('gpu-test', 'single-gpus')),
      findings: [
        {
          line: 35,
          column: 32,
          endColumn: 43,
          message:
            "The pod stays Pending at scheduling: `resourceClaimTemplateName: single-gpus` names a ResourceClaimTemplate that is not defined in namespace `gpu-test`, where the manifests define `single-gpu`, `two-gpus`: did you mean `single-gpu`? Without the template the resourceclaim controller cannot create the pod's ResourceClaim (a FailedResourceClaimCreation event, \"not found\", retried with back-off), and the scheduler does not place a pod whose claim does not exist.",
        },
      ],
    },
    {
      name: "a shared ResourceClaim that is missing while the pod's namespace defines others",
      text: file(
        `apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: shared-gpu
  namespace: media
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
`,
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: encoder
  namespace: media
spec:
  selector:
    matchLabels:
      app: encoder
  template:
    metadata:
      labels:
        app: encoder
    spec:
      containers:
      - name: encoder
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: gpu
      resourceClaims:
      - name: gpu
        resourceClaimName: encoder-gpus
`,
      ),
      findings: [
        {
          line: 35,
          column: 28,
          message:
            'The pod stays Pending at scheduling: `resourceClaimName: encoder-gpus` names a ResourceClaim that is not defined in namespace `media`, where the manifests define `shared-gpu`. The scheduler does not place a pod whose ResourceClaim does not exist, and waits until one of that name is created.',
        },
      ],
    },
    {
      name: 'a template asking for a DeviceClass one letter off a defined one (v1 `exactly`)',
      text: file(deviceClass('gpu.nvidia.com'), deviceClass('mig.nvidia.com'), template('single-gpu', 'gpu-test', 'gpu.nvidia.co'), pod('gpu-test', 'single-gpu')),
      findings: [
        {
          line: 40,
          column: 32,
          message:
            'The pod stays Pending at scheduling: the ResourceClaimTemplate `single-gpu` asks for the DeviceClass `gpu.nvidia.co` (request `gpu`), which is not defined, while `gpu.nvidia.com` is: did you mean `gpu.nvidia.com`? The scheduler reports "device class gpu.nvidia.co does not exist" and keeps the pod unschedulable until a DeviceClass of that name is created.',
        },
      ],
    },
    {
      name: 'a v1beta1 template whose `deviceClassName` swaps two letters, named by a Job without namespaces',
      text: file(
        deviceClass('mig.nvidia.com'),
        `apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: any-mig
spec:
  spec:
    devices:
      requests:
      - name: mig
        deviceClassName: mig.nvdiia.com
`,
        `apiVersion: batch/v1
kind: Job
metadata:
  name: sharing-demo
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: nbody
        image: nvcr.io/nvidia/k8s/cuda-sample:nbody-cuda11.7.1-ubuntu18.04
        resources:
          claims:
          - name: mig
      resourceClaims:
      - name: mig
        resourceClaimTemplateName: any-mig
`,
      ),
      findings: [{ line: 37, column: 36, message: 'the ResourceClaimTemplate `any-mig` asks for the DeviceClass `mig.nvdiia.com` (request `mig`), which is not defined, while `mig.nvidia.com` is: did you mean `mig.nvidia.com`?' }],
    },
    {
      name: 'the `source` form of a cluster older than 1.31 is followed',
      text: file(template('single-gpu', 'gpu-test'), pod('gpu-test', 'unused').replace('    resourceClaimTemplateName: unused\n', '    source:\n      resourceClaimTemplateName: single-gpus\n')),
      settings: { kubernetesVersion: '1.30' },
      findings: [{ line: 23, column: 34, message: '`resourceClaimTemplateName: single-gpus` names a ResourceClaimTemplate that is not defined in namespace `gpu-test`, where the manifests define `single-gpu`: did you mean `single-gpu`?' }],
    },
  ],
});

describe(`rule ${RULE}: objects the front end passes`, () => {
  it('sees a template defined in another file, and is silent once it is given', () => {
    const templates = template('single-gpu', 'gpu-test') + '---\n' + template('two-gpus', 'gpu-test');
    const podText = pod('gpu-test', 'single-gpu');
    const settings = onlyRule(RULE);
    // Alone, the pod's file defines no template: nothing to compare with.
    assert.deepEqual(analyzeText({ text: podText, settings }).findings, []);
    // With the other file's templates, the name resolves.
    assert.deepEqual(analyzeText({ text: podText, settings, definedObjects: collectDefinedObjects(templates) }).findings, []);
    // With a workspace where the template is misspelt, it does not.
    const misspelt = collectDefinedObjects(templates.replace('name: single-gpu', 'name: single-gpus'));
    const findings = analyzeText({ text: podText, settings, definedObjects: misspelt }).findings;
    assert.deepEqual(findings.map((finding) => [finding.range.start.line + 1, finding.range.start.character + 1]), [[9, 32]]);
    assert.match(findings[0].message, /where the manifests define `single-gpus`, `two-gpus`: did you mean `single-gpus`\?/);
  });

  it('collects claims, templates, classes and ComputeDomain channel templates; skips templates and other kinds', () => {
    const objects = collectDefinedObjects(
      file(
        deviceClass('gpu.nvidia.com'),
        template('single-gpu', 'gpu-test'),
        'apiVersion: resource.nvidia.com/v1beta1\nkind: ComputeDomain\nmetadata:\n  name: imex\n  namespace: gpu-test\nspec:\n  channel:\n    resourceClaimTemplate:\n      name: imex-channel\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ResourceClaimTemplate\n',
        'apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\nmetadata:\n  name: dcgm-admin\n  namespace: {{ .Namespace }}\n',
      ),
    );
    assert.deepEqual(objects, [
      { apiGroup: 'resource.k8s.io', kind: 'DeviceClass', name: 'gpu.nvidia.com' },
      { apiGroup: 'resource.k8s.io', kind: 'ResourceClaimTemplate', namespace: 'gpu-test', name: 'single-gpu', deviceClasses: [{ request: 'gpu', deviceClassName: 'gpu.nvidia.com' }] },
      { apiGroup: 'resource.k8s.io', kind: 'ResourceClaimTemplate', namespace: 'gpu-test', name: 'imex-channel', createdBy: 'ComputeDomain `imex`' },
    ]);
  });

  it('takes a near miss only when it is one edit away (two for long names) and unambiguous', () => {
    assert.equal(nearMiss('gpu.nvidia.co', ['gpu.nvidia.com', 'mig.nvidia.com']), 'gpu.nvidia.com');
    assert.equal(nearMiss('single-gpus', ['single-gpu', 'two-gpus']), 'single-gpu');
    assert.equal(nearMiss('gpu.example.com', ['gpu.nvidia.com']), undefined);
    assert.equal(nearMiss('mig.nvidia.com', ['gpu.nvidia.com']), undefined);
    assert.equal(nearMiss('cpu.example.com', ['gpu.example.com']), undefined);
    assert.equal(nearMiss('single-gpu', ['single-gpus', 'single-gpux']), undefined);
  });
});
