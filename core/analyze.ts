/**
 * The engine: one pass over a file's text that yields every finding, with exact ranges,
 * severities from the settings, suppressions applied, and the fixes that go with each.
 * Kubernetes manifests are analysed here; Dockerfiles (by file name, or an explicit `fileType`)
 * go to core/dockerfile/analyze.ts, after the checks both share (file size, settings).
 */
import type { Node, Pair } from 'yaml';
import { ALL_RULES } from '../rules';
import { DEFINING_KINDS, definedObjectsOf, mayDefineObjects, mentionsDefiningKind, type DefinedObject, type DefinedObjects } from './defined-objects';
import { analyzeDockerfile } from './dockerfile/analyze';
import type { BuildContextFacts } from './dockerfile/build-context';
import type { DockerfileModel } from './dockerfile/model';
import { ChunkEditor } from './edits';
import { fileTypeOf, type FileType } from './file-types';
import { FILE_DIAGNOSTICS, INTERNAL_ERROR, pushFileFinding, type AnalyzedFinding } from './findings';
import { NO_IMAGE_FACTS, recordingLookup, type ImageFactsLookup } from './image-facts';
import { parseKubernetesVersion, type KubernetesVersion, DEFAULT_KUBERNETES_VERSION } from './kubernetes-version';
import { LineIndex } from './line-index';
import { analyzeKubeletConfigs } from './kubelet/analyze';
import { KUBELET_CARRIER_KINDS } from './kubelet/locate';
import { isDockerfileRule, isKubeletRule, isManifestRule, type KubeletRule, type ManifestRule, type Rule, type RuleContext, type RuleReport } from './rule';
import { DEFAULT_MAX_FILE_SIZE, kubernetesVersionOf, resolveRuleSetting, type PodstartSettings, type ResolvedRuleSetting } from './settings';
import { annotationSuppressions, disableForLineEdit, disableForObjectEdit, isSuppressed, scanSuppressions, type FileSuppressions } from './suppression';
import { detectTemplate, flavorOf, isTemplatedChunk, type TemplateFlavor } from './templates';
import type { Fix, Severity } from './types';
import { findWorkloads, WORKLOAD_KIND_NAMES, type Workload } from './workload';
import { parseChunk, sniffKind, splitYamlDocuments, type DocumentParseCache, type YamlChunk } from './yaml-documents';
import { nodeSpan } from './yaml-nodes';

export { FILE_DIAGNOSTICS, type AnalyzedFinding } from './findings';

export interface AnalyzeInput {
  text: string;
  fileName?: string;
  /** What the text is; by default decided from `fileName` (core/file-types.ts), a manifest without one. */
  fileType?: FileType;
  settings?: PodstartSettings;
  /** Reused between calls for the same file, so unchanged documents are not parsed again. */
  cache?: DocumentParseCache;
  rules?: readonly Rule<any>[];
  /**
   * Facts about images that the front end already has (from a registry); rules that need them
   * say nothing without. Synchronous: the front end fetches what `imageReferences` lists, then
   * analyses again.
   */
  imageFacts?: ImageFactsLookup;
  /** For a Dockerfile: the files around it the front end found (core/dockerfile/build-context.ts); undefined when it could not look. */
  buildContext?: BuildContextFacts;
  /**
   * The objects the workspace defines that pod specs name (core/defined-objects.ts): the CLI's
   * files of one run, the editor's open file. When not given, the objects of `text` itself.
   */
  definedObjects?: DefinedObjects;
  /**
   * Keep each parsed document's syntax tree in `chunks` (the server's startup lenses read them).
   * Without it (and without `cache`, which keeps them anyway), each document is parsed just before
   * its rules run and its tree is let go after them, so that a large file's trees are not all alive
   * at once: kept alive, they were copied by every young-generation collection during the file's
   * analysis (measured over the corpus: 55-60 ms of collections per pass against 20-25 ms for the
   * parse alone).
   */
  keepDocuments?: boolean;
}

export interface AnalysisResult {
  fileType: FileType;
  findings: AnalyzedFinding[];
  /** Number of workloads analysed (for status and reports); 0 for a Dockerfile. */
  workloadCount: number;
  /** Number of kubelet configurations analysed (documents, kind patches, flag sets). */
  kubeletConfigCount: number;
  /** The YAML documents read, in order, up to a templated one; `doc` only with keepDocuments or a cache. */
  chunks: YamlChunk[];
  /** The parsed Dockerfile, for a Dockerfile that could be parsed. */
  dockerfile?: DockerfileModel;
  lines: LineIndex;
  /** The image references the rules asked `imageFacts` about, each once, in the order asked: what to fetch for this file. */
  imageReferences: string[];
  /** A rule read the objects the file's documents define (a pod's DRA claims): its findings depend on documents other than its own. */
  readsDefinedObjects: boolean;
}

