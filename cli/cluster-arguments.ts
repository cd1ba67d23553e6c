/**
 * The command lines of `podstart capture` and `podstart timings`. Kept apart from the commands
 * themselves (cli/cluster-commands.ts), which load the Kubernetes client: `podstart check` parses
 * every command line but never pays for loading it.
 */
import { parseGoDuration } from '../core/kubelet/go-duration';
import { split, UsageError } from './arguments';

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
  namespaces: string[];
}

export interface CaptureCommand {
  name: 'capture';
  cluster: ClusterOptions;
  output?: string;
  nodeDetails: boolean;
}

export interface TimingsCommand {
  name: 'timings';
  cluster: ClusterOptions;
  paths: string[];
  snapshot?: string;
  windowMs?: number;
  format: 'table' | 'json';
  /** Also read the kubelets of the nodes that run the pods (live only; a snapshot has what capture read). */
  nodeDetails: boolean;
}

const CLUSTER_OPTION_NAMES = new Set(['--kubeconfig', '--context', '--namespace', '-n']);

function clusterOption(cluster: ClusterOptions, name: string, value: string): boolean {
  if (name === '--kubeconfig') cluster.kubeconfig = value;
  else if (name === '--context') cluster.context = value;
  else if (name === '--namespace' || name === '-n') cluster.namespaces.push(value);
  else return false;
  return true;
}

export function parseCapture(argv: readonly string[]): CaptureCommand {
  const { positionals, options } = split(argv, (name) => (CLUSTER_OPTION_NAMES.has(name) || name === '--output' || name === '-o' ? true : name === '--node-details' ? false : undefined));
  if (positionals.length > 0) throw new UsageError(`podstart capture takes no paths (got "${positionals[0]}"); name namespaces with --namespace.`);
  const command: CaptureCommand = { name: 'capture', cluster: { namespaces: [] }, nodeDetails: false };
  for (const { name, value } of options) {
    if (clusterOption(command.cluster, name, value ?? '')) continue;
    if (name === '--output' || name === '-o') command.output = value;
    if (name === '--node-details') command.nodeDetails = true;
  }
  return command;
}

export function parseTimings(argv: readonly string[]): TimingsCommand {
  const { positionals, options } = split(argv, (name) => (CLUSTER_OPTION_NAMES.has(name) || ['--snapshot', '--window', '--format'].includes(name) ? true : name === '--node-details' ? false : undefined));
  const command: TimingsCommand = { name: 'timings', cluster: { namespaces: [] }, paths: positionals, format: 'table', nodeDetails: false };
  for (const { name, value = '' } of options) {
    if (clusterOption(command.cluster, name, value)) continue;
    if (name === '--snapshot') command.snapshot = value;
    if (name === '--node-details') command.nodeDetails = true;
    if (name === '--format') {
      if (value !== 'table' && value !== 'json') throw new UsageError(`--format must be table or json (got "${value}").`);
      command.format = value;
    }
    if (name === '--window') {
      const nanoseconds = parseGoDuration(value);
      if (nanoseconds === undefined || nanoseconds <= 0) throw new UsageError(`--window takes a duration such as 30m, 6h or 24h (got "${value}").`);
      command.windowMs = nanoseconds / 1e6;
    }
  }
  if (command.snapshot && (command.cluster.kubeconfig || command.cluster.context)) throw new UsageError('--snapshot reads a file: it takes no --kubeconfig or --context.');
  if (command.snapshot && command.nodeDetails) throw new UsageError('--node-details reads the cluster: a snapshot has the kubelet details that podstart capture --node-details read.');
  return command;
}
