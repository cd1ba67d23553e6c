/**
 * Registry facts for the language server: one RegistryClient (core/registry), created only while
 * the workspace is trusted and `podstart.registry.enabled` is on, and closed as soon as either
 * stops being so. Analyses read it synchronously (`lookup`, from the client's memory and disk
 * cache, expired answers included: an hour-old size is a good first answer); after publishing, the
 * server asks it to `request` the references a document's rules asked about, and it fetches the
 * ones it has no fresh answer for, a few at a time, in the background. When an answer arrives that
 * differs from what the analyses saw, `factsChanged` names the references, and the server
 * re-analyses the documents that use them.
 *
 * Nothing here is ever shown as a diagnostic: a registry that is down, slow, refusing or rate
 * limiting is logged once per lookup (the client's messages name hosts and images, never a
 * credential), and that image is not asked about again for a minute.
 */
import { imageFactsKey, type ImageFactsLookup, type ImageFactsView } from '../core/image-facts';
import { RegistryClient, RegistryError, DEFAULT_FAILURE_TTL_MS } from '../core/registry';
import { formatByteSize } from '../core/registry/pull-estimate';
import { DEFAULT_REGISTRY_SETTINGS, sameRegistrySettings, type RegistrySettings } from './registry-settings';

export interface ImageFactsLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface ImageFactsServiceOptions {
  log: ImageFactsLog;
  /** Facts about these references arrived, or changed: analyses that asked about them are out of date. */
  factsChanged(references: readonly string[]): void;
}

/** Lookups in flight at once: a file naming 200 images must not open 200 connections. */
const LOOKUP_CONCURRENCY = 4;

export class ImageFactsService {
  private trusted = false;
  private cacheDir: string | undefined;
  private settings: RegistrySettings = DEFAULT_REGISTRY_SETTINGS;
  private client: RegistryClient | undefined;
  private revision = 0;
  private readonly queue: string[] = [];
  /** Queued or being looked up. */
  private readonly pending = new Set<string>();
  /** Reference → when a failed lookup may be tried again. */
  private readonly retryAfter = new Map<string, number>();
  private running = 0;
  private readonly answers = new Map<string, ImageFactsView | undefined>();
  private answersRevision = -1;

  constructor(private readonly options: ImageFactsServiceOptions) {}

  /**
   * What the analyses read: facts already known, undefined for everything while registry access is
   * off. Answers are remembered for one generation, since every edit of a large file asks again
   * about each image of each unchanged document.
   */
  readonly lookup: ImageFactsLookup = (reference) => {
    if (!this.client) return undefined;
    if (this.answersRevision !== this.revision) {
      this.answers.clear();
      this.answersRevision = this.revision;
    }
    if (this.answers.has(reference)) return this.answers.get(reference);
    const facts = this.client.cachedImageFacts(reference, { includeExpired: true });
    this.answers.set(reference, facts);
    return facts;
  };

  /** Changes whenever `lookup` may answer differently (access turned on or off, new facts): analyses keyed on it are redone. */
  get generation(): number {
    return this.revision;
  }

  get active(): boolean {
    return this.client !== undefined;
  }

  /** Where the client keeps its answers between sessions; set before access is turned on. */
  setCacheDir(cacheDir: string | undefined): void {
    this.cacheDir = cacheDir;
  }

  /** The workspace's trust; returns whether registry access changed. */
  setTrusted(trusted: boolean): boolean {
    if (trusted === this.trusted) return false;
    this.trusted = trusted;
    return this.reconcile();
  }

  /** New `podstart.registry.*` settings; returns whether registry access changed. */
  configure(settings: RegistrySettings): boolean {
    if (sameRegistrySettings(settings, this.settings)) return false;
    this.settings = settings;
    return this.reconcile();
  }

