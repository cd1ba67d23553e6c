import assert from 'node:assert/strict';
import { analyzeText } from '../../core/analyze';
import { AnalysisWarmUp, WARM_UP_RUNS, WARM_UP_SAMPLE } from '../../server/analysis-warm-up';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('analysis warm-up', () => {
  it('analyses a workload that exercises the parser and several rules, without a YAML error', () => {
    const result = analyzeText({ text: WARM_UP_SAMPLE, fileName: 'warm-up.yaml', fileType: 'manifest' });
    assert.equal(result.workloadCount, 1);
    const rules = new Set(result.findings.map((finding) => finding.ruleId));
    // Every finding comes from a rule: none says the file is invalid, templated or failed a rule.
    assert.ok(result.findings.every((finding) => finding.stage !== undefined), [...rules].join(', '));
    assert.ok(rules.size >= 3, `rules that fire on the sample: ${[...rules].join(', ')}`);
  });

  it('runs its analyses one per event-loop turn, so messages are handled in between, and only once', async () => {
    let analyses = 0;
    const warmUp = new AnalysisWarmUp(5, () => analyses++);
    const done = warmUp.start({});
    assert.equal(analyses, 0, 'nothing runs before the event loop turns');
    const seen: number[] = [];
    for (let turn = 0; turn < 5; turn++) {
      await nextTurn();
      seen.push(analyses);
    }
    await done;
    assert.equal(analyses, 5);
    // Each turn of other work saw at most one more analysis than the turn before.
    seen.forEach((count, index) => assert.ok(count - (seen[index - 1] ?? 0) <= 1, `turns saw ${seen.join(', ')}`));
    await warmUp.start({});
    assert.equal(analyses, 5, 'a second start does nothing');
  });

  it('stops at the first failing analysis without throwing', async () => {
    let analyses = 0;
    const warmUp = new AnalysisWarmUp(WARM_UP_RUNS, () => {
      analyses++;
      throw new Error('boom');
    });
    await warmUp.start({});
    assert.equal(analyses, 1);
  });
});
