/**
 * A minimal LSP client for benchmarks: starts a server over stdio, answers what servers ask of
 * their client (configuration, capability registration, progress tokens), and turns published
 * diagnostics into awaitable events. Every wait has a deadline, so a silent server fails the run
 * instead of hanging it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type ClientCapabilities,
  type ConfigurationItem,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

export interface ServerCommand {
  /** Label for reports. */
  name: string;
  command: string;
  args: string[];
  /** Answer to `workspace/configuration` for one section (undefined: null). */
  settings: (section: string | undefined) => unknown;
  /** Settings pushed with didChangeConfiguration after `initialized` (some servers only pull config then). */
  pushConfiguration?: unknown;
}

export interface Published {
  params: PublishDiagnosticsParams;
  /** performance.now() when the notification was read. */
  at: number;
}

/** Rejects after `ms` with a message naming what was awaited. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: false },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false },
    publishDiagnostics: { relatedInformation: false, versionSupport: true },
  },
  window: { workDoneProgress: true },
};

const ACKNOWLEDGED_REQUESTS = ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest', 'workspace/workspaceFolders'];
const IGNORED_NOTIFICATIONS = ['window/logMessage', 'window/showMessage', 'telemetry/event', '$/progress', '$/logTrace'];

export class LspDriver {
  private readonly child: ChildProcess;
  private readonly connection: ProtocolConnection;
  private waiters: Array<{ uri: string; minVersion: number; resolve: (published: Published) => void }> = [];
  private readonly stderr: string[] = [];
  private exited = false;
  /** Every publish, for the report's sanity checks. */
  readonly published: Published[] = [];

  private constructor(readonly server: ServerCommand, cwd: string) {
    this.child = spawn(server.command, server.args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr.push(chunk.toString());
      if (this.stderr.length > 50) this.stderr.shift();
    });
    this.child.on('exit', () => {
      this.exited = true;
    });
    this.connection = createProtocolConnection(this.child.stdout!, this.child.stdin!);
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item: ConfigurationItem) => server.settings(item.section) ?? null));
    // Capability registration, progress tokens, message prompts: acknowledge and carry on.
    for (const method of ACKNOWLEDGED_REQUESTS) this.connection.onRequest(method, () => null);
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.onPublished({ params, at: performance.now() }));
    for (const method of IGNORED_NOTIFICATIONS) this.connection.onNotification(method, () => undefined);
    this.connection.listen();
  }

  /** Starts the server and completes the initialize handshake. */
  static async start(server: ServerCommand, cwd: string, deadlineMs = 30_000): Promise<LspDriver> {
    const driver = new LspDriver(server, cwd);
    await withDeadline(
      driver.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities: CLIENT_CAPABILITIES,
        workspaceFolders: null,
        initializationOptions: {},
      }),
      deadlineMs,
      () => `${server.name} to initialize${driver.stderrTail()}`,
    );
    await driver.connection.sendNotification(InitializedNotification.type, {});
    if (server.pushConfiguration !== undefined) {
      await driver.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: server.pushConfiguration });
    }
    return driver;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private onPublished(published: Published): void {
    this.published.push(published);
    const { uri, version } = published.params;
    const ready = this.waiters.filter((waiter) => waiter.uri === uri && (version === undefined || version >= waiter.minVersion));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(published);
  }

  /**
   * The next diagnostics for `uri` published from now on. A server that sends document versions
   * must have reached `minVersion`; one that does not (yaml-language-server, dockerfile-language-server) is taken at its word.
   */
  nextDiagnostics(uri: string, minVersion: number, deadlineMs: number): Promise<Published> {
    const published = new Promise<Published>((resolve) => this.waiters.push({ uri, minVersion, resolve }));
    return withDeadline(published, deadlineMs, () => `diagnostics for ${uri} (version ${minVersion}) from ${this.server.name}${this.stderrTail()}`);
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Peak resident set size of the server process so far (Linux VmHWM), in bytes. */
  peakRss(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Shuts the server down politely, then for sure. */
  async stop(deadlineMs = 5_000): Promise<void> {
    if (!this.exited) {
      try {
        await withDeadline(this.connection.sendRequest(ShutdownRequest.type), deadlineMs, `${this.server.name} to shut down`);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // Killed below.
      }
    }
    const exited = new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
    try {
      await withDeadline(exited, deadlineMs, `${this.server.name} to exit`);
    } catch {
      this.child.kill('SIGKILL');
    }
    this.connection.dispose();
  }

  /** Kills the server at once (watchdog path). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private stderrTail(): string {
    const tail = this.stderr.join('').trim().split('\n').slice(-5).join('\n');
    return tail ? `\n--- server stderr ---\n${tail}` : '';
  }
}
