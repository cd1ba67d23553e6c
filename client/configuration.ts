/**
 * Answers the server's `workspace/configuration` requests for `podstart` with the settings the
 * user actually set. VS Code would otherwise return every default (kubernetesVersion "1.34",
 * maxFileSize 5 MB) as if chosen, and the editor layer, which wins the merge, would override the
 * repository's `.podstart.yaml` with values nobody picked.
 */
import { Uri, workspace, type WorkspaceConfiguration } from 'vscode';
import type { ConfigurationParams, Middleware } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type ClusterEditorSettings, type EditorSettings, type RegistryEditorSettings, type TimingsEditorSettings } from '../server/protocol';

/** The most specific explicitly set value (folder over workspace over user), or undefined. */
function explicitValue<T>(config: WorkspaceConfiguration, key: string): T | undefined {
  const inspected = config.inspect<T>(key);
  if (!inspected) return undefined;
  return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
}

/** Object settings merge across levels, as VS Code merges them for `get`. */
function explicitRules(config: WorkspaceConfiguration): EditorSettings['rules'] {
  const inspected = config.inspect<Record<string, NonNullable<EditorSettings['rules']>[string]>>('rules');
  if (!inspected) return undefined;
  const levels = [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].filter((level) => level !== undefined);
  return levels.length === 0 ? undefined : Object.assign({}, ...levels);
}

/** The user's own value (user or remote settings), never a workspace's or folder's. */
function userValue<T>(config: WorkspaceConfiguration, key: string): T | undefined {
  return config.inspect<T>(key)?.globalValue;
}

/**
 * `podstart.registry.*`. Turning lookups on, and allowing plain http, are taken from the user's own
 * settings only: a repository's .vscode/settings.json must not make the editor send the image names
 * (and the user's registry credentials) anywhere. package.json scopes both to `machine`, which
 * VS Code already keeps out of workspace settings; reading `globalValue` holds even where it would not.
 */
function registrySettings(config: WorkspaceConfiguration): RegistryEditorSettings {
  return {
    enabled: userValue<boolean>(config, 'registry.enabled') ?? false,
    platform: explicitValue<string>(config, 'registry.platform'),
    insecureRegistries: userValue<string[]>(config, 'registry.insecureRegistries'),
  };
}

/**
 * `podstart.cluster.*`. The context picks the credentials (and the cluster) the editor reads with:
 * like `podstart.kubeconfig`, it is taken from the user's own settings only. Which namespace a
 * repository's manifests go to may come from its settings.
 */
function clusterSettings(config: WorkspaceConfiguration): ClusterEditorSettings {
  return {
    context: userValue<string>(config, 'cluster.context'),
    namespace: explicitValue<string>(config, 'cluster.namespace'),
  };
}

/** `podstart.timings.*`: the server reads them only in a trusted workspace, and bounds the interval. */
function timingsSettings(config: WorkspaceConfiguration): TimingsEditorSettings {
  return {
    enabled: explicitValue<boolean>(config, 'timings.enabled'),
    window: explicitValue<string>(config, 'timings.window'),
    refreshInterval: explicitValue<number>(config, 'timings.refreshInterval'),
    snapshot: explicitValue<string>(config, 'timings.snapshot'),
    nodeDetails: explicitValue<boolean>(config, 'timings.nodeDetails'),
    watch: explicitValue<boolean>(config, 'timings.watch'),
  };
}

export function explicitSettings(scopeUri: string | undefined): EditorSettings {
  const config = workspace.getConfiguration(SETTINGS_SECTION, scopeUri ? Uri.parse(scopeUri) : undefined);
  return {
    enable: config.get<boolean>('enable', true),
    kubernetesVersion: explicitValue<string>(config, 'kubernetesVersion'),
    maxFileSize: explicitValue<number>(config, 'maxFileSize'),
    rules: explicitRules(config),
    registry: registrySettings(config),
    kubeconfig: userValue<string>(config, 'kubeconfig'),
    cluster: clusterSettings(config),
    timings: timingsSettings(config),
    // Reads local files only, so a workspace's settings may turn it on.
    workspaceScan: { enabled: explicitValue<boolean>(config, 'workspaceScan.enabled') },
  };
}

export const configurationMiddleware: NonNullable<Middleware['workspace']>['configuration'] = async (params: ConfigurationParams, token, next) => {
  const answers = await next(params, token);
  if (!Array.isArray(answers)) return answers;
  return params.items.map((item, index) => (item.section === SETTINGS_SECTION ? explicitSettings(item.scopeUri) : answers[index]));
};
