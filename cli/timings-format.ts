/**
 * `podstart timings` output: one row per workload with its p50/p95 time to Ready (to Running for
 * Jobs), the kubelet SLI, the share of each startup phase, and why a row is empty; or the same as
 * JSON. Durations print as people read them (850 ms, 4.1 s, 2 min 5 s). Under the table, a few lines
 * per workload say what the cluster knows beyond its pods (core/cluster/cluster-facts-text.ts); the
 * JSON gives the same facts as data in each workload's `cluster`.
 */
import { describeClusterFacts } from '../core/cluster/cluster-facts-text';
import type { WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import { PHASES } from '../core/timings/pod-timeline';
import type { WorkloadTimings } from '../core/timings/workload-timings';

/** What the cluster says beyond each row's pods (core/cluster/workload-cluster-facts.ts), in the rows' order. */
export interface ClusterFactsForRows {
  facts: ReadonlyArray<WorkloadClusterFacts | undefined>;
  /** Whether the kubelets were read; when not, the table ends with how to read them. */
  kubeletsRead: boolean;
  /** How the user asks for kubelet reads (`--node-details`), for that hint; undefined when it cannot be asked. */
  nodeDetailsHint?: string;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

export function formatTimingsTable(rows: readonly WorkloadTimings[], context: string, cluster?: ClusterFactsForRows): string {
  const header = ['WORKLOAD', 'PODS', 'P50', 'P95', 'SLI P50', ...PHASES.map((phase) => phase.toUpperCase()), 'NOTE'];
  const lines = rows.map(({ workload, summary, reason }) => {
    const name = `${workload.kind} ${workload.namespace}/${workload.name}`;
    if (!summary) return [name, '0', '-', '-', '-', ...PHASES.map(() => '-'), reason ?? ''];
    const shares = PHASES.map((phase) => (summary.phaseSharePods > 0 && summary.phaseShare[phase] !== undefined ? `${Math.round(summary.phaseShare[phase]! * 100)}%` : '-'));
    const notes = [
      summary.reached < summary.podCount ? `${summary.podCount - summary.reached} not ${summary.milestone === 'ready' ? 'Ready' : 'running'}` : '',
      summary.milestone === 'running' ? 'to Running' : '',
      summary.flags.pullUnknown > 0 ? `${summary.flags.pullUnknown} without pull events` : '',
      reason ?? '',
    ].filter(Boolean);
    return [name, String(summary.podCount), formatDuration(summary.timeToMilestone.p50Ms), formatDuration(summary.timeToMilestone.p95Ms), formatDuration(summary.sli.p50Ms), ...shares, notes.join('; ')];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const render = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd();
  return [`Startup timings from ${context}`, render(header), ...lines.map(render), ...clusterFactLines(rows, cluster)].join('\n') + '\n';
}

/** A few lines per workload under the table: "Deployment shop/web:" then its facts, indented. */
function clusterFactLines(rows: readonly WorkloadTimings[], cluster: ClusterFactsForRows | undefined): string[] {
  if (!cluster) return [];
  const lines: string[] = [];
  rows.forEach(({ workload }, index) => {
    const facts = cluster.facts[index];
    const sentences = facts ? describeClusterFacts(facts) : [];
    if (sentences.length === 0) return;
    lines.push(`${workload.kind} ${workload.namespace}/${workload.name}:`, ...sentences.map((sentence) => `  ${sentence}`));
  });
  if (!cluster.kubeletsRead && cluster.nodeDetailsHint) lines.push(`Kubelet pull settings and metrics were not read: ${cluster.nodeDetailsHint}.`);
  return lines.length > 0 ? ['', ...lines] : [];
}

/** The rows as JSON: the summaries and each pod's phases (not the raw objects). */
export function formatTimingsJson(rows: readonly WorkloadTimings[], source: { context: string; capturedAt: string }, cluster?: ClusterFactsForRows): string {
  return (
    JSON.stringify(
      {
        context: source.context,
        capturedAt: source.capturedAt,
        workloads: rows.map(({ workload, live, summary, reason, pods }, index) => ({
          ...workload,
          live,
          reason,
          summary,
          pods: pods.map((pod) => ({ name: pod.name, node: pod.nodeName, state: pod.state, phases: pod.phases, timeToReadyMs: pod.timeToReadyMs, timeToRunningMs: pod.timeToRunningMs, sliMs: pod.sli.included ? pod.sli.valueMs : undefined, restarts: pod.restarts })),
          cluster: cluster?.facts[index],
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
