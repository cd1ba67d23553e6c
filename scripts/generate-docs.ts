/**
 * Regenerates the rule table in README.md, between `<!-- rules:start -->` and `<!-- rules:end -->`,
 * from the catalog (rules/index.ts) and each rule's page (docs/rules/<id>.md, for the Fix column).
 *
 *   npm run docs                                    rewrite README.md
 *   node --import tsx scripts/generate-docs.ts --check   exit 1 if README.md is out of date
 *
 * test/meta/readme-rules.test.ts fails when the table is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { targetOf, type Rule } from '../core/rule';
import { STAGE_TITLES } from '../core/types';
import { ALL_RULES } from '../rules';
import { FIX_LABELS, PROJECT_ROOT, readRuleDocPage } from './rule-doc-page';

export const README_PATH = path.join(PROJECT_ROOT, 'README.md');
export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** The page's own words for the fix ("Safe quick fix", "Quick fix (review before applying)"), or what the meta allows. */
function fixLabel(rule: Rule<any>): string {
  if (!rule.meta.fixable) return FIX_LABELS.none;
  const fromPage = readRuleDocPage(rule.meta.id)?.summary?.fix;
  return fromPage && fromPage !== FIX_LABELS.none ? fromPage : 'Quick fix';
}

/** What the rule reads, for the table's File column. */
export const FILE_LABELS = { manifest: 'Manifest', dockerfile: 'Dockerfile', kubelet: 'Kubelet config' } as const;

/** The Markdown table of every rule, in catalog order. */
export function renderRulesTable(rules: readonly Rule<any>[] = ALL_RULES): string {
  const rows = rules.map((rule) => {
    const { meta } = rule;
    return `| [${meta.id}](docs/rules/${meta.id}.md) | ${FILE_LABELS[targetOf(rule)]} | ${STAGE_TITLES[meta.stage]} | ${meta.defaultSeverity} | ${cell(fixLabel(rule))} | ${cell(meta.description)} |`;
  });
  return ['| Rule | File | Stage | Default severity | Fix | What it finds |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** README text with the table between the markers replaced, or undefined when the markers are missing. */
export function withRulesTable(readme: string, table = renderRulesTable()): string | undefined {
  const start = readme.indexOf(RULES_START);
  const end = readme.indexOf(RULES_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  const eol = readme.includes('\r\n') ? '\r\n' : '\n';
  return readme.slice(0, start + RULES_START.length) + eol + table.replace(/\n/g, eol) + eol + readme.slice(end);
}

function main(argv: string[]): number {
  const readme = readFileSync(README_PATH, 'utf8');
  const next = withRulesTable(readme);
  if (next === undefined) {
    console.error(`README.md has no ${RULES_START} ... ${RULES_END} section to fill.`);
    return 1;
  }
  if (argv.includes('--check')) {
    if (next === readme) return 0;
    console.error('README.md rule table is out of date: run `npm run docs`.');
    return 1;
  }
  if (next !== readme) writeFileSync(README_PATH, next);
  console.log(next === readme ? 'README.md rule table is up to date.' : `README.md rule table written (${ALL_RULES.length} rules).`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
