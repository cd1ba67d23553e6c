/**
 * Writes schemas/kubelet-config.schema.json, the JSON schema (draft-07) of the kubelet's config
 * file (KubeletConfiguration, kubelet.config.k8s.io/v1beta1), from the upstream Go types vendored
 * in schemas/upstream/. core/kubelet/schema-validation.ts validates kubelet configs against it, and
 * the file suits redhat.vscode-yaml too: the top level applies the KubeletConfiguration schema only
 * to a document whose kind and apiVersion say so, and lets every other document pass, so one schema
 * can cover every document of a multi-document kubeadm file.
 *
 *   node --import tsx scripts/generate-kubelet-schema.ts           write the schema
 *   node --import tsx scripts/generate-kubelet-schema.ts --check   exit 1 if it is out of date
 *
 * test/kubelet/schema-validation.test.ts fails when the vendored types or this script change
 * without regenerating.
 *
 * The Go types give each field's name, type, description and default. What they do not say
 * (which strings a field accepts, the ranges the kubelet enforces, the syntax of durations and
 * quantities) is listed below with where it comes from: ENUMS, RANGES, VALUE_FORMATS,
 * DEFAULT_CORRECTIONS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import yaml from 'yaml';
import { parseGoFile, type GoField, type GoFile, type GoStruct } from './go-types';

export const KUBELET_SCHEMA_PATH = path.join(__dirname, '..', 'schemas', 'kubelet-config.schema.json');
const UPSTREAM_DIR = path.join(__dirname, '..', 'schemas', 'upstream');
const KUBELET_TYPES = 'kubelet-config-v1beta1-types.go';
const LOGS_TYPES = 'component-base-logs-v1-types.go';
const TRACING_TYPES = 'component-base-tracing-v1-types.go';

export const KUBELET_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
export const KUBELET_KIND = 'KubeletConfiguration';

type JsonSchema = Record<string, unknown>;

// --- Value syntaxes -------------------------------------------------------------------------

/**
 * Go's time.ParseDuration, which metav1.Duration uses: an optional sign, then one or more
 * decimal numbers each with a unit (ns, us, µs, μs, ms, s, m, h), or a bare "0". An empty
 * string is rejected ("time: invalid duration").
 */
export const GO_DURATION_PATTERN = '^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';
const GO_DURATION_MESSAGE = 'a Go duration such as "10s", "1m30s", "2h45m" or "0s": numbers each followed by a unit ns, us, ms, s, m or h';

/** apimachinery resource.ParseQuantity: a decimal number with an optional SI, binary-SI or exponent suffix. */
const QUANTITY = '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?';
const QUANTITY_PATTERN = `^${QUANTITY}$`;
const QUANTITY_MESSAGE = 'a quantity such as "100Mi", "1Gi", "500m" or "2"';

/** The eviction thresholds: a quantity, or a percentage (pkg/kubelet/eviction ParseThresholdConfig). */
const EVICTION_THRESHOLD_PATTERN = `^(${QUANTITY}|[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)%)$`;
const EVICTION_THRESHOLD_MESSAGE = 'a quantity such as "100Mi" or a percentage such as "10%"';

/** qosReserved: a whole percentage from 0% to 100% (pkg/kubelet/cm ParseQOSReserved). */
const PERCENTAGE_PATTERN = '^(100|[1-9]?[0-9])%$';
const PERCENTAGE_MESSAGE = 'a percentage from "0%" to "100%"';

const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const UINT32 = { minimum: 0, maximum: 4294967295 };

// --- What the Go types do not say -----------------------------------------------------------

interface EnumSource {
  values: (string | null)[];
  source: string;
}

/**
 * Fixed values of string fields typed only as `string` upstream. Typed string enums (a named type
 * with constants: ResourceChangeDetectionStrategy, ImagePullCredentialsVerificationPolicy,
 * MemoryReservationPolicy, KubeletAuthorizationMode) are read from the constants instead:
 *   configMapAndSecretChangeDetectionStrategy: Get, Cache, Watch
 *   imagePullCredentialsVerificationPolicy: NeverVerify, NeverVerifyPreloadedImages,
 *     NeverVerifyAllowlistedImages, AlwaysVerify
 *   memoryReservationPolicy: None, TieredReservation
 *   authorization.mode: AlwaysAllow, Webhook
 * Every value below whose source is the vendored file is checked to appear in it.
 */
