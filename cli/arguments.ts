/**
 * The command line, parsed and validated before any file is read: a mistake here is a usage
 * error (exit 2) that names the offending argument, never a half-run check.
 */
import { parseKubernetesVersion } from '../core/kubernetes-version';
import type { Severity, SeveritySetting } from '../core/types';
import { findRule } from '../rules';

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'never';

export interface CheckOptions {
  /** As given on the command line; `-` is standard input. Empty: the current folder. */
  paths: string[];
  format: OutputFormat;
  failOn: FailOn;
  fix: boolean;
  /** `--config FILE`: one configuration for every file instead of the nearest `.podstart.yaml`. */
  configPath?: string;
  kubernetesVersion?: string;
  maxFileSize?: number;
  /** `--rule id=severity`, in order; a later one for the same id wins. */
  ruleSeverities: Record<string, SeveritySetting>;
  /** `--no-color`: colours are also off when stdout is not a terminal or NO_COLOR is set. */
  noColor: boolean;
  /** Report only the findings that fail the run (at or above --fail-on; errors with `never`). */
  quiet: boolean;
  /** Name of standard input's content, for config lookup, ignore globs and display. */
  stdinFilename?: string;
}

export type Command =
  | { name: 'check'; options: CheckOptions }
  | { name: 'rules'; format: 'text' | 'json' }
  | { name: 'help'; topic?: 'check' | 'rules' }
  | { name: 'version' };

/** A mistake in the command line: reported with the usage hint, exit code 2. */
export class UsageError extends Error {}

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'hint', 'never'];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'hint', 'off'];

function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${choices.join(', ')}, not "${value}".`);
}

function parseRuleSetting(value: string): [string, SeveritySetting] {
  const match = /^([^=\s]+)=([^=\s]+)$/.exec(value.trim());
  if (!match) throw new UsageError(`--rule takes id=severity (for example --rule mutable-image-tag=error), not "${value}".`);
  const [, id, severity] = match;
  if (!findRule(id)) throw new UsageError(`--rule: unknown rule "${id}". Run \`podstart rules\` for the list of rule ids.`);
  return [id, oneOf(`--rule: the severity of ${id}`, severity, SEVERITY_SETTINGS)];
}

function parseByteCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--max-file-size takes a whole number of bytes (for example 5242880), not "${value}".`);
  return Number(value.trim());
}

/** Options of `podstart check`: whether each takes a value, and how it lands in the options. */
const CHECK_OPTIONS: Record<string, { value: boolean; apply(options: CheckOptions, value: string): void }> = {
  '--format': { value: true, apply: (o, v) => (o.format = oneOf('--format', v, FORMATS)) },
  '--fail-on': { value: true, apply: (o, v) => (o.failOn = oneOf('--fail-on', v, FAIL_ON)) },
  '--fix': { value: false, apply: (o) => (o.fix = true) },
  '--config': { value: true, apply: (o, v) => (o.configPath = v) },
  '--kubernetes-version': {
    value: true,
    apply: (o, v) => {
      if (!parseKubernetesVersion(v)) throw new UsageError(`--kubernetes-version takes a release such as 1.33, not "${v}".`);
      o.kubernetesVersion = v.trim();
    },
  },
  '--rule': {
    value: true,
    apply: (o, v) => {
      const [id, severity] = parseRuleSetting(v);
      o.ruleSeverities[id] = severity;
    },
  },
  '--max-file-size': { value: true, apply: (o, v) => (o.maxFileSize = parseByteCount(v)) },
  '--no-color': { value: false, apply: (o) => (o.noColor = true) },
  '--quiet': { value: false, apply: (o) => (o.quiet = true) },
  '--stdin-filename': {
    value: true,
    apply: (o, v) => {
      if (!v) throw new UsageError('--stdin-filename needs a file name.');
      o.stdinFilename = v;
    },
  },
};

interface SplitArguments {
  positionals: string[];
  options: Array<{ name: string; value?: string }>;
}

/** Separates `--name value`, `--name=value` and positionals; `--` ends the options. */
function split(argv: readonly string[], takesValue: (name: string) => boolean | undefined): SplitArguments {
  const result: SplitArguments = { positionals: [], options: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      result.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      result.positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    const inline = arg.startsWith('--') && equals !== -1 ? arg.slice(equals + 1) : undefined;
    const needsValue = takesValue(name);
    if (needsValue === undefined) throw new UsageError(`Unknown option ${name}.`);
    if (!needsValue) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value.`);
      result.options.push({ name });
      continue;
    }
    if (inline !== undefined) {
      result.options.push({ name, value: inline });
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value.`);
    result.options.push({ name, value: argv[++i] });
  }
  return result;
}

const isHelp = (arg: string) => arg === '-h' || arg === '--help';

function parseCheck(argv: readonly string[]): Command {
  if (argv.some(isHelp)) return { name: 'help', topic: 'check' };
  if (argv.includes('--version')) return { name: 'version' };
  const { positionals, options: given } = split(argv, (name) => CHECK_OPTIONS[name]?.value);
  const options: CheckOptions = { paths: positionals, format: 'text', failOn: 'warning', fix: false, ruleSeverities: {}, noColor: false, quiet: false };
  for (const { name, value } of given) CHECK_OPTIONS[name].apply(options, value ?? '');
  const readsStdin = positionals.includes('-');
  if (options.stdinFilename !== undefined && !readsStdin) throw new UsageError('--stdin-filename names standard input: give `-` among the paths.');
  // Writing fixes needs a file to write to; standard input has none.
  if (options.fix && readsStdin) throw new UsageError('--fix writes fixes into the files checked; it cannot fix standard input.');
  return { name: 'check', options };
}

function parseRules(argv: readonly string[]): Command {
  if (argv.some(isHelp)) return { name: 'help', topic: 'rules' };
  const { positionals, options } = split(argv, (name) => (name === '--format' ? true : undefined));
  if (positionals.length > 0) throw new UsageError(`podstart rules takes no arguments (got "${positionals[0]}").`);
  let format: 'text' | 'json' = 'text';
  for (const { value } of options) format = oneOf('--format', value ?? '', ['text', 'json'] as const);
  return { name: 'rules', format };
}

export function parseArguments(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('Missing command: use `podstart check [paths...]` or `podstart rules`.');
  if (isHelp(command) || command === 'help') return { name: 'help' };
  if (command === '--version' || command === '-v') return { name: 'version' };
  if (command === 'check') return parseCheck(rest);
  if (command === 'rules') return parseRules(rest);
  throw new UsageError(`Unknown command "${command}": use \`podstart check [paths...]\` or \`podstart rules\`.`);
}
