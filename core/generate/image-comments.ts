/**
 * What generated files say about each image they pull: where the manifests use it, which
 * reference is pulled and why (the digest the manifest writes, the digest the registry resolved a
 * tag to, or a tag that can move), and which images belong on a node with given labels. The
 * ImageCache and the node bootstrap script write the same words, so a reader of either learns the
 * same facts.
 */
import { isMap, isScalar } from 'yaml';
import { parseImageReference } from '../image-reference';
import type { ImageInventory, InventoryImage } from './types';

/** Sources listed by name before "and N more": enough to find the manifests, short enough to read. */
const LISTED_SOURCES = 3;

/** `Deployment shop/api, container api (deploy/api.yaml:14)`; init containers and sidecars say so. */
export function describeSources(image: InventoryImage): string {
  const kindWord = { container: 'container', initContainer: 'init container', sidecar: 'sidecar', ephemeralContainer: 'ephemeral container' } as const;
  const listed = image.sources.slice(0, LISTED_SOURCES).map((source) => `${source.workload}, ${kindWord[source.containerKind]} ${source.container} (${source.file}:${source.line})`);
  const more = image.sources.length - listed.length;
  return `${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** `sha256:0123456789ab…`: enough to recognise a digest in a comment. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}...` : digest;
}

/** Whether the manifests themselves write the digest (as opposed to the registry having resolved a tag). */
function digestWritten(image: InventoryImage): boolean {
  return parseImageReference(image.image)?.digest !== undefined;
}

/** The tag as written (`:latest`), or `no tag (:latest)` for a bare name. */
function tagText(image: InventoryImage): string {
  const tag = parseImageReference(image.image)?.tag;
  return tag === undefined ? 'no tag (so :latest)' : `the tag :${tag}`;
}

/** A tag that can move and no digest to pin it to: what is pulled is whatever the tag names at the time. */
export function isUnpinnedMutable(image: InventoryImage): boolean {
  return image.mutable && image.digest === undefined;
}

/**
 * How the pulled reference was chosen, as a comment: a digest the manifest writes, a tag pinned to
 * the digest the registry resolved it to, a tag that names one build, or a moving tag left as is
 * (flagged, with the way to pin it).
 */
export function pinningComment(image: InventoryImage): string {
  if (image.digest !== undefined && digestWritten(image)) return 'pinned by digest in the manifests';
  if (image.digest !== undefined) {
    const tag = image.mutable ? `${tagText(image)} can move:` : `${tagText(image)},`;
    return `${tag} pinned to ${shortDigest(image.digest)}, the digest the registry resolved it to when this file was generated`;
  }
  if (!image.mutable) return `${tagText(image)} names one build`;
  return `MUTABLE: ${tagText(image)} can move and no digest is known, so this pulls whatever it names at the time, which may not be what the pods run; pin it (Podstart's mutable-image-tag fix), or generate again with registry access (podstart generate --registry) to pin it here`;
}

/** A note for the user listing the moving tags left unpinned, or nothing when every image is pinned. */
export function unpinnedNote(images: readonly InventoryImage[]): string[] {
  const unpinned = images.filter(isUnpinnedMutable).map((image) => image.image);
  if (unpinned.length === 0) return [];
  return [`${unpinned.length} image${unpinned.length === 1 ? ' has a tag' : 's have tags'} that can move and no known digest, pulled by tag: ${unpinned.join(', ')}. Pin them in the manifests, or generate with registry access to pin them here.`];
}

/** `pool=gpu, zone=a`, or `every node` for the empty selector. */
export function describeSelector(selector: Record<string, string>): string {
  const entries = Object.entries(selector);
  return entries.length === 0 ? 'every node' : entries.map(([key, value]) => `${key}=${value}`).join(', ');
}

/**
 * The images a node with these labels runs: those of every pool whose nodeSelector the labels
 * satisfy (a pod lands on a node only when each of its selector's labels matches), the pool without
 * a selector included. In the inventory's order.
 */
export function imagesForNodeLabels(inventory: ImageInventory, labels: Record<string, string>): InventoryImage[] {
  const wanted = new Set(
    inventory.nodePools
      .filter((pool) => Object.entries(pool.selector).every(([key, value]) => labels[key] === value))
      .flatMap((pool) => pool.images),
  );
  return inventory.images.filter((image) => wanted.has(image.image));
}

const UNIT_WORD = /^(s|ms|GB|MB|%)[,.;:)]?$/;

/** Text as the lines of a YAML comment of about 100 columns (the yaml library writes each line after a `#`). */
export function commentText(text: string, width = 98): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      // A unit stays on the line of its number (`10 s`, `1 GB`), even a little past the width.
      if (line && line.length + 1 + word.length > width && !UNIT_WORD.test(word)) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.map((line) => ` ${line}`.trimEnd()).join('\n');
}

/** Puts a comment above a map entry (`key: value`): on the key, because a comment on a collection value lands after the key. */
export function commentAboveKey(map: unknown, key: string, comment: string): void {
  const pair = isMap(map) ? map.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
  if (pair && isScalar(pair.key)) pair.key.commentBefore = comment;
}