const ENUMS: Record<string, EnumSource> = {
  'KubeletConfiguration.hairpinMode': {
    values: ['promiscuous-bridge', 'hairpin-veth', 'none'],
    source: 'types.go: the hairpinMode comment and the HairpinMode constants',
  },
  'KubeletConfiguration.topologyManagerPolicy': {
    values: ['none', 'best-effort', 'restricted', 'single-numa-node'],
    source: 'types.go: the topologyManagerPolicy comment and the *TopologyManagerPolicy constants',
  },
  'KubeletConfiguration.topologyManagerScope': {
    values: ['container', 'pod'],
    source: 'types.go: the topologyManagerScope comment and the *TopologyManagerScope constants',
  },
  'KubeletConfiguration.memoryManagerPolicy': {
    values: ['None', 'Static'],
    source: 'types.go: the NoneMemoryManagerPolicy and StaticMemoryManagerPolicy constants (the field comment says "none")',
  },
  'KubeletConfiguration.cgroupDriver': {
    values: ['cgroupfs', 'systemd'],
    source: 'types.go: the cgroupDriver comment ("cgroupfs or systemd")',
  },
  'MemorySwapConfiguration.swapBehavior': {
    values: ['', 'NoSwap', 'LimitedSwap'],
    source: 'types.go: the swapBehavior comment',
  },
  'KubeletConfiguration.enforceNodeAllocatable[]': {
    values: ['none', 'pods', 'system-reserved', 'system-reserved-compressible', 'kube-reserved', 'kube-reserved-compressible'],
    source: 'types.go: the enforceNodeAllocatable comment',
  },
  'KubeletConfiguration.cpuManagerPolicy': {
    values: ['none', 'static'],
    source: 'external: kubernetes.io "Control CPU Management Policies on the Node"; the kubelet defaults it to "none" (pkg/kubelet/apis/config/v1beta1/defaults.go)',
  },
  'LoggingConfiguration.format': {
    values: ['text', 'json'],
    source: 'component-base logs types.go: the DefaultLogFormat and JSONLogFormat constants',
  },
  'Taint.effect': {
    values: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
    source: 'external: core/v1 TaintEffect',
  },
};

