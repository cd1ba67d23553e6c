/**
 * The JSON format, for scripts. Its structure is stable: fields are only ever added.
 *
 *   {
 *     "version": 1,                                   // of this structure
 *     "tool": { "name": "podstart", "version": "0.1.0" },
 *     "files": [{                                     // every file checked, in order, with or without findings
 *       "path": "deploy/api.yaml",                    // relative to the working folder ("<stdin>" for unnamed input)
 *       "fixed": 0,                                   // findings --fix fixed in this file
 *       "findings": [{
 *         "ruleId": "mutable-image-tag",
 *         "severity": "warning",                      // error | warning | info | hint
 *         "stage": "image-pull",                      // the startup stage; null for findings about the file itself
 *         "message": "...",
 *         "line": 26, "column": 18,                   // 1-based; columns count UTF-16 code units
 *         "endLine": 26, "endColumn": 48,             // 1-based, exclusive: the column just after the underlined text
 *         "fixable": false,                           // whether --fix fixes it
 *         "object": { "kind": "Deployment", "name": "api" }   // a Dockerfile's build stage: { "kind": "Stage", "name": "build" }; or null
 *       }]
 *     }],
 *     "errors": [{ "kind": "io" | "config" | "internal", "path": "...", "line": 3, "column": 5, "message": "..." }],
 *     "warnings": [{ "path": "...", "message": "..." }],
 *     "summary": { "files", "filesWithFindings", "findings", "bySeverity": { "error", "warning", "info", "hint" },
 *                  "fixable", "fixed", "failOn", "exitCode" }
 *   }
 *
 * In "errors", line and column (1-based) are present only for configuration problems.
 */
import type { AnalyzedFinding } from '../core/analyze';
import { exitCodeOf, isSafelyFixable, totalsOf, type CheckReport } from './report';
import { TOOL_NAME, TOOL_VERSION } from './project-info';

export const JSON_FORMAT_VERSION = 1;

function findingJson(finding: AnalyzedFinding) {
  const { start, end } = finding.range;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    stage: finding.stage ?? null,
    message: finding.message,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    fixable: isSafelyFixable(finding),
    object: finding.object ? { kind: finding.object.kind, name: finding.object.name } : null,
  };
}

export function formatJson(report: CheckReport): string {
  const totals = totalsOf(report);
  const document = {
    version: JSON_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    files: report.files.map((file) => ({ path: file.displayPath, fixed: file.fixed, findings: file.findings.map(findingJson) })),
    errors: report.errors.map((error) => ({
      kind: error.kind,
      path: error.displayPath ?? null,
      ...(error.range ? { line: error.range.start.line + 1, column: error.range.start.character + 1 } : {}),
      message: error.message,
    })),
    warnings: report.warnings.map((warning) => ({ path: warning.displayPath ?? null, message: warning.message })),
    summary: {
      files: totals.files,
      filesWithFindings: totals.filesWithFindings,
      findings: totals.findings,
      bySeverity: totals.bySeverity,
      fixable: totals.fixable,
      fixed: totals.fixed,
      failOn: report.failOn,
      exitCode: exitCodeOf(report),
    },
  };
  return JSON.stringify(document, null, 2) + '\n';
}
