/**
 * SARIF 2.1.0, for code scanning (GitHub, Azure DevOps) and SARIF viewers: one run whose
 * tool.driver lists every rule with its startup cost and documentation, one result per finding,
 * and the run's own errors as notifications of its invocation.
 *
 * Positions: lines and columns are 1-based and columns count UTF-16 code units, as JavaScript
 * strings do, and the run says so (columnKind). endColumn is exclusive, as SARIF defines it.
 * Safe fixes are given as replacements whose deletedRegion uses charOffset/charLength against
 * the file as it was read, in the same units.
 *
 * Artifact URIs are relative to the working folder (uriBaseId %SRCROOT%, defined in
 * originalUriBaseIds) when the file is inside it, and absolute file: URIs otherwise.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnalyzedFinding } from '../core/analyze';
import { targetOf, type Rule } from '../core/rule';
import { STAGE_TITLES, type Fix, type Severity } from '../core/types';
import { ALL_RULES } from '../rules';
import { TOOL_NAME, TOOL_VERSION, INFORMATION_URI, ruleHelpUri } from './project-info';
import { exitCodeOf, type CheckReport } from './report';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
/** SARIF has three levels for problems; info and hint are both notes. */
const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Findings about the file itself rather than a rule (see FILE_DIAGNOSTICS in core/analyze.ts). */
const FILE_DIAGNOSTIC_DESCRIPTIONS: Record<string, string> = {
  'invalid-yaml': 'A YAML document that does not parse; Podstart skips it and analyses the rest of the file.',
  'invalid-dockerfile': 'A Dockerfile that could not be parsed; not analysed.',
  'duplicate-key': 'A mapping with the same key twice, which the API server rejects under strict field validation.',
  'template-file': 'A Helm, Go or Jinja template rather than the YAML the cluster receives (or a template that generates a Dockerfile); not analysed.',
  'file-too-large': 'A file larger than the maxFileSize setting; not analysed.',
  'binary-file': 'A file holding binary data (a NUL byte) under a manifest or Dockerfile name; not analysed.',
  'invalid-setting': 'A Podstart setting that cannot be used.',
  'internal-error': 'A Podstart rule failed on an object; the other rules and objects are still analysed.',
};

/** Markdown to plain text, for the `text` members: the descriptions use only `code` spans. */
const plain = (markdown: string) => markdown.replace(/`/g, '');

function ruleDescriptor(rule: Rule<any>) {
  const { meta } = rule;
  const helpUri = ruleHelpUri(meta.id);
  return {
    id: meta.id,
    shortDescription: { text: plain(meta.description), markdown: meta.description },
    fullDescription: { text: `${plain(meta.description)} Startup cost: ${plain(meta.startupCost)}`, markdown: `${meta.description}\n\n**Startup cost:** ${meta.startupCost}` },
    help: {
      text: `${plain(meta.description)}\n\nStartup cost (${STAGE_TITLES[meta.stage]}): ${plain(meta.startupCost)}\n\nSee ${helpUri}`,
      markdown: `${meta.description}\n\n**Startup cost** (${STAGE_TITLES[meta.stage]}): ${meta.startupCost}\n\n[Rule documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: LEVELS[meta.defaultSeverity] },
    properties: {
      stage: meta.stage,
      stageTitle: STAGE_TITLES[meta.stage],
      fixable: meta.fixable,
      target: targetOf(rule),
      tags: [{ manifest: 'kubernetes', dockerfile: 'dockerfile', kubelet: 'kubelet' }[targetOf(rule)], 'pod-startup', meta.stage],
    },
  };
}

function fileDiagnosticDescriptor(id: string) {
  const description = FILE_DIAGNOSTIC_DESCRIPTIONS[id] ?? `Podstart diagnostic ${id}.`;
  return { id, shortDescription: { text: description }, defaultConfiguration: { level: 'note' as SarifLevel }, properties: { tags: ['podstart-file-diagnostic'] } };
}

function artifactLocationOf(filePath: string | undefined, cwd: string) {
  if (filePath === undefined) return { description: { text: 'standard input' } };
  const relative = path.relative(cwd, filePath);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
  }
  return { uri: pathToFileURL(filePath).href };
}

function regionOf(finding: { range: AnalyzedFinding['range'] }) {
  const { start, end } = finding.range;
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function sarifFix(fix: Fix, artifactLocation: ReturnType<typeof artifactLocationOf>) {
  const replacements = [...fix.edits]
    .sort((a, b) => a.start - b.start)
    .map((edit) => ({
      deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
      ...(edit.newText ? { insertedContent: { text: edit.newText } } : {}),
    }));
  return { description: { text: fix.title }, artifactChanges: [{ artifactLocation, replacements }] };
}

export function formatSarif(report: CheckReport): string {
  const rules: Array<ReturnType<typeof ruleDescriptor> | ReturnType<typeof fileDiagnosticDescriptor>> = ALL_RULES.map(ruleDescriptor);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const indexOf = (id: string) => {
    if (!ruleIndex.has(id)) ruleIndex.set(id, rules.push(fileDiagnosticDescriptor(id)) - 1);
    return ruleIndex.get(id)!;
  };

  const results = report.files.flatMap((file) => {
    const artifactLocation = artifactLocationOf(file.path, report.cwd);
    return file.findings.map((finding) => {
      const safeFixes = finding.fixes.filter((fix) => fix.safe);
      return {
        ruleId: finding.ruleId,
        ruleIndex: indexOf(finding.ruleId),
        level: LEVELS[finding.severity],
        message: { text: plain(finding.message), markdown: finding.message },
        locations: [{ physicalLocation: { artifactLocation, region: regionOf(finding) } }],
        ...(safeFixes.length > 0 ? { fixes: safeFixes.map((fix) => sarifFix(fix, artifactLocation)) } : {}),
        properties: { severity: finding.severity, ...(finding.stage ? { stage: finding.stage } : {}), ...(finding.object ? { object: { kind: finding.object.kind, name: finding.object.name } } : {}) },
      };
    });
  });

  const locationOf = (filePath: string | undefined, region?: ReturnType<typeof regionOf>) =>
    filePath === undefined ? [] : [{ physicalLocation: { artifactLocation: artifactLocationOf(filePath, report.cwd), ...(region ? { region } : {}) } }];
  const executionNotifications = [
    ...report.errors.filter((error) => error.kind !== 'config').map((error) => ({ level: 'error' as const, message: { text: error.message }, locations: locationOf(error.path) })),
    ...report.warnings.map((warning) => ({ level: 'warning' as const, message: { text: warning.message }, locations: locationOf(warning.path) })),
  ];
  const configurationNotifications = report.errors
    .filter((error) => error.kind === 'config')
    .map((error) => ({ level: 'error' as const, message: { text: plain(error.message) }, locations: locationOf(error.path, error.range ? regionOf({ range: error.range }) : undefined) }));

  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: TOOL_VERSION, semanticVersion: TOOL_VERSION, informationUri: INFORMATION_URI, rules } },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(report.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            exitCode: exitCodeOf(report),
            ...(executionNotifications.length > 0 ? { toolExecutionNotifications: executionNotifications } : {}),
            ...(configurationNotifications.length > 0 ? { toolConfigurationNotifications: configurationNotifications } : {}),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
