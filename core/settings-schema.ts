/**
 * JSON schemas of Podstart's settings, built from the rule catalog so that they never drift from
 * it: the per-rule entry (a severity, or `{ severity, options }` with each rule's typed options)
 * serves both the editor's `podstart.rules` setting (package.json, scripts/generate-manifest.ts)
 * and the `.podstart.yaml` schema (schemas/podstart-config.schema.json, scripts/generate-config-schema.ts).
 */
import { KUBERNETES_VERSION_PATTERN } from './kubernetes-version';
import { targetOf, type Rule } from './rule';
import { STAGE_TITLES, type RuleOptionSpec } from './types';

export type JsonSchema = Record<string, unknown>;

export const SEVERITY_SETTING_SCHEMA: JsonSchema = {
  type: 'string',
  enum: ['error', 'warning', 'info', 'hint', 'off'],
  enumDescriptions: ['Shown as an error.', 'Shown as a warning.', 'Shown as information.', 'Shown as a hint (faded, no squiggle).', 'The rule does not run.'],
};

function optionSchema(spec: RuleOptionSpec): JsonSchema {
  const type = spec.type === 'string[]' ? { type: 'array', items: { type: 'string' } } : { type: spec.type };
  return { ...type, ...(spec.format ? { format: spec.format } : {}), default: spec.default, markdownDescription: spec.description };
}

/** One rule's setting: a severity, or an object with a severity and the rule's options. */
export function ruleSettingSchema(rule: Rule<any>): JsonSchema {
  const { meta } = rule;
  const options = Object.fromEntries(Object.entries(meta.options).map(([name, spec]) => [name, optionSchema(spec)]));
  const optionNames = Object.keys(options);
  return {
    markdownDescription: [
      `**${STAGE_TITLES[meta.stage]}**${{ manifest: '', dockerfile: ' · Dockerfiles', kubelet: ' · kubelet configuration' }[targetOf(rule)]} · default \`${meta.defaultSeverity}\`${meta.fixable ? ' · fixable' : ''}`,
      '',
      meta.description,
      '',
      `*Startup cost:* ${meta.startupCost}`,
    ].join('\n'),
    default: meta.defaultSeverity,
    anyOf: [
      SEVERITY_SETTING_SCHEMA,
      {
        type: 'object',
        properties: {
          severity: SEVERITY_SETTING_SCHEMA,
          options: {
            type: 'object',
            properties: options,
            additionalProperties: false,
            markdownDescription: optionNames.length > 0 ? `Options of \`${meta.id}\`: ${optionNames.map((name) => `\`${name}\``).join(', ')}.` : `\`${meta.id}\` has no options.`,
          },
        },
        additionalProperties: false,
      },
    ],
  };
}

/** `rules:` as a map from rule id (sorted, for stable output) to its setting. */
export function rulesPropertiesSchema(rules: readonly Rule<any>[]): Record<string, JsonSchema> {
  return Object.fromEntries([...rules].sort((a, b) => a.meta.id.localeCompare(b.meta.id)).map((rule) => [rule.meta.id, ruleSettingSchema(rule)]));
}

/** The schema of `.podstart.yaml`. */
export function configFileSchema(rules: readonly Rule<any>[]): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Podstart configuration (.podstart.yaml)',
    description: 'Repository-wide Podstart settings. Editor settings (podstart.*) override them.',
    type: 'object',
    properties: {
      kubernetesVersion: {
        type: 'string',
        pattern: KUBERNETES_VERSION_PATTERN,
        markdownDescription: 'The Kubernetes release your clusters run, as a string (`"1.33"`): advice that depends on the release follows it.',
      },
      maxFileSize: {
        type: 'integer',
        minimum: 0,
        markdownDescription: 'Files larger than this many bytes are not analysed (default 5242880, 5 MB).',
      },
      ignore: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        markdownDescription: 'Glob patterns, relative to this file\'s folder, of files Podstart does not analyse (`charts/**`, `vendor/`). A pattern without a slash matches a file or folder name at any depth.',
      },
      rules: {
        type: 'object',
        markdownDescription: 'Severity (`error`, `warning`, `info`, `hint`, `off`) or `{ severity, options }` per rule id.',
        properties: rulesPropertiesSchema(rules),
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  };
}