interface Range {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

/**
 * Ranges from the field comments and from the kubelet's own checks
 * (pkg/kubelet/apis/config/validation/validation.go). For a field that is not a pointer, 0 means
 * "not set" and the kubelet puts its default in (port 0 becomes 10250), so 0 stays allowed there.
 */
const RANGES: Record<string, Range & { source: string }> = {
  'KubeletConfiguration.port': { minimum: 0, maximum: 65535, source: 'comment: 1..65535; 0 is unset (default 10250)' },
  'KubeletConfiguration.readOnlyPort': { minimum: 0, maximum: 65535, source: 'comment: 1..65535, 0 disables' },
  'KubeletConfiguration.healthzPort': { minimum: 0, maximum: 65535, source: 'comment: 1..65535, 0 disables' },
  'KubeletConfiguration.registryPullQPS': { minimum: 0, source: 'comment: not negative' },
  'KubeletConfiguration.registryBurst': { minimum: 0, source: 'comment: not negative' },
  'KubeletConfiguration.eventRecordQPS': { minimum: 0, source: 'comment: not negative' },
  'KubeletConfiguration.eventBurst': { minimum: 0, source: 'comment: not negative' },
  'KubeletConfiguration.oomScoreAdj': { minimum: -1000, maximum: 1000, source: 'comment: [-1000, 1000]' },
  'KubeletConfiguration.nodeLeaseDurationSeconds': { minimum: 0, source: 'comment: greater than 0; 0 is unset (default 40)' },
  'KubeletConfiguration.imageGCHighThresholdPercent': { minimum: 0, maximum: 100, source: 'comment: 0..100' },
  'KubeletConfiguration.imageGCLowThresholdPercent': { minimum: 0, maximum: 100, source: 'comment: 0..100' },
  'KubeletConfiguration.maxPods': { minimum: 0, source: 'comment: non-negative' },
  'KubeletConfiguration.nodeStatusMaxImages': { minimum: -1, source: 'comment: greater than -2' },
  'KubeletConfiguration.maxOpenFiles': { minimum: 0, source: 'comment: non-negative' },
  'KubeletConfiguration.kubeAPIQPS': { minimum: 0, source: 'validation.go: kubeAPIQPS must not be negative' },
  'KubeletConfiguration.kubeAPIBurst': { minimum: 0, source: 'comment: not negative' },
  'KubeletConfiguration.maxParallelImagePulls': { minimum: 1, source: 'validation.go: must be a positive number' },
  'KubeletConfiguration.podsPerCore': { minimum: 0, source: 'comment: non-negative' },
  'KubeletConfiguration.containerLogMaxWorkers': { minimum: 1, source: 'validation.go: greater than or equal to 1' },
  'KubeletConfiguration.memoryThrottlingFactor': {
    exclusiveMinimum: 0,
    maximum: 1,
    source: 'validation.go: greater than 0 and less than or equal to 1.0',
  },
  'UserNamespaces.idsPerPod': { multipleOf: 65536, exclusiveMaximum: 4294967296, source: 'comment: a multiple of 65536, less than 1<<32' },
};

/** Syntax of string values (and of map values) that the kubelet parses. */
const VALUE_FORMATS: Record<string, { pattern: string; message: string }> = {
  'KubeletConfiguration.containerLogMaxSize': { pattern: QUANTITY_PATTERN, message: QUANTITY_MESSAGE },
  'KubeletConfiguration.systemReserved{}': { pattern: QUANTITY_PATTERN, message: QUANTITY_MESSAGE },
  'KubeletConfiguration.kubeReserved{}': { pattern: QUANTITY_PATTERN, message: QUANTITY_MESSAGE },
  'KubeletConfiguration.evictionHard{}': { pattern: EVICTION_THRESHOLD_PATTERN, message: EVICTION_THRESHOLD_MESSAGE },
  'KubeletConfiguration.evictionSoft{}': { pattern: EVICTION_THRESHOLD_PATTERN, message: EVICTION_THRESHOLD_MESSAGE },
  'KubeletConfiguration.evictionMinimumReclaim{}': { pattern: EVICTION_THRESHOLD_PATTERN, message: EVICTION_THRESHOLD_MESSAGE },
  'KubeletConfiguration.evictionSoftGracePeriod{}': { pattern: GO_DURATION_PATTERN, message: GO_DURATION_MESSAGE },
  'KubeletConfiguration.qosReserved{}': { pattern: PERCENTAGE_PATTERN, message: PERCENTAGE_MESSAGE },
};

/**
 * Defaults where the comment is wrong or cannot be read as a value; `undefined` leaves the field
 * without a default. Checked against pkg/kubelet/apis/config/v1beta1/defaults.go.
 */
const DEFAULT_CORRECTIONS: Record<string, { value: unknown; reason: string }> = {
  'KubeletConfiguration.cpuManagerPolicy': { value: 'none', reason: 'the comment says "None"; defaults.go sets "none", the policy name' },
  'KubeletConfiguration.memoryManagerPolicy': { value: 'None', reason: 'the comment says "none"; defaults.go sets NoneMemoryManagerPolicy, "None"' },
  'KubeletConfiguration.podLogsDir': { value: '/var/log/pods', reason: 'the comment says "/var/log/pods/"; defaults.go sets DefaultPodLogsDir, "/var/log/pods"' },
  'KubeletConfiguration.logging': { value: undefined, reason: 'the comment gives "Format: text", see logging.format' },
  'LoggingConfiguration.format': { value: 'text', reason: 'from its comment: "default value of format is `text`"' },
};

// --- Go type to JSON schema ----------------------------------------------------------------

interface Packages {
  kubelet: GoFile;
  logs: GoFile;
  tracing: GoFile;
  kubeletText: string;
}

function readPackages(): Packages {
  const read = (name: string) => readFileSync(path.join(UPSTREAM_DIR, name), 'utf8');
  const kubeletText = read(KUBELET_TYPES);
  return { kubelet: parseGoFile(kubeletText), logs: parseGoFile(read(LOGS_TYPES)), tracing: parseGoFile(read(TRACING_TYPES)), kubeletText };
}

/** Types from outside the vendored files, and types whose JSON form their Go struct does not show. */
function externalTypeSchema(goType: string): JsonSchema | undefined {
  switch (goType) {
    case 'metav1.Duration':
      return { type: 'string', pattern: GO_DURATION_PATTERN, patternErrorMessage: GO_DURATION_MESSAGE };
    case 'TimeOrMetaDuration':
      // Its UnmarshalJSON takes a duration string or an integer number of nanoseconds.
      return { type: ['string', 'integer'], pattern: GO_DURATION_PATTERN, patternErrorMessage: GO_DURATION_MESSAGE };
    case 'resource.QuantityValue':
      // resource.Quantity decodes a JSON string or number.
      return { type: ['string', 'number'], pattern: QUANTITY_PATTERN, patternErrorMessage: QUANTITY_MESSAGE };
    case 'v1.ResourceList':
      return {
        type: 'object',
        additionalProperties: { type: ['string', 'number'], pattern: QUANTITY_PATTERN, patternErrorMessage: QUANTITY_MESSAGE },
      };
    case 'v1.Taint':
      return {
        type: 'object',
        description: 'A taint the node registers with (core/v1 Taint).',
        properties: {
          key: { type: 'string', description: 'The taint key.' },
          value: { type: 'string', description: 'The taint value.' },
          effect: { type: 'string', description: 'The effect of the taint on pods that do not tolerate it.', enum: [...ENUMS['Taint.effect'].values] },
          timeAdded: { type: ['string', 'null'], description: 'Must stay unset here: the kubelet rejects a registerWithTaints entry with timeAdded.' },
        },
        additionalProperties: false,
      };
    default:
      return undefined;
  }
}

class SchemaBuilder {
  constructor(private readonly packages: Packages) {}

