/**
 * The shapes every generator shares: the workspace's images as the manifests use them (the
 * inventory, core/generate/image-inventory.ts), a generator's options as both front ends ask for
 * them (CLI flags, editor quick picks), and what a generator returns (a file's text, never written
 * by the core: the CLI writes or prints it, the editor opens it).
 */
import type { ImageFactsLookup } from '../image-facts';
import type { ContainerKind } from '../workload';
import type { InventoryCache } from './document-images';

/** Where a manifest uses an image. */
export interface ImageSource {
  /** The file, as the front end names it (workspace-relative in the editor, as given on the command line in the CLI). */
  file: string;
  /** 1-based line of the `image:` value. */
  line: number;
  /** `Deployment shop/api` (namespace omitted when the manifest writes none). */
  workload: string;
  /** The workload's namespace, when the manifest writes one. */
  namespace?: string;
  container: string;
  containerKind: ContainerKind;
}

/** One image of the workspace, deduplicated by its reference as written (trimmed). */
export interface InventoryImage {
  /** The reference as the manifests write it. */
  image: string;
  /** The digest, when the reference carries one or the registry facts know it. */
  digest?: string;
  /** A tag that can move (`latest`, `1.2`, no tag) and no digest in the reference. */
  mutable: boolean;
  /** The reference to pull: `image@digest` when the digest is known, else `image`. */
  pinned: string;
  /** Compressed size in bytes, when the registry facts know it. */
  sizeBytes?: number;
  /** Every place a manifest uses it, in file and line order. */
  sources: ImageSource[];
  /** The imagePullSecrets of the workloads that use it. */
  pullSecrets: string[];
  /** The nodeSelectors of the workloads that use it (empty object: no selector). */
  nodeSelectors: Array<Record<string, string>>;
  /**
   * Used only by init containers that run to completion. A native sidecar (an init container with
   * `restartPolicy: Always`) runs for the pod's whole life like an app container, so it does not count.
   */
  initOnly: boolean;
}

/** An image written as a variable (`${IMAGE}`, `{{ .Values.image }}`): where, and the text as written. */
export interface PlaceholderImage extends ImageSource {
  image: string;
}

/** A group of nodes the workloads choose by nodeSelector, with the images they run there. */
export interface NodePool {
  /** `{}` for workloads without a nodeSelector. */
  selector: Record<string, string>;
  /** InventoryImage.image values. */
  images: string[];
  workloads: string[];
}

export interface ImageInventory {
  images: InventoryImage[];
  nodePools: NodePool[];
  /** All imagePullSecrets names, sorted. */
  pullSecrets: string[];
  /** Namespaces the manifests name, sorted. */
  namespaces: string[];
  /**
   * Files or documents left out, and why (not parsed, a template, too large); `line` (1-based) when
   * one document or value of the file is meant. Dockerfiles and JSON files that hold no Kubernetes
   * object are not manifests and are passed over without an entry.
   */
  skipped: Array<{ file: string; reason: string; line?: number }>;
  /** Images written as variables (`${IMAGE}`, `{{ .Values.image }}`), which cannot be pulled as written; never in `images`. */
  placeholders: PlaceholderImage[];
}

export interface InventoryInput {
  files: ReadonlyArray<{ file: string; text: string }>;
  /** Digests and sizes, when registry access is on. */
  imageFacts?: ImageFactsLookup;
  /** Files larger than this many bytes are skipped (`podstart.maxFileSize`; default 5 MB, as the analysis). */
  maxFileSize?: number;
  /** Tags that name one build (`pull-always-immutable-image`'s option); default DEFAULT_PINNED_TAG_PATTERN. */
  pinnedTagPattern?: string;
  /** Per-document summaries kept from the last run: only documents whose text changed are parsed again. */
  cache?: InventoryCache;
}

/** A generator option, asked as a CLI flag and as an editor quick pick or input box. */
export interface GeneratorOption {
  /** camelCase; the CLI flag is its kebab-case (`nodeSelector` → `--node-selector`). */
  name: string;
  description: string;
  type: 'string' | 'number' | 'boolean' | 'choice' | 'string-list';
  choices?: ReadonlyArray<{ value: string; label: string; description?: string }>;
  default?: string | number | boolean | readonly string[];
  /** Ask for it in the editor (else its default is used unless a setting says otherwise). */
  ask?: boolean;
}

export type GeneratorOptionValues = Record<string, string | number | boolean | string[] | undefined>;

/** What a generator produced: the text of one file, and what it chose and why. */
export interface GeneratedFile {
  text: string;
  /** A file name to suggest (`podstart-pre-puller.yaml`). */
  fileName: string;
  language: 'yaml' | 'shellscript' | 'json' | 'plaintext';
  /** Sentences for the user: choices made, images left out and why. */
  notes: string[];
}

export interface GeneratorContext {
  inventory: ImageInventory;
  options: GeneratorOptionValues;
  /** `podstart.kubernetesVersion` (`1.34`). */
  kubernetesVersion: string;
}

export interface Generator {
  /** kebab-case: `podstart generate <id>`, and the editor command's argument. */
  id: string;
  /** For the command palette: `Generate Pre-puller DaemonSet`. */
  title: string;
  description: string;
  options: readonly GeneratorOption[];
  /** Whether it needs the workspace's images (the KubeletConfiguration does not). */
  usesImages: boolean;
  generate(context: GeneratorContext): GeneratedFile;
}
