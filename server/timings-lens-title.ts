/**
 * The startup lens's title: the figures a user reads above a workload, or in a few words why there
 * are none. The only place these words are made; the waterfall's header shows the same title.
 *
 *   Startup p50 4.1 s · p95 12.8 s · pull 62% · 14 pods · ctx prod
 *   Startup to Running p50 15.0 s · p95 16.0 s · pull 72% · 2 pods · ctx batch
 *   Startup: forbidden by RBAC (pods in shop)
 */
import { formatDuration } from '../cli/timings-format';
import type { TimingsView } from './timings-view';

const SEPARATOR = ' · ';
/** Lenses share a line with their neighbours: a detail longer than this is cut. */
const MAX_DETAIL = 60;

function cut(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return oneLine.length <= MAX_DETAIL ? oneLine : `${oneLine.slice(0, MAX_DETAIL - 1)}…`;
}

/** `6h`, `30m`, `2d`: a window as people write one. */
export function formatWindow(ms: number): string {
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return formatDuration(ms).replace(/ /g, '');
}

/** The transport error's code (`ECONNREFUSED`) or the gist of the message. */
function unreachableDetail(reason: string | undefined): string {
  if (!reason) return 'no answer';
  if (/did not answer/.test(reason)) return 'timed out';
  const code = /: ([A-Z][A-Z_]+)\.?$/.exec(reason.trim());
  return code ? code[1] : cut(reason);
}

function contextPart(view: TimingsView): string {
  if (!view.context) return view.source === 'snapshot' ? 'snapshot' : '';
  return view.source === 'snapshot' ? `ctx ${view.context} (snapshot)` : `ctx ${view.context}`;
}

function problemTitle(view: TimingsView): string {
  const { workload, reason } = view;
  switch (view.problem) {
    case 'disabled':
      return 'Startup: timings are off (podstart.timings.enabled)';
    case 'untrusted':
      return 'Startup: workspace not trusted';
    case 'kubeconfig':
      return `Startup: no cluster (${cut(reason ?? 'no kubeconfig')})`;
    case 'snapshot':
      return `Startup: snapshot unreadable (${cut(reason ?? 'unknown error')})`;
    case 'unreachable':
      return `Startup: cluster unreachable (${unreachableDetail(reason)})`;
    case 'unauthorized':
      return `Startup: credentials refused${view.context ? ` (ctx ${view.context})` : ''}`;
    case 'forbidden':
      return `Startup: forbidden by RBAC (pods in ${workload.namespace})`;
    case 'not-found':
      return `Startup: no ${workload.kind} ${workload.namespace}/${workload.name} in the cluster`;
    case 'no-pods':
      return view.windowMs !== undefined ? `Startup: no pods in the last ${formatWindow(view.windowMs)}` : 'Startup: no pods yet';
    default:
      return `Startup: cannot read the cluster (${cut(reason ?? 'unknown error')})`;
  }
}

export function startupLensTitle(view: TimingsView): string {
  if (view.loading) return `Startup: reading the cluster…${view.context ? ` (ctx ${view.context})` : ''}`;
  const summary = view.timings?.summary;
  if (view.problem || !summary) return problemTitle(view.problem ? view : { ...view, problem: 'no-pods' });
  const milestone = summary.milestone === 'ready' ? 'Ready' : 'Running';
  const parts: string[] = [];
  const notReached = summary.podCount - summary.reached;
  if (summary.reached === 0) {
    parts.push(`Startup: ${summary.podCount} pod${summary.podCount === 1 ? '' : 's'}, none ${milestone} yet`);
  } else {
    const head = summary.milestone === 'ready' ? 'Startup' : 'Startup to Running';
    parts.push(`${head} p50 ${formatDuration(summary.timeToMilestone.p50Ms)}`, `p95 ${formatDuration(summary.timeToMilestone.p95Ms)}`);
    const dominant = summary.dominantPhase;
    if (dominant && summary.phaseShare[dominant] !== undefined) parts.push(`${dominant} ${Math.round(summary.phaseShare[dominant]! * 100)}%`);
    parts.push(`${summary.podCount} pod${summary.podCount === 1 ? '' : 's'}${notReached > 0 ? ` (${notReached} not ${milestone})` : ''}`);
  }
  const context = contextPart(view);
  if (context) parts.push(context);
  return parts.join(SEPARATOR);
}
