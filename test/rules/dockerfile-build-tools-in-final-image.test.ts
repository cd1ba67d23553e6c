import { runRuleTests } from './harness';

/** A Flask API in one stage whose native wheels are built by the RUNs given. */
const flaskApi = (runs: string) => `FROM python:3.12-slim-bookworm
WORKDIR /app
COPY requirements.txt .
${runs}
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
`;

/** A TypeScript service in one stage, its install and build given. */
const nodeService = (runs: string, before = '') => `FROM node:20.15.1-bookworm-slim
WORKDIR /app
${before}COPY package.json package-lock.json ./
${runs}
CMD ["node", "dist/server.js"]
`;

runRuleTests('dockerfile-build-tools-in-final-image', {
  fileName: 'Dockerfile',
  valid: [
    {
      name: 'the compiler installed and removed in the same RUN',
      text: flaskApi(`RUN apt-get update \\
    && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && pip install --no-cache-dir -r requirements.txt \\
    && apt-get purge -y --auto-remove gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*`),
    },
    {
      name: 'the official images\' apt-mark idiom',
      text: flaskApi(`RUN savedAptMark="$(apt-mark showmanual)"; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends gcc make; \\
    pip install --no-cache-dir -r requirements.txt; \\
    apt-mark auto '.*' > /dev/null; \\
    apt-mark manual $savedAptMark; \\
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\
    rm -rf /var/lib/apt/lists/*`),
    },
    {
      name: 'an Alpine virtual package deleted in the same RUN',
      text: `FROM python:3.12-alpine3.20
COPY requirements.txt .
RUN apk add --no-cache --virtual .build-deps gcc musl-dev postgresql-dev \\
    && pip install --no-cache-dir -r requirements.txt \\
    && apk del .build-deps
CMD ["python", "-m", "app"]
`,
    },
    { name: 'installed but never used to build (a runtime need)', text: flaskApi('RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\nRUN echo ready') },
    {
      name: 'a multi-stage build: the toolchain stays in the builder',
      text: `FROM python:3.12-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM python:3.12-slim-bookworm
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
CMD ["python", "-m", "app"]
`,
    },
    { name: 'npm ci --omit=dev', text: nodeService('RUN npm ci --omit=dev\nCOPY dist ./dist') },
    { name: 'devDependencies pruned after the build', text: nodeService('COPY . .\nRUN npm ci && npm run build && npm prune --omit=dev') },
    { name: 'NODE_ENV=production before the install', text: nodeService('COPY . .\nRUN npm ci && npm run build', 'ENV NODE_ENV=production\n') },
    { name: 'a development Dockerfile', text: flaskApi('RUN apt-get update && apt-get install -y build-essential\nRUN pip install --no-cache-dir -r requirements.txt'), fileName: 'Dockerfile.dev' },
  ],
  invalid: [
    {
      name: 'build-essential installed to build wheels in the only stage',
      text: flaskApi(`RUN apt-get update \\
    && apt-get install -y --no-install-recommends build-essential libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt`),
      findings: [
        {
          line: 5,
          column: 51,
          endColumn: 66,
          message: '`build-essential` is installed in the final image to build in it (`pip install --no-cache-dir -r requirements.txt` on line 7): the toolchain and the build\'s leftovers ship to every node with each new image. Use a multi-stage build',
        },
      ],
    },
    {
      name: 'removed in a later RUN: still in the earlier layer',
      text: flaskApi(`RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ make && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
RUN apt-get purge -y gcc g++ make`),
      findings: [{ line: 4, column: 66, message: '`gcc`, `g++` and `make` are installed' }],
    },
    {
      name: 'a compiler built into the final stage of a multi-stage build',
      text: `FROM golang:1.22.5-bookworm AS tools
RUN go install github.com/grpc-ecosystem/grpc-health-probe@v0.4.28

FROM debian:bookworm-20240701-slim
COPY --from=tools /go/bin/grpc-health-probe /usr/local/bin/
RUN apt-get update && apt-get install -y --no-install-recommends gcc-12 make && rm -rf /var/lib/apt/lists/*
COPY src /src
RUN make -C /src install
CMD ["/usr/local/bin/server"]
`,
      findings: [{ line: 6, column: 66, message: '(`make -C /src install` on line 8): the toolchain and the build\'s leftovers ship to every node with each new image. Move the build to a builder stage' }],
    },
    {
      name: 'a dnf group',
      text: `FROM rockylinux:9.3
RUN dnf groupinstall -y "Development Tools" && dnf clean all
COPY . /src
RUN cd /src && ./configure && make install
CMD ["/usr/local/bin/server"]
`,
      findings: [{ line: 2, column: 25, message: '`Development Tools` is installed in the final image to build in it (`./configure` on line 4)' }],
    },
    {
      name: 'devDependencies kept after npm run build',
      text: nodeService('COPY . .\nRUN npm ci\nRUN npm run build'),
      findings: [{ line: 5, column: 5, endColumn: 11, message: '`npm ci` installs the devDependencies too, to run `npm run build` on line 6, and they stay in node_modules of the final image' }],
    },
  ],
});
