/**
 * Findings as LSP diagnostics, the way vscode-eslint shapes them: `source` names the tool, `code`
 * is the rule id, `codeDescription` links the rule's bundled page, and `data` names the rule and
 * its fixes.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DiagnosticSeverity, type TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { AnalyzedFinding } from '../core/analyze';
import { FILE_DIAGNOSTICS } from '../core/analyze';
import type { Position, Severity, TextEdit } from '../core/types';
import { findRule } from '../rules';
import { shiftRange } from './incremental-analysis';
import type { ConfigProblem } from './project-config';
import { fileUriOf } from './uris';

export const DIAGNOSTIC_SOURCE = 'podstart';

/**
 * `Diagnostic.data`: the rule and the fixes it offers. The fixes' edits are not included: the
 * server computes them for the document's current version when code actions are asked for (as
 * vscode-eslint keeps its fixes server-side), and on a large file they would triple the size of
 * every publish (measured: 3.9 MB instead of 1.3 MB for 3,500 findings).
 */
export interface PodstartDiagnosticData {
  ruleId: string;
  fixes: Array<{ title: string; safe: boolean }>;
}

/** Anything that maps file offsets to positions: a LineIndex, or the TextDocument itself. */
export interface PositionMapper {
  positionAt(offset: number): Position;
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function diagnosticSeverityOf(severity: Severity): DiagnosticSeverity {
  return SEVERITIES[severity];
}

/**
 * The rule pages ship with the extension, next to the server bundle: dist/../docs/rules (in the
 * repository, docs/rules). `codeDescription.href` and the hover link that file rather than a
 * repository URL: it opens offline and in air-gapped clusters' workstations, and it is the page of
 * the installed version, whose rules and options can differ from the repository's main branch.
 */
export const RULE_DOCS_DIR = path.join(__dirname, '..', 'docs', 'rules');

const docUris = new Map<string, string | undefined>();

/**
 * The file URI of a rule's page. Catalog rules always have one (the docs meta-test enforces it);
 * the engine's own diagnostics (invalid-yaml, file-too-large...) link a page only if it exists.
 */
export function ruleDocUri(id: string): string | undefined {
  if (!docUris.has(id)) {
    const file = path.join(RULE_DOCS_DIR, `${id}.md`);
    docUris.set(id, findRule(id) || existsSync(file) ? fileUriOf(file) : undefined);
  }
  return docUris.get(id);
}

export function toLspEdit(edit: TextEdit, positions: PositionMapper): LspTextEdit {
  return { range: { start: positions.positionAt(edit.start), end: positions.positionAt(edit.end) }, newText: edit.newText };
}

/** The diagnostic of a finding; `lineShift` moves a finding of one YAML document to where that document sits. */
export function findingDiagnostic(finding: AnalyzedFinding, lineShift = 0): Diagnostic {
  const diagnostic = Diagnostic.create(shiftRange(finding.range, lineShift), finding.message, diagnosticSeverityOf(finding.severity), finding.ruleId, DIAGNOSTIC_SOURCE);
  const href = ruleDocUri(finding.ruleId);
  if (href) diagnostic.codeDescription = { href };
  const data: PodstartDiagnosticData = { ruleId: finding.ruleId, fixes: finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })) };
  diagnostic.data = data;
  return diagnostic;
}

/** A mistake in `.podstart.yaml`, shown on the config file itself. */
export function configProblemDiagnostic(problem: ConfigProblem): Diagnostic {
  const diagnostic = Diagnostic.create(problem.range, problem.message, DiagnosticSeverity.Warning, FILE_DIAGNOSTICS.badSetting, DIAGNOSTIC_SOURCE);
  const href = ruleDocUri(FILE_DIAGNOSTICS.badSetting);
  if (href) diagnostic.codeDescription = { href };
  return diagnostic;
}
