/**
 * Settings as the engine sees them, merged from three layers: rule defaults, the repository's
 * `.podstart.yaml`, and the editor's `podstart.*` settings (the editor wins: it is the user's
 * explicit, local choice).
 */
import type { Rule } from './rule';
import type { Severity, SeveritySetting } from './types';
import { DEFAULT_KUBERNETES_VERSION } from './kubernetes-version';

export type RuleSettingInput = SeveritySetting | { severity?: SeveritySetting; options?: Record<string, unknown> };

export interface PodstartSettings {
  kubernetesVersion?: string;
  /** Files larger than this many bytes are not parsed. */
  maxFileSize?: number;
  /** Glob patterns, relative to the configuration's folder, of files not to analyse. */
  ignore?: string[];
  rules?: Record<string, RuleSettingInput>;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface ResolvedRuleSetting {
  severity: SeveritySetting;
  options: Record<string, unknown>;
}

export function mergeSettings(...layers: Array<PodstartSettings | undefined>): PodstartSettings {
  const merged: PodstartSettings = { rules: {} };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.kubernetesVersion) merged.kubernetesVersion = layer.kubernetesVersion;
    if (layer.maxFileSize !== undefined) merged.maxFileSize = layer.maxFileSize;
    if (layer.ignore) merged.ignore = [...(merged.ignore ?? []), ...layer.ignore];
    for (const [id, input] of Object.entries(layer.rules ?? {})) {
      const before = normalize(merged.rules![id]);
      const after = normalize(input);
      merged.rules![id] = {
        severity: after.severity ?? before.severity,
        options: { ...before.options, ...after.options },
      };
    }
  }
  return merged;
}

function normalize(input: RuleSettingInput | undefined): { severity?: SeveritySetting; options: Record<string, unknown> } {
  if (input === undefined) return { options: {} };
  if (typeof input === 'string') return { severity: input, options: {} };
  return { severity: input.severity, options: input.options ?? {} };
}

export function resolveRuleSetting(rule: Rule<any>, settings: PodstartSettings): ResolvedRuleSetting {
  const configured = normalize(settings.rules?.[rule.meta.id]);
  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(rule.meta.options)) {
    options[name] = configured.options[name] ?? spec.default;
  }
  return { severity: configured.severity ?? rule.meta.defaultSeverity, options };
}

export function kubernetesVersionOf(settings: PodstartSettings): string {
  return settings.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
