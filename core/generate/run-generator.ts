/**
 * The one path from "these manifests" to a generated file, shared by `podstart generate` and the
 * editor's `podstart/generate` request, so that the two cannot drift: the same files, options,
 * Kubernetes version and registry answers give the same text, byte for byte.
 *
 *   files ─▶ size limit ─▶ inventory ─▶ (registry: look its images up) ─▶ inventory with facts
 *                                                                            │
 *   options ─▶ checked against the declaration, defaults filled ─────────────┴─▶ generator ─▶ GeneratedFile
 *
 * The front ends only gather the files (a folder walk, or the workspace's YAML files with the open
 * editors' text) and do the I/O the registry needs, through `RegistryAccess`.
 */
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../kubernetes-version';
import { DEFAULT_MAX_FILE_SIZE } from '../settings';
import type { ImageFactsLookup } from '../image-facts';
import { InventoryCache } from './document-images';
import { generatorById, GENERATORS, imageInventory } from './index';
import { GeneratorOptionError, resolveOptionValues } from './option-values';
import type { GeneratedFile, Generator, ImageInventory } from './types';

/** A request that cannot be carried out as asked: an unknown generator, an option value, no images. Shown to the user as it is. */
export class GenerationError extends Error {}

/** How a front end asks its registry: looks the references up (waiting for the answers), then answers synchronously. */
export interface RegistryAccess {
  lookUp(references: readonly string[]): Promise<void>;
  lookup: ImageFactsLookup;
}

export interface GenerationRequest {
  generatorId: string;
  /** The manifests, named as the front end shows them (relative to the workspace folder or the current folder), in a stable order. */
  files: ReadonlyArray<{ file: string; text: string }>;
  /** As given (CLI flags parsed by parseOptionText, the editor's answers); missing ones take their defaults. */
  options: Readonly<Record<string, unknown>>;
  /** `1.34`; the default release when absent. */
  kubernetesVersion?: string;
  /** Files the front end left out before reading them (too large, unreadable), and why. */
  skipped?: ReadonlyArray<{ file: string; reason: string }>;
  /** Bytes; larger files are left out, as the analysis leaves them (default 5 MB). */
  maxFileSize?: number;
  /** Registry access, when it is on (`--registry`, or `podstart.registry.enabled` in a trusted workspace). */
  registry?: RegistryAccess;
  /**
   * Document summaries kept between requests (the language server keeps one for its life), so that a
   * run after an edit parses only the edited documents; without it, one cache serves this request.
   */
  inventoryCache?: InventoryCache;
}

export function generatorFor(id: string): Generator {
  const generator = generatorById(id);
  if (!generator) throw new GenerationError(`Unknown generator "${id}": one of ${GENERATORS.map((candidate) => candidate.id).join(', ')}.`);
  return generator;
}

/**
 * Folder-walk order (`a/x.yaml` before `a.yaml`, as a sorted walk meets them), whatever order the
 * front end found the files in: the editor's file search and the CLI's walk then give the same text.
 */
function byPathSegments(a: { file: string }, b: { file: string }): number {
  const left = a.file.split('/');
  const right = b.file.split('/');
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index] < right[index] ? -1 : 1;
  }
  return left.length - right.length;
}

/** The files within the size limit, in folder-walk order, and a `skipped` entry for each of the others. */
function withinSizeLimit(request: Pick<GenerationRequest, 'files' | 'maxFileSize' | 'skipped'>): { files: Array<{ file: string; text: string }>; skipped: ImageInventory['skipped'] } {
  const limit = request.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const files: Array<{ file: string; text: string }> = [];
  const skipped: ImageInventory['skipped'] = [...(request.skipped ?? [])];
  for (const file of [...request.files].sort(byPathSegments)) {
    // The length check first: most files are far below the limit, and counting bytes walks the text.
    if (file.text.length > limit / 4 && Buffer.byteLength(file.text) > limit) {
      skipped.push({ file: file.file, reason: `larger than the maximum file size (${(limit / 1048576).toFixed(1)} MB)` });
    } else files.push(file);
  }
  skipped.sort(byPathSegments);
  return { files, skipped };
}

/**
 * The workspace's images, with the registry's digests and sizes when it is asked (every image is
 * looked up once). The second inventory, with the registry's facts, reuses the first one's document
 * summaries: each document is parsed once per request at most.
 */
export async function inventoryOf(request: Pick<GenerationRequest, 'files' | 'maxFileSize' | 'skipped' | 'registry' | 'inventoryCache'>): Promise<ImageInventory> {
  const { files, skipped } = withinSizeLimit(request);
  const cache = request.inventoryCache ?? new InventoryCache();
  // The size limit is the request's: the files were let through by it, and the inventory must not apply its default again.
  const maxFileSize = request.maxFileSize;
  let inventory = imageInventory({ files, cache, maxFileSize });
  if (request.registry && inventory.images.length > 0) {
    await request.registry.lookUp(inventory.images.map((image) => image.image));
    inventory = imageInventory({ files, imageFacts: request.registry.lookup, cache, maxFileSize });
  }
  return skipped.length > 0 ? { ...inventory, skipped: [...skipped, ...inventory.skipped] } : inventory;
}

const EMPTY_INVENTORY: ImageInventory = { images: [], nodePools: [], pullSecrets: [], namespaces: [], skipped: [], placeholders: [] };

/** Runs a generator over the request's files; throws GenerationError for a request that cannot be carried out. */
export async function runGenerator(request: GenerationRequest): Promise<GeneratedFile> {
  const generator = generatorFor(request.generatorId);
  const kubernetesVersion = request.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  if (!parseKubernetesVersion(kubernetesVersion)) throw new GenerationError(`"${kubernetesVersion}" is not a Kubernetes release such as 1.33.`);
  let options;
  try {
    options = resolveOptionValues(generator.options, request.options);
  } catch (error) {
    if (error instanceof GeneratorOptionError) throw new GenerationError(error.message);
    throw error;
  }
  // A generator that needs no images (the KubeletConfiguration) reads no file and asks no registry.
  const inventory = generator.usesImages ? await inventoryOf(request) : EMPTY_INVENTORY;
  if (generator.usesImages && inventory.images.length === 0) {
    const read = request.files.length;
    const why = read === 0 ? 'no YAML manifest was found' : `none of the ${read} file${read === 1 ? '' : 's'} read names a container image that can be pulled as written`;
    const left = inventory.skipped.length + inventory.placeholders.length;
    throw new GenerationError(`Nothing to generate: ${why}${left > 0 ? ` (${left} left out: ${[...inventory.skipped.map((entry) => `${entry.file}: ${entry.reason}`), ...inventory.placeholders.map((entry) => `${entry.file}:${entry.line}: a variable`)].slice(0, 3).join('; ')})` : ''}.`);
  }
  try {
    return generator.generate({ inventory, options, kubernetesVersion: kubernetesVersion.trim() });
  } catch (error) {
    // A generator checks what only it knows (a namespace that is not a DNS label): the user's to fix, in the same words.
    if (error instanceof GeneratorOptionError) throw new GenerationError(error.message);
    throw error;
  }
}
