/**
 * `.podstart.yaml`: the repository's Podstart settings (rule severities and options, ignored
 * paths, Kubernetes version). Parsed with `yaml` and validated with ajv against the schema shipped
 * in the package (schemas/podstart-config.schema.json). Every problem comes back with the source
 * range of the offending key or value, so the editor can underline it and the CLI can print
 * file:line:col. Valid parts of a file with problems still apply: one typo in a rule's options
 * does not throw away the rest of the configuration.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { minimatch } from 'minimatch';
import { isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import configSchema from '../schemas/podstart-config.schema.json';
import { LineIndex } from './line-index';
import { NestingTooDeepError, parseDocumentCapped } from './yaml-documents';
import { patternProblem } from './safe-pattern';
import type { PodstartSettings } from './settings';
import type { Range } from './types';

export const CONFIG_FILE_NAME = '.podstart.yaml';

export interface ConfigProblem {
  message: string;
  /** File offsets of the underlined text. */
  start: number;
  end: number;
  range: Range;
}

export interface ParsedConfig {
  settings: PodstartSettings;
  problems: ConfigProblem[];
}

// Editor-only keywords (markdownDescription, enumDescriptions) are documentation, not constraints.
// `format: regex` (a rule option that is a pattern) accepts only patterns that are valid and safe to run.
// Compiled on first use (most workspaces have no .podstart.yaml): compiling is a good part of the language server's start.
let compiled: ValidateFunction | undefined;
const configValidator = (): ValidateFunction =>
  (compiled ??= new Ajv({ allErrors: true, strict: false }).addFormat('regex', (pattern: string) => patternProblem(pattern) === undefined).compile(configSchema));

const SEVERITY_CHOICES = 'error, warning, info, hint or off';
/** Stands in a message for the offending text as written, filled in once it is located. */
const SOURCE_TEXT = '\u0000source\u0000';

/** Parses and validates a `.podstart.yaml` text. Never throws. */
export function parseConfigText(text: string): ParsedConfig {
  const lines = new LineIndex(text);
  const problems: ConfigProblem[] = [];
  const problem = (message: string, start: number, end: number) =>
    problems.push({ message, start, end, range: { start: lines.positionAt(start), end: lines.positionAt(end) } });

  let doc: Document.Parsed;
  try {
    doc = parseDocumentCapped(text, { uniqueKeys: true, prettyErrors: false }).doc;
  } catch (error) {
    // Nested too deep to parse without risking the process (core/yaml-documents.ts).
    const at = error instanceof NestingTooDeepError ? error.offset : 0;
    problem(`Invalid YAML: ${(error as Error).message}`, at, Math.min(text.length, at + 1) || 1);
    return { settings: {}, problems };
  }
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    // yaml marks some errors (a duplicate key) with one character: underline the whole token.
    const token = end - start <= 1 ? (/^[^\s:,[\]{}]+/.exec(text.slice(start))?.[0].length ?? 1) : end - start;
    problem(`Invalid YAML: ${error.message.split('\n')[0]}`, start, start + Math.max(token, 1));
  }
  if (doc.errors.length > 0) return { settings: {}, problems };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { settings: {}, problems };

  let value: unknown;
  try {
    // yaml's default alias limit bounds the expansion of an alias bomb.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    problem(`Cannot read the configuration: ${(error as Error).message}`, 0, Math.min(text.length, lines.lineEnd(0)) || 1);
    return { settings: {}, problems };
  }
  if (!isPlainObject(value)) {
    const [start, end] = spanOf(doc.contents as Node, text);
    problem('The configuration must be a map of settings (kubernetesVersion, maxFileSize, ignore, rules).', start, end);
    return { settings: {}, problems };
  }

  const rejected: string[][] = [];
  const validate = configValidator();
  if (!validate(value)) {
    for (const error of describeErrors(validate.errors ?? [], value)) {
      const [start, end] = locate(doc, text, error.path, error.keyOnly);
      problem(error.message.replace(SOURCE_TEXT, text.slice(start, end)), start, end);
      rejected.push(error.path);
    }
  }
  problems.sort((a, b) => a.start - b.start);
  return { settings: keepValid(value, rejected), problems };
}

