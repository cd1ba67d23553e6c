import assert from 'node:assert/strict';
import { analyzeText } from '../../core/analyze';
import { parseConfigText } from '../../core/config-file';
import { DEFAULT_PINNED_TAG_PATTERN } from '../../core/image-reference';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { compileSafePattern, patternProblem } from '../../core/safe-pattern';

/** Exponential on a string of a's followed by another character: the classic catastrophic pattern. */
const CATASTROPHIC = '^(a+)+$';

describe('core/safe-pattern: regular expressions from settings and .podstart.yaml run in linear time', () => {
  it('accepts ordinary and catastrophic patterns (RE2 runs both in linear time), refuses invalid ones and lookaround', () => {
    assert.equal(patternProblem(DEFAULT_PINNED_TAG_PATTERN), undefined);
    assert.equal(patternProblem(CATASTROPHIC), undefined);
    assert.match(patternProblem('(unclosed')!, /missing closing \)/);
    assert.match(patternProblem('(?<=v)\\d+')!, /lookaround and backreferences are not supported/);
    assert.ok(compileSafePattern('\\d+$')?.test('v123'));
    assert.equal(compileSafePattern('^\\d+$')?.test('v123'), false);
  });

  it('runs the default pinned-tag pattern on the native engine with the answers RE2 gives', () => {
    const re2 = RE2JS.compile(DEFAULT_PINNED_TAG_PATTERN);
    const shipped = compileSafePattern(DEFAULT_PINNED_TAG_PATTERN)!;
    const tagCharacter = fc.constantFrom(...'0123456789abcdefvV.-_+x'.split(''));
    const tag = fc.oneof(fc.string({ unit: tagCharacter, maxLength: 48 }), fc.constantFrom('1.25.3', 'v2.4.1-alpine', '20240115', '20250801_0916_RC01', '3.12', 'latest', 'a1b2c3d', '0'.repeat(41)));
    let pinned = 0;
    fc.assert(
      fc.property(tag, (text) => {
        const expected = re2.matcher(text).find();
        assert.equal(shipped.test(text), expected, text);
        if (expected) pinned++;
      }),
      { numRuns: 20000, seed: 5 },
    );
    assert.ok(pinned > 100, `${pinned} pinned tags among the cases`);
  });

  it('reports a pinnedTagPattern RE2 cannot run (a lookbehind) at its value and keeps the rule running with its default', () => {
    const text = `rules:\n  pull-always-immutable-image:\n    severity: error\n    options:\n      pinnedTagPattern: "(?<=v)[0-9]+"\n`;
    const { settings, problems } = parseConfigText(text);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Option `pinnedTagPattern` of rule `pull-always-immutable-image` is not a regular expression Podstart can run in linear time.*the default is used/);
    assert.equal(text.slice(problems[0].start, problems[0].end), '"(?<=v)[0-9]+"');
    assert.deepEqual(settings.rules, { 'pull-always-immutable-image': 'error' });
  });

  it('a catastrophic pattern (exponential under backtracking) runs in linear time and means what it says', () => {
    // 40 a's and a "-x" would take far longer than the test's timeout with a backtracking engine.
    const tag = `${'a'.repeat(40)}-x`;
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/app:${'a'.repeat(40)}\n      imagePullPolicy: Always\n    - name: d\n      image: registry.example.com/app:${tag}\n      imagePullPolicy: Always\n`;
    const started = process.hrtime.bigint();
    const result = analyzeText({ fileName: 'pod.yaml', text: manifest, settings: { rules: { 'pull-always-immutable-image': { options: { pinnedTagPattern: CATASTROPHIC } } } } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const fired = result.findings.filter((finding) => finding.ruleId === 'pull-always-immutable-image');
    // Under ^(a+)+$ the tag of 40 a's is "pinned" (Always is reported), the a…-x tag is not.
    assert.equal(fired.length, 1);
    assert.match(fired[0].message, /Container `c`/);
    assert.ok(ms < 5000, `analysis took ${ms} ms`);
  });
});
