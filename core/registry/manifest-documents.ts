/**
 * Reading manifests and indexes from the bytes a registry served. Only the fields the image facts
 * need are read (descriptors: media type, digest, size, platform), and each is checked, so that a
 * malformed or hostile answer becomes a clear "bad response" instead of a wrong size.
 */
import { isValidDigest } from './content-digest';
import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, IMAGE_INDEX_TYPES, IMAGE_MANIFEST_TYPES, OCI_IMAGE_INDEX, OCI_IMAGE_MANIFEST } from './media-types';
import type { Platform } from './platform';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

/** Thrown for content that is not a manifest the client understands; the caller adds the image name. */
export class InvalidManifestError extends Error {}

/**
 * Parses a manifest or index. `contentType` is the response's Content-Type essence; the document's
 * own `mediaType` field decides when the server sent a generic type, as some registries do.
 */
export function parseManifestDocument(body: Uint8Array, contentType: string | undefined): ImageManifest | ImageIndex {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new InvalidManifestError('the manifest is not JSON');
  }
  if (!isObject(document)) throw new InvalidManifestError('the manifest is not a JSON object');
  const declared = typeof document.mediaType === 'string' ? document.mediaType : undefined;
  const mediaType = [declared, contentType].find((type) => type && (IMAGE_MANIFEST_TYPES.includes(type) || IMAGE_INDEX_TYPES.includes(type))) ?? inferMediaType(document);
  if (!mediaType) {
    if (document.schemaVersion === 1) throw new InvalidManifestError('the registry served a schema 1 manifest, which has no layer sizes');
    throw new InvalidManifestError(`unsupported manifest type ${declared ?? contentType ?? '(none)'}`);
  }
  if (IMAGE_INDEX_TYPES.includes(mediaType)) {
    if (!Array.isArray(document.manifests)) throw new InvalidManifestError('the index has no "manifests" list');
    return { kind: 'index', mediaType, manifests: document.manifests.map((entry, index) => readDescriptor(entry, `manifests[${index}]`)) };
  }
  if (!Array.isArray(document.layers)) throw new InvalidManifestError('the manifest has no "layers" list');
  return {
    kind: 'manifest',
    mediaType,
    config: readDescriptor(document.config, 'config'),
    layers: document.layers.map((entry, index) => readDescriptor(entry, `layers[${index}]`)),
  };
}

/** OCI allows a manifest without `mediaType`; its shape then tells an index from an image manifest. */
function inferMediaType(document: Record<string, unknown>): string | undefined {
  if (document.schemaVersion !== 2) return undefined;
  if (Array.isArray(document.manifests)) return document.mediaType === DOCKER_MANIFEST_LIST ? DOCKER_MANIFEST_LIST : OCI_IMAGE_INDEX;
  if (Array.isArray(document.layers) && isObject(document.config)) return document.mediaType === DOCKER_MANIFEST_V2 ? DOCKER_MANIFEST_V2 : OCI_IMAGE_MANIFEST;
  return undefined;
}

function readDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw new InvalidManifestError(`${where} is not a descriptor`);
  const { mediaType, digest, size, platform } = value;
  if (typeof mediaType !== 'string' || !mediaType) throw new InvalidManifestError(`${where} has no mediaType`);
  if (typeof digest !== 'string' || !isValidDigest(digest)) throw new InvalidManifestError(`${where} has no valid digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new InvalidManifestError(`${where} has no valid size`);
  const descriptor: Descriptor = { mediaType, digest, size };
  if (isObject(platform) && typeof platform.os === 'string' && typeof platform.architecture === 'string') {
    descriptor.platform = { os: platform.os, architecture: platform.architecture };
    if (typeof platform.variant === 'string' && platform.variant) descriptor.platform.variant = platform.variant;
  }
  return descriptor;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
