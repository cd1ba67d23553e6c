/**
 * The server's open documents: the LSP text document (same positions, offsets and line breaks as
 * vscode-languageserver-textdocument's), kept as its YAML documents' texts (core/yaml-pieces.ts).
 * An edit rebuilds the pieces it touches; the whole text is joined only when something asks for it
 * (a hover, a fix, a Dockerfile's analysis), once per version. The analysis reads the pieces.
 *
 * Why not the library's document: it keeps one string and builds a new one of the whole file for
 * every keystroke, and an unchanged YAML document of a 75,000-line file could then only be
 * recognised by comparing its text. Here it is the same string as before.
 */
import { TextDocument, type Position, type Range, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { editPieces, lastAtOrBefore, piecesOf } from '../core/yaml-pieces';

/** A document's text as its YAML documents, each with its offset in the file. */
export interface YamlPieces {
  pieces(): ReadonlyArray<{ start: number; text: string }>;
  getText(): string;
}

export class PieceTextDocument implements TextDocument, YamlPieces {
  private texts: string[] = [];
  /** Per piece, the library's document for line arithmetic inside it, made on first use. */
  private lineMaps: Array<TextDocument | undefined> = [];
  private starts: number[] = [];
  /** Per piece, the file's line its first character is on. */
  private firstLines: number[] = [];
  private length = 0;
  private lineBreaks = 0;
  private joined?: string;
  private placed?: Array<{ start: number; text: string }>;

  private constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    content: string,
  ) {
    this.replaceAll(content);
  }

  /** TextDocuments' configuration: `new TextDocuments(PieceTextDocument)`. */
  static create(uri: string, languageId: string, version: number, content: string): PieceTextDocument {
    return new PieceTextDocument(uri, languageId, version, content);
  }

  static update(document: PieceTextDocument, changes: TextDocumentContentChangeEvent[], version: number): PieceTextDocument {
    for (const change of changes) {
      if ('range' in change) {
        const { start, end } = wellFormed(change.range);
        document.edit(document.offsetAt(start), document.offsetAt(end), change.text);
      } else {
        document.replaceAll(change.text);
      }
    }
    document.version = version;
    return document;
  }

  get lineCount(): number {
    return this.lineBreaks + 1;
  }

  pieces(): ReadonlyArray<{ start: number; text: string }> {
    this.placed ??= this.texts.map((text, index) => ({ start: this.starts[index], text }));
    return this.placed;
  }

  getText(range?: Range): string {
    if (range) {
      const start = this.offsetAt(range.start);
      const end = this.offsetAt(range.end);
      const piece = this.pieceAtOffset(start);
      // Most ranges lie inside one document: no need to join the file for them.
      if (piece >= 0 && end <= this.starts[piece] + this.texts[piece].length) return this.texts[piece].slice(start - this.starts[piece], end - this.starts[piece]);
      return this.getText().slice(start, end);
    }
    this.joined ??= this.texts.join('');
    return this.joined;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const piece = this.pieceAtOffset(clamped);
    if (piece < 0) return { line: 0, character: 0 };
    const inside = this.lineMap(piece).positionAt(clamped - this.starts[piece]);
    return { line: this.firstLines[piece] + inside.line, character: inside.character };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineCount) return this.length;
    if (position.line < 0 || this.texts.length === 0) return 0;
    const piece = this.pieceAtLine(position.line);
    return this.starts[piece] + this.lineMap(piece).offsetAt({ line: position.line - this.firstLines[piece], character: position.character });
  }

  getLineRange(line: number): Range {
    if (line < 0 || this.texts.length === 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const piece = line >= this.lineCount ? this.texts.length - 1 : this.pieceAtLine(line);
    const inside = this.lineMap(piece).getLineRange(line - this.firstLines[piece]);
    const first = this.firstLines[piece];
    return { start: { line: first + inside.start.line, character: inside.start.character }, end: { line: first + inside.end.line, character: inside.end.character } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lineCount || this.texts.length === 0) return '';
    const piece = this.pieceAtLine(line);
    return this.lineMap(piece).getEOLCharacters(line - this.firstLines[piece]);
  }

  private edit(start: number, end: number, newText: string): void {
    const { first, removed, inserted } = editPieces(this.texts, this.starts, start, end, newText);
    this.texts.splice(first, removed, ...inserted);
    this.lineMaps.splice(first, removed, ...inserted.map(() => undefined));
    this.measure();
  }

  private replaceAll(content: string): void {
    this.texts = piecesOf(content);
    this.lineMaps = this.texts.map(() => undefined);
    this.measure();
  }

  /** Offsets and first lines of the pieces (a pass over the pieces, not over the text: each piece's line breaks are counted once). */
  private measure(): void {
    this.joined = undefined;
    this.placed = undefined;
    this.starts = new Array(this.texts.length);
    this.firstLines = new Array(this.texts.length);
    let offset = 0;
    let line = 0;
    for (let index = 0; index < this.texts.length; index++) {
      this.starts[index] = offset;
      this.firstLines[index] = line;
      offset += this.texts[index].length;
      line += this.lineMap(index).lineCount - 1;
    }
    this.length = offset;
    this.lineBreaks = line;
  }

  private lineMap(piece: number): TextDocument {
    let map = this.lineMaps[piece];
    if (!map) {
      map = TextDocument.create('', '', 0, this.texts[piece]);
      this.lineMaps[piece] = map;
    }
    return map;
  }

  /** The last piece starting at or before the offset; -1 for an empty document. */
  private pieceAtOffset(offset: number): number {
    return lastAtOrBefore(this.starts, offset);
  }

  /** The piece the line starts in (a piece's text ends with a line break, so its last, empty line is the next piece's first). */
  private pieceAtLine(line: number): number {
    return lastAtOrBefore(this.firstLines, line);
  }
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? { start: end, end: start } : range;
}