/**
 * What a manifest rule is given for one workload. A class, not an object literal with a getter:
 * V8 builds a literal with an accessor slowly, and one is made per rule per workload (it was a
 * tenth of the rules' time over the corpus).
 */
class CheckContext<Options> implements RuleContext<Options> {
  constructor(
    readonly workload: Workload,
    readonly options: Options,
    readonly kubernetesVersion: KubernetesVersion,
    readonly imageFacts: ImageFactsLookup,
    readonly edit: ChunkEditor,
    readonly report: (report: RuleReport) => void,
    private readonly objects: () => DefinedObjects,
    private readonly result: AnalysisResult,
  ) {}

  /** Read means the findings depend on other documents of the file (result.readsDefinedObjects). */
  get definedObjects(): DefinedObjects {
    this.result.readsDefinedObjects = true;
    return this.objects();
  }
}

/** Whether Podstart reads documents of this kind: workloads and the kinds that carry kubelet configuration. */
export function isAnalysedKind(kind: string): boolean {
  return WORKLOAD_KIND_NAMES.has(kind) || KUBELET_CARRIER_KINDS.has(kind);
}

function shouldParse(kind: string | undefined): boolean {
  return kind === undefined || isAnalysedKind(kind);
}

/** Without defined objects from the front end, the file's own are read: their documents are parsed too. */
function shouldParseWithDefinitions(kind: string | undefined): boolean {
  return shouldParse(kind) || DEFINING_KINDS.has(kind!);
}

const JSON_KIND = /"kind"\s*:\s*"([A-Za-z0-9.-]+)"/g;

/**
 * Whether a JSON file holds something Podstart reads (a KubeletConfiguration, a workload from
 * `kubectl get -o json`), judged from its `"kind"` values without parsing: folders are full of
 * JSON that is not Kubernetes (package-lock.json), and parsing it all would cost seconds.
 */
export function isAnalysedJson(text: string): boolean {
  for (const match of text.matchAll(JSON_KIND)) if (isAnalysedKind(match[1])) return true;
  return false;
}

const NO_SETTINGS: PodstartSettings = {};

/**
 * Dockerfiles are read up to this size, whatever maxFileSize allows. The corpus's largest is 12 KB;
 * dockerfile-ast makes objects for every argument of an instruction, and the fuzzer's 1 MB
 * instruction of quote characters cost 2-9 s, mostly garbage collection (test/fuzz).
 */
const MAX_DOCKERFILE_SIZE = 256 * 1024;

/**
 * The rules of one kind that are on under these settings, with their resolved options: worked out
 * once per settings object (front ends pass the same object while nothing changed), not once per
 * file, which costs milliseconds over a repository.
 */
const enabledRulesMemo = new WeakMap<PodstartSettings, WeakMap<readonly Rule<any>[], Map<(rule: Rule<any>) => boolean, unknown>>>();
function enabledRulesOf<R extends Rule<any>>(rules: readonly Rule<any>[], settings: PodstartSettings, isKind: (rule: Rule<any>) => rule is R): Array<{ rule: R; setting: ResolvedRuleSetting }> {
  let bySettings = enabledRulesMemo.get(settings);
  if (!bySettings) enabledRulesMemo.set(settings, (bySettings = new WeakMap()));
  let byKind = bySettings.get(rules);
  if (!byKind) bySettings.set(rules, (byKind = new Map()));
  let found = byKind.get(isKind) as Array<{ rule: R; setting: ResolvedRuleSetting }> | undefined;
  if (!found) {
    found = [];
    for (const rule of rules) {
      if (!isKind(rule)) continue;
      const setting = resolveRuleSetting(rule, settings);
      if (setting.severity !== 'off') found.push({ rule, setting });
    }
    byKind.set(isKind, found);
  }
  return found;
}

