import assert from 'node:assert/strict';
import { CodeActionRequest, CodeActionResolveRequest, type CodeAction, type Command, type Range } from 'vscode-languageserver/node';
import { ORDERS_API, ORDERS_API_FINDINGS, REPORTS, Workspace, applyWorkspaceEdit, documentVersionOf } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

const RULES_UNDER_TEST = onlyRules('pull-always-immutable-image', 'mutable-image-tag');

describe('language server: code actions', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  const actionsAt = async (uri: string, range: Range, only?: string[]) =>
    (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [], only } })) as CodeAction[];
  const titles = (actions: CodeAction[]) => actions.map((action) => action.title);
  const byTitle = (actions: CodeAction[], title: string) => {
    const action = actions.find((candidate) => candidate.title === title);
    assert.ok(action, `no action "${title}" among ${JSON.stringify(titles(actions))}`);
    return action;
  };
  const resolve = (action: CodeAction) => server.connection.sendRequest(CodeActionResolveRequest.type, action);

  async function openFresh(relative: string, text: string): Promise<string> {
    const uri = fileUri(workspace.write(relative, text));
    await server.open(uri, text);
    await server.diagnosticsFor(uri);
    return uri;
  }

  /** Sends the edited text as the editor would after applying an action, and returns the new diagnostics. */
  async function applyAndResync(uri: string, text: string) {
    await server.change(uri, [{ text }]);
    return server.diagnosticsFor(uri);
  }

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: RULES_UNDER_TEST }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('offers, for a fixable finding: its fix (preferred), disabling it for the line or the object, its documentation, and fix-all', async () => {
    const uri = await openFresh('fixable/orders-api.yaml', ORDERS_API);
    const actions = await actionsAt(uri, ORDERS_API_FINDINGS.pullAlways);
    assert.deepEqual(titles(actions), [
      'Set imagePullPolicy to IfNotPresent',
      'Disable pull-always-immutable-image for this line',
      'Disable pull-always-immutable-image for this object',
      'Show documentation for pull-always-immutable-image',
      'Fix all auto-fixable Podstart problems',
    ]);
    assert.ok(actions.every((action) => action.kind === 'quickfix'));
    assert.deepEqual(actions.map((action) => action.isPreferred === true), [true, false, false, false, false]);
    const fix = actions[0];
    assert.deepEqual(fix.diagnostics?.map((diagnostic) => [diagnostic.code, diagnostic.range]), [['pull-always-immutable-image', ORDERS_API_FINDINGS.pullAlways]]);
    assert.equal(documentVersionOf(fix.edit), server.version(uri), 'the edit names the document version it was made for');
    await server.close(uri);
  });

  it('applies the quick fix as a minimal edit that keeps the comment, and the finding goes away', async () => {
    const uri = await openFresh('fix/orders-api.yaml', ORDERS_API);
    const fix = byTitle(await actionsAt(uri, ORDERS_API_FINDINGS.pullAlways), 'Set imagePullPolicy to IfNotPresent');
    const change = fix.edit!.documentChanges![0] as { edits: unknown[] };
    assert.deepEqual(change.edits, [{ range: ORDERS_API_FINDINGS.pullAlways, newText: 'IfNotPresent' }]);
    const fixed = applyWorkspaceEdit(ORDERS_API, uri, fix.edit);
    assert.equal(fixed, ORDERS_API.replace('imagePullPolicy: Always # pinned', 'imagePullPolicy: IfNotPresent # pinned'));
    const { diagnostics } = await applyAndResync(uri, fixed);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['mutable-image-tag']);
    await server.close(uri);
  });

  it('disables a rule for one line with a directive above it, at its indentation', async () => {
    const uri = await openFresh('line/orders-api.yaml', ORDERS_API);
    const action = byTitle(await actionsAt(uri, ORDERS_API_FINDINGS.latestTag), 'Disable mutable-image-tag for this line');
    const disabled = applyWorkspaceEdit(ORDERS_API, uri, action.edit);
    assert.equal(
      disabled,
      ORDERS_API.replace('          image: fluent/fluent-bit:latest\n', '          # podstart-disable-next-line mutable-image-tag\n          image: fluent/fluent-bit:latest\n'),
    );
    const { diagnostics } = await applyAndResync(uri, disabled);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['pull-always-immutable-image']);
    await server.close(uri);
  });

  it('disables a rule for one object with the podstart.dev/ignore annotation', async () => {
    const uri = await openFresh('object/orders-api.yaml', ORDERS_API);
    const action = byTitle(await actionsAt(uri, ORDERS_API_FINDINGS.pullAlways), 'Disable pull-always-immutable-image for this object');
    const disabled = applyWorkspaceEdit(ORDERS_API, uri, action.edit);
    assert.equal(
      disabled,
      ORDERS_API.replace(
        '  labels:\n    app.kubernetes.io/name: orders-api\nspec:',
        '  labels:\n    app.kubernetes.io/name: orders-api\n  annotations:\n    podstart.dev/ignore: "pull-always-immutable-image"\nspec:',
      ),
    );
    const { diagnostics } = await applyAndResync(uri, disabled);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['mutable-image-tag']);
    await server.close(uri);
  });

  it('places the edits of a finding in a later YAML document of the file where that document sits', async () => {
    const text = `${ORDERS_API}---\n${REPORTS}`;
    const shift = ORDERS_API.split('\n').length; // REPORTS starts after ORDERS_API and the `---` line
    const uri = await openFresh('later/everything.yaml', text);
    const viewer = { start: { line: shift + 33, character: 27 }, end: { line: shift + 33, character: 33 } };
    const actions = await actionsAt(uri, viewer);
    const fix = byTitle(actions, 'Set imagePullPolicy to IfNotPresent');
    assert.deepEqual((fix.edit!.documentChanges![0] as { edits: unknown[] }).edits, [{ range: viewer, newText: 'IfNotPresent' }]);

    const disabled = applyWorkspaceEdit(text, uri, byTitle(actions, 'Disable pull-always-immutable-image for this object').edit);
    assert.equal(
      disabled,
      text.replace('metadata:\n  name: report-viewer\n', 'metadata:\n  name: report-viewer\n  annotations:\n    podstart.dev/ignore: "pull-always-immutable-image"\n'),
    );
    const { diagnostics } = await applyAndResync(uri, disabled);
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]), [
      ['pull-always-immutable-image', 21],
      ['mutable-image-tag', 29],
      ['pull-always-immutable-image', shift + 14],
    ]);
    await server.close(uri);
  });

  it('writes the line breaks a CRLF file already uses', async () => {
    const text = ORDERS_API.replace(/\n/g, '\r\n');
    const uri = await openFresh('crlf/orders-api.yaml', text);
    const actions = await actionsAt(uri, ORDERS_API_FINDINGS.latestTag);
    const line = applyWorkspaceEdit(text, uri, byTitle(actions, 'Disable mutable-image-tag for this line').edit);
    assert.equal(line, text.replace('          image: fluent/fluent-bit:latest\r\n', '          # podstart-disable-next-line mutable-image-tag\r\n          image: fluent/fluent-bit:latest\r\n'));
    const object = applyWorkspaceEdit(text, uri, byTitle(actions, 'Disable mutable-image-tag for this object').edit);
    assert.equal(
      object,
      text.replace('    app.kubernetes.io/name: orders-api\r\nspec:', '    app.kubernetes.io/name: orders-api\r\n  annotations:\r\n    podstart.dev/ignore: "mutable-image-tag"\r\nspec:'),
    );
    assert.deepEqual((await applyAndResync(uri, object)).diagnostics.map((diagnostic) => diagnostic.code), ['pull-always-immutable-image']);
    await server.close(uri);
  });

  it('opens the rule documentation through the client command podstart.showRuleDoc', async () => {
    const uri = await openFresh('docs/orders-api.yaml', ORDERS_API);
    const action = byTitle(await actionsAt(uri, ORDERS_API_FINDINGS.latestTag), 'Show documentation for mutable-image-tag');
    assert.equal(action.edit, undefined);
    assert.deepEqual(action.command as Command, { title: 'Show documentation for mutable-image-tag', command: 'podstart.showRuleDoc', arguments: ['mutable-image-tag'] });
    // The rule has no fix, so its own actions are the disable ones and the documentation.
    assert.ok(!titles(await actionsAt(uri, ORDERS_API_FINDINGS.latestTag)).some((title) => title.startsWith('Set ')));
    await server.close(uri);
  });

  it('fixes every problem of one rule in the file, computed when the action is resolved', async () => {
    const uri = await openFresh('rule/reports.yaml', REPORTS);
    const actions = await actionsAt(uri, { start: { line: 14, character: 33 }, end: { line: 14, character: 33 } });
    const fixRule = byTitle(actions, 'Fix all pull-always-immutable-image problems in file');
    assert.equal(fixRule.edit, undefined, 'the edit waits for resolve');
    const resolved = await resolve(fixRule);
    const fixed = applyWorkspaceEdit(REPORTS, uri, resolved.edit);
    assert.equal(fixed, REPORTS.replaceAll('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    assert.equal(documentVersionOf(resolved.edit), server.version(uri));
    assert.deepEqual((await applyAndResync(uri, fixed)).diagnostics, []);
    await server.close(uri);
  });

  it('serves source.fixAll.podstart for fix-on-save, and only when asked for source actions', async () => {
    const text = `${ORDERS_API}---\n${REPORTS}`;
    const uri = await openFresh('save/everything.yaml', text);
    const whole: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    for (const only of [['source.fixAll'], ['source.fixAll.podstart'], ['source']]) {
      const actions = await actionsAt(uri, whole, only);
      assert.deepEqual(titles(actions), ['Fix all auto-fixable Podstart problems'], `only ${only}`);
      assert.equal(actions[0].kind, 'source.fixAll.podstart');
      assert.equal(actions[0].diagnostics, undefined);
      const fixed = applyWorkspaceEdit(text, uri, actions[0].edit);
      assert.equal(fixed, text.replaceAll('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    }
    assert.deepEqual(await actionsAt(uri, whole), [], 'no quick fixes where there is no finding');
    assert.deepEqual(await actionsAt(uri, whole, ['quickfix']), []);
    assert.deepEqual(await actionsAt(uri, whole, ['refactor']), []);
    await server.close(uri);
  });

  it('answers podstart/fixAll (the podstart.fixAll command) with the safe fixes and how many there were', async () => {
    const uri = await openFresh('command/reports.yaml', REPORTS);
    const result = (await server.connection.sendRequest('podstart/fixAll', { uri })) as { edit?: Parameters<typeof applyWorkspaceEdit>[2]; fixed: number };
    assert.equal(result.fixed, 2);
    assert.equal(applyWorkspaceEdit(REPORTS, uri, result.edit), REPORTS.replaceAll('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    const clean = (await server.connection.sendRequest('podstart/fixAll', { uri: fileUri(workspace.path('not-open.yaml')) })) as { fixed: number; edit?: unknown };
    assert.deepEqual(clean, { fixed: 0 });
    await server.close(uri);
  });
});

describe('language server: fixes that need a review', () => {
  /** A search indexer whose CPU limit throttles its JVM start; its pinned image is also pulled Always. */
  const INDEXER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: search-indexer
spec:
  selector:
    matchLabels:
      app: search-indexer
  template:
    metadata:
      labels:
        app: search-indexer
    spec:
      containers:
        - name: indexer
          image: ghcr.io/acme/search-indexer:5.0.2
          imagePullPolicy: Always
          resources:
            requests:
              memory: 1Gi
            limits:
              cpu: 200m
              memory: 1Gi
`;
  const cpuLimit: Range = { start: { line: 21, character: 19 }, end: { line: 21, character: 23 } };
  let server: ServerUnderTest;
  let workspace: Workspace;
  let uri: string;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules('pull-always-immutable-image', 'cpu-limit-throttles-startup') }) });
    uri = fileUri(workspace.write('indexer.yaml', INDEXER));
    await server.open(uri, INDEXER);
    await server.diagnosticsFor(uri);
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  const actionsAt = async (range: Range, only?: string[]) =>
    (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [], only } })) as CodeAction[];

  it('offers them one at a time, none preferred, each applying all of its edits', async () => {
    const actions = await actionsAt(cpuLimit);
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred === true]),
      [
        ['Raise the CPU limit to 500m (keep 200m as the CPU request)', false],
        ['Remove the CPU limit (keep 200m as the CPU request)', false],
        ['Disable cpu-limit-throttles-startup for this line', false],
        ['Disable cpu-limit-throttles-startup for this object', false],
        ['Show documentation for cpu-limit-throttles-startup', false],
        ['Fix all auto-fixable Podstart problems', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics?.map((diagnostic) => [diagnostic.code, diagnostic.range]), [['cpu-limit-throttles-startup', cpuLimit]]);
    const removal = applyWorkspaceEdit(INDEXER, uri, actions[1].edit);
    assert.equal(
      removal,
      INDEXER.replace(
        '            requests:\n              memory: 1Gi\n            limits:\n              cpu: 200m\n              memory: 1Gi\n',
        '            requests:\n              memory: 1Gi\n              cpu: 200m\n            limits:\n              memory: 1Gi\n',
      ),
    );
  });

  it('leaves them out of fix-all and fix-on-save', async () => {
    const [onSave] = await actionsAt({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ['source.fixAll']);
    assert.equal(applyWorkspaceEdit(INDEXER, uri, onSave.edit), INDEXER.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    const fixAll = (await actionsAt(cpuLimit)).find((action) => action.title === 'Fix all auto-fixable Podstart problems')!;
    const resolved = await server.connection.sendRequest(CodeActionResolveRequest.type, fixAll);
    assert.equal(applyWorkspaceEdit(INDEXER, uri, resolved.edit), INDEXER.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
  });
});

describe('language server: code actions for a client without resolve or versioned edits', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      settings: () => ({ enable: true, rules: RULES_UNDER_TEST }),
      capabilities: { workspace: { configuration: true, workspaceEdit: { documentChanges: false } }, textDocument: { codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } } },
    });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });

  it('computes fix-all edits up front and sends plain `changes`', async () => {
    const uri = fileUri(workspace.write('reports.yaml', REPORTS));
    await server.open(uri, REPORTS);
    await server.diagnosticsFor(uri);
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 33, character: 28 }, end: { line: 33, character: 28 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const fixRule = actions.find((action) => action.title === 'Fix all pull-always-immutable-image problems in file');
    assert.ok(fixRule?.edit?.changes, 'edit computed without resolve');
    assert.equal(applyWorkspaceEdit(REPORTS, uri, fixRule.edit), REPORTS.replaceAll('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    assert.deepEqual(server.errorLogs(), []);
  });
});
