/**
 * One CLI invocation: parse the arguments, run the command, print, and return the exit code.
 * The report goes to stdout in the chosen format; the run's own errors and warnings go to stderr
 * in every format (the JSON and SARIF reports carry them too), so that a CI log shows them.
 */
import { parseArguments, UsageError, type CheckOptions } from './arguments';
import { runCheck } from './check';
import { ANSI_PALETTE, PLAIN_PALETTE, useColor } from './colors';
import type { CliEnvironment } from './environment';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { runGenerate } from './generate';
import { TOOL_NAME, TOOL_VERSION } from './project-info';
import { EXIT_CLEAN, EXIT_ERROR, exitCodeOf, type CheckReport } from './report';
import { formatRules } from './rules-command';
import { usage } from './usage';

export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  let command;
  try {
    command = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    environment.stderr.write(`${TOOL_NAME}: ${error.message}\nRun \`podstart --help\` for usage.\n`);
    return EXIT_ERROR;
  }
  switch (command.name) {
    case 'help':
      environment.stdout.write(usage(command.topic, command.generator));
      return EXIT_CLEAN;
    case 'version':
      environment.stdout.write(`${TOOL_VERSION}\n`);
      return EXIT_CLEAN;
    case 'rules':
      environment.stdout.write(formatRules(command.format));
      return EXIT_CLEAN;
    // Loaded on demand: the Kubernetes client is large, and `check` never needs it.
    case 'capture':
      return (await import('./cluster-commands.js')).runCapture(command, environment);
    case 'timings':
      return (await import('./cluster-commands.js')).runTimings(command, environment);
    case 'generate':
      return runGenerate(command, environment);
    case 'check': {
      const report = await runCheck(command.options, environment);
      environment.stdout.write(formatReport(report, command.options, environment));
      environment.stderr.write(runMessages(report));
      return exitCodeOf(report);
    }
  }
}

function formatReport(report: CheckReport, options: CheckOptions, environment: CliEnvironment): string {
  if (options.format === 'json') return formatJson(report);
  if (options.format === 'sarif') return formatSarif(report);
  return formatText(report, useColor(environment.stdout.isTTY, environment.env, options.noColor) ? ANSI_PALETTE : PLAIN_PALETTE);
}

/** Errors as `path:line:col: error: message` (compiler style, so editors link them), then warnings. */
function runMessages(report: CheckReport): string {
  const lines: string[] = [];
  for (const error of report.errors) {
    const where = error.displayPath === undefined ? TOOL_NAME : error.range ? `${error.displayPath}:${error.range.start.line + 1}:${error.range.start.character + 1}` : error.displayPath;
    lines.push(`${where}: error: ${error.message}`);
  }
  for (const warning of report.warnings) lines.push(`${warning.displayPath ?? TOOL_NAME}: warning: ${warning.message}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
