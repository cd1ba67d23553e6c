/**
 * Kubelet configurations over the protocol, against the real bundle: a kind cluster config whose
 * kubeadmConfigPatches hold a KubeletConfiguration gets diagnostics at the exact field inside the
 * embedded block, and the quick fix edits the block with its indentation; a kubelet config.json
 * opened in JSON mode is analysed as JSON; other JSON is left alone.
 */
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type Range } from 'vscode-languageserver/node';
import { applyWorkspaceEdit, Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from './lsp-test-client';

const SERIAL = 'kubelet-serial-image-pulls';
const INVALID = 'kubelet-config-invalid';

const KIND_CLUSTER = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
  kubeadmConfigPatches:
  - |
    kind: KubeletConfiguration
    serializeImagePulls: true
    serializeImagePull: false
`;

const KUBELET_JSON = `{
  "apiVersion": "kubelet.config.k8s.io/v1beta1",
  "kind": "KubeletConfiguration",
  "serializeImagePulls": true
}
`;

describe('language server: kubelet configurations', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  const actionsAt = async (uri: string, range: Range) => (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) as CodeAction[];
  const summary = (diagnostics: Array<{ code?: unknown; range: Range; severity?: number }>) =>
    diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.line}:${diagnostic.range.end.character} severity ${diagnostic.severity}`);

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules(SERIAL, INVALID) }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('underlines fields inside a kind patch, with the severity the kubelet earns', async () => {
    const uri = fileUri(workspace.write('clusters/kind.yaml', KIND_CLUSTER));
    await server.open(uri, KIND_CLUSTER);
    const { diagnostics } = await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    // The true of serializeImagePulls (a warning), and the misspelt key the kubelet ignores (a warning, under an error rule).
    assert.deepEqual(summary(diagnostics), [`${SERIAL}@8:25-8:29 severity 2`, `${INVALID}@9:4-9:22 severity 2`]);
    assert.match(messageText(diagnostics[1]), /did you mean "serializeImagePulls"\?/);
    // The status bar counts the patch as a kubelet configuration (a kind Cluster has no workload).
    const status = (await server.connection.sendRequest('podstart/documentStatus', { uri })) as { workloadCount: number; kubeletConfigCount: number };
    assert.deepEqual([status.workloadCount, status.kubeletConfigCount], [0, 1]);
    await server.close(uri);
  });

  it('fixes a field inside the patch in place', async () => {
    const uri = fileUri(workspace.write('clusters/fix.yaml', KIND_CLUSTER));
    await server.open(uri, KIND_CLUSTER);
    const { diagnostics } = await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    const actions = await actionsAt(uri, diagnostics[0].range);
    const fix = actions.find((action) => action.title.startsWith('Pull images in parallel'));
    assert.ok(fix, actions.map((action) => action.title).join(', '));
    assert.equal(
      applyWorkspaceEdit(KIND_CLUSTER, uri, fix.edit),
      KIND_CLUSTER.replace('    serializeImagePulls: true\n    serializeImagePull: false\n', '    serializeImagePulls: false\n    serializeImagePull: false\n    maxParallelImagePulls: 5\n'),
    );
    await server.close(uri);
  });

  it('analyses a kubelet config.json opened in JSON mode, and leaves other JSON alone', async () => {
    const kubelet = fileUri(workspace.write('nodes/kubelet-config.json', KUBELET_JSON));
    await server.open(kubelet, KUBELET_JSON, 'json');
    assert.deepEqual(summary((await server.diagnosticsFor(kubelet, (params) => params.diagnostics.length > 0)).diagnostics), [`${SERIAL}@3:25-3:29 severity 2`]);
    const packageJson = fileUri(workspace.write('package.json', '{"name": "orders", "version": "1.0.0"}\n'));
    await server.open(packageJson, '{"name": "orders", "version": "1.0.0"}\n', 'json');
    assert.deepEqual((await server.diagnosticsFor(packageJson)).diagnostics, []);
    await server.close(kubelet);
    await server.close(packageJson);
  });
});
