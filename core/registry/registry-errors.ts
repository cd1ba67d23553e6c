/**
 * What can go wrong when asking a registry about an image, as one error class per outcome, so that
 * callers decide by kind (the language server logs `unreachable` and `timeout` and shows nothing,
 * but can say "unauthorized" on the image) instead of parsing messages.
 *
 * Messages never contain credentials or tokens: they are built only from the image name, the
 * registry host, HTTP status codes and the registry's error codes, and `redactSecrets` removes any
 * secret the client knows of from whatever text a server sent back.
 */
export type RegistryErrorKind =
  | 'invalid-reference'
  | 'unauthorized'
  | 'not-found'
  | 'no-matching-platform'
  | 'rate-limited'
  | 'unreachable'
  | 'timeout'
  | 'bad-response';

export abstract class RegistryError extends Error {
  abstract readonly kind: RegistryErrorKind;

  constructor(message: string, readonly registry: string | undefined) {
    super(message);
  }
}

/** The text is not an image reference the Distribution grammar accepts. */
export class RegistryInvalidReferenceError extends RegistryError {
  override readonly name = 'RegistryInvalidReferenceError';
  readonly kind = 'invalid-reference';
}

/** The registry (or its token service) refused the request: no credentials, wrong ones, or no access. */
export class RegistryUnauthorizedError extends RegistryError {
  override readonly name = 'RegistryUnauthorizedError';
  readonly kind = 'unauthorized';
}

/** The repository, tag or digest does not exist on the registry. */
export class RegistryNotFoundError extends RegistryError {
  override readonly name = 'RegistryNotFoundError';
  readonly kind = 'not-found';
}

/** The reference names an image index that has no image for the requested platform. */
export class RegistryNoMatchingPlatformError extends RegistryError {
  override readonly name = 'RegistryNoMatchingPlatformError';
  readonly kind = 'no-matching-platform';

  constructor(message: string, registry: string, readonly availablePlatforms: string[]) {
    super(message, registry);
  }
}

/** HTTP 429: the registry limits how often we may ask (Docker Hub counts manifest GETs as pulls). */
export class RegistryRateLimitedError extends RegistryError {
  override readonly name = 'RegistryRateLimitedError';
  readonly kind = 'rate-limited';
}

/** No answer: DNS failure, connection refused or reset, TLS failure, or a 5xx from the registry. */
export class RegistryUnreachableError extends RegistryError {
  override readonly name = 'RegistryUnreachableError';
  readonly kind = 'unreachable';
}

/** The whole lookup did not finish within the configured time. */
export class RegistryTimeoutError extends RegistryError {
  override readonly name = 'RegistryTimeoutError';
  readonly kind = 'timeout';
}

/** The registry answered with something that is not a valid manifest, or whose digest does not match. */
export class RegistryBadResponseError extends RegistryError {
  override readonly name = 'RegistryBadResponseError';
  readonly kind = 'bad-response';
}

/**
 * Removes every known secret (passwords, tokens, base64 `auth` strings) from text that came from
 * a server, so that an error message or a log line cannot leak one even if a server echoes it.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    // Short values (a one-letter password) would redact ordinary words and protect nothing.
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
