/**
 * The contract between the extension client and the language server: custom request names,
 * their payloads, the command ids the server's code actions invoke, and the shape of the
 * editor's `podstart.*` settings. Both sides import this file; it has no runtime imports,
 * so the client bundle never pulls in server code.
 */
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import type { Severity, SeveritySetting } from '../core/types';
import type { RuleSettingInput } from '../core/settings';

/** The settings section the server pulls per document and the client synchronises. */
export const SETTINGS_SECTION = 'podstart';

/**
 * The editor's `podstart.*` settings as the server receives them. Values the user did not set
 * are absent (the Podstart client sends only explicit values), so that a `.podstart.yaml` in the
 * repository is not overridden by the editor's defaults.
 */
export interface EditorSettings {
  enable: boolean;
  kubernetesVersion?: string;
  maxFileSize?: number;
  rules?: Record<string, RuleSettingInput>;
  /**
   * `podstart.registry.*`: read once for the server (not per document), and only from the user's
   * own settings: the Podstart client never takes them from a workspace's settings.
   */
  registry?: RegistryEditorSettings;
}

/** `podstart.registry.*` as sent; server/registry-settings.ts checks them and fills in defaults. */
export interface RegistryEditorSettings {
  /** Ask registries for image sizes and digests (only in a trusted workspace). */
  enabled?: boolean;
  /** The nodes' platform, `os/arch[/variant]`: which image of a multi-platform index is measured. */
  platform?: string;
  /** Registry hosts (`host:port`) that may be spoken to over plain http besides loopback. */
  insecureRegistries?: string[];
}

/** Code action kind for fix-on-save: `"editor.codeActionsOnSave": { "source.fixAll.podstart": "explicit" }`. */
export const SOURCE_FIX_ALL_KIND = 'source.fixAll.podstart';

/** Client command that opens a rule's bundled documentation; the argument is the rule id. */
export const SHOW_RULE_DOC_COMMAND = 'podstart.showRuleDoc';

/** What the Podstart client says about itself in `initializationOptions`; other clients send nothing. */
export interface PodstartInitializationOptions {
  /** The client forwards changes of the `podstart` section itself: the server must not register for them too. */
  synchronizesConfiguration?: boolean;
  /**
   * The client runs SHOW_RULE_DOC_COMMAND from `command:` links in hovers (it trusts that one
   * command in markdown), so the hover links the rendered page instead of the raw file.
   */
  opensRuleDocLinks?: boolean;
  /**
   * The user trusts the workspace (VS Code's `workspace.isTrusted`). Registry lookups send the
   * image names a repository's files contain to the registries they name, with the user's
   * credentials, so they happen only in a trusted workspace; a client that sends nothing gets none.
   * Trust granted later arrives as WORKSPACE_TRUSTED_NOTIFICATION.
   */
  workspaceTrusted?: boolean;
  /** A folder of the client's (VS Code's global storage) for the registry answers cache; memory only without. */
  registryCacheDir?: string;
}

/** `podstart/workspaceTrusted` (client → server, no params): the user has just trusted the workspace. */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'podstart/workspaceTrusted';

/** `podstart/documentStatus`: what the status bar shows for the active editor. */
export const DOCUMENT_STATUS_REQUEST = 'podstart/documentStatus';

export interface DocumentStatusParams {
  uri: string;
}

export interface DocumentStatus {
  uri: string;
  /** `podstart.enable` for this document. */
  enabled: boolean;
  /** Workloads (objects with a pod spec) in the document; the status bar hides when this and `kubeletConfigCount` are zero. */
  workloadCount: number;
  /** Kubelet configurations in the document (KubeletConfiguration documents, kind patches, kubeletExtraArgs). */
  kubeletConfigCount?: number;
  /** Findings published for the document, by severity. */
  findings: Record<Severity, number>;
  /** Why the document was not analysed, when it was not (in plain words, for the tooltip). */
  skippedBecause?: string;
}

/** `podstart/fixAll`: every safe fix in one document, as the `podstart.fixAll` command applies it. */
export const FIX_ALL_REQUEST = 'podstart/fixAll';

export interface FixAllParams {
  uri: string;
}

export interface FixAllResult {
  /** Absent when nothing can be fixed. */
  edit?: WorkspaceEdit;
  /** Number of fixes applied (over every pass). */
  fixed: number;
}

/** `podstart/listRules`: the rule catalog, with the severity each rule has for one document. */
export const LIST_RULES_REQUEST = 'podstart/listRules';

export interface ListRulesParams {
  /** The document whose settings (`.podstart.yaml`, `podstart.rules`) decide the severities; none: the defaults. */
  uri?: string;
}

export interface RuleSummary {
  id: string;
  /** The startup stage the rule's findings cost, in words ("Image pull"). */
  stage: string;
  defaultSeverity: Severity;
  /** The severity in effect for the document asked about, `off` when it does not run. */
  severity: SeveritySetting;
  description: string;
  startupCost: string;
  fixable: boolean;
}
