/**
 * What a registry says about one image reference for one platform: the digest the reference
 * resolves to, the platform's image manifest, and from it the compressed size (config plus layers,
 * which is what a node downloads when it has none of the layers) and the layer count.
 *
 * Manifests are read with GET, since the sizes are in the body, and the body's digest is checked
 * against what was asked for (a digest reference, an index entry) and against the registry's
 * Docker-Content-Digest header. When a cached answer for a tag has expired, a HEAD (which Docker Hub
 * does not count as a pull) tells whether the tag still points at the same digest before anything
 * is downloaded again.
 */
import { digestOf, isValidDigest } from './content-digest';
import type { CredentialLookup } from './docker-credentials';
import { DOCKER_HUB_API_HOST, type ImageLocation } from './image-location';
import { InvalidManifestError, parseManifestDocument, type ImageIndex, type ImageManifest } from './manifest-documents';
import { MANIFEST_ACCEPT_HEADER, essenceOf } from './media-types';
import { choosePlatform, formatPlatform, type Platform } from './platform';
import {
  RegistryBadResponseError,
  RegistryNoMatchingPlatformError,
  RegistryNotFoundError,
  RegistryRateLimitedError,
  RegistryUnauthorizedError,
  RegistryUnreachableError,
} from './registry-errors';
import type { Deadline, HttpResponse, RegistryHttp } from './registry-http';
import { RegistrySession } from './registry-session';
import type { TokenCache } from './token-cache';

export interface ImageFacts {
  /** The reference in full: `docker.io/library/nginx:1.27` (Docker Hub names expanded). */
  canonical: string;
  /** The API host that served it: `registry-1.docker.io`, `ghcr.io`. */
  registry: string;
  repository: string;
  tag?: string;
  /**
   * The digest the reference resolves to: the image index's for a multi-platform image, else the
   * image manifest's. This is what "pin to digest" writes (`name:tag@digest`): pinning the index
   * keeps the image multi-platform.
   */
  digest: string;
  /** Media type of the document `digest` names (an index or an image manifest type). */
  mediaType: string;
  /** Digest of the image manifest for the platform (equal to `digest` when the reference names an image manifest). */
  manifestDigest: string;
  manifestMediaType: string;
  /** The platform chosen from the index; undefined when the reference names a single image manifest. */
  platform?: Platform;
  /** Every platform the index offers (`linux/amd64`, `linux/arm64/v8`), in index order; empty for a single manifest. */
  availablePlatforms: string[];
  /** Config plus layer sizes in bytes, as stored (compressed) in the registry. */
  compressedSize: number;
  layerCount: number;
  /** When the registry was asked (epoch milliseconds). */
  fetchedAt: number;
}

export interface FetchContext {
  http: RegistryHttp;
  tokens: TokenCache;
  credentials: CredentialLookup;
  dockerConfigPath: string;
  deadline: Deadline;
  now: () => number;
}

/** Distribution refuses manifests over 4 MiB; anything bigger is not a manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** An index may point at another index; real images nest at most once. */
const MAX_INDEX_DEPTH = 3;

export async function fetchImageFacts(location: ImageLocation, platform: Platform, context: FetchContext): Promise<ImageFacts> {
  const session = openSession(location, context);
  const top = await getManifest(session, location, location.reference, location.digest, context);
  const availablePlatforms: string[] = [];
  let chosen: Platform | undefined;
  let current = top;
  for (let depth = 0; current.document.kind === 'index'; depth++) {
    if (depth === MAX_INDEX_DEPTH) throw new RegistryBadResponseError(`${location.canonical}: image indexes nested more than ${MAX_INDEX_DEPTH} deep`, location.registry);
    const index: ImageIndex = current.document;
    const candidates = index.manifests.filter((entry) => entry.platform && !isUnknownPlatform(entry.platform));
    if (depth === 0) availablePlatforms.push(...candidates.map((entry) => formatPlatform(entry.platform!)));
    const entry = choosePlatform(candidates, platform);
    if (!entry) {
      const offered = candidates.map((candidate) => formatPlatform(candidate.platform!));
      throw new RegistryNoMatchingPlatformError(
        `${location.canonical} has no image for ${formatPlatform(platform)}; it offers ${offered.length ? offered.join(', ') : 'no platforms'}`,
        location.registry,
        offered,
      );
    }
    chosen = entry.platform;
    current = await getManifest(session, location, entry.digest, entry.digest, context);
    if (current.size !== entry.size) {
      throw new RegistryBadResponseError(`${location.canonical}: the manifest for ${formatPlatform(entry.platform!)} is ${current.size} bytes, but the index says ${entry.size}`, location.registry);
    }
  }
  const manifest: ImageManifest = current.document;
  const compressedSize = manifest.layers.reduce((sum, layer) => sum + layer.size, manifest.config.size);
  // Optional fields are left out rather than set to undefined, so that facts read back from the
  // disk cache equal the facts fetched.
  return {
    canonical: location.canonical,
    registry: location.registry,
    repository: location.repository,
    ...(location.tag !== undefined ? { tag: location.tag } : {}),
    digest: top.digest,
    mediaType: top.document.mediaType,
    manifestDigest: current.digest,
    manifestMediaType: manifest.mediaType,
    ...(chosen ? { platform: chosen } : {}),
    availablePlatforms,
    compressedSize,
    layerCount: manifest.layers.length,
    fetchedAt: context.now(),
  };
}

/**
 * Asks with HEAD whether `location`'s tag still resolves to `cached.digest`. Returns the cached
 * facts, dated now, when it does; undefined when the tag moved or the registry does not say (then
 * the caller fetches again).
 */
