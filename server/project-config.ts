/**
 * The repository's `.podstart.yaml` files as the server sees them: for each file:// document, the
 * nearest one above it (searching no higher than the document's workspace folder), read from the
 * editor when it is open there (so unsaved edits apply at once) and from disk otherwise.
 * Lookups and parses are cached; the server invalidates them when a config file is edited,
 * created, changed on disk or deleted.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, findConfigFile, isIgnoredPath, parseConfigText } from '../core/config-file';
import type { PodstartSettings } from '../core/settings';

export type ConfigProblem = ReturnType<typeof parseConfigText>['problems'][number];

export interface ProjectConfig {
  /** Absolute path of the `.podstart.yaml`. */
  path: string;
  /** Its folder: `ignore` globs are relative to it. */
  dir: string;
  settings: PodstartSettings;
  problems: ConfigProblem[];
}

export interface ProjectConfigHost {
  /** The text of an open editor document for this path, if there is one. */
  openText(filePath: string): string | undefined;
  /** The workspace folders' paths: the search for a config stops at the document's folder. */
  workspaceFolders(): readonly string[];
  /** Called each time a config is (re)read, to publish its problems on the config file. */
  loaded(config: ProjectConfig): void;
  /** Called when a config that was read before can no longer be read (deleted, unreadable). */
  gone(configPath: string): void;
}

export function isConfigFilePath(filePath: string): boolean {
  return path.basename(filePath) === CONFIG_FILE_NAME;
}

export class ProjectConfigs {
  /** Folder → nearest config path (undefined: none); cleared when any config appears or vanishes. */
  private readonly nearest = new Map<string, string | undefined>();
  private readonly configs = new Map<string, ProjectConfig>();

  constructor(private readonly host: ProjectConfigHost) {}

  /** The config that applies to a file, or undefined when there is none. */
  forFile(filePath: string): ProjectConfig | undefined {
    const dir = path.dirname(filePath);
    let configPath: string | undefined;
    if (this.nearest.has(dir)) {
      configPath = this.nearest.get(dir);
    } else {
      configPath = findConfigFile(dir, this.workspaceFolderOf(filePath));
      this.nearest.set(dir, configPath);
    }
    return configPath === undefined ? undefined : this.load(configPath);
  }

  /** Reads (or returns the cached parse of) one config file. */
  load(configPath: string): ProjectConfig | undefined {
    const cached = this.configs.get(configPath);
    if (cached) return cached;
    const text = this.host.openText(configPath) ?? readIfPresent(configPath);
    if (text === undefined) {
      this.nearest.clear();
      this.host.gone(configPath);
      return undefined;
    }
    const { settings, problems } = parseConfigText(text);
    const config: ProjectConfig = { path: configPath, dir: path.dirname(configPath), settings, problems };
    this.configs.set(configPath, config);
    this.host.loaded(config);
    return config;
  }

  /**
   * Reads the config at the root of a workspace folder, if there is one, so that its problems show
   * as soon as the folder opens rather than when a manifest under it is first opened. Configs in
   * subfolders are read when a file below them is.
   */
  loadFolderConfig(folder: string): void {
    const configPath = path.join(folder, CONFIG_FILE_NAME);
    if (existsSync(configPath)) this.load(configPath);
  }

  /** Whether the config's `ignore` globs exclude the file. */
  ignores(config: ProjectConfig, filePath: string): boolean {
    const ignore = config.settings.ignore;
    return !!ignore && ignore.length > 0 && isIgnoredPath(filePath, config.dir, ignore);
  }

  /**
   * A config's text changed (in the editor or on disk), or it was created or deleted. Creation and
   * deletion change which config is nearest to a folder, so the lookups go too.
   */
  invalidate(configPath: string, created = false): void {
    const known = this.configs.delete(configPath);
    if (created || !known) this.nearest.clear();
  }

  clear(): void {
    this.configs.clear();
    this.nearest.clear();
  }

  private workspaceFolderOf(filePath: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.host.workspaceFolders()) {
      const inside = filePath === folder || filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
      if (inside && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }
}

function readIfPresent(filePath: string): string | undefined {
  try {
    return readFileSync(filePath, 'utf8');
  } catch {
    return undefined;
  }
}
