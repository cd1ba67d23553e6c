/**
 * Re-analysis after an edit, in time proportional to what the edit touched. analyzeText checks
 * each YAML document of a file on its own (a rule sees one workload), so a file's findings are the
 * findings of its documents, each analysed alone and moved to where the document sits. An edit
 * changes one document's text; every other document keeps its findings from a cache keyed by its
 * text. On a 75,000-line file with 1,700 workloads this is the difference between ~70 ms (all
 * rules over every workload) and a few milliseconds.
 *
 * What is not per document is handled here, where it would otherwise differ:
 * - a file over maxFileSize, and templates (file names, Helm objects, templated documents): the
 *   whole file is analysed at once, exactly as analyzeText does (it stops early for both);
 * - `# podstart-disable <ids>` applies to the whole file wherever it is written: each document's
 *   directives are kept with it, and the findings are analysed again when the file's set changes;
 * - a Dockerfile is one document: it is analysed whole (they are small, and a `---` line in a
 *   here-document must not split it);
 * - registry facts (core/image-facts.ts) arrive after the text: each document keeps what the
 *   lookup answered for every image its rules asked about, and is analysed again only when one of
 *   those answers has changed;
 * - objects that pod specs name (a ResourceClaimTemplate, core/defined-objects.ts) may sit in
 *   another document of the file: each document's objects are collected once per text (its
 *   summary), every document is analysed with the whole file's, and when that set changes only the
 *   documents whose rules read it (analyzeText's readsDefinedObjects: pods naming claims) are analysed again.
 * test/server/incremental-analysis.test.ts checks the result equals analyzeText on whole files.
 */
import { analyzeText, type AnalysisResult, type AnalyzedFinding } from '../core/analyze';
import type { FileType } from '../core/file-types';
import { DEFAULT_MAX_FILE_SIZE, type PodstartSettings } from '../core/settings';
import { isSuppressed, scanSuppressions } from '../core/suppression';
import type { Fix, Position, Range, TextEdit } from '../core/types';
import { FILE_DIAGNOSTICS } from '../core/analyze';
import { collectDefinedObjects, definedObjectsKey, type DefinedObject } from '../core/defined-objects';
import type { BuildContextFacts } from '../core/dockerfile/build-context';
import { imageFactsKey, NO_IMAGE_FACTS, type ImageFactsLookup } from '../core/image-facts';
import { DocumentParseCache, splitYamlDocuments } from '../core/yaml-documents';
import type { YamlPieces } from './piece-document';
import { workloadSitesOf, type WorkloadSite } from './timings-workload-sites';

/** The findings of one YAML document analysed alone: offsets relative to its first character, lines to its first line. */
export interface DocumentFindings {
  findings: AnalyzedFinding[];
  workloadCount: number;
  kubeletConfigCount: number;
  /** Line breaks in the document's text: how far it moves the documents after it. */
  lineBreaks: number;
  /** Per-placement data a caller derives from the findings (the server's diagnostics), reused while the document stays on one line. */
  placed?: { line: number; value: unknown };
  /** Each image reference the rules asked about, with what the facts lookup answered then (imageFactsKey). */
  imageFacts: ReadonlyArray<readonly [reference: string, key: string]>;
  /** Where the startup lenses of its workloads go (lines relative to the document). */
  workloadSites: WorkloadSite[];
  /** Its rules read the objects the file's documents define: analysed again when those change. */
  readsDefinedObjects?: boolean;
}

export interface PlacedDocument {
  /** Offset and line of the document's first character in the file. */
  start: number;
  line: number;
  findings: DocumentFindings;
}

function shiftPosition(position: Position, lines: number): Position {
  return { line: position.line + lines, character: position.character };
}

export function shiftRange(range: Range, lines: number): Range {
  return lines === 0 ? range : { start: shiftPosition(range.start, lines), end: shiftPosition(range.end, lines) };
}

function shiftEdit(edit: TextEdit, offset: number): TextEdit {
  return { start: edit.start + offset, end: edit.end + offset, newText: edit.newText };
}

/** A finding of a document, moved to the document's place in the file. */
export function placeFinding(finding: AnalyzedFinding, document: PlacedDocument): AnalyzedFinding {
  const { start: offset, line } = document;
  if (offset === 0 && line === 0) return finding;
  const placed: AnalyzedFinding = {
    ...finding,
    start: finding.start + offset,
    end: finding.end + offset,
    range: shiftRange(finding.range, line),
    fixes: finding.fixes.map((fix: Fix) => ({ ...fix, edits: fix.edits.map((edit) => shiftEdit(edit, offset)) })),
  };
  if (finding.disable) {
    placed.disable = { line: shiftEdit(finding.disable.line, offset) };
    if (finding.disable.object) placed.disable.object = shiftEdit(finding.disable.object, offset);
  }
  return placed;
}

/** The findings of a whole file, as its documents placed in order. */
export class FileFindings {
  private all?: AnalyzedFinding[];

  constructor(readonly documents: readonly PlacedDocument[]) {}

  get workloadCount(): number {
    return this.documents.reduce((sum, document) => sum + document.findings.workloadCount, 0);
  }

