import assert from 'node:assert/strict';
import { writeFileSync, unlinkSync } from 'node:fs';
import { DidChangeConfigurationNotification, DiagnosticSeverity, FileChangeType } from 'vscode-languageserver/node';
import { ORDERS_API, REPORTS, Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from './lsp-test-client';

const OTHER_RULES_OFF = onlyRules('pull-always-immutable-image', 'mutable-image-tag');
const codes = (params: { diagnostics: Array<{ code?: unknown }> }) => params.diagnostics.map((diagnostic) => diagnostic.code);

describe('language server: editor settings', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;
  let rules: Record<string, unknown>;
  let enable: boolean;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable, rules }) });
  });
  beforeEach(() => {
    rules = { ...OTHER_RULES_OFF };
    enable = true;
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('registers for configuration changes, unless the client says it syncs them itself', async () => {
    await server.waitFor('the registration', () => (server.registrations.includes('workspace/didChangeConfiguration') ? true : undefined));
    const syncing = await ServerUnderTest.start({ workspaceFolder: workspace.root, initializationOptions: { synchronizesConfiguration: true } });
    // Any answered request comes after the work of `initialized` on the server's side.
    await syncing.connection.sendRequest('podstart/documentStatus', { uri: 'untitled:nothing' });
    // The server still asks to hear of .dockerignore files, which change Dockerfile findings.
    assert.deepEqual(syncing.registrations, ['workspace/didChangeWatchedFiles']);
    await syncing.stop();
  });

  it('re-publishes open documents when a rule is turned off or its severity changes, without reopening them', async () => {
    const uri = fileUri(workspace.write('orders-api.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), ['pull-always-immutable-image', 'mutable-image-tag']);

    rules = { ...OTHER_RULES_OFF, 'pull-always-immutable-image': 'off' };
    let next = server.nextPublish(uri);
    await server.configurationChanged();
    assert.deepEqual(codes(await next), ['mutable-image-tag']);

    rules = { ...OTHER_RULES_OFF, 'mutable-image-tag': { severity: 'error' } };
    next = server.nextPublish(uri);
    await server.configurationChanged();
    const { diagnostics } = await next;
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      ['pull-always-immutable-image', DiagnosticSeverity.Warning],
      ['mutable-image-tag', DiagnosticSeverity.Error],
    ]);
    await server.close(uri);
  });

  it('passes rule options through: a tag listed as mutable is flagged', async () => {
    rules = { ...OTHER_RULES_OFF, 'mutable-image-tag': { options: { mutableTags: ['latest', 'stable'] } } };
    await server.configurationChanged();
    const text = ORDERS_API.replace('fluent/fluent-bit:latest', 'fluent/fluent-bit:stable');
    const uri = fileUri(workspace.write('options.yaml', text));
    await server.open(uri, text);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.deepEqual(codes({ diagnostics }), ['pull-always-immutable-image', 'mutable-image-tag']);
    assert.match(messageText(diagnostics[1]), /fluent\/fluent-bit:stable/);
    await server.close(uri);
  });

  it('publishes nothing while podstart.enable is off and reports the state to the status bar', async () => {
    enable = false;
    await server.configurationChanged();
    const uri = fileUri(workspace.write('disabled.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    assert.deepEqual((await server.diagnosticsFor(uri)).diagnostics, []);
    const status = await server.connection.sendRequest('podstart/documentStatus', { uri });
    assert.deepEqual(status, { uri, enabled: false, workloadCount: 1, kubeletConfigCount: 0, findings: { error: 0, warning: 0, info: 0, hint: 0 }, skippedBecause: 'podstart.enable is off' });

    enable = true;
    const next = server.nextPublish(uri);
    await server.configurationChanged();
    assert.deepEqual(codes(await next), ['pull-always-immutable-image', 'mutable-image-tag']);
    await server.close(uri);
  });

  it('ignores malformed settings values, logs them, and keeps analysing with the rest', async () => {
    rules = { ...OTHER_RULES_OFF, 'mutable-image-tag': 'loud', 'pull-always-immutable-image': 'error' };
    const settings = server.settings;
    server.settings = () => ({ enable: true, rules, maxFileSize: 'big', kubernetesVersion: 'latest' });
    await server.configurationChanged();
    const uri = fileUri(workspace.write('malformed.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      ['pull-always-immutable-image', DiagnosticSeverity.Error],
      ['mutable-image-tag', DiagnosticSeverity.Warning],
    ]);
    const warnings = server.logs.filter((log) => log.type === 2).map((log) => log.message).join('\n');
    assert.match(warnings, /podstart\.rules\.mutable-image-tag/);
    assert.match(warnings, /podstart\.maxFileSize/);
    assert.match(warnings, /podstart\.kubernetesVersion "latest"/);
    server.settings = settings;
    await server.close(uri);
  });
});

describe('language server: settings pushed by a client without workspace/configuration', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;
  const push = (podstart: unknown) => server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { podstart } });

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      capabilities: { workspace: { configuration: false, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true } },
    });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });

  it('applies the settings each didChangeConfiguration carries to the open documents', async () => {
    const uri = fileUri(workspace.write('orders-api.yaml', ORDERS_API));
    let next = server.nextPublish(uri);
    await push({ rules: { ...OTHER_RULES_OFF, 'mutable-image-tag': 'error' } });
    await server.open(uri, ORDERS_API);
    assert.deepEqual((await next).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      ['pull-always-immutable-image', DiagnosticSeverity.Warning],
      ['mutable-image-tag', DiagnosticSeverity.Error],
    ]);

    next = server.nextPublish(uri);
    await push({ enable: false });
    assert.deepEqual((await next).diagnostics, []);

    next = server.nextPublish(uri);
    await push({ rules: { ...OTHER_RULES_OFF, 'pull-always-immutable-image': 'off' } });
    assert.deepEqual(codes(await next), ['mutable-image-tag']);
    assert.deepEqual(server.configurationRequests, [], 'nothing is pulled from a client that cannot answer');
    assert.deepEqual(server.registrations, []);
    assert.deepEqual(server.errorLogs(), []);
    await server.close(uri);
  });
});

