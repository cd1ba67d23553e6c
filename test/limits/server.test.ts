/**
 * The language server given hostile documents: each is answered (a notice or ordinary
 * diagnostics) within a bound, and a normal document opened afterwards is still analysed. What a
 * client sends is text it has already decoded, so invalid UTF-8 arrives as U+FFFD characters.
 */
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { REPORTS, Workspace } from '../server/fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from '../server/lsp-test-client';
import { binaryBytes, invalidUtf8, manyDocuments, overTheLimit, SMALL_LIMIT, tenMegabyteLine } from './inputs';

const RULES = onlyRules('pull-always-immutable-image', 'mutable-image-tag');

describe('limits: the language server given hostile documents', function () {
  this.timeout(120_000);
  let server: ServerUnderTest;
  let workspace: Workspace;
  /** maxFileSize per document, by file name; the 5 MB default elsewhere. */
  const limits = new Map<string, number>();

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      settings: (scope) => ({ enable: true, rules: RULES, maxFileSize: [...limits].find(([name]) => scope?.endsWith(name))?.[1] }),
    });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });

  /** Opens `text` under `name`, waits (up to `boundMs`) for its diagnostics, and closes it. */
  async function answerTo(name: string, text: string, boundMs = 10_000): Promise<{ params: PublishDiagnosticsParams; elapsed: number }> {
    const uri = fileUri(workspace.path(name));
    const started = performance.now();
    await server.open(uri, text);
    const params = await server.waitFor(`diagnostics for ${name}`, () => server.latest(uri), boundMs);
    const elapsed = performance.now() - started;
    await server.close(uri);
    return { params, elapsed };
  }

  /** A normal document opened after the hostile one still gets its two findings. */
  async function stillServes(): Promise<void> {
    const uri = fileUri(workspace.path(`reports-${server.published.length}.yaml`));
    await server.open(uri, REPORTS);
    assert.deepEqual((await server.diagnosticsFor(uri)).diagnostics.map((diagnostic) => diagnostic.code).sort(), ['pull-always-immutable-image', 'pull-always-immutable-image']);
    await server.close(uri);
    assert.ok(server.isRunning());
    assert.deepEqual(server.errorLogs(), []);
  }

  it('gives a document over maxFileSize one information notice', async () => {
    limits.set('all-in-one.yaml', SMALL_LIMIT);
    const { params } = await answerTo('all-in-one.yaml', overTheLimit());
    assert.deepEqual(params.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['file-too-large', DiagnosticSeverity.Information]]);
    assert.match(messageText(params.diagnostics[0]), /over podstart\.maxFileSize \(0\.1 MB\)/);
    await stillServes();
  });

  it('analyses 100,000 documents within a bound and finds what its Deployments hold', async () => {
    limits.set('bundle.yaml', 64 * 1024 * 1024);
    // About 3 s here; the bound only catches work that grows faster than the documents.
    const { params, elapsed } = await answerTo('bundle.yaml', manyDocuments(100_000, 4), 60_000);
    assert.deepEqual(params.diagnostics.map((diagnostic) => diagnostic.code), Array(4).fill('mutable-image-tag'));
    assert.ok(elapsed < 60_000, `took ${Math.round(elapsed)} ms`);
    await stillServes();
  });

  it('answers a 10 MB single line with the size notice', async () => {
    const { params } = await answerTo('blob.yaml', tenMegabyteLine(), 30_000);
    assert.deepEqual(params.diagnostics.map((diagnostic) => diagnostic.code), ['file-too-large']);
    await stillServes();
  });

  it('analyses a 10 MB single line when the limit allows it', async () => {
    limits.set('blob-allowed.yaml', 32 * 1024 * 1024);
    const { params, elapsed } = await answerTo('blob-allowed.yaml', tenMegabyteLine(), 30_000);
    assert.deepEqual(params.diagnostics, []);
    assert.ok(elapsed < 30_000, `took ${Math.round(elapsed)} ms`);
    await stillServes();
  });

  it('names binary data opened as YAML in one notice', async () => {
    // What an editor shows for random bytes: each invalid sequence decoded as U+FFFD, NULs kept.
    // Without apiVersion and kind it is not a manifest, and Podstart leaves it alone (an empty answer)…
    const bytes = binaryBytes().toString('utf8');
    assert.deepEqual((await answerTo('backup.yaml', bytes)).params.diagnostics, []);
    await stillServes();
    // …but a manifest with binary data in it (a corrupted copy) gets one notice, not a page of syntax errors.
    const { params } = await answerTo('corrupted.yaml', `apiVersion: v1\nkind: Pod\n${bytes}`);
    assert.deepEqual(params.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['binary-file', DiagnosticSeverity.Information]]);
    assert.match(messageText(params.diagnostics[0]), /binary data \(a NUL byte at line 3, column 4\)/);
    await stillServes();
  });

  it('analyses a document decoded from invalid UTF-8 like any other', async () => {
    const { params } = await answerTo('menu.yaml', invalidUtf8().toString('utf8'));
    assert.deepEqual(params.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start]), [['mutable-image-tag', { line: 6, character: 57 }]]);
    await stillServes();
  });
});
