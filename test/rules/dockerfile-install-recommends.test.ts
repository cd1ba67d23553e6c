import { runRuleTests } from './harness';

/** A worker on Debian slim whose system packages are installed by the RUN given. */
const worker = (run: string, before = '') => `FROM python:3.12-slim-bookworm
${before}${run}
WORKDIR /app
COPY . .
CMD ["python", "-m", "worker"]
`;

runRuleTests('dockerfile-install-recommends', {
  fileName: 'Dockerfile',
  valid: [
    { name: 'with --no-install-recommends', text: worker('RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*') },
    { name: 'with the flag before the action', text: worker('RUN apt-get update && apt-get -y --no-install-recommends install libpq5 && rm -rf /var/lib/apt/lists/*') },
    { name: 'with the option on the command line', text: worker('RUN apt-get update && apt-get install -y -o APT::Install-Recommends=false libpq5 && rm -rf /var/lib/apt/lists/*') },
    {
      name: 'recommends turned off in apt.conf.d by an earlier RUN',
      text: worker('RUN apt-get update && apt-get install -y libpq5 && rm -rf /var/lib/apt/lists/*', `RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends\n`),
    },
    { name: 'aptitude --without-recommends', text: worker('RUN aptitude install -y --without-recommends libpq5') },
    { name: 'a simulated install (-s) installs nothing', text: worker('RUN if apt-get install -s libpq5 > /dev/null 2>&1; then echo ok; fi') },
    {
      name: 'a builder stage',
      text: `FROM debian:bookworm-20240701 AS build
RUN apt-get update && apt-get install -y build-essential
RUN make

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/app /app
ENTRYPOINT ["/app"]
`,
    },
    { name: 'a development Dockerfile', text: worker('RUN apt-get update && apt-get install -y libpq5'), fileName: 'Dockerfile.dev' },
  ],
  invalid: [
    {
      name: 'apt-get install without the flag: the fix adds it after install',
      text: worker(`RUN apt-get update \\
    && apt-get install -y libpq5 curl \\
    && rm -rf /var/lib/apt/lists/*`),
      findings: [{ line: 3, column: 8, endColumn: 23, message: '`apt-get install` without `--no-install-recommends` also installs every package that those named recommend' }],
      output: worker(`RUN apt-get update \\
    && apt-get install --no-install-recommends -y libpq5 curl \\
    && rm -rf /var/lib/apt/lists/*`),
    },
    {
      name: 'apt install with an environment variable in front',
      text: worker('RUN apt update && DEBIAN_FRONTEND=noninteractive apt install -y git && rm -rf /var/lib/apt/lists/*'),
      findings: [{ line: 2, column: 50, endColumn: 61, message: '`apt install`' }],
      output: worker('RUN apt update && DEBIAN_FRONTEND=noninteractive apt install --no-install-recommends -y git && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'each install of a RUN',
      text: worker('RUN apt-get update && apt-get install -y libpq5 && apt-get install -y --no-install-recommends curl && apt-get install -y git && rm -rf /var/lib/apt/lists/*'),
      findings: [{ line: 2, column: 23 }, { line: 2, column: 103 }],
      output: worker('RUN apt-get update && apt-get install --no-install-recommends -y libpq5 && apt-get install -y --no-install-recommends curl && apt-get install --no-install-recommends -y git && rm -rf /var/lib/apt/lists/*'),
    },
    {
      name: 'aptitude gets its own flag',
      text: worker('RUN aptitude install -y libpq5'),
      findings: [{ line: 2, column: 5, message: '`aptitude install` without `--without-recommends`' }],
      output: worker('RUN aptitude install --without-recommends -y libpq5'),
    },
  ],
});