describe('language server: .podstart.yaml', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;
  let editorRules: Record<string, unknown>;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: editorRules }) });
  });
  beforeEach(() => {
    editorRules = { ...OTHER_RULES_OFF };
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('applies the nearest config above the file, and the editor settings over it', async () => {
    workspace.write('shop/.podstart.yaml', 'rules:\n  pull-always-immutable-image: off\n');
    workspace.write('shop/payments/.podstart.yaml', 'rules:\n  mutable-image-tag: info\n');
    const shop = fileUri(workspace.write('shop/orders-api.yaml', ORDERS_API));
    const payments = fileUri(workspace.write('shop/payments/orders-api.yaml', ORDERS_API));
    await server.open(shop, ORDERS_API);
    await server.open(payments, ORDERS_API);
    assert.deepEqual(codes(await server.diagnosticsFor(shop)), ['mutable-image-tag']);
    // The nearer config replaces the outer one (it does not merge with it).
    const inner = await server.diagnosticsFor(payments);
    assert.deepEqual(inner.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      ['pull-always-immutable-image', DiagnosticSeverity.Warning],
      ['mutable-image-tag', DiagnosticSeverity.Information],
    ]);

    editorRules = { ...OTHER_RULES_OFF, 'pull-always-immutable-image': 'error' };
    const next = server.nextPublish(shop);
    await server.configurationChanged();
    assert.deepEqual((await next).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      ['pull-always-immutable-image', DiagnosticSeverity.Error],
      ['mutable-image-tag', DiagnosticSeverity.Warning],
    ]);
    await server.close(shop);
    await server.close(payments);
  });

  it('publishes the config file’s own problems on it, at the line they are on', async () => {
    const configText = 'kubernetesVersion: "1.33"\nrules:\n  mutable-image-tag: warning\n  no-such-rule: error\n';
    const configPath = workspace.write('billing/.podstart.yaml', configText);
    const manifest = fileUri(workspace.write('billing/reports.yaml', REPORTS));
    const problems = server.nextPublish(fileUri(configPath), (params) => params.diagnostics.length > 0);
    await server.open(manifest, REPORTS);
    const { diagnostics } = await problems;
    assert.ok(diagnostics.length >= 1);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.code === 'invalid-setting' && diagnostic.source === 'podstart'));
    assert.ok(
      diagnostics.some((diagnostic) => diagnostic.range.start.line === 3 && /no-such-rule/.test(messageText(diagnostic))),
      JSON.stringify(diagnostics),
    );
    // The valid parts of the config still apply.
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'pull-always-immutable-image']);
    await server.close(manifest);
  });

  it('re-publishes the open config file’s problems as it is edited, and clears them once it is right', async () => {
    const text = 'rules:\n  mutable-image-tag: warning\n';
    const configUri = fileUri(workspace.write('ledger/.podstart.yaml', text));
    const manifest = fileUri(workspace.write('ledger/orders-api.yaml', ORDERS_API));
    await server.open(configUri, text);
    assert.deepEqual((await server.waitFor('config diagnostics', () => server.latest(configUri))).diagnostics, []);
    await server.open(manifest, ORDERS_API);
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'mutable-image-tag']);

    // Typing `warn` over `warning`: the config says so where the typo is; the manifest keeps the rule's default.
    let problems = server.nextPublish(configUri);
    await server.change(configUri, [{ range: { start: { line: 1, character: 21 }, end: { line: 1, character: 28 } }, text: 'warn' }]);
    const { diagnostics } = await problems;
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.severity, diagnostic.code, diagnostic.source, messageText(diagnostic)]),
      [
        [
          { start: { line: 1, character: 21 }, end: { line: 1, character: 25 } },
          DiagnosticSeverity.Warning,
          'invalid-setting',
          'podstart',
          'The setting of rule `mutable-image-tag` must be a severity (error, warning, info, hint or off) or a map with `severity` and `options`, not "warn".',
        ],
      ],
    );
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'mutable-image-tag']);

    // Finishing the word as `off`: no problem left, and the manifest loses the rule's finding.
    problems = server.nextPublish(configUri);
    const manifestUpdate = server.nextPublish(manifest, (params) => params.diagnostics.length === 1);
    await server.change(configUri, [{ range: { start: { line: 1, character: 21 }, end: { line: 1, character: 25 } }, text: 'off' }]);
    assert.deepEqual((await problems).diagnostics, []);
    assert.deepEqual(codes(await manifestUpdate), ['pull-always-immutable-image']);
    await server.close(manifest);
    await server.close(configUri);
  });

  it('reports a config that is not valid YAML on the config, and analyses manifests with the defaults meanwhile', async () => {
    const broken = 'rules:\n  mutable-image-tag: off\n  pull-always-immutable-image: "off\n';
    workspace.write('warehouse/.podstart.yaml', broken);
    const configUri = fileUri(workspace.path('warehouse/.podstart.yaml'));
    const problems = server.nextPublish(configUri, (params) => params.diagnostics.length > 0);
    const manifest = fileUri(workspace.write('warehouse/orders-api.yaml', ORDERS_API));
    await server.open(manifest, ORDERS_API);
    const { diagnostics } = await problems;
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.match(messageText(diagnostics[0]), /^Invalid YAML: /);
    assert.equal(diagnostics[0].code, 'invalid-setting');
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'mutable-image-tag']);
    await server.close(manifest);
  });

  it('re-analyses open manifests as the open config document is edited, before it is saved', async () => {
    const configPath = workspace.write('catalog/.podstart.yaml', 'rules:\n  mutable-image-tag: warning\n');
    const configUri = fileUri(configPath);
    const manifest = fileUri(workspace.write('catalog/orders-api.yaml', ORDERS_API));
    await server.open(manifest, ORDERS_API);
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'mutable-image-tag']);

    await server.open(configUri, 'rules:\n  mutable-image-tag: warning\n');
    const next = server.nextPublish(manifest, (params) => params.diagnostics.length === 1);
    await server.change(configUri, [{ range: { start: { line: 1, character: 21 }, end: { line: 1, character: 28 } }, text: 'off' }]);
    assert.deepEqual(codes(await next), ['pull-always-immutable-image']);

    // Closing without saving: the file on disk applies again.
    const reverted = server.nextPublish(manifest, (params) => params.diagnostics.length === 2);
    await server.close(configUri);
    assert.deepEqual(codes(await reverted), ['pull-always-immutable-image', 'mutable-image-tag']);
    await server.close(manifest);
  });

  it('follows config files created, changed and deleted on disk (the client’s file watcher)', async () => {
    const manifest = fileUri(workspace.write('inventory/orders-api.yaml', ORDERS_API));
    await server.open(manifest, ORDERS_API);
    assert.deepEqual(codes(await server.diagnosticsFor(manifest)), ['pull-always-immutable-image', 'mutable-image-tag']);

    const configPath = workspace.write('inventory/.podstart.yaml', 'rules:\n  mutable-image-tag: off\n');
    let next = server.nextPublish(manifest);
    await server.watchedFilesChanged([{ uri: fileUri(configPath), type: FileChangeType.Created }]);
    assert.deepEqual(codes(await next), ['pull-always-immutable-image']);

    writeFileSync(configPath, 'rules:\n  pull-always-immutable-image: off\n');
    next = server.nextPublish(manifest);
    await server.watchedFilesChanged([{ uri: fileUri(configPath), type: FileChangeType.Changed }]);
    assert.deepEqual(codes(await next), ['mutable-image-tag']);

    unlinkSync(configPath);
    next = server.nextPublish(manifest);
    await server.watchedFilesChanged([{ uri: fileUri(configPath), type: FileChangeType.Deleted }]);
    assert.deepEqual(codes(await next), ['pull-always-immutable-image', 'mutable-image-tag']);
    await server.close(manifest);
  });

  it('leaves files matched by the config’s ignore globs alone', async () => {
    workspace.write('platform/.podstart.yaml', 'ignore:\n  - "vendor/**"\n');
    const vendored = fileUri(workspace.write('platform/vendor/orders-api.yaml', ORDERS_API));
    const own = fileUri(workspace.write('platform/orders-api.yaml', ORDERS_API));
    await server.open(vendored, ORDERS_API);
    await server.open(own, ORDERS_API);
    assert.deepEqual((await server.diagnosticsFor(vendored)).diagnostics, []);
    assert.equal((await server.diagnosticsFor(own)).diagnostics.length, 2);
    const status = (await server.connection.sendRequest('podstart/documentStatus', { uri: vendored })) as { skippedBecause?: string };
    assert.match(status.skippedBecause ?? '', /ignore pattern/);
    await server.close(vendored);
    await server.close(own);
  });

  it('does not treat the config itself as a manifest', async () => {
    const configUri = fileUri(workspace.write('solo/.podstart.yaml', 'kubernetesVersion: "1.31"\n'));
    await server.open(configUri, 'kubernetesVersion: "1.31"\n');
    const { diagnostics } = await server.waitFor('config diagnostics', () => server.latest(configUri));
    assert.deepEqual(diagnostics, []);
    await server.close(configUri);
  });
});

describe('language server: .podstart.yaml at the root of the workspace', () => {
  it('shows its problems as soon as the server starts, before any manifest is opened', async () => {
    const workspace = new Workspace();
    const configUri = fileUri(workspace.write('.podstart.yaml', 'kubernetesVersion: "1.33"\nmaxFileSize: big\n'));
    const server = await ServerUnderTest.start({ workspaceFolder: workspace.root });
    try {
      const { diagnostics } = await server.waitFor('config diagnostics', () => server.latest(configUri));
      assert.deepEqual(
        diagnostics.map((diagnostic) => [diagnostic.range, diagnostic.code, messageText(diagnostic)]),
        [[{ start: { line: 1, character: 13 }, end: { line: 1, character: 16 } }, 'invalid-setting', 'maxFileSize must be a whole number of bytes (0 or more), not "big".']],
      );
      assert.deepEqual(server.errorLogs(), []);
    } finally {
      await server.stop();
      workspace.dispose();
    }
  });
});
