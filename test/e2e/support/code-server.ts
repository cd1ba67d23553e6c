// Starts code-server for one test run, as a user who has just installed Podstart would have it: a fresh
// user-data and extensions folder, the packaged .vsix installed with --install-extension, a copy of the
// fixture workspace (tests edit and save files), and settings that keep first-run pages out of the way.
// Everything lives in one temporary folder; its logs are copied to test-results/ when it stops.
import { ChildProcess, spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerInstall, assertToolchainInstalled, FIXTURE_WORKSPACE, nodeInstall, RESULTS_DIR } from './toolchain';
import { waitFor } from './wait-for';

/**
 * User settings of the fresh profile. Workspace trust stays enabled (security.workspace.trust.enabled is
 * not set) because Podstart's behaviour in restricted mode is tested; everything else that would put a
 * page or a notification in front of the editor on a first start is turned off.
 */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.commandCenter': false,
  // code-server forwards every port that any process on the machine starts listening on, and says so in
  // a notification: other programs on a CI machine are none of the suite's business.
  'remote.autoForwardPorts': false,
  // The startup lens above each workload arrives when the editor asks for lenses, which can be in the
  // middle of a test that hovers with the mouse: the lines move under it and the hover closes. The tests
  // of findings keep it off; timings.test.ts turns it on.
  'podstart.timings.enabled': false,
};

export interface CodeServerOptions {
  /** Names the folder under test-results/ that receives the logs. */
  name: string;
  /** .vsix files to install before the start. */
  extensions?: string[];
  /** Merged over DEFAULT_USER_SETTINGS. */
  userSettings?: Record<string, unknown>;
  /** Copied into the run's temporary folder and opened; defaults to test/e2e/fixtures/workspace. */
  workspace?: string;
  startDeadlineMs?: number;
}

const STOP_DEADLINE_MS = 10_000;
const COMMAND_DEADLINE_MS = 120_000;

export class CodeServer {
  private constructor(
    readonly options: CodeServerOptions,
    readonly root: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly workspaceDir: string,
    readonly resultsDir: string,
    private readonly configFile: string,
  ) {}

  private serverProcess: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The address that opens the workbench on the run's workspace folder. */
  get workbenchUrl(): string {
    return `${this.url}/?folder=${encodeURIComponent(this.workspaceDir)}`;
  }

