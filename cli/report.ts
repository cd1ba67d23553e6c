/**
 * What a `podstart check` run found, independent of the output format: the files checked with
 * their findings, the errors that make the run exit 2, and the warnings that do not. Every
 * formatter renders this, and the exit code is derived from it.
 */
import * as path from 'node:path';
import type { AnalyzedFinding } from '../core/analyze';
import type { Range, Severity } from '../core/types';
import type { FailOn } from './arguments';

export interface CheckedFile {
  /** Absolute path; undefined for standard input without --stdin-filename. */
  path?: string;
  /** As shown to the user: relative to the working folder when inside it, `<stdin>` for unnamed input. */
  displayPath: string;
  findings: AnalyzedFinding[];
  /** Findings that --fix fixed in this file. */
  fixed: number;
}

export type RunProblemKind = 'io' | 'config' | 'internal';

/** An error that makes the run exit 2: an unreadable path, a configuration mistake, a crash on one file. */
export interface RunProblem {
  kind: RunProblemKind;
  message: string;
  path?: string;
  displayPath?: string;
  /** Where in the file (configuration problems). */
  range?: Range;
}

/** Something the user should know that does not fail the run, such as a named file that is ignored. */
export interface RunWarning {
  message: string;
  path?: string;
  displayPath?: string;
}

export interface CheckReport {
  /** The working folder: displayed paths and SARIF URIs are relative to it. */
  cwd: string;
  files: CheckedFile[];
  errors: RunProblem[];
  warnings: RunWarning[];
  failOn: FailOn;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const SEVERITY_RANK: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };

/** Whether a finding of this severity fails a run with this --fail-on. */
export function reaches(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export function exitCodeOf(report: CheckReport): number {
  if (report.errors.length > 0) return EXIT_ERROR;
  const fails = report.files.some((file) => file.findings.some((finding) => reaches(finding.severity, report.failOn)));
  return fails ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Whether --fix would fix the finding: it has a fix marked safe. */
export function isSafelyFixable(finding: AnalyzedFinding): boolean {
  return finding.fixes.some((fix) => fix.safe);
}

/** How a path is shown: relative to the working folder when inside it, absolute otherwise. */
export function displayPathOf(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? filePath : relative;
}

export interface ReportTotals {
  files: number;
  filesWithFindings: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  fixable: number;
  fixed: number;
}

export function totalsOf(report: CheckReport): ReportTotals {
  const totals: ReportTotals = { files: report.files.length, filesWithFindings: 0, findings: 0, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 }, fixable: 0, fixed: 0 };
  for (const file of report.files) {
    if (file.findings.length > 0) totals.filesWithFindings++;
    totals.fixed += file.fixed;
    for (const finding of file.findings) {
      totals.findings++;
      totals.bySeverity[finding.severity]++;
      if (isSafelyFixable(finding)) totals.fixable++;
    }
  }
  return totals;
}
