/**
 * YAML written inside a YAML string: kind's `kubeadmConfigPatches` hold whole kubeadm and kubelet
 * documents as literal block scalars (`- |`). Podstart parses the string on its own and maps every
 * offset back into the file, so a finding underlines the very field inside the patch and a fix
 * edits it in place with the block's indentation.
 *
 * Only literal blocks (`|`, `|-`, `|+`) map exactly: each line of the value is a line of the file
 * minus the block's indentation. Other scalar styles (quoted, folded) change the text on the way
 * in; for them every offset maps to the whole scalar and no edit is offered.
 */
import { Scalar, type Document } from 'yaml';
import { lineEndingOf } from '../edits';
import type { TextEdit } from '../types';
import { parseDocumentCapped } from '../yaml-documents';

export interface EmbeddedYaml {
  /** The string's value: the embedded document's text. */
  text: string;
  doc: Document.Parsed;
  /** A file offset for an offset in `text`. */
  toFile(offset: number): number;
  /** The same edit against the file, re-indented for the block; undefined when the block cannot be edited exactly. */
  toFileEdit(edit: TextEdit): TextEdit | undefined;
}

/** Embedded documents larger than this are not parsed: a patch is a few lines, not a bundle. */
const MAX_EMBEDDED_LENGTH = 256 * 1024;

/**
 * Parses the YAML inside a string scalar of the file. `chunkStart` is the offset of the scalar's
 * document in `fileText` (node ranges are relative to it). Undefined for a non-string or an
 * oversized scalar; the embedded document's own errors are in `doc.errors`.
 */
export function parseEmbeddedYaml(fileText: string, chunkStart: number, scalar: Scalar): EmbeddedYaml | undefined {
  if (typeof scalar.value !== 'string' || !scalar.range || scalar.value.length > MAX_EMBEDDED_LENGTH) return undefined;
  const text = scalar.value;
  const { doc } = parseDocumentCapped(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  const whole = { start: chunkStart + scalar.range[0], end: chunkStart + scalar.range[1] };
  const lines = scalar.type === Scalar.BLOCK_LITERAL ? mapLiteralBlockLines(fileText, whole.start, whole.end, text) : undefined;
  if (!lines) {
    return { text, doc, toFile: () => whole.start, toFileEdit: () => undefined };
  }
  const eol = lineEndingOf(fileText);
  const indent = ' '.repeat(lines.indent);
  const toFile = (offset: number): number => {
    const line = lineOf(lines.textLineStarts, offset);
    const column = offset - lines.textLineStarts[line];
    if (line >= lines.fileContentStarts.length) return lines.afterLastLine;
    return lines.fileContentStarts[line] + column;
  };
  const toFileEdit = (edit: TextEdit): TextEdit | undefined => {
    const atLineStart = edit.start === 0 || text[edit.start - 1] === '\n';
    if (atLineStart && edit.end === edit.start) {
      // An inserted line goes before the line's indentation, and each of its lines gets the block's indentation.
      const line = lineOf(lines.textLineStarts, edit.start);
      const at = line >= lines.fileLineStarts.length ? lines.afterLastLine : lines.fileLineStarts[line];
      const newText = edit.newText.replace(/[^\n]*\n|[^\n]+$/g, (segment) => (segment === '\n' ? eol : indent + segment.replace(/\n$/, eol)));
      return { start: at, end: at, newText };
    }
    // Within the text: what follows an inserted line break continues the block, so it is indented too.
    return { start: toFile(edit.start), end: toFile(edit.end), newText: edit.newText.replace(/\n/g, eol + indent) };
  };
  return { text, doc, toFile, toFileEdit };
}

interface LiteralBlockLines {
  indent: number;
  /** Offset in the value where each of its lines starts. */
  textLineStarts: number[];
  /** File offset where each line of the value begins in the file: its line start plus the indentation. */
  fileContentStarts: number[];
  /** File offset of the start of each of those lines. */
  fileLineStarts: number[];
  /** File offset just after the block's last content line. */
  afterLastLine: number;
}

/**
 * Pairs each line of a literal block's value with its line in the file. Returns undefined when the
 * two disagree (an indentation indicator, tabs, a parser difference): a wrong mapping would put
 * edits in the wrong place, no mapping only costs the fix.
 */
function mapLiteralBlockLines(fileText: string, start: number, end: number, value: string): LiteralBlockLines | undefined {
  const headerEnd = fileText.indexOf('\n', start);
  if (headerEnd === -1 || headerEnd >= end) return undefined;
  if (/\d/.test(fileText.slice(start, headerEnd).replace(/#.*$/, ''))) return undefined;
  const fileLines: Array<{ start: number; text: string }> = [];
  for (let lineStart = headerEnd + 1; lineStart < end; ) {
    const newline = fileText.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    fileLines.push({ start: lineStart, text: fileText.slice(lineStart, lineEnd).replace(/\r$/, '') });
    lineStart = lineEnd + 1;
  }
  const firstContent = fileLines.find((line) => line.text.trim() !== '');
  if (!firstContent) return undefined;
  const indent = firstContent.text.length - firstContent.text.trimStart().length;
  if (firstContent.text.slice(0, indent).includes('\t')) return undefined;

  const valueLines = value.split('\n');
  if (valueLines[valueLines.length - 1] === '') valueLines.pop();
  if (valueLines.length > fileLines.length) return undefined;
  const textLineStarts: number[] = [];
  const fileContentStarts: number[] = [];
  const fileLineStarts: number[] = [];
  let offset = 0;
  for (let index = 0; index < valueLines.length; index++) {
    const fileLine = fileLines[index];
    const expected = fileLine.text.length <= indent ? '' : fileLine.text.slice(indent);
    if (expected !== valueLines[index]) return undefined;
    textLineStarts.push(offset);
    fileContentStarts.push(fileLine.start + Math.min(indent, fileLine.text.length));
    fileLineStarts.push(fileLine.start);
    offset += valueLines[index].length + 1;
  }
  textLineStarts.push(offset);
  const last = fileLines[valueLines.length - 1];
  const lastEnd = last.start + last.text.length;
  const afterLastLine = fileText.indexOf('\n', lastEnd) === -1 ? fileText.length : fileText.indexOf('\n', lastEnd) + 1;
  return { indent, textLineStarts, fileContentStarts, fileLineStarts, afterLastLine };
}

/** Index of the line holding `offset` (the last line start at or before it). */
function lineOf(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
