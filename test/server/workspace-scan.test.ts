/**
 * The workspace scan over the protocol, against the real bundle: with `podstart.workspaceScan.enabled`
 * the server asks the client for the workspace's files, analyses the unopened manifests and
 * Dockerfiles from disk and publishes their findings; ignored files (.gitignore, .podstart.yaml,
 * node_modules) get nothing, a file over the size limit gets the usual notice, file events update
 * the results, a cancelled scan stops, and turning the setting off clears everything it published.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { ORDERS_API, REPORTS, WORKFLOW, Workspace } from './fixtures';
import { fileUri, messageText, ServerUnderTest } from './lsp-test-client';

const WORKSPACE_FILES = 'podstart/workspaceFiles';

const WORKER_DOCKERFILE = `FROM python
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
CMD ["python", "worker.py"]
`;

/** ORDERS_API with its log shipper pinned: no mutable-image-tag any more. */
const ORDERS_API_PINNED = ORDERS_API.replace('fluent/fluent-bit:latest', 'fluent/fluent-bit:3.1.9');

const MAX_FILE_SIZE = 8192;

interface ProgressEvent {
  token: string | number;
  kind: string;
}

/** The progress notifications received, and a wait for one (the test client re-checks its waits only on diagnostics and logs). */
class ProgressLog {
  readonly events: ProgressEvent[] = [];
  private readonly waiters: Array<() => void> = [];

