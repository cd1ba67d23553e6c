import type { ImageFactsView } from '../../core/image-facts';
import { runRuleTests } from './harness';

/** A model server: a builder stage on `builder`, the final stage on `runtime`. */
const server = (builder: string, runtime: string) => `# syntax=docker/dockerfile:1
FROM ${builder} AS build
WORKDIR /app
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM ${runtime}
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY predictor/ predictor/
CMD ["python", "-m", "predictor.serve"]
`;

const facts = (compressedSize: number): ImageFactsView => ({ digest: `sha256:${compressedSize.toString(16).padStart(64, '0')}`, compressedSize, layerCount: 9 });

const REGISTRY: Record<string, ImageFactsView> = {
  // python:3.12.4-bookworm once pinned, as the registry answers for it.
  [`python:3.12.4-bookworm@${facts(360_000_000).digest}`]: facts(360_000_000),
  'pytorch/pytorch:2.4.0-cuda12.1-cudnn9-devel': facts(9_100_000_000),
  'python:3.12.4-bookworm': facts(360_000_000),
  'python:3.12.4-slim-bookworm': facts(45_000_000),
  'registry.example.com/platform/python-ml:2024.06': facts(2_400_000_000),
};

runRuleTests('dockerfile-large-base-image', {
  fileName: 'Dockerfile',
  imageFacts: REGISTRY,
  valid: [
    { name: 'a large builder stage and a slim final stage', text: server('pytorch/pytorch:2.4.0-cuda12.1-cudnn9-devel', 'python:3.12.4-slim-bookworm') },
    { name: 'a base the registry has not answered for (yet)', text: server('python:3.12.4-bookworm', 'python:3.13.0-slim-bookworm') },
    { name: 'no registry access', text: server('python:3.12.4-bookworm', 'python:3.12.4-bookworm'), imageFacts: {} },
    { name: 'a final stage from scratch', text: server('python:3.12.4-bookworm', 'scratch') },
    { name: 'a development Dockerfile', text: server('python:3.12.4-bookworm', 'python:3.12.4-bookworm'), fileName: 'Dockerfile.dev' },
  ],
  invalid: [
    {
      name: 'the final stage on a 360 MB base',
      text: server('python:3.12.4-bookworm', 'python:3.12.4-bookworm'),
      findings: [
        {
          line: 7,
          column: 6,
          endColumn: 28,
          message:
            'The final image is built on `python:3.12.4-bookworm`: image is 360 MB compressed, about 29 s to pull at 100 Mbit/s on each node that does not have it yet, before the layers this Dockerfile adds. Start from a smaller base (a slim, runtime or distroless variant, with a build stage for the tools), or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter).',
        },
      ],
    },
    {
      name: 'Pin to digest keeps the finding: the pinned base is as large',
      text: server('python:3.12.4-bookworm', 'python:3.12.4-bookworm'),
      findings: [{ line: 7, column: 6, message: 'image is 360 MB compressed' }],
      output: server('python:3.12.4-bookworm', `python:3.12.4-bookworm@${facts(360_000_000).digest}`),
    },
    {
      name: 'a final stage built FROM the builder: the chain starts at the builder base',
      text: server('registry.example.com/platform/python-ml:2024.06', 'build'),
      findings: [{ line: 2, column: 6, message: 'The final image is built on `registry.example.com/platform/python-ml:2024.06` through stage `build`: image is 2.4 GB compressed, about 3 min to pull at 100 Mbit/s' }],
    },
    {
      name: 'a base named through a global ARG is looked up by its default',
      text: `ARG BASE=python:3.12.4-bookworm\n${server('python:3.12.4-bookworm', '${BASE}')}`,
      findings: [{ line: 8, column: 6, endColumn: 13, message: 'The final image is built on `${BASE}` (`python:3.12.4-bookworm` by default): image is 360 MB compressed' }],
    },
    {
      name: 'a lower threshold and a slower link, from the options',
      text: server('python:3.12.4-bookworm', 'python:3.12.4-slim-bookworm'),
      settings: { rules: { 'dockerfile-large-base-image': { options: { sizeThresholdMB: 20, linkSpeedMbps: 10 } } } },
      findings: [{ line: 7, column: 6, message: 'image is 45 MB compressed, about 36 s to pull at 10 Mbit/s' }],
    },
  ],
});
