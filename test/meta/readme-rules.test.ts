import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_RULES } from '../../rules';
import { README_PATH, renderRulesTable, RULES_END, RULES_START, withRulesTable } from '../../scripts/generate-docs';

const readme = readFileSync(README_PATH, 'utf8');
const hasMarkers = readme.includes(RULES_START) && readme.includes(RULES_END);

(hasMarkers ? describe : describe.skip)(`README.md rule table${hasMarkers ? '' : ` (skipped: no ${RULES_START} / ${RULES_END} markers)`}`, () => {
  it('is what `npm run docs` generates from the catalog', () => {
    assert.equal(withRulesTable(readme), readme, 'README.md rule table is out of date: run `npm run docs`');
  });

  it('links every rule to its page', () => {
    const table = renderRulesTable();
    for (const rule of ALL_RULES) assert.ok(table.includes(`[${rule.meta.id}](docs/rules/${rule.meta.id}.md)`), rule.meta.id);
  });

  it('replaces only what is between the markers', () => {
    const sample = `# Title\n\n${RULES_START}\nold table\n${RULES_END}\n\n## After\n`;
    const next = withRulesTable(sample, '| a |\n|---|')!;
    assert.equal(next, `# Title\n\n${RULES_START}\n| a |\n|---|\n${RULES_END}\n\n## After\n`);
    assert.equal(withRulesTable(next, '| a |\n|---|'), next, 'regenerating is stable');
    assert.equal(withRulesTable('# No markers\n'), undefined);
  });
});
