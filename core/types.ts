/**
 * Shared vocabulary of the pure core. Nothing here imports an editor API:
 * the language server, the CLI and the tests all speak these types.
 */
import type { Node as YamlNode, Pair } from 'yaml';

/** The stage of a pod's start that a finding costs time in. */
export type Stage =
  | 'scheduling'
  | 'image-pull'
  | 'sandbox'
  | 'volumes'
  | 'init-containers'
  | 'container-start'
  | 'probes';

export const STAGE_TITLES: Record<Stage, string> = {
  scheduling: 'Scheduling',
  'image-pull': 'Image pull',
  sandbox: 'Sandbox and network',
  volumes: 'Volumes, Secrets and ConfigMaps',
  'init-containers': 'Init containers',
  'container-start': 'Container start',
  probes: 'Probes and Ready',
};

/** What a rule reads: the workloads of manifests, Dockerfiles, or kubelet configurations. */
export type RuleTarget = 'manifest' | 'dockerfile' | 'kubelet';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A zero-based position, as LSP and SARIF (after +1) use. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of the text between two file offsets. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are applied by `--fix` and "fix all"; the rest are offered only one at a time. */
  safe: boolean;
  /**
   * Set on an action offered with a finding that does not make it go away: pinning a large image to
   * its digest makes the pull reproducible, not smaller.
   */
  keepsFinding?: true;
  /**
   * Files the fix creates beside the analysed file (a `.dockerignore`) when they do not exist yet.
   * Such a fix is never safe, so the CLI's `--fix` and "fix all" leave it alone; the editor's quick
   * fix creates the file.
   */
  createFiles?: FileCreation[];
}

/** A new file a fix writes. */
export interface FileCreation {
  /** Path relative to the folder of the analysed file, with `/` separators. */
  relativePath: string;
  text: string;
}

/** Where a rule points: a value, or (for a missing field) the key of the nearest existing parent. */
export type ReportTarget = YamlNode | Pair | { start: number; end: number };

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The startup stage the finding costs; absent for diagnostics about the file itself. */
  stage?: Stage;
  message: string;
  /** File offsets of the underlined text. */
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
  /** Object the finding belongs to, for "disable for this object" and reports. */
  object?: { kind: string; name: string; metadataOffset?: number };
}

export interface RuleOptionSpec {
  type: 'number' | 'string' | 'boolean' | 'string[]';
  default: unknown;
  description: string;
  /** A string that is a regular expression: refused by the config check when invalid or unsafe (core/safe-pattern.ts). */
  format?: 'regex';
}

export interface RuleMeta {
  id: string;
  /**
   * What the rule reads: Kubernetes workloads in manifests (the default), Dockerfiles, or kubelet
   * configurations (found in manifests, core/kubelet/locate.ts). One catalog, one configuration
   * schema, one README table and one SARIF rule list serve all three.
   */
  target?: RuleTarget;
  stage: Stage;
  defaultSeverity: Severity;
  /** One sentence: what the rule finds. */
  description: string;
  /** What it costs at startup, in plain words and numbers. */
  startupCost: string;
  fixable: boolean;
  options: Record<string, RuleOptionSpec>;
}
