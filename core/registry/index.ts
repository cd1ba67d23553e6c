/**
 * The OCI Distribution client: image facts (digest, compressed size, layer count, platform) from
 * the registry that serves an image. Pure Node (http, https, fs, crypto); no editor API. Entry point:
 * `new RegistryClient(options).getImageFacts(reference)`.
 */
export { RegistryClient, DEFAULT_FAILURE_TTL_MS, DEFAULT_TAG_TTL_MS, DEFAULT_TIMEOUT_MS, type LookupOptions, type RegistryClientOptions } from './registry-client';
export type { ImageFacts } from './image-facts';
export { locateImage, type ImageLocation } from './image-location';
export { DEFAULT_PLATFORM, formatPlatform, parsePlatform, type Platform } from './platform';
export { defaultDockerConfigPath } from './docker-credentials';
export { estimatePullSeconds, formatByteSize } from './pull-estimate';
export {
  RegistryError,
  RegistryBadResponseError,
  RegistryInvalidReferenceError,
  RegistryNoMatchingPlatformError,
  RegistryNotFoundError,
  RegistryRateLimitedError,
  RegistryTimeoutError,
  RegistryUnauthorizedError,
  RegistryUnreachableError,
  type RegistryErrorKind,
} from './registry-errors';
