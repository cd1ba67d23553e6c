/**
 * What the image inventory (core/generate/image-inventory.ts) takes from one YAML document, as plain
 * data that depends on the document's text alone: no file name, no offset in the file. Two documents
 * with the same text have the same summary wherever they stand, so a summary is kept between
 * generator runs (InventoryCache) and a run after an edit parses only the documents whose text
 * changed; the inventory turns the summary's offsets into lines with the file's own line index.
 *
 * The parse is the analysis's (parseChunk, the same kinds parsed, the same template verdict), and the
 * summary holds no parsed node, so a kept summary costs a few strings, not a document tree.
 */
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { isTemplatedChunk } from '../templates';
import { findWorkloads, WORKLOAD_KIND_NAMES, type ContainerKind, type Workload } from '../workload';
import { parseChunk } from '../yaml-documents';
import { getMap, getPair, getSeq, getString, keyText, mapItems, scalarText } from '../yaml-nodes';

/** One container whose image the inventory lists. */
export interface ContainerImage {
  name: string;
  kind: ContainerKind;
  /** The `image:` value as written, trimmed (never empty). */
  image: string;
  /** Offset of the image value node in the document's text. */
  offset: number;
}

/** One workload of the document: what the inventory files its images under. */
export interface WorkloadImages {
  /** `Deployment shop/api`, `PyTorchJob ml/train (Worker)`. */
  label: string;
  namespace?: string;
  pullSecrets: string[];
  nodeSelector: Record<string, string>;
  /** canonicalSelector(nodeSelector): the same selector in any key order is one node pool. */
  selectorKey: string;
  /** In document order; ephemeral containers, containers without an image and empty images are left out. */
  containers: ContainerImage[];
}

export interface DocumentImages {
  /** A Helm or Go template document (core/templates.ts): its file is left out whole. */
  templated: boolean;
  /** The document's first YAML error: the document is left out. */
  error?: { message: string; offset: number };
  /** The workloads in findWorkloads order (empty for a templated or broken document, or one of another kind). */
  workloads: WorkloadImages[];
}

/** Only workloads (and the lists that may hold them) are parsed; every other kind is passed over unparsed, as in the analysis. */
const shouldParse = (kind: string | undefined) => kind === undefined || WORKLOAD_KIND_NAMES.has(kind);

/**
 * The summary of one document's text (one chunk of splitYamlDocuments). The parse and the accessors
 * guard themselves; anything they let through reaches the inventory's per-file guard.
 */
export function summarizeDocument(text: string): DocumentImages {
  const chunk = parseChunk({ start: 0, text }, shouldParse);
  const templated = isTemplatedChunk(chunk);
  if (templated) return { templated, workloads: [] };
  if (chunk.errors.length > 0) return { templated, error: { message: chunk.errors[0].message, offset: chunk.errors[0].start }, workloads: [] };
  return { templated, workloads: chunk.doc ? findWorkloads(chunk.doc).map(readWorkload) : [] };
}

function readWorkload(workload: Workload): WorkloadImages {
  const { doc, podSpec } = workload;
  const nodeSelector = nodeSelectorOf(doc, podSpec);
  const entry: WorkloadImages = {
    label: workloadLabel(workload),
    namespace: workload.namespace,
    pullSecrets: mapItems(doc, getSeq(doc, podSpec, 'imagePullSecrets')).flatMap((secret) => getString(doc, secret, 'name') ?? []),
    nodeSelector,
    selectorKey: canonicalSelector(nodeSelector),
    containers: [],
  };
  for (const container of workload.containers) {
    // An ephemeral container is added by `kubectl debug` to a running pod: it never delays a start.
    if (container.kind === 'ephemeralContainer' || container.partial) continue;
    const valueNode = getPair(container.node, 'image')?.value as Node | null | undefined;
    const image = scalarText(doc, valueNode)?.trim();
    if (!valueNode || !image) continue;
    entry.containers.push({ name: container.name, kind: container.kind, image, offset: valueNode.range?.[0] ?? 0 });
  }
  return entry;
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

/** The same selector written in any key order is one pool (code-unit order: the same in every locale). */
export function canonicalSelector(selector: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * Document text → summary, kept from one inventory run to the next. Each run starts a new map and
 * keeps only the summaries it used, so memory follows the current workspace, not its history (the
 * generational idea of DocumentParseCache in core/yaml-documents.ts). Identical documents in one run,
 * in one file or several, are summarized once.
 */
export class InventoryCache {
  /** The latest finished run's summaries: the ones the next run may reuse. */
  private previous = new Map<string, DocumentImages>();
  /** The summaries the run in progress used. */
  private current = new Map<string, DocumentImages>();
  private summarized = 0;
  private reused = 0;
  /** What the latest finished run did: documents summarized (parsed), and summaries taken as they were. */
  lastRun = { summarized: 0, reused: 0 };

  constructor(private readonly summarize: (text: string) => DocumentImages = summarizeDocument) {}

  /** The summary of a document's text, computed when no earlier document of this run or the last had that text. */
  summaryOf(text: string): DocumentImages {
    let summary = this.current.get(text);
    if (summary) {
      this.reused++;
      return summary;
    }
    summary = this.previous.get(text);
    if (summary) this.reused++;
    else {
      summary = this.summarize(text);
      this.summarized++;
    }
    this.current.set(text, summary);
    return summary;
  }

  /** Ends a run: the summaries it did not use are dropped. */
  endRun(): void {
    this.previous = this.current;
    this.current = new Map();
    this.lastRun = { summarized: this.summarized, reused: this.reused };
    this.summarized = 0;
    this.reused = 0;
  }
}
