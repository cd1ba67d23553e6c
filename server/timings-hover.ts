/**
 * The cluster's part of a hover in a manifest, from the startup timings already read
 * (TimingsService.cachedView and cachedClusterFacts): a hover never waits for the cluster, so
 * before the workload's namespace has been read, in an untrusted workspace or with the timings off,
 * there is no cluster part at all (and the rule hover, if any, shows alone).
 *
 * - Over a container's `image:` value: on how many of the nodes that ran the workload's pods, and of
 *   all the nodes a new pod can land on, the image is already cached (`node.status.images`), its size
 *   as the nodes report it, and how long the workload's pods took to pull it (their pull phase,
 *   core/timings/image-pulls.ts: waiting for a pull slot included, as the pod waited).
 * - Over the workload's `kind:` or `metadata.name:`: its start in a few lines (p50/p95 to Ready, the
 *   kubelet's SLI, the largest phase, pods counted), where the figures come from, and a link that
 *   opens the startup waterfall, with the arguments the code lens passes.
 *
 * Pure: the text depends only on what it is given (and `now`, for "captured 3 min ago").
 */
import { formatDuration } from '../cli/timings-format';
import type { WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import { formatPullDuration } from '../core/image-pull-size';
import { estimatePullSeconds, formatByteSize } from '../core/registry/pull-estimate';
import type { ImageCacheCoverage, ImageCoverage } from '../core/timings/image-cache-coverage';
import { canonicalImageName } from '../core/timings/node-images';
import { nearestRank } from '../core/timings/percentile';
import type { ContainerTimeline, PhaseName, PodTimeline } from '../core/timings/pod-timeline';
import type { Position, Range } from '../core/types';
import { SHOW_STARTUP_WATERFALL_COMMAND } from './protocol';
import { paramsOf } from './timings-code-lens';
import type { WorkloadName, WorkloadWithImages } from './timings-service';
import type { TimingsView } from './timings-view';
import type { WorkloadSite } from './timings-workload-sites';

/** What the hover reads: the timings service's answers from captures already made. */
export interface CachedTimings {
  cachedView(workload: WorkloadName): TimingsView | undefined;
  cachedClusterFacts(workloads: readonly WorkloadWithImages[]): Array<WorkloadClusterFacts | undefined>;
}

export interface ClusterHoverOptions {
  /** The client runs the waterfall command from a `command:` link (the Podstart client); others get no link. */
  waterfallLink: boolean;
  /** Epoch ms, for the capture's age (Date.now()). */
  now?: number;
}

/** Markdown and the range it is about. */
export interface HoverPart {
  value: string;
  range: Range;
}

/** How many node names a line lists before "and N more". */
const NAMES_LISTED = 5;

/** The phases in the words of a sentence (the lens says `pull 62%`, the hover has room to say what it is). */
const PHASE_WORDS: Record<PhaseName, string> = {
  schedule: 'scheduling',
  pull: 'image pulls',
  init: 'init containers',
  start: 'start (sandbox, volumes, containers)',
  ready: 'waiting for Ready after the containers started',
};

/** The cluster's part of the hover at a position of a manifest, or undefined when there is none. */
export function clusterHoverAt(uri: string, sites: readonly WorkloadSite[], position: Position, timings: CachedTimings, options: ClusterHoverOptions): HoverPart | undefined {
  for (const site of sites) {
    const image = site.images.find((entry) => contains(entry.range, position));
    if (image) {
      const view = timings.cachedView(site);
      if (!view) return undefined;
      const [facts] = timings.cachedClusterFacts([{ kind: site.kind, name: site.name, namespace: site.namespace, images: site.images.map((entry) => entry.image) }]);
      const value = imageHoverMarkdown(image.image, view, facts, options.now ?? Date.now());
      return value ? { value, range: image.range } : undefined;
    }
    const over = [site.range, site.nameRange].find((range) => contains(range, position));
    if (over) {
      const view = timings.cachedView(site);
      const link = options.waterfallLink ? waterfallLink(uri, site) : undefined;
      const value = view && workloadHoverMarkdown(view, link, options.now ?? Date.now());
      return value ? { value, range: over } : undefined;
    }
  }
  return undefined;
}

/** From the first character to the last (the position just past the end is outside, as for findings). */
function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character < range.end.character);
  return afterStart && beforeEnd;
}