  /** The schema of the named struct of the kubelet package, with every field. */
  structSchema(name: string, file: GoFile = this.packages.kubelet): JsonSchema {
    const struct = file.structs.get(name);
    if (!struct) throw new Error(`no struct ${name}`);
    const properties: Record<string, JsonSchema> = {};
    this.addFields(struct, file, properties);
    const schema: JsonSchema = { type: 'object' };
    const description = describe(struct.doc);
    if (description) schema.description = description;
    schema.properties = properties;
    schema.additionalProperties = false;
    return schema;
  }

  private addFields(struct: GoStruct, file: GoFile, properties: Record<string, JsonSchema>): void {
    for (const field of struct.fields) {
      if (field.embedded && field.jsonName === '') {
        this.addEmbedded(field, file, properties);
        continue;
      }
      properties[field.jsonName] = this.fieldSchema(struct.name, field, file);
    }
  }

  private addEmbedded(field: GoField, file: GoFile, properties: Record<string, JsonSchema>): void {
    if (field.goType === 'metav1.TypeMeta') {
      properties.apiVersion = { type: 'string', description: 'The API version of this object.' };
      properties.kind = { type: 'string', description: 'The kind of this object.' };
      return;
    }
    const embedded = file.structs.get(field.goType);
    if (!embedded) throw new Error(`no struct ${field.goType} to inline`);
    this.addFields(embedded, file, properties);
  }

  private fieldSchema(structName: string, field: GoField, file: GoFile): JsonSchema {
    const key = `${structName}.${field.jsonName}`;
    const pointer = field.goType.startsWith('*');
    const schema = this.typeSchema(field.goType.replace(/^\*/, ''), file, key);

    const range = RANGES[key];
    if (range) {
      const { source: _source, ...bounds } = range;
      delete schema.minimum;
      delete schema.maximum;
      Object.assign(schema, bounds);
    }
    const format = VALUE_FORMATS[key];
    if (format) Object.assign(schema, { pattern: format.pattern, patternErrorMessage: format.message });

    // encoding/json sets a pointer, map or slice to nil for null and leaves any other value as it
    // is, except a type with its own UnmarshalJSON: metav1.Duration then parses "" and fails.
    const nullable = pointer || field.goType !== 'metav1.Duration';
    if (nullable) allowNull(schema);

    // The field's own comment says more than the doc of its type ("logging specifies...").
    const described: JsonSchema = {};
    const description = describe(field.doc);
    if (description) {
      described.description = description;
      delete schema.description;
    }
    const value = defaultOf(key, field);
    if (value !== undefined) described.default = value;
    return { ...described, ...schema, 'x-go-name': field.goName };
  }

