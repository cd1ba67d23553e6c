/**
 * "Podstart: Show Rules": every rule in a quick pick, with its stage, the severity it has for the
 * active file (after `.podstart.yaml` and `podstart.rules`) and what it finds; choosing one opens
 * its bundled page. The server owns the catalog, so the client bundle carries no rule code.
 */
import { window, type ExtensionContext, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LIST_RULES_REQUEST, type ListRulesParams, type RuleSummary } from '../server/protocol';
import { showRuleDoc } from './rule-docs';

interface RuleItem extends QuickPickItem {
  ruleId: string;
}

function itemOf(rule: RuleSummary): RuleItem {
  const severity = rule.severity === 'off' ? 'off' : rule.severity === rule.defaultSeverity ? rule.severity : `${rule.severity} (default ${rule.defaultSeverity})`;
  return {
    ruleId: rule.id,
    label: rule.id,
    description: `${rule.stage} · ${severity}${rule.fixable ? ' · fixable' : ''}`,
    detail: rule.description.replace(/`/g, ''),
  };
}

export async function showRules(context: ExtensionContext, client: LanguageClient): Promise<void> {
  const params: ListRulesParams = { uri: window.activeTextEditor?.document.uri.toString() };
  const rules = await client.sendRequest<RuleSummary[]>(LIST_RULES_REQUEST, params);
  const picked = await window.showQuickPick(rules.map(itemOf), {
    title: 'Podstart rules',
    placeHolder: 'Choose a rule to read what it finds, what it costs at startup and how to fix it',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked) await showRuleDoc(context, picked.ruleId);
}
