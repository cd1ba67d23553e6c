/**
 * `podstart check`: selects the files, finds the configuration of each, analyses them (and with
 * --fix writes their safe fixes), and collects everything into a CheckReport. Nothing here
 * prints: an unreadable path or a broken configuration becomes an error in the report and the
 * other files are still checked.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { analyzeText, type AnalyzedFinding } from '../core/analyze';
import { collectDefinedObjects, type DefinedObjects } from '../core/defined-objects';
import { fixAll } from '../core/apply-edits';
import { readBuildContext } from '../core/dockerfile/build-context';
import { fileTypeOf } from '../core/file-types';
import type { ImageFactsLookup } from '../core/image-facts';
import { mergeSettings, type PodstartSettings } from '../core/settings';
import type { CheckOptions } from './arguments';
import { mapConcurrently } from './concurrency';
import { ConfigResolver, type LoadedConfig } from './config-resolver';
import type { CliEnvironment } from './environment';
import { CHECKED_FILES_DESCRIPTION, filesInFolder, isCheckedContent } from './file-selection';
import { describeIoError } from './io-errors';
import { CliImageFacts } from './registry-facts';
import { displayPathOf, isSafelyFixable, reaches, type CheckedFile, type CheckReport, type RunProblem, type RunWarning } from './report';

/** Files read at once: enough to keep the disk busy while the analysis runs, few enough for any ulimit. */
const READ_CONCURRENCY = 16;

export const STDIN_DISPLAY_NAME = '<stdin>';

