/**
 * Checks a kubelet config (KubeletConfiguration, kubelet.config.k8s.io/v1beta1) against
 * schemas/kubelet-config.schema.json, generated from the upstream Go types by
 * scripts/generate-kubelet-schema.ts, and says what is wrong in words a node admin acts on:
 * the field, what it takes, what it got, and the field or value that was probably meant.
 *
 * Pure: the caller parses the file (YAML or JSON) and maps each problem's path to a range. A value
 * whose kind and apiVersion are not KubeletConfiguration and kubelet.config.k8s.io/v1beta1 passes.
 *
 * What the kubelet does with each kind of problem decides its severity:
 * - An unknown field (a typo, a Go field name, a field of another release) is a warning: since
 *   Kubernetes 1.17 (kubernetes/kubernetes#83204) the kubelet decodes its config strictly first
 *   and, when only unknown or duplicate fields fail, decodes v1beta1 again leniently, logs
 *   "Using lenient decoding as strict decoding failed" and starts without those fields
 *   (pkg/kubelet/kubeletconfig/util/codec DecodeKubeletConfiguration). The setting has no effect.
 * - A value of the wrong type fails both decodings: the kubelet does not load the file and exits.
 * - A value outside its enum, syntax or range fails the kubelet's validation at start-up.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import kubeletSchema from '../../schemas/kubelet-config.schema.json';
import { editDistance } from '../edit-distance';

export interface KubeletSchemaProblem {
  /** Keys and list indices from the top of the config to the field or value at fault. */
  path: (string | number)[];
  /** True: underline the key (an unknown field); false: underline the value. */
  atKey: boolean;
  message: string;
  severity: 'error' | 'warning';
  /** The field name (for an unknown key) or value (for an enum) that was probably meant: what a fix writes instead. */
  replacement?: string;
  /** A problem that a dedicated rule reports with more to say (and a fix): the schema rule leaves it to that rule. */
  coveredBy?: string;
}

/** The rule that reports `serializeImagePulls: true` beside `maxParallelImagePulls` ≥ 2, and a bound below 1. */
const PARALLEL_PULLS_RULE = 'kubelet-parallel-pulls-while-serial';

/** Top-level fields whose out-of-range values a dedicated rule reports, with what they mean at startup. */
const RANGES_COVERED_BY: Readonly<Record<string, string>> = {
  maxParallelImagePulls: PARALLEL_PULLS_RULE,
  memoryThrottlingFactor: 'kubelet-memory-throttling-factor',
};

// verbose: each error carries the schema it broke, whose enum, bounds and patternErrorMessage the
// messages quote. strict: false because x-go-name and patternErrorMessage are annotations.
// Compiled on first use: compiling takes a good part of the language server's start, and most workspaces have no kubelet configuration.
let compiled: ValidateFunction | undefined;
const schemaValidator = (): ValidateFunction => (compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(kubeletSchema));

const IGNORED_UNKNOWN_FIELD =
  'The kubelet ignores fields it does not know: it logs "Using lenient decoding as strict decoding failed" and starts without this setting.';
const FAILS_TO_LOAD = 'The kubelet cannot load a config file with a value of the wrong type and does not start.';

interface PropertySchema {
  'x-go-name'?: string;
}

/** Problems of a parsed kubelet config; none when it is valid or is not a KubeletConfiguration. */
export function validateKubeletConfiguration(value: unknown): KubeletSchemaProblem[] {
  const validateSchema = schemaValidator();
  if (validateSchema(value)) return [];
  // Several errors can hit one value (a string where an integer with bounds belongs): keep the one
  // that says the most, the type before the enum before the syntax before the bounds.
  const best = new Map<string, { rank: number; problem: KubeletSchemaProblem }>();
  for (const error of validateSchema.errors ?? []) {
    const described = describe(error, value);
    if (!described) continue;
    const id = JSON.stringify([described.problem.path, described.problem.atKey]);
    const current = best.get(id);
    if (!current || described.rank < current.rank) best.set(id, described);
  }
  const order = documentOrder(value);
  const position = (problem: KubeletSchemaProblem) => order.get(JSON.stringify(problem.path)) ?? Number.MAX_SAFE_INTEGER;
  return [...best.values()].map((entry) => entry.problem).sort((a, b) => position(a) - position(b));
}

/** The position of every key and list item in a depth-first walk of the value: the order of the file. */
function documentOrder(root: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (node: unknown, path: (string | number)[]) => {
    order.set(JSON.stringify(path), order.size);
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...path, index]));
    else if (node !== null && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(root, []);
  return order;
}

