// Every session fails a test during which an error notification popped up (support/session.ts). This
// proves that the check sees them: a fixture extension raises an error toast, a modal error and an
// information toast, and each is recorded with its severity, message and source.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { unwantedNotifications, useSession } from './support/session';
import { PROJECT_ROOT, RESULTS_DIR } from './support/toolchain';

const NOTIFIER_SOURCE = path.join(PROJECT_ROOT, 'test', 'e2e', 'fixtures', 'notifier-extension');
const NOTIFIER_VSIX = path.join(RESULTS_DIR, 'notifier-extension', 'e2e-notifier.vsix');

/** Packages the fixture extension (a .vsix is a build output, not kept in the repository). */
function packageNotifier(): string {
  mkdirSync(path.dirname(NOTIFIER_VSIX), { recursive: true });
  execFileSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', NOTIFIER_VSIX], {
    cwd: NOTIFIER_SOURCE,
    stdio: 'pipe',
  });
  return NOTIFIER_VSIX;
}

describe('harness: the notification check sees what pops up', () => {
  const session = useSession({ name: 'notifications', extensions: [packageNotifier()] });

  it('an information toast is recorded, and is not unwanted', async () => {
    const { workbench } = session;
    await workbench.runCommand('E2E Notifier: Show Information');
    const shown = await workbench.waitForNotifications((all) => all.some((notification) => notification.message === 'E2E notifier: all is well.'), 'the information toast');
    assert.deepEqual(
      shown.map(({ kind, severity, message, source }) => ({ kind, severity, message, source })),
      [{ kind: 'notification', severity: 'info', message: 'E2E notifier: all is well.', source: 'E2E notifier' }],
    );
    assert.deepEqual(unwantedNotifications(shown), []);
  });

  it('an error toast and a modal error are recorded as unwanted', async () => {
    const { workbench } = session;
    const before = (await workbench.shownNotifications()).length;
    await workbench.runCommand('E2E Notifier: Show an Error');
    await workbench.waitForNotifications((all) => all.some((notification) => notification.message === 'E2E notifier: something failed.'), 'the error toast');
    await workbench.runCommand('E2E Notifier: Show a Modal Error');
    const shown = await workbench.waitForNotifications((all) => all.some((notification) => notification.message === 'E2E notifier: a modal failure.'), 'the modal error');
    await workbench.screenshot('notifications-a-modal-error');
    await workbench.page.keyboard.press('Escape');
    await workbench.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
    assert.deepEqual(
      unwantedNotifications(shown.slice(before)).map(({ kind, severity, message }) => ({ kind, severity, message })),
      [
        { kind: 'notification', severity: 'error', message: 'E2E notifier: something failed.' },
        { kind: 'dialog', severity: 'error', message: 'E2E notifier: a modal failure.' },
      ],
    );
    // This test raised them on purpose: the session's check after it must not fail it.
    await workbench.forgetNotifications();
  });
});
