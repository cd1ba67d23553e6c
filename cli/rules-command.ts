/** `podstart rules`: the catalog, as an aligned table or as JSON. */
import { targetOf } from '../core/rule';
import { STAGE_TITLES } from '../core/types';
import { ALL_RULES } from '../rules';
import { ruleHelpUri } from './project-info';

export function formatRules(format: 'text' | 'json'): string {
  if (format === 'json') {
    const rules = ALL_RULES.map((rule) => {
      const { meta } = rule;
      return {
        id: meta.id,
        target: targetOf(rule),
        stage: meta.stage,
        stageTitle: STAGE_TITLES[meta.stage],
        defaultSeverity: meta.defaultSeverity,
        fixable: meta.fixable,
        description: meta.description,
        startupCost: meta.startupCost,
        options: Object.fromEntries(Object.entries(meta.options).map(([name, spec]) => [name, { type: spec.type, default: spec.default, description: spec.description }])),
        helpUri: ruleHelpUri(meta.id),
      };
    });
    return JSON.stringify(rules, null, 2) + '\n';
  }
  const header = ['RULE', 'STAGE', 'SEVERITY', 'FIX', 'DESCRIPTION'];
  const rows = ALL_RULES.map(({ meta }) => [meta.id, STAGE_TITLES[meta.stage], meta.defaultSeverity, meta.fixable ? 'yes' : 'no', meta.description.replace(/`/g, '')]);
  const widths = header.slice(0, -1).map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]) : cell)).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
