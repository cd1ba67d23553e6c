/**
 * The server analyses a file document by document and reuses the findings of documents an edit
 * did not touch. These tests hold it to one promise: after any sequence of edits, the findings
 * are exactly what analyzeText reports for the whole text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeText, type AnalyzedFinding } from '../../core/analyze';
import type { ImageFactsView } from '../../core/image-facts';
import type { PodstartSettings } from '../../core/settings';
import { IncrementalAnalyzer } from '../../server/incremental-analysis';
import { PieceTextDocument } from '../../server/piece-document';
import { pod, template } from '../support/dra-objects';
import { ORDERS_API, REPORTS } from './fixtures';
import { REPO_ROOT } from './lsp-test-client';

const comparable = (findings: AnalyzedFinding[]) =>
  findings.map((finding) => ({
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    start: finding.start,
    end: finding.end,
    range: finding.range,
    fixes: finding.fixes,
    disable: finding.disable,
  }));

function assertSameAsWholeFile(analyzer: IncrementalAnalyzer, text: string, settings: PodstartSettings, fileName = 'manifests.yaml'): void {
  const whole = analyzeText({ text, fileName, settings });
  const incremental = analyzer.analyze(text, fileName, settings);
  assert.deepEqual(comparable(incremental.findings()), comparable(whole.findings));
  assert.equal(incremental.workloadCount, whole.workloadCount);
}

const EXAMPLES = readdirSync(path.join(REPO_ROOT, 'examples'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => readFileSync(path.join(REPO_ROOT, 'examples', name), 'utf8'));
const BUNDLE = [ORDERS_API, REPORTS, ...EXAMPLES].map((text) => (text.endsWith('\n') ? text : `${text}\n`)).join('---\n');

describe('incremental analysis', () => {
  const settings: PodstartSettings = {};

  it('equals analyzeText on every bundled example and on all of them in one file', () => {
    for (const text of [...EXAMPLES, BUNDLE]) assertSameAsWholeFile(new IncrementalAnalyzer(), text, settings);
  });

  it('stays equal through edits that change a value, add lines, add and remove documents', () => {
    const analyzer = new IncrementalAnalyzer();
    let text = BUNDLE;
    assertSameAsWholeFile(analyzer, text, settings);
    const edits: Array<(current: string) => string> = [
      (current) => current.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'),
      (current) => current.replace('fluent/fluent-bit:latest', 'fluent/fluent-bit:3.1.9'),
      (current) => current.replace('spec:\n  replicas: 3', 'spec:\n  # three zones\n  # one replica each\n  replicas: 3'),
      (current) => `${current}---\n${REPORTS}`,
      (current) => current.slice(0, current.lastIndexOf(`---\n${REPORTS}`)),
      (current) => `${ORDERS_API}---\n${current}`,
      (current) => current.replace('image: fluent/fluent-bit:3.1.9', 'image: fluent/fluent-bit'),
    ];
    for (const edit of edits) {
      const next = edit(text);
      assert.notEqual(next, text, 'each edit changes the text');
      text = next;
      assertSameAsWholeFile(analyzer, text, settings);
    }
  });

  it('stays equal when it reads the server\'s document kept as YAML pieces, through edits that make, break and move document markers', () => {
    const analyzer = new IncrementalAnalyzer();
    let text = BUNDLE;
    const document = PieceTextDocument.create('file:///manifests.yaml', 'yaml', 1, text);
    const check = () => {
      const whole = analyzeText({ text, fileName: 'manifests.yaml', settings });
      const incremental = analyzer.analyze(document, 'manifests.yaml', settings);
      assert.deepEqual(comparable(incremental.findings()), comparable(whole.findings));
      assert.equal(incremental.workloadCount, whole.workloadCount);
    };
    check();
    const edits: Array<(current: string) => string> = [
      (current) => current.replace('fluent/fluent-bit:latest', 'fluent/fluent-bit:3.1.9'),
      // The marker before the second document becomes a comment: two documents join (one now has duplicate keys).
      (current) => current.replace('\n---\n', '\n# ---\n'),
      (current) => current.replace('\n# ---\n', '\n---\n'),
      // A marker typed in the middle of a Deployment splits it.
      (current) => current.replace('  replicas: 3\n', '  replicas: 3\n---\n'),
      (current) => current.replace('  replicas: 3\n---\n', '  replicas: 3\n'),
      (current) => `${current}---\n${REPORTS}`,
      (current) => current.slice(0, current.lastIndexOf(`---\n${REPORTS}`)),
      // A NUL makes the file binary data, and its removal makes it a manifest again.
      (current) => current.replace('replicas: 3', 'replicas: 3\u0000'),
      (current) => current.replace('replicas: 3\u0000', 'replicas: 3'),
    ];
    edits.forEach((edit, index) => {
      const next = edit(text);
      assert.notEqual(next, text, `edit ${index + 1} changes the text`);
      // Sent as an editor sends it: the range that differs, replaced.
      let head = 0;
      while (head < text.length && head < next.length && text[head] === next[head]) head++;
      let tail = 0;
      while (tail < text.length - head && tail < next.length - head && text[text.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
      PieceTextDocument.update(document, [{ range: { start: document.positionAt(head), end: document.positionAt(text.length - tail) }, text: next.slice(head, next.length - tail) }], index + 2);
      text = next;
      assert.equal(document.getText(), text);
      check();
    });
  });

  it('analyses again, when another document renames a DRA template, only the pods that name claims', () => {
    const analyzer = new IncrementalAnalyzer();
    const fileOf = (templateName: string) => [ORDERS_API, template(templateName, 'gpu'), pod('gpu', 'single-gpu')].join('---\n');
    const before = analyzer.analyze(fileOf('single-gpu'), 'gpu.yaml', settings);
    assertSameAsWholeFile(new IncrementalAnalyzer(), fileOf('single-gpu'), settings, 'gpu.yaml');
    assert.ok(!before.findings().some((finding) => finding.ruleId === 'resource-claim-reference-unresolved'));
    // The template renamed: the pod's reference no longer resolves.
    const after = analyzer.analyze(fileOf('single-gpus'), 'gpu.yaml', settings);
    assertSameAsWholeFile(new IncrementalAnalyzer(), fileOf('single-gpus'), settings, 'gpu.yaml');
    assert.ok(after.findings().some((finding) => finding.ruleId === 'resource-claim-reference-unresolved' && finding.message.includes('did you mean `single-gpus`')));
    // The orders Deployment and Service, the template, the pod.
    assert.equal(after.documents.length, 4);
    // The Deployment and the Service name no claim: their findings were kept, not computed again; the pod's (same text) were.
    assert.equal(after.documents[0].findings, before.documents[0].findings);
    assert.equal(after.documents[1].findings, before.documents[1].findings);
    assert.notEqual(after.documents[3].findings, before.documents[3].findings);
  });

  it('applies a `# podstart-disable` written in one document to the whole file, and stops when it is removed', () => {
    const analyzer = new IncrementalAnalyzer();
    assertSameAsWholeFile(analyzer, BUNDLE, settings);
    const silenced = BUNDLE.replace('kind: CronJob\n', 'kind: CronJob\n# podstart-disable pull-always-immutable-image\n');
    assertSameAsWholeFile(analyzer, silenced, settings);
    assert.equal(analyzer.analyze(silenced, 'manifests.yaml', settings).findings().filter((finding) => finding.ruleId === 'pull-always-immutable-image').length, 0);
    assertSameAsWholeFile(analyzer, BUNDLE, settings);
  });

  it('reports a template or an oversized file once for the whole file, and analyses normally afterwards', () => {
    const analyzer = new IncrementalAnalyzer();
    const helm = BUNDLE.replace('replicas: 3', 'replicas: {{ .Values.replicaCount }}');
    assertSameAsWholeFile(analyzer, helm, settings);
    assert.deepEqual(analyzer.analyze(helm, 'manifests.yaml', settings).findings().map((finding) => finding.ruleId), ['template-file']);
    assertSameAsWholeFile(analyzer, BUNDLE, settings);

    const small: PodstartSettings = { maxFileSize: 2048 };
    assertSameAsWholeFile(analyzer, BUNDLE, small);
    assert.deepEqual(analyzer.analyze(BUNDLE, 'manifests.yaml', small).findings().map((finding) => finding.ruleId), ['file-too-large']);
    assertSameAsWholeFile(analyzer, BUNDLE, settings);
  });

  it('follows settings changes', () => {
    const analyzer = new IncrementalAnalyzer();
    assertSameAsWholeFile(analyzer, BUNDLE, settings);
    assertSameAsWholeFile(analyzer, BUNDLE, { rules: { 'pull-always-immutable-image': 'error', 'mutable-image-tag': 'off' } });
    assertSameAsWholeFile(analyzer, BUNDLE, { kubernetesVersion: '1.28' });
  });

  it('analyses again only the documents whose images got new registry facts', () => {
    const known = new Map<string, ImageFactsView>();
    const lookup = (reference: string) => known.get(reference);
    const analyzer = new IncrementalAnalyzer();
    const before = analyzer.analyze(BUNDLE, 'manifests.yaml', settings, 'manifest', lookup);
    assert.ok(before.imageReferences().includes('fluent/fluent-bit:latest'), 'the rules asked about the log shipper');
    assert.deepEqual(comparable(before.findings()), comparable(analyzeText({ text: BUNDLE, fileName: 'manifests.yaml', settings }).findings));

    known.set('fluent/fluent-bit:latest', { digest: `sha256:${'ab'.repeat(32)}`, compressedSize: 480_000_000, layerCount: 9 });
    const after = analyzer.analyze(BUNDLE, 'manifests.yaml', settings, 'manifest', lookup);
    const whole = analyzeText({ text: BUNDLE, fileName: 'manifests.yaml', settings, imageFacts: lookup });
    assert.deepEqual(comparable(after.findings()), comparable(whole.findings), 'the same as a whole-file analysis with the facts');
    assert.ok(after.findings().some((finding) => finding.ruleId === 'large-image'), 'the size finding appears');
    // The first document (ORDERS_API's Deployment) names the log shipper and is analysed again; the
    // third (REPORTS' CronJob) asked about its own images, whose answers did not change: it is not.
    assert.notEqual(after.documents[0].findings, before.documents[0].findings);
    assert.deepEqual(before.documents[2].findings.imageFacts.map(([reference]) => reference), ['registry.example.com/finance/report:2024.11.02']);
    assert.equal(after.documents[2].findings, before.documents[2].findings);
  });

  it('places findings by line without placing every finding of the file', () => {
    const text = `${ORDERS_API}---\n${REPORTS}`;
    const file = new IncrementalAnalyzer().analyze(text, 'manifests.yaml', settings);
    const reportsStart = ORDERS_API.split('\n').length; // REPORTS begins after ORDERS_API and the `---` line
    const onLine = file.findingsOnLines(reportsStart + 14, reportsStart + 14).filter((finding) => finding.range.start.line === reportsStart + 14);
    assert.deepEqual(onLine.map((finding) => [finding.ruleId, finding.range.start]), [['pull-always-immutable-image', { line: reportsStart + 14, character: 31 }]]);
    assert.equal(text.slice(onLine[0].start, onLine[0].end), 'Always');
  });
});
