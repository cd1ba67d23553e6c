/**
 * Hover over a finding: which rule, which stage of the pod's start it costs, what it finds, what
 * it costs in numbers, and the rule's page. The diagnostic's own message already shows in the same
 * hover, so this adds the background rather than repeating it. Anywhere else: no hover.
 *
 * The text comes from the rule's meta, which is also where the page's summary comes from, so the
 * hover needs neither the network nor the page itself. The page is linked as the bundled file
 * (see ruleDocUri), which any client opens offline; the Podstart client, which can open the page
 * in the Markdown preview, gets a link to its podstart.showRuleDoc command instead.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedFinding } from '../core/analyze';
import { STAGE_TITLES } from '../core/types';
import { findRule } from '../rules';
import { ruleDocUri } from './diagnostics';
import type { DocumentAnalysis } from './document-analysis';
import { SHOW_RULE_DOC_COMMAND } from './protocol';

/** The link target of a rule's page in a hover, or undefined when the rule has none. */
export type RuleDocLink = (ruleId: string) => string | undefined;

/** The bundled page as a file: URI: opens in any editor, offline. */
export const fileDocLink: RuleDocLink = ruleDocUri;

/** A `command:` link that asks the Podstart client to open the page in the Markdown preview. */
export const commandDocLink: RuleDocLink = (ruleId) =>
  ruleDocUri(ruleId) && `command:${SHOW_RULE_DOC_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;

function findingsAt(document: TextDocument, analysis: DocumentAnalysis, position: Position): AnalyzedFinding[] {
  if (!analysis.file) return [];
  const offset = document.offsetAt(position);
  return analysis.file.findingsOnLines(position.line, position.line).filter((finding) => finding.start <= offset && offset < finding.end && findRule(finding.ruleId));
}

export function ruleMarkdown(ruleId: string, docLink: RuleDocLink = fileDocLink): string {
  const { meta } = findRule(ruleId)!;
  const doc = docLink(ruleId);
  return [
    `**Podstart \`${meta.id}\`** · ${STAGE_TITLES[meta.stage]}`,
    '',
    meta.description,
    '',
    `**Startup cost:** ${meta.startupCost}`,
    ...(doc ? ['', `[Rule documentation](${doc})`] : []),
  ].join('\n');
}

/** `document` is the version the analysis was made of. */
export function hoverAt(document: TextDocument, analysis: DocumentAnalysis, position: Position, docLink: RuleDocLink = fileDocLink): Hover | null {
  const findings = findingsAt(document, analysis, position);
  if (findings.length === 0) return null;
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))];
  // The hover's range: the narrowest finding under the cursor.
  const narrowest = findings.reduce((best, finding) => (finding.end - finding.start < best.end - best.start ? finding : best));
  return {
    contents: { kind: MarkupKind.Markdown, value: ruleIds.map((ruleId) => ruleMarkdown(ruleId, docLink)).join('\n\n---\n\n') },
    range: narrowest.range,
  };
}
