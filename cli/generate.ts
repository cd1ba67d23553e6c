/**
 * `podstart generate <id>`: gathers the manifests as `podstart check` does (folders walked for
 * *.yaml and *.yml, the nearest .podstart.yaml's ignore list applied, `-` for standard input),
 * runs the generator through the same core path as the editor (core/generate/run-generator.ts),
 * and prints the file or writes it with `-o`. What the generator chose and why goes to stderr, so
 * that stdout can be piped to `kubectl apply -f -` or a file.
 */
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../core/config-file';
import { generatorById, type GeneratedFile } from '../core/generate';
import { GenerationError, runGenerator, type RegistryAccess } from '../core/generate/run-generator';
import { addStartupProbe } from '../core/generate/run-startup-probe';
import { mergeSettings, type PodstartSettings } from '../core/settings';
import { mapConcurrently } from './concurrency';
import { ConfigResolver } from './config-resolver';
import type { CliEnvironment } from './environment';
import type { GenerateCommand } from './generate-arguments';
import { STARTUP_PROBE_ID } from './generate-arguments';
import { filesInFolder } from './file-selection';
import { describeIoError } from './io-errors';
import { TOOL_NAME } from './project-info';
import { CliImageFacts } from './registry-facts';
import { displayPathOf, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS } from './report';

const READ_CONCURRENCY = 16;
const MANIFEST_FILE_NAME = /\.ya?ml$/i;
const STDIN_NAME = '<stdin>';

/** A mistake that stops the run: printed as `podstart: error: ...`, exit 2. */
class RunError extends Error {}

interface Output {
  stdout: (text: string) => void;
  stderr: (line: string) => void;
}

export async function runGenerate(command: GenerateCommand, environment: CliEnvironment): Promise<number> {
  const out: Output = { stdout: (text) => void environment.stdout.write(text), stderr: (line) => void environment.stderr.write(`${line}\n`) };
  try {
    return command.generator === STARTUP_PROBE_ID ? await runStartupProbe(command, environment, out) : await runFileGenerator(command, environment, out);
  } catch (error) {
    if (!(error instanceof RunError || error instanceof GenerationError)) throw error;
    out.stderr(`${TOOL_NAME}: error: ${error.message}`);
    return EXIT_ERROR;
  }
}

/** Forward slashes, as the editor names workspace files, so that both write the same source comments. */
function displayName(filePath: string, cwd: string): string {
  return displayPathOf(filePath, cwd).split(path.sep).join('/');
}

/** The settings the run follows: the nearest .podstart.yaml of the first path (or --config), under the command line's. */
async function runSettings(command: GenerateCommand, cwd: string, configs: ConfigResolver): Promise<PodstartSettings> {
  const first = command.paths.find((given) => given !== '-');
  const anchor = first === undefined ? cwd : path.resolve(cwd, first);
  const isFolder = await stat(anchor).then((stats) => stats.isDirectory(), () => false);
  // The resolver looks beside a file: for a folder, beside a file inside it.
  const config = configs.forFile(isFolder ? path.join(anchor, CONFIG_FILE_NAME) : anchor);
  return mergeSettings(config?.settings, { kubernetesVersion: command.kubernetesVersion, maxFileSize: command.maxFileSize });
}

interface Selected {
  /** Absolute path; undefined for standard input. */
  path?: string;
  explicit: boolean;
}

/** The manifests named or found, each once, in the order given (folders sorted). */
async function selectManifests(command: GenerateCommand, cwd: string, configs: ConfigResolver, out: Output): Promise<Selected[]> {
  const selected = new Map<string, Selected>();
  for (const given of command.paths.length > 0 ? command.paths : ['.']) {
    if (given === '-') {
      selected.set('-', { explicit: true });
      continue;
    }
    const full = path.resolve(cwd, given);
    const stats = await stat(full).catch((error: unknown) => {
      throw new RunError(`${given}: cannot read: ${describeIoError(error)}.`);
    });
    if (stats.isFile()) {
      if (!selected.has(full)) selected.set(full, { path: full, explicit: true });
      continue;
    }
    if (!stats.isDirectory()) throw new RunError(`${given}: neither a file nor a folder.`);
    const found = await filesInFolder(full, (folder, error) => {
      throw new RunError(`${displayName(folder, cwd)}: cannot read the folder: ${describeIoError(error)}.`);
    });
    for (const file of found) if (MANIFEST_FILE_NAME.test(file) && !selected.has(file)) selected.set(file, { path: file, explicit: false });
  }
  return [...selected.values()].filter((entry) => {
    if (!entry.path) return true;
    const config = configs.forFile(entry.path);
    if (!configs.ignores(config, entry.path)) return true;
    // Files found in a folder are left out silently, as `podstart check` does; a file the user named deserves a word.
    if (entry.explicit) out.stderr(`${displayName(entry.path, cwd)}: warning: ignored by the ignore list of ${displayName(config!.path, cwd)}; not read.`);
    return false;
  });
}

