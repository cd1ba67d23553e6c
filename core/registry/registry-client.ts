/**
 * The registry client the editor and the CLI share: `getImageFacts('nginx:1.27')` answers with the
 * digest, compressed size and layer count of the image a node of the configured platform would
 * pull, from the cache when it can and from the registry otherwise.
 *
 * It never holds anything back for long: every lookup has one deadline (10 s by default) for all
 * its requests; two callers asking about the same image at once share one lookup; a failed lookup
 * is remembered for a minute, so that a registry that is down or refusing is not asked again on
 * every keystroke; and nothing is retried. Callers decide what a failure means (the language
 * server logs `unreachable` and `timeout` and shows nothing).
 */
import { defaultDockerConfigPath, lookUpDockerCredentials } from './docker-credentials';
import { fetchImageFacts, revalidateImageFacts, type FetchContext, type ImageFacts } from './image-facts';
import { ImageFactsCache } from './image-facts-cache';
import { locateImage, type ImageLocation } from './image-location';
import { DEFAULT_PLATFORM, formatPlatform, normalizePlatform, parsePlatform, type Platform } from './platform';
import { RegistryError, RegistryInvalidReferenceError } from './registry-errors';
import { Deadline, RegistryHttp } from './registry-http';
import { TokenCache } from './token-cache';

export interface RegistryClientOptions {
  /** The nodes' platform, as `os/arch[/variant]` or an object; `linux/amd64` by default. */
  platform?: string | Platform;
  /** Time for a whole lookup (token, index and manifest requests together); 10 s by default. */
  timeoutMs?: number;
  /** Docker client configuration with registry credentials; `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` by default. */
  dockerConfigPath?: string;
  /** Registry hosts (`host` or `host:port`) that may be spoken to over plain http besides loopback. */
  insecureRegistries?: readonly string[];
  /** Directory for the on-disk cache; memory only when undefined. */
  cacheDir?: string;
  /** How long facts about a tag are trusted before the registry is asked again; 1 hour by default. */
  tagTtlMs?: number;
  /** How long a failed lookup is remembered before the registry is asked again; 1 minute by default. */
  failureTtlMs?: number;
  /** The clock for cache lifetimes (epoch milliseconds). */
  now?: () => number;
  /** Where to report what the user may want to know but is not an error of the lookup (an unreadable config, a credential helper not run). */
  log?: (message: string) => void;
  userAgent?: string;
}

export interface LookupOptions {
  /** Overrides the client's platform for this lookup. */
  platform?: string | Platform;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_TAG_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_FAILURE_TTL_MS = 60 * 1000;

export class RegistryClient {
  private readonly platform: Platform;
  private readonly timeoutMs: number;
  private readonly dockerConfigPath: string;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly http: RegistryHttp;
  private readonly tokens = new TokenCache();
  private readonly cache: ImageFactsCache;
  private readonly inFlight = new Map<string, Promise<ImageFacts>>();
  private readonly failures = new Map<string, { error: RegistryError; until: number }>();
  private readonly reportedCredentialNotes = new Set<string>();

  constructor(options: RegistryClientOptions = {}) {
    this.platform = toPlatform(options.platform ?? DEFAULT_PLATFORM);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dockerConfigPath = options.dockerConfigPath ?? defaultDockerConfigPath();
    this.failureTtlMs = options.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.http = new RegistryHttp(options.insecureRegistries ?? [], options.userAgent ?? 'podstart');
    this.cache = new ImageFactsCache({ cacheDir: options.cacheDir, tagTtlMs: options.tagTtlMs ?? DEFAULT_TAG_TTL_MS, now: this.now, log: this.log });
  }

  /**
   * Facts about `image` for the platform. Rejects with a `RegistryError` (see its `kind`) when the
   * reference is invalid or the registry cannot answer.
   */
  async getImageFacts(image: string, options: LookupOptions = {}): Promise<ImageFacts> {
    const location = locateImage(image);
    const platform = options.platform ? toPlatform(options.platform) : this.platform;
    const key = cacheKey(location, platform);
    const cached = this.cache.get(key);
    if (cached && this.cache.isFresh(cached)) return asAskedFor(cached.facts, location);
    const failure = this.failures.get(key);
    if (failure && failure.until > this.now()) throw failure.error;
    const running = this.inFlight.get(key);
    if (running) return asAskedFor(await running, location);
    const lookup = this.lookUp(key, location, platform, cached?.facts).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return asAskedFor(await lookup, location);
  }

