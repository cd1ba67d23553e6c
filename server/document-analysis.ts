/**
 * One analysis per document version and settings: which documents are analysed at all, the
 * incremental analyzer each keeps between edits (an edit re-analyses only the YAML document it
 * touched), and the diagnostics computed with the analysis so that publishing, hover and code
 * actions share it.
 */
import { existsSync } from 'node:fs';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { buildContextKey, readBuildContext, type BuildContextFacts } from '../core/dockerfile/build-context';
import { isDockerfileName, type FileType } from '../core/file-types';
import { NO_IMAGE_FACTS, type ImageFactsLookup } from '../core/image-facts';
import type { PodstartSettings } from '../core/settings';
import { splitYamlDocuments, sniffKind } from '../core/yaml-documents';
import { WORKLOAD_KIND_NAMES } from '../core/workload';
import { placementOfFinding } from './diagnostic-encoding';
import { findingDiagnostic } from './diagnostics';
import { IncrementalAnalyzer, type FileFindings, type PlacedDocument } from './incremental-analysis';
import type { YamlPieces } from './piece-document';
import { fileNameOf, fileSystemPathOf } from './uris';

/** The settings one analysis ran with; compared by identity, so resolvers return the same object while nothing changed. */
export interface EffectiveSettings {
  enabled: boolean;
  engine: PodstartSettings;
  /** The `.podstart.yaml` whose `ignore` list excludes the document. */
  ignoredBy?: string;
}

/** Registry facts as the analyses read them; `generation` changes whenever `lookup` may answer differently. */
export interface ImageFactsSource {
  lookup: ImageFactsLookup;
  generation: number;
}

const NO_FACTS: ImageFactsSource = { lookup: NO_IMAGE_FACTS, generation: 0 };

export interface DocumentAnalysis {
  uri: string;
  version: number;
  settings: EffectiveSettings;
  /** The facts generation the analysis ran with. */
  factsGeneration: number;
  /** For a Dockerfile on disk: the files found beside it (a .dockerignore?) when it was analysed. */
  buildContext?: BuildContextFacts;
  /** What the document was read as. */
  fileType: FileType;
  /** Absent when the document was not analysed; `skippedBecause` says why. */
  file?: FileFindings;
  skippedBecause?: string;
  diagnostics: Diagnostic[];
}