/** A `command:` link running the waterfall command with the lens's own argument. */
export function waterfallLink(uri: string, site: Pick<WorkloadSite, 'kind' | 'name' | 'namespace'>): string {
  return `command:${SHOW_STARTUP_WATERFALL_COMMAND}?${encodeURIComponent(JSON.stringify([paramsOf(uri, site)]))}`;
}

/** The workload's start in a few lines; undefined when the capture has no figures for it (the lens says why). */
export function workloadHoverMarkdown(view: TimingsView, link: string | undefined, now: number): string | undefined {
  const summary = view.timings?.summary;
  if (view.problem || !summary) return undefined;
  const { workload } = view;
  const milestone = summary.milestone === 'ready' ? 'Ready' : 'Running';
  const notReached = summary.podCount - summary.reached;
  const pods = `${plural(summary.podCount, 'pod')}${notReached > 0 ? ` (${notReached} not ${milestone})` : ''}`;
  const lines: string[] = [];
  if (summary.reached === 0) {
    lines.push(`- ${pods}, none ${milestone} yet`);
  } else {
    const { p50Ms, p95Ms } = summary.timeToMilestone;
    lines.push(`- To ${milestone}: p50 **${formatDuration(p50Ms)}**, p95 **${formatDuration(p95Ms)}** · ${pods}`);
    if (summary.sli.p50Ms !== undefined) lines.push(`- Kubelet pod start SLI p50: **${formatDuration(summary.sli.p50Ms)}** (without image pulls and init containers)`);
    const dominant = summary.dominantPhase;
    const share = dominant === undefined ? undefined : summary.phaseShare[dominant];
    if (dominant && share !== undefined) lines.push(`- Largest phase: **${PHASE_WORDS[dominant]}**, ${Math.round(share * 100)}% of the time`);
  }
  const footer = [link ? `[Open the startup waterfall](${link})` : '', provenance(view, now)].filter(Boolean).join(' · ');
  return [`**Podstart: startup in the cluster** · ${workload.kind} ${workload.namespace}/${workload.name}`, '', ...lines, '', footer].join('\n').trimEnd();
}

/** Where an image of the workload is cached and what pulling it cost its pods; undefined when nothing is known. */
export function imageHoverMarkdown(image: string, view: TimingsView, facts: WorkloadClusterFacts | undefined, now: number): string | undefined {
  const lines: string[] = [];
  const workloadNodes = [...new Set((view.timings?.pods ?? []).flatMap((pod) => (pod.nodeName ? [pod.nodeName] : [])))];
  const readout = facts?.imageCache;
  if (readout && !readout.readable) {
    lines.push(`- Nodes not readable (${readout.reason}): where the image is cached is unknown`);
  } else if (facts && readout?.readable) {
    const coverage = readout.value;
    const entry = coverage.images.find((candidate) => candidate.image === image);
    if (entry) lines.push(...cacheLines(entry, coverage, workloadNodes, facts.linkSpeedMbps));
  }
  const pulls = pullLine(image, view.timings?.pods ?? []);
  if (pulls) lines.push(pulls);
  if (lines.length === 0) return undefined;
  return [`**Podstart: image in the cluster** · \`${image}\``, '', ...lines, '', provenance(view, now)].join('\n').trimEnd();
}

