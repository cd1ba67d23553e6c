/**
 * Code actions, per finding under the cursor (as vscode-eslint offers them): the finding's fixes
 * (the first safe one preferred), "Fix all <id> problems in file", disabling the rule for the
 * line or for the object, the rule's documentation, and "Fix all auto-fixable Podstart problems".
 * A `source.fixAll.podstart` action serves fix-on-save. Edits are versioned WorkspaceEdits, so an
 * action computed for an older version is rejected by the editor instead of corrupting the text.
 *
 * The fix-all actions re-analyse the whole file (several passes), so when the client can resolve
 * code actions their edits are computed only when one is chosen.
 */
import {
  CodeAction,
  CodeActionKind,
  Command,
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  type Diagnostic,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedFinding } from '../core/analyze';
import type { FileCreation } from '../core/types';
import { findRule } from '../rules';
import { findingDiagnostic, ruleDocUri, toLspEdit } from './diagnostics';
import type { DocumentAnalysis } from './document-analysis';
import { fixDocument, safelyFixableCount } from './fix-all';
import { SHOW_RULE_DOC_COMMAND, SOURCE_FIX_ALL_KIND } from './protocol';

export interface ClientEditSupport {
  /** `workspace.workspaceEdit.documentChanges`: versioned edits. */
  documentChanges: boolean;
  /** `textDocument.codeAction.resolveSupport` covers `edit`. */
  resolveEdits: boolean;
  /** `workspace.workspaceEdit.resourceOperations` includes `create`: a fix may create a file (a .dockerignore). */
  createFiles: boolean;
}

/** `CodeAction.data` of a fix-all action whose edit is computed on resolve. */
export interface FixAllActionData {
  uri: string;
  version: number;
  /** Undefined: every rule. */
  ruleId?: string;
}

export function workspaceEditOf(document: TextDocument, edits: LspTextEdit[], support: ClientEditSupport): WorkspaceEdit {
  if (support.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri: document.uri, version: document.version }, edits)] };
  return { changes: { [document.uri]: edits } };
}

/**
 * An edit that creates files beside the document (each failing, rather than overwriting, if it
 * exists by then) and fills them, along with the fix's edits to the document itself.
 */
export function workspaceEditCreating(document: TextDocument, edits: LspTextEdit[], files: FileCreation[]): WorkspaceEdit {
  const created = files.flatMap((file) => {
    const uri = new URL(file.relativePath, document.uri).href;
    return [CreateFile.create(uri), TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, file.text)])];
  });
  const own = edits.length > 0 ? [TextDocumentEdit.create({ uri: document.uri, version: document.version }, edits)] : [];
  return { documentChanges: [...created, ...own] };
}

/** Whether the request's `only` filter admits a kind (a requested kind admits its sub-kinds). */
function admits(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind.startsWith(CodeActionKind.QuickFix);
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`) || requested === CodeActionKind.Empty);
}

function fixAllTitle(ruleId?: string): string {
  return ruleId ? `Fix all ${ruleId} problems in file` : 'Fix all auto-fixable Podstart problems';
}

function fixAllAction(document: TextDocument, analysis: DocumentAnalysis, kind: string, support: ClientEditSupport, ruleId?: string): CodeAction | undefined {
  const action = CodeAction.create(fixAllTitle(ruleId), kind);
  if (support.resolveEdits) {
    action.data = { uri: document.uri, version: document.version, ruleId } satisfies FixAllActionData;
    return action;
  }
  const { edits } = fixDocument(document, analysis, ruleId);
  if (edits.length === 0) return undefined;
  action.edit = workspaceEditOf(document, edits, support);
  return action;
}

/** Fills in a fix-all action's edit; an action made for another version of the document gets none. */
export function resolveFixAllAction(action: CodeAction, document: TextDocument | undefined, analysis: DocumentAnalysis | undefined, support: ClientEditSupport): CodeAction {
  const data = action.data as FixAllActionData | undefined;
  if (!data || !document || !analysis || data.version !== document.version || analysis.version !== document.version) return action;
  const { edits } = fixDocument(document, analysis, data.ruleId);
  if (edits.length > 0) action.edit = workspaceEditOf(document, edits, support);
  return action;
}

function overlaps(finding: AnalyzedFinding, start: number, end: number): boolean {
  return finding.start <= end && start <= finding.end;
}

export function codeActionsFor(
  document: TextDocument,
  analysis: DocumentAnalysis,
  range: Range,
  only: string[] | undefined,
  support: ClientEditSupport,
): CodeAction[] {
  const file = analysis.file;
  if (!file || analysis.version !== document.version) return [];
  const actions: CodeAction[] = [];

  if (admits(only, SOURCE_FIX_ALL_KIND) && safelyFixableCount(analysis) > 0) {
    // Asked for explicitly (fix-on-save, "Source Action..."): computed now rather than on resolve.
    const action = fixAllAction(document, analysis, SOURCE_FIX_ALL_KIND, { ...support, resolveEdits: false });
    if (action) actions.push(action);
  }
  if (!admits(only, CodeActionKind.QuickFix)) return actions;

  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  const findings = file.findingsOnLines(range.start.line, range.end.line).filter((finding) => overlaps(finding, start, end));
  const offered = new Set<string>();
  const once = (key: string) => !offered.has(key) && !!offered.add(key);
  const edit = (edits: LspTextEdit[]) => workspaceEditOf(document, edits, support);

  for (const finding of findings) {
    const diagnostic: Diagnostic = findingDiagnostic(finding);
    const ruleId = finding.ruleId;
    const quickFix = (title: string, edits: LspTextEdit[], preferred = false) => {
      const action = CodeAction.create(title, edit(edits), CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (preferred) action.isPreferred = true;
      actions.push(action);
    };

    const preferred = finding.fixes.find((fix) => fix.safe);
    for (const fix of finding.fixes) {
      const edits = fix.edits.map((textEdit) => toLspEdit(textEdit, document));
      if (!fix.createFiles?.length) {
        quickFix(fix.title, edits, fix === preferred);
        continue;
      }
      // Creating a file takes versioned document changes with resource operations; without them, no such fix.
      if (!support.documentChanges || !support.createFiles) continue;
      const action = CodeAction.create(fix.title, workspaceEditCreating(document, edits, fix.createFiles), CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    if (findRule(ruleId) && safelyFixableCount(analysis, ruleId) > 1 && once(`fix-all:${ruleId}`)) {
      const action = fixAllAction(document, analysis, CodeActionKind.QuickFix, support, ruleId);
      if (action) actions.push(action);
    }
    if (finding.disable && once(`line:${ruleId}:${finding.range.start.line}`)) {
      quickFix(`Disable ${ruleId} for this line`, [toLspEdit(finding.disable.line, document)]);
    }
    const objectEdit = finding.disable?.object;
    if (objectEdit && once(`object:${ruleId}:${objectEdit.start}`)) {
      quickFix(`Disable ${ruleId} for this object`, [toLspEdit(objectEdit, document)]);
    }
    if (ruleDocUri(ruleId) && once(`doc:${ruleId}`)) {
      const title = `Show documentation for ${ruleId}`;
      const action = CodeAction.create(title, Command.create(title, SHOW_RULE_DOC_COMMAND, ruleId), CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
  }

  if (findings.length > 0 && safelyFixableCount(analysis) > 0) {
    const action = fixAllAction(document, analysis, CodeActionKind.QuickFix, support);
    if (action) actions.push(action);
  }
  return actions;
}
