import { runRuleTests } from './harness';

/** A Pod with one container using DRA claims; the two lists are parameters. */
const pod = (containerClaims: string, podClaims: string) => `apiVersion: v1
kind: Pod
metadata:
  name: inference
  namespace: gpu-test
spec:
  containers:
  - name: ctr
    image: nvcr.io/nvidia/k8s/cuda-sample:nbody-cuda11.7.1-ubuntu18.04
    args: ["--benchmark"]
    resources:
      claims:
${containerClaims}  resourceClaims:
${podClaims}`;

runRuleTests('resource-claim-rejected', {
  valid: [
    {
      name: 'a claim generated from a template, used by the container',
      text: pod('      - name: gpu\n', '  - name: gpu\n    resourceClaimTemplateName: single-gpu\n'),
    },
    {
      name: 'one shared claim used by an init container and a container, and a request of a claim',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: encoder
spec:
  template:
    spec:
      initContainers:
      - name: warmup
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: shared-gpu
      containers:
      - name: encoder
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: shared-gpu
          - name: shared-gpu
            request: nic
      resourceClaims:
      - name: shared-gpu
        resourceClaimName: encoder-gpus
`,
    },
    {
      name: 'the `source` wrapper on a cluster older than 1.31, where it is the API',
      text: pod('      - name: gpu\n', '  - name: gpu\n    source:\n      resourceClaimTemplateName: single-gpu\n'),
      settings: { kubernetesVersion: '1.30' },
    },
  ],
  invalid: [
    {
      name: 'a container claim the pod does not declare',
      text: pod('      - name: gpus\n', '  - name: gpu\n    resourceClaimTemplateName: single-gpu\n'),
      findings: [
        {
          line: 13,
          column: 15,
          message:
            'Container `ctr` uses the resource claim `gpus`, but the pod declares `gpu`: a container can only use claims the pod declares (with a `resourceClaimName` or `resourceClaimTemplateName`), and the API server rejects the Pod, so it is never created.',
        },
      ],
    },
    {
      name: 'both sources in one entry, pointed at the template name',
      text: pod('      - name: gpu\n', '  - name: gpu\n    resourceClaimName: shared-gpu\n    resourceClaimTemplateName: single-gpu\n'),
      findings: [{ line: 17, column: 5, message: 'The resource claim `gpu` sets both `resourceClaimName` and `resourceClaimTemplateName`: exactly one is allowed' }],
    },
    {
      name: 'neither source, pointed at the name',
      text: pod('      - name: gpu\n', '  - name: gpu\n'),
      findings: [{ line: 15, column: 5, message: 'The resource claim `gpu` sets neither `resourceClaimName` nor `resourceClaimTemplateName`: exactly one is required' }],
    },
    {
      name: 'the `source` wrapper removed in 1.31, on the default release',
      text: pod('      - name: gpu\n', '  - name: gpu\n    source:\n      resourceClaimTemplateName: single-gpu\n'),
      findings: [{ line: 16, column: 5, message: 'The resource claim `gpu` uses `source.resourceClaimTemplateName`, the form of Kubernetes 1.26–1.30: since 1.31 the field sits directly in the entry (`resourceClaimTemplateName: ...`)' }],
    },
    {
      name: 'a claim declared twice, and a name that is not a DNS label',
      text: pod('      - name: gpu\n', '  - name: gpu\n    resourceClaimTemplateName: single-gpu\n  - name: gpu\n    resourceClaimTemplateName: other-gpu\n  - name: GPU_2\n    resourceClaimTemplateName: other-gpu\n'),
      findings: [
        { line: 17, column: 11, message: 'The pod declares the resource claim `gpu` twice in `spec.resourceClaims`' },
        { line: 19, column: 11, message: 'The resource claim name `GPU_2` is not a DNS label' },
      ],
    },
    {
      name: "a Job's pod template with a container claim and no resourceClaims at all",
      text: `apiVersion: batch/v1
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
          - name: mps-gpu
`,
      findings: [{ line: 14, column: 19, message: 'Container `nbody` uses the resource claim `mps-gpu`, but the pod declares no claims in `spec.resourceClaims`: a container can only use claims the pod declares (with a `resourceClaimName` or `resourceClaimTemplateName`), and the API server rejects the Job (its pod template fails validation), so no pod is ever created.' }],
    },
  ],
});
