import assert from 'node:assert/strict';
import { analyzeText, FILE_DIAGNOSTICS } from '../../core/analyze';
import { defineRule } from '../../core/rule';
import { DocumentParseCache } from '../../core/yaml-documents';
import { ALL_RULES } from '../../rules';
import { onlyRule } from '../rules/harness';

const IMAGE_RULE = onlyRule('mutable-image-tag');

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

/** Nine levels of nine aliases each: 9^9 (387 million) strings if anything expanded it. */
function billionLaughs(): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: lol', 'x-laughs:', '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let level = 1; level <= 9; level++) lines.push(`  l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
  lines.push('  m0: &m0 {cpu: 100m, memory: 64Mi}');
  for (let level = 1; level <= 9; level++) lines.push(`  m${level}: &m${level} {${Array.from({ length: 9 }, (_, key) => `k${key}: *m${level - 1}`).join(', ')}}`);
  lines.push(
    'spec:',
    '  initContainers: *l9',
    '  containers:',
    '    - name: app',
    '      image: ghcr.io/acme/app:1.0.0',
    '      command: *l9',
    '      args: *l9',
    '      env: *l9',
    '      volumeMounts: *l9',
    '      resources: *m9',
    '      startupProbe: *m9',
    '      readinessProbe: *m9',
  );
  return lines.join('\n') + '\n';
}

describe('core/analyze', () => {
  it('analyses an alias bomb quickly, without expanding it or crashing', () => {
    const text = billionLaughs();
    const started = performance.now();
    const result = analyzeText({ text });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
    assert.equal(result.workloadCount, 1);
    assert.deepEqual(result.findings.filter((finding) => finding.ruleId === 'internal-error' || finding.ruleId === FILE_DIAGNOSTICS.invalidYaml).map((finding) => finding.message), []);
  });

  it('survives nesting deep enough to exhaust the parser, with an error on that document', () => {
    const text = `${deployment('web', 'nginx')}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  containers: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const result = analyzeText({ text, settings: IMAGE_RULE });
    assert.deepEqual(result.findings.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`), ['mutable-image-tag@17', `${FILE_DIAGNOSTICS.invalidYaml}@24`]);
  });

  it('reports invalid YAML in one document of three and analyses the other two', () => {
    const broken = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
spec:
  template:
    spec:
      containers:
      - name: app
          image: ghcr.io/acme/app
`;
    const text = `${deployment('first', 'nginx')}---\n${broken}---\n${deployment('third', 'redis:latest')}`;
    const result = analyzeText({ text, settings: IMAGE_RULE });
    assert.equal(result.workloadCount, 2);
    const summary = result.findings.map((finding) => [finding.ruleId, finding.severity, finding.range.start.line + 1, finding.object?.name]);
    assert.deepEqual(summary, [
      ['mutable-image-tag', 'warning', 17, 'first'],
      [FILE_DIAGNOSTICS.invalidYaml, 'error', 27, undefined],
      ['mutable-image-tag', 'warning', 46, 'third'],
    ]);
    assert.match(result.findings[1].message, /^Invalid YAML: .*Podstart skipped this document; the file's other documents are still analysed\.$/);
  });

  it('reports a duplicate key as an error and still analyses the object', () => {
    const text = deployment('api', 'nginx').replace('  replicas: 2\n', '  replicas: 2\n  replicas: 3\n');
    const result = analyzeText({ text, settings: IMAGE_RULE });
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.range.start.line + 1]), [
      [FILE_DIAGNOSTICS.duplicateKey, 'error', 7],
      ['mutable-image-tag', 'warning', 18],
    ]);
  });

  it('confines a failing rule to one rule on one object', () => {
    const exploding = defineRule({
      meta: { ...ALL_RULES[0].meta, id: 'exploding-rule', options: {}, target: 'manifest' },
      check({ workload }) {
        if (workload.name === 'api') throw new Error('boom');
      },
    });
    const text = `${deployment('api', 'nginx')}---\n${deployment('web', 'nginx')}`;
    const result = analyzeText({ text, rules: [exploding, ...ALL_RULES], settings: IMAGE_RULE });
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.object?.name ?? finding.message]), [
      ['internal-error', 'Podstart rule exploding-rule failed on Deployment api: boom'],
      ['mutable-image-tag', 'api'],
      ['mutable-image-tag', 'web'],
    ]);
  });

  it('gives positions in the edited text when unchanged documents come from the cache', () => {
    const cache = new DocumentParseCache();
    const first = `${deployment('api', 'ghcr.io/acme/api:1.0.0')}---\n${deployment('web', 'nginx')}`;
    analyzeText({ text: first, cache, settings: IMAGE_RULE });
    // Three lines inserted into the first document move the second, whose parse is reused.
    const edited = first.replace('  replicas: 2\n', '  replicas: 2\n  revisionHistoryLimit: 3\n  minReadySeconds: 5\n  progressDeadlineSeconds: 120\n');
    const fromCache = analyzeText({ text: edited, cache, settings: IMAGE_RULE });
    const fresh = analyzeText({ text: edited, settings: IMAGE_RULE });
    assert.deepEqual(fromCache.findings.map((finding) => [finding.start, finding.range]), fresh.findings.map((finding) => [finding.start, finding.range]));
    assert.equal(edited.slice(fromCache.findings[0].start, fromCache.findings[0].end), 'nginx');
    assert.equal(fromCache.findings[0].range.start.line + 1, 38);
  });

  it('answers a file over maxFileSize with one notice and no parse', () => {
    const text = deployment('api', 'nginx');
    const result = analyzeText({ text, settings: { maxFileSize: 100 } });
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity]), [[FILE_DIAGNOSTICS.tooLarge, 'info']]);
    assert.equal(result.workloadCount, 0);
  });

  it('answers a template with one notice on its first line', () => {
    const helm = deployment('api', '"{{ .Values.image.repository }}:{{ .Values.image.tag }}"');
    const result = analyzeText({ text: helm, fileName: 'charts/api/templates/deployment.yaml' });
    assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.range.start.line]), [[FILE_DIAGNOSTICS.template, 'info', 0]]);
    const jinja = analyzeText({ text: deployment('api', 'nginx'), fileName: 'roles/web/templates/deployment.yaml.j2' });
    assert.match(jinja.findings[0].message, /Jinja template/);
  });

  it('says nothing but the template notice when a later document is templated, not even counts from the documents before it', () => {
    const text = `${deployment('api', 'nginx')}---\n${deployment('worker', 'nginx:{{ .Values.tag }}')}`;
    const result = analyzeText({ text });
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), [FILE_DIAGNOSTICS.template]);
    assert.equal(result.workloadCount, 0);
    assert.equal(result.readsDefinedObjects, false);
    assert.deepEqual(result.imageReferences, []);
  });

  it('lets go of each document tree after its rules unless asked to keep them, with the same findings', () => {
    const text = `${deployment('api', 'nginx')}---\n${deployment('worker', 'redis:latest')}`;
    const dropped = analyzeText({ text });
    const kept = analyzeText({ text, keepDocuments: true });
    assert.deepEqual(dropped.chunks.map((chunk) => chunk.doc), [undefined, undefined]);
    assert.deepEqual(kept.chunks.map((chunk) => chunk.doc?.toJS().metadata.name), ['api', 'worker']);
    assert.deepEqual(dropped.findings, kept.findings);
    assert.equal(dropped.workloadCount, 2);
  });

  it('finds the objects pod specs name in documents before and after the pod, whichever it reads first', () => {
    const claimTemplate = (name: string) => `apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\nmetadata:\n  name: ${name}\nspec:\n  spec:\n    devices:\n      requests:\n      - name: gpu\n        exactly:\n          deviceClassName: gpu.example.com\n`;
    const pod = (claim: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: trainer\nspec:\n  containers:\n  - name: train\n    image: ghcr.io/acme/train:1.0.0\n    resources:\n      claims:\n      - name: gpu\n  resourceClaims:\n  - name: gpu\n    resourceClaimTemplateName: ${claim}\n`;
    const settings = onlyRule('resource-claim-reference-unresolved');
    for (const keepDocuments of [false, true]) {
      const unresolved = (...documents: string[]) => analyzeText({ text: documents.join('---\n'), settings, keepDocuments }).findings.map((finding) => finding.ruleId);
      for (const [what, documents] of [
        ['template first', [claimTemplate('gpus'), pod('gpus')]],
        ['template last', [pod('gpus'), claimTemplate('gpus')]],
        ['template between two pods', [pod('gpus'), claimTemplate('gpus'), pod('gpus')]],
      ] as const) {
        assert.deepEqual(unresolved(...documents), [], `${what}, keepDocuments ${keepDocuments}`);
      }
      assert.deepEqual(unresolved(pod('gpu'), claimTemplate('gpus')), ['resource-claim-reference-unresolved']);
      assert.deepEqual(unresolved(claimTemplate('gpus'), pod('gpu')), ['resource-claim-reference-unresolved']);
    }
  });

  it('does not take {{ }} inside a quoted string for a template', () => {
    const text = `${deployment('api', 'nginx')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  summary: "{{ $labels.pod }} is not ready"\n`;
    const result = analyzeText({ text, settings: IMAGE_RULE });
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['mutable-image-tag']);
  });
});
