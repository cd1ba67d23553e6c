import assert from 'node:assert/strict';
import { analyzeText, type AnalyzedFinding } from '../../core/analyze';
import { applyEdits } from '../../core/apply-edits';
import type { PodstartSettings } from '../../core/settings';
import { scanSuppressions } from '../../core/suppression';
import { onlyRule } from '../rules/harness';

/** Two image rules on, the rest off: each test is about silencing, not about what fires. */
const SETTINGS: PodstartSettings = onlyRule('mutable-image-tag', { rules: { 'pull-always-immutable-image': 'warning' } });

function findings(text: string): AnalyzedFinding[] {
  return analyzeText({ text, settings: SETTINGS }).findings;
}
const ids = (text: string) => findings(text).map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`);

/** A worker with an untagged image (mutable-image-tag) and a pinned image pulled Always (pull-always-immutable-image). */
const worker = ({ metadataExtra = '', templateExtra = '', beforeImage = '' } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: queue-worker
  namespace: jobs
${metadataExtra}spec:
  replicas: 2
  selector:
    matchLabels:
      app: queue-worker
  template:
    metadata:
      labels:
        app: queue-worker
${templateExtra}    spec:
      containers:
        - name: worker
${beforeImage}          image: ghcr.io/acme/queue-worker
        - name: exporter
          image: ghcr.io/acme/queue-exporter:0.7.1
          imagePullPolicy: Always
`;

