import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { STAGE_TITLES } from '../../core/types';
import { ALL_RULES } from '../../rules';
import { REPO_ROOT, TempProject } from './harness';

describe('podstart rules', () => {
  let project: TempProject;
  before(() => (project = new TempProject()));
  after(() => project.dispose());

  it('lists every rule with its stage, default severity, fix and description', async () => {
    const run = await project.run(['rules']);
    assert.equal(run.code, 0);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^RULE +STAGE +SEVERITY +FIX +DESCRIPTION$/);
    assert.equal(lines.length, ALL_RULES.length + 1);
    for (const [i, { meta }] of ALL_RULES.entries()) {
      const columns = lines[i + 1].split(/ {2,}/);
      assert.deepEqual(columns, [meta.id, STAGE_TITLES[meta.stage], meta.defaultSeverity, meta.fixable ? 'yes' : 'no', meta.description.replace(/`/g, '')]);
    }
  });

  it('--format json gives each rule with its startup cost, options and documentation', async () => {
    const run = await project.run(['rules', '--format', 'json']);
    const rules = JSON.parse(run.stdout) as Array<{ id: string; stage: string; defaultSeverity: string; startupCost: string; helpUri: string; options: Record<string, unknown> }>;
    assert.deepEqual(rules.map((rule) => rule.id), ALL_RULES.map((rule) => rule.meta.id));
    for (const rule of rules) {
      assert.ok(rule.startupCost.length > 0);
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
      assert.ok(existsSync(path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`)), `docs/rules/${rule.id}.md`);
    }
  });
});
