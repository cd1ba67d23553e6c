/** The help texts of `podstart --help`, `podstart check --help` and `podstart rules --help` (`podstart generate --help`: cli/generate-usage.ts). */
import type { HelpTopic } from './arguments';
import { generateUsage } from './generate-usage';
import { TOOL_NAME, TOOL_VERSION } from './project-info';

const CHECK_USAGE = `Usage: podstart check [paths...] [options]

Checks Kubernetes manifests and Dockerfiles for what slows pod startup. Folders are searched
recursively for *.yaml and *.yml files and for Dockerfiles (Dockerfile, Containerfile, *.dockerfile,
Dockerfile.*; node_modules and .git are skipped); \`-\` reads standard input (--stdin-filename
Dockerfile reads it as a Dockerfile). Without paths, the current folder is checked. Each file
follows the nearest .podstart.yaml above it.

Options:
  --format text|json|sarif    Output format (default: text)
  --fail-on LEVEL             Exit 1 when a finding is at or above LEVEL:
                              error, warning (default), info, hint, or never
  --fix                       Apply the safe fixes in place, then report what remains
  --config FILE               Use FILE for every file instead of the nearest .podstart.yaml
  --kubernetes-version X.Y    The Kubernetes release your clusters run (overrides the config)
  --rule ID=SEVERITY          Set a rule's severity: error, warning, info, hint or off
                              (repeatable; overrides the config)
  --max-file-size BYTES       Skip the analysis of larger files (default 5242880)
  --stdin-filename PATH       Name of the standard input's content (config lookup, display)
  --registry                  Look up the checked files' images in their registries: sizes for
                              large-image and dockerfile-large-base-image, digests to pin.
                              Sends image names to those registries, with the credentials in
                              $DOCKER_CONFIG/config.json or ~/.docker/config.json
  --platform OS/ARCH[/VAR]    The nodes' platform, for multi-platform images (default linux/amd64)
  --registry-timeout SECONDS  Time for each image's lookup (default 10)
  --insecure-registry HOST    Allow plain http to HOST[:PORT] (repeatable; loopback always may)
  --no-registry-cache         Neither read nor write the answers kept in $XDG_CACHE_HOME/podstart
                              (or ~/.cache/podstart) for an hour per tag
  --quiet                     Report only the findings that fail the run (at or above
                              --fail-on; errors only with --fail-on never)
  --no-color                  No colours (also off when stdout is not a terminal or NO_COLOR is set)
  -h, --help                  Show this help
  --version                   Show the version

Exit codes: 0 no finding reaches --fail-on, 1 some finding does,
            2 usage, configuration or I/O error (reported after every readable file is checked).
            A registry that cannot answer is a warning, never a failure of the run.
`;

const RULES_USAGE = `Usage: podstart rules [--format text|json]

Lists the rules: id, startup stage, default severity, whether they have a fix, and what they find.
`;

const CLUSTER_OPTIONS = `  --kubeconfig FILE           The kubeconfig (default: $KUBECONFIG, then ~/.kube/config)
  --context NAME              The kubeconfig context (default: its current context)
  -n, --namespace NS          A namespace (repeatable; default: the context's namespace)`;

const CAPTURE_USAGE = `Usage: podstart capture [--namespace NS]... [options]

Reads a namespace's pods, events, owners (ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs,
CronJobs) and the nodes, and writes them as a snapshot that \`podstart timings --snapshot\` and the
editor read instead of a live cluster. Sends only GET requests: eight lists per namespace and one for
the nodes, whatever the number of pods. What RBAC forbids is left out with a warning.

Options:
${CLUSTER_OPTIONS}
  -o, --output FILE           Write the snapshot to FILE (default: standard output)
  --node-details              Also read each node's live kubelet configuration and metrics through
                              the API server's node proxy (needs get on nodes/proxy)
`;

const TIMINGS_USAGE = `Usage: podstart timings [paths...] [options]

Shows how long the workloads of the manifests really take to start in the cluster: for each
Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod, its pods' p50 and p95 time from creation to
Ready (to Running for Jobs), the kubelet's startup SLI, and the share of each phase (schedule, image
pull, init containers, start, readiness). Folders are searched as \`podstart check\` does.

Options:
${CLUSTER_OPTIONS}
  --snapshot FILE             Read a snapshot written by \`podstart capture\` instead of the cluster
  --window DURATION           Only pods created within DURATION before now (30m, 6h, 24h)
  --format table|json         Output format (default: table)
  --node-details              Also read the live kubelet configuration and metrics of the nodes that
                              run the pods, through the API server's node proxy (needs get on
                              nodes/proxy): which nodes pull images one at a time, the kubelets' own
                              startup and pull figures

Under the table, each workload gets what the cluster says beyond its pods: images missing on most
schedulable Ready nodes (node status), with their size and pull time at 100 Mbit/s, and with
--node-details (or a snapshot that has them) the kubelet facts.
`;

const MAIN_USAGE = `${TOOL_NAME} ${TOOL_VERSION}: find what slows Kubernetes pod startup.

Usage:
  podstart check [paths...] [options]   Check manifests and Dockerfiles (podstart check --help for options)
  podstart generate <generator> [paths...] [options]
                                        Write a pre-puller, an ImageCache, a node pre-pull script or a
                                        KubeletConfiguration from the manifests (podstart generate --help)
  podstart timings [paths...] [options] Startup timings of the manifests' workloads in a cluster
  podstart capture [options]            Write a snapshot of a namespace for offline timings
  podstart rules [--format text|json]   List the rules
  podstart --help | --version
`;

export function usage(topic?: HelpTopic, generator?: string): string {
  if (topic === 'check') return CHECK_USAGE;
  if (topic === 'generate') return generateUsage(generator);
  if (topic === 'rules') return RULES_USAGE;
  if (topic === 'capture') return CAPTURE_USAGE;
  if (topic === 'timings') return TIMINGS_USAGE;
  return MAIN_USAGE;
}
