/**
 * Dockerfiles over the protocol, against the real bundle: a document with languageId `dockerfile`
 * (or named like a Dockerfile in another mode) gets diagnostics at the image's exact range, a
 * hover, the review-only slim fix, and a working "Disable for this line".
 */
import assert from 'node:assert/strict';
import { CodeActionRequest, HoverRequest, type CodeAction, type MarkupContent, type Range } from 'vscode-languageserver/node';
import { applyWorkspaceEdit, Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest } from './lsp-test-client';

const MUTABLE = 'dockerfile-mutable-base-image';
const FAT = 'dockerfile-fat-base-image';

/** The orders API's image; findings on lines 1 and 5 (0-based). */
const ORDERS_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM golang:latest AS migrate
RUN go install github.com/acme/migrate@v1.4.0

FROM python:3.12
COPY --from=migrate /go/bin/migrate /usr/local/bin/
WORKDIR /app
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "orders:app"]
`;

const RANGES = {
  latest: { start: { line: 1, character: 5 }, end: { line: 1, character: 18 } },
  python: { start: { line: 4, character: 5 }, end: { line: 4, character: 16 } },
};

describe('language server: Dockerfiles', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  const actionsAt = async (uri: string, range: Range) => (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) as CodeAction[];
  const summary = (diagnostics: Array<{ code?: unknown; range: Range; severity?: number; source?: string }>) =>
    diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}:${diagnostic.range.start.character}-${diagnostic.range.end.line}:${diagnostic.range.end.character}`);

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules(MUTABLE, FAT) }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('publishes diagnostics at the images of a document opened with languageId dockerfile', async () => {
    const uri = fileUri(workspace.write('orders/Dockerfile', ORDERS_DOCKERFILE));
    await server.open(uri, ORDERS_DOCKERFILE, 'dockerfile');
    const { diagnostics } = await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    assert.deepEqual(summary(diagnostics), [`${MUTABLE}@1:5-1:18`, `${FAT}@4:5-4:16`]);
    assert.deepEqual(diagnostics[1].range, RANGES.python);
    assert.equal(diagnostics[1].source, 'podstart');
    assert.equal(diagnostics[1].severity, 2);
    assert.match(diagnostics[1].codeDescription!.href, /\/docs\/rules\/dockerfile-fat-base-image\.md$/);
    assert.match(messageText(diagnostics[1]), /^The final image is built on `python:3\.12`/);
    await server.close(uri);
  });

  it('offers the slim switch for review, disabling for the line and the documentation, but nothing for an object', async () => {
    const uri = fileUri(workspace.write('actions/Dockerfile', ORDERS_DOCKERFILE));
    await server.open(uri, ORDERS_DOCKERFILE, 'dockerfile');
    await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    const actions = await actionsAt(uri, RANGES.python);
    assert.deepEqual(
      actions.map((action) => [action.title, action.isPreferred === true]),
      [
        ['Use python:3.12-slim (check that the app needs nothing it lacks)', false],
        [`Disable ${FAT} for this line`, false],
        [`Show documentation for ${FAT}`, false],
      ],
    );
    assert.equal(applyWorkspaceEdit(ORDERS_DOCKERFILE, uri, actions[0].edit), ORDERS_DOCKERFILE.replace('FROM python:3.12\n', 'FROM python:3.12-slim\n'));
    await server.close(uri);
  });

  it('disables a rule for one instruction with a directive above it, and the finding goes away', async () => {
    const uri = fileUri(workspace.write('disable/Dockerfile', ORDERS_DOCKERFILE));
    await server.open(uri, ORDERS_DOCKERFILE, 'dockerfile');
    await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    const action = (await actionsAt(uri, RANGES.latest)).find((candidate) => candidate.title === `Disable ${MUTABLE} for this line`);
    assert.ok(action);
    const disabled = applyWorkspaceEdit(ORDERS_DOCKERFILE, uri, action.edit);
    // Below the parser directive, which must stay on the first line.
    assert.equal(disabled, ORDERS_DOCKERFILE.replace('# syntax=docker/dockerfile:1\n', `# syntax=docker/dockerfile:1\n# podstart-disable-next-line ${MUTABLE}\n`));
    await server.change(uri, [{ text: disabled }]);
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.deepEqual(summary(diagnostics), [`${FAT}@5:5-5:16`]);
    await server.close(uri);
  });

  it('explains a finding on hover', async () => {
    const uri = fileUri(workspace.write('hover/Dockerfile', ORDERS_DOCKERFILE));
    await server.open(uri, ORDERS_DOCKERFILE, 'dockerfile');
    await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    const hover = await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 8 } });
    assert.deepEqual(hover?.range, RANGES.python);
    assert.match((hover!.contents as MarkupContent).value, /^\*\*Podstart `dockerfile-fat-base-image`\*\* · Image pull/);
    await server.close(uri);
  });

  it('analyses a file named like a Dockerfile whatever its language id, and an untitled Dockerfile', async () => {
    const named = fileUri(workspace.write('images/Dockerfile.prod', 'FROM node:20\nCMD ["node", "server.js"]\n'));
    await server.open(named, 'FROM node:20\nCMD ["node", "server.js"]\n', 'plaintext');
    assert.deepEqual(summary((await server.diagnosticsFor(named, (params) => params.diagnostics.length > 0)).diagnostics), [`${FAT}@0:5-0:12`]);
    const untitled = 'untitled:Untitled-3';
    await server.open(untitled, 'FROM ruby\nCMD ["ruby", "app.rb"]\n', 'dockerfile');
    assert.deepEqual(summary((await server.diagnosticsFor(untitled, (params) => params.diagnostics.length > 0)).diagnostics), [`${FAT}@0:5-0:9`, `${MUTABLE}@0:5-0:9`]);
    await server.close(named);
    await server.close(untitled);
  });

  it('leaves other text documents alone', async () => {
    const uri = fileUri(workspace.write('notes/build.txt', ORDERS_DOCKERFILE));
    await server.open(uri, ORDERS_DOCKERFILE, 'plaintext');
    // A document the server does not analyse is published once, empty.
    const { diagnostics } = await server.diagnosticsFor(uri);
    assert.deepEqual(diagnostics, []);
    await server.close(uri);
  });
});