export async function revalidateImageFacts(location: ImageLocation, cached: ImageFacts, context: FetchContext): Promise<ImageFacts | undefined> {
  const session = openSession(location, context);
  const response = await session.request({
    method: 'HEAD',
    path: manifestPath(location, location.reference),
    headers: { accept: MANIFEST_ACCEPT_HEADER },
    maxBodyBytes: MAX_MANIFEST_BYTES,
  });
  if (response.status !== 200) throw failureFor(response, location, session, context);
  const digest = response.headers['docker-content-digest']?.[0];
  if (!digest || digest !== cached.digest) return undefined;
  return { ...cached, fetchedAt: context.now() };
}

function openSession(location: ImageLocation, context: FetchContext): RegistrySession {
  return new RegistrySession({
    http: context.http,
    tokens: context.tokens,
    registry: location.registry,
    repository: location.repository,
    credentials: context.credentials.credentials,
    deadline: context.deadline,
  });
}

function isUnknownPlatform(platform: Platform): boolean {
  // BuildKit stores provenance and SBOM attestations in the index as `unknown/unknown`.
  return platform.os === 'unknown' || platform.architecture === 'unknown';
}

function manifestPath(location: ImageLocation, reference: string): string {
  return `/v2/${location.repository}/manifests/${reference}`;
}

interface FetchedManifest {
  document: ImageManifest | ImageIndex;
  digest: string;
  size: number;
}

async function getManifest(session: RegistrySession, location: ImageLocation, reference: string, expectedDigest: string | undefined, context: FetchContext): Promise<FetchedManifest> {
  const response = await session.request({
    method: 'GET',
    path: manifestPath(location, reference),
    headers: { accept: MANIFEST_ACCEPT_HEADER },
    maxBodyBytes: MAX_MANIFEST_BYTES,
  });
  if (response.status !== 200) throw failureFor(response, location, session, context);
  const body = response.body;
  const announced = response.headers['docker-content-digest']?.[0]?.trim();
  if (announced && isValidDigest(announced) && digestOf(body, announced) !== announced) {
    throw new RegistryBadResponseError(`${location.canonical}: the manifest ${location.registry} sent does not match its Docker-Content-Digest header`, location.registry);
  }
  if (expectedDigest && digestOf(body, expectedDigest) !== expectedDigest) {
    throw new RegistryBadResponseError(`${location.canonical}: the manifest ${location.registry} sent for ${expectedDigest} has a different digest`, location.registry);
  }
  const digest = expectedDigest ?? (announced && isValidDigest(announced) ? announced : digestOf(body));
  try {
    return { document: parseManifestDocument(body, essenceOf(response.headers['content-type']?.[0])), digest, size: body.length };
  } catch (error) {
    if (error instanceof InvalidManifestError) throw new RegistryBadResponseError(`${location.canonical}: ${error.message}`, location.registry);
    throw error;
  }
}

/** The error for a manifest request that did not answer 200. */
function failureFor(response: HttpResponse, location: ImageLocation, session: RegistrySession, context: FetchContext): Error {
  const { registry, canonical } = location;
  const codes = registryErrorCodes(response.body);
  const status = response.status;
  if (status === 401 || status === 403) return new RegistryUnauthorizedError(session.redact(describeRefusal(location, session, context)), registry);
  if (status === 404) {
    if (codes.includes('NAME_UNKNOWN')) return new RegistryNotFoundError(`${canonical}: repository ${location.repository} not found on ${registry}`, registry);
    const missing = location.digest ? `digest ${location.digest}` : `tag ${location.tag}`;
    return new RegistryNotFoundError(`${canonical}: ${missing} not found in ${location.repository} on ${registry}`, registry);
  }
  if (status === 429) {
    const hint = registry === DOCKER_HUB_API_HOST ? '; Docker Hub counts every manifest request as a pull, and limits anonymous pulls most' : '';
    return new RegistryRateLimitedError(`${canonical}: ${registry} is rate-limiting requests (HTTP 429)${hint}`, registry);
  }
  if (status >= 500) return new RegistryUnreachableError(`${canonical}: ${registry} answered HTTP ${status}`, registry);
  const detail = codes.length ? ` (${codes.join(', ')})` : '';
  return new RegistryBadResponseError(session.redact(`${canonical}: ${registry} answered HTTP ${status}${detail}`), registry);
}

/** Why the registry refused, in terms of where credentials would come from. */
function describeRefusal(location: ImageLocation, session: RegistrySession, context: FetchContext): string {
  const { registry, canonical } = location;
  const { credentials, problem } = context.credentials;
  const configPath = context.dockerConfigPath;
  let reason: string;
  if (credentials.kind === 'helper') {
    reason = `the credentials for ${registry} are kept by the credential helper docker-credential-${credentials.helper} (${configPath}), which Podstart does not run; the repository may be private`;
  } else if (session.sentCredentials) {
    reason = `the credentials for ${registry} in ${configPath} were refused or do not grant pull access`;
  } else {
    reason = `no credentials for ${registry} in ${configPath}${problem ? ` (${problem})` : ''}; the repository may be private or may not exist`;
  }
  return `${canonical}: access denied by ${registry}: ${reason}`;
}

/** The `code`s of a Distribution error body (`{"errors":[{"code":"MANIFEST_UNKNOWN",...}]}`); only well-formed codes, never free text. */
function registryErrorCodes(body: Buffer): string[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ code?: unknown }> };
    return (parsed.errors ?? []).map((error) => error.code).filter((code): code is string => typeof code === 'string' && /^[A-Z_]{1,64}$/.test(code));
  } catch {
    return [];
  }
}
