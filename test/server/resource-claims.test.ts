/**
 * DRA references across the documents of one file, over the protocol against the real bundle:
 * the server analyses each document alone, so a Deployment naming a template defined in the
 * file's other document must see it, and must be analysed again when only the template changes.
 */
import assert from 'node:assert/strict';
import type { Range } from 'vscode-languageserver/node';
import { analyzeText } from '../../core/analyze';
import { IncrementalAnalyzer } from '../../server/incremental-analysis';
import { onlyRule } from '../rules/harness';
import { Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from './lsp-test-client';

const RULE = 'resource-claim-reference-unresolved';

/** The template's name is on line 4 (0-based 3), from character 8; the Deployment's reference on line 36 (0-based 35), from character 35. */
const GPU_ENCODER = `apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: single-gpu
  namespace: media
spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: gpu.nvidia.com
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: encoder
  namespace: media
spec:
  selector:
    matchLabels:
      app: encoder
  template:
    metadata:
      labels:
        app: encoder
    spec:
      containers:
      - name: encoder
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: gpu
      resourceClaims:
      - name: gpu
        resourceClaimTemplateName: single-gpus
`;

const TEMPLATE_NAME: Range = { start: { line: 3, character: 8 }, end: { line: 3, character: 18 } };

describe('language server: DRA references between the documents of a file', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;
  const summary = (diagnostics: Array<{ code?: unknown; range: Range }>) =>
    diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.line}:${diagnostic.range.end.character}`);

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules(RULE) }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('underlines a reference to a template the other document misnames, and clears it when the template is renamed', async () => {
    const uri = fileUri(workspace.write('deploy/encoder.yaml', GPU_ENCODER));
    await server.open(uri, GPU_ENCODER);
    const { diagnostics } = await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    assert.deepEqual(summary(diagnostics), [`${RULE}@35:35-35:46`]);
    assert.match(messageText(diagnostics[0]), /names a ResourceClaimTemplate that is not defined in namespace `media`, where the manifests define `single-gpu`: did you mean `single-gpu`\?/);

    // Only the template's document changes; the Deployment's text (and its cached findings' key) does not.
    await server.change(uri, [{ range: TEMPLATE_NAME, text: 'single-gpus' }]);
    assert.deepEqual((await server.diagnosticsFor(uri)).diagnostics, []);

    // And back: the finding returns when the names part again.
    await server.change(uri, [{ range: { start: TEMPLATE_NAME.start, end: { line: 3, character: 19 } }, text: 'single-gpu' }]);
    assert.deepEqual(summary((await server.diagnosticsFor(uri)).diagnostics), [`${RULE}@35:35-35:46`]);
    await server.close(uri);
  });

  it('the incremental analysis equals analyzeText on the whole file through those edits', () => {
    const analyzer = new IncrementalAnalyzer();
    const settings = onlyRule(RULE);
    const fixed = GPU_ENCODER.replace('  name: single-gpu\n', '  name: single-gpus\n');
    for (const text of [GPU_ENCODER, fixed, GPU_ENCODER]) {
      const whole = analyzeText({ text, fileName: 'encoder.yaml', settings }).findings.map((finding) => `${finding.ruleId}@${finding.start}-${finding.end}`);
      const incremental = analyzer.analyze(text, 'encoder.yaml', settings).findings().map((finding) => `${finding.ruleId}@${finding.start}-${finding.end}`);
      assert.deepEqual(incremental, whole);
      assert.equal(whole.length, text === fixed ? 0 : 1);
    }
  });
});
