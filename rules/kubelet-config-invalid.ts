import { validateKubeletConfiguration } from '../core/kubelet/schema-validation';
import { defineKubeletRule, type KubeletRuleReport } from '../core/rule';
import type { Fix } from '../core/types';

/**
 * A kubelet configuration that does not match the KubeletConfiguration schema of its API version
 * (schemas/kubelet-config.schema.json, generated from the kubelet's Go types). What the kubelet does
 * decides the severity: a value of the wrong type, outside its enum, syntax or range stops the
 * kubelet from starting (error); an unknown field is dropped with a log line, so the setting
 * silently does nothing (warning) — a misspelt `serializeImagePull` leaves pulls serial.
 *
 * Kind patches and nodeadm's `spec.kubelet.config` hold KubeletConfiguration fields without the
 * kind and apiVersion (or with only the kind): they are checked as one. Flags are not configuration
 * documents and are not checked here.
 */
const KUBELET_TYPE = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' };

export default defineKubeletRule({
  meta: {
    id: 'kubelet-config-invalid',
    stage: 'scheduling',
    defaultSeverity: 'error',
    description: 'A KubeletConfiguration field the kubelet ignores (unknown or misspelt, with a "did you mean") or a value it refuses (wrong type, enum, duration or quantity syntax, range).',
    startupCost: 'A refused value stops the kubelet at start, so the node never becomes Ready and 100% of the pods meant for it wait; an ignored field leaves its setting at the default (a misspelt serializeImagePulls keeps every pull serial).',
    fixable: true,
    options: {},
  },
  check({ config, report }) {
    const source = config.schemaSource;
    const value = source?.value;
    if (!source || value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const typed = config.form === 'kubelet-configuration' ? value : { ...value, ...KUBELET_TYPE };
    for (const problem of validateKubeletConfiguration(typed)) {
      if (problem.coveredBy) continue;
      const target = source.spanOf(problem.path, problem.atKey);
      if (!target) continue;
      const finding: KubeletRuleReport = { target, message: problem.message, severity: problem.severity };
      const edits = problem.replacement === undefined ? undefined : source.replaceAt(problem.path, problem.atKey, problem.replacement);
      // Not safe for "fix all": a renamed key starts to take effect, which is the point but deserves a look.
      const fix: Fix | undefined = edits && { title: problem.atKey ? `Rename to ${problem.replacement}` : `Change to ${problem.replacement}`, edits, safe: false };
      report(fix ? { ...finding, fixes: [fix] } : finding);
    }
  },
});
