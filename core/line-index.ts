import type { Position } from './types';

/** One line start in this many is kept; the lines between are found again by counting from it. */
const STRIDE_BITS = 5;
const STRIDE = 1 << STRIDE_BITS;

/**
 * Converts between file offsets and zero-based line/character positions in O(log lines).
 *
 * Built for install bundles of tens of thousands of lines analysed on every keystroke (issue 8):
 * - lines are indexed lazily, only as far into the text as a question needs (most files have no
 *   finding, and a bundle's workloads come after its CRDs);
 * - only every STRIDE-th line start is kept, and a position between two is found by counting at
 *   most STRIDE newlines: storing every line start made an array of 75,000 numbers for kserve.yaml,
 *   and filling it cost six times the newline search itself.
 */
export class LineIndex {
  /** checkpoints[k] is the start of line k * STRIDE. */
  private readonly checkpoints: number[] = [0];
  /** How many lines have a known start (the lines before every newline found, and the one after). */
  private linesFound = 1;
  /** Every newline before this offset has been found. */
  private scanned = 0;
  /** Whether every newline of the text has been found. */
  private complete = false;

  constructor(private readonly text: string) {}

  /** Finds newlines until every one before `offset` is found and at least `lineCount` lines are known (or the text ends). */
  private extend(offset: number, lineCount: number): void {
    const { text, checkpoints } = this;
    while (!this.complete && (this.scanned < offset || this.linesFound < lineCount)) {
      const newline = text.indexOf('\n', this.scanned);
      if (newline === -1) {
        this.complete = true;
        this.scanned = text.length;
      } else if (newline >= offset && this.linesFound >= lineCount) {
        this.scanned = newline;
      } else {
        if ((this.linesFound & (STRIDE - 1)) === 0) checkpoints.push(newline + 1);
        this.linesFound++;
        this.scanned = newline + 1;
      }
    }
  }

  /** The start of a line whose start is known, counted from the checkpoint before it. */
  private startOf(line: number): number {
    let start = this.checkpoints[line >> STRIDE_BITS];
    for (let rest = line & (STRIDE - 1); rest > 0; rest--) start = this.text.indexOf('\n', start) + 1;
    return start;
  }

  get lineCount(): number {
    this.extend(Infinity, Infinity);
    return this.linesFound;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.extend(clamped, 0);
    // The last checkpoint at or before the offset, then the lines after it that start at or before it too.
    const { checkpoints, text } = this;
    let low = 0;
    let high = checkpoints.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (checkpoints[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    let line = low << STRIDE_BITS;
    let start = checkpoints[low];
    for (let newline = text.indexOf('\n', start); newline !== -1 && newline < clamped; newline = text.indexOf('\n', start)) {
      line++;
      start = newline + 1;
    }
    return { line, character: clamped - start };
  }

  offsetAt(position: Position): number {
    this.extend(0, position.line + 1);
    if (position.line >= this.linesFound) return this.text.length;
    return Math.min(this.startOf(Math.max(0, position.line)) + position.character, this.text.length);
  }

  lineStart(line: number): number {
    this.extend(0, line + 1);
    return this.startOf(Math.max(0, Math.min(line, this.linesFound - 1)));
  }

  /** Offset of the line's end, before its newline. */
  lineEnd(line: number): number {
    this.extend(0, line + 2);
    const next = line + 1 < this.linesFound ? this.lineStart(line + 1) - 1 : this.text.length;
    return next > 0 && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}
