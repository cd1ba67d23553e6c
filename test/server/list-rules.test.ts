import assert from 'node:assert/strict';
import { LIST_RULES_REQUEST, type RuleSummary } from '../../server/protocol';
import { ALL_RULES } from '../../rules';
import { ORDERS_API, Workspace } from './fixtures';
import { fileUri, ServerUnderTest } from './lsp-test-client';

describe('language server: podstart/listRules (the Show Rules command)', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  before(async () => {
    workspace = new Workspace();
    workspace.write('.podstart.yaml', 'rules:\n  mutable-image-tag: error\n');
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: { 'init-work-belongs-in-image': 'off' } }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  const listRules = (uri?: string) => server.connection.sendRequest(LIST_RULES_REQUEST, { uri }) as Promise<RuleSummary[]>;

  it('lists every rule with its stage, description and startup cost', async () => {
    const rules = await listRules();
    assert.deepEqual(rules.map((rule) => rule.id), ALL_RULES.map((rule) => rule.meta.id));
    const probe = rules.find((rule) => rule.id === 'missing-startup-probe')!;
    assert.equal(probe.stage, 'Probes and Ready');
    assert.equal(probe.fixable, true);
    assert.match(probe.startupCost, /\d/);
    // Without a document, the defaults.
    assert.equal(rules.find((rule) => rule.id === 'mutable-image-tag')!.severity, 'warning');
  });

  it('gives the severities in effect for the active file: .podstart.yaml, then the editor settings', async () => {
    const uri = fileUri(workspace.write('orders-api.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    await server.diagnosticsFor(uri);
    const rules = await listRules(uri);
    const severityOf = (id: string) => rules.find((rule) => rule.id === id)!.severity;
    assert.equal(severityOf('mutable-image-tag'), 'error');
    assert.equal(severityOf('init-work-belongs-in-image'), 'off');
    assert.equal(severityOf('pull-always-immutable-image'), 'warning');
  });
});