/** One input to analyse: a file, or standard input (with the name given by --stdin-filename, if any). */
interface Target {
  kind: 'file' | 'stdin';
  /** Absolute path; for standard input, the --stdin-filename resolved, if given. */
  path?: string;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

/** A target read and to be analysed, with what applies to it. */
interface ReadTarget {
  target: Target;
  config: LoadedConfig | undefined;
  displayPath: string;
  text: string;
  /** Something to tell about the file that does not stop its analysis (it is not valid UTF-8). */
  warning?: RunWarning;
}

export async function runCheck(options: CheckOptions, environment: CliEnvironment): Promise<CheckReport> {
  const { cwd } = environment;
  const report: CheckReport = { cwd, files: [], errors: [], warnings: [], failOn: options.failOn };
  const display = (filePath: string) => displayPathOf(filePath, cwd);
  const ioError = (filePath: string, message: string) => report.errors.push({ kind: 'io', message, path: filePath, displayPath: display(filePath) });

  const explicitConfig = options.configPath === undefined ? undefined : path.resolve(cwd, options.configPath);
  const configs = new ConfigResolver(explicitConfig);
  if (explicitConfig && !configs.load(explicitConfig)) {
    // Checking with other settings than the ones asked for would report the wrong findings.
    ioError(explicitConfig, `Cannot read the configuration given with --config: ${describeIoError(configs.readErrors[0]?.error)}.`);
    return report;
  }

  const targets = await selectTargets(options, cwd, report, ioError);
  const settingsFor = settingsByConfig(options);
  const registry = options.registry ? new CliImageFacts(options.registry, environment.env) : undefined;
  // Files are read concurrently; their outcomes are collected in the targets' order, so that the
  // report (errors included) does not depend on which read finished first. All are read before any
  // is analysed: the files of one run form the workspace whose objects (a ResourceClaimTemplate in
  // one file, the Deployment naming it in another) every analysis sees.
  const reads = await mapConcurrently(targets, READ_CONCURRENCY, async (target): Promise<ReadTarget | RunProblem | RunWarning | undefined> => {
    const config = configs.forFile(target.path ?? path.join(cwd, STDIN_DISPLAY_NAME));
    const displayPath = target.path ? display(target.path) : STDIN_DISPLAY_NAME;
    if (target.path && configs.ignores(config, target.path)) {
      // Files found in a folder are skipped silently; a file the user named deserves a word.
      return target.explicit ? { message: `Ignored by the ignore list of ${display(config!.path)}; not checked.`, path: target.path, displayPath } : undefined;
    }
    let text: string;
    let warning: RunWarning | undefined;
    try {
      if (target.kind === 'stdin') text = await environment.readStdin();
      else {
        const bytes = await readFile(target.path!);
        text = bytes.toString('utf8');
        // Decoding replaces each invalid byte with U+FFFD without a word; the findings on such a
        // file may then quote values the file does not hold, so the user is told. It is still checked.
        // (Binary data, with a NUL, gets its own notice from the analysis.)
        if (!isUtf8(bytes) && !bytes.includes(0)) warning = { message: 'Not valid UTF-8 (a Latin-1 or UTF-16 file?): invalid bytes were read as U+FFFD; convert the file to UTF-8.', path: target.path, displayPath };
      }
    } catch (error) {
      return { kind: 'io', message: `Cannot read${target.kind === 'stdin' ? ' standard input' : ''}: ${describeIoError(error)}.`, path: target.path, displayPath };
    }
    // JSON found in a folder is mostly not Kubernetes (package.json); it is skipped without a word.
    if (!target.explicit && target.path && !isCheckedContent(target.path, text)) return undefined;
    return { target, config, displayPath, text, warning };
  });
  for (const read of reads) if (isReadTarget(read) && read.warning) report.warnings.push(read.warning);
  const definedObjects = workspaceObjects(reads.filter(isReadTarget));
  const outcomes = await mapConcurrently(reads, READ_CONCURRENCY, async (read, index): Promise<CheckedFile | RunProblem | RunWarning | undefined> => {
    if (!isReadTarget(read)) return read;
    const { target, config, displayPath, text } = read;
    try {
      const settings = settingsFor(config);
      let imageFacts: ImageFactsLookup | undefined;
      if (registry) {
        // The rules say which images they need facts about: a first analysis collects them.
        await registry.fetch(analyzeText({ text, fileName: target.path, settings, definedObjects }).imageReferences, { index, path: target.path, displayPath });
        imageFacts = registry.lookup;
      }
      return await checkText(text, target, displayPath, settings, options.fix, report, imageFacts, definedObjects);
    } catch (error) {
      // The engine guards each rule; this is a bug in the engine itself. The other files go on.
      return { kind: 'internal', message: `Podstart failed on this file: ${(error as Error).message}`, path: target.path, displayPath };
    }
  });
  for (const outcome of outcomes) {
    if (outcome === undefined) continue;
    if ('findings' in outcome) report.files.push(outcome);
    else if ('kind' in outcome) report.errors.push(outcome);
    else report.warnings.push(outcome);
  }
  if (registry) {
    await registry.close();
    // Warnings, not errors: a registry that cannot answer costs the findings that need it, not the run.
    report.warnings.push(...registry.warnings());
  }

  for (const { path: configPath, error } of configs.readErrors) ioError(configPath, `Cannot read the configuration: ${describeIoError(error)}.`);
  for (const config of configs.loaded()) {
    for (const problem of config.problems) {
      report.errors.push({ kind: 'config', message: problem.message, path: config.path, displayPath: display(config.path), range: problem.range });
    }
  }
  if (options.quiet) keepOnlyFailing(report);
  return report;
}

function isReadTarget(read: ReadTarget | RunProblem | RunWarning | undefined): read is ReadTarget {
  return read !== undefined && 'text' in read;
}

/** The objects every manifest of the run defines (Dockerfiles define none). */
function workspaceObjects(reads: ReadTarget[]): DefinedObjects {
  return reads.flatMap(({ target, text }) => (fileTypeOf(target.path) === 'dockerfile' ? [] : collectDefinedObjects(text, target.path)));
}

/** The files named or found, each once, in the order given (folders sorted), and standard input. */
async function selectTargets(options: CheckOptions, cwd: string, report: CheckReport, ioError: (filePath: string, message: string) => void): Promise<Target[]> {
  const targets = new Map<string, Target>();
  const add = (target: Target) => {
    const key = target.kind === 'stdin' ? '-' : target.path!;
    const known = targets.get(key);
    if (known) known.explicit ||= target.explicit;
    else targets.set(key, target);
  };
  for (const given of options.paths.length > 0 ? options.paths : ['.']) {
    if (given === '-') {
      add({ kind: 'stdin', path: options.stdinFilename === undefined ? undefined : path.resolve(cwd, options.stdinFilename), explicit: true });
      continue;
    }
    const full = path.resolve(cwd, given);
    let stats;
    try {
      stats = await stat(full);
    } catch (error) {
      ioError(full, `Cannot read: ${describeIoError(error)}.`);
      continue;
    }
    if (stats.isFile()) {
      add({ kind: 'file', path: full, explicit: true });
    } else if (stats.isDirectory()) {
      const skipped: RunWarning[] = [];
      const found = await filesInFolder(
        full,
        (folder, error) => ioError(folder, `Cannot read the folder: ${describeIoError(error)}.`),
        (link, reason) => skipped.push({ message: reason, path: link, displayPath: displayPathOf(link, cwd) }),
      );
      // Reported in path order, not in the order the concurrent walk met them.
      report.warnings.push(...skipped.sort((a, b) => (a.path! < b.path! ? -1 : a.path! > b.path! ? 1 : 0)));
      if (found.length === 0) report.warnings.push({ message: `No ${CHECKED_FILES_DESCRIPTION} files in this folder.`, path: full, displayPath: displayPathOf(full, cwd) });
      for (const file of found) add({ kind: 'file', path: file, explicit: false });
    } else {
      ioError(full, 'Neither a file nor a folder.');
    }
  }
  return [...targets.values()];
}

/** Settings of a file: its configuration, overridden by the command line. Merged once per configuration. */
function settingsByConfig(options: CheckOptions): (config: LoadedConfig | undefined) => PodstartSettings {
  const commandLine: PodstartSettings = { kubernetesVersion: options.kubernetesVersion, maxFileSize: options.maxFileSize, rules: options.ruleSeverities };
  const merged = new Map<LoadedConfig | undefined, PodstartSettings>();
  return (config) => {
    let settings = merged.get(config);
    if (!settings) merged.set(config, (settings = mergeSettings(config?.settings, commandLine)));
    return settings;
  };
}

async function checkText(
  text: string,
  target: Target,
  displayPath: string,
  settings: PodstartSettings,
  fix: boolean,
  report: CheckReport,
  imageFacts: ImageFactsLookup | undefined,
  definedObjects: DefinedObjects,
): Promise<CheckedFile> {
  const fileName = target.path;
  // What lies beside a Dockerfile on disk (a .dockerignore?); standard input has no folder to look in.
  const buildContext = target.kind === 'file' && fileTypeOf(fileName) === 'dockerfile' ? readBuildContext(fileName!, existsSync) : undefined;
  const findings = analyzeText({ text, fileName, settings, imageFacts, buildContext, definedObjects }).findings;
  const file: CheckedFile = { path: target.path, displayPath, findings, fixed: 0 };
  if (!fix || target.kind !== 'file' || !findings.some(isSafelyFixable)) return file;

  const fixedText = fixAll({ text, fileName, settings, imageFacts, buildContext, definedObjects }).text;
  if (fixedText === text) return file;
  try {
    await writeFile(target.path!, fixedText, 'utf8');
  } catch (error) {
    report.errors.push({ kind: 'io', message: `Cannot write the fixes: ${describeIoError(error)}.`, path: target.path, displayPath });
    return file;
  }
  const remaining = analyzeText({ text: fixedText, fileName, settings, imageFacts, buildContext, definedObjects }).findings;
  // fixAll counts edits, and one fix may need several: count the safely fixable findings that went away.
  const fixableCount = (list: AnalyzedFinding[]) => list.filter(isSafelyFixable).length;
  return { ...file, findings: remaining, fixed: Math.max(0, fixableCount(findings) - fixableCount(remaining)) };
}

/** --quiet: keep only the findings that fail the run; with --fail-on never, which fails on nothing, the errors. */
function keepOnlyFailing(report: CheckReport): void {
  const threshold = report.failOn === 'never' ? 'error' : report.failOn;
  for (const file of report.files) file.findings = file.findings.filter((finding) => reaches(finding.severity, threshold));
}
