/**
 * The editor's `podstart.*` settings, pulled per document with `workspace/configuration` (scoped
 * by the document's URI, so folder settings apply) and cached by URI until the editor says they
 * changed. Values arrive from the user's settings.json, so they are checked here, once, and a bad
 * value is dropped with a log line rather than reaching the engine.
 */
import type { Connection } from 'vscode-languageserver/node';
import { parseKubernetesVersion } from '../core/kubernetes-version';
import type { PodstartSettings, RuleSettingInput } from '../core/settings';
import type { SeveritySetting } from '../core/types';
import { SETTINGS_SECTION, type EditorSettings } from './protocol';

const SEVERITY_SETTINGS: ReadonlySet<string> = new Set<SeveritySetting>(['error', 'warning', 'info', 'hint', 'off']);

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ruleSettingOf(value: unknown): RuleSettingInput | undefined {
  if (typeof value === 'string') return SEVERITY_SETTINGS.has(value) ? (value as SeveritySetting) : undefined;
  if (!isRecord(value)) return undefined;
  const { severity, options } = value;
  if (severity !== undefined && !(typeof severity === 'string' && SEVERITY_SETTINGS.has(severity))) return undefined;
  if (options !== undefined && !isRecord(options)) return undefined;
  return { severity: severity as SeveritySetting | undefined, options: options as Record<string, unknown> | undefined };
}

/** Checks settings as received; `problems` lists what was dropped, for the log. */
export function readEditorSettings(raw: unknown): { settings: EditorSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: EditorSettings = { enable: true };
  if (!isRecord(raw)) return { settings, problems };
  if (raw.enable !== undefined && raw.enable !== null) {
    if (typeof raw.enable === 'boolean') settings.enable = raw.enable;
    else problems.push('podstart.enable must be true or false');
  }
  if (raw.kubernetesVersion !== undefined && raw.kubernetesVersion !== null && raw.kubernetesVersion !== '') {
    if (typeof raw.kubernetesVersion === 'string' && parseKubernetesVersion(raw.kubernetesVersion)) settings.kubernetesVersion = raw.kubernetesVersion.trim();
    else problems.push(`podstart.kubernetesVersion ${JSON.stringify(raw.kubernetesVersion)} is not a version such as "1.33"`);
  }
  if (raw.maxFileSize !== undefined && raw.maxFileSize !== null) {
    if (typeof raw.maxFileSize === 'number' && Number.isFinite(raw.maxFileSize) && raw.maxFileSize >= 0) settings.maxFileSize = raw.maxFileSize;
    else problems.push('podstart.maxFileSize must be a number of bytes');
  }
  if (raw.rules !== undefined && raw.rules !== null) {
    if (!isRecord(raw.rules)) {
      problems.push('podstart.rules must be an object of rule id → severity');
    } else {
      const rules: Record<string, RuleSettingInput> = {};
      for (const [id, value] of Object.entries(raw.rules)) {
        const rule = ruleSettingOf(value);
        if (rule === undefined) problems.push(`podstart.rules.${id}: expected error, warning, info, hint, off or { severity, options }`);
        else rules[id] = rule;
      }
      settings.rules = rules;
    }
  }
  return { settings, problems };
}

/** The engine's layer for the editor settings (the last, winning layer of mergeSettings). */
export function engineLayerOf(settings: EditorSettings): PodstartSettings {
  const layer: PodstartSettings = {};
  if (settings.kubernetesVersion !== undefined) layer.kubernetesVersion = settings.kubernetesVersion;
  if (settings.maxFileSize !== undefined) layer.maxFileSize = settings.maxFileSize;
  if (settings.rules !== undefined) layer.rules = settings.rules;
  return layer;
}

/**
 * Per-document editor settings. Clients without `workspace/configuration` push their settings
 * with didChangeConfiguration instead; those become the settings of every document.
 */
export class EditorSettingsStore {
  private readonly byUri = new Map<string, Promise<EditorSettings>>();
  private pushed: EditorSettings = DEFAULT_EDITOR_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<EditorSettings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.byUri.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(
        (raw) => this.check(raw, uri),
        (error: unknown) => {
          this.connection.console.error(`Could not read podstart settings for ${uri}: ${(error as Error)?.message ?? error}`);
          // Not cached: the next analysis asks again.
          this.byUri.delete(uri);
          return DEFAULT_EDITOR_SETTINGS;
        },
      );
      this.byUri.set(uri, settings);
    }
    return settings;
  }

  /** didChangeConfiguration: pulled settings are dropped; pushed ones (if any) replace the old. */
  changed(pushedSettings: unknown): void {
    this.byUri.clear();
    if (!this.canPull()) {
      const section = isRecord(pushedSettings) ? pushedSettings[SETTINGS_SECTION] : undefined;
      this.pushed = this.check(section, 'the pushed configuration');
    }
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  private check(raw: unknown, where: string): EditorSettings {
    const { settings, problems } = readEditorSettings(raw);
    for (const problem of problems) this.connection.console.warn(`Ignoring a setting for ${where}: ${problem}`);
    return settings;
  }
}