  push(event: ProgressEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The progress still running (begun, not ended), if any. */
  running(): string | number | undefined {
    const ended = new Set(this.events.filter((event) => event.kind === 'end').map((event) => event.token));
    return this.events.find((event) => event.kind === 'begin' && !ended.has(event.token))?.token;
  }

  async ended(token: string | number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some((event) => event.token === token && event.kind === 'end')) {
      assert.ok(Date.now() < deadline, `progress ${token} did not end within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}

/** Every file below `root`, as the editor's file search would list them (the server filters names itself). */
function allFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fileUri(path.join(entry.parentPath, entry.name)));
}

async function startScanningServer(workspace: Workspace, progress: ProgressLog): Promise<{ server: ServerUnderTest; setScan(on: boolean): Promise<void> }> {
  let scan = false;
  const server = await ServerUnderTest.start({
    workspaceFolder: workspace.root,
    capabilities: { window: { workDoneProgress: true } },
    settings: () => ({ enable: true, maxFileSize: MAX_FILE_SIZE, workspaceScan: { enabled: scan } }),
  });
  server.connection.onRequest(WORKSPACE_FILES, () => ({ uris: allFiles(workspace.root) }));
  server.connection.onRequest('window/workDoneProgress/create', () => null);
  server.connection.onNotification('$/progress', (params: { token: string | number; value: { kind: string } }) => {
    progress.push({ token: params.token, kind: params.value.kind });
  });
  return {
    server,
    setScan: async (on) => {
      scan = on;
      await server.configurationChanged();
    },
  };
}

const codes = (params: PublishDiagnosticsParams | undefined) => (params?.diagnostics ?? []).map((diagnostic) => String(diagnostic.code));

describe('language server: workspace scan', () => {
  let workspace: Workspace;
  let server: ServerUnderTest;
  let setScan: (on: boolean) => Promise<void>;
  const progress = new ProgressLog();
  const uri = (relative: string) => fileUri(workspace.path(relative));

  before(async () => {
    workspace = new Workspace();
    workspace.write('deploy/orders.yaml', ORDERS_API);
    workspace.write('jobs/nightly.yaml', REPORTS);
    workspace.write('worker/Dockerfile', WORKER_DOCKERFILE);
    workspace.write('.gitignore', 'build/\n');
    workspace.write('build/rendered.yaml', REPORTS);
    workspace.write('.podstart.yaml', 'ignore:\n  - vendor/\n');
    workspace.write('vendor/chart.yaml', REPORTS);
    workspace.write('node_modules/some-package/deploy.yaml', REPORTS);
    workspace.write('.github/workflows/ci.yaml', WORKFLOW);
    // The reports padded with comments past podstart.maxFileSize.
    workspace.write('bundle/huge.yaml', `${'# generated\n'.repeat(MAX_FILE_SIZE / 10)}${REPORTS}`);
    ({ server, setScan } = await startScanningServer(workspace, progress));
  });
  after(async () => {
    await server?.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('publishes nothing for unopened files while the setting is off', async () => {
    // A round trip: anything the server published on start is in by now.
    await server.connection.sendRequest('podstart/listRules', {});
    assert.equal(server.latest(uri('deploy/orders.yaml')), undefined);
  });

  it('publishes the findings of unopened manifests and Dockerfiles, and nothing for ignored files', async () => {
    await setScan(true);
    const scan = await server.waitFor('the scan to begin', () => progress.running());
    const orders = await server.waitFor('the orders findings', () => server.latest(uri('deploy/orders.yaml')));
    assert.ok(codes(orders).includes('mutable-image-tag'), `orders: ${codes(orders)}`);
    assert.ok(codes(orders).includes('pull-always-immutable-image'), `orders: ${codes(orders)}`);
    const reports = await server.waitFor('the reports findings', () => server.latest(uri('jobs/nightly.yaml')));
    assert.ok(codes(reports).includes('pull-always-immutable-image'), `reports: ${codes(reports)}`);
    const dockerfile = await server.waitFor('the Dockerfile findings', () => server.latest(uri('worker/Dockerfile')));
    assert.ok(codes(dockerfile).includes('dockerfile-mutable-base-image'), `Dockerfile: ${codes(dockerfile)}`);
    const huge = await server.waitFor('the size notice', () => server.latest(uri('bundle/huge.yaml')));
    assert.equal(huge.diagnostics.length, 1);
    assert.match(messageText(huge.diagnostics[0]), /over podstart\.maxFileSize/);
    await progress.ended(scan);
    for (const ignored of ['build/rendered.yaml', 'vendor/chart.yaml', 'node_modules/some-package/deploy.yaml', '.github/workflows/ci.yaml']) {
      assert.equal(server.latest(uri(ignored))?.diagnostics.length ?? 0, 0, `${ignored} gets no findings`);
    }
  });

  it('analyses a file again when it changes on disk, and clears a deleted one', async () => {
    workspace.write('deploy/orders.yaml', ORDERS_API_PINNED);
    const updated = server.nextPublish(uri('deploy/orders.yaml'));
    await server.watchedFilesChanged([{ uri: uri('deploy/orders.yaml'), type: FileChangeType.Changed }]);
    const orders = await updated;
    assert.ok(!codes(orders).includes('mutable-image-tag'), `orders: ${codes(orders)}`);
    assert.ok(codes(orders).includes('pull-always-immutable-image'), `orders: ${codes(orders)}`);

    rmSync(workspace.path('jobs/nightly.yaml'));
    const cleared = server.nextPublish(uri('jobs/nightly.yaml'));
    await server.watchedFilesChanged([{ uri: uri('jobs/nightly.yaml'), type: FileChangeType.Deleted }]);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  it('lets an open document take over, and keeps the file on disk findings once it is closed', async () => {
    const orders = uri('deploy/orders.yaml');
    await server.open(orders, ORDERS_API);
    const editor = await server.diagnosticsFor(orders, (params) => params.version === 1);
    assert.ok(codes(editor).includes('mutable-image-tag'), 'the unsaved text is what counts while open');
    const fromDisk = server.nextPublish(orders);
    await server.close(orders);
    const afterClose = await fromDisk;
    assert.ok(afterClose.diagnostics.length > 0, 'not cleared on close');
    assert.ok(!codes(afterClose).includes('mutable-image-tag'), `the file on disk is pinned: ${codes(afterClose)}`);
  });

  it('reads the files again when a .podstart.yaml changes: a rule turned off there and a folder ignored there lose their findings', async () => {
    const dockerfile = uri('worker/Dockerfile');
    const bundle = uri('bundle/huge.yaml');
    assert.ok(codes(server.latest(dockerfile)).includes('dockerfile-mutable-base-image'));
    assert.ok((server.latest(bundle)?.diagnostics.length ?? 0) > 0);
    const rescanned = Promise.all([
      server.nextPublish(dockerfile, (params) => !codes(params).includes('dockerfile-mutable-base-image')),
      server.nextPublish(bundle, (params) => params.diagnostics.length === 0),
    ]);
    workspace.write('.podstart.yaml', 'ignore:\n  - vendor/\n  - bundle/\nrules:\n  dockerfile-mutable-base-image: off\n');
    await server.watchedFilesChanged([{ uri: uri('.podstart.yaml'), type: FileChangeType.Changed }]);
    await rescanned;
    // And back: the findings return.
    const restored = server.nextPublish(dockerfile, (params) => codes(params).includes('dockerfile-mutable-base-image'));
    workspace.write('.podstart.yaml', 'ignore:\n  - vendor/\n');
    await server.watchedFilesChanged([{ uri: uri('.podstart.yaml'), type: FileChangeType.Changed }]);
    await restored;
    await server.waitFor('the size notice again', () => ((server.latest(bundle)?.diagnostics.length ?? 0) > 0 ? true : undefined));
  });

  it('clears everything it published when turned off', async () => {
    const scanned = ['deploy/orders.yaml', 'worker/Dockerfile', 'bundle/huge.yaml'].map(uri);
    const cleared = Promise.all(scanned.map((scannedUri) => server.nextPublish(scannedUri, (params) => params.diagnostics.length === 0)));
    await setScan(false);
    await cleared;
    for (const scannedUri of scanned) assert.deepEqual(server.latest(scannedUri)?.diagnostics, []);
  });
});

describe('language server: cancelling a workspace scan', () => {
  const FILES = 400;
  let workspace: Workspace;
  let server: ServerUnderTest | undefined;

  before(() => {
    workspace = new Workspace();
    for (let index = 0; index < FILES; index++) workspace.write(`services/service-${String(index).padStart(3, '0')}.yaml`, REPORTS.replace('nightly-report', `report-${index}`));
  });
  after(async () => {
    await server?.stop();
    workspace.dispose();
  });

  it('stops reading once cancelled and keeps what it published', async () => {
    const progress = new ProgressLog();
    const started = await startScanningServer(workspace, progress);
    server = started.server;
    const running = server;
    const scanned = () => running.published.filter((params) => params.uri.includes('/services/')).length;
    await started.setScan(true);
    await running.waitFor('the first scanned file', () => (scanned() > 0 ? true : undefined));
    const scan = progress.running();
    assert.ok(scan !== undefined, 'a progress is shown');
    await running.connection.sendNotification('window/workDoneProgress/cancel', { token: scan });
    await progress.ended(scan);
    const atCancel = scanned();
    // Give a scan that did not stop the time to publish many more files (it publishes several per millisecond).
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.connection.sendRequest('podstart/listRules', {});
    assert.ok(scanned() <= atCancel + 1, `published ${scanned()} after the cancel at ${atCancel}`);
    assert.ok(scanned() < FILES, `stopped before the end: ${scanned()} of ${FILES}`);
    assert.ok(running.published.filter((params) => params.uri.includes('/services/')).every((params) => params.diagnostics.length > 0), 'nothing published was cleared');
    assert.deepEqual(running.errorLogs(), []);
  });

  it('pauses while an open document is being edited, then finishes', async () => {
    const progress = new ProgressLog();
    const started = await startScanningServer(workspace, progress);
    const editing = started.server;
    try {
      const scanned = () => new Set(editing.published.filter((params) => params.uri.includes('/services/')).map((params) => params.uri)).size;
      const edited = fileUri(workspace.path('editing.yaml'));
      await editing.open(edited, ORDERS_API);
      await started.setScan(true);
      await editing.waitFor('the first scanned file', () => (scanned() > 0 ? true : undefined));
      // Typing: an edit every 100 ms for a second (the scan waits for 300 ms without one).
      await editing.change(edited, [{ text: ORDERS_API_PINNED }]);
      const atFirstEdit = scanned();
      for (let edit = 0; edit < 10; edit++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await editing.change(edited, [{ text: edit % 2 === 0 ? ORDERS_API : ORDERS_API_PINNED }]);
      }
      const whileTyping = scanned();
      // Each edit is still answered at once.
      await editing.diagnosticsFor(edited);
      assert.ok(whileTyping <= atFirstEdit + 1, `scanned ${whileTyping - atFirstEdit} files while the user typed`);
      const scan = progress.running();
      assert.ok(scan !== undefined, 'the scan is paused, not over');
      await progress.ended(scan, 30_000);
      assert.equal(scanned(), FILES, 'every file is scanned once typing stops');
    } finally {
      await editing.stop();
    }
  });
});
