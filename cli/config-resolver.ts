/**
 * The `.podstart.yaml` each checked file follows: the one given with `--config`, or else the
 * nearest one in the file's folder or above it. Each configuration is read and validated once;
 * its problems are reported once, however many files it applies to.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findConfigFile, isIgnoredPath, parseConfigText, type ConfigProblem } from '../core/config-file';
import type { PodstartSettings } from '../core/settings';

export interface LoadedConfig {
  /** Absolute path of the configuration file. */
  path: string;
  /** Its folder: `ignore` globs are relative to it. */
  dir: string;
  settings: PodstartSettings;
  problems: ConfigProblem[];
}

export interface ConfigReadError {
  path: string;
  error: NodeJS.ErrnoException;
}

export class ConfigResolver {
  /** Folder → nearest configuration path (undefined: none). */
  private readonly nearest = new Map<string, string | undefined>();
  /** Path → configuration, or undefined when it could not be read. */
  private readonly configs = new Map<string, LoadedConfig | undefined>();
  readonly readErrors: ConfigReadError[] = [];

  /** `explicitPath`: the absolute path given with `--config`, used for every file. */
  constructor(private readonly explicitPath?: string) {}

  forFile(filePath: string): LoadedConfig | undefined {
    if (this.explicitPath) return this.load(this.explicitPath);
    const dir = path.dirname(filePath);
    if (!this.nearest.has(dir)) this.nearest.set(dir, findConfigFile(dir));
    const configPath = this.nearest.get(dir);
    return configPath === undefined ? undefined : this.load(configPath);
  }

  load(configPath: string): LoadedConfig | undefined {
    if (this.configs.has(configPath)) return this.configs.get(configPath);
    let config: LoadedConfig | undefined;
    try {
      const { settings, problems } = parseConfigText(readFileSync(configPath, 'utf8'));
      config = { path: configPath, dir: path.dirname(configPath), settings, problems };
    } catch (error) {
      this.readErrors.push({ path: configPath, error: error as NodeJS.ErrnoException });
    }
    this.configs.set(configPath, config);
    return config;
  }

  /** Whether the configuration's `ignore` globs exclude the file. */
  ignores(config: LoadedConfig | undefined, filePath: string): boolean {
    const ignore = config?.settings.ignore;
    return !!config && !!ignore && ignore.length > 0 && isIgnoredPath(filePath, config.dir, ignore);
  }

  /** Every configuration read so far, in the order they were first needed. */
  loaded(): LoadedConfig[] {
    return [...this.configs.values()].filter((config): config is LoadedConfig => config !== undefined);
  }
}
