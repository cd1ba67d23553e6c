import assert from 'node:assert/strict';
import { LineIndex } from '../../core/line-index';

/** The index as it was before it became lazy and sparse: every line start, found up front. */
function eagerStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Texts with lines of every length, `\r\n` endings, blank lines, and with and without a final newline. */
function sampleTexts(): string[] {
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\r\nb\r\n', '\r\n\r'];
  for (let t = 0; t < 20; t++) {
    const lines = Array.from({ length: random(200) }, () => 'x'.repeat(random(12)) + (random(4) === 0 ? '\r' : ''));
    texts.push(lines.join('\n') + (random(2) ? '\n' : ''));
  }
  return texts;
}

describe('LineIndex', () => {
  it('answers as an index of every line start would, whatever order the questions come in', () => {
    for (const text of sampleTexts()) {
      const starts = eagerStarts(text);
      const lineAt = (offset: number) => starts.filter((start) => start <= offset).length - 1;
      // A fresh index per order: the answers must not depend on how far it has looked already.
      const offsets = Array.from({ length: text.length + 3 }, (_, i) => i - 1);
      for (const order of [offsets, [...offsets].reverse()]) {
        const lines = new LineIndex(text);
        for (const offset of order) {
          const clamped = Math.max(0, Math.min(offset, text.length));
          assert.deepEqual(lines.positionAt(offset), { line: lineAt(clamped), character: clamped - starts[lineAt(clamped)] }, `offset ${offset} of ${JSON.stringify(text.slice(0, 40))}`);
        }
      }
      const lineNumbers = Array.from({ length: starts.length + 3 }, (_, i) => i - 1);
      for (const order of [lineNumbers, [...lineNumbers].reverse()]) {
        const lines = new LineIndex(text);
        for (const line of order) {
          const start = starts[Math.max(0, Math.min(line, starts.length - 1))];
          assert.equal(lines.lineStart(line), start, `start of line ${line}`);
          let end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
          if (end > 0 && text[end - 1] === '\r') end--;
          assert.equal(lines.lineEnd(line), end, `end of line ${line}`);
          if (line >= 0) assert.equal(lines.lineText(line), text.slice(start, end));
          for (const character of [0, 3]) {
            const expected = line >= starts.length ? text.length : Math.min(starts[Math.max(0, line)] + character, text.length);
            assert.equal(lines.offsetAt({ line, character }), expected, `offset of ${line}:${character}`);
          }
        }
      }
      assert.equal(new LineIndex(text).lineCount, starts.length);
    }
  });

  it('finds a position past tens of thousands of lines without reading them in order', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n');
    const lines = new LineIndex(text);
    const offset = text.indexOf('line 43210');
    assert.deepEqual(lines.positionAt(offset + 2), { line: 43210, character: 2 });
    assert.deepEqual(lines.positionAt(text.indexOf('line 17')), { line: 17, character: 0 });
    assert.equal(lines.lineText(49_999), 'line 49999');
    assert.equal(lines.lineCount, 50_000);
  });
});
