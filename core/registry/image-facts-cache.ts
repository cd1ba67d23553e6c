/**
 * Image facts kept in memory and in one JSON file in a cache directory the caller chooses (the
 * extension's global storage, or a CLI cache folder), so that a registry is asked about a tag at most
 * once per time-to-live across editor sessions and CLI runs.
 *
 * A digest reference names content that cannot change, so its entry never expires; a tag can move,
 * so its entry expires after `tagTtlMs` (an hour by default) and is then revalidated. Expired
 * entries are kept for that revalidation until they are a week old.
 *
 * The file is read once, synchronously, on first use (it is small), and written after each change,
 * one write at a time, to a temporary file renamed over the old one, so that a reader never sees half
 * a file. Before writing, entries another process wrote meanwhile are merged in (newer wins), so
 * that the language server and a CLI run sharing a directory do not erase each other's entries.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImageFacts } from './image-facts';

export const CACHE_FILE_NAME = 'registry-image-facts.json';
const FORMAT_VERSION = 1;
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 2000;

export interface CacheEntry {
  facts: ImageFacts;
  storedAt: number;
  /** Epoch milliseconds after which the entry needs revalidation; null for digest references, which never change. */
  expiresAt: number | null;
}

interface CacheFile {
  version: number;
  entries: Record<string, CacheEntry>;
}

export interface ImageFactsCacheOptions {
  /** Directory for the cache file; no disk cache when undefined. */
  cacheDir?: string;
  tagTtlMs: number;
  now: () => number;
  log: (message: string) => void;
}

export class ImageFactsCache {
  private entries: Map<string, CacheEntry> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ImageFactsCacheOptions) {}

  /** The entry for `key`, expired or not (see `isFresh`). */
  get(key: string): CacheEntry | undefined {
    return this.load().get(key);
  }

  isFresh(entry: CacheEntry): boolean {
    return entry.expiresAt === null || entry.expiresAt > this.options.now();
  }

  set(key: string, facts: ImageFacts, pinnedByDigest: boolean): void {
    const storedAt = this.options.now();
    const entry: CacheEntry = { facts, storedAt, expiresAt: pinnedByDigest ? null : storedAt + this.options.tagTtlMs };
    this.load().set(key, entry);
    this.scheduleWrite();
  }

  /** Forgets every entry, in memory and on disk (for a "refresh image facts" command). */
  clear(): void {
    this.entries = new Map();
    this.scheduleWrite(true);
  }

  /** Resolves when every write scheduled so far has finished. */
  flush(): Promise<void> {
    return this.writing;
  }

  private load(): Map<string, CacheEntry> {
    if (this.entries) return this.entries;
    this.entries = new Map();
    const file = this.filePath();
    if (!file) return this.entries;
    try {
      for (const [key, entry] of readEntries(readFileSync(file, 'utf8'))) this.entries.set(key, entry);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.options.log(`registry cache: ignoring ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : code ?? (error as Error).message}`);
    }
    return this.entries;
  }

  private filePath(): string | undefined {
    return this.options.cacheDir ? path.join(this.options.cacheDir, CACHE_FILE_NAME) : undefined;
  }

  private scheduleWrite(replace = false): void {
    const file = this.filePath();
    if (!file) return;
    this.writing = this.writing.then(() => this.write(file, replace)).catch((error: NodeJS.ErrnoException) => {
      this.options.log(`registry cache: cannot write ${file}: ${error.code ?? error.message}`);
    });
  }

  private async write(file: string, replace: boolean): Promise<void> {
    const entries = this.load();
    if (!replace) {
      let onDisk: Array<[string, CacheEntry]> = [];
      try {
        onDisk = readEntries(await readFile(file, 'utf8'));
      } catch {
        // Missing or unreadable: this process's entries are all there is.
      }
      for (const [key, entry] of onDisk) {
        const mine = entries.get(key);
        if (!mine || mine.storedAt < entry.storedAt) entries.set(key, entry);
      }
    }
    const now = this.options.now();
    const kept = [...entries.entries()]
      .filter(([, entry]) => entry.expiresAt === null || entry.expiresAt + KEEP_EXPIRED_MS > now)
      .sort(([, a], [, b]) => b.storedAt - a.storedAt)
      .slice(0, MAX_ENTRIES);
    const content: CacheFile = { version: FORMAT_VERSION, entries: Object.fromEntries(kept) };
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, `${JSON.stringify(content)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }
}

/** Entries of a cache file; a file of another format version, or malformed entries, give none. */
function readEntries(text: string): Array<[string, CacheEntry]> {
  const parsed = JSON.parse(text) as Partial<CacheFile>;
  if (parsed.version !== FORMAT_VERSION || typeof parsed.entries !== 'object' || parsed.entries === null) return [];
  return Object.entries(parsed.entries).filter(([, entry]) => isCacheEntry(entry));
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  const facts = entry.facts as Record<string, unknown> | undefined;
  return (
    typeof entry.storedAt === 'number' &&
    (entry.expiresAt === null || typeof entry.expiresAt === 'number') &&
    typeof facts === 'object' &&
    facts !== null &&
    typeof facts.digest === 'string' &&
    typeof facts.manifestDigest === 'string' &&
    typeof facts.compressedSize === 'number' &&
    typeof facts.layerCount === 'number'
  );
}