const MANIFEST_EXTENSION = /\.(ya?ml|json)$/i;
const YAML_API_VERSION = /^[ \t]*(?:-[ \t]+)?["']?apiVersion["']?[ \t]*:/m;
const YAML_KIND = /^[ \t]*(?:-[ \t]+)?["']?kind["']?[ \t]*:/m;
const JSON_API_VERSION = /"apiVersion"\s*:\s*"/;
const JSON_KIND = /"kind"\s*:\s*"/;

/** The editor's language id for Dockerfiles (VS Code's built-in Docker language). */
export const DOCKERFILE_LANGUAGE_ID = 'dockerfile';

/**
 * What a document is read as: a Dockerfile when the editor says so (languageId `dockerfile`, an
 * untitled Dockerfile included) or its name is a Dockerfile's, whatever language it was given;
 * otherwise a manifest.
 */
export function fileTypeOfDocument(languageId: string, uri: string): FileType {
  return languageId === DOCKERFILE_LANGUAGE_ID || isDockerfileName(fileNameOf(uri)) ? 'dockerfile' : 'manifest';
}

/**
 * Whether the server looks at a document: Dockerfiles; YAML documents, and files named
 * .yaml/.yml/.json whatever language the editor gave them (a Helm or JSON mode), provided they
 * hold Kubernetes objects. Other YAML (CI workflows, compose files) gets no diagnostics from
 * Podstart at all, not even for invalid YAML: that is the YAML extension's job.
 */
export function isCandidate(languageId: string, uri: string): boolean {
  return languageId === 'yaml' || MANIFEST_EXTENSION.test(fileNameOf(uri)) || fileTypeOfDocument(languageId, uri) === 'dockerfile';
}

/** What lies beside a Dockerfile on disk (core/dockerfile/build-context.ts); undefined for other documents and for untitled or virtual ones. */
export function buildContextOfDocument(uri: string, fileType: FileType): BuildContextFacts | undefined {
  if (fileType !== 'dockerfile') return undefined;
  const filePath = fileSystemPathOf(uri);
  return filePath === undefined ? undefined : readBuildContext(filePath, existsSync);
}

export function holdsKubernetesObjects(source: string | YamlPieces, uri: string): boolean {
  if (/\.json$/i.test(fileNameOf(uri))) {
    const text = typeof source === 'string' ? source : source.getText();
    return JSON_API_VERSION.test(text) && JSON_KIND.test(text);
  }
  if (typeof source === 'string') return YAML_API_VERSION.test(source) && YAML_KIND.test(source);
  // Each YAML document starts at a line start, so these line-anchored patterns find in them what they find in the file.
  const pieces = source.pieces();
  return pieces.some((piece) => YAML_API_VERSION.test(piece.text)) && pieces.some((piece) => YAML_KIND.test(piece.text));
}

function isYamlPieces(document: TextDocument): document is TextDocument & YamlPieces {
  return typeof (document as Partial<YamlPieces>).pieces === 'function';
}

/** Workload documents found without parsing, for the status of a disabled or skipped document. */
export function sniffWorkloadCount(text: string): number {
  return splitYamlDocuments(text).filter((chunk) => {
    const kind = sniffKind(chunk.text);
    return kind !== undefined && kind !== 'List' && WORKLOAD_KIND_NAMES.has(kind);
  }).length;
}

interface DocumentState {
  analyzer: IncrementalAnalyzer;
  analysis?: DocumentAnalysis;
}

/** A document's diagnostics where it sits now; reused while it stays on the same line. */
function diagnosticsOf(placed: PlacedDocument): Diagnostic[] {
  const cached = placed.findings.placed;
  if (cached && cached.line === placed.line) return cached.value as Diagnostic[];
  const diagnostics = placed.findings.findings.map((finding) => placementOfFinding(findingDiagnostic(finding, placed.line), finding));
  placed.findings.placed = { line: placed.line, value: diagnostics };
  return diagnostics;
}

export class DocumentAnalyses {
  private readonly states = new Map<string, DocumentState>();

  /** The analysis of the document's current version with these settings and facts, computed at most once. */
  analyze(document: TextDocument, settings: EffectiveSettings, facts: ImageFactsSource = NO_FACTS): DocumentAnalysis {
    const state = this.stateOf(document.uri);
    const previous = state.analysis;
    // Two file checks, cheap enough to repeat: a .dockerignore created or deleted beside a Dockerfile changes its findings.
    const buildContext = buildContextOfDocument(document.uri, fileTypeOfDocument(document.languageId, document.uri));
    const sameContext = buildContextKey(previous?.buildContext) === buildContextKey(buildContext);
    if (previous && previous.version === document.version && previous.settings === settings && previous.factsGeneration === facts.generation && sameContext) return previous;
    const analysis = this.run(document, settings, state.analyzer, facts, buildContext);
    state.analysis = analysis;
    return analysis;
  }

  forget(uri: string): void {
    this.states.delete(uri);
  }

  private stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) {
      state = { analyzer: new IncrementalAnalyzer() };
      this.states.set(uri, state);
    }
    return state;
  }

  /** The last analysis of a document, whatever its version. */
  last(uri: string): DocumentAnalysis | undefined {
    return this.states.get(uri)?.analysis;
  }

  private run(document: TextDocument, settings: EffectiveSettings, analyzer: IncrementalAnalyzer, facts: ImageFactsSource, buildContext: BuildContextFacts | undefined): DocumentAnalysis {
    const fileType = fileTypeOfDocument(document.languageId, document.uri);
    const base = { uri: document.uri, version: document.version, settings, factsGeneration: facts.generation, buildContext, fileType, diagnostics: [] as Diagnostic[] };
    if (!settings.enabled) return { ...base, skippedBecause: 'podstart.enable is off' };
    if (settings.ignoredBy) return { ...base, skippedBecause: `the file matches an ignore pattern in ${settings.ignoredBy}` };
    if (!isCandidate(document.languageId, document.uri)) return { ...base, skippedBecause: 'not a YAML document or a Dockerfile' };
    // The server's documents are kept as their YAML documents: read those, not a copy of the whole file.
    const source: string | YamlPieces = isYamlPieces(document) ? document : document.getText();
    if (fileType === 'manifest' && !holdsKubernetesObjects(source, document.uri)) return { ...base, skippedBecause: 'no Kubernetes objects in the file' };
    const file = analyzer.analyze(source, fileNameOf(document.uri), settings.engine, fileType, facts.lookup, buildContext);
    return { ...base, file, diagnostics: file.documents.flatMap(diagnosticsOf) };
  }
}
