/**
 * A Dockerfile's build context over the protocol, against the real bundle: the server looks for a
 * .dockerignore beside a Dockerfile on disk, offers to create one (a workspace edit that creates
 * the file and fills it, for clients that can create files), and drops the finding once the file
 * appears and the client reports it.
 */
import assert from 'node:assert/strict';
import { CodeActionRequest, FileChangeType, type ClientCapabilities, type CodeAction, type CreateFile, type Range, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver/node';
import { Workspace } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

const RULE = 'dockerfile-missing-dockerignore';

const STOREFRONT = `FROM node:20.15.1-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "server.js"]
`;

/** The `.` of `COPY . .` (0-based line 4). */
const COPY_SOURCE: Range = { start: { line: 4, character: 5 }, end: { line: 4, character: 6 } };

/** VS Code's workspace capabilities: versioned document changes and file creation. */
const CREATES_FILES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
};

describe('language server: .dockerignore beside a Dockerfile', () => {
  let server: ServerUnderTest;
  let workspace: Workspace;

  const actionsAt = async (on: ServerUnderTest, uri: string) => (await on.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: COPY_SOURCE, context: { diagnostics: [] } })) as CodeAction[];
  const codes = (params: { diagnostics: Array<{ code?: unknown }> }) => params.diagnostics.map((diagnostic) => diagnostic.code);

  before(async () => {
    workspace = new Workspace();
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, capabilities: CREATES_FILES, settings: () => ({ enable: true, rules: onlyRules(RULE) }) });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('asks the client to watch .dockerignore files', async () => {
    await server.waitFor('the watcher registration', () => (server.registrations.includes('workspace/didChangeWatchedFiles') ? true : undefined));
  });

  it('reports COPY . with no .dockerignore, offers to create one, and drops the finding once it exists', async () => {
    const dockerfile = workspace.write('storefront/Dockerfile', STOREFRONT);
    const uri = fileUri(dockerfile);
    await server.open(uri, STOREFRONT, 'dockerfile');
    const published = await server.diagnosticsFor(uri, (params) => params.diagnostics.length > 0);
    assert.deepEqual(codes(published), [RULE]);
    assert.deepEqual(published.diagnostics[0].range, COPY_SOURCE);

    const actions = await actionsAt(server, uri);
    const create = actions.find((action) => action.title === 'Create a .dockerignore beside this Dockerfile (review its entries)');
    assert.ok(create, `no create action among ${actions.map((action) => action.title).join(', ')}`);
    assert.notEqual(create.isPreferred, true, 'a fix to review is not preferred');
    const ignoreUri = fileUri(workspace.path('storefront/.dockerignore'));
    const [createFile, fill, ...rest] = create.edit!.documentChanges!;
    assert.deepEqual(rest, [], 'nothing else changes');
    assert.deepEqual(createFile as CreateFile, { kind: 'create', uri: ignoreUri });
    const { textDocument, edits } = fill as TextDocumentEdit & { edits: TextEdit[] };
    assert.deepEqual(textDocument, { uri: ignoreUri, version: null });
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(edits[0].newText, /^\.git$/m);
    assert.match(edits[0].newText, /^\*\*\/node_modules$/m);

    // The client applies the edit and reports the new file: the Dockerfile is analysed again.
    workspace.write('storefront/.dockerignore', edits[0].newText);
    const cleared = server.nextPublish(uri, (params) => params.diagnostics.length === 0);
    await server.watchedFilesChanged([{ uri: ignoreUri, type: FileChangeType.Created }]);
    await cleared;
    await server.close(uri);
  });

  it('honours a Dockerfile-specific ignore file', async () => {
    const dockerfile = workspace.write('web/Dockerfile.prod', STOREFRONT);
    workspace.write('web/Dockerfile.prod.dockerignore', '.git\n');
    const uri = fileUri(dockerfile);
    await server.open(uri, STOREFRONT, 'dockerfile');
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), []);
    await server.close(uri);
  });

  it('says nothing for an untitled Dockerfile, whose folder is unknown', async () => {
    const uri = 'untitled:Untitled-1';
    await server.open(uri, STOREFRONT, 'dockerfile');
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), []);
    await server.close(uri);
  });

  it('keeps the finding but offers no file creation to a client that cannot create files', async () => {
    const plain = await ServerUnderTest.start({ workspaceFolder: workspace.root, settings: () => ({ enable: true, rules: onlyRules(RULE) }) });
    try {
      const uri = fileUri(workspace.write('checkout/Dockerfile', STOREFRONT));
      await plain.open(uri, STOREFRONT, 'dockerfile');
      assert.deepEqual(codes(await plain.diagnosticsFor(uri, (params) => params.diagnostics.length > 0)), [RULE]);
      const titles = (await actionsAt(plain, uri)).map((action) => action.title);
      assert.deepEqual(titles, [`Disable ${RULE} for this line`, `Show documentation for ${RULE}`]);
    } finally {
      await plain.stop();
    }
  });
});
