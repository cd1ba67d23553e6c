/**
 * The workspace's images as its manifests use them: what every generator that pulls ahead (the
 * pre-puller DaemonSet, kube-fledged's ImageCache, a node bootstrap script) pulls, so that the list
 * stays what the team deploys instead of drifting in a copied blog post.
 *
 * It reads the manifests exactly as the analysis does (core/analyze.ts): the same document split and
 * parse, the same workload model (every workload kind, `v1 List`s, CronJobs and the operators' pod
 * templates), the same size limit and template detection, and the alias-aware accessors, so an alias
 * bomb stays a handful of nodes and a broken document costs only itself. It never throws on input.
 *
 * Each document is read into a summary of its own text (core/generate/document-images.ts); with an
 * InventoryCache from the caller, a document whose text did not change since the last run is not
 * parsed again, and only the lines of its sources are counted anew in the file it now stands in.
 */
import { isAnalysedJson } from '../analyze';
import { fileTypeOf } from '../file-types';
import { pinnedReference } from '../image-pinning';
import { DEFAULT_PINNED_TAG_PATTERN, isImmutableReference, isPlaceholderImage, parseImageReference } from '../image-reference';
import { LineIndex } from '../line-index';
import { DEFAULT_MAX_FILE_SIZE } from '../settings';
import { detectTemplate } from '../templates';
import { splitYamlDocuments } from '../yaml-documents';
import { InventoryCache, type WorkloadImages } from './document-images';
import type { ImageInventory, ImageSource, InventoryImage, InventoryInput, NodePool, PlaceholderImage } from './types';

export { canonicalSelector } from './document-images';

/** One image while the files are read. */
interface ImageRecord {
  image: string;
  sources: ImageSource[];
  pullSecrets: Set<string>;
  /** Canonical selector text → selector. */
  nodeSelectors: Map<string, Record<string, string>>;
}

interface PoolRecord {
  selector: Record<string, string>;
  images: Set<string>;
  workloads: Set<string>;
}

