import { runRuleTests } from './harness';

/** A Node.js service that copies the whole build context. */
const nodeService = `FROM node:20.15.1-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
`;

/** A Go service: the builder copies everything, the final stage only the binary. */
const goService = `FROM golang:1.22.5-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/orders ./cmd/orders

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/orders /orders
ENTRYPOINT ["/orders"]
`;

const NOTHING_BESIDE = { existingFiles: [] };

runRuleTests('dockerfile-missing-dockerignore', {
  fileName: 'Dockerfile',
  buildContext: NOTHING_BESIDE,
  valid: [
    { name: 'a .dockerignore beside the Dockerfile', text: nodeService, buildContext: { existingFiles: ['.dockerignore'] } },
    { name: 'a Dockerfile-specific ignore file', text: nodeService, fileName: 'deploy/Dockerfile.prod', buildContext: { existingFiles: ['Dockerfile.prod.dockerignore'] } },
    { name: 'only named files are copied', text: nodeService.replace('COPY . .', 'COPY server.js lib/ ./') },
    { name: 'the whole context copied in a builder stage only', text: goService },
    { name: 'copied from another stage', text: 'FROM alpine:3.20\nCOPY --from=assets . /srv/\nCMD ["ls", "/srv"]\n' },
  ],
  invalid: [
    {
      name: 'COPY . . with nothing beside the Dockerfile: the fix creates a .dockerignore',
      text: nodeService,
      findings: [{ line: 5, column: 6, endColumn: 7, message: '`COPY .` copies the whole build context into the final image, and there is no .dockerignore beside this Dockerfile' }],
      output: nodeService,
      createdFiles: {
        '.dockerignore': `# Created by Podstart (dockerfile-missing-dockerignore): what the image does not need stays out of
# the build context. Review it: nothing the Dockerfile copies may be listed here.

# Version control: changes with every commit, and the build does not read it.
.git

# Dependencies the image installs itself.
**/node_modules

# Local files that do not belong in an image.
**/*.log
.env
**/.DS_Store

# The build files themselves (docker build still reads them).
Dockerfile*
*.dockerfile
.dockerignore
`,
      },
    },
    {
      name: 'the entries follow what the build does: git kept, a copied .env kept, Python caches out',
      text: `FROM python:3.12-slim-bookworm
WORKDIR /app
COPY .env ./
COPY . .
RUN git rev-parse HEAD > /app/REVISION && pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
`,
      findings: [{ line: 4, column: 6 }],
      output: `FROM python:3.12-slim-bookworm
WORKDIR /app
COPY .env ./
COPY . .
RUN git rev-parse HEAD > /app/REVISION && pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
`,
      createdFiles: {
        '.dockerignore': `# Created by Podstart (dockerfile-missing-dockerignore): what the image does not need stays out of
# the build context. Review it: nothing the Dockerfile copies may be listed here.

# Python caches and virtual environments.
**/__pycache__
**/*.py[cod]
.venv

# Local files that do not belong in an image.
**/*.log
**/.DS_Store

# The build files themselves (docker build still reads them).
Dockerfile*
*.dockerfile
.dockerignore
`,
      },
    },
    {
      name: 'ADD . and the exec form; the fix comes with the first finding only',
      text: 'FROM nginx:1.27.0-alpine3.19\nADD . /usr/share/nginx/html/\nCOPY ["./", "/srv/"]\n',
      findings: [{ line: 2, column: 5, message: '`ADD .`' }, { line: 3, column: 7, endColumn: 11 }],
    },
    {
      name: 'an ignore file for another Dockerfile does not apply',
      text: nodeService,
      buildContext: { existingFiles: ['Dockerfile.dev.dockerignore'] },
      findings: [{ line: 5, column: 6 }],
    },
  ],
});

// Without facts about the folder (standard input, an unsaved editor), the rule says nothing.
runRuleTests('dockerfile-missing-dockerignore', {
  fileName: 'Dockerfile',
  valid: [{ name: 'nobody looked beside the Dockerfile', text: nodeService }],
  invalid: [],
});
