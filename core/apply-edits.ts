/**
 * Applies text edits, and the "fix all" loop shared by `podstart check --fix`, the editor's
 * "Fix all" action and `source.fixAll.podstart` on save.
 */
import { analyzeText, type AnalyzeInput } from './analyze';
import type { Fix, TextEdit } from './types';

/** Applies non-overlapping edits; an edit overlapping an earlier-chosen one is skipped. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let result = '';
  let cursor = 0;
  for (const edit of sorted) {
    if (edit.start < cursor) continue;
    result += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/** Picks the safe fixes of a pass whose edits do not overlap one another. */
export function safeFixes(findings: ReturnType<typeof analyzeText>['findings']): Fix[] {
  const chosen: Fix[] = [];
  const edits: TextEdit[] = [];
  const overlaps = (edit: TextEdit) => edits.some((other) => edit.start < other.end && other.start < edit.end || (edit.start === other.start && edit.end === other.end));
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.safe);
    if (!fix || fix.edits.some(overlaps)) continue;
    chosen.push(fix);
    edits.push(...fix.edits);
  }
  return chosen;
}

/**
 * Applies every safe fix, re-analysing between passes because one fix can move the text
 * another fix points at. Stops when a pass changes nothing (at most 10 passes).
 */
export function fixAll(input: AnalyzeInput): { text: string; fixed: number } {
  let text = input.text;
  let fixed = 0;
  for (let pass = 0; pass < 10; pass++) {
    const fixes = safeFixes(analyzeText({ ...input, text, cache: undefined }).findings);
    if (fixes.length === 0) break;
    const next = applyEdits(text, fixes.flatMap((fix) => fix.edits));
    if (next === text) break;
    // Fixes, not edits: one fix can take several edits (a value changed and a key inserted).
    fixed += fixes.length;
    text = next;
  }
  return { text, fixed };
}
