/**
 * Hover over a finding: which rule, which stage of the pod's start it costs, what it finds, what
 * it costs in numbers, and the rule's page. The diagnostic's own message already shows in the same
 * hover, so this adds the background rather than repeating it. Anywhere else: no hover.
 *
 * The text comes from the rule's meta, which is also where the page's summary comes from, so the
 * hover needs neither the network nor the page itself. The page is linked as the bundled file
 * (see ruleDocUri), which any client opens offline; the Podstart client, which can open the page
 * in the Markdown preview, gets a link to its podstart.showRuleDoc command instead.
 *
 * In a manifest whose workload's namespace the startup timings have read, the hover over an image,
 * a `kind:` or a `metadata.name:` also says what the cluster knows (server/timings-hover.ts).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedFinding } from '../core/analyze';
import { STAGE_TITLES } from '../core/types';
import { findRule } from '../rules';
import { ruleDocUri } from './diagnostics';
import type { DocumentAnalysis } from './document-analysis';
import { SHOW_RULE_DOC_COMMAND } from './protocol';
import type { HoverPart } from './timings-hover';

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

/**
 * `document` is the version the analysis was made of. `cluster`: what the startup timings already
 * read say about the value under the cursor (server/timings-hover.ts), shown after the rules.
 */
export function hoverAt(document: TextDocument, analysis: DocumentAnalysis, position: Position, docLink: RuleDocLink = fileDocLink, cluster?: HoverPart): Hover | null {
  const findings = findingsAt(document, analysis, position);
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))];
  const parts = [...ruleIds.map((ruleId) => ruleMarkdown(ruleId, docLink)), ...(cluster ? [cluster.value] : [])];
  if (parts.length === 0) return null;
  // The hover's range: the narrowest finding under the cursor, else the value the cluster part is about.
  const narrowest = findings.length > 0 ? findings.reduce((best, finding) => (finding.end - finding.start < best.end - best.start ? finding : best)).range : cluster!.range;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: narrowest,
  };
}
