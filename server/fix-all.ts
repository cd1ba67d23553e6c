/**
 * "Fix all" for one document, in the editor's terms: the core's fixAll (every safe fix, re-analysed
 * between passes), optionally for one rule, turned into small LSP edits against the document as
 * it is now.
 */
import type { TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixAll } from '../core/apply-edits';
import { findRule } from '../rules';
import { toLspEdit } from './diagnostics';
import type { DocumentAnalysis } from './document-analysis';
import { minimalEdits } from './text-diff';
import { fileNameOf } from './uris';

export interface DocumentFixes {
  edits: LspTextEdit[];
  fixed: number;
}

/** Whether any finding (of one rule, if given) has a safe fix: cheap, from the analysis at hand. */
export function safelyFixableCount(analysis: DocumentAnalysis, ruleId?: string): number {
  return analysis.file?.count((finding) => (!ruleId || finding.ruleId === ruleId) && finding.fixes.some((fix) => fix.safe)) ?? 0;
}

/** `document` is the version the analysis was made of. */
export function fixDocument(document: TextDocument, analysis: DocumentAnalysis, ruleId?: string): DocumentFixes {
  if (!analysis.file || safelyFixableCount(analysis, ruleId) === 0) return { edits: [], fixed: 0 };
  const rule = ruleId ? findRule(ruleId) : undefined;
  if (ruleId && !rule) return { edits: [], fixed: 0 };
  const text = document.getText();
  const { text: fixedText, fixed } = fixAll({
    text,
    fileName: fileNameOf(document.uri),
    fileType: analysis.fileType,
    settings: analysis.settings.engine,
    rules: rule ? [rule] : undefined,
    buildContext: analysis.buildContext,
  });
  return { edits: minimalEdits(text, fixedText).map((edit) => toLspEdit(edit, document)), fixed };
}