  /**
   * Facts already known, without asking the registry: for publishing diagnostics at once when the
   * answer is cached. Only fresh facts unless `includeExpired` (an expired size is still a good
   * first answer while `getImageFacts` refreshes it). Undefined for an invalid reference or an
   * unknown image.
   */
  cachedImageFacts(image: string, options: LookupOptions & { includeExpired?: boolean } = {}): ImageFacts | undefined {
    let location: ImageLocation;
    let platform: Platform;
    try {
      location = locateImage(image);
      platform = options.platform ? toPlatform(options.platform) : this.platform;
    } catch {
      return undefined;
    }
    const entry = this.cache.get(cacheKey(location, platform));
    return entry && (options.includeExpired || this.cache.isFresh(entry)) ? asAskedFor(entry.facts, location) : undefined;
  }

  /** Forgets every cached answer and failure, in memory and on disk. */
  clearCache(): void {
    this.cache.clear();
    this.failures.clear();
  }

  /** Resolves when the on-disk cache has been written. */
  flush(): Promise<void> {
    return this.cache.flush();
  }

  /** Closes idle connections; lookups still running finish. */
  close(): void {
    this.http.close();
  }

  private async lookUp(key: string, location: ImageLocation, platform: Platform, stale: ImageFacts | undefined): Promise<ImageFacts> {
    const deadline = new Deadline(this.timeoutMs);
    try {
      const credentials = await lookUpDockerCredentials(this.dockerConfigPath, location.registry);
      this.noteCredentials(location.registry, credentials.problem, credentials.credentials.kind === 'helper' ? credentials.credentials.helper : undefined);
      const context: FetchContext = { http: this.http, tokens: this.tokens, credentials, dockerConfigPath: this.dockerConfigPath, deadline, now: this.now };
      // An expired tag entry is revalidated with a HEAD first: unchanged, it costs no download and no Docker Hub pull.
      const facts = (stale && !location.digest && (await revalidateImageFacts(location, stale, context))) || (await fetchImageFacts(location, platform, context));
      this.cache.set(key, facts, location.digest !== undefined);
      this.failures.delete(key);
      return facts;
    } catch (error) {
      if (error instanceof RegistryError) this.rememberFailure(key, error);
      throw error;
    }
  }

  private rememberFailure(key: string, error: RegistryError): void {
    const now = this.now();
    // Drop failures that have run out, so that a long editor session does not collect them.
    for (const [oldKey, failure] of this.failures) if (failure.until <= now) this.failures.delete(oldKey);
    this.failures.set(key, { error, until: now + this.failureTtlMs });
  }

  private noteCredentials(registry: string, problem: string | undefined, helper: string | undefined): void {
    const note = problem ?? (helper && `credentials for ${registry} are kept by docker-credential-${helper}, which Podstart does not run; asking ${registry} anonymously`);
    if (!note || this.reportedCredentialNotes.has(note)) return;
    this.reportedCredentialNotes.add(note);
    this.log(`registry: ${note}`);
  }
}

function toPlatform(value: string | Platform): Platform {
  const platform = typeof value === 'string' ? parsePlatform(value) : value;
  if (!platform) throw new RegistryInvalidReferenceError(`"${String(value)}" is not a platform (expected os/architecture[/variant], such as linux/arm64)`, undefined);
  return normalizePlatform(platform);
}

/**
 * Facts cached under a digest serve every spelling of it (`app@sha256:…`, `app:1.2@sha256:…`);
 * the name and tag in the answer are the ones asked for.
 */
function asAskedFor(facts: ImageFacts, location: ImageLocation): ImageFacts {
  if (facts.canonical === location.canonical) return facts;
  const { tag: _cachedTag, ...rest } = facts;
  return { ...rest, canonical: location.canonical, ...(location.tag !== undefined ? { tag: location.tag } : {}) };
}

function cacheKey(location: ImageLocation, platform: Platform): string {
  const reference = location.digest ? `@${location.digest}` : `:${location.tag}`;
  return `${location.registry}/${location.repository}${reference}|${formatPlatform(platform)}`;
}
