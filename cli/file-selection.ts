/**
 * Which files `podstart check` analyses when it walks a folder. This is the one place that
 * decides it: a new kind of input is added here, and nowhere else.
 *
 * Files named explicitly on the command line are checked whatever their name; folders are
 * searched recursively for manifests (`*.yaml`, `*.yml`; `*.json` when its content holds a kind
 * Podstart reads, see `isCheckedContent`) and Dockerfiles (the names core/file-types.ts knows:
 * `Dockerfile`, `Containerfile`, `*.dockerfile`, `Dockerfile.*`), in a stable (sorted) order. Symbolic links to files are followed; symbolic links to folders are not,
 * so a link cycle cannot make the walk endless.
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isAnalysedJson } from '../core/analyze';
import { CONFIG_FILE_NAME } from '../core/config-file';
import { isDockerfileName } from '../core/file-types';

/** Folders never searched: dependencies and version control hold no manifests of the project. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

const MANIFEST_FILE_NAME = /\.ya?ml$/i;
const JSON_FILE_NAME = /\.json$/i;

/** Whether a file met while walking a folder may be one to analyse (JSON files are then judged by `isCheckedContent`). */
export function isCheckedFileName(name: string): boolean {
  // The configuration is YAML too, but it is read as configuration, not as a manifest.
  return (MANIFEST_FILE_NAME.test(name) && name !== CONFIG_FILE_NAME) || JSON_FILE_NAME.test(name) || isDockerfileName(name);
}

/** Whether a file found in a folder is analysed once read: a JSON file only when it holds a kind Podstart reads. */
export function isCheckedContent(filePath: string, text: string): boolean {
  return !JSON_FILE_NAME.test(filePath) || isAnalysedJson(text);
}

/** What a folder without files to check is told: the kinds of file the walk looks for. */
export const CHECKED_FILES_DESCRIPTION = '*.yaml, *.yml, Kubernetes *.json or Dockerfile';

export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}

/**
 * The files to analyse in a folder and its subfolders, sorted. A subfolder that cannot be read
 * is passed to `onError` and the walk goes on. What the walk leaves out on purpose, where a user
 * would otherwise wonder why a file was not checked (a link to a folder, a link cycle, a FIFO or
 * device with a manifest's name), is passed to `onSkipped` with the reason.
 */
export async function filesInFolder(
  folder: string,
  onError: (folder: string, error: NodeJS.ErrnoException) => void,
  onSkipped: (skipped: string, reason: string) => void = () => undefined,
): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    onError(folder, error as NodeJS.ErrnoException);
    return [];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: string[][] = await Promise.all(
    entries.map(async (entry): Promise<string[]> => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return isSkippedFolder(entry.name) ? [] : filesInFolder(full, onError, onSkipped);
      if (entry.isSymbolicLink()) {
        let target;
        try {
          target = await stat(full);
        } catch (error) {
          // A link cycle (a -> b -> a) names nothing either, but unlike a dangling link it is a mistake worth a word.
          if ((error as NodeJS.ErrnoException).code === 'ELOOP') onSkipped(full, 'Skipped: a cycle of symbolic links (too many levels of symbolic links).');
          // A dangling link is not an error of the walk: it names nothing to check.
          return [];
        }
        if (target.isDirectory()) {
          if (!isSkippedFolder(entry.name)) onSkipped(full, 'Skipped: a symbolic link to a folder; links to folders are not followed, so that a cycle cannot make the walk endless.');
          return [];
        }
        return target.isFile() && isCheckedFileName(entry.name) ? [full] : [];
      }
      if (!isCheckedFileName(entry.name)) return [];
      if (entry.isFile()) return [full];
      // Reading a FIFO would wait for a writer forever; a device is not a manifest.
      onSkipped(full, 'Skipped: not a regular file (a FIFO, socket or device).');
      return [];
    }),
  );
  return found.flat();
}