export function imageInventory(input: InventoryInput): ImageInventory {
  const images = new Map<string, ImageRecord>();
  const pools = new Map<string, PoolRecord>();
  const namespaces = new Set<string>();
  const skipped: ImageInventory['skipped'] = [];
  const placeholders: PlaceholderImage[] = [];
  const maxFileSize = input.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  // Without a cache from the caller, a cache for this run alone still summarizes a repeated document once.
  const cache = input.cache ?? new InventoryCache();

  try {
    for (const { file, text } of input.files) {
      try {
        readFile(file, text);
      } catch (error) {
        // The parse and the accessors guard themselves; this is the last line so one file can never take the inventory down.
        skipped.push({ file, reason: `could not be read: ${(error as Error).message}` });
      }
    }
  } finally {
    cache.endRun();
  }

  function readFile(file: string, text: string): void {
    if (fileTypeOf(file) === 'dockerfile') return;
    if (/\.json$/i.test(file) && !isAnalysedJson(text)) return;
    if (text.length > maxFileSize / 4 && Buffer.byteLength(text) > maxFileSize) {
      skipped.push({ file, reason: `${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB, over the ${(maxFileSize / 1048576).toFixed(1)} MB file size limit (podstart.maxFileSize)` });
      return;
    }
    const template = detectTemplate(text, file) ?? undefined;
    const documents = template ? [] : splitYamlDocuments(text).map((chunk) => ({ start: chunk.start, summary: cache.summaryOf(chunk.text) }));
    // One templated document leaves the whole file out.
    if (template || documents.some(({ summary }) => summary.templated)) {
      skipped.push({ file, reason: `a ${template ?? 'Helm or Go'} template, not the YAML the cluster receives: render it first (helm template . > rendered.yaml) and generate from the output` });
      return;
    }
    // Summaries hold offsets in their document; most files list few images, so lines are counted lazily, only as far as asked.
    let lines: LineIndex | undefined;
    const lineAt = (offset: number) => (lines ??= new LineIndex(text)).positionAt(offset).line + 1;
    for (const { start, summary } of documents) {
      if (summary.error) {
        skipped.push({ file, line: lineAt(start + summary.error.offset), reason: `invalid YAML (${summary.error.message}); this document was left out` });
        continue;
      }
      for (const workload of summary.workloads) addWorkload(file, workload, (offset) => lineAt(start + offset));
    }
  }

  function addWorkload(file: string, workload: WorkloadImages, lineOf: (offset: number) => number): void {
    const { label, selectorKey } = workload;
    if (workload.namespace) namespaces.add(workload.namespace);
    let pool = pools.get(selectorKey);
    for (const container of workload.containers) {
      const raw = container.image;
      const source: ImageSource = {
        file,
        line: lineOf(container.offset),
        workload: label,
        ...(workload.namespace ? { namespace: workload.namespace } : {}),
        container: container.name,
        containerKind: container.kind,
      };
      if (isPlaceholderImage(raw)) {
        placeholders.push({ ...source, image: raw });
        continue;
      }
      if (!parseImageReference(raw)) {
        skipped.push({ file, line: source.line, reason: `\`${raw}\` (${label}, container ${container.name}) is not an image reference` });
        continue;
      }
      const record: ImageRecord = images.get(raw) ?? { image: raw, sources: [], pullSecrets: new Set(), nodeSelectors: new Map() };
      images.set(raw, record);
      record.sources.push(source);
      workload.pullSecrets.forEach((secret) => record.pullSecrets.add(secret));
      // A copy: the inventory is the caller's to change, the summary stays the cache's.
      record.nodeSelectors.set(selectorKey, { ...workload.nodeSelector });
      if (!pool) pools.set(selectorKey, (pool = { selector: { ...workload.nodeSelector }, images: new Set(), workloads: new Set() }));
      pool.images.add(raw);
      pool.workloads.add(label);
    }
  }

  const ordered = [...images.values()].map((record) => toInventoryImage(record, input)).sort((a, b) => compareSources(a.sources[0], b.sources[0]));
  const rank = new Map(ordered.map((image, index) => [image.image, index]));
  const nodePools: NodePool[] = [...pools.entries()]
    .sort(([a], [b]) => (a === b ? 0 : a === '{}' ? -1 : b === '{}' ? 1 : a < b ? -1 : 1))
    .map(([, pool]) => ({
      selector: pool.selector,
      images: [...pool.images].sort((a, b) => rank.get(a)! - rank.get(b)!),
      workloads: [...pool.workloads].sort(compareText),
    }));
  return {
    images: ordered,
    nodePools,
    pullSecrets: [...new Set(ordered.flatMap((image) => image.pullSecrets))].sort(compareText),
    namespaces: [...namespaces].sort(compareText),
    skipped: skipped.sort((a, b) => compareText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0)),
    placeholders: placeholders.sort(compareSources),
  };
}

function toInventoryImage(record: ImageRecord, input: InventoryInput): InventoryImage {
  const reference = parseImageReference(record.image)!;
  const facts = input.imageFacts?.(record.image);
  const digest = reference.digest ?? facts?.digest;
  const sources = record.sources.sort(compareSources);
  return {
    image: record.image,
    ...(digest ? { digest } : {}),
    mutable: !isImmutableReference(reference, input.pinnedTagPattern ?? DEFAULT_PINNED_TAG_PATTERN),
    pinned: (digest && pinnedReference(record.image, digest)) || record.image,
    ...(facts?.compressedSize !== undefined ? { sizeBytes: facts.compressedSize } : {}),
    sources,
    pullSecrets: [...record.pullSecrets].sort(compareText),
    nodeSelectors: [...record.nodeSelectors.entries()].sort(([a], [b]) => compareText(a, b)).map(([, selector]) => selector),
    initOnly: sources.every((source) => source.containerKind === 'initContainer'),
  };
}

/** Code-unit order: the same in every locale, so two machines list the images alike. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSources(a: ImageSource, b: ImageSource): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.container, b.container);
}
