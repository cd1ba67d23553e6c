import assert from 'node:assert/strict';
import { CodeActionRequest, HoverRequest } from 'vscode-languageserver/node';
import { ORDERS_API, REPORTS, Workspace } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

/** A Deployment whose annotations hold a "billion laughs": nine levels of aliases, each nine wide. */
function aliasBomb(): string {
  const levels = ['  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++) {
    const previous = `*a${level - 1}`;
    levels.push(`  a${level}: &a${level} [${Array(9).fill(previous).join(',')}]`);
  }
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: laughs
  annotations:
${levels.map((line) => `  ${line}`).join('\n')}
spec:
  template:
    metadata:
      annotations: *a8
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/app:1.0.0
          imagePullPolicy: Always
`;
}

describe('language server: robustness', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules('pull-always-immutable-image', 'mutable-image-tag') }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });

  /** The server is alive and still analyses correctly. */
  async function stillServes(): Promise<void> {
    const uri = fileUri(workspace.path(`check-${server.published.length}.yaml`));
    await server.open(uri, REPORTS);
    assert.equal((await server.diagnosticsFor(uri)).diagnostics.length, 2);
    await server.close(uri);
    assert.ok(server.isRunning());
  }

  it('survives binary garbage opened as YAML', async () => {
    // A gzip'd tarball opened by mistake: NULs, control characters, invalid UTF-16 surrogates.
    let garbage = '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03';
    let seed = 7;
    for (let index = 0; index < 20_000; index++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      garbage += String.fromCharCode(seed % 0xffff);
    }
    garbage += '\napiVersion: v1\nkind: Pod\n\x00\x00';
    const uri = fileUri(workspace.path('backup.tar.gz.yaml'));
    await server.open(uri, garbage);
    await server.diagnosticsFor(uri);
    await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 3 } });
    await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, context: { diagnostics: [] } });
    await server.close(uri);
    await stillServes();
  });

  it('analyses a document with an alias bomb without expanding it', async () => {
    const text = aliasBomb();
    const uri = fileUri(workspace.write('laughs.yaml', text));
    const started = Date.now();
    await server.open(uri, text);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.ok(Date.now() - started < 5000, 'answered quickly');
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['pull-always-immutable-image']);
    await server.close(uri);
    await stillServes();
  });

  it('survives pathological nesting and a thousand documents of nothing', async () => {
    const deep = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const empty = '---\n'.repeat(1000);
    for (const [name, text] of [['deep.yaml', deep], ['empty.yaml', `apiVersion: v1\nkind: List\n${empty}`]]) {
      const uri = fileUri(workspace.path(name));
      await server.open(uri, text);
      await server.diagnosticsFor(uri);
      await server.close(uri);
    }
    await stillServes();
  });

  it('answers requests about unknown documents and malformed parameters with neutral results', async () => {
    const unknown = fileUri(workspace.path('never-opened.yaml'));
    assert.equal(await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: unknown }, position: { line: 99, character: 99 } }), null);
    assert.deepEqual(
      await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: unknown }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }),
      [],
    );
    // A request without the parameters it needs is logged and answered, not thrown into the editor.
    const status = await server.connection.sendRequest('podstart/documentStatus', null);
    assert.ok(status === null || typeof status === 'object');
    assert.ok(server.errorLogs().some((message) => message.startsWith('Podstart: document status failed')), JSON.stringify(server.errorLogs()));
    await stillServes();
  });

  it('coalesces a burst of keystrokes and publishes for the last version', async () => {
    const uri = fileUri(workspace.write('burst.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    await server.diagnosticsFor(uri);
    const before = server.published.filter((params) => params.uri === uri).length;
    // Type a comment at the end of the file, one character per change, without waiting.
    const typed = '# rolled out by the release train';
    const lastLine = ORDERS_API.split('\n').length - 1;
    let version = 1;
    for (let index = 0; index < typed.length; index++) {
      version = await server.change(uri, [{ range: { start: { line: lastLine, character: index }, end: { line: lastLine, character: index } }, text: typed[index] }]);
    }
    const final = await server.diagnosticsFor(uri);
    assert.equal(final.version, version);
    assert.equal(final.diagnostics.length, 2);
    const publishes = server.published.filter((params) => params.uri === uri).length - before;
    assert.ok(publishes < typed.length, `${publishes} publishes for ${typed.length} edits`);
    await server.close(uri);
  });
});