  /** The schema of a Go type; `key` names the field for the ENUMS and VALUE_FORMATS tables. */
  private typeSchema(goType: string, file: GoFile, key: string): JsonSchema {
    const external = externalTypeSchema(goType);
    if (external) return this.withEnum(external, key);
    if (goType.startsWith('*')) return this.typeSchema(goType.slice(1), file, key);
    if (goType.startsWith('[]')) {
      return { type: 'array', items: this.typeSchema(goType.slice(2), file, `${key}[]`) };
    }
    const map = /^map\[string\](.+)$/.exec(goType);
    if (map) {
      const values = this.typeSchema(map[1], file, `${key}{}`);
      const format = VALUE_FORMATS[`${key}{}`];
      if (format) Object.assign(values, { pattern: format.pattern, patternErrorMessage: format.message });
      return { type: 'object', additionalProperties: values };
    }
    switch (goType) {
      case 'bool':
        return { type: 'boolean' };
      case 'string':
        return this.withEnum({ type: 'string' }, key);
      case 'int32':
        return { type: 'integer', ...INT32 };
      case 'int64':
        return { type: 'integer' };
      case 'uint32':
        return { type: 'integer', ...UINT32 };
      case 'float64':
        return { type: 'number' };
    }
    const qualified = /^(logsapi|tracingapi)\.(\w+)$/.exec(goType);
    if (qualified) {
      const other = qualified[1] === 'logsapi' ? this.packages.logs : this.packages.tracing;
      return this.typeSchema(qualified[2], other, qualified[2]);
    }
    if (file.structs.has(goType)) return this.structSchema(goType, file);
    const named = file.namedTypes.get(goType);
    if (named) {
      const values = file.consts.filter((c) => c.goType === goType).map((c) => c.value);
      if (named.underlying === 'string' && values.length > 0) return { type: 'string', enum: values };
      return this.typeSchema(named.underlying, file, key);
    }
    throw new Error(`no JSON schema for the Go type ${goType} (${key})`);
  }

