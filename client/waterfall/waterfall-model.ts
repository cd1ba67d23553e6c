/**
 * What the startup waterfall draws, computed from `podstart/timings` alone (no editor API, so it is
 * unit-tested): one bar per pod on a shared time axis from each pod's creation, split into its phases;
 * the pods that never reached the milestone first (unschedulable, never Ready: the ones a user came
 * for), then the others slowest first; and the distribution of the time to the milestone over the
 * window, a histogram on the same axis with the p50 and p95 marked. Positions are percentages of the
 * axis, so the chart stretches with the panel and its text keeps its size.
 */
import { formatDuration } from '../../cli/timings-format';
import { formatByteSize } from '../../core/registry/pull-estimate';
import type { TimingsImage, TimingsPhase, TimingsPod, TimingsResult, TimingsSegment } from '../../server/protocol';
import { formatWindow } from '../../server/timings-lens-title';

export type SegmentPhase = TimingsSegment['phase'];

export const PHASE_LABELS: Record<SegmentPhase, string> = {
  schedule: 'Schedule',
  pull: 'Image pull',
  init: 'Init containers',
  start: 'Start',
  ready: 'Ready',
  'pull-or-start': 'Pull or start',
};

/** What each phase is, for the legend's tooltips. */
export const PHASE_DESCRIPTIONS: Record<SegmentPhase, string> = {
  schedule: 'Created → scheduled to a node (PodScheduled)',
  pull: 'Image pulls, merged where they overlap, waiting for a pull slot included',
  init: 'Init containers running (failed attempts and back-off included)',
  start: 'Sandbox, network, volumes and container creation until every container started',
  ready: 'All containers started → Ready (readiness probes, the application warming up)',
  'pull-or-start': 'Pull or start: the image events have expired, so the two cannot be told apart',
};

const PHASE_ORDER: readonly SegmentPhase[] = ['schedule', 'pull', 'init', 'start', 'ready', 'pull-or-start'];

export interface WaterfallSegment {
  phase: SegmentPhase;
  /** Percent of the axis. */
  x: number;
  width: number;
  tooltip: string;
}

export interface WaterfallRow {
  pod: string;
  node?: string;
  /** Creation to the milestone, or what the pod is waiting for. */
  durationLabel: string;
  reached: boolean;
  /** For a pod that has not reached the milestone: where it is stuck, in words. */
  stateLabel?: string;
  /** The cluster's message about it (the scheduler's, for an unschedulable pod). */
  stateMessage?: string;
  segments: WaterfallSegment[];
  /** A pod still waiting: from what is known to the end of the axis (it goes on). */
  pending?: WaterfallSegment;
  /** Node, pulled images and their sizes, restarts. */
  details: string[];
}

export interface HistogramBin {
  fromMs: number;
  toMs: number;
  count: number;
  x: number;
  width: number;
  /** Percent of the tallest bin. */
  height: number;
  tooltip: string;
}

export interface AxisTick {
  ms: number;
  x: number;
  label: string;
}

export interface WaterfallModel {
  /** `Deployment shop/web`. */
  workload: string;
  /** Which pods the figures cover: `7 Ready pods`, `… created in the last 6h`. */
  coverage: string;
  /** The lens's title, word for word. */
  headline: string;
  milestone: 'Ready' | 'Running';
  /** Figures for the header: label and value. */
  stats: Array<{ label: string; value: string; tooltip?: string }>;
  /** Why there is nothing to draw, when there is not. */
  problem?: { message: string; detail?: string; hint?: string };
  /** Notes under the chart (pods without pull events, a reason the figures are incomplete). */
  notes: string[];
  /**
   * "Nodes and images", under the header: what the cluster says beyond the pods (images missing on
   * the nodes, kubelets pulling one at a time, their own figures, what could not be read), sentences
   * as `podstart timings` prints them; `hint` says how to get the kubelets' side when it was not read.
   */
  clusterFacts?: { sentences: string[]; hint?: string };
  legend: Array<{ phase: SegmentPhase; label: string; share?: string; description: string }>;
  axis: { maxMs: number; ticks: AxisTick[] };
  /** Not-reached pods first, then slowest first. */
  rows: WaterfallRow[];
  histogram?: { bins: HistogramBin[]; marks: Array<{ label: string; ms: number; x: number }>; maxCount: number };
}

export interface ModelOptions {
  /** The time the panel is drawn (for "captured 3 min ago"). */
  now?: number;
}