interface DescribedError {
  message: string;
  /** Path of the key (keyOnly) or value the message is about. */
  path: string[];
  keyOnly: boolean;
}

/**
 * Turns ajv's errors into one message per problem. A rule setting is `anyOf` a severity string
 * or an object, so a bad value yields an error per branch; only the branch that matches the
 * value's type says something useful.
 */
function describeErrors(errors: ErrorObject[], value: Record<string, unknown>): DescribedError[] {
  const described = new Map<string, DescribedError>();
  const add = (error: DescribedError) => {
    const key = `${error.path.join('\0')}|${error.keyOnly}`;
    if (!described.has(key)) described.set(key, error);
  };
  for (const error of errors) {
    const at = instancePath(error.instancePath);
    const actual = valueAt(value, at);
    const inRuleSetting = at[0] === 'rules' && at.length >= 2;
    if (error.keyword === 'anyOf') continue;
    if (error.keyword === 'additionalProperties') {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      const message =
        at.length === 0
          ? `Unknown setting \`${name}\`. Podstart reads kubernetesVersion, maxFileSize, ignore and rules.`
          : at.length === 1 && at[0] === 'rules'
            ? `Unknown rule \`${name}\`. Run \`podstart rules\` for the list of rule ids.`
            : at.length === 3 && at[2] === 'options'
              ? `Rule \`${at[1]}\` has no option \`${name}\`.`
              : at.length === 2 && inRuleSetting
                ? `Unknown key \`${name}\` in the setting of rule \`${at[1]}\`: use \`severity\` and \`options\`.`
                : `Unknown key \`${name}\`.`;
      add({ message, path: [...at, name], keyOnly: true });
      continue;
    }
    if (inRuleSetting && at.length === 2) {
      // The rule setting itself has the wrong type or severity: keep the branch that matches its type.
      if (typeof actual === 'string' || !isPlainObject(actual)) {
        add({ message: `The setting of rule \`${at[1]}\` must be a severity (${SEVERITY_CHOICES}) or a map with \`severity\` and \`options\`, not ${show(actual)}.`, path: at, keyOnly: false });
      }
      continue;
    }
    if (inRuleSetting && at[2] === 'severity') {
      add({ message: `The severity of rule \`${at[1]}\` must be ${SEVERITY_CHOICES}, not ${show(actual)}.`, path: at, keyOnly: false });
      continue;
    }
    add({ message: messageFor(error, at, actual), path: at, keyOnly: false });
  }
  return [...described.values()];
}

function messageFor(error: ErrorObject, at: string[], actual: unknown): string {
  const where = at.join('.');
  if (where === 'kubernetesVersion') {
    if (typeof actual === 'number') return `Quote the Kubernetes version ("${SOURCE_TEXT}"): unquoted, YAML reads it as the number ${actual}.`;
    return `kubernetesVersion must be a Kubernetes release such as "1.33", not ${show(actual)}.`;
  }
  if (where === 'maxFileSize') return `maxFileSize must be a whole number of bytes (0 or more), not ${show(actual)}.`;
  if (at[0] === 'ignore') return at.length === 1 ? 'ignore must be a list of glob patterns.' : `Each ignore entry must be a non-empty glob pattern, not ${show(actual)}.`;
  if (at[0] === 'rules' && at[2] === 'options' && at.length === 4 && error.keyword === 'format' && typeof actual === 'string') return `Option \`${at[3]}\` of rule \`${at[1]}\` ${patternProblem(actual) ?? 'is invalid'}; the default is used.`;
  if (at[0] === 'rules' && at[2] === 'options' && at.length === 4) return `Option \`${at[3]}\` of rule \`${at[1]}\` ${describeExpectation(error)}, not ${show(actual)}.`;
  if (where === 'rules' || where === 'rules.' + (at[1] ?? '') + '.options') return `${where} must be a map.`;
  return `${where || 'The configuration'} ${describeExpectation(error)}.`;
}

