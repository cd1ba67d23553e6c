/**
 * Minimal text edits on a Dockerfile, as the ChunkEditor makes them on YAML: replace a span,
 * insert whole lines around an instruction at its indentation, append to an instruction, remove
 * one. Edits keep the file's line endings and escape character and never re-serialise anything.
 * A helper returns undefined when it cannot make a safe edit (a heredoc, say), and the rule then
 * offers no fix rather than a wrong one.
 */
import { lineEndingOf } from '../edits';
import type { TextEdit } from '../types';
import type { DockerInstruction, DockerfileModel, Span } from './model';

/** `RUN <<EOF`, `COPY <<-"EOT" /x`: the instruction's text continues past its first line as a here-document. */
const HEREDOC = /<<-?\s*["']?[A-Za-z_][A-Za-z0-9_]*/;

export class DockerfileEditor {
  constructor(readonly model: DockerfileModel) {}

  /** The file's line ending, judged by its first line as editors do. */
  get eol(): '\r\n' | '\n' {
    return lineEndingOf(this.model.text);
  }

  /** The escape character (`\`, or `` ` `` after `# escape=``): it also continues lines. */
  get escapeChar(): string {
    return this.model.ast.getEscapeCharacter();
  }

  replace(span: Span, newText: string): TextEdit {
    return { start: span.start, end: span.end, newText };
  }

  /** Whether the instruction carries a here-document, whose text must not be edited line-wise. */
  hasHeredoc(instruction: DockerInstruction): boolean {
    return HEREDOC.test(this.model.lines.lineText(instruction.line));
  }

  /** Inserts lines just above the instruction's first line, at its indentation. */
  insertLinesBefore(instruction: DockerInstruction, lines: string[]): TextEdit {
    const start = this.model.lines.lineStart(instruction.line);
    const indent = this.indentOf(instruction);
    return { start, end: start, newText: lines.map((line) => indent + line + this.eol).join('') };
  }

  /** Inserts lines just below the instruction's last line (continuations and here-documents included). */
  insertLinesAfter(instruction: DockerInstruction, lines: string[]): TextEdit {
    const lastLine = this.model.lines.positionAt(instruction.span.end).line;
    const at = this.model.lines.lineEnd(lastLine);
    const indent = this.indentOf(instruction);
    return { start: at, end: at, newText: lines.map((line) => this.eol + indent + line).join('') };
  }

  /**
   * Appends text to the end of the instruction's last line, such as ` && rm -rf /var/lib/apt/lists/*`
   * on a RUN. Undefined for a here-document, whose end is its delimiter line.
   */
  appendToInstruction(instruction: DockerInstruction, text: string): TextEdit | undefined {
    if (this.hasHeredoc(instruction)) return undefined;
    const end = this.trimmedEnd(instruction.span);
    return { start: end, end, newText: text };
  }

  /** Removes the instruction with its whole lines. */
  removeInstruction(instruction: DockerInstruction): TextEdit {
    const { lines } = this.model;
    const start = lines.lineStart(instruction.line);
    const lastLine = lines.positionAt(instruction.span.end).line;
    const end = lastLine + 1 < lines.lineCount ? lines.lineStart(lastLine + 1) : lines.lineEnd(lastLine);
    return { start, end, newText: '' };
  }

  private indentOf(instruction: DockerInstruction): string {
    return /^[ \t]*/.exec(this.model.lines.lineText(instruction.line))![0];
  }

  private trimmedEnd(span: Span): number {
    let end = span.end;
    while (end > span.start && /\s/.test(this.model.text[end - 1])) end--;
    return end;
  }
}
