/**
 * A YAML file kept as its documents' texts (splitYamlDocuments' pieces) and edited in place: an edit
 * rebuilds the pieces it touches, and every other piece stays the same string. The language server
 * keeps open files this way so that a keystroke in a 75,000-line install bundle costs what the
 * edited document costs, not a copy of the whole file (a 3 MB string copy alone costs ~10 ms on the
 * benchmark machine), and so that unchanged documents are recognised by identity, not by comparing
 * megabytes of text.
 *
 * Invariant: `pieces` is exactly splitYamlDocuments(pieces.join('')).map((chunk) => chunk.text).
 * A boundary between two pieces is there because the second starts with `---` or the first ends
 * with `...`, and the first stands alone (it has content); an edit is re-split with as many
 * neighbouring pieces as it takes for the boundaries at both ends of what was re-split to hold.
 * test/core/yaml-pieces.test.ts checks the invariant against splitYamlDocuments on random edits.
 */
import { endsWithDocumentEndMarker, splitYamlDocuments, standsAlone, startsWithDocumentMarker } from './yaml-documents';

/** The pieces of a text. */
export function piecesOf(text: string): string[] {
  return splitYamlDocuments(text).map((chunk) => chunk.text);
}

/** Whether splitYamlDocuments cuts between `before` and `after` when they follow each other: at a line start, after a document that stands alone, at a marker. */
function boundaryHolds(before: string, after: string): boolean {
  return before.endsWith('\n') && standsAlone(before) && (startsWithDocumentMarker(after) || endsWithDocumentEndMarker(before));
}

export interface PiecesEdit {
  /** Index of the first piece replaced. */
  first: number;
  /** How many pieces were replaced from `first`. */
  removed: number;
  /** The pieces that replace them. */
  inserted: string[];
}

/**
 * The pieces that replace those an edit touches: the text from `start` to `end` (offsets in the
 * file, with `starts[i]` the offset of `pieces[i]`) replaced by `newText`.
 */
export function editPieces(pieces: readonly string[], starts: readonly number[], start: number, end: number, newText: string): PiecesEdit {
  if (pieces.length === 0) return { first: 0, removed: 0, inserted: piecesOf(newText) };
  // The last piece that starts at or before the offset (the file's end belongs to the last piece).
  const pieceAt = (offset: number) => lastAtOrBefore(starts, offset);
  let low = pieceAt(start);
  // The piece holding the edit's last character (an insertion: the piece it is inserted into).
  let high = end > start ? pieceAt(end - 1) : low;
  let region = pieces[low].slice(0, start - starts[low]) + newText + pieces[high].slice(end - starts[high]);
  for (;;) {
    const inserted = piecesOf(region);
    const last = inserted.length > 0 ? inserted[inserted.length - 1] : undefined;
    const leftHolds = low === 0 || inserted.length === 0 || boundaryHolds(pieces[low - 1], inserted[0]);
    if (!leftHolds) {
      low--;
      region = pieces[low] + region;
      continue;
    }
    if (high < pieces.length - 1) {
      // With nothing left between them, the pieces either side must still be cut apart.
      const before = last ?? (low > 0 ? pieces[low - 1] : undefined);
      if (before !== undefined && !boundaryHolds(before, pieces[high + 1])) {
        high++;
        region += pieces[high];
        continue;
      }
    }
    return { first: low, removed: high - low + 1, inserted };
  }
}

/** The index of the last value at or before `value` in ascending `sorted` (0 when none is; -1 when it is empty). */
export function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  if (high < 0) return -1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}
