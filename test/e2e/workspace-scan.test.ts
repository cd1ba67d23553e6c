// The workspace scan (podstart.workspaceScan.enabled): turned on in the user settings, the findings of
// manifests nobody opened appear in the Problems panel; a file written on disk is scanned, one deleted
// loses its findings, and turning the setting off clears them. No editor is opened in this suite.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { expectedRows, ORDERS_API_FINDINGS, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import type { Problem } from './support/workbench';

const filesWithProblems = (problems: Problem[]) => [...new Set(problems.map((problem) => problem.file))].sort();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The fixture workspace's manifests with findings (shop-web.yaml and storefront.yaml have none). */
const FILES_WITH_FINDINGS = ['catalog-db.yaml', 'kind-cluster.yaml', 'nightly-report.yaml', 'orders-api.yaml', 'payments-worker.yaml'];
const rowsOf = (problems: Problem[], file: string) => withoutMessages(problems.filter((problem) => problem.file === file));

/** A Job whose only finding is its :latest image. */
const NEW_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: backfill
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: backfill
        image: ghcr.io/acme/backfill:latest
        imagePullPolicy: IfNotPresent
`;

describe('workspace scan: findings of files nobody opened', () => {
  const session = useSession({
    name: 'workspace-scan',
    // The workbench itself sometimes stores a user setting while a settings.json editor holds unsaved text (as in settings.test.ts).
    expectedNotifications: [/^Unable to write into user settings because the file has unsaved changes/],
  });

  it('lists nothing for unopened files while the setting is off, then, turned on, the findings of every manifest in the folder', async () => {
    const { workbench } = session;
    await workbench.showProblems();
    // Tall enough for every row: the panel draws only the rows it has room for.
    await workbench.runCommand('View: Toggle Maximized Panel');
    assert.deepEqual(filesWithProblems(await workbench.problems()), [], 'no file is open and the scan is off');
    await workbench.editUserSettings({ 'podstart.workspaceScan.enabled': true });
    const shown = await workbench.waitForProblems(
      (problems) => same(filesWithProblems(problems), FILES_WITH_FINDINGS),
      'the findings of the unopened manifests',
    );
    // The same rows as when the file is opened (findings.test.ts).
    assert.deepEqual(rowsOf(shown, 'orders-api.yaml'), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS));
    assert.equal(await workbench.activeTabLabel(), undefined, 'no editor was opened');
    await workbench.screenshot('workspace-scan-problems-of-unopened-files');
  });

  it('scans a manifest written on disk and clears one deleted', async () => {
    const { workbench, server } = session;
    server.writeWorkspaceFile('backfill.yaml', NEW_JOB);
    const added = await workbench.waitForProblems((problems) => rowsOf(problems, 'backfill.yaml').length > 0, 'the findings of the new backfill.yaml');
    assert.deepEqual(rowsOf(added, 'backfill.yaml').map((row) => row.code), ['mutable-image-tag']);
    rmSync(server.workspacePath('backfill.yaml'));
    await workbench.waitForProblems((problems) => rowsOf(problems, 'backfill.yaml').length === 0, 'no findings of the deleted backfill.yaml');
  });

  it('clears the findings of unopened files when turned off', async () => {
    const { workbench } = session;
    await workbench.editUserSettings({ 'podstart.workspaceScan.enabled': false });
    await workbench.waitForProblems((problems) => problems.length === 0, 'an empty Problems panel');
  });
});
