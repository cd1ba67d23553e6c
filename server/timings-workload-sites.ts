/**
 * Where the startup lens of each workload goes: the workloads of an analysed document that the
 * cluster can have pods for, each with the range of its `kind:` line. Read from the documents the
 * analysis has already parsed (server/incremental-analysis.ts keeps them per YAML document), so a
 * lens costs no parse of its own.
 */
import { FILE_DIAGNOSTICS, type AnalysisResult } from '../core/analyze';
import type { Range } from '../core/types';
import { findWorkloads } from '../core/workload';
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
}

/** The timed workloads of an analysis, in order, each object once. */
export function workloadSitesOf(result: AnalysisResult): WorkloadSite[] {
  // A template or an oversized file was not analysed: its objects are not what the cluster has.
  if (result.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.template || finding.ruleId === FILE_DIAGNOSTICS.tooLarge)) return [];
  const sites: WorkloadSite[] = [];
  for (const chunk of result.chunks) {
    if (!chunk.doc || chunk.errors.length > 0) continue;
    const seen = new Set<unknown>();
    for (const workload of findWorkloads(chunk.doc)) {
      if (!TIMED_KINDS.has(workload.kind) || seen.has(workload.root)) continue;
      seen.add(workload.root);
      // generateName objects have no name the cluster's object would share.
      const name = getString(chunk.doc, getMap(chunk.doc, workload.root, 'metadata'), 'name');
      const kindPair = getPair(workload.root, 'kind');
      const span = kindPair && nodeSpan(kindPair);
      if (!name || !span) continue;
      sites.push({
        kind: workload.kind,
        name,
        namespace: workload.namespace,
        range: { start: result.lines.positionAt(chunk.start + span.start), end: result.lines.positionAt(chunk.start + span.end) },
      });
    }
  }
  return sites;
}
