/**
 * The workspace scan (`podstart.workspaceScan.enabled`, off by default): diagnostics for the
 * manifests and Dockerfiles nobody opened, so they show in the Problems panel.
 *
 *   client ──podstart/workspaceFiles──▶ the file list (files.exclude, node_modules and .git left out)
 *     ──▶ file names the CLI walk accepts, less .gitignore and .podstart.yaml `ignore`
 *     ──▶ read, analyse, publish: one file at a time, the event loop served between two files,
 *         and paused while the user types (open documents always come first)
 *
 * Scanned files are analysed from their text alone: no registry lookup and no cluster fact is asked
 * for files nobody opened, whatever the trust (a repository's thousands of images would otherwise
 * be sent to registries on opening a folder). An open document owns its diagnostics; once it is
 * closed, its file is read from disk again. A cancelled scan stops reading and keeps what it
 * published; file events still update the files they name.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type CancellationToken, type Connection, type Diagnostic, type Disposable, type FileEvent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isCheckedContent, isCheckedFileName, isSkippedFolder } from '../cli/file-selection';
import { DEFAULT_MAX_FILE_SIZE } from '../core/settings';
import { DOCKERFILE_GLOB, isDockerfileName } from '../core/file-types';
import { DocumentAnalyses, type EffectiveSettings } from './document-analysis';
import { GitignoreFilter } from './gitignore-filter';
import { WORKSPACE_FILES_REQUEST, type WorkspaceFilesParams, type WorkspaceFilesResult } from './protocol';
import { fileSystemPathOf } from './uris';

/** The names the CLI's folder walk accepts (cli/file-selection.ts), as one glob for the editor's file search. */
export const SCANNED_FILES_GLOB = `**/{*.yaml,*.yml,*.json,${DOCKERFILE_GLOB.slice('**/{'.length, -1)}}`;
/** Never searched, as in the CLI walk: dependencies and version control hold no manifests of the project. */
export const SKIPPED_FOLDERS_GLOB = '**/{node_modules,.git}/**';
/** Watched as well: a changed `.gitignore` changes which files are scanned. */
export const GITIGNORE_GLOB = '**/.gitignore';

/** How long after an edit of an open document the scan stays paused, so typing never waits for it. */
export const EDIT_PAUSE_MS = 300;
/** A `.podstart.yaml` being typed in changes at every keystroke: the files are listed and read again once it rests this long. */
const CONFIG_RESCAN_DELAY_MS = 500;
/** Files this large are not even read (the analysis would only say it is over podstart.maxFileSize). */
const NEVER_READ_BYTES = 64 * 1024 * 1024;

export interface ScanProgress {
  token: CancellationToken;
  report(done: number, total: number): void;
  done(): void;
}

export interface WorkspaceScanHost {
  workspaceFolders(): string[];
  /** The client's file list (URIs); rejects when the client cannot list files. */
  listFiles(include: string, exclude: string): Promise<string[]>;
  isOpen(uri: string): boolean;
  settingsOf(uri: string): Promise<EffectiveSettings>;
  /** The URI's memoised settings are no longer needed (the file is not open). */
  forgetSettings(uri: string): void;
  /** Ignored by the `ignore` list of its `.podstart.yaml`. */
  isIgnoredByConfig(filePath: string): boolean;
  publish(uri: string, diagnostics: Diagnostic[]): void;
  beginProgress(title: string): Promise<ScanProgress>;
  /** Start or stop the file events the scan follows (the client's file watcher). */
  watch(on: boolean): void;
  log: { info(message: string): void; warn(message: string): void };
}

/** `podstart.workspaceScan.enabled` from the `podstart` section (off unless exactly `true`). */
export function readWorkspaceScanEnabled(section: unknown): boolean {
  const scan = typeof section === 'object' && section !== null ? (section as Record<string, unknown>).workspaceScan : undefined;
  return typeof scan === 'object' && scan !== null && (scan as Record<string, unknown>).enabled === true;
}

