/**
 * The settings one document is analysed with, merged in the documented order: rule defaults
 * (applied by the engine) < the nearest `.podstart.yaml` < the editor's `podstart.*` settings.
 * The result is memoised per document and returned as the same object while neither layer
 * changed, which is how the analysis cache knows its settings are still current.
 */
import { mergeSettings } from '../core/settings';
import type { EffectiveSettings } from './document-analysis';
import { isConfigFilePath, type ProjectConfig, type ProjectConfigs } from './project-config';
import type { EditorSettings } from './protocol';
import { engineLayerOf, type EditorSettingsStore } from './settings';
import { fileSystemPathOf } from './uris';

interface Memo {
  editor: EditorSettings;
  config?: ProjectConfig;
  ignoredBy?: string;
  settings: EffectiveSettings;
}

export class DocumentSettingsResolver {
  private readonly memo = new Map<string, Memo>();

  constructor(
    private readonly editorSettings: EditorSettingsStore,
    private readonly configs: ProjectConfigs,
  ) {}

  async resolve(uri: string): Promise<EffectiveSettings> {
    const editor = await this.editorSettings.get(uri);
    const filePath = fileSystemPathOf(uri);
    const config = filePath && !isConfigFilePath(filePath) ? this.configs.forFile(filePath) : undefined;
    const ignoredBy = config && filePath && this.configs.ignores(config, filePath) ? config.path : undefined;
    const previous = this.memo.get(uri);
    if (previous && previous.editor === editor && previous.config === config && previous.ignoredBy === ignoredBy) return previous.settings;
    const settings: EffectiveSettings = { enabled: editor.enable, engine: mergeSettings(config?.settings, engineLayerOf(editor)), ignoredBy };
    this.memo.set(uri, { editor, config, ignoredBy, settings });
    return settings;
  }

  forget(uri: string): void {
    this.memo.delete(uri);
  }
}
