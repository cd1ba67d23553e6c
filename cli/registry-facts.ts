/**
 * `podstart check --registry`: the same registry client as the editor's (core/registry), looking up
 * the images the checked files' rules ask about, a few at a time, each image once per run, before
 * the files are analysed with the answers. Answers are cached on disk between runs (tags for an
 * hour, digests for good) in `$XDG_CACHE_HOME/podstart` or `~/.cache/podstart`, unless
 * `--no-registry-cache`.
 *
 * A registry that cannot answer (down, slow, refusing, rate limiting) is a warning on stderr and in
 * the report (SARIF: a tool execution notification), never an error of the run: the findings that
 * need the answer are missing, the others are all there, and the exit code is decided by them alone.
 * Messages come from the client, which never puts a credential in them.
 */
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { ImageFactsLookup } from '../core/image-facts';
import { RegistryClient, RegistryError, type ImageFacts } from '../core/registry';
import type { RegistryOptions } from './arguments';
import { createLimiter } from './concurrency';
import { TOOL_NAME, TOOL_VERSION } from './project-info';

/** Lookups in flight at once, over all files. */
const LOOKUP_CONCURRENCY = 8;

export interface RegistryWarning {
  message: string;
  /** For a failed lookup, the first file (in the order checked) that uses the image. */
  path?: string;
  displayPath?: string;
}

/** A checked file, and its place in the run's order. */
export interface AskingFile {
  index: number;
  path?: string;
  displayPath: string;
}

/** `$XDG_CACHE_HOME/podstart`, or `~/.cache/podstart`: where the registry answers are kept between runs. */
export function registryCacheDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || homedir(), '.cache'), 'podstart');
}

export class CliImageFacts {
  private readonly client: RegistryClient;
  private readonly limit = createLimiter(LOOKUP_CONCURRENCY);
  private readonly known = new Map<string, ImageFacts>();
  private readonly lookups = new Map<string, Promise<void>>();
  /** Notes from the client (credentials it did not use, an unreadable cache), each once. */
  private readonly notes = new Set<string>();
  private readonly failures = new Map<string, string>();
  /** Reference → the first file, in the run's order, that asked about it (files are checked concurrently). */
  private readonly askedFirstBy = new Map<string, AskingFile>();

  constructor(options: RegistryOptions, env: Record<string, string | undefined>) {
    this.client = new RegistryClient({
      platform: options.platform,
      timeoutMs: options.timeoutMs,
      insecureRegistries: options.insecureRegistries,
      cacheDir: options.cache ? registryCacheDir(env) : undefined,
      // Docker's own lookup, from the run's environment: `$DOCKER_CONFIG/config.json`, else ~/.docker/config.json.
      dockerConfigPath: path.join(env.DOCKER_CONFIG || path.join(env.HOME || homedir(), '.docker'), 'config.json'),
      userAgent: `${TOOL_NAME}/${TOOL_VERSION}`,
      log: (message) => void this.notes.add(message),
    });
  }

  /** What the analyses read: the answers fetched so far. */
  readonly lookup: ImageFactsLookup = (reference) => this.known.get(reference);

  /** Looks up each reference not asked about yet in this run; resolves when all of them have an answer or have failed. */
  async fetch(references: readonly string[], file: AskingFile): Promise<void> {
    for (const reference of references) {
      const first = this.askedFirstBy.get(reference);
      if (!first || file.index < first.index) this.askedFirstBy.set(reference, file);
      if (this.lookups.has(reference)) continue;
      const lookup = this.limit(() => this.client.getImageFacts(reference)).then(
        (facts) => void this.known.set(reference, facts),
        (error: unknown) => {
          // A bug's message could hold anything; a RegistryError's names only images, hosts and status codes.
          this.failures.set(reference, error instanceof RegistryError ? error.message : `unexpected ${(error as Error)?.name ?? 'error'}`);
        },
      );
      this.lookups.set(reference, lookup);
    }
    await Promise.all(references.map((reference) => this.lookups.get(reference)));
  }

  /** The client's notes, then each failed lookup at the first file that uses the image, in the run's order. */
  warnings(): RegistryWarning[] {
    const failed = [...this.failures.entries()].map(([reference, why]) => ({ reference, why, file: this.askedFirstBy.get(reference)! }));
    failed.sort((a, b) => a.file.index - b.file.index || a.reference.localeCompare(b.reference));
    return [
      ...[...this.notes].map((note) => ({ message: note })),
      ...failed.map(({ reference, why, file }) => ({
        message: `Registry lookup of ${reference} failed: ${why}. Findings that need its size or digest are missing.`,
        path: file.path,
        displayPath: file.displayPath,
      })),
    ];
  }

  /** Waits for the disk cache to be written and closes the connections, so that the process exits at once. */
  async close(): Promise<void> {
    await this.client.flush();
    this.client.close();
  }
}