function languageIdOf(filePath: string): string {
  if (isDockerfileName(filePath)) return 'dockerfile';
  return /\.json$/i.test(filePath) ? 'json' : 'yaml';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class WorkspaceScan {
  private enabled = false;
  /** Bumped when the scan is turned off or restarted: work of an older generation stops. */
  private generation = 0;
  /** Files waiting to be (re)analysed, in order. */
  private readonly queue = new Set<string>();
  /** Files whose scan diagnostics are out (possibly empty): cleared when the scan is turned off. */
  private readonly published = new Set<string>();
  private readonly gitignore = new GitignoreFilter();
  private readonly analyses = new DocumentAnalyses();
  private lastEdit = Number.NEGATIVE_INFINITY;
  private draining = false;
  private progress?: { value: ScanProgress; done: number; total: number };
  private rescanTimer?: NodeJS.Timeout;

  constructor(private readonly host: WorkspaceScanHost) {}

  get active(): boolean {
    return this.enabled;
  }

  /** The setting was read: start, restart (settings changed: findings may differ) or stop the scan. */
  configure(enabled: boolean): void {
    if (!enabled) {
      if (this.enabled) this.stop();
      return;
    }
    if (!this.enabled) this.host.watch(true);
    this.enabled = true;
    void this.scanAll();
  }

  /**
   * A `.podstart.yaml` changed (on disk, or typed in an editor): its settings and ignore list apply
   * to the files it covers, so they are read again, once the changes pause.
   */
  configChanged(): void {
    if (!this.enabled) return;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      if (this.enabled) void this.scanAll();
    }, CONFIG_RESCAN_DELAY_MS);
  }

  /** An open document was edited: the scan waits until typing pauses. */
  noteEdit(): void {
    this.lastEdit = performance.now();
  }

  /** A document was closed: its file on disk is analysed again (true when the scan takes it back). */
  closed(uri: string): boolean {
    if (!this.enabled || !this.isScannedName(uri)) return false;
    this.published.add(uri);
    this.enqueue([uri]);
    return true;
  }

  /** File events from the client's watcher. */
  filesChanged(changes: readonly FileEvent[]): void {
    if (!this.enabled) return;
    if (changes.some((change) => path.basename(fileSystemPathOf(change.uri) ?? '') === '.gitignore')) {
      // What is ignored changed: scan everything again (files that became ignored are cleared).
      this.gitignore.clear();
      void this.scanAll();
      return;
    }
    const changed: string[] = [];
    for (const change of changes) {
      if (!this.isScannedName(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) {
        this.queue.delete(change.uri);
        if (this.published.delete(change.uri) && !this.host.isOpen(change.uri)) this.host.publish(change.uri, []);
      } else changed.push(change.uri);
    }
    this.enqueue(changed);
  }

  dispose(): void {
    this.generation++;
    this.queue.clear();
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
  }

  private stop(): void {
    this.enabled = false;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = undefined;
    this.generation++;
    this.queue.clear();
    this.endProgress();
    this.host.watch(false);
    for (const uri of this.published) if (!this.host.isOpen(uri)) this.host.publish(uri, []);
    this.published.clear();
  }

  private isScannedName(uri: string): boolean {
    const filePath = fileSystemPathOf(uri);
    if (!filePath || !isCheckedFileName(path.basename(filePath))) return false;
    const folder = this.folderOf(filePath);
    return folder !== undefined && !path.relative(folder, filePath).split(path.sep).some(isSkippedFolder);
  }

  private folderOf(filePath: string): string | undefined {
    return this.host.workspaceFolders().find((folder) => {
      const relative = path.relative(folder, filePath);
      return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  }

  private async scanAll(): Promise<void> {
    const generation = ++this.generation;
    this.queue.clear();
    this.endProgress();
    const progress = await this.host.beginProgress('Podstart: scanning the workspace');
    if (generation !== this.generation) return progress.done();
    let uris: string[];
    try {
      uris = await this.host.listFiles(SCANNED_FILES_GLOB, SKIPPED_FOLDERS_GLOB);
    } catch (error) {
      this.host.log.warn(`Podstart: the workspace scan could not list the workspace's files: ${(error as Error)?.message ?? error}`);
      return progress.done();
    }
    if (generation !== this.generation) return progress.done();
    const listed = new Set(uris.filter((uri) => this.isScannedName(uri)));
    // Files scanned before that are no longer listed (now excluded, or gone) lose their diagnostics.
    for (const uri of this.published) {
      if (!listed.has(uri) && !this.host.isOpen(uri)) this.host.publish(uri, []);
      if (!listed.has(uri)) this.published.delete(uri);
    }
    this.progress = { value: progress, done: 0, total: listed.size };
    progress.token.onCancellationRequested(() => {
      if (this.progress?.value !== progress) return;
      // Stops reading; what was published stays, and file events go on updating single files.
      this.queue.clear();
      this.host.log.info(`Podstart: workspace scan cancelled after ${this.progress.done} of ${this.progress.total} files.`);
      this.endProgress();
    });
    progress.report(0, listed.size);
    this.enqueue([...listed].sort());
    if (listed.size === 0) this.endProgress();
  }

  private endProgress(): void {
    const progress = this.progress;
    this.progress = undefined;
    progress?.value.done();
  }

  private enqueue(uris: readonly string[]): void {
    for (const uri of uris) this.queue.add(uri);
    if (!this.draining && this.queue.size > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.size > 0) {
        // Typing first: wait until no edit came in for EDIT_PAUSE_MS.
        for (let quiet = performance.now() - this.lastEdit; quiet < EDIT_PAUSE_MS; quiet = performance.now() - this.lastEdit) await delay(EDIT_PAUSE_MS - quiet);
        const [uri] = this.queue;
        if (uri === undefined) break;
        this.queue.delete(uri);
        const generation = this.generation;
        await this.scanFile(uri, generation).catch((error: unknown) => this.host.log.warn(`Podstart: scanning ${uri} failed: ${(error as Error)?.message ?? error}`));
        if (this.progress) {
          this.progress.done++;
          this.progress.value.report(this.progress.done, this.progress.total);
          if (this.progress.done >= this.progress.total) this.endProgress();
        }
        // One file per turn: requests and edits that arrived meanwhile are served first.
        await nextTurn();
      }
    } finally {
      this.draining = false;
    }
  }

  private async scanFile(uri: string, generation: number): Promise<void> {
    const filePath = fileSystemPathOf(uri);
    const folder = filePath && this.folderOf(filePath);
    if (!filePath || !folder || this.host.isOpen(uri)) return;
    const diagnostics = await this.diagnosticsOf(uri, filePath, folder);
    // Turned off, restarted, or opened meanwhile: the result is not wanted any more.
    if (generation !== this.generation || this.host.isOpen(uri)) return;
    if (diagnostics === undefined) {
      if (this.published.delete(uri)) this.host.publish(uri, []);
      return;
    }
    this.published.add(uri);
    this.host.publish(uri, diagnostics);
  }

  /** The file's diagnostics from disk; undefined when it is not scanned (ignored, gone, not Kubernetes). */
  private async diagnosticsOf(uri: string, filePath: string, folder: string): Promise<Diagnostic[] | undefined> {
    if (this.host.isIgnoredByConfig(filePath) || (await this.gitignore.ignores(folder, filePath))) return undefined;
    const info = await stat(filePath).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    if (info.size > NEVER_READ_BYTES) {
      this.host.log.info(`Podstart: the workspace scan did not read ${filePath} (${(info.size / 1048576).toFixed(0)} MB).`);
      return undefined;
    }
    const settings = await this.host.settingsOf(uri);
    this.host.forgetSettings(uri);
    const limit = settings.engine.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    // Over the limit, the text is still read: the analysis then says so with its usual notice, and parses nothing.
    const text = await readFile(filePath, 'utf8').catch(() => undefined);
    if (text === undefined || (info.size <= limit && !isCheckedContent(filePath, text))) return undefined;
    const analysis = this.analyses.analyze(TextDocument.create(uri, languageIdOf(filePath), 0, text), settings);
    this.analyses.forget(uri);
    return analysis.diagnostics;
  }
}

/** What the scan needs from the server beside the connection. */
export type ServerSide = Pick<WorkspaceScanHost, 'workspaceFolders' | 'isOpen' | 'settingsOf' | 'forgetSettings' | 'isIgnoredByConfig'> & {
  /** The client watches files for the server (dynamic registration of workspace/didChangeWatchedFiles). */
  canWatch(): boolean;
};

/** The scan wired to an LSP connection: the file list, the progress and the file watcher come from the client. */
export function workspaceScanOverConnection(connection: Connection, server: ServerSide): WorkspaceScan {
  let watching: Promise<Disposable> | undefined;
  const warn = (what: string) => (error: unknown) => connection.console.warn(`Podstart: ${what} failed: ${(error as Error)?.message ?? error}`);
  return new WorkspaceScan({
    ...server,
    listFiles: async (include, exclude) => (await connection.sendRequest<WorkspaceFilesResult>(WORKSPACE_FILES_REQUEST, { include, exclude } satisfies WorkspaceFilesParams)).uris,
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }).catch(warn('publishing scan diagnostics')),
    beginProgress: async (title) => {
      // A client without window/workDoneProgress gets a reporter that shows nothing and is never cancelled.
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, undefined, true);
      return {
        token: reporter.token,
        report: (done, total) => reporter.report(total === 0 ? 100 : Math.floor((done / total) * 100), `${done}/${total} files`),
        done: () => reporter.done(),
      };
    },
    watch: (on) => {
      if (!server.canWatch()) return;
      if (on && !watching) {
        watching = connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: SCANNED_FILES_GLOB }, { globPattern: GITIGNORE_GLOB }] });
        watching.catch(warn('watching the scanned files'));
      } else if (!on && watching) {
        void watching.then((registration) => registration.dispose(), () => undefined);
        watching = undefined;
      }
    },
    log: { info: (message) => connection.console.info(message), warn: (message) => connection.console.warn(message) },
  });
}