async function runFileGenerator(command: GenerateCommand, environment: CliEnvironment, out: Output): Promise<number> {
  const { cwd } = environment;
  const generator = generatorById(command.generator)!;
  const configs = new ConfigResolver(command.configPath === undefined ? undefined : path.resolve(cwd, command.configPath));
  if (command.configPath !== undefined && !configs.load(path.resolve(cwd, command.configPath))) {
    throw new RunError(`Cannot read the configuration given with --config: ${describeIoError(configs.readErrors[0]?.error)}.`);
  }
  const settings = await runSettings(command, cwd, configs);
  let files: Array<{ file: string; text: string }> = [];
  if (generator.usesImages) {
    const selected = await selectManifests(command, cwd, configs, out);
    files = await mapConcurrently(selected, READ_CONCURRENCY, async (entry) => {
      if (!entry.path) return { file: STDIN_NAME, text: await environment.readStdin() };
      const text = await readFile(entry.path, 'utf8').catch((error: unknown) => {
        throw new RunError(`${displayName(entry.path!, cwd)}: cannot read: ${describeIoError(error)}.`);
      });
      return { file: displayName(entry.path, cwd), text };
    });
  } else if (command.paths.length > 0) {
    out.stderr(`${TOOL_NAME}: warning: ${generator.id} reads no manifest; the paths given are not used.`);
  }

  const facts = command.registry ? new CliImageFacts(command.registry, environment.env) : undefined;
  const registry: RegistryAccess | undefined = facts && { lookUp: (references) => facts.fetch(references, { index: 0, displayPath: TOOL_NAME }), lookup: facts.lookup };
  let generated: GeneratedFile;
  try {
    generated = await runGenerator({ generatorId: generator.id, files, options: command.options, kubernetesVersion: settings.kubernetesVersion, maxFileSize: settings.maxFileSize, registry });
  } finally {
    if (facts) {
      await facts.close();
      // A registry that cannot answer costs the digests and sizes, not the run.
      for (const warning of facts.warnings()) out.stderr(`${TOOL_NAME}: warning: ${warning.message}`);
    }
  }
  for (const note of generated.notes) out.stderr(`${TOOL_NAME}: note: ${note}`);
  await deliver(generated.text, command, cwd, out);
  return EXIT_CLEAN;
}

/** Prints the text, or writes it to the -o file (never over an existing one without --force). */
async function deliver(text: string, command: GenerateCommand, cwd: string, out: Output): Promise<void> {
  if (command.output === undefined) {
    out.stdout(text);
    return;
  }
  const target = path.resolve(cwd, command.output);
  if (!command.force && existsSync(target)) throw new RunError(`${command.output} exists; add --force to overwrite it.`);
  await writeFile(target, text, 'utf8').catch((error: unknown) => {
    throw new RunError(`${command.output}: cannot write: ${describeIoError(error)}.`);
  });
  out.stderr(`${TOOL_NAME}: wrote ${displayName(target, cwd)}`);
}

async function runStartupProbe(command: GenerateCommand, environment: CliEnvironment, out: Output): Promise<number> {
  const { cwd } = environment;
  const given = command.paths[0];
  const file = given === '-' ? undefined : path.resolve(cwd, given);
  const configs = new ConfigResolver(command.configPath === undefined ? undefined : path.resolve(cwd, command.configPath));
  const settings = mergeSettings(configs.forFile(file ?? path.join(cwd, STDIN_NAME))?.settings, { kubernetesVersion: command.kubernetesVersion });
  const text = file
    ? await readFile(file, 'utf8').catch((error: unknown) => {
        throw new RunError(`${given}: cannot read: ${describeIoError(error)}.`);
      })
    : await environment.readStdin();
  const result = addStartupProbe(text, { container: command.container, kubernetesVersion: settings.kubernetesVersion });
  for (const note of result.notes) out.stderr(`${TOOL_NAME}: note: ${note}`);
  if (result.edits.length === 0) {
    out.stderr(`${TOOL_NAME}: no startup probe added to ${file ? displayName(file, cwd) : STDIN_NAME}.`);
    return EXIT_FINDINGS;
  }
  if (command.write) {
    await writeFile(file!, result.text, 'utf8').catch((error: unknown) => {
      throw new RunError(`${given}: cannot write: ${describeIoError(error)}.`);
    });
    out.stderr(`${TOOL_NAME}: wrote ${displayName(file!, cwd)}`);
  } else await deliver(result.text, command, cwd, out);
  return EXIT_CLEAN;
}
