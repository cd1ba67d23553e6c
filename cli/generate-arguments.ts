/**
 * The command line of `podstart generate <id>`: the flags every generator shares (output, the
 * Kubernetes release, the registry), and each generator's own options as it declares them
 * (core/generate/types.ts `GeneratorOption`), so that a new generator or option needs no code here.
 * `startup-probe` edits a manifest instead of writing a new file, and has its own few flags.
 */
import { generatorById, GENERATORS, type Generator, type GeneratorOption } from '../core/generate';
import { GeneratorOptionError, optionFlag, parseOptionText } from '../core/generate/option-values';
import { CHECK_OPTIONS, REGISTRY_ONLY_OPTIONS, split, UsageError, type CheckOptions, type RegistryOptions } from './arguments';

/** Not a generator of core/generate (it edits a manifest rather than writing a file), but listed and run beside them. */
export const STARTUP_PROBE_ID = 'startup-probe';

export interface GenerateCommand {
  name: 'generate';
  /** A generator id, or STARTUP_PROBE_ID. */
  generator: string;
  /** As given; empty: the current folder. For startup-probe, the one manifest to edit (`-`: standard input). */
  paths: string[];
  /** The generator's options by their declared (camelCase) names, parsed; absent ones take their defaults. */
  options: Record<string, string | number | boolean | string[]>;
  /** `-o FILE`. */
  output?: string;
  /** Overwrite the `-o` file when it exists. */
  force: boolean;
  /** startup-probe: write the probe into the manifest itself. */
  write: boolean;
  /** startup-probe: the container to add it to (default: each that can have one). */
  container?: string;
  kubernetesVersion?: string;
  configPath?: string;
  maxFileSize?: number;
  registry?: RegistryOptions;
}

/**
 * Flags every generator takes, parsed as `podstart check` parses them. A function: this module and
 * cli/arguments.ts import each other, so the other's constants are not there yet when this one loads.
 */
const sharedCheckFlags = (): string[] => ['--kubernetes-version', '--config', '--max-file-size', '--registry', ...REGISTRY_ONLY_OPTIONS];
const OUTPUT_FLAGS = ['-o', '--output'];

/** The flags no generator option may take for itself. */
export function reservedFlags(): ReadonlySet<string> {
  return new Set([...sharedCheckFlags(), ...OUTPUT_FLAGS, '--force', '--container', '--write', '--help', '-h']);
}

/** `--<flag>` → the option it sets, and whether it is the `--no-<flag>` form of a boolean. */
function optionByFlag(generator: Generator): Map<string, { option: GeneratorOption; negated: boolean }> {
  const byFlag = new Map<string, { option: GeneratorOption; negated: boolean }>();
  const reserved = reservedFlags();
  for (const option of generator.options) {
    const flag = optionFlag(option);
    // A declaration that reuses a shared flag would silently lose it: test/cli/generate.test.ts keeps them apart.
    if (reserved.has(flag)) continue;
    byFlag.set(flag, { option, negated: false });
    if (option.type === 'boolean') byFlag.set(`--no-${flag.slice(2)}`, { option, negated: true });
  }
  return byFlag;
}

function unknownGenerator(id: string): UsageError {
  const ids = [...GENERATORS.map((generator) => generator.id), STARTUP_PROBE_ID];
  return new UsageError(`Unknown generator "${id}": one of ${ids.join(', ')}. Run \`podstart generate --help\` for what each makes.`);
}

/** Applies the flags `podstart check` also takes (the release, the configuration, the registry) to the command. */
function applyCheckFlags(command: GenerateCommand, given: Array<{ name: string; value?: string }>): void {
  const scratch: CheckOptions = { paths: [], format: 'text', failOn: 'warning', fix: false, ruleSeverities: {}, noColor: false, quiet: false };
  for (const { name, value } of given) CHECK_OPTIONS[name].apply(scratch, value ?? '');
  command.kubernetesVersion = scratch.kubernetesVersion;
  command.configPath = scratch.configPath;
  command.maxFileSize = scratch.maxFileSize;
  const registryOnly = given.find(({ name }) => REGISTRY_ONLY_OPTIONS.includes(name));
  if (registryOnly && !given.some(({ name }) => name === '--registry')) {
    throw new UsageError(`${registryOnly.name} only applies with --registry, which looks the manifests' images up in their registries.`);
  }
  command.registry = scratch.registry;
}