function cacheLines(entry: ImageCoverage, coverage: ImageCacheCoverage, workloadNodes: readonly string[], linkSpeedMbps: number): string[] {
  const total = coverage.nodes.length;
  if (total === 0) return ['- No schedulable Ready node: where the image is cached does not matter yet'];
  const present = new Set(entry.presentOn);
  // The workload's nodes that a new pod can still land on (a cordoned node's image list no longer decides a start).
  const ranOn = workloadNodes.filter((node) => coverage.nodes.includes(node));
  const parts: string[] = [];
  if (ranOn.length > 0) parts.push(`**${ranOn.filter((node) => present.has(node)).length} of ${ranOn.length}** nodes that ran its pods`);
  parts.push(`**${entry.presentOn.length} of ${total}** schedulable Ready nodes`);
  const missing = entry.missingOn.length > 0 ? ` (not on ${names(entry.missingOn)})` : '';
  const lines = [`- Cached on ${parts.join(', ')}${missing}`];
  if (entry.possiblyPresentOn.length > 0) lines.push(`- ${names(entry.possiblyPresentOn)} may hold it unlisted: a full image list shows only the largest images`);
  if (entry.sizeBytes === undefined) lines.push('- Size: unknown (no node lists it)');
  else {
    const estimate = entry.missingOn.length > 0 ? `: about ${formatPullDuration(estimatePullSeconds(entry.sizeBytes, linkSpeedMbps))} to pull at ${linkSpeedMbps} Mbit/s` : '';
    lines.push(`- Size on the nodes: **${formatByteSize(entry.sizeBytes)}**${estimate}`);
  }
  return lines;
}

/** "Pulled by 4 of its pods: p50 9.0 s (…); 5 found it cached", from the pods' containers that run the image. */
function pullLine(image: string, pods: readonly PodTimeline[]): string | undefined {
  const canonical = canonicalImageName(image);
  const durations: number[] = [];
  let cached = 0;
  let unknown = 0;
  for (const pod of pods) {
    const running = pod.containers.filter((container) => container.image !== undefined && canonicalImageName(container.image.trim()) === canonical);
    // A pod that runs the image in two containers pulled it once: its longest wait counts.
    const waits = running.flatMap((container) => (container.pull.status === 'pulled' && pullMs(container) !== undefined ? [pullMs(container)!] : []));
    if (waits.length > 0) durations.push(Math.max(...waits));
    else if (running.some((container) => container.pull.status === 'cached')) cached++;
    else if (running.some((container) => container.pull.status === 'unknown')) unknown++;
  }
  const parts: string[] = [];
  if (durations.length > 0) {
    const sorted = durations.sort((a, b) => a - b);
    parts.push(`pulled by ${plural(durations.length, 'pod')}: p50 **${formatDuration(nearestRank(sorted, 50))}** (waiting for a pull slot included)`);
  }
  if (cached > 0) parts.push(`${plural(cached, 'pod')} found it cached`);
  if (unknown > 0) parts.push(`${plural(unknown, 'pod')} without image events left`);
  if (parts.length === 0) return undefined;
  const line = parts.join('; ');
  return `- ${line.charAt(0).toUpperCase()}${line.slice(1)}`;
}

/** The container's wait for its image, as the pod's pull phase counts it. */
function pullMs(container: ContainerTimeline): number | undefined {
  const { interval, totalMs, pullMs: runtimeMs } = container.pull;
  if (interval?.end !== undefined) return interval.end - interval.start;
  return totalMs ?? runtimeMs;
}

/** "ctx `prod` · captured 3 min ago (2025-06-01 10:12 UTC)": which cluster, and how old the figures are. */
function provenance(view: TimingsView, now: number): string {
  const context = view.context ? `ctx \`${view.context}\`${view.source === 'snapshot' ? ' (snapshot)' : ''}` : view.source === 'snapshot' ? 'snapshot' : '';
  const at = Date.parse(view.capturedAt ?? '');
  const captured = Number.isFinite(at) ? `captured ${capturedAge(now - at)}(${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
  const parts = [context, captured].filter(Boolean);
  return parts.length > 0 ? `_${parts.join(' · ')}_` : '';
}

function capturedAge(ms: number): string {
  if (ms < 0 || ms >= 86_400_000) return '';
  if (ms < 60_000) return 'just now ';
  return ms < 3_600_000 ? `${Math.floor(ms / 60_000)} min ago ` : `${Math.floor(ms / 3_600_000)} h ago `;
}

function names(list: readonly string[]): string {
  return list.length <= NAMES_LISTED ? list.join(', ') : `${list.slice(0, NAMES_LISTED).join(', ')} and ${list.length - NAMES_LISTED} more`;
}

function plural(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
