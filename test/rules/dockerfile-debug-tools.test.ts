import { runRuleTests } from './harness';

/** A web service on Debian slim whose system packages are installed by the RUN given. */
const service = (run: string, tail = 'CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]\n') => `FROM python:3.12-slim-bookworm
${run}
WORKDIR /app
COPY . .
${tail}`;

const aptInstall = (packages: string) => `RUN apt-get update \\
    && apt-get install -y --no-install-recommends ${packages} \\
    && rm -rf /var/lib/apt/lists/*`;

runRuleTests('dockerfile-debug-tools', {
  fileName: 'Dockerfile',
  valid: [
    { name: 'runtime libraries only', text: service(aptInstall('libpq5 ca-certificates')) },
    { name: 'curl, used by health checks, is not a debug tool by default', text: service(aptInstall('curl'), 'HEALTHCHECK CMD curl -fsS http://localhost:8080/healthz || exit 1\nCMD ["gunicorn", "app:app"]\n') },
    { name: 'procps and less are not reported by default', text: service(aptInstall('procps less')) },
    { name: 'DNS tools, which wait loops use, are not reported by default', text: service(aptInstall('dnsutils')) },
    { name: 'a tool the health check runs', text: service(aptInstall('iputils-ping'), 'HEALTHCHECK CMD ping -c 1 db || exit 1\nCMD ["gunicorn", "app:app"]\n') },
    { name: 'a tool the entrypoint runs', text: service(aptInstall('tcpdump'), 'ENTRYPOINT ["tcpdump", "-i", "any"]\n') },
    { name: 'a tool a later RUN uses', text: service(`${aptInstall('net-tools')}\nRUN netstat -tln > /etc/ports.txt`) },
    { name: 'removed again in the same RUN', text: service('RUN apt-get update && apt-get install -y --no-install-recommends strace && strace -c true && apt-get purge -y strace && rm -rf /var/lib/apt/lists/*') },
    {
      name: 'only in a builder stage',
      text: `FROM golang:1.22.5-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gdb && rm -rf /var/lib/apt/lists/*
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/base-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
    },
    { name: 'a debug image by name', text: service(aptInstall('gdb strace')), fileName: 'debug.Dockerfile' },
  ],
  invalid: [
    {
      name: 'debuggers and editors in the final image',
      text: service(aptInstall('libpq5 vim strace gdb')),
      findings: [{ line: 3, column: 58, endColumn: 61, message: '`vim`, `strace` and `gdb` are tools for interactive debugging, installed in the final image' }],
    },
    {
      name: 'network tools on Alpine, one install per command',
      text: `FROM alpine:3.20
RUN apk add --no-cache ca-certificates && apk add --no-cache tcpdump bind-tools
COPY orders /usr/local/bin/orders
ENTRYPOINT ["orders"]
`,
      findings: [{ line: 2, column: 62, message: '`kubectl debug -it <pod> --image=<toolbox image> --target=<container>`' }],
    },
    {
      name: 'a package removed in a later RUN still ships in the earlier layer',
      text: service(`${aptInstall('telnet')}\nRUN apt-get purge -y telnet`),
      findings: [{ line: 3, column: 51, message: '`telnet` is a tool for interactive debugging' }],
    },
    {
      name: 'a tool list of your own',
      text: service(aptInstall('procps')),
      settings: { rules: { 'dockerfile-debug-tools': { options: { tools: ['procps'] } } } },
      findings: [{ line: 3, column: 51 }],
    },
  ],
});
