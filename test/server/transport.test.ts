/**
 * The VS Code client starts the server over Node IPC (TransportKind.ipc: a fork with --node-ipc);
 * every other test speaks stdio. This one checks that the same bundle serves IPC too.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  IPCMessageReader,
  IPCMessageWriter,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { REPORTS } from './fixtures';
import { onlyRules, SERVER_BUNDLE } from './lsp-test-client';

describe('language server: Node IPC transport', () => {
  it('answers initialize, publishes diagnostics and exits cleanly when forked with --node-ipc', async () => {
    const child = fork(SERVER_BUNDLE, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    try {
      const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
      connection.listen();
      const result = await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {},
        initializationOptions: { synchronizesConfiguration: true, opensRuleDocLinks: true },
      });
      assert.equal(result.serverInfo?.name, 'Podstart');
      await connection.sendNotification(InitializedNotification.type, {});
      // Without workspace/configuration, settings arrive by push; the defaults apply until then.
      await connection.sendNotification('workspace/didChangeConfiguration', { settings: { podstart: { rules: onlyRules('pull-always-immutable-image') } } });
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: 'untitled:reports', languageId: 'yaml', version: 1, text: REPORTS } });
      const { uri, diagnostics } = await published;
      assert.equal(uri, 'untitled:reports');
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]), [
        ['pull-always-immutable-image', 14],
        ['pull-always-immutable-image', 33],
      ]);
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      assert.equal(await exited, 0);
    } finally {
      connection.dispose();
      if (child.exitCode === null) child.kill();
    }
  });
});
