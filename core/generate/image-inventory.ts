/**
 * The workspace's images as its manifests use them: what every generator that pulls ahead (the
 * pre-puller DaemonSet, kube-fledged's ImageCache, a node bootstrap script) pulls, so that the list
 * stays what the team deploys instead of drifting in a copied blog post.
 *
 * It reads the manifests exactly as the analysis does (core/analyze.ts): the same document split and
 * parse, the same workload model (every workload kind, `v1 List`s, CronJobs and the operators' pod
 * templates), the same size limit and template detection, and the alias-aware accessors, so an alias
 * bomb stays a handful of nodes and a broken document costs only itself. It never throws on input.
 */
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { isAnalysedJson } from '../analyze';
import { fileTypeOf } from '../file-types';
import { pinnedReference } from '../image-pinning';
import { DEFAULT_PINNED_TAG_PATTERN, isImmutableReference, isPlaceholderImage, parseImageReference } from '../image-reference';
import { LineIndex } from '../line-index';
import { DEFAULT_MAX_FILE_SIZE } from '../settings';
import { detectTemplate, isTemplatedChunk } from '../templates';
import { findWorkloads, WORKLOAD_KIND_NAMES, type Workload } from '../workload';
import { parseChunk, splitYamlDocuments, type YamlChunk } from '../yaml-documents';
import { getMap, getPair, getSeq, getString, keyText, mapItems, scalarText } from '../yaml-nodes';
import type { ImageInventory, ImageSource, InventoryImage, InventoryInput, NodePool, PlaceholderImage } from './types';

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

/** Only workloads (and the lists that may hold them) are parsed; every other kind is passed over unparsed, as in the analysis. */
const shouldParse = (kind: string | undefined) => kind === undefined || WORKLOAD_KIND_NAMES.has(kind);

export function imageInventory(input: InventoryInput): ImageInventory {
  const images = new Map<string, ImageRecord>();
  const pools = new Map<string, PoolRecord>();
  const namespaces = new Set<string>();
  const skipped: ImageInventory['skipped'] = [];
  const placeholders: PlaceholderImage[] = [];
  const maxFileSize = input.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;

  for (const { file, text } of input.files) {
    try {
      readFile(file, text);
    } catch (error) {
      // The parse and the accessors guard themselves; this is the last line so one file can never take the inventory down.
      skipped.push({ file, reason: `could not be read: ${(error as Error).message}` });
    }
  }

  function readFile(file: string, text: string): void {
    if (fileTypeOf(file) === 'dockerfile') return;
    if (/\.json$/i.test(file) && !isAnalysedJson(text)) return;
    if (text.length > maxFileSize / 4 && Buffer.byteLength(text) > maxFileSize) {
      skipped.push({ file, reason: `${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB, over the ${(maxFileSize / 1048576).toFixed(1)} MB file size limit (podstart.maxFileSize)` });
      return;
    }
    const template = detectTemplate(text, file) ?? undefined;
    const chunks: YamlChunk[] = template ? [] : splitYamlDocuments(text).map((chunk) => parseChunk(chunk, shouldParse));
    if (template || chunks.some(isTemplatedChunk)) {
      skipped.push({ file, reason: `a ${template ?? 'Helm or Go'} template, not the YAML the cluster receives: render it first (helm template . > rendered.yaml) and generate from the output` });
      return;
    }
    const lines = new LineIndex(text);
    const lineOf = (chunk: YamlChunk, offset: number) => lines.positionAt(chunk.start + offset).line + 1;
    for (const chunk of chunks) {
      if (chunk.errors.length > 0) {
        skipped.push({ file, line: lineOf(chunk, chunk.errors[0].start), reason: `invalid YAML (${chunk.errors[0].message}); this document was left out` });
        continue;
      }
      if (!chunk.doc) continue;
      for (const workload of findWorkloads(chunk.doc)) readWorkload(file, workload, (node) => lineOf(chunk, node.range?.[0] ?? 0));
    }
  }

  function readWorkload(file: string, workload: Workload, lineOf: (node: Node) => number): void {
    const { doc, podSpec } = workload;
    const label = workloadLabel(workload);
    if (workload.namespace) namespaces.add(workload.namespace);
    const pullSecrets = mapItems(doc, getSeq(doc, podSpec, 'imagePullSecrets')).flatMap((secret) => getString(doc, secret, 'name') ?? []);
    const selector = nodeSelectorOf(doc, podSpec);
    const selectorKey = canonicalSelector(selector);
    let pool = pools.get(selectorKey);
    for (const container of workload.containers) {
      // An ephemeral container is added by `kubectl debug` to a running pod: it never delays a start.
      if (container.kind === 'ephemeralContainer' || container.partial) continue;
      const valueNode = getPair(container.node, 'image')?.value as Node | null | undefined;
      const raw = scalarText(doc, valueNode)?.trim();
      if (!valueNode || !raw) continue;
      const source: ImageSource = {
        file,
        line: lineOf(valueNode),
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
      pullSecrets.forEach((secret) => record.pullSecrets.add(secret));
      record.nodeSelectors.set(selectorKey, selector);
      if (!pool) pools.set(selectorKey, (pool = { selector, images: new Set(), workloads: new Set() }));
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

/** `Deployment shop/api`, `PyTorchJob ml/train (Worker)`: how sources and pools name a workload. */
function workloadLabel(workload: Workload): string {
  const name = workload.namespace ? `${workload.namespace}/${workload.name}` : workload.name;
  return `${workload.kind} ${name}${workload.podTemplateRole ? ` (${workload.podTemplateRole})` : ''}`;
}

/** The pod's `nodeSelector`, as strings (a YAML `true` label value is the string "true" to the API server). */
function nodeSelectorOf(doc: Document, podSpec: YAMLMap): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const pair of (getMap(doc, podSpec, 'nodeSelector')?.items ?? []) as Pair[]) {
    const key = keyText(pair);
    const value = scalarText(doc, pair.value);
    if (key !== undefined && value !== undefined) selector[key] = value;
  }
  return selector;
}

/** The same selector written in any key order is one pool. */
export function canonicalSelector(selector: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(selector).sort(([a], [b]) => compareText(a, b))));
}

/** Code-unit order: the same in every locale, so two machines list the images alike. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSources(a: ImageSource, b: ImageSource): number {
  return compareText(a.file, b.file) || a.line - b.line || compareText(a.container, b.container);
}
