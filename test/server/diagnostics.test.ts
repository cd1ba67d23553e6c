import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DiagnosticSeverity, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { ORDERS_API, ORDERS_API_FINDINGS, REPORTS, WORKFLOW, Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, REPO_ROOT, ServerUnderTest } from './lsp-test-client';

const RULES_UNDER_TEST = onlyRules('pull-always-immutable-image', 'mutable-image-tag');

function docHref(ruleId: string): string {
  return fileUri(path.join(REPO_ROOT, 'docs', 'rules', `${ruleId}.md`));
}

describe('language server: diagnostics', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: RULES_UNDER_TEST }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('announces incremental sync, saves, hover, quick fixes, source.fixAll.podstart and startup lenses', () => {
    const capabilities = server.initializeResult.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } });
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: true });
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite', 'source.fixAll.podstart'], resolveProvider: true });
  });

  it('publishes each finding with its range, rule id, source, severity, documentation link and fixes', async () => {
    const uri = fileUri(workspace.write('deploy/orders-api.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    const { diagnostics, version } = await server.diagnosticsFor(uri);
    assert.equal(version, 1);
    assert.deepEqual(
      diagnostics.map(({ message, ...rest }: Diagnostic) => ({ ...rest, message: messageText({ message }).split(':')[0] })),
      [
        {
          range: ORDERS_API_FINDINGS.pullAlways,
          severity: DiagnosticSeverity.Warning,
          code: 'pull-always-immutable-image',
          source: 'podstart',
          codeDescription: { href: docHref('pull-always-immutable-image') },
          message: 'Container `api` pins its image to the version tag `',
          data: { ruleId: 'pull-always-immutable-image', fixes: [{ title: 'Set imagePullPolicy to IfNotPresent', safe: true }] },
        },
        {
          range: ORDERS_API_FINDINGS.latestTag,
          severity: DiagnosticSeverity.Warning,
          code: 'mutable-image-tag',
          source: 'podstart',
          codeDescription: { href: docHref('mutable-image-tag') },
          message: 'Container `log-shipper` uses the mutable tag `fluent/fluent-bit',
          data: { ruleId: 'mutable-image-tag', fixes: [] },
        },
      ],
    );
    assert.ok(diagnostics.every((diagnostic) => diagnostic.tags === undefined), 'no tags');
    assert.ok(server.configurationRequests.includes(uri), 'settings are pulled for the document itself');
    await server.close(uri);
  });

  it('follows incremental edits: typing the fix removes the finding, for the edited version', async () => {
    const uri = fileUri(workspace.write('deploy/reports.yaml', REPORTS));
    await server.open(uri, REPORTS);
    const before = await server.diagnosticsFor(uri);
    assert.deepEqual(before.diagnostics.map((diagnostic) => diagnostic.range.start.line), [14, 33]);

    // Replace `Always` on line 14 with `IfNotPresent`, as typing over it would.
    const version = await server.change(uri, [{ range: { start: { line: 14, character: 31 }, end: { line: 14, character: 37 } }, text: 'IfNotPresent' }]);
    const after = await server.diagnosticsFor(uri);
    assert.equal(after.version, version);
    assert.deepEqual(after.diagnostics.map((diagnostic) => diagnostic.range.start.line), [33]);

    // Two new lines above the Deployment move its finding down by two.
    await server.change(uri, [{ range: { start: { line: 15, character: 0 }, end: { line: 15, character: 0 } }, text: '# report viewer\n# owned by finance\n' }]);
    const moved = await server.diagnosticsFor(uri);
    assert.deepEqual(moved.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]), [
      ['pull-always-immutable-image', { start: { line: 35, character: 27 }, end: { line: 35, character: 33 } }],
    ]);
    await server.close(uri);
  });

  it('publishes no diagnostics for YAML without Kubernetes objects, even when it is invalid', async () => {
    const uri = fileUri(workspace.write('.github/workflows/ci.yaml', WORKFLOW));
    await server.open(uri, `${WORKFLOW}  bad: [unclosed\n`);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.deepEqual(diagnostics, []);
    await server.close(uri);
  });

  it('reports a document that is not valid YAML once and still analyses the other documents', async () => {
    // A migration Job whose args list was never closed, before the valid CronJob and Deployment.
    const broken = `apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/orders-migrations:v2.14.3
          args: ["--target", "latest"
---
${REPORTS}`;
    const shift = broken.slice(0, broken.indexOf(REPORTS)).split('\n').length - 1;
    const uri = fileUri(workspace.write('deploy/broken.yaml', broken));
    await server.open(uri, broken);
    const { diagnostics } = await server.diagnosticsFor(uri);
    const invalid = diagnostics.filter((diagnostic) => diagnostic.code === 'invalid-yaml');
    assert.equal(invalid.length, 1, JSON.stringify(diagnostics, null, 1));
    assert.equal(invalid[0].severity, DiagnosticSeverity.Error);
    assert.equal(invalid[0].source, 'podstart');
    assert.ok(invalid[0].range.start.line >= 11 && invalid[0].range.start.line < shift, `invalid-yaml at line ${invalid[0].range.start.line}`);
    // The CronJob and the Deployment after the broken Job are analysed where they now sit.
    assert.deepEqual(
      diagnostics.filter((diagnostic) => diagnostic.code === 'pull-always-immutable-image').map((diagnostic) => diagnostic.range.start.line),
      [14 + shift, 33 + shift],
    );
    await server.close(uri);
  });

  it('gives a file over podstart.maxFileSize (5 MB by default) one information diagnostic and nothing else', async () => {
    const copies = Math.ceil((5.2 * 1024 * 1024) / ORDERS_API.length);
    const huge = Array.from({ length: copies }, (_, index) => ORDERS_API.replace(/orders-api/g, `orders-api-${index}`)).join('---\n');
    const uri = fileUri(workspace.path('deploy/all-in-one.yaml'));
    await server.open(uri, huge);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'file-too-large');
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Information);
    assert.deepEqual(diagnostics[0].range.start, { line: 0, character: 0 });
    assert.match(messageText(diagnostics[0]), /over podstart\.maxFileSize/);
    await server.close(uri);
  });

  it('analyses untitled YAML editors and .json manifests', async () => {
    const untitled = 'untitled:Untitled-1';
    await server.open(untitled, REPORTS);
    assert.equal((await server.diagnosticsFor(untitled)).diagnostics.length, 2);
    await server.close(untitled);

    const pod = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'debug-shell' },
        spec: { containers: [{ name: 'shell', image: 'docker.io/library/busybox:1.36.1', imagePullPolicy: 'Always', command: ['sleep', '3600'] }] },
      },
      null,
      2,
    );
    const json = fileUri(workspace.write('debug/pod.json', pod));
    await server.open(json, pod, 'json');
    const { diagnostics } = await server.diagnosticsFor(json);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['pull-always-immutable-image']);
    assert.equal(pod.split('\n')[diagnostics[0].range.start.line].trim(), '"imagePullPolicy": "Always",');
    await server.close(json);
  });

  it('clears a document’s diagnostics when it closes', async () => {
    const uri = fileUri(workspace.write('deploy/closing.yaml', REPORTS));
    await server.open(uri, REPORTS);
    assert.equal((await server.diagnosticsFor(uri)).diagnostics.length, 2);
    const cleared = server.nextPublish(uri);
    await server.close(uri);
    assert.deepEqual((await cleared).diagnostics, []);
  });
});
