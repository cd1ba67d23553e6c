import assert from 'node:assert/strict';
import * as path from 'node:path';
import { HoverRequest, MarkupKind, type Hover, type MarkupContent, type Position } from 'vscode-languageserver/node';
import { findRule } from '../../rules';
import { ORDERS_API, ORDERS_API_FINDINGS, Workspace } from './fixtures';
import { fileUri, onlyRules, REPO_ROOT, ServerUnderTest } from './lsp-test-client';

describe('language server: hover', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;
  let uri: string;

  const hover = (position: Position) => server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }) as Promise<Hover | null>;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules('pull-always-immutable-image', 'mutable-image-tag') }) });
    uri = fileUri(workspace.write('orders-api.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    await server.diagnosticsFor(uri);
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('explains the rule under the cursor: id, stage, what it finds, what it costs, and its page', async () => {
    const result = await hover({ line: 21, character: 30 });
    assert.ok(result, 'a hover on `Always`');
    assert.deepEqual(result.range, ORDERS_API_FINDINGS.pullAlways);
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    const meta = findRule('pull-always-immutable-image')!.meta;
    assert.ok(contents.value.startsWith('**Podstart `pull-always-immutable-image`** · Image pull'), contents.value);
    assert.ok(contents.value.includes(meta.description));
    assert.ok(contents.value.includes(`**Startup cost:** ${meta.startupCost}`));
    assert.ok(contents.value.includes(`[Rule documentation](${fileUri(path.join(REPO_ROOT, 'docs', 'rules', 'pull-always-immutable-image.md'))})`));
  });

  it('covers the whole underlined value, first character to last', async () => {
    const { start, end } = ORDERS_API_FINDINGS.latestTag;
    for (const character of [start.character, end.character - 1]) {
      const result = await hover({ line: start.line, character });
      assert.ok((result?.contents as MarkupContent).value.includes('`mutable-image-tag`'), `hover at character ${character}`);
    }
  });

  it('shows nothing away from findings', async () => {
    for (const position of [
      { line: 1, character: 3 }, // apiVersion of the Deployment
      { line: 21, character: 12 }, // the imagePullPolicy key, left of the finding
      { line: 21, character: 40 }, // the comment after it
      { line: ORDERS_API_FINDINGS.latestTag.start.line, character: ORDERS_API_FINDINGS.latestTag.end.character }, // just past the value
      { line: 40, character: 4 }, // the Service
    ]) {
      assert.equal(await hover(position), null, `no hover at ${JSON.stringify(position)}`);
    }
  });

  it('answers null for documents it does not know', async () => {
    const result = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri: fileUri(workspace.path('never-opened.yaml')) }, position: { line: 0, character: 0 } });
    assert.equal(result, null);
  });
});

describe('language server: hover in the Podstart client', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      settings: () => ({ enable: true, rules: onlyRules('pull-always-immutable-image') }),
      initializationOptions: { synchronizesConfiguration: true, opensRuleDocLinks: true },
    });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });

  it('links the page through podstart.showRuleDoc, which opens it in the Markdown preview', async () => {
    const uri = fileUri(workspace.write('orders-api.yaml', ORDERS_API));
    await server.open(uri, ORDERS_API);
    await server.diagnosticsFor(uri);
    const result = (await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 21, character: 27 } })) as Hover | null;
    const value = (result?.contents as MarkupContent).value;
    assert.ok(value.endsWith('\n\n[Rule documentation](command:podstart.showRuleDoc?%5B%22pull-always-immutable-image%22%5D)'), value);
    assert.deepEqual(server.errorLogs(), []);
  });
});
