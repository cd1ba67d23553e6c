import { runRuleTests } from './harness';

/** A GPU inference Deployment; the image line is a parameter, with its command. */
const server = (image: string, command = '          command: ["python3", "-m", "app.serve"]\n') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: detector
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: detector
          image: ${image}
${command}          resources:
            limits:
              nvidia.com/gpu: 1
`;

runRuleTests('accelerator-devel-image', {
  valid: [
    { name: 'the CUDA runtime image', text: server('nvidia/cuda:12.4.1-runtime-ubuntu22.04') },
    { name: 'the CUDA base image', text: server('nvcr.io/nvidia/cuda:12.6.3-base-ubuntu24.04') },
    { name: 'the PyTorch runtime image', text: server('pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime') },
    {
      name: 'a container that compiles with nvcc at start',
      text: server('nvidia/cuda:12.4.1-devel-ubuntu22.04', '          command: ["bash", "-c", "nvcc -O3 -o /tmp/kernel kernel.cu && /tmp/kernel"]\n'),
    },
    {
      name: 'a CUDA demo-suite binary, which only the devel image has',
      text: server('nvidia/cuda:12.5.0-devel-ubuntu22.04', '          command: ["/usr/local/cuda/extras/demo_suite/bandwidthTest"]\n'),
    },
    { name: 'an image of another repository with devel in its tag', text: server('ghcr.io/acme/detector:1.4.0-devel') },
  ],
  invalid: [
    {
      name: 'nvidia/cuda devel: the review fix switches to the runtime tag, keeping the quotes',
      text: server('"nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04"'),
      findings: [
        {
          line: 11,
          column: 18,
          message: 'Container `detector` runs the CUDA `devel` image `nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04`: its compiler, headers and static libraries add about 1.5 GB compressed for CUDA (2–4 GB once unpacked) that every new node pulls before the container starts, and a prebuilt program does not use them. Run it on `12.4.1-cudnn-runtime-ubuntu22.04` (or `-base` when only libcudart is needed), and compile in a Dockerfile build stage.',
        },
      ],
      output: server('"nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04"'),
    },
    {
      name: 'a mirrored PyTorch devel image',
      text: server('registry.acme.internal/dockerhub/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-devel'),
      findings: [{ line: 11, column: 18, message: 'runs the PyTorch `devel` image' }],
      output: server('registry.acme.internal/dockerhub/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime'),
    },
    {
      name: 'a digest-pinned devel image gets no fix: the runtime digest is another one',
      text: server('nvidia/cuda:12.4.1-devel-ubuntu22.04@sha256:da6791294b0b04d7e65d87b7451d6f2390b4d36225ab0701ee7dfec5769829f5'),
      findings: [{ line: 11, column: 18, message: 'runs the CUDA `devel` image' }],
    },
    {
      name: 'a ROCm development image in an init container',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: rocm-smoke
spec:
  restartPolicy: Never
  initContainers:
  - name: check
    image: rocm/dev-ubuntu-22.04:6.2.4-complete
    command: ["rocm-smi"]
  containers:
  - name: app
    image: ghcr.io/acme/hip-app:0.3.1
    resources:
      limits:
        amd.com/gpu: 1
`,
      findings: [{ line: 9, column: 12, message: 'Init container `check` runs the ROCm development image `rocm/dev-ubuntu-22.04:6.2.4-complete`' }],
    },
  ],
});
