/**
 * Pushes images to a registry through the Distribution HTTP API, as `docker push` or `oras` would:
 * each blob as a monolithic upload (POST to open an upload session, PUT the bytes with their
 * digest), then the image manifest (OCI or Docker v2 schema 2), and optionally an image index
 * (OCI index or Docker manifest list) over several platform images. Digests and sizes are computed
 * here, independently of the client under test, so that tests compare the client with what was
 * pushed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export interface PushTarget {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Authorization header for pushing (`Basic ...`, or `Bearer ...` with push access). */
  authorization?: string;
}

export interface PushedBlob {
  digest: string;
  size: number;
}

export interface PushedImage {
  /** Digest of the image manifest as pushed. */
  digest: string;
  mediaType: string;
  /** Size of the manifest itself, for index entries. */
  manifestSize: number;
  /** Config plus layers, what the client should report. */
  compressedSize: number;
  layerCount: number;
  platform: { os: string; architecture: string; variant?: string };
}

export interface ImageSpec {
  /** Layer contents; random bytes stand in for gzipped tar files, which are just as incompressible. */
  layers: Buffer[];
  platform?: { os: string; architecture: string; variant?: string };
  format?: 'oci' | 'docker';
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** `size` random bytes: a layer that cannot be deduplicated against another test's. */
export function randomLayer(size: number): Buffer {
  return randomBytes(size);
}

export async function pushBlob(target: PushTarget, repository: string, bytes: Buffer): Promise<PushedBlob> {
  const digest = sha256(bytes);
  const start = await fetch(`${target.baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: authHeaders(target) });
  await start.arrayBuffer();
  assert.equal(start.status, 202, `starting a blob upload to ${repository} answered ${start.status}`);
  const location = start.headers.get('location');
  assert.ok(location, 'the upload session has a Location');
  const uploadUrl = new URL(location, target.baseUrl);
  uploadUrl.searchParams.set('digest', digest);
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { ...authHeaders(target), 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    body: bytes,
  });
  const answer = await put.text();
  assert.equal(put.status, 201, `uploading ${digest} answered ${put.status}: ${answer}`);
  assert.equal(put.headers.get('docker-content-digest'), digest);
  return { digest, size: bytes.length };
}

/** PUTs a manifest or index under `reference` (a tag or its digest) and returns its digest and size. */
export async function pushManifest(target: PushTarget, repository: string, reference: string, document: object, mediaType: string): Promise<PushedBlob> {
  const body = JSON.stringify(document, null, 3);
  const response = await fetch(`${target.baseUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...authHeaders(target), 'content-type': mediaType },
    body,
  });
  const answer = await response.text();
  assert.equal(response.status, 201, `pushing ${repository}:${reference} answered ${response.status}: ${answer}`);
  const digest = sha256(body);
  assert.equal(response.headers.get('docker-content-digest'), digest, 'the registry stored the manifest as sent');
  return { digest, size: Buffer.byteLength(body) };
}

/** Pushes the layers, a config and the image manifest, tagged `tag` (or untagged when `tag` is undefined). */
export async function pushImage(target: PushTarget, repository: string, tag: string | undefined, spec: ImageSpec): Promise<PushedImage> {
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const oci = (spec.format ?? 'oci') === 'oci';
  const layers = [];
  for (const layer of spec.layers) layers.push(await pushBlob(target, repository, layer));
  const config = Buffer.from(
    JSON.stringify({
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      // Test layers are not real tar files, so these are stand-ins; the registry does not read them.
      rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
      config: { Cmd: ['/app'] },
    }),
  );
  const configBlob = await pushBlob(target, repository, config);
  const layerType = oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
  const mediaType = oci ? OCI_MANIFEST : DOCKER_MANIFEST;
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', digest: configBlob.digest, size: configBlob.size },
    layers: layers.map((layer) => ({ mediaType: layerType, digest: layer.digest, size: layer.size })),
  };
  const body = JSON.stringify(manifest, null, 3);
  const pushed = await pushManifest(target, repository, tag ?? sha256(body), manifest, mediaType);
  return {
    digest: pushed.digest,
    mediaType,
    manifestSize: pushed.size,
    compressedSize: configBlob.size + layers.reduce((sum, layer) => sum + layer.size, 0),
    layerCount: layers.length,
    platform,
  };
}

export interface IndexEntry {
  image: PushedImage;
  /** The platform written in the index, when it should differ from the image's (variant spellings). */
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

/** Pushes an index over images already pushed to the same repository. */
export async function pushIndex(target: PushTarget, repository: string, tag: string, entries: IndexEntry[], format: 'oci' | 'docker' = 'oci'): Promise<PushedBlob & { mediaType: string }> {
  const mediaType = format === 'oci' ? OCI_INDEX : DOCKER_MANIFEST_LIST;
  const index = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((entry) => ({
      mediaType: entry.image.mediaType,
      digest: entry.image.digest,
      size: entry.image.manifestSize,
      platform: entry.platform ?? entry.image.platform,
      ...(entry.annotations ? { annotations: entry.annotations } : {}),
    })),
  };
  return { ...(await pushManifest(target, repository, tag, index, mediaType)), mediaType };
}

function authHeaders(target: PushTarget): Record<string, string> {
  return target.authorization ? { authorization: target.authorization } : {};
}
