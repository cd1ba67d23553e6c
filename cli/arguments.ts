import { parseCapture, parseTimings, type CaptureCommand, type TimingsCommand } from './cluster-arguments';
import { parseGenerate, type GenerateCommand } from './generate-arguments';
/**
 * The command line, parsed and validated before any file is read: a mistake here is a usage
 * error (exit 2) that names the offending argument, never a half-run check.
 */
import { parseKubernetesVersion } from '../core/kubernetes-version';
import { formatPlatform, parsePlatform } from '../core/registry/platform';
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
  /** `--registry`: look up the checked files' images in their registries; undefined without it. */
  registry?: RegistryOptions;
}

/** How `--registry` looks images up (cli/registry-facts.ts). */
export interface RegistryOptions {
  /** `--platform os/arch[/variant]`; `linux/amd64` when not given. */
  platform?: string;
  /** `--registry-timeout SECONDS`, per image, in milliseconds. */
  timeoutMs?: number;
  /** `--insecure-registry host[:port]`, repeatable: plain http allowed (loopback always is). */
  insecureRegistries: string[];
  /** False with `--no-registry-cache`: answers are kept in memory for this run only. */
  cache: boolean;
}

export type HelpTopic = 'check' | 'rules' | 'capture' | 'timings' | 'generate';

export type Command =
  | { name: 'check'; options: CheckOptions }
  | CaptureCommand
  | TimingsCommand
  | { name: 'rules'; format: 'text' | 'json' }
  | GenerateCommand
  | { name: 'help'; topic?: HelpTopic; generator?: string }
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

/** The registry options as given, whether or not --registry is: `parseCheck` refuses them without it. */
function registryOptionsOf(options: CheckOptions): RegistryOptions {
  options.registry ??= { insecureRegistries: [], cache: true };
  return options.registry;
}

/** Options that only mean something with --registry. */
export const REGISTRY_ONLY_OPTIONS = ['--platform', '--registry-timeout', '--insecure-registry', '--no-registry-cache'];

/** A registry host with an optional port, as an image reference names it. */
const REGISTRY_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function parseByteCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--max-file-size takes a whole number of bytes (for example 5242880), not "${value}".`);
  return Number(value.trim());
}

/** Options of `podstart check`: whether each takes a value, and how it lands in the options. */
export const CHECK_OPTIONS: Record<string, { value: boolean; apply(options: CheckOptions, value: string): void }> = {
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
  '--registry': { value: false, apply: (o) => void registryOptionsOf(o) },
  '--platform': {
    value: true,
    apply: (o, v) => {
      const platform = parsePlatform(v);
      if (!platform) throw new UsageError(`--platform takes os/architecture[/variant] (for example linux/arm64), not "${v}".`);
      registryOptionsOf(o).platform = formatPlatform(platform);
    },
  },
  '--registry-timeout': {
    value: true,
    apply: (o, v) => {
      const seconds = Number(v.trim());
      if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(seconds > 0) || seconds > 600) throw new UsageError(`--registry-timeout takes a number of seconds, more than 0 and at most 600 (for example 10), not "${v}".`);
      registryOptionsOf(o).timeoutMs = Math.round(seconds * 1000);
    },
  },
  '--insecure-registry': {
    value: true,
    apply: (o, v) => {
      const host = v.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
      if (!REGISTRY_HOST.test(host)) throw new UsageError(`--insecure-registry takes a registry host, with an optional port (for example registry.internal:5000), not "${v}".`);
      registryOptionsOf(o).insecureRegistries.push(host);
    },
  },
  '--no-registry-cache': { value: false, apply: (o) => void (registryOptionsOf(o).cache = false) },
  '--stdin-filename': {
    value: true,
    apply: (o, v) => {
      if (!v) throw new UsageError('--stdin-filename needs a file name.');
      o.stdinFilename = v;
    },
  },
};

export interface SplitArguments {
  positionals: string[];
  options: Array<{ name: string; value?: string }>;
}

/** Separates `--name value`, `--name=value` and positionals; `--` ends the options. */
export function split(argv: readonly string[], takesValue: (name: string) => boolean | undefined): SplitArguments {
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
  const registryOnly = given.find(({ name }) => REGISTRY_ONLY_OPTIONS.includes(name));
  if (registryOnly && !given.some(({ name }) => name === '--registry')) {
    throw new UsageError(`${registryOnly.name} only applies with --registry, which looks the checked files' images up in their registries.`);
  }
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
  if (command === 'capture') return rest.some(isHelp) ? { name: 'help', topic: 'capture' } : parseCapture(rest);
  if (command === 'timings') return rest.some(isHelp) ? { name: 'help', topic: 'timings' } : parseTimings(rest);
  if (command === 'generate') return parseGenerate(rest);
  throw new UsageError(`Unknown command "${command}": use \`podstart check [paths...]\`, \`podstart generate\`, \`podstart timings\`, \`podstart capture\` or \`podstart rules\`.`);
}