  get kubeletConfigCount(): number {
    return this.documents.reduce((sum, document) => sum + document.findings.kubeletConfigCount, 0);
  }

  /** Counts findings without placing them. */
  count(predicate: (finding: AnalyzedFinding) => boolean): number {
    let count = 0;
    for (const document of this.documents) for (const finding of document.findings.findings) if (predicate(finding)) count++;
    return count;
  }

  /** Every finding in file coordinates, in file order (placed once, on first use). */
  findings(): AnalyzedFinding[] {
    this.all ??= this.documents.flatMap((document) => document.findings.findings.map((finding) => placeFinding(finding, document)));
    return this.all;
  }

  /** The workloads that get a startup lens, in file coordinates. */
  workloadSites(): WorkloadSite[] {
    return this.documents.flatMap((document) =>
      document.findings.workloadSites.map((site) => ({
        ...site,
        range: shiftRange(site.range, document.line),
        kindValueRange: shiftRange(site.kindValueRange, document.line),
        nameRange: shiftRange(site.nameRange, document.line),
        images: site.images.map((image) => ({ image: image.image, range: shiftRange(image.range, document.line) })),
      })),
    );
  }

  /** The image references the file's rules asked registry facts about, each once. */
  imageReferences(): string[] {
    return [...new Set(this.documents.flatMap((document) => document.findings.imageFacts.map(([reference]) => reference)))];
  }

  /** Findings of the documents that span the lines from `first` to `last`, in file coordinates. */
  findingsOnLines(first: number, last: number): AnalyzedFinding[] {
    const result: AnalyzedFinding[] = [];
    this.documents.forEach((document, index) => {
      const next = this.documents[index + 1];
      const lastLine = next ? next.line : Number.MAX_SAFE_INTEGER;
      if (document.line > last || lastLine < first) return;
      for (const finding of document.findings.findings) {
        const placed = placeFinding(finding, document);
        if (placed.range.start.line <= last && placed.range.end.line >= first) result.push(placed);
      }
    });
    return result;
  }
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** What the lookup answered for each image the analysis asked about. */
function factsSeen(result: AnalysisResult, lookup: ImageFactsLookup): DocumentFindings['imageFacts'] {
  return result.imageReferences.map((reference) => [reference, imageFactsKey(lookup(reference))] as const);
}

/** Whether the lookup still answers what a document's analysis saw. */
function factsUnchanged(findings: DocumentFindings, lookup: ImageFactsLookup): boolean {
  return findings.imageFacts.every(([reference, key]) => imageFactsKey(lookup(reference)) === key);
}

function asWholeFile(result: AnalysisResult, text: string, lookup: ImageFactsLookup): FileFindings {
  return new FileFindings([
    { start: 0, line: 0, findings: { findings: result.findings, workloadCount: result.workloadCount, kubeletConfigCount: result.kubeletConfigCount, lineBreaks: countLineBreaks(text), imageFacts: factsSeen(result, lookup), workloadSites: workloadSitesOf(result) } },
  ]);
}

interface CachedDocument {
  text: string;
  /** UTF-8 size of the text: the file's size is the sum, so it is never measured whole. */
  bytes: number;
  /** It holds a NUL: the file is binary data. */
  binary: boolean;
  /** Rule ids its `# podstart-disable` directives silence in the whole file. */
  fileDirectives: Set<string>;
  /** The objects it defines that pod specs name (in any document of the file). */
  definedObjects: DefinedObject[];
  /** Undefined until analysed under the current settings, file-wide directives and defined objects. */
  findings?: DocumentFindings;
}

/** One per open document: the cache of its documents' findings between edits. */
export class IncrementalAnalyzer {
  /** The file's documents at the last analysis, in order. */
  private previous: CachedDocument[] = [];
  private cacheSettings?: PodstartSettings;
  private cacheDirectives = '';
  private cacheDefinedObjects = '';
  /** For whole-file analyses (templates, oversized files): unchanged documents are still not parsed twice. */
  private readonly parseCache = new DocumentParseCache();

