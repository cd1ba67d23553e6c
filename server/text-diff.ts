/**
 * Turns "the text before" and "the text after fix-all" back into small edits. The core's fixAll
 * returns the fixed text (it re-analyses between passes, so its edits are not against one text);
 * sending that as one whole-document replacement would reset the editor's folding, markers and
 * cursor, so each changed stretch becomes its own edit instead.
 */
import type { TextEdit } from '../core/types';

/** How far (in lines, both sides together) to look for the point where the texts agree again. */
const RESYNC_WINDOW = 400;

function linesWithEnds(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/**
 * Line-level diff that resynchronises within a window: fixes change a few lines in place, insert
 * a few, or remove a few. Each changed stretch is then trimmed to the characters that differ. The
 * result is always correct (untouched lines are equal by construction); the window only bounds how
 * small it is.
 */
export function minimalEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const a = linesWithEnds(before);
  const b = linesWithEnds(after);
  const edits: TextEdit[] = [];
  let i = 0;
  let j = 0;
  let offset = 0;
  const anchored = (x: number, y: number) => {
    if (x === a.length || y === b.length) return x === a.length && y === b.length;
    // Two agreeing lines, so a blank line or a lone `---` does not resynchronise by accident.
    return a[x] === b[y] && (x + 1 === a.length || y + 1 === b.length || a[x + 1] === b[y + 1]);
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      offset += a[i].length;
      i++;
      j++;
      continue;
    }
    let skipA = a.length - i;
    let skipB = b.length - j;
    search: for (let distance = 1; distance <= RESYNC_WINDOW; distance++) {
      for (let di = 0; di <= distance; di++) {
        const dj = distance - di;
        if (i + di > a.length || j + dj > b.length) continue;
        if (anchored(i + di, j + dj)) {
          skipA = di;
          skipB = dj;
          break search;
        }
      }
    }
    const removed = a.slice(i, i + skipA).join('');
    const inserted = b.slice(j, j + skipB).join('');
    edits.push(trimmedEdit(offset, removed, inserted));
    offset += removed.length;
    i += skipA;
    j += skipB;
  }
  return edits;
}

/** The replacement of `removed` (at `start`) by `inserted`, without their common prefix and suffix. */
function trimmedEdit(start: number, removed: string, inserted: string): TextEdit {
  let prefix = 0;
  const shorter = Math.min(removed.length, inserted.length);
  while (prefix < shorter && removed[prefix] === inserted[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && removed[removed.length - 1 - suffix] === inserted[inserted.length - 1 - suffix]) suffix++;
  return { start: start + prefix, end: start + removed.length - suffix, newText: inserted.slice(prefix, inserted.length - suffix) };
}
