// Fixing findings the way a user does: Ctrl+. on a squiggle and a choice in the Quick Fix menu, or the
// "Podstart: Fix All Auto-fixable Problems" command. Each test saves the file and compares the text on
// disk with the expected text in full (so a fix that touches anything else fails), then checks that the
// fixed finding has left the Problems panel and its squiggle is gone, while the others stay.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectedRows, ORDERS_API_FINDINGS, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import { FIXTURE_WORKSPACE } from './support/toolchain';
import type { Problem } from './support/workbench';

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURE_WORKSPACE, name), 'utf8');
}

/** `text` with exactly one occurrence of `search` replaced; fails when there is not exactly one. */
function replaceOnce(text: string, search: string, replacement: string): string {
  assert.equal(text.split(search).length, 2, `expected exactly one "${search}" in the fixture`);
  return text.replace(search, replacement);
}

function rowsOf(file: string) {
  return (problems: Problem[]) => withoutMessages(problems.filter((problem) => problem.file === file));
}

describe('quick fixes: Ctrl+. on a finding, disable comments and Fix All', () => {
  const session = useSession({ name: 'quick-fixes' });
  let openedFile: string | undefined;

  // Each test works on its own file; closing it (after the session's screenshot) takes its rows out of
  // the Problems panel, which only renders the rows that fit.
  afterEach(async () => {
    if (openedFile) await session.workbench.closeEditor(openedFile);
    openedFile = undefined;
  });

  it('Ctrl+. on imagePullPolicy: Always offers the fix first, and "Set imagePullPolicy to IfNotPresent" fixes the file and clears the finding', async () => {
    const { workbench, server } = session;
    await workbench.openFile((openedFile = 'orders-api.yaml'));
    await workbench.waitForProblems((shown) => rowsOf('orders-api.yaml')(shown).length === ORDERS_API_FINDINGS.length, 'the findings of orders-api.yaml');

    const offered = await workbench.openQuickFixes(50, 28);
    assert.deepEqual(offered, [
      'Set imagePullPolicy to IfNotPresent',
      'Disable pull-always-immutable-image for this line',
      'Disable pull-always-immutable-image for this object',
      'Show documentation for pull-always-immutable-image',
      'Fix all auto-fixable Podstart problems',
    ]);
    await workbench.screenshot('quick-fixes-the-Quick-Fix-menu-on-imagePullPolicy-Always');
    await workbench.chooseQuickFix('Set imagePullPolicy to IfNotPresent');

    const remaining = expectedRows('orders-api.yaml', ORDERS_API_FINDINGS.filter((finding) => finding.code !== 'pull-always-immutable-image'));
    await workbench.waitForProblems((shown) => JSON.stringify(rowsOf('orders-api.yaml')(shown)) === JSON.stringify(remaining), 'the four findings left in orders-api.yaml');
    await workbench.waitForSquigglesOnLine(50, (squiggles) => squiggles.length === 0, 'no squiggle');
    await workbench.save();
    assert.equal(server.readWorkspaceFile('orders-api.yaml'), replaceOnce(fixture('orders-api.yaml'), '          imagePullPolicy: Always\n', '          imagePullPolicy: IfNotPresent\n'));
  });

  it('"Disable mutable-image-tag for this line" inserts the disable comment above the image and the finding goes away', async () => {
    const { workbench, server } = session;
    await workbench.openFile((openedFile = 'nightly-report.yaml'));
    await workbench.waitForProblems(
      (shown) => rowsOf('nightly-report.yaml')(shown).length === 2,
      'the two findings of nightly-report.yaml',
    );
    const offered = await workbench.openQuickFixes(20, 22);
    assert.ok(offered.includes('Disable mutable-image-tag for this line'), `offered: ${offered.join(' | ')}`);
    await workbench.chooseQuickFix('Disable mutable-image-tag for this line');

    const remaining = [{ file: 'nightly-report.yaml', source: 'podstart', code: 'init-container-only-waits', severity: 'warning', line: 17, column: 24 }];
    await workbench.waitForProblems((shown) => JSON.stringify(rowsOf('nightly-report.yaml')(shown)) === JSON.stringify(remaining), 'only the init container finding left in nightly-report.yaml');
    await workbench.waitForSquigglesOnLine(21, (squiggles) => squiggles.length === 0, 'no squiggle under the disabled image');
    await workbench.save();
    assert.equal(
      server.readWorkspaceFile('nightly-report.yaml'),
      replaceOnce(fixture('nightly-report.yaml'), '              image: python\n', '              # podstart-disable-next-line mutable-image-tag\n              image: python\n'),
    );
  });

  it('"Podstart: Fix All Auto-fixable Problems" applies the three safe fixes and leaves the CPU limit, whose fix needs review', async () => {
    const { workbench, server } = session;
    await workbench.openFile((openedFile = 'payments-worker.yaml'));
    const codes = (shown: Problem[]) => rowsOf('payments-worker.yaml')(shown).map((row) => `${row.line}:${row.column} ${row.code}`);
    await workbench.waitForProblems((shown) => codes(shown).length === 4, 'the four findings of payments-worker.yaml');
    assert.deepEqual(codes(await workbench.problems()), [
      '20:9 recursive-volume-ownership-change',
      '24:28 pull-always-immutable-image',
      '30:20 cpu-limit-throttles-startup',
      '42:34 readiness-delay-with-startup-probe',
    ]);

    await workbench.runCommand('Podstart: Fix All Auto-fixable Problems');
    // The fixes add a line above the CPU limit, which moves down by one.
    await workbench.waitForProblems((shown) => JSON.stringify(codes(shown)) === JSON.stringify(['31:20 cpu-limit-throttles-startup']), 'only the CPU limit left in payments-worker.yaml');
    await workbench.save();
    let expected = fixture('payments-worker.yaml');
    expected = replaceOnce(expected, '        fsGroup: 1000\n', '        fsGroup: 1000\n        fsGroupChangePolicy: OnRootMismatch\n');
    expected = replaceOnce(expected, '          imagePullPolicy: Always\n', '          imagePullPolicy: IfNotPresent\n');
    expected = replaceOnce(expected, '            initialDelaySeconds: 15\n', '');
    assert.equal(server.readWorkspaceFile('payments-worker.yaml'), expected);
    await workbench.revealLine(31);
  });
});