  /** Prepares the profile, installs the extensions, starts the server and waits until it answers. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    assertToolchainInstalled();
    const root = mkdtempSync(path.join(os.tmpdir(), 'podstart-e2e-'));
    const resultsDir = path.join(RESULTS_DIR, options.name);
    rmSync(resultsDir, { recursive: true, force: true });
    mkdirSync(resultsDir, { recursive: true });
    const server = new CodeServer(
      options,
      root,
      path.join(root, 'user-data'),
      path.join(root, 'extensions'),
      path.join(root, 'workspace'),
      resultsDir,
      path.join(root, 'config.yaml'),
    );
    try {
      server.prepareProfile();
      for (const vsix of options.extensions ?? []) await server.installExtension(vsix);
      await server.launch(options.startDeadlineMs ?? 60_000);
    } catch (error) {
      // The caller gets no server to stop: end what was started and keep the logs.
      await server.stop();
      throw error;
    }
    return server;
  }

  private prepareProfile(): void {
    mkdirSync(path.join(this.userDataDir, 'User'), { recursive: true });
    mkdirSync(this.extensionsDir, { recursive: true });
    this.writeUserSettings(this.options.userSettings ?? {});
    // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
    writeFileSync(this.configFile, 'auth: none\ncert: false\n');
    cpSync(this.options.workspace ?? FIXTURE_WORKSPACE, this.workspaceDir, { recursive: true });
  }

  /**
   * Writes the profile's settings.json (DEFAULT_USER_SETTINGS with `settings` over them) before the
   * start. A running workbench does not notice this file changing on disk: tests change user settings
   * with Workbench.editUserSettings, in the settings editor.
   */
  private writeUserSettings(settings: Record<string, unknown>): void {
    writeFileSync(path.join(this.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...settings }, null, 2));
  }

  /** A path inside the run's copy of the workspace. */
  workspacePath(relativePath: string): string {
    return path.join(this.workspaceDir, relativePath);
  }

  /** The text of a workspace file as it is on disk now. */
  readWorkspaceFile(relativePath: string): string {
    return readFileSync(this.workspacePath(relativePath), 'utf8');
  }

  /** Writes a workspace file (and its folders) on disk, as another program would. */
  writeWorkspaceFile(relativePath: string, text: string): void {
    mkdirSync(path.dirname(this.workspacePath(relativePath)), { recursive: true });
    writeFileSync(this.workspacePath(relativePath), text);
  }

  /**
   * Environment of every code-server process: Node 24 first on PATH, XDG folders inside the run's folder,
   * and no extension gallery (code-server's default, Open VSX, is unreachable here and nothing needs it).
   */
  private environment(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      EXTENSIONS_GALLERY: '{}',
      PATH: `${nodeInstall.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: path.join(this.root, 'xdg-config'),
      XDG_DATA_HOME: path.join(this.root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(this.root, 'xdg-cache'),
    };
  }

  private commonArguments(): string[] {
    return ['--config', this.configFile, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir];
  }

  /** Runs a one-shot code-server command (extension management) and returns its standard output. */
  private runCommand(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(nodeInstall.executable, [codeServerInstall.entry, ...this.commonArguments(), ...args], {
        env: this.environment(),
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: COMMAND_DEADLINE_MS,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0) resolve(stdout);
        else reject(new Error(`code-server ${args.join(' ')} exited with ${code ?? signal}:\n${stdout}${stderr}`));
      });
    });
  }

  async installExtension(vsix: string): Promise<void> {
    if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
    const output = await this.runCommand(['--install-extension', vsix, '--force']);
    if (!/successfully installed/i.test(output)) throw new Error(`code-server did not confirm the install of ${vsix}:\n${output}`);
  }

  /** Extension ids with versions, as `code-server --list-extensions --show-versions` prints them. */
  async listExtensions(): Promise<string[]> {
    const output = await this.runCommand(['--list-extensions', '--show-versions']);
    return output.split('\n').map((line) => line.trim()).filter((line) => /^[\w-]+\.[\w-]+@/.test(line));
  }

  private async launch(deadlineMs: number): Promise<void> {
    this.port = await freePort();
    const log = createWriteStream(path.join(this.resultsDir, 'code-server.log'));
    // Its own process group, so that stop() ends the server, its extension hosts and the language server together.
    const child = spawn(
      nodeInstall.executable,
      [
        codeServerInstall.entry,
        ...this.commonArguments(),
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${this.port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        this.workspaceDir,
      ],
      { env: this.environment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    this.serverProcess = child;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    let exitReason: string | undefined;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        exitReason = `exited with ${code ?? signal}`;
        resolve();
      });
      child.on('error', (error) => {
        exitReason = `failed to start: ${error.message}`;
        resolve();
      });
    });
    void this.exited.then(() => log.end());

    await waitFor(
      async () => {
        if (exitReason) throw new Error(`code-server ${exitReason}; see ${path.join(this.resultsDir, 'code-server.log')}`);
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        return response.ok;
      },
      { description: `code-server to answer on ${this.url}/healthz`, timeoutMs: deadlineMs, pollMs: 200 },
    ).catch((error: unknown) => {
      // A server that exited never answers: report its exit instead of the timeout.
      if (exitReason) throw new Error(`code-server ${exitReason}; see ${path.join(this.resultsDir, 'code-server.log')}`);
      throw error;
    });
  }

  /** Ends the whole process group (gracefully, then by force), copies the logs and removes the run's folder. */
  async stop(): Promise<void> {
    const pid = this.serverProcess?.pid;
    this.serverProcess = undefined;
    if (pid !== undefined) {
      // SIGTERM lets code-server close its extension hosts, which stop the language server; whatever is
      // left of the group when the deadline passes is killed.
      signalGroup(pid, 'SIGTERM');
      await waitFor(() => !groupIsAlive(pid), { description: `code-server's process group ${pid} to end`, timeoutMs: STOP_DEADLINE_MS }).catch(() => {
        signalGroup(pid, 'SIGKILL');
      });
      await this.exited;
    }
    const logs = path.join(this.userDataDir, 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(this.resultsDir, 'logs'), { recursive: true });
    if (!process.env.PODSTART_E2E_KEEP) rmSync(this.root, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already ended.
  }
}

function groupIsAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
