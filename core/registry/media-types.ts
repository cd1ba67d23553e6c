/**
 * The manifest media types the client understands: OCI image manifests and indexes, and Docker
 * image manifest v2 schema 2 and manifest lists (which Docker Hub and most registries still serve).
 * Schema 1 manifests are obsolete (no layer sizes) and are not requested.
 */
export const OCI_IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_IMAGE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export const IMAGE_MANIFEST_TYPES: readonly string[] = [OCI_IMAGE_MANIFEST, DOCKER_MANIFEST_V2];
export const IMAGE_INDEX_TYPES: readonly string[] = [OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST];

/**
 * Sent on every manifest request. A registry picks the representation from this list; without the
 * index types it would convert or refuse multi-platform images, and without the Docker types older
 * registries would fall back to schema 1.
 */
export const MANIFEST_ACCEPT_HEADER = [OCI_IMAGE_INDEX, DOCKER_MANIFEST_LIST, OCI_IMAGE_MANIFEST, DOCKER_MANIFEST_V2].join(', ');

/** `application/json; charset=utf-8` → `application/json`. */
export function essenceOf(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  return essence || undefined;
}
