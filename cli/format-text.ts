/**
 * The text format, for people: findings grouped by file as in eslint's "stylish", one line each
 * in the form `path:line:col  severity  stage  message  [rule-id]` (path:line:col is what
 * terminals and editors turn into a link), aligned within each file, then a summary line.
 * Errors of the run itself (unreadable paths, configuration mistakes) go to stderr, not here.
 */
import type { AnalyzedFinding } from '../core/analyze';
import { STAGE_TITLES, type Severity } from '../core/types';
import { PLAIN_PALETTE, type Palette } from './colors';
import { totalsOf, type CheckReport } from './report';

/** "1 finding", "2 findings"; "info" has no plural. */
const plural = (count: number, word: string) => `${count} ${word}${count === 1 || word === 'info' ? '' : 's'}`;

function severityColor(palette: Palette, severity: Severity): (text: string) => string {
  return { error: palette.red, warning: palette.yellow, info: palette.cyan, hint: palette.gray }[severity];
}

/** Stage column of a finding about the file itself (invalid YAML, a template): no stage. */
const NO_STAGE = '-';

function findingColumns(displayPath: string, finding: AnalyzedFinding): [string, string, string] {
  const { line, character } = finding.range.start;
  return [`${displayPath}:${line + 1}:${character + 1}`, finding.severity, finding.stage ? STAGE_TITLES[finding.stage] : NO_STAGE];
}

export function formatText(report: CheckReport, palette: Palette = PLAIN_PALETTE): string {
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    const rows = file.findings.map((finding) => ({ finding, columns: findingColumns(file.displayPath, finding) }));
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row.columns[i].length)));
    out.push(palette.underline(file.displayPath));
    for (const { finding, columns } of rows) {
      const [location, severity, stage] = columns.map((text, i) => text.padEnd(widths[i]));
      out.push(`  ${location}  ${severityColor(palette, finding.severity)(severity)}  ${palette.dim(stage)}  ${finding.message}  ${palette.dim(`[${finding.ruleId}]`)}`);
    }
    out.push('');
  }
  out.push(summaryLine(report, palette));
  return out.join('\n') + '\n';
}

function summaryLine(report: CheckReport, palette: Palette): string {
  const totals = totalsOf(report);
  const fixed = totals.fixed > 0 ? `; --fix fixed ${plural(totals.fixed, 'finding')}` : '';
  if (totals.findings === 0) return palette.green(`No findings in ${plural(totals.files, 'file')}${fixed}.`);
  const bySeverity = (['error', 'warning', 'info', 'hint'] as const)
    .filter((severity) => totals.bySeverity[severity] > 0)
    .map((severity) => plural(totals.bySeverity[severity], severity))
    .join(', ');
  const fixable = totals.fixable > 0 ? `, ${totals.fixable} fixable with --fix` : '';
  const text = `${plural(totals.findings, 'finding')} (${bySeverity}) in ${totals.filesWithFindings} of ${plural(totals.files, 'file')}${fixable}${fixed}.`;
  return palette.bold(totals.bySeverity.error > 0 ? palette.red(text) : totals.bySeverity.warning > 0 ? palette.yellow(text) : text);
}
