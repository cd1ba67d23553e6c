/**
 * Three ways to silence a rule, all visible in the file so that the CLI and the editor agree:
 *   # podstart-disable-next-line <id>[, <id>]   the next line only (in a Dockerfile: the next instruction)
 *   # podstart-disable [<id>[, <id>]]           the whole file (all rules without ids)
 *   metadata.annotations["podstart.dev/ignore"]: "<id>,<id>"   one object ("*" for every rule; manifests only)
 * and the edits that write them.
 */
import type { Document, YAMLMap } from 'yaml';
import { lineEndingOf, type ChunkEditor } from './edits';
import type { LineIndex } from './line-index';
import type { TextEdit } from './types';
import { getMap, getPair, getString } from './yaml-nodes';
import type { Workload } from './workload';

export const IGNORE_ANNOTATION = 'podstart.dev/ignore';
/** In YAML a comment may follow a value on its line. */
const DIRECTIVE = /(?:^|\s)#\s*podstart-(disable-next-line|disable)\b([^\n#]*)/;
/**
 * In a Dockerfile only a line that starts with `#` is a comment (`RUN echo # x` passes `#` to the
 * shell). Parser directives (`# syntax=...`, `# escape=...`) are comments too, of another form,
 * and never match.
 */
const LINE_COMMENT_DIRECTIVE = /^[ \t]*#\s*podstart-(disable-next-line|disable)\b([^\n#]*)/;

export interface ScanOptions {
  /** Only whole-line comments count (Dockerfiles). */
  lineCommentsOnly?: boolean;
}

export interface FileSuppressions {
  /** Rule ids disabled for the whole file; '*' means all. */
  file: Set<string>;
  /** Line number → rule ids disabled on it; '*' means all. */
  lines: Map<number, Set<string>>;
}

function parseIds(text: string): Set<string> {
  const ids = text.split(/[\s,]+/).map((id) => id.trim()).filter(Boolean);
  return new Set(ids.length ? ids : ['*']);
}

/** `#`, spaces, `podstart-disable`: what both directive forms start with. */
const DIRECTIVE_START = /#\s*podstart-disable/y;

/**
 * Whether the text may hold a directive, found by looking after each `#` only: a native search
 * for one character is several times faster than one for `podstart-disable` through the whole
 * text, and install bundles are megabytes with few comments.
 */
function mayHoldDirective(text: string): boolean {
  for (let at = text.indexOf('#'); at !== -1; at = text.indexOf('#', at + 1)) {
    DIRECTIVE_START.lastIndex = at;
    if (DIRECTIVE_START.test(text)) return true;
  }
  return false;
}

export function scanSuppressions(text: string, options: ScanOptions = {}): FileSuppressions {
  const result: FileSuppressions = { file: new Set(), lines: new Map() };
  if (!mayHoldDirective(text)) return result;
  const directive = options.lineCommentsOnly ? LINE_COMMENT_DIRECTIVE : DIRECTIVE;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = directive.exec(line);
    if (!match) return;
    const ids = parseIds(match[2]);
    if (match[1] === 'disable') {
      ids.forEach((id) => result.file.add(id));
    } else {
      const target = result.lines.get(index + 1) ?? new Set<string>();
      ids.forEach((id) => target.add(id));
      result.lines.set(index + 1, target);
    }
  });
  return result;
}

export function isSuppressed(ids: Set<string> | undefined, ruleId: string): boolean {
  return !!ids && (ids.has('*') || ids.has(ruleId));
}

/** Rule ids the object's annotation (or its pod template's) silences. */
export function annotationSuppressions(workload: Workload): Set<string> {
  const ids = new Set<string>();
  for (const metadata of [workload.metadata, workload.podTemplateMetadata]) {
    const value = annotationValue(workload.doc, metadata);
    if (value !== undefined) parseIds(value).forEach((id) => ids.add(id === 'all' ? '*' : id));
  }
  return ids;
}

function annotationValue(doc: Document, metadata: YAMLMap | undefined): string | undefined {
  return getString(doc, getMap(doc, metadata, 'annotations'), IGNORE_ANNOTATION);
}

/** `# podstart-disable-next-line <id>` above the finding's line, at that line's indentation; merges into an existing directive. */
export function disableForLineEdit(text: string, lines: LineIndex, line: number, ruleId: string): TextEdit {
  const lineText = lines.lineText(line);
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (line > 0) {
    const previous = lines.lineText(line - 1);
    const match = /#\s*podstart-disable-next-line\b(.*)$/.exec(previous);
    if (match) {
      const ids = match[1].split(/[\s,]+/).filter(Boolean);
      if (!ids.includes(ruleId)) ids.push(ruleId);
      const start = lines.lineStart(line - 1) + previous.indexOf(match[0]);
      return { start, end: lines.lineEnd(line - 1), newText: `# podstart-disable-next-line ${ids.join(', ')}` };
    }
  }
  const eol = lineEndingOf(text);
  const start = lines.lineStart(line);
  return { start, end: start, newText: `${indent}# podstart-disable-next-line ${ruleId}${eol}` };
}

/** Adds the rule to the object's `podstart.dev/ignore` annotation, creating `annotations` if needed. */
export function disableForObjectEdit(workload: Workload, edit: ChunkEditor, ruleId: string): TextEdit | undefined {
  const { doc, metadata } = workload;
  const metadataPair = getPair(workload.root, 'metadata');
  if (!metadata || metadata.flow || !metadataPair) return undefined;
  const quoted = (ids: string[]) => JSON.stringify(ids.join(','));
  const annotations = getMap(doc, metadata, 'annotations');
  if (annotations) {
    const existing = getPair(annotations, IGNORE_ANNOTATION);
    if (existing?.value) {
      const ids = (annotationValue(doc, metadata) ?? '').split(',').map((id) => id.trim()).filter(Boolean);
      if (!ids.includes(ruleId)) ids.push(ruleId);
      return edit.replaceNode(existing.value, quoted(ids));
    }
    const last = annotations.items[annotations.items.length - 1];
    return last ? edit.insertAfterPair(annotations, last, [`${IGNORE_ANNOTATION}: ${quoted([ruleId])}`]) : undefined;
  }
  // `annotations:` with an empty or non-map value: leave it to the user.
  if (getPair(metadata, 'annotations')) return undefined;
  const last = metadata.items[metadata.items.length - 1];
  if (!last) return undefined;
  const unit = ' '.repeat(edit.indentUnit(metadataPair, metadata));
  return edit.insertAfterPair(metadata, last, ['annotations:', `${unit}${IGNORE_ANNOTATION}: ${quoted([ruleId])}`]);
}
