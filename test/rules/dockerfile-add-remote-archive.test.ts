import { runRuleTests } from './harness';

const NODE_EXPORTER = 'https://github.com/prometheus/node_exporter/releases/download/v1.8.1/node_exporter-1.8.1.linux-amd64.tar.gz';

/** An exporter image on Debian slim that gets its binary as given. */
const exporter = (install: string) => `FROM debian:bookworm-20240701-slim
${install}
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/node_exporter"]
`;

runRuleTests('dockerfile-add-remote-archive', {
  fileName: 'Dockerfile',
  valid: [
    {
      name: 'downloaded, checked, unpacked and deleted in one RUN',
      text: exporter(`RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* \\
    && curl -fsSL -o /tmp/ne.tar.gz ${NODE_EXPORTER} \\
    && echo "441dd5f1c4b5a3f5ca4bc8b61f3a4dbe3e73fd2ec1b0a6e0e1c5a5f0c1f5a0c8  /tmp/ne.tar.gz" | sha256sum -c - \\
    && tar -xzf /tmp/ne.tar.gz -C /usr/local/bin --strip-components=1 \\
    && rm /tmp/ne.tar.gz`),
    },
    { name: 'a remote binary that is used as it is', text: exporter('ADD --chmod=755 https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini') },
    { name: 'a remote archive nobody unpacks (the application reads it)', text: exporter('ADD https://example.com/models/labels-v3.tar.gz /srv/labels.tar.gz') },
    { name: 'a local archive, which ADD unpacks itself', text: exporter('ADD node_exporter-1.8.1.linux-amd64.tar.gz /opt/') },
    // Only the unpack flag keeps this quiet: the RUN names the archive with tar.
    { name: 'ADD --unpack=true', text: exporter(`ADD --unpack=true ${NODE_EXPORTER} /opt/\nRUN tar -tzf /opt/node_exporter-1.8.1.linux-amd64.tar.gz || true`) },
    {
      name: 'in a builder stage',
      text: `FROM debian:bookworm-20240701-slim AS fetch
ADD ${NODE_EXPORTER} /tmp/
RUN tar -xzf /tmp/node_exporter-1.8.1.linux-amd64.tar.gz -C /opt

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=fetch /opt/node_exporter-1.8.1.linux-amd64/node_exporter /node_exporter
ENTRYPOINT ["/node_exporter"]
`,
    },
  ],
  invalid: [
    {
      name: 'a tarball added, then unpacked by name in a later RUN',
      text: exporter(`ADD ${NODE_EXPORTER} /tmp/
RUN tar -xzf /tmp/node_exporter-1.8.1.linux-amd64.tar.gz -C /usr/local/bin --strip-components=1 \\
    && rm /tmp/node_exporter-1.8.1.linux-amd64.tar.gz`),
      findings: [
        {
          line: 2,
          column: 5,
          endColumn: 5 + NODE_EXPORTER.length,
          message: 'ADD does not unpack a remote archive: `node_exporter-1.8.1.linux-amd64.tar.gz` is a layer of its own, and the RUN on line 3 that unpacks it cannot take it out of that layer',
        },
      ],
    },
    {
      name: 'a package renamed by the destination, then installed',
      text: exporter('ADD https://packages.example.com/debian/agent_2.4.1_amd64.deb /tmp/agent.deb\nRUN dpkg -i /tmp/agent.deb && rm /tmp/agent.deb'),
      findings: [{ line: 2, column: 5, message: '`agent_2.4.1_amd64.deb` is a layer of its own, and the RUN on line 3' }],
    },
  ],
});