export function analyzeText(input: AnalyzeInput): AnalysisResult {
  const { text, fileName } = input;
  const fileType = input.fileType ?? fileTypeOf(fileName);
  const settings = input.settings ?? NO_SETTINGS;
  const lines = new LineIndex(text);
  const findings: AnalyzedFinding[] = [];
  const fileFinding = (ruleId: string, severity: Severity, message: string, start: number, end: number) => pushFileFinding(findings, lines, ruleId, severity, message, start, end);
  const facts = recordingLookup(input.imageFacts ?? NO_IMAGE_FACTS);
  const result: AnalysisResult = { fileType, findings, workloadCount: 0, kubeletConfigCount: 0, chunks: [], lines, imageReferences: [], readsDefinedObjects: false };

  const maxFileSize = settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const limit = fileType === 'dockerfile' ? Math.min(maxFileSize, MAX_DOCKERFILE_SIZE) : maxFileSize;
  // A UTF-16 unit is at most 3 UTF-8 bytes: a text this short cannot be over the limit, and is not measured.
  const bytes = text.length > limit / 4 ? Buffer.byteLength(text) : 0;
  if (bytes > limit) {
    const message =
      limit === maxFileSize
        ? `File is ${(bytes / 1048576).toFixed(1)} MB, over podstart.maxFileSize (${(maxFileSize / 1048576).toFixed(1)} MB); Podstart did not analyse it.`
        : `Dockerfile is ${Math.round(bytes / 1024)} KB, over the ${MAX_DOCKERFILE_SIZE / 1024} KB Podstart reads in a Dockerfile (real ones are a few KB: generated data?); Podstart did not analyse it.`;
    fileFinding(FILE_DIAGNOSTICS.tooLarge, 'info', message, 0, Math.min(lines.lineEnd(0), text.length));
    return result;
  }
  // YAML forbids NUL (YAML 1.2.2, 5.1 Character Set: c-printable excludes #x0), and neither a
  // manifest nor a Dockerfile holds one: the file is binary data with a text name (an archive, an
  // image). Parsing it would only produce a screen of meaningless syntax errors.
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const at = lines.positionAt(nul);
    fileFinding(FILE_DIAGNOSTICS.binary, 'info', `This file holds binary data (a NUL byte at line ${at.line + 1}, column ${at.character + 1}), not text; Podstart did not analyse it.`, 0, Math.min(lines.lineEnd(0), text.length));
    return result;
  }

  const versionText = kubernetesVersionOf(settings);
  const version: KubernetesVersion = parseKubernetesVersion(versionText) ?? parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!;
  const enabledRules = <R extends Rule<any>>(isKind: (rule: Rule<any>) => rule is R) => enabledRulesOf(input.rules ?? ALL_RULES, settings, isKind);

  if (fileType === 'dockerfile') {
    const rules = enabledRules(isDockerfileRule);
    const analysis = analyzeDockerfile({ text, fileName, lines, rules, kubernetesVersion: version, imageFacts: facts.lookup, buildContext: input.buildContext });
    findings.push(...analysis.findings);
    result.dockerfile = analysis.model;
    result.imageReferences = [...facts.asked];
    return result;
  }
  const templateNotice = (flavor: TemplateFlavor) => {
    // Documents before the templated one were analysed: none of that stands for a template.
    findings.length = 0;
    result.workloadCount = 0;
    result.kubeletConfigCount = 0;
    result.readsDefinedObjects = false;
    fileFinding(FILE_DIAGNOSTICS.template, 'info', `This is a ${flavor} template, not the YAML the cluster receives; Podstart did not analyse it. Check the rendered output instead, for example: helm template . | podstart check -`, 0, lines.lineEnd(0));
    return result;
  };
  const template = detectTemplate(text, fileName);
  if (template) return templateNotice(template);

  const parseKind = input.definedObjects ? shouldParse : shouldParseWithDefinitions;
  // With a cache every document is parsed (or reused) at once and kept; otherwise each when reached (see keepDocuments).
  const cached = input.cache?.parse(text, parseKind);
  const split = cached ?? splitYamlDocuments(text);
  const parsedChunks: Array<YamlChunk | undefined> = cached ?? new Array(split.length);
  const chunkAt = (index: number): YamlChunk => (parsedChunks[index] ??= parseChunk(split[index], parseKind));
  const keepDocuments = input.keepDocuments === true || cached !== undefined;
  // What only a workload or a kubelet configuration needs is made when the first one is met: most
  // files of a repository (CRDs, RBAC, Services) have neither, and an install bundle's suppression
  // scan reads megabytes.
  let needs: { rules: Array<{ rule: ManifestRule<any>; setting: ResolvedRuleSetting }>; kubeletRules: Array<{ rule: KubeletRule<any>; setting: ResolvedRuleSetting }>; suppressions: FileSuppressions } | undefined;
  const needed = () =>
    (needs ??= {
      rules: enabledRules(isManifestRule),
      kubeletRules: enabledRules(isKubeletRule),
      suppressions: scanSuppressions(text),
    });
  // Read by the rules only for a pod that claims devices: made then, once.
  let fileObjects: DefinedObjects | undefined = input.definedObjects;
  const objectsOf = (chunk: YamlChunk | undefined) => (chunk?.doc && chunk.errors.length === 0 && mayDefineObjects(chunk.sniffedKind) && mentionsDefiningKind(chunk.text) ? definedObjectsOf(chunk.doc) : []);
  // The objects of the documents analysed so far, gathered as each is done (their trees may be gone).
  const objectsBefore: DefinedObject[] = [];
  let current = 0;
  // Documents after the current one are parsed ahead only if they may define objects (DRA kinds, Lists, kinds not sniffed).
  const definedObjects = () =>
    (fileObjects ??= [
      ...objectsBefore,
      ...split.slice(current).flatMap((raw, offset) => objectsOf(parsedChunks[current + offset] ?? (mentionsDefiningKind(raw.text) && mayDefineObjects(sniffKind(raw.text)) ? chunkAt(current + offset) : undefined))),
    ]);

  for (let index = 0; index < split.length; index++) {
    current = index;
    const chunk = chunkAt(index);
    // A templated document anywhere makes the file a template (core/templates.ts): say so, and nothing else.
    result.chunks.push(chunk);
    if (isTemplatedChunk(chunk)) return templateNotice(flavorOf(text));
    analyseChunk(chunk);
    // What it defines is noted, in case a later pod asks (definedObjects reads the documents from the current one on).
    if (fileObjects === undefined) objectsBefore.push(...objectsOf(chunk));
    if (!keepDocuments) {
      // Its tree is let go now that its rules have run (the chunk object is this call's own).
      parsedChunks[index] = undefined;
      chunk.doc = undefined;
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  result.imageReferences = [...facts.asked];
  return result;

  function analyseChunk(chunk: YamlChunk): void {
    if (chunk.errors.length > 0) {
      const error = chunk.errors[0];
      const count = chunk.errorCount ?? chunk.errors.length;
      const more = count > 1 ? ` (and ${count - 1} more error${count > 2 ? 's' : ''} in this document)` : '';
      fileFinding(FILE_DIAGNOSTICS.invalidYaml, 'error', `Invalid YAML: ${error.message}${more}. Podstart skipped this document; the file's other documents are still analysed.`, chunk.start + error.start, chunk.start + error.end);
      return;
    }
    const doc = chunk.doc;
    if (!doc) return;
    for (const duplicate of chunk.duplicateKeys) {
      fileFinding(FILE_DIAGNOSTICS.duplicateKey, 'error', `${duplicate.message}: the API server's strict field validation (kubectl's default) rejects this object, and decoders that accept it keep only the last value.`, chunk.start + duplicate.start, chunk.start + duplicate.end);
    }
    const edit = new ChunkEditor(text, chunk.start);
    for (const workload of findWorkloads(doc)) {
      const { rules, suppressions } = needed();
      result.workloadCount++;
      const objectIgnores = annotationSuppressions(workload);
      for (const { rule, setting } of rules) {
        const ruleId = rule.meta.id;
        if (isSuppressed(suppressions.file, ruleId) || isSuppressed(objectIgnores, ruleId)) continue;
        const report = (r: RuleReport) => {
          const span = nodeSpan(r.target as Node | Pair);
          if (!span) return;
          const start = chunk.start + span.start;
          const end = chunk.start + Math.max(span.end, span.start + 1);
          const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
          if (isSuppressed(suppressions.lines.get(range.start.line), ruleId)) return;
          findings.push({
            ruleId,
            severity: setting.severity as Severity,
            stage: rule.meta.stage,
            message: r.message,
            start,
            end,
            range,
            fixes: (r.fixes ?? []).filter((fix: Fix) => fix.edits.length > 0),
            object: { kind: workload.kind, name: workload.name },
            disable: {
              line: disableForLineEdit(text, lines, range.start.line, ruleId),
              object: disableForObjectEdit(workload, edit, ruleId),
            },
          });
        };
        try {
          rule.check(new CheckContext(workload, setting.options, version, facts.lookup, edit, report, definedObjects, result));
        } catch (error) {
          // A rule bug must cost one rule on one object, never the file.
          fileFinding(INTERNAL_ERROR, 'hint', `Podstart rule ${ruleId} failed on ${workload.kind} ${workload.name}: ${(error as Error).message}`, chunk.start, chunk.start + 1);
        }
      }
    }
    if (chunk.sniffedKind === undefined || KUBELET_CARRIER_KINDS.has(chunk.sniffedKind)) {
      const { kubeletRules, suppressions } = needed();
      result.kubeletConfigCount += analyzeKubeletConfigs({ doc, text, fileName, chunkStart: chunk.start, lines, rules: kubeletRules, suppressions, kubernetesVersion: version, findings });
    }
  }
}