const PROBLEM_HINTS: Partial<Record<NonNullable<TimingsResult['problem']>, string>> = {
  untrusted: 'Podstart reads no kubeconfig and contacts no cluster for an untrusted workspace: a kubeconfig can run programs. Trust the workspace (Workspaces: Manage Workspace Trust) to see startup timings.',
  kubeconfig: 'Set podstart.kubeconfig or KUBECONFIG, or pick a context with "Podstart: Select Cluster Context".',
  unreachable: 'Check that the cluster is up and reachable from this machine (VPN, proxy), then run "Podstart: Refresh Startup Timings".',
  unauthorized: 'The credentials of this context were refused: log in again (your cloud CLI or kubectl), then refresh.',
  forbidden: 'Your user may not list pods in this namespace. Ask for a Role with get/list on pods and events, or set podstart.cluster.namespace.',
  'not-found': 'The manifest has not been applied to this cluster, or it lives in another namespace or context.',
  'no-pods': 'The object exists but has no pods now (scaled to zero, or outside podstart.timings.window).',
  snapshot: 'podstart.timings.snapshot names a file written by `podstart capture`.',
  disabled: 'Turn podstart.timings.enabled on.',
};

/** Round up to 1, 2 or 5 times a power of ten (in ms, at least 1 s). */
export function niceStep(roughMs: number): number {
  const rough = Math.max(roughMs, 1000);
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}

/** `10 s`, `1 min 30 s`: ticks fall on whole seconds, so no decimals. */
function tickLabel(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 60_000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return formatDuration(ms);
}

/** An axis from 0 past `maxMs`, with about five ticks at round values. */
export function timeAxis(maxMs: number): WaterfallModel['axis'] {
  const step = niceStep(Math.max(maxMs, 1000) / 5);
  const end = Math.max(step, Math.ceil(maxMs / step) * step);
  const ticks: AxisTick[] = [];
  for (let ms = 0; ms <= end + 1e-6; ms += step) ticks.push({ ms, x: round((ms / end) * 100), label: tickLabel(ms) });
  return { maxMs: end, ticks };
}