  private withEnum(schema: JsonSchema, key: string): JsonSchema {
    const enumSource = ENUMS[key];
    if (enumSource) schema.enum = [...enumSource.values];
    return schema;
  }
}

function allowNull(schema: JsonSchema): void {
  const types = schema.type instanceof Array ? (schema.type as string[]) : [schema.type as string];
  if (!types.includes('null')) schema.type = [...types, 'null'];
  if (schema.enum instanceof Array && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
}

// --- Doc comments ---------------------------------------------------------------------------

/** The first paragraph of a doc comment, without the `+marker` lines and the default. */
function describe(doc: string[]): string {
  const lines: string[] = [];
  for (const line of doc) {
    const text = line.trim();
    if (text === '' || /^Defaults?:/.test(text) || text.startsWith('+')) break;
    lines.push(text);
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

/** The value of a `Default:` line, or of the indented YAML block under `Default:`/`Defaults:`. */
function defaultOf(key: string, field: GoField): unknown {
  if (key in DEFAULT_CORRECTIONS) return DEFAULT_CORRECTIONS[key].value;
  const index = field.doc.findIndex((line) => /^Defaults?:/.test(line.trim()));
  if (index < 0) return undefined;
  const inline = field.doc[index].trim().replace(/^Defaults?:\s*/, '');
  if (inline === '') {
    const block: string[] = [];
    for (const line of field.doc.slice(index + 1)) {
      if (!/^\s/.test(line)) break;
      block.push(line);
    }
    return yaml.parse(block.join('\n'));
  }
  const value = inline.replace(/\s*\(.*\)\s*$/, '');
  if (value === 'nil') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    // A bare word ("None", "10s") is a string.
    return value;
  }
}

/** Every default read from a comment must be a valid value of its field. */
function checkDefaults(schema: JsonSchema, where: string): void {
  const ajv = new Ajv({ strict: false });
  const walk = (node: JsonSchema, at: string) => {
    if ('default' in node) {
      const { default: value, description: _d, ...rest } = node;
      if (!ajv.validate(rest, value)) throw new Error(`the default of ${at} (${JSON.stringify(value)}) does not fit its schema: ${ajv.errorsText()}`);
    }
    for (const [name, child] of Object.entries((node.properties as Record<string, JsonSchema>) ?? {})) walk(child, `${at}.${name}`);
    if (node.items) walk(node.items as JsonSchema, `${at}[]`);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties as JsonSchema, `${at}{}`);
  };
  walk(schema, where);
}

/** Each ENUMS value said to come from the vendored file must be there, quoted or in backticks. */
function checkEnumSources(kubeletText: string): void {
  for (const [key, { values, source }] of Object.entries(ENUMS)) {
    if (!source.startsWith('types.go')) continue;
    for (const value of values) {
      if (value === null || value === '') continue;
      const word = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (!new RegExp(`(^|[^\\w-])${word}($|[^\\w-])`, 'm').test(kubeletText)) {
        throw new Error(`${key}: "${value}" is not in ${KUBELET_TYPES}`);
      }
    }
  }
}

function upstreamCommit(text: string): string {
  return /^\/\/ Commit: (\w+)/m.exec(text)?.[1] ?? 'unknown';
}

export function buildKubeletSchema(): JsonSchema {
  const packages = readPackages();
  checkEnumSources(packages.kubeletText);
  const builder = new SchemaBuilder(packages);
  const kubeletConfiguration = builder.structSchema(KUBELET_KIND);
  // defaults.go turns serializeImagePulls off by itself when maxParallelImagePulls is above 1;
  // only an explicit `serializeImagePulls: true` then makes validation.go refuse to start.
  Object.assign(kubeletConfiguration, {
    if: { type: 'object', properties: { maxParallelImagePulls: { type: 'integer', minimum: 2 } }, required: ['maxParallelImagePulls'] },
    then: { properties: { serializeImagePulls: { not: { const: true } } } },
  });
  checkDefaults(kubeletConfiguration, KUBELET_KIND);

  const commit = upstreamCommit(packages.kubeletText);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${KUBELET_KIND} (${KUBELET_API_VERSION})`,
    description:
      `The kubelet's config file. Generated by Podstart (scripts/generate-kubelet-schema.ts) from the upstream Go types ` +
      `(kubernetes/kubernetes staging/src/k8s.io/kubelet/config/v1beta1/types.go at ${commit}, vendored in schemas/upstream/). ` +
      `Only a document with kind ${KUBELET_KIND} and apiVersion ${KUBELET_API_VERSION} is checked; any other document passes.`,
    if: {
      type: 'object',
      properties: { kind: { const: KUBELET_KIND }, apiVersion: { const: KUBELET_API_VERSION } },
      required: ['kind', 'apiVersion'],
    },
    then: { $ref: `#/definitions/${KUBELET_KIND}` },
    definitions: { [KUBELET_KIND]: kubeletConfiguration },
  };
}

export function renderKubeletSchema(): string {
  return `${JSON.stringify(buildKubeletSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const after = renderKubeletSchema();
  let before = '';
  try {
    before = readFileSync(KUBELET_SCHEMA_PATH, 'utf8');
  } catch {
    // Not written yet.
  }
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error('schemas/kubelet-config.schema.json is out of date: run npm run docs');
      process.exit(1);
    }
    console.log('schemas/kubelet-config.schema.json is up to date.');
  } else {
    if (before !== after) writeFileSync(KUBELET_SCHEMA_PATH, after);
    console.log(before === after ? 'schemas/kubelet-config.schema.json already up to date.' : 'schemas/kubelet-config.schema.json written.');
  }
}
