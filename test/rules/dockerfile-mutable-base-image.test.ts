import { runRuleTests } from './harness';

/** A Go service built in one stage and shipped on another, both bases as given. */
const goService = (builder: string, runtime: string) => `# syntax=docker/dockerfile:1
FROM ${builder} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/orders ./cmd/orders

FROM ${runtime}
COPY --from=build /out/orders /orders
USER 65532:65532
ENTRYPOINT ["/orders"]
`;

/** A Python worker in one stage. */
const worker = (from: string, before = '') => `${before}FROM ${from}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "-m", "worker"]
`;

/** The digest a registry answers for a multi-platform base: its image index's. */
const GOLANG_INDEX_DIGEST = 'sha256:4f0b1a9c3e7d5b2a8c6e0f4d2b9a7c5e3f1d8b6a4c2e0f9d7b5a3c1e8f6d4b2a';
const PYTHON_DIGEST = 'sha256:9e2c4a6b8d0f1e3a5c7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c';

runRuleTests('dockerfile-mutable-base-image', {
  fileName: 'Dockerfile',
  valid: [
    { name: 'version tags in every stage', text: goService('golang:1.22.5-bookworm', 'gcr.io/distroless/static-debian12:nonroot') },
    { name: 'a digest', text: worker('python@sha256:5d0da3dc976f1a1e11d4d2b1f9b4c0ea0e6ac6f4e2ae8e35c4a6d9c1b3b0f8a2') },
    { name: 'a digest pins the image even behind :latest', text: worker('python:latest@sha256:5d0da3dc976f1a1e11d4d2b1f9b4c0ea0e6ac6f4e2ae8e35c4a6d9c1b3b0f8a2') },
    { name: 'a moving minor tag is not in mutableTags by default', text: worker('python:3.12-slim') },
    { name: 'scratch is not an image', text: goService('golang:1.22.5', 'scratch') },
    {
      name: 'a stage built on an earlier stage, named in another case',
      text: `FROM node:20.15.1-slim AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev

FROM DEPS AS runtime
COPY . .
CMD ["node", "server.js"]
`,
    },
    { name: 'a global ARG whose default is pinned', text: worker('${PYTHON_IMAGE}', 'ARG PYTHON_IMAGE=python:3.12.4-slim-bookworm\n') },
    { name: 'a tag built from a pinned default and a suffix', text: worker('python:${PYTHON_VERSION}-slim', 'ARG PYTHON_VERSION=3.12.4\n') },
    {
      name: 'an ARG without default that only picks the architecture, not the version',
      text: goService('golang:1.22.5', 'gcr.io/distroless/static:nonroot-${ARCH}').replace('# syntax=docker/dockerfile:1\n', '# syntax=docker/dockerfile:1\nARG ARCH\n'),
    },
    {
      name: 'an ARG without default, with requireArgDefaults off',
      text: worker('python:${PYTHON_VERSION}', 'ARG PYTHON_VERSION\n'),
      settings: { rules: { 'dockerfile-mutable-base-image': { options: { requireArgDefaults: false } } } },
    },
    { name: 'a development Dockerfile (Dockerfile.dev)', text: worker('python:latest'), fileName: 'Dockerfile.dev' },
    { name: 'a development Dockerfile (debug.Dockerfile)', text: worker('python'), fileName: 'build/debug.Dockerfile' },
    { name: 'a Dockerfile in .devcontainer/', text: worker('mcr.microsoft.com/devcontainers/python'), fileName: '.devcontainer/Dockerfile' },
    { name: 'silenced on the line above the FROM', text: worker('python:latest', '# podstart-disable-next-line dockerfile-mutable-base-image\n') },
    { name: 'silenced for the file, below the parser directives', text: worker('python', '# syntax=docker/dockerfile:1\n# podstart-disable dockerfile-mutable-base-image\n') },
    { name: 'a Dockerfile with only comments', text: '# The image is built by the platform team.\n# Nothing to see here yet.\n' },
    { name: 'an empty Dockerfile', text: '' },
    { name: 'a FROM without an image', text: 'FROM\nRUN echo hi\n' },
  ],
  invalid: [
    {
      name: "with the registry's answer, Pin to digest pins a literal FROM and keeps the tag",
      text: goService('--platform=$BUILDPLATFORM golang:latest', 'gcr.io/distroless/static-debian12:nonroot'),
      imageFacts: { 'golang:latest': { digest: GOLANG_INDEX_DIGEST, compressedSize: 290_000_000, layerCount: 7 } },
      findings: [{ line: 2, column: 32, endColumn: 45 }],
      output: goService(`--platform=$BUILDPLATFORM golang:latest@${GOLANG_INDEX_DIGEST}`, 'gcr.io/distroless/static-debian12:nonroot'),
    },
    {
      name: 'Pin to digest gives an untagged base the :latest it stands for',
      text: worker('python'),
      imageFacts: { python: { digest: PYTHON_DIGEST, compressedSize: 360_000_000, layerCount: 7 } },
      findings: [{ line: 1, column: 6, endColumn: 12 }],
      output: worker(`python:latest@${PYTHON_DIGEST}`),
    },
    {
      name: 'an untagged base in the only stage',
      text: worker('python'),
      findings: [{ line: 1, column: 6, endColumn: 12, message: '`python` has no tag, which means `:latest`: when it moves, the next build shares no base layer with the image the nodes have cached' }],
    },
    {
      name: ':latest in the final stage of a multi-stage build',
      text: goService('golang:1.22.5-bookworm', 'gcr.io/distroless/static:latest'),
      findings: [{ line: 9, column: 6, endColumn: 37, message: '`gcr.io/distroless/static:latest` is a mutable tag: when it moves' }],
    },
    {
      name: ':latest in a builder stage, after a --platform flag',
      text: goService('--platform=$BUILDPLATFORM golang:latest', 'gcr.io/distroless/static-debian12:nonroot'),
      findings: [{ line: 2, column: 32, endColumn: 45, message: '`golang:latest` is a mutable tag: stage `build` is not part of the final image (the last stage), but what is built in it or copied from it changes whenever the tag moves' }],
    },
    {
      name: 'both stages, with a registry port',
      text: goService('registry.internal:5000/ci/golang', 'registry.internal:5000/base/distroless:latest'),
      findings: [
        { line: 2, column: 6, message: '`registry.internal:5000/ci/golang` has no tag' },
        { line: 9, column: 6, message: '`registry.internal:5000/base/distroless:latest` is a mutable tag' },
      ],
    },
    {
      name: 'a global ARG whose default is :latest, reported at the FROM',
      text: worker('${PYTHON_IMAGE}', '# syntax=docker/dockerfile:1\nARG PYTHON_IMAGE=python:latest\n'),
      findings: [{ line: 3, column: 6, endColumn: 21, message: '`${PYTHON_IMAGE}` is `python:latest` by the default of ARG PYTHON_IMAGE (line 2), a mutable tag' }],
    },
    {
      name: 'defaults of two ARGs',
      text: worker('${REGISTRY}/base:${BASE_VERSION}', 'ARG BASE_VERSION=latest\nARG REGISTRY=registry.istio.io/release\n'),
      findings: [{ line: 3, column: 6, message: 'is `registry.istio.io/release/base:latest` by the defaults of ARG REGISTRY (line 2) and ARG BASE_VERSION (line 1), a mutable tag' }],
    },
    {
      name: 'a whole image from an ARG without default',
      text: worker('$BASE_IMAGE', 'ARG BASE_IMAGE\n'),
      findings: [{ line: 2, column: 6, endColumn: 17, message: 'The base image `$BASE_IMAGE` comes from ARG BASE_IMAGE (line 1), which has no default, so the Dockerfile does not say which image it builds on. Give it a default' }],
    },
    {
      name: 'a whole tag from an ARG without default',
      text: worker('python:${PYTHON_VERSION}', 'ARG PYTHON_VERSION\n'),
      findings: [{ line: 2, column: 6, message: 'The tag of `python:${PYTHON_VERSION}` comes from ARG PYTHON_VERSION (line 1), which has no default' }],
    },
    {
      name: 'a default that is only a placeholder',
      text: worker('${BASE_IMAGE}', 'ARG BASE_IMAGE=undefined\n'),
      findings: [{ line: 2, column: 6, message: 'comes from ARG BASE_IMAGE (line 1), whose default `undefined` is a placeholder' }],
    },
    {
      name: 'a build argument not declared before the first FROM',
      text: worker('python:${PYTHON_VERSION}'),
      findings: [{ line: 1, column: 6, message: 'comes from build argument PYTHON_VERSION, which is not declared before the first FROM' }],
    },
    {
      name: 'a quoted image',
      text: worker('"gcr.io/distroless/python3-debian12"'),
      findings: [{ line: 1, column: 6, message: '`gcr.io/distroless/python3-debian12` has no tag' }],
    },
    {
      name: 'a tag listed in mutableTags',
      text: worker('python:3-slim'),
      settings: { rules: { 'dockerfile-mutable-base-image': { options: { mutableTags: ['latest', '3-slim'] } } } },
      findings: [{ line: 1, column: 6, message: '`python:3-slim` is a mutable tag' }],
    },
    { name: 'a Dockerfile.prod is a Dockerfile too', text: worker('python:latest'), fileName: 'deploy/Dockerfile.prod', findings: [{ line: 1, column: 6 }] },
    { name: 'a Containerfile', text: worker('python'), fileName: 'Containerfile', findings: [{ line: 1, column: 6 }] },
    {
      name: 'a development Dockerfile with skipDevelopmentFiles off',
      text: worker('python:latest'),
      fileName: 'Dockerfile.dev',
      settings: { rules: { 'dockerfile-mutable-base-image': { options: { skipDevelopmentFiles: false } } } },
      findings: [{ line: 1, column: 6 }],
    },
  ],
});
