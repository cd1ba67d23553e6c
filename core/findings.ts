/**
 * Findings as the engine returns them, for manifests and Dockerfiles alike, and the diagnostics
 * about a file itself rather than a rule.
 */
import type { LineIndex } from './line-index';
import type { Finding, Severity, TextEdit } from './types';

/** Diagnostics about the file itself rather than a rule. */
export const FILE_DIAGNOSTICS = {
  invalidYaml: 'invalid-yaml',
  invalidDockerfile: 'invalid-dockerfile',
  duplicateKey: 'duplicate-key',
  template: 'template-file',
  tooLarge: 'file-too-large',
  binary: 'binary-file',
  badSetting: 'invalid-setting',
} as const;

/** A rule that threw: it costs that rule on that object, never the file. */
export const INTERNAL_ERROR = 'internal-error';

export interface AnalyzedFinding extends Finding {
  /** Edits that silence this finding: on its line, or (for workloads) on its object. */
  disable?: { line: TextEdit; object?: TextEdit };
}

/** A finding about the file (no stage, no fixes), pushed onto `findings`. */
export function pushFileFinding(findings: AnalyzedFinding[], lines: LineIndex, ruleId: string, severity: Severity, message: string, start: number, end: number): void {
  findings.push({ ruleId, severity, message, start, end, range: { start: lines.positionAt(start), end: lines.positionAt(end) }, fixes: [] });
}
