// The extension's own surface in the workbench: the status bar item with the active file's finding
// count, the Podstart commands in the command palette, "Podstart: Show Rules" (every rule, each opening
// its page), the Podstart output channel with the server's log, and a server restart; like every test,
// each fails if an error notification pops up while it runs (support/session.ts).
import assert from 'node:assert/strict';
import { GENERATORS } from '../../core/generate';
import { STAGE_TITLES } from '../../core/types';
import { ALL_RULES } from '../../rules';
import { expectedRows, ORDERS_API_FINDINGS, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import { extensionId } from './support/toolchain';
import { waitFor } from './support/wait-for';

const STATUS_ITEM = `${extensionId()}.podstart.status`;
// The generators' commands are titled by the generators; "Add Startup Probe" shows with a YAML editor active, as here.
const PODSTART_COMMANDS = [
  'Podstart: Add Startup Probe from Readiness Probe',
  ...GENERATORS.map((generator) => `Podstart: ${generator.title}`),
  'Podstart: Fix All Auto-fixable Problems',
  'Podstart: Refresh Startup Timings',
  'Podstart: Restart Language Server',
  'Podstart: Select Cluster Context',
  'Podstart: Show Output',
  'Podstart: Show Rule Documentation',
  'Podstart: Show Rules',
  'Podstart: Show Startup Waterfall',
].sort();
const SERVER_STARTED = `Podstart language server started: ${ALL_RULES.length} rules; workspace folders: 1.`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('commands: status bar, command palette, Show Rules, output channel', () => {
  const session = useSession({ name: 'commands' });

  it('the status bar shows the active file\'s finding count, and a check mark for a file without findings', async () => {
    const { workbench } = session;
    await workbench.openFile('storefront.yaml');
    const clean = await waitForStatus((item) => item?.text === 'Podstart');
    assert.deepEqual(clean.icons, ['check']);
    assert.match(clean.label, /No startup findings in 1 workload\./);

    await workbench.openFile('orders-api.yaml');
    const withFindings = await waitForStatus((item) => item?.text === 'Podstart 5');
    assert.deepEqual(withFindings.icons, ['warning']);
    assert.match(withFindings.label, /5 startup findings in 1 workload: 5 warnings\./);
    await workbench.waitForProblems((shown) => same(withoutMessages(shown), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS)), 'the five findings of orders-api.yaml');
  });

  it('the command palette lists the Podstart commands', async () => {
    const { workbench } = session;
    const listed = await workbench.commandPaletteEntries('Podstart:', (labels) => PODSTART_COMMANDS.every((command) => labels.includes(command)), { keepOpen: true });
    await workbench.screenshot('commands-the-command-palette-open-on-Podstart');
    await workbench.closeQuickInput();
    assert.deepEqual(listed.filter((label) => label.startsWith('Podstart:')).sort(), PODSTART_COMMANDS);
  });

  it('"Podstart: Show Rules" lists every rule with its stage and severity, and choosing one opens its page', async () => {
    const { workbench } = session;
    await workbench.runCommand('Podstart: Show Rules');
    const all = await workbench.filterQuickPick('');
    assert.equal(all.total, ALL_RULES.length, `listed: ${all.entries.map((entry) => entry.label).join(', ')}`);
    for (const { meta } of ALL_RULES) {
      const { entries } = await workbench.filterQuickPick(meta.id, (shown) => shown.some((entry) => entry.label === meta.id));
      assert.deepEqual(entries.find((entry) => entry.label === meta.id), {
        label: meta.id,
        description: `${STAGE_TITLES[meta.stage]} · ${meta.defaultSeverity}${meta.fixable ? ' · fixable' : ''}`,
        detail: meta.description.replace(/`/g, ''),
      });
    }
    await workbench.filterQuickPick('', (shown) => shown.length >= Math.min(ALL_RULES.length, 8));
    await workbench.screenshot('commands-Show-Rules-lists-every-rule');
    // The list renders only the rows that fit; a user types to find a rule further down.
    await workbench.filterQuickPick('recursive-volume', (shown) => shown.some((entry) => entry.label === 'recursive-volume-ownership-change'));
    await workbench.chooseQuickPickEntry('recursive-volume-ownership-change');
    await workbench.waitForActiveTab('Preview recursive-volume-ownership-change.md');
    await workbench.webviewContent('h1', { hasText: /^recursive-volume-ownership-change$/ }).waitFor();
    await workbench.webviewContent('h2', { hasText: 'Startup impact' }).first().waitFor();
  });

  it('"Podstart: Show Output" shows the Podstart channel with the server\'s log', async () => {
    const { workbench } = session;
    await workbench.runCommand('Podstart: Show Output');
    const output = await workbench.waitForOutput((shown) => shown.channel === 'Podstart' && shown.text.includes(SERVER_STARTED), `the Podstart channel with "${SERVER_STARTED}"`);
    const startLine = output.text.split('\n').find((line) => line.includes(SERVER_STARTED));
    assert.match(startLine ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[info\] /);
  });

  it('"Podstart: Restart Language Server" logs the restart, starts a new server and the findings come back', async () => {
    const { workbench } = session;
    await workbench.openFile('orders-api.yaml');
    await workbench.runCommand('Podstart: Restart Language Server');
    await workbench.runCommand('Podstart: Show Output');
    const restartLogged = (shown: { channel: string; text: string }) =>
      shown.channel === 'Podstart' &&
      shown.text.split(SERVER_STARTED).length === 3 &&
      shown.text.indexOf('Restarting the Podstart language server.') < shown.text.lastIndexOf(SERVER_STARTED);
    await workbench.waitForOutput(restartLogged, 'the restart and a second server start in the Podstart channel');
    // The old server's diagnostics left with it: these come from the new one.
    await workbench.waitForProblems((shown) => same(withoutMessages(shown), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS)), 'the five findings of orders-api.yaml');
    await waitForStatus((item) => item?.text === 'Podstart 5');
    await workbench.runCommand('Podstart: Show Output');
    await workbench.waitForOutput(restartLogged, 'the Podstart channel again');
  });

  async function waitForStatus(accept: (item: Awaited<ReturnType<typeof session.workbench.statusBarItem>>) => boolean) {
    return waitFor(
      async () => {
        const item = await session.workbench.statusBarItem(STATUS_ITEM);
        return item && accept(item) ? item : undefined;
      },
      { description: 'the Podstart status bar item to show the expected state', timeoutMs: 15_000, pollMs: 200 },
    );
  }
});