function describe(error: ErrorObject, root: unknown): { rank: number; problem: KubeletSchemaProblem } | undefined {
  const path = instancePath(error.instancePath, root);
  const parentSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const field = `"${label(path)}"`;
  const valueProblem = (rank: number, message: string) => ({ rank, problem: { path, atKey: false, message, severity: 'error' as const } });

  switch (error.keyword) {
    case 'if':
      // The other half of an if/then reports the real problem.
      return undefined;
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const properties = (parentSchema.properties ?? {}) as Record<string, PropertySchema>;
      const where = path.length === 0 ? 'KubeletConfiguration' : label(path);
      const suggestion = fieldSuggestion(key, properties);
      return {
        rank: 0,
        problem: {
          path: [...path, key],
          atKey: true,
          message: `Unknown field "${key}" in ${where}${suggestion.text} ${IGNORED_UNKNOWN_FIELD}`,
          severity: 'warning',
          ...(suggestion.name === undefined ? {} : { replacement: suggestion.name }),
        },
      };
    }
    case 'type':
      return valueProblem(0, `${field} must be ${expectedType(parentSchema)} (got ${describeValue(error.data)})${typeHint(parentSchema, error.data)} ${FAILS_TO_LOAD}`);
    case 'enum': {
      const allowed = ((parentSchema.enum ?? []) as unknown[]).filter((v) => v !== null);
      const got = error.data;
      const suggestion = typeof got === 'string' ? nearest(got, allowed.map(String)) : undefined;
      const described = valueProblem(
        1,
        `${field} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(got)})` +
          (suggestion ? `: did you mean "${suggestion}"?` : '.'),
      );
      return suggestion === undefined ? described : { ...described, problem: { ...described.problem, replacement: suggestion } };
    }
    case 'not':
      if (path.length === 1 && path[0] === 'serializeImagePulls') {
        const described = valueProblem(1, serializedPullsMessage(root));
        return { ...described, problem: { ...described.problem, coveredBy: PARALLEL_PULLS_RULE } };
      }
      return valueProblem(4, `${field} is not allowed here.`);
    case 'pattern': {
      const syntax = (parentSchema.patternErrorMessage as string | undefined) ?? `a string matching ${String(parentSchema.pattern)}`;
      return valueProblem(2, `${field} must be ${syntax} (got ${JSON.stringify(error.data)}).`);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf': {
      const described = valueProblem(3, `${field} must be ${bounds(parentSchema)} (got ${JSON.stringify(error.data)}).`);
      const coveredBy = path.length === 1 ? RANGES_COVERED_BY[String(path[0])] : undefined;
      return coveredBy ? { ...described, problem: { ...described.problem, coveredBy } } : described;
    }
    default:
      return valueProblem(4, `${field} ${error.message ?? 'is not valid'}.`);
  }
}

function serializedPullsMessage(root: unknown): string {
  const pulls = (root as { maxParallelImagePulls?: unknown }).maxParallelImagePulls;
  return (
    `"serializeImagePulls: true" contradicts "maxParallelImagePulls: ${String(pulls)}": the kubelet refuses to start ` +
    '("maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls is set to false"). ' +
    'Set serializeImagePulls to false, or remove it: it then defaults to false.'
  );
}

// --- Paths and labels -----------------------------------------------------------------------

/** Ajv's JSON pointer as keys and list indices, following the value to tell one from the other. */
function instancePath(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

/** `authentication.webhook.enabled`, `registerWithTaints[0].effect`, `evictionHard[memory.available]`. */
function label(path: (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${segment}]`;
  }
  return text;
}

// --- Types ----------------------------------------------------------------------------------

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
};

function expectedTypes(schema: Record<string, unknown>): string[] {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
  return types.filter((type) => type !== 'null');
}

function expectedType(schema: Record<string, unknown>): string {
  const types = expectedTypes(schema);
  // A duration or quantity is a string with a syntax: name the syntax, not just "a string".
  if (types[0] === 'string' && typeof schema.patternErrorMessage === 'string') return schema.patternErrorMessage;
  return types.map((type) => TYPE_NAMES[type] ?? type).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string ${JSON.stringify(value)}`;
    case 'number':
      return `a number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'a map';
    default:
      return typeof value;
  }
}

/** The edit that fixes the common cases: quotes around a number, or none around a string. */
function typeHint(schema: Record<string, unknown>, value: unknown): string {
  const types = expectedTypes(schema);
  if (typeof value === 'string') {
    const numeric = /^[+-]?\d+(\.\d+)?$/.test(value.trim());
    if (numeric && (types.includes('integer') || types.includes('number'))) return `: write ${value.trim()} without quotes.`;
    if ((value === 'true' || value === 'false') && types.includes('boolean')) return `: write ${value} without quotes.`;
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && types.includes('string')) return `: quote it, "${String(value)}".`;
  return '.';
}

function bounds(schema: Record<string, unknown>): string {
  const parts: string[] = [];
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema as Record<string, number | undefined>;
  if (minimum !== undefined && maximum !== undefined) parts.push(`between ${minimum} and ${maximum}`);
  else if (minimum !== undefined) parts.push(`at least ${minimum}`);
  else if (exclusiveMinimum !== undefined) parts.push(`greater than ${exclusiveMinimum}`);
  if (maximum !== undefined && minimum === undefined) parts.push(`at most ${maximum}`);
  if (exclusiveMaximum !== undefined) parts.push(`less than ${exclusiveMaximum}`);
  if (multipleOf !== undefined) parts.push(`a multiple of ${multipleOf}`);
  return parts.join(' and ');
}

// --- Did you mean ---------------------------------------------------------------------------

/** The known field an unknown key most likely meant, and ` : did you mean "x"?` (or '.') to say so. */
function fieldSuggestion(key: string, properties: Record<string, PropertySchema>): { name?: string; text: string } {
  const lower = key.toLowerCase();
  for (const [name, schema] of Object.entries(properties)) {
    // The Go field name (ResolverConfig for resolvConf) is a frequent mistake: the file takes the JSON name.
    const goName = schema['x-go-name'];
    if (goName && goName.toLowerCase() === lower && name.toLowerCase() !== lower) {
      return { name, text: `: did you mean "${name}"? ${goName} is the kubelet's Go name for the field "${name}".` };
    }
  }
  const suggestion = nearest(key, Object.keys(properties));
  return { name: suggestion, text: suggestion ? `: did you mean "${suggestion}"?` : '.' };
}

/** The candidate equal to `word` but for case, or else the nearest by edit distance if close enough. */
function nearest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameButCase = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameButCase !== undefined) return sameButCase;
  // Up to one edit for short names, up to three for long ones: "serializeImagePull", "enabledd".
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 4)));
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
