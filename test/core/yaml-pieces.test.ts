import assert from 'node:assert/strict';
import fc from 'fast-check';
import { editPieces, piecesOf } from '../../core/yaml-pieces';

/** Lines that decide where documents start and end, and lines that do not. */
const LINES = ['---', '--- # next', '---x', '...', '... # end', '....', 'kind: Pod', 'a: 1', '  b: 2', '- c', '# comment', '%YAML 1.2', '', '  ', 'text: |', '  --- not a marker', '\r'];

const line = fc.constantFrom(...LINES);
const text = fc.array(line, { maxLength: 14 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol) + (lines.length > 0 ? eol : '')));
/** Text written into a file: whole lines, part of a line, or nothing. */
const inserted = fc.oneof(fc.constant(''), line, fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => `${lines.join('\n')}\n`), fc.constantFrom('-', '.', '\n', '---\n', 'kind: Job\n'));

function startsOf(pieces: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const piece of pieces) {
    starts.push(offset);
    offset += piece.length;
  }
  return starts;
}

function applied(pieces: readonly string[], start: number, end: number, newText: string): string[] {
  const edit = editPieces(pieces, startsOf(pieces), start, end, newText);
  return [...pieces.slice(0, edit.first), ...edit.inserted, ...pieces.slice(edit.first + edit.removed)];
}

describe('YAML pieces: a file kept as its documents and edited in place', () => {
  it('gives the pieces of splitting the edited file whole, for any edit of any file (markers made, broken and moved)', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), inserted, (original, a, b, newText) => {
        const start = Math.min(a, b) % (original.length + 1);
        const end = Math.min(original.length, start + (Math.max(a, b) - Math.min(a, b)) % 40);
        const edited = original.slice(0, start) + newText + original.slice(end);
        assert.deepEqual(applied(piecesOf(original), start, end, newText), piecesOf(edited), `${JSON.stringify(original)} [${start}, ${end}) ← ${JSON.stringify(newText)}`);
      }),
      { numRuns: 3000, seed: 20261207 },
    );
  });

  it('keeps the pieces an edit does not touch as the same strings, and replaces only the edited document', () => {
    const pieces = piecesOf('kind: A\n---\nkind: B\nimage: x:latest\n---\nkind: C\n');
    const starts = startsOf(pieces);
    const at = starts[1] + pieces[1].indexOf('latest');
    const edit = editPieces(pieces, starts, at, at + 'latest'.length, '1.0');
    assert.deepEqual(edit, { first: 1, removed: 1, inserted: ['---\nkind: B\nimage: x:1.0\n'] });
  });

  it('joins two documents when the marker between them is deleted, and splits one when a marker is typed', () => {
    const pieces = piecesOf('a: 1\n---\nb: 2\n');
    const starts = startsOf(pieces);
    assert.deepEqual(applied(pieces, starts[1], starts[1] + 4, ''), ['a: 1\nb: 2\n']);
    assert.deepEqual(applied(['a: 1\nb: 2\n'], 5, 5, '---\n'), ['a: 1\n', '---\nb: 2\n']);
  });
});