/** Drops the settings that failed validation, keeping every valid one. */
function keepValid(value: Record<string, unknown>, rejected: string[][]): PodstartSettings {
  const isRejected = (...prefix: string[]) => rejected.some((path) => prefix.every((part, i) => path[i] === part));
  const settings: PodstartSettings = {};
  if (typeof value.kubernetesVersion === 'string' && !isRejected('kubernetesVersion')) settings.kubernetesVersion = value.kubernetesVersion;
  if (typeof value.maxFileSize === 'number' && !isRejected('maxFileSize')) settings.maxFileSize = value.maxFileSize;
  if (Array.isArray(value.ignore)) settings.ignore = value.ignore.filter((entry, i) => typeof entry === 'string' && !isRejected('ignore', String(i)));
  if (isPlainObject(value.rules)) {
    settings.rules = {};
    for (const [id, input] of Object.entries(value.rules)) {
      if (!isRejected('rules', id)) settings.rules[id] = input as never;
      else if (isPlainObject(input) && typeof input.severity === 'string' && !isRejected('rules', id, 'severity')) {
        // Only some options were bad: the severity still applies, the options fall back to defaults.
        settings.rules[id] = input.severity as never;
      }
    }
  }
  return settings;
}

/** Offsets of the value (or, for unknown keys, the key) at a path, falling back to the nearest parent. */
function locate(doc: Document, text: string, at: string[], keyOnly: boolean): [number, number] {
  let node: unknown = doc.contents;
  let lastKey: Node | undefined;
  for (const part of at) {
    if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    const next = isMap(node)
      ? items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === part)
      : items[Number(part)];
    if (next === undefined) break;
    if (isPair(next)) {
      lastKey = next.key as Node;
      node = next.value ?? next.key;
    } else {
      lastKey = undefined;
      node = next;
    }
  }
  const target = keyOnly && lastKey ? lastKey : (node as Node | undefined) ?? lastKey;
  return target ? spanOf(target, text) : [0, Math.max(1, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'))];
}

function spanOf(node: Node, text: string): [number, number] {
  const [start, valueEnd] = node.range ?? [0, text.length];
  return [start, Math.max(valueEnd, start + 1)];
}

function instancePath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(value: unknown, at: string[]): unknown {
  let current = value;
  for (const part of at) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
  return current;
}

function describeExpectation(error: ErrorObject): string {
  if (error.keyword === 'type') {
    const type = String((error.params as { type: string }).type);
    return `must be ${type === 'array' ? 'a list' : type === 'object' ? 'a map' : type === 'integer' ? 'a whole number' : `a ${type}`}`;
  }
  return error.message ?? 'is invalid';
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The nearest `.podstart.yaml` in `fromDir` or a folder above it, searching no higher than
 * `stopAt` (a workspace folder) when given, and the filesystem root otherwise.
 */
export function findConfigFile(fromDir: string, stopAt?: string): string | undefined {
  let dir = path.resolve(fromDir);
  const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether the config's `ignore` globs exclude a file. Patterns are relative to the config's folder
 * and work like .gitignore lines: a pattern without a slash matches a file or folder name at any
 * depth, a pattern matching a folder ignores everything in it, and a trailing slash is allowed.
 */
export function isIgnoredPath(filePath: string, configDir: string, ignore: readonly string[]): boolean {
  const relative = path.relative(configDir, filePath).split(path.sep).join('/');
  if (relative === '' || relative.startsWith('../') || path.isAbsolute(relative)) return false;
  const parts = relative.split('/');
  // The file itself and each folder it is in, relative to the config's folder.
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return ignore.some((raw) => {
    const pattern = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    if (!pattern) return false;
    const options = { dot: true, matchBase: !pattern.includes('/') };
    return candidates.some((candidate) => minimatch(candidate, pattern.replace(/^\//, ''), options));
  });
}
