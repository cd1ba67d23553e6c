// Changing a podstart.* setting re-checks the open manifest at once, without a reload: the user settings
// are edited in the settings.json editor and saved, the workspace's .vscode/settings.json is written on
// disk (as a checkout would), which VS Code notices by watching the folder.
import assert from 'node:assert/strict';
import { expectedRows, ORDERS_API_FINDINGS, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import type { Problem } from './support/workbench';

const ordersApiRows = (problems: Problem[]) => withoutMessages(problems.filter((problem) => problem.file === 'orders-api.yaml'));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

describe('settings: podstart.* changes apply without a reload', () => {
  const session = useSession({
    name: 'settings',
    // The workbench itself sometimes stores a user setting while this test's settings.json editor holds
    // unsaved text (between clearing it and saving), and says so; Podstart writes no setting.
    expectedNotifications: [/^Unable to write into user settings because the file has unsaved changes/],
  });

  before(async () => {
    await session.workbench.openFile('orders-api.yaml');
    await session.workbench.waitForProblems((shown) => same(ordersApiRows(shown), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS)), 'the five findings of orders-api.yaml');
  });

  it('"podstart.rules": {"mutable-image-tag": "off"} in the user settings removes the :latest finding and its squiggle', async () => {
    const { workbench } = session;
    await workbench.editUserSettings({ 'podstart.rules': { 'mutable-image-tag': 'off' } });
    const withoutMutableTag = expectedRows('orders-api.yaml', ORDERS_API_FINDINGS.filter((finding) => finding.code !== 'mutable-image-tag'));
    await workbench.waitForProblems((shown) => same(ordersApiRows(shown), withoutMutableTag), 'the findings of orders-api.yaml without mutable-image-tag');
    await workbench.waitForSquigglesOnLine(26, (squiggles) => squiggles.length === 0, 'no squiggle under the :latest image');
  });

  it('a rule severity in the workspace .vscode/settings.json applies on top of the user settings', async () => {
    const { workbench, server } = session;
    server.writeWorkspaceFile('.vscode/settings.json', JSON.stringify({ 'podstart.rules': { 'cpu-limit-throttles-startup': 'error' } }, null, 2));
    // The user setting still turns mutable-image-tag off: the levels merge, rule by rule.
    const expected = expectedRows('orders-api.yaml', ORDERS_API_FINDINGS.filter((finding) => finding.code !== 'mutable-image-tag')).map((row) =>
      row.code === 'cpu-limit-throttles-startup' ? { ...row, severity: 'error' as const } : row,
    );
    // The panel sorts a file's rows by severity, errors first.
    expected.sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'));
    await workbench.waitForProblems((shown) => same(ordersApiRows(shown), expected), 'the CPU limit as an error and mutable-image-tag still off');
    assert.deepEqual(await workbench.waitForSquigglesOnLine(34, (squiggles) => squiggles.some((squiggle) => squiggle.severity === 'error'), 'a red squiggle under the CPU limit'), [
      { line: 34, severity: 'error', text: '300m' },
    ]);
  });

  it('removing the settings brings every finding back at its default severity', async () => {
    const { workbench, server } = session;
    await workbench.editUserSettings({});
    server.writeWorkspaceFile('.vscode/settings.json', '{}\n');
    await workbench.waitForProblems((shown) => same(ordersApiRows(shown), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS)), 'the five findings of orders-api.yaml again');
    await workbench.waitForSquigglesOnLine(26, (squiggles) => same(squiggles, [{ line: 26, severity: 'warning', text: 'ghcr.io/acme/orders-api:latest' }]), 'the squiggle under the :latest image again');
  });
});
