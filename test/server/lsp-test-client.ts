/**
 * A minimal LSP client for protocol tests: starts the real bundle (`node dist/server.js --stdio`),
 * speaks JSON-RPC over its pipes, answers the server's requests (workspace/configuration from a
 * settings function the test controls), records every published diagnostic and log message, and
 * waits for conditions with a deadline instead of sleeping.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type FileEvent,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { ALL_RULES } from '../../rules';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');

export function fileUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** A diagnostic's message as text (LSP 3.18 allows markup there; Podstart sends plain strings). */
export function messageText(diagnostic: { message: string | { value: string } }): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Editor settings that turn every rule off except the ones a test is about. */
export function onlyRules(...ids: string[]): Record<string, unknown> {
  return Object.fromEntries(ALL_RULES.filter((rule) => !ids.includes(rule.meta.id)).map((rule) => [rule.meta.id, 'off']));
}

export interface StartOptions {
  workspaceFolder?: string;
  /** The `podstart` section returned for a scope URI (default: enabled, no explicit settings). */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Client capabilities merged over a VS Code-like default set. */
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Extra node options for the server process (for example `--cpu-prof` when measuring). */
  execArgv?: string[];
}

const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true, relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
    },
  },
};

export class ServerUnderTest {
  /** Every publishDiagnostics, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: Array<{ type: number; message: string }> = [];
  readonly registrations: string[] = [];
  /** Configuration requests answered, for asserting the server pulls per document. */
  readonly configurationRequests: Array<string | undefined> = [];
  stderr = '';
  settings: (scopeUri: string | undefined) => unknown;
  initializeResult!: InitializeResult;
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? (() => ({ enable: true }));
  }

  static async start(options: StartOptions = {}): Promise<ServerUnderTest> {
    assert.ok(existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run npm run build first`);
    const child = spawn(process.execPath, [...(options.execArgv ?? []), SERVER_BUNDLE, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const server = new ServerUnderTest(child, connection, options);
    child.stderr.on('data', (chunk: Buffer) => (server.stderr += chunk.toString()));
    child.on('exit', () => {
      server.exited = true;
      server.notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      server.published.push(params);
      server.notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      server.logs.push(params);
      server.notify();
    });
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        server.configurationRequests.push(item.scopeUri);
        return item.section === 'podstart' ? server.settings(item.scopeUri) : null;
      }),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      server.registrations.push(...params.registrations.map((registration) => registration.method));
      server.notify();
    });
    connection.listen();
    const folder = options.workspaceFolder;
    server.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder ? fileUri(folder) : null,
      workspaceFolders: folder ? [{ uri: fileUri(folder), name: path.basename(folder) }] : null,
      capabilities: { ...VSCODE_LIKE_CAPABILITIES, ...options.capabilities },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checked on every message. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        } else if (this.exited) {
          finish();
          reject(new Error(`server exited while waiting for ${what}; stderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** The latest diagnostics published for a URI. */
  latest(uri: string): PublishDiagnosticsParams | undefined {
    for (let index = this.published.length - 1; index >= 0; index--) if (this.published[index].uri === uri) return this.published[index];
    return undefined;
  }

  /** Waits until the latest publish for `uri` is for the document's current version (and satisfies `accept`). */
  diagnosticsFor(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri}`, () => {
      const latest = this.latest(uri);
      if (!latest) return undefined;
      const version = this.versions.get(uri);
      if (latest.version !== undefined && version !== undefined && latest.version !== version) return undefined;
      return accept(latest) ? latest : undefined;
    });
  }

  /** Publishes for a URI that arrive after this call. */
  nextPublish(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const seen = this.published.length;
    return this.waitFor(`a new publish for ${uri}`, () => this.published.slice(seen).find((params) => params.uri === uri && accept(params)));
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async configurationChanged(): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async watchedFilesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** Error lines the server logged (a handler that failed). */
  errorLogs(): string[] {
    return this.logs.filter((log) => log.type === 1).map((log) => log.message);
  }

  isRunning(): boolean {
    return !this.exited;
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 2000))]);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Already gone.
      }
      await this.waitFor('the server to exit', () => (this.exited ? true : undefined), 3000).catch(() => this.child.kill());
    }
    this.connection.dispose();
  }
}
