/**
 * Builds minimal text edits against a document chunk: replace a value, remove a key, insert
 * keys after a key. Edits keep the file's own indentation and never re-serialise a document.
 * A helper returns undefined when it cannot make a safe edit (flow style, a key that shares its
 * line with a sequence dash), and the rule then offers no fix rather than a wrong one.
 */
import { isMap, isPair, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextEdit } from './types';

/**
 * The file's line ending, judged by its first line as editors do. Looking at the first line only
 * matters: this runs once per fix, and a scan of a 3 MB file per finding made analysis O(findings × size).
 */
export function lineEndingOf(text: string): '\r\n' | '\n' {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

export class ChunkEditor {
  constructor(
    /** The whole file. */
    readonly text: string,
    /** Offset of the chunk in the file; node ranges are relative to it. */
    readonly chunkStart: number,
  ) {}

  abs(offset: number): number {
    return this.chunkStart + offset;
  }

  replaceNode(node: Node, newText: string): TextEdit | undefined {
    if (!node.range) return undefined;
    return { start: this.abs(node.range[0]), end: this.abs(node.range[1]), newText };
  }

  /** Removes a `key: value` entry of a block map, with its whole lines. */
  removePair(map: YAMLMap, pair: Pair): TextEdit | undefined {
    if (map.flow) return undefined;
    const keyStart = (pair.key as Node | null)?.range?.[0];
    const valueEnd = this.valueEnd(pair);
    if (keyStart === undefined || valueEnd === undefined) return undefined;
    const start = this.abs(keyStart);
    const lineStart = this.lineStartOf(start);
    if (this.text.slice(lineStart, start).trim() !== '') {
      // `- key: value` opens a sequence item: removing the line would drop the dash.
      const next = map.items[map.items.indexOf(pair as Pair<unknown, unknown>) + 1];
      const nextStart = (next?.key as Node | null | undefined)?.range?.[0];
      if (nextStart === undefined) return undefined;
      return { start, end: this.abs(nextStart), newText: '' };
    }
    return { start: lineStart, end: this.afterLineOf(this.abs(valueEnd)), newText: '' };
  }

  /**
   * Inserts block-map lines right after an entry, at the entry's key column. `lines` are relative
   * to that column: a line "  path: /ready" becomes indented two spaces deeper than the key.
   */
  insertAfterPair(map: YAMLMap, pair: Pair, lines: string[]): TextEdit | undefined {
    if (map.flow) return undefined;
    const keyStart = (pair.key as Node | null)?.range?.[0];
    const valueEnd = this.valueEnd(pair);
    if (keyStart === undefined || valueEnd === undefined) return undefined;
    const column = this.columnOf(this.abs(keyStart));
    const at = this.afterLineOf(this.abs(valueEnd));
    const eol = lineEndingOf(this.text);
    const prefix = at === this.text.length && !this.text.endsWith('\n') ? eol : '';
    const body = lines.map((line) => ' '.repeat(column) + line).join(eol) + eol;
    return { start: at, end: at, newText: prefix + body };
  }

  /** The indentation step the file uses for a map nested under `parentKey` (defaults to 2). */
  indentUnit(parent: Pair, child: YAMLMap): number {
    const parentStart = (parent.key as Node | null)?.range?.[0];
    const first = child.items[0];
    const childStart = isPair(first) ? (first.key as Node | null)?.range?.[0] : undefined;
    if (parentStart === undefined || childStart === undefined) return 2;
    const step = this.columnOf(this.abs(childStart)) - this.columnOf(this.abs(parentStart));
    return step > 0 && step <= 8 ? step : 2;
  }

  columnOf(offset: number): number {
    return offset - this.lineStartOf(offset);
  }

  private lineStartOf(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** The offset just past the newline that ends the line holding `offset`. */
  private afterLineOf(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    const newline = this.text.indexOf('\n', offset);
    return newline === -1 ? this.text.length : newline + 1;
  }

  /** End of the entry's value, ignoring the trailing comments and blank lines the parser counts in. */
  private valueEnd(pair: Pair): number | undefined {
    const value = pair.value as Node | null;
    if (value?.range) {
      if (isMap(value) || isSeq(value)) {
        let end = value.range[1];
        // Block collections end where the next entry begins; step back over whitespace.
        while (end > value.range[0] && /\s/.test(this.text[this.abs(end - 1)] ?? '')) end--;
        return end;
      }
      return value.range[1];
    }
    return (pair.key as Node | null)?.range?.[1];
  }
}
