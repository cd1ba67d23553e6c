import { runRuleTests } from './harness';

/** A Flask API on Debian slim whose system packages are installed by the RUN given. */
const debianApi = (run: string, after = '') => `FROM python:3.12-slim-bookworm
WORKDIR /app
${run}
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
${after}COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
`;

/** A Go service: the builder stage on Alpine, the final stage as given. */
const goService = (final: string) => `FROM golang:1.22.5-alpine3.20 AS build
RUN apk add git make
WORKDIR /src
COPY . .
RUN make build

FROM alpine:3.20
${final}
COPY --from=build /src/bin/orders /usr/local/bin/orders
ENTRYPOINT ["orders"]
`;

runRuleTests('dockerfile-package-cache', {
  fileName: 'Dockerfile',
  valid: [
    {
      name: 'apt lists removed in the same RUN',
      text: debianApi(`RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5 \\
    && rm -rf /var/lib/apt/lists/*`),
    },
    { name: 'apt lists kept out of the layer by a cache mount', text: debianApi('RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y --no-install-recommends libpq5') },
    { name: 'pip with --no-cache-dir', text: debianApi('RUN pip install --no-cache-dir gunicorn==22.0.0') },
    { name: 'pip with PIP_NO_CACHE_DIR set by ENV earlier', text: debianApi('ENV PIP_NO_CACHE_DIR=1\nRUN pip install gunicorn==22.0.0') },
    { name: 'pip with a cache mount', text: debianApi('RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn==22.0.0') },
    { name: 'pip download and pip wheel fill a folder on purpose', text: debianApi('RUN pip download -d /wheels gunicorn==22.0.0 && pip wheel -w /wheels uvloop==0.19.0') },
    { name: 'pip cache purged in the same RUN', text: debianApi('RUN pip install gunicorn==22.0.0 && pip cache purge') },
    { name: 'apk add --no-cache', text: goService('RUN apk add --no-cache ca-certificates tzdata') },
    { name: 'apk caches in a builder stage do not reach the final image', text: goService('RUN apk add --no-cache ca-certificates') },
    { name: 'dnf clean all in the same RUN', text: 'FROM rockylinux:9.3\nRUN dnf install -y nginx && dnf clean all\nCMD ["nginx", "-g", "daemon off;"]\n' },
    { name: 'microdnf cache removed by rm', text: 'FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4\nRUN microdnf install -y shadow-utils && rm -rf /var/cache/yum\nCMD ["/bin/bash"]\n' },
    { name: 'zypper clean', text: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install -y nginx && zypper clean --all\nCMD ["nginx"]\n' },
    { name: 'a development Dockerfile', text: debianApi('RUN apt-get update && apt-get install -y --no-install-recommends libpq5'), fileName: 'Dockerfile.dev' },
    {
      name: 'a last stage named for development',
      text: `FROM node:20.15.1-bookworm-slim AS app
WORKDIR /app
COPY . .
CMD ["node", "server.js"]

FROM app AS dev-envs
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends git
EOF
`,
    },
    {
      name: 'apk add --no-network installs what is already downloaded',
      text: goService('RUN apk add --no-cache --virtual .build-deps gcc musl-dev && apk add --no-network --virtual .rundeps libgcc && apk del .build-deps'),
    },
    { name: 'silenced on the line above', text: debianApi('# podstart-disable-next-line dockerfile-package-cache\nRUN pip install gunicorn==22.0.0') },
  ],
  invalid: [
    {
      name: 'apt lists left in the layer: the cleanup is appended to the same RUN',
      text: debianApi(`RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5`),
      findings: [{ line: 3, column: 5, endColumn: 19, message: '`apt-get update` downloads the package lists to /var/lib/apt/lists (about 19 MB for Debian 12' }],
      output: debianApi(`RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*`),
    },
    {
      name: 'a later RUN that removes the lists cannot take them out of the first layer',
      text: debianApi('RUN apt-get update && apt-get install -y --no-install-recommends libpq5\nRUN rm -rf /var/lib/apt/lists/*'),
      findings: [{ line: 3, column: 5, message: 'a later RUN cannot take them out of this layer' }],
      output: debianApi('RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nRUN rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'no fix when a later RUN installs without updating first',
      text: debianApi('RUN apt-get update\nRUN apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*'),
      findings: [{ line: 3, column: 5, message: 'A later RUN installs with apt without updating first and needs them' }],
    },
    {
      name: 'no fix when a stage built on this one installs without updating, even one that is not shipped',
      text: `FROM debian:bookworm-20240701-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
COPY app /usr/local/bin/app

FROM base AS test
RUN apt-get install -y --no-install-recommends bats && bats /tests

FROM base
CMD ["app"]
`,
      findings: [{ line: 2, column: 5, message: 'A later RUN installs with apt without updating first and needs them' }],
    },
    {
      name: 'no fix after a trailing comment',
      text: debianApi('RUN apt-get update && apt-get install -y --no-install-recommends libpq5 # client library'),
      findings: [{ line: 3, column: 5 }],
    },
    {
      name: 'pip install without --no-cache-dir, also through python -m pip and in the exec form',
      text: debianApi('RUN pip install --upgrade pip setuptools\nRUN python3 -m pip install -r requirements.txt\nRUN ["pip3", "install", "gunicorn==22.0.0"]'),
      findings: [
        { line: 3, column: 5, endColumn: 16, message: '`pip install` without `--no-cache-dir` also keeps every wheel it downloaded in ~/.cache/pip' },
        { line: 4, column: 5, endColumn: 27 },
        { line: 5, column: 6, endColumn: 23, message: '`pip3 install`' },
      ],
      output: debianApi('RUN pip install --no-cache-dir --upgrade pip setuptools\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\nRUN ["pip3", "install", "--no-cache-dir", "gunicorn==22.0.0"]'),
    },
    {
      name: 'apk add without --no-cache in the final stage only',
      text: goService('RUN apk add ca-certificates tzdata'),
      findings: [{ line: 8, column: 5, endColumn: 12, message: '`apk add` without `--no-cache` keeps the package index in /var/cache/apk' }],
      output: goService('RUN apk add --no-cache ca-certificates tzdata'),
    },
    {
      name: 'dnf without clean: the cleanup is appended',
      text: 'FROM rockylinux:9.3\nRUN dnf install -y nginx \\\n    && dnf install -y python3\nCMD ["nginx", "-g", "daemon off;"]\n',
      findings: [{ line: 2, column: 5, endColumn: 16, message: '`dnf install` keeps the repository metadata in /var/cache/dnf (60–200 MB is common)' }],
      output: 'FROM rockylinux:9.3\nRUN dnf install -y nginx \\\n    && dnf install -y python3 && dnf clean all\nCMD ["nginx", "-g", "daemon off;"]\n',
    },
    {
      name: 'yum run through sudo is cleaned through sudo',
      text: 'FROM centos:7.9.2009\nUSER builder\nRUN sudo yum -y update && sudo yum -y install openssh-server\nCMD ["/usr/sbin/sshd", "-D"]\n',
      findings: [{ line: 3, column: 10, message: '`yum update` keeps the repository metadata in /var/cache/yum' }],
      output: 'FROM centos:7.9.2009\nUSER builder\nRUN sudo yum -y update && sudo yum -y install openssh-server && sudo yum clean all\nCMD ["/usr/sbin/sshd", "-D"]\n',
    },
    {
      name: 'zypper without clean',
      text: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive in -y nginx\nCMD ["nginx"]\n',
      findings: [{ line: 2, column: 5, message: '`zypper in` keeps the repository metadata and package caches in /var/cache/zypp' }],
      output: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive in -y nginx && zypper clean --all\nCMD ["nginx"]\n',
    },
    {
      name: 'a here-document RUN: reported, no fix inside the document',
      text: debianApi(`RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends libpq5
EOF`),
      findings: [{ line: 5, column: 1, endColumn: 15 }],
    },
    {
      name: 'a development file name with skipDevelopmentFiles off',
      text: debianApi('RUN pip install gunicorn==22.0.0'),
      fileName: 'Dockerfile.dev',
      settings: { rules: { 'dockerfile-package-cache': { options: { skipDevelopmentFiles: false } } } },
      findings: [{ line: 3, column: 5 }],
      output: debianApi('RUN pip install --no-cache-dir gunicorn==22.0.0'),
    },
  ],
});
