// A first start, as a user who has just installed the .vsix has it: the extension is installed, the
// fixture folder opens in Restricted Mode (not trusted yet), Podstart's findings appear all the same
// (it declares support for untrusted workspaces: it reads only the open text), and trusting the folder
// keeps them. This also proves the harness before the other files test features through it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectedRows, ORDERS_API_FINDINGS, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import { extensionId, PROJECT_ROOT } from './support/toolchain';

const version = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('first start: the installed extension, in Restricted Mode and once trusted', () => {
  const session = useSession({ name: 'smoke', trust: false });

  it('code-server lists the packaged extension as installed', async () => {
    assert.deepEqual(await session.server.listExtensions(), [`${extensionId()}@${version}`]);
  });

  it('the workbench opens the fixture folder, in Restricted Mode until it is trusted', async () => {
    const { workbench } = session;
    assert.equal(await workbench.windowTitle(), 'workspace - code-server');
    assert.deepEqual(await workbench.explorerEntries(), ['catalog-db.yaml', 'kind-cluster.yaml', 'nightly-report.yaml', 'orders-api.yaml', 'payments-worker.yaml', 'shop-web.yaml', 'storefront.yaml']);
    await workbench.waitForRestrictedMode(true);
  });

  it('in Restricted Mode, opening orders-api.yaml lists its five findings and squiggles them', async () => {
    const { workbench } = session;
    await workbench.openFile('orders-api.yaml');
    const problems = await workbench.waitForProblems((shown) => shown.length >= ORDERS_API_FINDINGS.length, 'the findings of orders-api.yaml');
    assert.deepEqual(withoutMessages(problems), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS));
    assert.deepEqual(await workbench.waitForSquigglesOnLine(26, (squiggles) => squiggles.length > 0, 'a squiggle'), [
      { line: 26, severity: 'warning', text: 'ghcr.io/acme/orders-api:latest' },
    ]);
    assert.equal(await workbench.isRestrictedMode(), true, 'the folder is still in Restricted Mode');
  });

  it('after trusting the folder, the findings stay', async () => {
    const { workbench } = session;
    await workbench.trustWorkspace();
    await workbench.waitForProblems((shown) => same(withoutMessages(shown), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS)), 'the five findings of orders-api.yaml');
    const mutableTag = (await workbench.problems()).find((problem) => problem.code === 'mutable-image-tag');
    assert.match(mutableTag?.message ?? '', /^Container `api` uses the mutable tag `ghcr\.io\/acme\/orders-api:latest`: every start waits on a registry round trip/);
  });
});
