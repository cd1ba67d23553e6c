/**
 * Where the startup lens of each workload goes: the workloads of an analysed document that the
 * cluster can have pods for, each with the range of its `kind:` line (and, for the cluster-informed
 * diagnostics, of its kind value and of each image it writes). Read from the documents the
 * analysis has already parsed (server/incremental-analysis.ts keeps them per YAML document), so a
 * lens costs no parse of its own.
 */
import { FILE_DIAGNOSTICS, type AnalysisResult } from '../core/analyze';
import type { Range } from '../core/types';
import { manifestImages } from '../core/cluster/workload-images';
import { findWorkloads, type Workload } from '../core/workload';
import { getMap, getPair, getString, nodeSpan } from '../core/yaml-nodes';

/** Kinds whose pods podstart capture reads (core/cluster/snapshot.ts) and core/timings matches to them. */
export const TIMED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export interface WorkloadSite {
  kind: string;
  name: string;
  /** The manifest's own namespace, when it names one. */
  namespace?: string;
  /** The `kind: Deployment` pair, in the coordinates of the analysed text. */
  range: Range;
  /** The value `Deployment` alone. */
  kindValueRange: Range;
  /** The `name: web` pair of its metadata (the hover over it sums up the workload's start). */
  nameRange: Range;
  /** The images it writes (init containers first, each once, as core/cluster/workload-images orders them), each at its first `image:` value. */
  images: Array<{ image: string; range: Range }>;
}

/** The timed workloads of an analysis that kept its documents' trees (keepDocuments, or a cache), in order, each object once. */
export function workloadSitesOf(result: AnalysisResult): WorkloadSite[] {
  // A template or an oversized file was not analysed: its objects are not what the cluster has.
  if (result.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.template || finding.ruleId === FILE_DIAGNOSTICS.tooLarge)) return [];
  const sites: WorkloadSite[] = [];
  for (const chunk of result.chunks) {
    if (!chunk.doc || chunk.errors.length > 0) continue;
    const rangeOf = (span: { start: number; end: number }): Range => ({ start: result.lines.positionAt(chunk.start + span.start), end: result.lines.positionAt(chunk.start + span.end) });
    // Kinds with several pod templates are one object: one site, the images of all its templates.
    const byRoot = new Map<unknown, WorkloadSite>();
    for (const workload of findWorkloads(chunk.doc)) {
      if (!TIMED_KINDS.has(workload.kind)) continue;
      const known = byRoot.get(workload.root);
      if (known) {
        for (const image of imageSites(workload, rangeOf)) if (!known.images.some((entry) => entry.image === image.image)) known.images.push(image);
        continue;
      }
      // generateName objects have no name the cluster's object would share.
      const metadata = getMap(chunk.doc, workload.root, 'metadata');
      const name = getString(chunk.doc, metadata, 'name');
      const namePair = metadata && getPair(metadata, 'name');
      const nameSpan = namePair && nodeSpan(namePair);
      const kindPair = getPair(workload.root, 'kind');
      const span = kindPair && nodeSpan(kindPair);
      const valueSpan = kindPair?.value ? nodeSpan(kindPair.value) : undefined;
      if (!name || !span || !valueSpan || !nameSpan) continue;
      const site: WorkloadSite = { kind: workload.kind, name, namespace: workload.namespace, range: rangeOf(span), kindValueRange: rangeOf(valueSpan), nameRange: rangeOf(nameSpan), images: imageSites(workload, rangeOf) };
      byRoot.set(workload.root, site);
      sites.push(site);
    }
  }
  return sites;
}

function imageSites(workload: Workload, rangeOf: (span: { start: number; end: number }) => Range): WorkloadSite['images'] {
  return manifestImages(workload).flatMap((image) => {
    for (const container of workload.containers) {
      const value = getPair(container.node, 'image')?.value;
      const span = value && getString(workload.doc, container.node, 'image')?.trim() === image ? nodeSpan(value) : undefined;
      if (span) return [{ image, range: rangeOf(span) }];
    }
    return [];
  });
}