/** How long a pod has waited: minutes and seconds for the first hour, then hours, then days. */
export function formatAge(ms: number): string {
  if (ms < 3_600_000) return formatDuration(ms);
  if (ms < 172_800_000) {
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.floor((ms % 3_600_000) / 60_000);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(ms / 86_400_000)} d`;
}

/** Percent of the axis, to a ten-thousandth (finer than any screen, and free of float noise). */
function percent(ms: number, axisMs: number): number {
  return round(Math.min(100, Math.max(0, (ms / axisMs) * 100)));
}

function round(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}

function describeImage(image: TimingsImage | undefined): string {
  if (!image) return '';
  const size = image.sizeBytes !== undefined ? `, ${formatByteSize(image.sizeBytes)}` : '';
  const waited = image.waitingMs ? `, waited ${formatDuration(image.waitingMs)} for a pull slot` : '';
  return ` · ${image.container}: ${image.image ?? 'image'}${size}${waited}`;
}

function segmentTooltip(segment: TimingsSegment, pod: TimingsPod): string {
  const span = `${formatDuration(segment.endMs - segment.startMs)} (${formatDuration(segment.startMs)} → ${formatDuration(segment.endMs)})`;
  const image = segment.phase === 'pull' ? describeImage(pod.images.find((candidate) => candidate.container === segment.container)) : '';
  const container = segment.phase === 'init' && segment.container ? ` · init container ${segment.container}` : '';
  return `${PHASE_LABELS[segment.phase]}: ${span}${image}${container}`;
}

function podDetails(pod: TimingsPod): string[] {
  const details: string[] = [];
  const pulled = pod.images.filter((image) => image.status === 'pulled');
  const cached = pod.images.filter((image) => image.status === 'cached');
  if (pulled.length > 0) {
    const bytes = pulled.reduce((sum, image) => sum + (image.sizeBytes ?? 0), 0);
    details.push(`pulled ${pulled.length} image${pulled.length === 1 ? '' : 's'}${bytes > 0 ? ` (${formatByteSize(bytes)})` : ''}`);
  }
  if (cached.length > 0) details.push(`${cached.length} image${cached.length === 1 ? '' : 's'} cached`);
  if (pod.pullUnknown) details.push('pull events expired');
  if (pod.restarts > 0) details.push(`${pod.restarts} restart${pod.restarts === 1 ? '' : 's'}`);
  if (pod.clockSkewMs > 0) details.push(`node clock ${formatDuration(pod.clockSkewMs)} behind`);
  return details;
}

function stuckLabel(pod: TimingsPod, milestone: string): string {
  if (pod.state === 'failed') return 'Failed';
  if (pod.state === 'succeeded') return 'Succeeded';
  if (pod.stuckReason) return pod.stuckReason;
  switch (pod.stuckIn) {
    case 'schedule':
      return 'Not scheduled';
    case 'pull':
      return 'Pulling images';
    case 'init':
      return 'Running init containers';
    case 'start':
      return 'Starting';
    case 'ready':
      return `Running, not ${milestone}`;
    default:
      return `Not ${milestone}`;
  }
}

function rowOf(pod: TimingsPod, axisMs: number, milestone: string): WaterfallRow {
  const segments = pod.segments
    .filter((segment) => segment.endMs > segment.startMs)
    .map((segment): WaterfallSegment => ({ phase: segment.phase, x: percent(segment.startMs, axisMs), width: round(percent(segment.endMs, axisMs) - percent(segment.startMs, axisMs)), tooltip: segmentTooltip(segment, pod) }));
  const reached = pod.durationMs !== undefined;
  const row: WaterfallRow = {
    pod: pod.name,
    node: pod.node,
    reached,
    durationLabel: reached ? formatDuration(pod.durationMs) : stuckLabel(pod, milestone),
    segments,
    details: podDetails(pod),
  };
  if (!reached) {
    row.stateLabel = stuckLabel(pod, milestone);
    row.stateMessage = pod.stuckMessage;
    const knownEnd = Math.max(0, ...pod.segments.map((segment) => segment.endMs));
    if (pod.state !== 'failed' && pod.state !== 'succeeded' && pod.ageMs > knownEnd) {
      const x = percent(knownEnd, axisMs);
      row.pending = { phase: pod.stuckIn ?? 'start', x, width: round(100 - x), tooltip: `${row.stateLabel}: not ${milestone} ${formatAge(pod.ageMs)} after creation${pod.stuckIn ? `, waiting in ${PHASE_LABELS[pod.stuckIn].toLowerCase()}` : ''}` };
      row.durationLabel = `${formatAge(pod.ageMs)}+`;
    }
  }
  return row;
}

function histogramOf(durations: number[], axisMs: number, p50?: number, p95?: number): WaterfallModel['histogram'] {
  if (durations.length === 0) return undefined;
  const width = niceStep(axisMs / 12);
  const binCount = Math.max(1, Math.ceil(axisMs / width));
  const counts = new Array<number>(binCount).fill(0);
  for (const ms of durations) counts[Math.min(binCount - 1, Math.floor(ms / width))]++;
  const maxCount = Math.max(...counts);
  const bins = counts.map((count, index): HistogramBin => {
    const fromMs = index * width;
    const toMs = Math.min(axisMs, fromMs + width);
    return {
      fromMs,
      toMs,
      count,
      x: percent(fromMs, axisMs),
      width: round(percent(toMs, axisMs) - percent(fromMs, axisMs)),
      height: maxCount === 0 ? 0 : (count / maxCount) * 100,
      tooltip: `${count} pod${count === 1 ? '' : 's'} between ${formatDuration(fromMs)} and ${formatDuration(toMs)}`,
    };
  });
  const marks = [
    ...(p50 !== undefined ? [{ label: `p50 ${formatDuration(p50)}`, ms: p50, x: percent(p50, axisMs) }] : []),
    ...(p95 !== undefined ? [{ label: `p95 ${formatDuration(p95)}`, ms: p95, x: percent(p95, axisMs) }] : []),
  ];
  return { bins, marks, maxCount };
}

/** "3 min ago" for a recent capture, the time itself for an older one (a snapshot); the exact time as the tooltip. */
function capturedStat(capturedAt: string | undefined, now: number): WaterfallModel['stats'][number] | undefined {
  const at = capturedAt ? Date.parse(capturedAt) : NaN;
  if (!Number.isFinite(at)) return undefined;
  const time = new Date(at).toISOString().replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  const age = now - at;
  if (age < 0 || age >= 86_400_000) return { label: 'captured', value: time.replace(/:\d\d UTC$/, ' UTC'), tooltip: time };
  const ago = age < 60_000 ? 'just now' : `${formatDuration(age).replace(/ \d+ s$/, '')} ago`;
  return { label: 'captured', value: ago, tooltip: time };
}

/**
 * The sentences upper-cased at the start, as lines of their own, except those that start with a node's
 * name ("node-a kubelet …"): a name is written as the cluster spells it. Nothing when the server sent none.
 */
function clusterFactsOf(result: TimingsResult): WaterfallModel['clusterFacts'] {
  const facts = result.clusterFacts;
  if (!facts || (facts.sentences.length === 0 && !facts.nodeDetailsHint)) return undefined;
  const { imageCache, kubelets } = facts.facts;
  const nodes = new Set([...kubelets.map((kubelet) => kubelet.node), ...(imageCache.readable ? [...imageCache.value.nodes, ...imageCache.value.excluded.map((entry) => entry.node)] : [])]);
  const capitalized = (sentence: string) => (nodes.has(sentence.split(/[\s,:]/, 1)[0]) ? sentence : sentence.charAt(0).toUpperCase() + sentence.slice(1));
  return { sentences: facts.sentences.map(capitalized), hint: facts.nodeDetailsHint };
}

export function waterfallModel(result: TimingsResult, options: ModelOptions = {}): WaterfallModel {
  const now = options.now ?? Date.now();
  const summary = result.summary;
  const milestone = summary?.milestone === 'running' || (!summary && /^(Job|CronJob)$/.test(result.workload.kind)) ? 'Running' : 'Ready';
  const reachedPods = result.pods.filter((pod) => pod.durationMs !== undefined);
  const stuckPods = result.pods.filter((pod) => pod.durationMs === undefined);
  const longest = Math.max(0, ...reachedPods.map((pod) => pod.durationMs!), ...result.pods.flatMap((pod) => pod.segments.map((segment) => segment.endMs)));
  // Only stuck pods and nothing known about them: show their first minute rather than a blank axis.
  const axis = timeAxis(longest > 0 ? longest : Math.min(60_000, Math.max(10_000, ...stuckPods.map((pod) => pod.ageMs))));

  const stats: WaterfallModel['stats'] = [];
  if (summary && summary.reached > 0) {
    stats.push({ label: 'p50', value: formatDuration(summary.p50Ms), tooltip: `Half the pods were ${milestone} within this time of their creation` });
    stats.push({ label: 'p95', value: formatDuration(summary.p95Ms), tooltip: `95% of the pods were ${milestone} within this time` });
    if (summary.sliP50Ms !== undefined) stats.push({ label: 'kubelet SLI p50', value: formatDuration(summary.sliP50Ms), tooltip: "The kubelet's pod start SLI: to all containers started, without image pulls and init containers" });
  }
  if (result.pods.length > 0) stats.push({ label: 'pods', value: `${result.pods.length}`, tooltip: `${reachedPods.length} ${milestone}, ${stuckPods.length} not ${milestone}` });
  if (result.context) stats.push({ label: result.source === 'snapshot' ? 'context (snapshot)' : 'context', value: result.context, tooltip: result.snapshotFile });
  const captured = capturedStat(result.capturedAt, now);
  if (captured) stats.push(captured);

  const notes: string[] = [];
  if (result.reason && !result.problem) notes.push(result.reason);
  const withoutPulls = result.pods.filter((pod) => pod.pullUnknown).length;
  if (withoutPulls > 0) notes.push(`${withoutPulls} pod${withoutPulls === 1 ? ' has' : 's have'} no image events left (the API server keeps events for an hour by default): pull and start are shown together.`);
  if (summary && summary.reached > 0 && summary.phaseShare && Object.keys(summary.phaseShare).length > 0) {
    notes.push(`Phase shares are time-weighted over the ${milestone.toLowerCase()} pods whose every phase is known.`);
  }

  const usedPhases = new Set<SegmentPhase>(result.pods.flatMap((pod) => pod.segments.map((segment) => segment.phase)));
  for (const phase of ['schedule', 'pull', 'init', 'start', ...(milestone === 'Ready' ? ['ready' as const] : [])] as TimingsPhase[]) usedPhases.add(phase);
  const legend = PHASE_ORDER.filter((phase) => usedPhases.has(phase)).map((phase) => {
    const share = phase === 'pull-or-start' ? undefined : summary?.phaseShare[phase];
    return { phase, label: PHASE_LABELS[phase], share: share === undefined ? undefined : `${Math.round(share * 100)}%`, description: PHASE_DESCRIPTIONS[phase] };
  });

  const rows = [
    ...stuckPods.sort((a, b) => b.ageMs - a.ageMs || a.name.localeCompare(b.name)),
    ...reachedPods.sort((a, b) => b.durationMs! - a.durationMs! || a.name.localeCompare(b.name)),
  ].map((pod) => rowOf(pod, axis.maxMs, milestone));

  const problem = result.problem
    ? { message: result.title.replace(/^Startup: /, ''), detail: result.reason && result.reason !== result.title ? result.reason : undefined, hint: PROBLEM_HINTS[result.problem] }
    : undefined;

  const coverage = `${reachedPods.length} ${milestone} pod${reachedPods.length === 1 ? '' : 's'}${result.windowMs !== undefined ? `, created in the last ${formatWindow(result.windowMs)}` : ''}`;
  return {
    workload: `${result.workload.kind} ${result.workload.namespace}/${result.workload.name}`,
    coverage,
    headline: result.title,
    milestone,
    stats,
    problem,
    notes,
    clusterFacts: clusterFactsOf(result),
    legend,
    axis,
    rows,
    histogram: histogramOf(
      reachedPods.map((pod) => pod.durationMs!),
      axis.maxMs,
      summary?.p50Ms,
      summary?.p95Ms,
    ),
  };
}
