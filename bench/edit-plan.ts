/**
 * The edits a benchmark types into a file: one-line changes of an image tag inside Deployments
 * (or other pod templates), alternating between two workloads far apart in the file, each edit
 * flipping the tag between a mutable one and a pinned version so that every edit changes what
 * Podstart reports (mutable-image-tag, pull-always-immutable-image) and no analysis can be skipped.
 */
import { splitYamlDocuments, sniffKind } from '../core/yaml-documents';

export interface ImageSite {
  /** Zero-based line of the `image:` line. */
  line: number;
  /** Character range of the tag on that line. */
  start: number;
  end: number;
  tag: string;
  kind: string;
}

export interface PlannedEdit {
  site: ImageSite;
  line: number;
  start: number;
  end: number;
  newText: string;
}

const IMAGE_WITH_TAG = /^(\s*(?:-\s+)?image:\s*["']?)([^\s"'@:]+(?::\d+)?(?:\/[^\s"'@:]+)*):([\w][\w.-]*)["']?\s*$/;
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

/** Tagged `image:` lines of workloads, in file order, preferring Deployments. */
export function findImageSites(text: string): ImageSite[] {
  const sites: ImageSite[] = [];
  let lineOffset = 0;
  for (const chunk of splitYamlDocuments(text)) {
    const kind = sniffKind(chunk.text);
    const lines = chunk.text.split('\n');
    if (kind && TEMPLATE_KINDS.includes(kind)) {
      lines.forEach((lineText, index) => {
        const match = IMAGE_WITH_TAG.exec(lineText.replace(/\r$/, ''));
        if (!match) return;
        const start = match[1].length + match[2].length + 1;
        sites.push({ line: lineOffset + index, start, end: start + match[3].length, tag: match[3], kind });
      });
    }
    lineOffset += lines.length - 1;
  }
  const deployments = sites.filter((site) => site.kind === 'Deployment');
  return deployments.length >= 2 ? deployments : sites;
}

/**
 * `count` edits alternating between the first and the last site: each replaces the tag with
 * `latest` when it is pinned and with a pinned version when it is `latest`.
 */
export function planEdits(text: string, count: number): PlannedEdit[] {
  const sites = findImageSites(text);
  if (sites.length === 0) throw new Error('no tagged image line in a workload to edit');
  const targets = sites.length === 1 ? [sites[0]] : [sites[0], sites[sites.length - 1]];
  const current = new Map(targets.map((site) => [site, site.tag]));
  const edits: PlannedEdit[] = [];
  for (let index = 0; index < count; index++) {
    const site = targets[index % targets.length];
    const tag = current.get(site)!;
    const newText = tag === 'latest' ? (site.tag === 'latest' ? '1.0.0' : site.tag) : 'latest';
    edits.push({ site, line: site.line, start: site.start, end: site.start + tag.length, newText });
    current.set(site, newText);
  }
  return edits;
}
