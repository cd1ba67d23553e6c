/**
 * Where an image lives, the way the container runtime resolves a reference: which registry host
 * serves the Distribution API, which repository, and which tag or digest. Docker Hub names are
 * normalised as Docker does: `nginx` is `docker.io/library/nginx:latest`, served by
 * registry-1.docker.io.
 */
import { parseImageReference } from '../image-reference';
import { isValidDigest } from './content-digest';
import { RegistryInvalidReferenceError } from './registry-errors';

export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** The names Docker accepts for Docker Hub in a reference. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export interface ImageLocation {
  /** Host (and port) that serves `/v2/`: `registry-1.docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path within the registry: `library/nginx`, `acme/api`. */
  repository: string;
  tag?: string;
  digest?: string;
  /** What to ask the manifests endpoint for: the digest when there is one (it wins over the tag, as in the runtime), else the tag. */
  reference: string;
  /** The reference written out in full, as `docker.io/library/nginx:1.27` or `ghcr.io/acme/api@sha256:...`. */
  canonical: string;
}

// From the Distribution reference grammar (distribution/reference/regexp.go): lowercase path
// components separated by `/`, each made of alphanumerics joined by `.`, `_`, `__` or dashes.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d+)?$/;

export function locateImage(raw: string): ImageLocation {
  const parsed = parseImageReference(raw);
  if (!parsed) throw new RegistryInvalidReferenceError(`"${raw}" is not an image reference`, undefined);
  const registryName = parsed.registry ?? 'docker.io';
  if (!HOST.test(registryName)) throw new RegistryInvalidReferenceError(`"${raw}": "${registryName}" is not a registry host`, undefined);
  const isDockerHub = DOCKER_HUB_ALIASES.has(registryName.toLowerCase());
  const registry = isDockerHub ? DOCKER_HUB_API_HOST : registryName;
  let repository = parsed.repository;
  // Docker Hub's official images live under `library/`; `docker.io/nginx` means the same image.
  if (isDockerHub && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository.split('/').every((component) => PATH_COMPONENT.test(component))) {
    throw new RegistryInvalidReferenceError(`"${raw}": repository "${repository}" must be lowercase letters, digits and separators`, registry);
  }
  if (parsed.tag !== undefined && !TAG.test(parsed.tag)) throw new RegistryInvalidReferenceError(`"${raw}": "${parsed.tag}" is not a valid tag`, registry);
  if (parsed.digest !== undefined && !isValidDigest(parsed.digest)) {
    throw new RegistryInvalidReferenceError(`"${raw}": "${parsed.digest}" is not a sha256 or sha512 digest`, registry);
  }
  const tag = parsed.digest ? parsed.tag : parsed.tag ?? 'latest';
  const displayRegistry = isDockerHub ? 'docker.io' : registry;
  const canonical = `${displayRegistry}/${repository}${tag ? `:${tag}` : ''}${parsed.digest ? `@${parsed.digest}` : ''}`;
  return { registry, repository, tag, digest: parsed.digest, reference: parsed.digest ?? tag!, canonical };
}

/**
 * Hosts that may be spoken to over plain HTTP: loopback (a local registry such as `kind`'s or a
 * test registry) and what the user explicitly marks insecure. Everything else uses HTTPS, so that
 * credentials and manifests are never exposed on the network by accident.
 */
export function allowsPlainHttp(host: string, insecureRegistries: readonly string[]): boolean {
  const hostname = hostWithoutPort(host).toLowerCase();
  if (hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname)) return true;
  const wanted = host.toLowerCase();
  return insecureRegistries.some((entry) => {
    const normalised = entry.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    return normalised === wanted || normalised === hostname;
  });
}

export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
