/**
 * Splits a YAML file into its documents without parsing it, sniffs each document's kind, and
 * parses only the documents Podstart analyses. Install bundles such as kserve.yaml are mostly
 * CustomResourceDefinitions: skipping their full parse is what keeps the editor fast, and a
 * document whose text did not change is never parsed twice (see DocumentParseCache).
 */
import { Composer, Parser, YAMLParseError, type CST, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

export interface YamlProblem {
  message: string;
  /** Offsets relative to the chunk. */
  start: number;
  end: number;
}

export interface YamlChunk {
  /** Offset of the chunk's first character in the file. */
  start: number;
  text: string;
  /** `kind:` found at column 0 without parsing, when there is one. */
  sniffedKind?: string;
  /** The parsed document, when the chunk's kind is analysed (or could not be sniffed). */
  doc?: Document.Parsed;
  errors: YamlProblem[];
  /** How many errors the document has: more than `errors` holds when there were too many to keep (parseDocumentCapped). */
  errorCount?: number;
  /**
   * Duplicate keys: the document is still analysed (the last value wins in most decoders),
   * but the API server's strict field validation, kubectl's default, rejects it.
   */
  duplicateKeys: YamlProblem[];
  /** Whether the document is templated; decided once (core/templates.ts) and kept with the parse. */
  templated?: boolean;
}

const DOCUMENT_MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;
const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9.-]+)["']?[ \t]*(?:#.*)?\r?$/m;
const CONTENT_LINE = /^(?![ \t]*(?:#|%|\r?$)).+/m;

/**
 * Document boundaries are lines that start with `---` or `...`; YAML forbids those at the
 * start of a line inside any scalar, so a line scan finds exactly the parser's boundaries.
 */
export function splitYamlDocuments(text: string): Array<{ start: number; text: string }> {
  const chunks: Array<{ start: number; text: string }> = [];
  let chunkStart = 0;
  const cut = (end: number) => {
    if (end > chunkStart) chunks.push({ start: chunkStart, text: text.slice(chunkStart, end) });
    chunkStart = end;
  };
  // Only lines that begin with `---` or `...` can be markers: jump between them with native
  // searches instead of visiting every line (this runs on every keystroke in multi-megabyte files).
  let nextDashes = lineStartOf(text, '---', 0);
  let nextDots = lineStartOf(text, '...', 0);
  while (nextDashes !== -1 || nextDots !== -1) {
    const lineStart = nextDots === -1 || (nextDashes !== -1 && nextDashes < nextDots) ? nextDashes : nextDots;
    if (lineStart === nextDashes) nextDashes = lineStartOf(text, '---', lineStart + 1);
    else nextDots = lineStartOf(text, '...', lineStart + 1);
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const marker = DOCUMENT_MARKER.exec(text.slice(lineStart, lineEnd));
    if (marker?.[1] === '---') cut(lineStart);
    else if (marker?.[1] === '...') cut(lineEnd);
  }
  cut(text.length);
  // A preamble of comments and directives belongs to the document that follows it.
  const merged: Array<{ start: number; text: string }> = [];
  for (const chunk of chunks) {
    const previous = merged[merged.length - 1];
    if (previous && !standsAlone(previous.text)) {
      previous.text += chunk.text;
    } else {
      merged.push({ ...chunk });
    }
  }
  return merged;
}

/**
 * Whether a document's text stays a document of its own: it has content, or ends with `...`.
 * Otherwise (comments, directives, blank lines) it is the preamble of the document after it.
 */
export function standsAlone(chunkText: string): boolean {
  return CONTENT_LINE.test(chunkText) || /^\.\.\./m.test(chunkText);
}

/** Whether the text's first line is a document start marker (`---`), so a document begins there whatever precedes it. */
export function startsWithDocumentMarker(chunkText: string): boolean {
  const newline = chunkText.indexOf('\n');
  return DOCUMENT_MARKER.exec(newline === -1 ? chunkText : chunkText.slice(0, newline + 1))?.[1] === '---';
}

/** Whether the text's last line is a document end marker (`...`), so a document begins after it whatever follows. */
export function endsWithDocumentEndMarker(chunkText: string): boolean {
  if (!chunkText.endsWith('\n')) return false;
  const lineStart = chunkText.lastIndexOf('\n', chunkText.length - 2) + 1;
  return DOCUMENT_MARKER.exec(chunkText.slice(lineStart))?.[1] === '...';
}

/** The first occurrence of `pattern` at the start of a line, from `from` on; -1 when there is none. */
function lineStartOf(text: string, pattern: string, from: number): number {
  for (let index = text.indexOf(pattern, from); index !== -1; index = text.indexOf(pattern, index + 1)) {
    if (index === 0 || text.charCodeAt(index - 1) === 10) return index;
  }
  return -1;
}

export function sniffKind(chunkText: string): string | undefined {
  return KIND_LINE.exec(chunkText)?.[1];
}

/** Errors kept per document: enough to show every real mistake, few enough that garbage stays cheap. */
const MAX_ERRORS_PER_DOCUMENT = 100;

/**
 * `yaml`'s parseDocument, for every YAML text Podstart parses: a document nested deeper than
 * MAX_NESTING_DEPTH is refused (NestingTooDeepError), and its errors stop being made after the first
 * MAX_ERRORS_PER_DOCUMENT. Each error is an Error object with a captured stack, and garbage makes
 * one every few characters: a 1 MB run of `"` gave 500,000 errors and took 12 s to parse (found by
 * the fuzzer, test/fuzz). The Composer takes its error callback from an instance field, so the cap
 * wraps it; `errorCount` is the number there were.
 */
export function parseDocumentCapped(source: string, options: ParseOptions & DocumentOptions & SchemaOptions): { doc: Document.Parsed; errorCount: number } {
  const composer = new Composer(options);
  // `onError` is private in yaml's types but a plain field at run time; test/core/yaml-documents.test.ts fails if that changes.
  const hook = composer as unknown as { onError?: (position: unknown, code: unknown, message: string, warning?: boolean) => void };
  const report = hook.onError;
  let count = 0;
  if (typeof report === 'function') {
    hook.onError = (position, code, message, warning) => {
      if (warning) return report(position, code, message, warning);
      count++;
      if (count <= MAX_ERRORS_PER_DOCUMENT) report(position, code, message, warning);
    };
  }
  let doc: Document.Parsed | undefined;
  for (const composed of composer.compose(guardedTokens(source, () => ++count), true, source.length)) {
    if (!doc) {
      doc = composed as Document.Parsed;
      continue;
    }
    // A chunk holds one document (the file is split first); a configuration file may hold two. As parseDocument says it:
    doc.errors.push(new YAMLParseError([composed.range[0], composed.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
    break;
  }
  return { doc: doc!, errorCount: count };
}

/**
 * Collections nested deeper than this are not composed. `yaml` composes recursively, and near
 * Node's stack limit (about 830 levels of flow collections here) V8 can run out of stack while
 * compiling a regular expression, after which the next compilation aborts the process (a fatal
 * "RegExpCompiler Allocation failed", not an exception: found by the fuzzer, a file of 1,615 nested
 * `- ` took the language server down). Real manifests nest a few dozen levels (the corpus's deepest
 * document: see test/core/yaml-documents.test.ts).
 */
export const MAX_NESTING_DEPTH = 256;

/** Thrown for a document nested deeper than MAX_NESTING_DEPTH; the message is the user's to read. */
export class NestingTooDeepError extends Error {
  /** `offset`: where in the text the collection past the limit starts. */
  constructor(readonly offset: number) {
    super(`collections nested more than ${MAX_NESTING_DEPTH} levels deep, past what Podstart parses (real manifests nest a few dozen)`);
  }
}

/**
 * The parser's tokens for `source`, on their way to the Composer. The document-level `error`
 * tokens past the first MAX_ERRORS_PER_DOCUMENT are counted and left out: the Composer makes those
 * errors itself, not through `onError`, and a 1 MB run of `"` under deep nesting gave 500,000 of
 * them, 7 s and 800 MB (found by the fuzzer); an error token carries nothing else the composition
 * uses, so the document is the same without it.
 *
 * A document nested deeper than MAX_NESTING_DEPTH is refused before the Composer recurses into it
 * (NestingTooDeepError); the parser keeps its own stack, not Node's, so it reads any depth. Walking
 * every document's tokens to measure the depth would cost a tenth of the parse, so the parser's
 * stack is read at each line break: within a line the depth grows by at most one per character, so
 * the stack at a line's start plus the line's length bounds the depth, and only a document whose
 * bound passes the limit (a line of a few hundred characters) is walked.
 */
function* guardedTokens(source: string, counted: () => number): Generator<CST.Token> {
  let bound = 0;
  let lineStart = 0;
  let depthAtLineStart = 0;
  const parser: Parser = new Parser((offset) => {
    if (offset === 0) return;
    bound = Math.max(bound, depthAtLineStart + (offset - lineStart));
    lineStart = offset;
    depthAtLineStart = parser.stack.length;
  });
  for (const token of parser.parse(source)) {
    if (token.type === 'error' && counted() > MAX_ERRORS_PER_DOCUMENT) continue;
    if (token.type === 'document') {
      const upTo = Math.max(bound, depthAtLineStart + (source.length - lineStart));
      if (upTo > MAX_NESTING_DEPTH) {
        const deepest = deepestToken(token, MAX_NESTING_DEPTH);
        if (deepest.depth > MAX_NESTING_DEPTH) throw new NestingTooDeepError(deepest.offset);
      }
    }
    yield token;
  }
}

/** How deep collections nest in a parsed token (a walk with its own stack). */
export function nestingDepth(root: CST.Token): number {
  return deepestToken(root, Infinity).depth;
}

/** The deepest collection in a parsed token and where it starts; the walk stops at the first one deeper than `limit`. */
function deepestToken(root: CST.Token, limit: number): { depth: number; offset: number } {
  const tokens: CST.Token[] = [root];
  const depths: number[] = [0];
  const deepest = { depth: 0, offset: root.offset };
  while (tokens.length > 0) {
    const token = tokens.pop()!;
    const depth = depths.pop()!;
    if (depth > deepest.depth) {
      deepest.depth = depth;
      deepest.offset = token.offset;
      if (depth > limit) break;
    }
    if (token.type === 'document') {
      if (token.value) {
        tokens.push(token.value);
        depths.push(depth);
      }
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      for (const item of token.items) {
        if ('key' in item && item.key) {
          tokens.push(item.key);
          depths.push(depth + 1);
        }
        if (item.value) {
          tokens.push(item.value);
          depths.push(depth + 1);
        }
      }
    }
  }
  return deepest;
}

export function parseChunk(chunk: { start: number; text: string }, shouldParse: (kind: string | undefined) => boolean): YamlChunk {
  const sniffedKind = sniffKind(chunk.text);
  const result: YamlChunk = { start: chunk.start, text: chunk.text, sniffedKind, errors: [], duplicateKeys: [] };
  if (!shouldParse(sniffedKind)) return result;
  try {
    const { doc, errorCount } = parseDocumentCapped(chunk.text, { prettyErrors: false, uniqueKeys: true, strict: true });
    result.doc = doc;
    for (const error of doc.errors) {
      const problem = { message: error.message.split('\n')[0], start: error.pos[0], end: Math.max(error.pos[1], error.pos[0] + 1) };
      (error.code === 'DUPLICATE_KEY' ? result.duplicateKeys : result.errors).push(problem);
    }
    // Errors past the cap were not made: they are counted, and were not duplicate keys as far as anyone knows.
    if (errorCount > doc.errors.length) result.errorCount = result.errors.length + (errorCount - doc.errors.length);
  } catch (error) {
    // The Composer recurses on nesting depth; a pathological document must not take the file down.
    if (error instanceof NestingTooDeepError) {
      result.errors.push({ message: error.message, start: error.offset, end: Math.min(chunk.text.length, error.offset + 1) });
    } else {
      result.errors.push({ message: `YAML could not be parsed: ${(error as Error).message}`, start: 0, end: Math.min(chunk.text.length, 1) });
    }
  }
  return result;
}

/**
 * Keeps the parsed documents of one file between edits. An edit usually touches one document;
 * every other document's text is unchanged and its parse (positions relative to the chunk) is reused.
 */
export class DocumentParseCache {
  private byText = new Map<string, YamlChunk>();

  parse(text: string, shouldParse: (kind: string | undefined) => boolean): YamlChunk[] {
    const next = new Map<string, YamlChunk>();
    const chunks = splitYamlDocuments(text).map((raw) => {
      const cached = this.byText.get(raw.text) ?? next.get(raw.text);
      const parsed = cached && (cached.doc !== undefined || !shouldParse(cached.sniffedKind))
        ? { ...cached, start: raw.start }
        : parseChunk(raw, shouldParse);
      next.set(raw.text, parsed);
      return parsed;
    });
    this.byText = next;
    return chunks;
  }
}