  /** Fetches, in the background, what is not known fresh about these references. */
  request(references: Iterable<string>): void {
    const client = this.client;
    if (!client) return;
    const now = Date.now();
    for (const reference of references) {
      if (this.pending.has(reference) || (this.retryAfter.get(reference) ?? 0) > now) continue;
      if (client.cachedImageFacts(reference)) continue;
      this.pending.add(reference);
      this.queue.push(reference);
    }
    this.pump();
  }

  /**
   * Looks up now, a few at a time, what is not known fresh about these references, and resolves
   * when each has an answer or has failed (each lookup within the client's deadline): for a
   * generator, whose file is written once and should pin what can be pinned. Nothing while access is off.
   */
  async lookUpNow(references: Iterable<string>): Promise<void> {
    const client = this.client;
    if (!client) return;
    const wanted = [...new Set(references)].filter((reference) => !client.cachedImageFacts(reference));
    for (let start = 0; start < wanted.length; start += LOOKUP_CONCURRENCY) {
      await Promise.all(wanted.slice(start, start + LOOKUP_CONCURRENCY).map((reference) => this.lookUp(reference, client)));
    }
  }

  /** Creates or closes the client to match trust and settings; returns whether anything changed. */
  private reconcile(): boolean {
    const wanted = this.trusted && this.settings.enabled;
    if (!wanted) {
      if (!this.client) return false;
      this.stop();
      this.options.log.info(`Registry lookups are off (${this.trusted ? 'podstart.registry.enabled is off' : 'the workspace is not trusted'}).`);
      return true;
    }
    this.stop();
    this.client = new RegistryClient({
      platform: this.settings.platform,
      insecureRegistries: this.settings.insecureRegistries,
      cacheDir: this.cacheDir,
      log: (message) => this.options.log.info(message),
    });
    this.revision++;
    this.options.log.info(
      `Registry lookups are on: image sizes for ${this.settings.platform}${this.settings.insecureRegistries.length > 0 ? `, plain http allowed to ${this.settings.insecureRegistries.join(', ')}` : ''}${this.cacheDir ? '' : ', cached in memory only'}.`,
    );
    return true;
  }

  private stop(): void {
    this.client?.close();
    if (this.client) this.revision++;
    this.client = undefined;
    this.queue.length = 0;
    this.pending.clear();
    this.retryAfter.clear();
  }

  private pump(): void {
    while (this.running < LOOKUP_CONCURRENCY && this.queue.length > 0 && this.client) {
      const reference = this.queue.shift()!;
      this.running++;
      void this.lookUp(reference, this.client).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async lookUp(reference: string, client: RegistryClient): Promise<void> {
    const before = imageFactsKey(client.cachedImageFacts(reference, { includeExpired: true }));
    try {
      const facts = await client.getImageFacts(reference);
      if (client !== this.client) return;
      this.pending.delete(reference);
      this.options.log.info(`Registry: ${reference} is ${formatByteSize(facts.compressedSize)} compressed in ${facts.layerCount} layer${facts.layerCount === 1 ? '' : 's'} (${facts.digest}).`);
      if (imageFactsKey(facts) !== before) {
        this.revision++;
        this.options.factsChanged([reference]);
      }
    } catch (error) {
      if (client !== this.client) return;
      this.pending.delete(reference);
      const now = Date.now();
      // Failures that have run out go, so that a long session does not collect them.
      for (const [other, until] of this.retryAfter) if (until <= now) this.retryAfter.delete(other);
      this.retryAfter.set(reference, now + DEFAULT_FAILURE_TTL_MS);
      // RegistryError messages name the image, the host and HTTP or registry error codes only; any
      // other error is a bug, whose text could hold anything, so only its kind is logged.
      const why = error instanceof RegistryError ? `${error.kind}: ${error.message}` : `unexpected ${(error as Error)?.name ?? 'error'}`;
      this.options.log.warn(`Registry lookup of ${reference} failed (${why}); no size or digest for it, asked again in a minute at the earliest.`);
    }
  }
}