describe('core/suppression', () => {
  it('fires both rules without a suppression', () => {
    assert.deepEqual(ids(worker()), ['mutable-image-tag@18', 'pull-always-immutable-image@21']);
  });

  describe('comments', () => {
    it('# podstart-disable-next-line silences the named rule on the next line only', () => {
      const text = worker({ beforeImage: '          # podstart-disable-next-line mutable-image-tag\n' });
      assert.deepEqual(ids(text), ['pull-always-immutable-image@22']);
    });

    it('# podstart-disable-next-line for another rule silences nothing here', () => {
      const text = worker({ beforeImage: '          # podstart-disable-next-line cpu-limit-throttles-startup\n' });
      assert.deepEqual(ids(text), ['mutable-image-tag@19', 'pull-always-immutable-image@22']);
    });

    it('# podstart-disable-next-line takes several ids, and none for all rules', () => {
      assert.deepEqual(scanSuppressions('a: 1\n# podstart-disable-next-line mutable-image-tag, pull-always-immutable-image\nb: 2\n').lines.get(2), new Set(['mutable-image-tag', 'pull-always-immutable-image']));
      assert.deepEqual(ids(worker({ beforeImage: '          # podstart-disable-next-line\n' })), ['pull-always-immutable-image@22']);
    });

    it('# podstart-disable silences a rule for the whole file, wherever it is written', () => {
      assert.deepEqual(ids(`# podstart-disable pull-always-immutable-image\n${worker()}`), ['mutable-image-tag@19']);
      assert.deepEqual(ids(`${worker()}# podstart-disable mutable-image-tag\n`), ['pull-always-immutable-image@21']);
      assert.deepEqual(ids(`# podstart-disable\n${worker()}`), []);
    });

    it('finds a directive after other comments and `#` in values, with or without space after its `#`', () => {
      const before = '# a comment\nurl: "http://x/#frag"  # another\n';
      assert.deepEqual([...scanSuppressions(`${before}#podstart-disable mutable-image-tag\n`).file], ['mutable-image-tag']);
      assert.deepEqual(scanSuppressions(`${before}key: 1 #\tpodstart-disable-next-line large-image\nb: 2\n`).lines.get(3), new Set(['large-image']));
      assert.equal(scanSuppressions(`${before}podstart-disable is only words here\n`).file.size, 0);
    });
  });

  describe('the podstart.dev/ignore annotation', () => {
    it('on the object silences the listed rules for that object', () => {
      const text = worker({ metadataExtra: '  annotations:\n    podstart.dev/ignore: "mutable-image-tag"\n' });
      assert.deepEqual(ids(text), ['pull-always-immutable-image@23']);
    });

    it('on the pod template does the same', () => {
      const text = worker({ templateExtra: '      annotations:\n        podstart.dev/ignore: mutable-image-tag, pull-always-immutable-image\n' });
      assert.deepEqual(ids(text), []);
    });

    it('"*" and "all" silence every rule for the object, and only for it', () => {
      const other = worker().replace('name: queue-worker\n  namespace', 'name: report-worker\n  namespace');
      for (const value of ['"*"', 'all']) {
        const text = `${worker({ metadataExtra: `  annotations:\n    podstart.dev/ignore: ${value}\n` })}---\n${other}`;
        assert.deepEqual(findings(text).map((finding) => finding.object?.name), ['report-worker', 'report-worker'], value);
      }
    });
  });

  describe('the disable edits', () => {
    const silencedBy = (text: string, pick: (finding: AnalyzedFinding) => { start: number; end: number; newText: string } | undefined) => {
      const before = findings(text);
      const target = before.find((finding) => finding.ruleId === 'mutable-image-tag')!;
      const edit = pick(target);
      assert.ok(edit, 'the finding offers the edit');
      const after = applyEdits(text, [edit]);
      return { after, remaining: findings(after).map((finding) => finding.ruleId) };
    };

    it('"disable for this line" writes a comment above the line at its indentation, which silences the finding', () => {
      const { after, remaining } = silencedBy(worker(), (finding) => finding.disable?.line);
      assert.ok(after.includes('        - name: worker\n          # podstart-disable-next-line mutable-image-tag\n          image: ghcr.io/acme/queue-worker\n'), after);
      assert.deepEqual(remaining, ['pull-always-immutable-image']);
    });

    it('"disable for this line" merges into a directive already above the line', () => {
      const text = worker({ beforeImage: '          # podstart-disable-next-line pull-always-immutable-image\n' });
      const { after, remaining } = silencedBy(text, (finding) => finding.disable?.line);
      assert.ok(after.includes('# podstart-disable-next-line pull-always-immutable-image, mutable-image-tag\n          image:'), after);
      assert.deepEqual(remaining, ['pull-always-immutable-image']);
    });

    it('"disable for this line" keeps CRLF line ends', () => {
      const { after, remaining } = silencedBy(worker().replace(/\n/g, '\r\n'), (finding) => finding.disable?.line);
      assert.ok(!/[^\r]\n/.test(after), 'every line still ends in CRLF');
      assert.deepEqual(remaining, ['pull-always-immutable-image']);
    });

    it('"disable for this object" creates the annotation, which silences the finding', () => {
      const { after, remaining } = silencedBy(worker(), (finding) => finding.disable?.object);
      assert.ok(after.includes('  namespace: jobs\n  annotations:\n    podstart.dev/ignore: "mutable-image-tag"\nspec:'), after);
      assert.deepEqual(remaining, ['pull-always-immutable-image']);
    });

    it('"disable for this object" adds to existing annotations and to an existing ignore list', () => {
      const withAnnotations = worker({ metadataExtra: '  annotations:\n    team: payments\n' });
      const first = silencedBy(withAnnotations, (finding) => finding.disable?.object);
      assert.ok(first.after.includes('    team: payments\n    podstart.dev/ignore: "mutable-image-tag"\n'), first.after);

      const withList = worker({ metadataExtra: '  annotations:\n    podstart.dev/ignore: "pull-always-immutable-image"\n' });
      const before = findings(withList);
      assert.deepEqual(before.map((finding) => finding.ruleId), ['mutable-image-tag']);
      const after = applyEdits(withList, [before[0].disable!.object!]);
      assert.ok(after.includes('podstart.dev/ignore: "pull-always-immutable-image,mutable-image-tag"'), after);
      assert.deepEqual(findings(after), []);
    });

    it('offers no object edit for flow-style metadata rather than a wrong one', () => {
      const text = worker().replace('metadata:\n  name: queue-worker\n  namespace: jobs\n', 'metadata: { name: queue-worker, namespace: jobs }\n');
      const finding = findings(text).find((candidate) => candidate.ruleId === 'mutable-image-tag')!;
      assert.equal(finding.disable?.object, undefined);
      assert.ok(finding.disable?.line);
    });
  });
});
