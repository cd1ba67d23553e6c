/**
 * The engine: one pass over a file's text that yields every finding, with exact ranges,
 * severities from the settings, suppressions applied, and the fixes that go with each.
 */
import type { Node, Pair } from 'yaml';
import { ALL_RULES } from '../rules';
import { ChunkEditor } from './edits';
import { parseKubernetesVersion, type KubernetesVersion, DEFAULT_KUBERNETES_VERSION } from './kubernetes-version';
import { LineIndex } from './line-index';
import type { Rule, RuleReport } from './rule';
import { DEFAULT_MAX_FILE_SIZE, kubernetesVersionOf, resolveRuleSetting, type PodstartSettings } from './settings';
import { annotationSuppressions, disableForLineEdit, disableForObjectEdit, isSuppressed, scanSuppressions } from './suppression';
import { detectTemplate, flavorOf, isTemplatedChunk, type TemplateFlavor } from './templates';
import type { Finding, Fix, Severity, TextEdit } from './types';
import { findWorkloads, WORKLOAD_KIND_NAMES } from './workload';
import { DocumentParseCache, type YamlChunk } from './yaml-documents';
import { nodeSpan } from './yaml-nodes';

/** Diagnostics about the file itself rather than a rule. */
export const FILE_DIAGNOSTICS = {
  invalidYaml: 'invalid-yaml',
  duplicateKey: 'duplicate-key',
  template: 'template-file',
  tooLarge: 'file-too-large',
  badSetting: 'invalid-setting',
} as const;

export interface AnalyzedFinding extends Finding {
  /** Edits that silence this finding: on its line, or (for workloads) on its object. */
  disable?: { line: TextEdit; object?: TextEdit };
}

export interface AnalyzeInput {
  text: string;
  fileName?: string;
  settings?: PodstartSettings;
  /** Reused between calls for the same file, so unchanged documents are not parsed again. */
  cache?: DocumentParseCache;
  rules?: readonly Rule<any>[];
}

export interface AnalysisResult {
  findings: AnalyzedFinding[];
  /** Number of workloads analysed (for status and reports). */
  workloadCount: number;
  chunks: YamlChunk[];
  lines: LineIndex;
}

function shouldParse(kind: string | undefined): boolean {
  return kind === undefined || WORKLOAD_KIND_NAMES.has(kind);
}

export function analyzeText(input: AnalyzeInput): AnalysisResult {
  const { text, fileName } = input;
  const settings = input.settings ?? {};
  const lines = new LineIndex(text);
  const findings: AnalyzedFinding[] = [];
  const fileFinding = (ruleId: string, severity: Severity, message: string, start: number, end: number) => {
    findings.push({ ruleId, severity, message, start, end, range: { start: lines.positionAt(start), end: lines.positionAt(end) }, fixes: [] });
  };
  const result: AnalysisResult = { findings, workloadCount: 0, chunks: [], lines };

  const maxFileSize = settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (text.length > maxFileSize / 4 && Buffer.byteLength(text) > maxFileSize) {
    fileFinding(FILE_DIAGNOSTICS.tooLarge, 'info', `File is ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB, over podstart.maxFileSize (${(maxFileSize / 1048576).toFixed(1)} MB); Podstart did not analyse it.`, 0, Math.min(lines.lineEnd(0), text.length));
    return result;
  }
  const templateNotice = (flavor: TemplateFlavor) => {
    findings.length = 0;
    fileFinding(FILE_DIAGNOSTICS.template, 'info', `This is a ${flavor} template, not the YAML the cluster receives; Podstart did not analyse it. Check the rendered output instead, for example: helm template . | podstart check -`, 0, lines.lineEnd(0));
    return result;
  };
  const template = detectTemplate(text, fileName);
  if (template) return templateNotice(template);

  const versionText = kubernetesVersionOf(settings);
  const version: KubernetesVersion = parseKubernetesVersion(versionText) ?? parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!;
  const rules = (input.rules ?? ALL_RULES).map((rule) => ({ rule, setting: resolveRuleSetting(rule, settings) })).filter(({ setting }) => setting.severity !== 'off');
  const suppressions = scanSuppressions(text);
  const chunks = (input.cache ?? new DocumentParseCache()).parse(text, shouldParse);
  result.chunks = chunks;
  if (chunks.some(isTemplatedChunk)) return templateNotice(flavorOf(text));

  for (const chunk of chunks) {
    if (chunk.errors.length > 0) {
      const error = chunk.errors[0];
      const more = chunk.errors.length > 1 ? ` (and ${chunk.errors.length - 1} more error${chunk.errors.length > 2 ? 's' : ''} in this document)` : '';
      fileFinding(FILE_DIAGNOSTICS.invalidYaml, 'error', `Invalid YAML: ${error.message}${more}. Podstart skipped this document; the file's other documents are still analysed.`, chunk.start + error.start, chunk.start + error.end);
      continue;
    }
    if (!chunk.doc) continue;
    for (const duplicate of chunk.duplicateKeys) {
      fileFinding(FILE_DIAGNOSTICS.duplicateKey, 'error', `${duplicate.message}: the API server's strict field validation (kubectl's default) rejects this object, and decoders that accept it keep only the last value.`, chunk.start + duplicate.start, chunk.start + duplicate.end);
    }
    const edit = new ChunkEditor(text, chunk.start);
    for (const workload of findWorkloads(chunk.doc)) {
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
          rule.check({ workload, options: setting.options, kubernetesVersion: version, edit, report });
        } catch (error) {
          // A rule bug must cost one rule on one object, never the file.
          fileFinding('internal-error', 'hint', `Podstart rule ${ruleId} failed on ${workload.kind} ${workload.name}: ${(error as Error).message}`, chunk.start, chunk.start + 1);
        }
      }
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return result;
}
