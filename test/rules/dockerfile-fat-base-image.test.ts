import { runRuleTests } from './harness';

/** A Flask API in one stage, on the base given. */
const flaskApi = (from: string, before = '') => `${before}FROM ${from}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8080
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
`;

/** A Go service: a builder stage on the Go SDK and the final stage as given. */
const goService = (runtime: string, entrypoint = 'ENTRYPOINT ["/orders"]\n') => `FROM golang:1.22.5-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/orders ./cmd/orders

FROM ${runtime}
COPY --from=build /out/orders /orders
${entrypoint}`;

/** A Spring Boot service packaged elsewhere and run on the base given. */
const springService = (from: string) => `FROM ${from}
WORKDIR /app
COPY target/orders.jar app.jar
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
`;

const SLIM_MESSAGE = 'the full Debian image, with compilers, headers and hundreds of build packages: about 360 MB compressed, about 29 s to pull at 100 Mbit/s on each node that does not have it. Use `python:3.12-slim`, the same python on a minimal Debian, about 42 MB (about 3 s), after checking that the app needs nothing it lacks.';

runRuleTests('dockerfile-fat-base-image', {
  fileName: 'Dockerfile',
  valid: [
    { name: 'python slim', text: flaskApi('python:3.12-slim') },
    { name: 'python slim on a named Debian release', text: flaskApi('python:3.12.4-slim-bookworm') },
    { name: 'python on Alpine', text: flaskApi('python:3.12-alpine3.20') },
    { name: 'node slim', text: flaskApi('node:20-bookworm-slim') },
    { name: 'a full image in the builder stage only', text: goService('gcr.io/distroless/static-debian12:nonroot') },
    { name: 'scratch', text: goService('scratch') },
    { name: 'a JRE', text: springService('eclipse-temurin:21-jre-noble') },
    { name: 'CUDA runtime', text: flaskApi('nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04') },
    {
      name: 'the Go SDK in an image that runs no program of its own (a build environment)',
      text: `FROM golang:1.22.5-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler && rm -rf /var/lib/apt/lists/*
RUN go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.34.2
WORKDIR /workspace
`,
    },
    { name: 'a tag whose variant is unknown (Windows)', text: flaskApi('python:3.12-windowsservercore-ltsc2022') },
    { name: 'buildpack-deps, which the official language images build on on purpose', text: flaskApi('buildpack-deps:bookworm') },
    { name: 'a base whose image comes from an ARG without default', text: flaskApi('${BASE_IMAGE}', 'ARG BASE_IMAGE\n') },
    { name: 'a development Dockerfile', text: flaskApi('python:3.12'), fileName: 'Dockerfile.dev' },
    { name: 'a Tilt image', text: flaskApi('node:24'), fileName: 'Dockerfile.ui.tilt' },
    { name: 'silenced on the line above the FROM', text: flaskApi('python:3.12', '# podstart-disable-next-line dockerfile-fat-base-image\n') },
  ],
  invalid: [
    {
      name: 'python on full Debian, in the only stage',
      text: flaskApi('python:3.12'),
      findings: [{ line: 1, column: 6, endColumn: 17, message: `The final image is built on \`python:3.12\`, ${SLIM_MESSAGE}` }],
      output: flaskApi('python:3.12-slim'),
    },
    {
      name: 'python on a named Debian release: the slim tag names it too',
      text: flaskApi('python:3.12-bookworm'),
      findings: [{ line: 1, column: 6, message: '`python:3.12-slim-bookworm`' }],
      output: flaskApi('python:3.12-slim-bookworm'),
    },
    {
      name: 'node on a named Debian release: node puts -slim last',
      text: flaskApi('node:20.15.1-bookworm'),
      findings: [{ line: 1, column: 6, message: 'about 390 MB compressed, about 31 s to pull at 100 Mbit/s' }],
      output: flaskApi('node:20.15.1-bookworm-slim'),
    },
    {
      name: 'node LTS by its name',
      text: flaskApi('node:lts'),
      findings: [{ line: 1, column: 6 }],
      output: flaskApi('node:lts-slim'),
    },
    {
      name: 'ruby',
      text: flaskApi('ruby:3.3'),
      findings: [{ line: 1, column: 6, message: 'about 400 MB compressed' }],
      output: flaskApi('ruby:3.3-slim'),
    },
    {
      name: 'an untagged python, through the Docker Hub name',
      text: flaskApi('docker.io/library/python'),
      findings: [{ line: 1, column: 6 }],
      output: flaskApi('docker.io/library/python:slim'),
    },
    {
      name: 'the final stage built on an earlier stage: reported where that stage starts',
      text: `FROM node:20 AS base
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev

FROM base AS runtime
COPY . .
CMD ["node", "server.js"]
`,
      findings: [{ line: 1, column: 6, endColumn: 13, message: 'The final image is built on `node:20` through stage `base`' }],
      output: `FROM node:20-slim AS base
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev

FROM base AS runtime
COPY . .
CMD ["node", "server.js"]
`,
    },
    {
      name: 'CUDA devel in the final stage',
      text: flaskApi('nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04'),
      findings: [{ line: 1, column: 6, message: 'its extra layers are about 1.5 GB compressed, about 2 min to pull at 100 Mbit/s' }],
      output: flaskApi('nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04'),
    },
    {
      name: 'PyTorch devel',
      text: flaskApi('pytorch/pytorch:2.3.1-cuda12.1-cudnn8-devel'),
      findings: [{ line: 1, column: 6 }],
      output: flaskApi('pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime'),
    },
    {
      name: 'a Temurin JDK running a jar',
      text: springService('eclipse-temurin:21-jdk-jammy'),
      findings: [{ line: 1, column: 6, message: 'a full JDK, which adds the compiler, jmods and development tools to the Java runtime: its extra layers are about 80 MB compressed' }],
      output: springService('eclipse-temurin:21-jre-jammy'),
    },
    {
      name: 'Temurin without jdk in the tag is a JDK too',
      text: springService('eclipse-temurin:21.0.4_7-alpine'),
      findings: [{ line: 1, column: 6 }],
      output: springService('eclipse-temurin:21.0.4_7-jre-alpine'),
    },
    {
      name: 'the Go SDK under a compiled binary (no fix: the runtime base is another image)',
      text: goService('golang:1.22-alpine'),
      findings: [{ line: 6, column: 6, message: 'The final image is built on `golang:1.22-alpine`, the Go SDK (compiler, toolchain and standard library sources), none of which a compiled Go program needs: about 100 MB compressed, about 8 s to pull' }],
    },
    {
      name: 'Maven running the application it built',
      text: springService('maven:3.9.8-eclipse-temurin-21'),
      findings: [{ line: 1, column: 6, message: 'Maven or Gradle on a full JDK' }],
    },
    {
      name: 'the .NET SDK',
      text: `FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /app
COPY . .
RUN dotnet publish -c Release -o out
ENTRYPOINT ["dotnet", "out/Orders.dll"]
`,
      findings: [{ line: 1, column: 6, message: 'publishes into `mcr.microsoft.com/dotnet/aspnet`' }],
    },
    {
      name: 'a base from an ARG default (no fix: the text is not the image)',
      text: flaskApi('python:${PYTHON_VERSION}', 'ARG PYTHON_VERSION=3.12\n'),
      findings: [{ line: 2, column: 6, message: 'The final image is built on `python:${PYTHON_VERSION}` (`python:3.12` by default)' }],
    },
    {
      name: 'a base pinned by digest (no fix: the digest would still name the full image)',
      text: flaskApi('python:3.12@sha256:5d0da3dc976f1a1e11d4d2b1f9b4c0ea0e6ac6f4e2ae8e35c4a6d9c1b3b0f8a2'),
      findings: [{ line: 1, column: 6, message: 'Use `python:3.12-slim`' }],
    },
    {
      name: 'a development file name with skipDevelopmentFiles off',
      text: flaskApi('python:3.12'),
      fileName: 'Dockerfile.dev',
      settings: { rules: { 'dockerfile-fat-base-image': { options: { skipDevelopmentFiles: false } } } },
      findings: [{ line: 1, column: 6 }],
      output: flaskApi('python:3.12-slim'),
    },
  ],
});