  /**
   * `source`: the file's text, or its YAML documents as the server keeps them (server/piece-document.ts),
   * so that an edit neither splits nor copies the whole file.
   */
  analyze(
    source: string | YamlPieces,
    fileName: string | undefined,
    settings: PodstartSettings,
    fileType: FileType = 'manifest',
    imageFacts: ImageFactsLookup = NO_IMAGE_FACTS,
    buildContext?: BuildContextFacts,
  ): FileFindings {
    const wholeText = () => (typeof source === 'string' ? source : source.getText());
    if (fileType === 'dockerfile') {
      this.previous = [];
      this.cacheSettings = undefined;
      const text = wholeText();
      return asWholeFile(analyzeText({ text, fileName, fileType, settings, imageFacts, buildContext }), text, imageFacts);
    }
    const chunks = typeof source === 'string' ? splitYamlDocuments(source) : source.pieces();
    const reused = this.matchPrevious(chunks.map((chunk) => chunk.text));
    const documents: CachedDocument[] = chunks.map(
      (chunk, index) =>
        reused[index] ?? {
          text: chunk.text,
          bytes: Buffer.byteLength(chunk.text),
          binary: chunk.text.includes('\u0000'),
          fileDirectives: scanSuppressions(chunk.text).file,
          definedObjects: collectDefinedObjects(chunk.text, fileName),
        },
    );
    this.previous = documents;

    // The same size test as analyzeText's; over the limit, analyzeText says so for the whole file.
    const bytes = documents.reduce((sum, document) => sum + document.bytes, 0);
    if (bytes > (settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return this.wholeFile(wholeText(), fileName, settings, fileType, imageFacts);
    // Binary data (a NUL anywhere) gets one notice for the whole file from analyzeText, as above.
    if (documents.some((document) => document.binary)) return this.wholeFile(wholeText(), fileName, settings, fileType, imageFacts);

    const fileDirectives = new Set(documents.flatMap((document) => [...document.fileDirectives]));
    const directivesKey = [...fileDirectives].sort().join(',');
    const definedObjects = documents.flatMap((document) => document.definedObjects);
    const definedObjectsAt = definedObjectsKey(definedObjects);
    if (settings !== this.cacheSettings || directivesKey !== this.cacheDirectives) {
      // Findings were filtered and ranked under other settings or directives: analyse again.
      for (const document of documents) document.findings = undefined;
    } else if (definedObjectsAt !== this.cacheDefinedObjects) {
      // Judged against other defined objects (a template renamed in another document): analyse
      // again the documents whose rules read them (pods naming DRA claims), and only those.
      for (const document of documents) if (document.findings?.readsDefinedObjects) document.findings = undefined;
    }
    this.cacheSettings = settings;
    this.cacheDirectives = directivesKey;
    this.cacheDefinedObjects = definedObjectsAt;

    const placed: PlacedDocument[] = [];
    let line = 0;
    for (const [index, chunk] of chunks.entries()) {
      const document = documents[index];
      // Registry facts arrived for an image this document uses: its findings may differ now.
      if (document.findings && !factsUnchanged(document.findings, imageFacts)) document.findings = undefined;
      if (!document.findings) {
        // The document's tree is kept in the result: its startup lenses are read from it (workloadSitesOf).
        const result = analyzeText({ text: chunk.text, fileName, fileType, settings, imageFacts, definedObjects, keepDocuments: true });
        if (result.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.template)) {
          // A template anywhere makes the whole file a template: one notice for the file.
          return this.wholeFile(wholeText(), fileName, settings, fileType, imageFacts);
        }
        document.findings = {
          // File-wide directives written in another document of the file apply here too.
          findings: fileDirectives.size === 0 ? result.findings : result.findings.filter((finding) => !(finding.stage && isSuppressed(fileDirectives, finding.ruleId))),
          workloadCount: result.workloadCount,
          kubeletConfigCount: result.kubeletConfigCount,
          lineBreaks: countLineBreaks(chunk.text),
          imageFacts: factsSeen(result, imageFacts),
          workloadSites: workloadSitesOf(result),
          readsDefinedObjects: result.readsDefinedObjects,
        };
      }
      placed.push({ start: chunk.start, line, findings: document.findings });
      line += document.findings.lineBreaks;
    }
    return new FileFindings(placed);
  }

  private wholeFile(text: string, fileName: string | undefined, settings: PodstartSettings, fileType: FileType, imageFacts: ImageFactsLookup): FileFindings {
    // Nothing cached is known to be right for a file analysed whole; the texts and sizes stay.
    for (const document of this.previous) document.findings = undefined;
    this.cacheSettings = undefined;
    return asWholeFile(analyzeText({ text, fileName, fileType, settings, cache: this.parseCache, imageFacts }), text, imageFacts);
  }

  /**
   * The previous analysis's record of each new document text, when there is one. An edit leaves
   * the documents before and after it as they were, so those are matched in place (comparing
   * strings is cheaper than hashing megabytes of them into a map, and the server's documents keep
   * an unchanged document as the same string, which compares at once); only the documents in between
   * are looked up by text (documents moved, duplicated or pasted).
   */
  private matchPrevious(texts: readonly string[]): Array<CachedDocument | undefined> {
    const previous = this.previous;
    const reuse = new Array<CachedDocument | undefined>(texts.length);
    let head = 0;
    while (head < texts.length && head < previous.length && texts[head] === previous[head].text) {
      reuse[head] = previous[head];
      head++;
    }
    let tail = 0;
    while (tail < texts.length - head && tail < previous.length - head && texts[texts.length - 1 - tail] === previous[previous.length - 1 - tail].text) {
      reuse[texts.length - 1 - tail] = previous[previous.length - 1 - tail];
      tail++;
    }
    if (head + tail < texts.length && head + tail < previous.length) {
      const byText = new Map(previous.slice(head, previous.length - tail).map((document) => [document.text, document]));
      for (let index = head; index < texts.length - tail; index++) {
        const match = byText.get(texts[index]);
        // A duplicated document gets its own record, sharing the findings (they are relative).
        reuse[index] = match && { ...match };
      }
    }
    return reuse;
  }
}