export function parseGenerate(argv: readonly string[]): GenerateCommand | { name: 'help'; topic: 'generate'; generator?: string } {
  const [id, ...rest] = argv;
  if (id === undefined || id === '--help' || id === '-h' || id === 'help') return { name: 'help', topic: 'generate' };
  if (id.startsWith('-')) throw new UsageError(`podstart generate needs a generator first (for example \`podstart generate pre-puller\`), not "${id}".`);
  const generator = generatorById(id);
  if (!generator && id !== STARTUP_PROBE_ID) throw unknownGenerator(id);
  if (rest.includes('--help') || rest.includes('-h')) return { name: 'help', topic: 'generate', generator: id };

  const own = generator ? optionByFlag(generator) : new Map<string, { option: GeneratorOption; negated: boolean }>();
  const SHARED_CHECK_FLAGS = sharedCheckFlags();
  const startupProbe = id === STARTUP_PROBE_ID;
  const takesValue = (name: string): boolean | undefined => {
    if (SHARED_CHECK_FLAGS.includes(name)) return CHECK_OPTIONS[name].value;
    if (OUTPUT_FLAGS.includes(name)) return true;
    if (name === '--force') return false;
    if (startupProbe && name === '--container') return true;
    if (startupProbe && name === '--write') return false;
    const declared = own.get(name);
    return declared ? declared.option.type !== 'boolean' : undefined;
  };
  let parsed;
  try {
    parsed = split(rest, takesValue);
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith('Unknown option')) {
      throw new UsageError(`${error.message.replace(/\.$/, '')} for podstart generate ${id}. Run \`podstart generate ${id} --help\` for its options.`);
    }
    throw error;
  }
  const command: GenerateCommand = { name: 'generate', generator: id, paths: parsed.positionals, options: {}, force: false, write: false };
  applyCheckFlags(
    command,
    parsed.options.filter(({ name }) => SHARED_CHECK_FLAGS.includes(name)),
  );
  for (const { name, value = '' } of parsed.options) {
    if (SHARED_CHECK_FLAGS.includes(name)) continue;
    if (OUTPUT_FLAGS.includes(name)) {
      if (value.trim() === '') throw new UsageError(`${name} needs a file name.`);
      command.output = value;
    } else if (name === '--force') command.force = true;
    else if (name === '--write') command.write = true;
    else if (name === '--container') command.container = value.trim();
    else {
      const { option, negated } = own.get(name)!;
      if (option.type === 'boolean') {
        command.options[option.name] = !negated;
        continue;
      }
      let parsedValue;
      try {
        parsedValue = parseOptionText(option, value);
      } catch (error) {
        if (error instanceof GeneratorOptionError) throw new UsageError(error.message);
        throw error;
      }
      // A list option may be repeated and comma-separated: `--node-selector a=b --node-selector c=d`.
      const before = command.options[option.name];
      command.options[option.name] = option.type === 'string-list' && Array.isArray(before) ? [...before, ...(parsedValue as string[])] : parsedValue;
    }
  }
  if (startupProbe) checkStartupProbe(command);
  return command;
}

function checkStartupProbe(command: GenerateCommand): void {
  if (command.paths.length !== 1) throw new UsageError(`podstart generate ${STARTUP_PROBE_ID} takes one manifest (a file, or - for standard input), not ${command.paths.length}.`);
  if (command.registry) throw new UsageError(`--registry does not apply to ${STARTUP_PROBE_ID}: a startup probe needs no image facts.`);
  if (command.write && command.output) throw new UsageError('--write edits the manifest in place; -o writes the result elsewhere: give one of them.');
  if (command.write && command.paths[0] === '-') throw new UsageError('--write edits the manifest in place; standard input has no file to write.');
  if (command.container === '') throw new UsageError('--container needs a container name.');
}
