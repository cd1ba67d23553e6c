/** Temporary Docker client configurations (`config.json`) for credential tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TemporaryDirectory {
  path: string;
  remove(): void;
}

export function temporaryDirectory(prefix: string): TemporaryDirectory {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/** Writes `config` as `<name>.json` in `directory` and returns the file's path. */
export function writeDockerConfig(directory: TemporaryDirectory, name: string, config: object): string {
  const file = path.join(directory.path, `${name}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function basicAuthEntry(user: string, password: string): { auth: string } {
  return { auth: Buffer.from(`${user}:${password}`).toString('base64') };
}
