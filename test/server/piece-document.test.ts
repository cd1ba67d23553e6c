import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { piecesOf } from '../../core/yaml-pieces';
import { PieceTextDocument } from '../../server/piece-document';

const LINES = ['---', '...', 'kind: Pod', 'a: 1', '  b: 2', '# c', '', 'x\ry', '---\r'];
const EOLS = ['\n', '\r\n', '\r'];
const text = fc.array(fc.tuple(fc.constantFrom(...LINES), fc.constantFrom(...EOLS)), { maxLength: 10 }).map((lines) => lines.map(([line, eol]) => line + eol).join(''));
const newText = fc.oneof(fc.constant(''), fc.constantFrom('---\n', '\n', '\r', '\r\n', 'kind: Job\n', '...\n', 'z'), text);

/** Every position the library and Podstart's document must agree on: each offset, and each line with characters past its end. */
function assertSameDocument(ours: PieceTextDocument, theirs: TextDocument, what: string): void {
  assert.equal(ours.getText(), theirs.getText(), what);
  assert.equal(ours.lineCount, theirs.lineCount, `${what}: line count`);
  const length = theirs.getText().length;
  for (let offset = -1; offset <= length + 1; offset++) assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `${what}: positionAt(${offset})`);
  for (let line = -1; line <= theirs.lineCount; line++) {
    for (const character of [0, 1, 2, 5, 100]) assert.equal(ours.offsetAt({ line, character }), theirs.offsetAt({ line, character }), `${what}: offsetAt(${line}:${character})`);
  }
  for (let line = -1; line <= theirs.lineCount + 1; line++) {
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `${what}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `${what}: getEOLCharacters(${line})`);
  }
  assert.deepEqual(ours.pieces().map((piece) => piece.text), piecesOf(theirs.getText()), `${what}: pieces`);
  let start = 0;
  for (const piece of ours.pieces()) {
    assert.equal(piece.start, start, `${what}: piece start`);
    start += piece.text.length;
  }
}

describe('the server\'s open documents, kept as YAML pieces', () => {
  it('answers text, positions, offsets and line counts as vscode-languageserver-textdocument does, through any edits (LF, CRLF, lone CR)', () => {
    fc.assert(
      fc.property(text, fc.array(fc.tuple(fc.nat(), fc.nat(), newText), { minLength: 1, maxLength: 4 }), (original, edits) => {
        const ours = PieceTextDocument.create('file:///a.yaml', 'yaml', 1, original);
        const theirs = TextDocument.create('file:///a.yaml', 'yaml', 1, original);
        assertSameDocument(ours, theirs, JSON.stringify(original));
        edits.forEach(([a, b, inserted], index) => {
          // A range given by positions, possibly backwards or past the ends, as a client may send.
          const range = { start: theirs.positionAt(a % (theirs.getText().length + 2)), end: theirs.positionAt(b % (theirs.getText().length + 2)) };
          const change: TextDocumentContentChangeEvent = { range, text: inserted };
          TextDocument.update(theirs, [change], index + 2);
          PieceTextDocument.update(ours, [change], index + 2);
          assert.equal(ours.version, index + 2);
          assertSameDocument(ours, theirs, `${JSON.stringify(original)} after edit ${index + 1}`);
        });
      }),
      { numRuns: 1500, seed: 7122026 },
    );
  });

  it('takes a whole-text change, and answers a range inside one document without joining the file', () => {
    const document = PieceTextDocument.create('file:///a.yaml', 'yaml', 1, 'a: 1\n');
    PieceTextDocument.update(document, [{ text: 'kind: A\n---\nkind: B\n' }], 2);
    assert.deepEqual(document.pieces(), [{ start: 0, text: 'kind: A\n' }, { start: 8, text: '---\nkind: B\n' }]);
    assert.equal(document.getText({ start: { line: 2, character: 0 }, end: { line: 2, character: 4 } }), 'kind');
    assert.equal(document.getText({ start: { line: 0, character: 6 }, end: { line: 2, character: 4 } }), 'A\n---\nkind');
  });

  it('rebuilds only the document an edit touches', () => {
    const document = PieceTextDocument.create('file:///a.yaml', 'yaml', 1, 'kind: A\n---\nkind: B\n---\nkind: C\n');
    PieceTextDocument.update(document, [{ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } }, text: 'Job' }], 2);
    assert.deepEqual(document.pieces(), [
      { start: 0, text: 'kind: A\n' },
      { start: 8, text: '---\nkind: Job\n' },
      { start: 22, text: '---\nkind: C\n' },
    ]);
  });
});
