// Proves the harness before any feature is tested through it: the packaged .vsix installs into a fresh
// code-server, the workbench opens the fixture folder in Chromium, and Podstart's language server reaches
// the Problems panel once the folder is trusted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CodeServer } from './support/code-server';
import { extensionId, packagedExtensionPath, PROJECT_ROOT } from './support/toolchain';
import { Workbench } from './support/workbench';

const version = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('e2e harness: Podstart in code-server and Chromium', () => {
  let server: CodeServer;
  let workbench: Workbench;

  before(async () => {
    server = await CodeServer.start({ name: 'smoke', extensions: [packagedExtensionPath()] });
    workbench = await Workbench.open(server);
  });

  afterEach(async function () {
    if (workbench) await workbench.screenshot(`smoke-${this.currentTest?.title ?? 'unnamed'}`);
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  it('code-server lists the packaged extension as installed', async () => {
    assert.deepEqual(await server.listExtensions(), [`${extensionId()}@${version}`]);
  });

  it('the workbench opens the fixture folder, in Restricted Mode until it is trusted', async () => {
    assert.equal(await workbench.windowTitle(), 'workspace - code-server');
    assert.deepEqual(await workbench.explorerEntries(), ['catalog-db.yaml', 'nightly-report.yaml', 'orders-api.yaml', 'storefront.yaml']);
    await workbench.waitForRestrictedMode(true);
  });

  it('after trusting the folder, opening a manifest lists its Podstart findings in the Problems panel', async () => {
    await workbench.trustWorkspace();
    await workbench.openFile('orders-api.yaml');
    const problems = await workbench.waitForProblems(
      (shown) => shown.some((problem) => problem.code === 'mutable-image-tag'),
      'a mutable-image-tag finding in orders-api.yaml',
    );
    const mutableTag = problems.find((problem) => problem.code === 'mutable-image-tag');
    assert.deepEqual(
      mutableTag && { file: mutableTag.file, severity: mutableTag.severity, source: mutableTag.source, line: mutableTag.line, column: mutableTag.column },
      { file: 'orders-api.yaml', severity: 'warning', source: 'podstart', line: 26, column: 18 },
    );
    assert.match(mutableTag?.message ?? '', /Container `api` uses the mutable tag `ghcr.io\/acme\/orders-api:latest`/);
  });
});
