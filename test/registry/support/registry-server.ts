/**
 * A real Distribution registry (Debian's `docker-registry` package, distribution 2.8) for the
 * registry tests: started on 127.0.0.1 and a free port with a temporary config.yml and storage
 * directory, with no auth, htpasswd basic auth or token auth, and stopped (its whole process group)
 * afterwards. `.ci/install-registry-prerequisites` installs the package, htpasswd and openssl.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
const HTPASSWD_BINARY = '/usr/bin/htpasswd';
const OPENSSL_BINARY = '/usr/bin/openssl';
const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 5_000;

/** Why the registry tests cannot run here, or undefined when they can. */
export function missingRegistryPrerequisite(): string | undefined {
  if (!existsSync(REGISTRY_BINARY)) return `${REGISTRY_BINARY} is missing: run \`bash .ci/install-registry-prerequisites\` (Debian's docker-registry package)`;
  if (!existsSync(HTPASSWD_BINARY)) return `${HTPASSWD_BINARY} is missing: run \`bash .ci/install-registry-prerequisites\` (apache2-utils)`;
  if (!existsSync(OPENSSL_BINARY)) return `${OPENSSL_BINARY} is missing: run \`bash .ci/install-registry-prerequisites\` (openssl)`;
  return undefined;
}

/** Skips the calling suite, saying why, when the registry cannot run. Call in `before`. */
export function skipWithoutRegistry(context: Mocha.Context): void {
  const missing = missingRegistryPrerequisite();
  if (!missing) return;
  console.warn(`      registry tests skipped: ${missing}`);
  context.skip();
}

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string };

export interface RunningRegistry {
  /** `127.0.0.1:<port>`, as an image reference's registry part. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** What the registry wrote to stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startRegistry(auth: RegistryAuth): Promise<RunningRegistry> {
  const directory = mkdtempSync(path.join(tmpdir(), 'podstart-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const configPath = path.join(directory, 'config.yml');
  writeFileSync(configPath, registryConfig(directory, host, auth));

  const child = spawn(REGISTRY_BINARY, ['serve', configPath], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    await killGroup(child, exited);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`http://${host}/v2/`, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, baseUrl: `http://${host}`, output: () => output, stop };
}

function registryConfig(directory: string, host: string, auth: RegistryAuth): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(path.join(directory, 'storage'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    `  secret: podstart-test-${process.pid}`,
  ];
  if (auth.kind === 'htpasswd') {
    const htpasswdPath = path.join(directory, 'htpasswd');
    writeFileSync(htpasswdPath, Object.entries(auth.users).map(([user, password]) => htpasswdEntry(user, password)).join(''));
    lines.push('auth:', '  htpasswd:', '    realm: podstart-test', `    path: ${JSON.stringify(htpasswdPath)}`);
  } else if (auth.kind === 'token') {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${JSON.stringify(auth.realm)}`,
      `    service: ${JSON.stringify(auth.service)}`,
      `    issuer: ${JSON.stringify(auth.issuer)}`,
      `    rootcertbundle: ${JSON.stringify(auth.rootCertBundle)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One htpasswd line; the registry accepts only bcrypt entries, which `htpasswd -B` writes. */
function htpasswdEntry(user: string, password: string): string {
  const result = spawnSync(HTPASSWD_BINARY, ['-Bbn', user, password], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
  return `${result.stdout.trim()}\n`;
}

/** A port nobody listens on right now (the kernel's choice for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      // 200 without auth, 401 with it: either way the API is up.
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry did not serve ${url} within ${START_DEADLINE_MS} ms:\n${output()}`);
}

async function killGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_DEADLINE_MS))]);
  if (!stopped) {
    signal('SIGKILL');
    await exited;
  }
}
