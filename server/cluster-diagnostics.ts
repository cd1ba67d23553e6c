/**
 * Diagnostics from what the cluster says about a manifest's workloads (core/cluster/
 * workload-cluster-facts.ts), beside the rules' findings: an image the nodes do not have yet, with
 * what pulling it costs, and kubelets that pull one image at a time on the nodes the workload's pods
 * ran on. They are not catalog rules (no severity setting, no text fix, no suppression comment): like the
 * engine's file diagnostics (core/findings.ts), they say something about this file in this cluster,
 * always as information.
 *
 * Each has an action that makes the object which removes the cost (cluster-diagnostic-actions
 * below): a pre-puller for this file's images, a KubeletConfiguration that pulls in parallel.
 *
 * They are made only from a capture already read (TimingsService.cachedClusterFacts): the text's
 * diagnostics never wait for them. The server merges them in when a capture arrives, replaces them
 * when it is read again, and drops them when the capture fails or the workspace is not trusted.
 */
import { CodeAction, CodeActionKind, Command, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { formatPullDuration } from '../core/image-pull-size';
import { estimatePullSeconds, formatByteSize } from '../core/registry/pull-estimate';
import type { ImageCoverage } from '../core/timings/image-cache-coverage';
import type { WorkloadClusterFacts } from '../core/cluster/workload-cluster-facts';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { generatorCommandId } from './protocol';
import type { WorkloadSite } from './timings-workload-sites';

/** The codes of the cluster-informed diagnostics. */
export const CLUSTER_DIAGNOSTICS = {
  /** At an image value: missing on most schedulable Ready nodes (`node.status.images`). */
  imageNotCached: 'cluster-image-not-cached',
  /** At the kind value: nodes that ran the workload's pods pull serially (`serializeImagePulls`, from /configz). */
  serialPulls: 'cluster-serial-pulls',
} as const;

/** How many node names a message lists before "and N more". */
const NAMES_LISTED = 5;

/** The diagnostics of each workload site, given its facts (undefined: nothing read for it). */
export function clusterDiagnostics(sites: readonly WorkloadSite[], facts: ReadonlyArray<WorkloadClusterFacts | undefined>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  sites.forEach((site, index) => {
    const workloadFacts = facts[index];
    if (!workloadFacts) return;
    diagnostics.push(...imageDiagnostics(site, workloadFacts), ...serialPullDiagnostics(site, workloadFacts));
  });
  // In file order, like the text's diagnostics.
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function diagnostic(range: WorkloadSite['range'], message: string, code: string): Diagnostic {
  return Diagnostic.create(range, message, DiagnosticSeverity.Information, code, DIAGNOSTIC_SOURCE);
}

function imageDiagnostics(site: WorkloadSite, facts: WorkloadClusterFacts): Diagnostic[] {
  if (!facts.imageCache.readable) return [];
  const coverage = facts.imageCache.value;
  const total = coverage.nodes.length;
  if (total === 0) return [];
  return site.images.flatMap(({ image, range }) => {
    const found = coverage.images.find((entry) => entry.image === image);
    return found?.missingOnMost ? [diagnostic(range, missingImageMessage(found, total, facts.linkSpeedMbps), CLUSTER_DIAGNOSTICS.imageNotCached)] : [];
  });
}

/** "registry.example.com/shop/api:1.9.0 (312 MB) is missing on 4 of 5 nodes: about 25 s to pull at 100 Mbit/s". */
function missingImageMessage(image: ImageCoverage, total: number, linkSpeedMbps: number): string {
  const where = image.presentOn.length === 0 ? `is on none of the ${total} nodes` : `is missing on ${image.missingOn.length} of ${total} nodes`;
  const unsure = image.possiblyPresentOn.length > 0 ? ` (${names(image.possiblyPresentOn)} may hold it unlisted)` : '';
  if (image.sizeBytes === undefined) return `${image.image} ${where}${unsure}; its size is unknown (no node lists it)`;
  return `${image.image} (${formatByteSize(image.sizeBytes)}) ${where}${unsure}: about ${formatPullDuration(estimatePullSeconds(image.sizeBytes, linkSpeedMbps))} to pull at ${linkSpeedMbps} Mbit/s`;
}

function serialPullDiagnostics(site: WorkloadSite, facts: WorkloadClusterFacts): Diagnostic[] {
  // Only the nodes its pods ran on: for a workload without pods, other workloads' nodes say little about where its pods will go.
  if (facts.kubeletScope !== 'workload-nodes') return [];
  const settings = facts.kubelets.flatMap((kubelet) => (kubelet.pullSettings?.readable ? [kubelet.pullSettings.value] : []));
  const serial = settings.filter((entry) => entry.serial).map((entry) => entry.node);
  if (serial.length === 0) return [];
  const message =
    settings.length === 1
      ? `${serial[0]}, the node that ran its pods, pulls images one at a time`
      : `${serial.length} of ${settings.length} nodes that ran its pods ${serial.length === 1 ? 'pulls' : 'pull'} images one at a time (${names(serial)})`;
  return [diagnostic(site.kindValueRange, message, CLUSTER_DIAGNOSTICS.serialPulls)];
}

function names(list: readonly string[]): string {
  return list.length <= NAMES_LISTED ? list.join(', ') : `${list.slice(0, NAMES_LISTED).join(', ')} and ${list.length - NAMES_LISTED} more`;
}

/**
 * The actions of the cluster diagnostics among a code action request's diagnostics: a missing image
 * offers the pre-puller generator over this file (the client's generator command takes the file as
 * its Explorer selection), serial pulls offer the KubeletConfiguration generator. Each once.
 */
export function clusterDiagnosticActions(documentUri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const offer = (code: string, title: string, command: Command) => {
    const matching = diagnostics.filter((diagnostic) => diagnostic.source === DIAGNOSTIC_SOURCE && diagnostic.code === code);
    if (matching.length === 0) return;
    const action = CodeAction.create(title, command, CodeActionKind.QuickFix);
    action.diagnostics = matching;
    actions.push(action);
  };
  const prePuller = generatorCommandId('pre-puller');
  offer(CLUSTER_DIAGNOSTICS.imageNotCached, "Generate a pre-puller DaemonSet for this file's images", Command.create('Generate Pre-puller DaemonSet', prePuller, documentUri, [documentUri]));
  const kubelet = generatorCommandId('kubelet-config');
  offer(CLUSTER_DIAGNOSTICS.serialPulls, 'Generate a KubeletConfiguration that pulls images in parallel', Command.create('Generate KubeletConfiguration', kubelet));
  return actions;
}
