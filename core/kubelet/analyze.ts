/**
 * Runs the kubelet rules over the kubelet configurations of one parsed document and turns their
 * reports into findings: severities from the settings, suppression comments applied, a rule that
 * throws costing only that rule. The engine (core/analyze.ts) calls this for every document beside
 * the workload rules.
 */
import type { Document } from 'yaml';
import { FILE_DIAGNOSTICS, INTERNAL_ERROR, pushFileFinding, type AnalyzedFinding } from '../findings';
import type { KubernetesVersion } from '../kubernetes-version';
import type { LineIndex } from '../line-index';
import type { KubeletRule, KubeletRuleReport } from '../rule';
import { SEVERITIES, type ResolvedRuleSetting } from '../settings';
import { disableForLineEdit, isSuppressed, type FileSuppressions } from '../suppression';
import type { Fix, Severity } from '../types';
import { findKubeletConfigs } from './locate';

export interface KubeletAnalysisInput {
  doc: Document;
  text: string;
  fileName?: string;
  chunkStart: number;
  lines: LineIndex;
  rules: ReadonlyArray<{ rule: KubeletRule<any>; setting: ResolvedRuleSetting }>;
  suppressions: FileSuppressions;
  kubernetesVersion: KubernetesVersion;
  findings: AnalyzedFinding[];
}

/** The milder of two severities (SEVERITIES runs from the most severe). */
function lessSevere(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

/** Analyses the document's kubelet configurations; returns how many it found. */
export function analyzeKubeletConfigs(input: KubeletAnalysisInput): number {
  const { text, lines, findings, suppressions } = input;
  const found = findKubeletConfigs(input.doc, text, input.chunkStart, input.fileName);
  for (const problem of found.problems) {
    pushFileFinding(findings, lines, FILE_DIAGNOSTICS.invalidYaml, 'error', problem.message, problem.start, problem.end);
  }
  for (const config of found.configs) {
    for (const { rule, setting } of input.rules) {
      const ruleId = rule.meta.id;
      if (isSuppressed(suppressions.file, ruleId)) continue;
      const report = (r: KubeletRuleReport) => {
        const start = r.target.start;
        const end = Math.max(r.target.end, start + 1);
        const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
        if (isSuppressed(suppressions.lines.get(range.start.line), ruleId)) return;
        findings.push({
          ruleId,
          severity: r.severity ? lessSevere(setting.severity as Severity, r.severity) : (setting.severity as Severity),
          stage: rule.meta.stage,
          message: r.message,
          start,
          end,
          range,
          fixes: (r.fixes ?? []).filter((fix: Fix) => fix.edits.length > 0),
          object: config.object,
          disable: { line: disableForLineEdit(text, lines, range.start.line, ruleId) },
        });
      };
      try {
        rule.check({ config, options: setting.options, kubernetesVersion: input.kubernetesVersion, report });
      } catch (error) {
        pushFileFinding(findings, lines, INTERNAL_ERROR, 'hint', `Podstart rule ${ruleId} failed on ${config.label}: ${(error as Error).message}`, config.anchor.start, config.anchor.end);
      }
    }
  }
  return found.configs.length;
}
