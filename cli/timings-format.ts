/**
 * `podstart timings` output: one row per workload with its p50/p95 time to Ready (to Running for
 * Jobs), the kubelet SLI, the share of each startup phase, and why a row is empty; or the same as
 * JSON. Durations print as people read them (850 ms, 4.1 s, 2 min 5 s).
 */
import { PHASES } from '../core/timings/pod-timeline';
import type { WorkloadTimings } from '../core/timings/workload-timings';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

export function formatTimingsTable(rows: readonly WorkloadTimings[], context: string): string {
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
  return [`Startup timings from ${context}`, render(header), ...lines.map(render)].join('\n') + '\n';
}

/** The rows as JSON: the summaries and each pod's phases (not the raw objects). */
export function formatTimingsJson(rows: readonly WorkloadTimings[], source: { context: string; capturedAt: string }): string {
  return (
    JSON.stringify(
      {
        context: source.context,
        capturedAt: source.capturedAt,
        workloads: rows.map(({ workload, live, summary, reason, pods }) => ({
          ...workload,
          live,
          reason,
          summary,
          pods: pods.map((pod) => ({ name: pod.name, node: pod.nodeName, state: pod.state, phases: pod.phases, timeToReadyMs: pod.timeToReadyMs, timeToRunningMs: pod.timeToRunningMs, sliMs: pod.sli.included ? pod.sli.valueMs : undefined, restarts: pod.restarts })),
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
