/**
 * Registry credentials from Docker's client configuration (`~/.docker/config.json`, or
 * `$DOCKER_CONFIG/config.json`), the file `docker login`, `podman login --compat-auth-file` and CI
 * actions write, read the way the Docker CLI reads it:
 *
 * - `credHelpers[host]` names a helper for that registry, and `credsStore` a helper for all of them;
 *   when one applies, Docker ignores what `auths` holds for the host (it is an empty placeholder).
 * - `auths[key]` holds `auth` (base64 of `user:password`), or `username` and `password`, or an
 *   `identitytoken` (an OAuth2 refresh token, as Azure Container Registry issues). Keys may be a
 *   host or a URL (`https://index.docker.io/v1/` for Docker Hub).
 *
 * Credential helpers are not run. A helper is an arbitrary executable (`docker-credential-<name>`)
 * that may show a prompt or unlock a keychain (osxkeychain, wincred, pass with a GPG pinentry) and
 * would hang or interrupt a background language server; starting programs as a side effect of
 * opening a YAML file is also not something a user expects from an editor extension, and it would put
 * decrypted secrets into a long-lived process. The lookup reports the helper instead, so that an
 * "unauthorized" answer can say where the credentials are and that Podstart did not use them.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { DOCKER_HUB_API_HOST } from './image-location';

export type RegistryCredentials =
  | { kind: 'none' }
  /** The registry's credentials are kept by `docker-credential-<helper>`, which Podstart does not run. */
  | { kind: 'helper'; helper: string }
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token, exchanged at the token service for an access token. */
  | { kind: 'identity-token'; username?: string; token: string };

export interface CredentialLookup {
  credentials: RegistryCredentials;
  /** Why the file gave nothing usable (unreadable, not JSON, an `auth` that does not decode); never contains a secret. */
  problem?: string;
}

/** Docker's own default: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(): string {
  const directory = process.env.DOCKER_CONFIG || path.join(homedir(), '.docker');
  return path.join(directory, 'config.json');
}

/** Credentials for `registry` (an API host such as `registry-1.docker.io` or `ghcr.io`) from the file at `configPath`. */
export async function lookUpDockerCredentials(configPath: string, registry: string): Promise<CredentialLookup> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // No file is the normal case for anonymous pulls, not a problem to report.
    if (code === 'ENOENT') return { credentials: { kind: 'none' } };
    return { credentials: { kind: 'none' }, problem: `cannot read ${configPath} (${code ?? 'error'})` };
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return { credentials: { kind: 'none' }, problem: `${configPath} is not valid JSON` };
  }
  if (!isObject(config)) return { credentials: { kind: 'none' }, problem: `${configPath} is not a JSON object` };
  return credentialsFromConfig(config, registry, configPath);
}

function credentialsFromConfig(config: Record<string, unknown>, registry: string, configPath: string): CredentialLookup {
  const keys = lookupKeys(registry);
  if (isObject(config.credHelpers)) {
    for (const [key, helper] of Object.entries(config.credHelpers)) {
      if (typeof helper === 'string' && helper && keys.has(normaliseConfigKey(key))) return { credentials: { kind: 'helper', helper } };
    }
  }
  if (typeof config.credsStore === 'string' && config.credsStore) return { credentials: { kind: 'helper', helper: config.credsStore } };
  if (!isObject(config.auths)) return { credentials: { kind: 'none' } };
  for (const [key, entry] of Object.entries(config.auths)) {
    if (!keys.has(normaliseConfigKey(key)) || !isObject(entry)) continue;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken) {
      const username = typeof entry.username === 'string' ? entry.username : undefined;
      return { credentials: { kind: 'identity-token', username, token: entry.identitytoken } };
    }
    if (typeof entry.auth === 'string' && entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon <= 0) return { credentials: { kind: 'none' }, problem: `the "auth" entry for ${key} in ${configPath} is not base64 of user:password` };
      return { credentials: { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
    }
    if (typeof entry.username === 'string' && entry.username && typeof entry.password === 'string') {
      return { credentials: { kind: 'basic', username: entry.username, password: entry.password } };
    }
  }
  return { credentials: { kind: 'none' } };
}

/** The normalised keys under which `registry` may appear in the file. */
function lookupKeys(registry: string): Set<string> {
  const host = registry.toLowerCase();
  // `docker login` with no server writes Docker Hub's legacy index URL, https://index.docker.io/v1/.
  if (host === DOCKER_HUB_API_HOST) return new Set(['index.docker.io', 'docker.io', DOCKER_HUB_API_HOST]);
  return new Set([host]);
}

/** `https://ghcr.io/v1/` → `ghcr.io`: the Docker CLI matches entries by host, whatever the scheme or path. */
function normaliseConfigKey(key: string): string {
  return key.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
