import assert from 'node:assert/strict';
import { applyEdits } from '../../core/apply-edits';
import { minimalEdits } from '../../server/text-diff';
import { ORDERS_API, REPORTS } from './fixtures';

describe('text diff for fix-all edits', () => {
  const check = (before: string, after: string) => {
    const edits = minimalEdits(before, after);
    assert.equal(applyEdits(before, edits), after);
    return edits;
  };

  it('turns a value change into an edit of just the value', () => {
    const after = REPORTS.replace('imagePullPolicy: Always\n---', 'imagePullPolicy: IfNotPresent\n---');
    const edits = check(REPORTS, after);
    assert.equal(edits.length, 1);
    assert.equal(REPORTS.slice(edits[0].start, edits[0].end), 'Always');
    assert.equal(edits[0].newText, 'IfNotPresent');
  });

  it('keeps changes far apart as separate edits, including inserted and removed lines', () => {
    const after = ORDERS_API.replace('metadata:\n  name: orders-api\n', 'metadata:\n  name: orders-api\n  annotations:\n    podstart.dev/ignore: "mutable-image-tag"\n')
      .replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent')
      .replace('          resources:\n            requests:\n              cpu: 50m\n', '');
    const edits = check(ORDERS_API, after);
    assert.equal(edits.length, 3);
    assert.ok(edits.every((edit) => edit.end - edit.start < 80 && edit.newText.length < 80), JSON.stringify(edits));
  });

  it('handles empty texts, whole replacements, repeated lines and a missing final newline', () => {
    for (const [before, after] of [
      ['', ORDERS_API],
      [ORDERS_API, ''],
      [ORDERS_API, REPORTS],
      ['---\n---\n---\n', '---\n---\n'],
      ['a: 1\nb: 2', 'a: 1\nb: 3'],
      ['a: 1\r\nb: 2\r\n', 'a: 1\r\nb: 20\r\nc: 3\r\n'],
    ]) {
      check(before, after);
    }
    assert.deepEqual(minimalEdits(REPORTS, REPORTS), []);
  });
});
