// One code-server and one Chromium page shared by the tests of a `describe` (starting them is most of a
// test file's time), with what every end-to-end test does after itself: a screenshot of what the user
// sees, and a check that no error notification popped up while it ran.
import { CodeServer, type CodeServerOptions } from './code-server';
import { packagedExtensionPath } from './toolchain';
import { type ShownNotification, Workbench } from './workbench';

export interface SessionOptions extends Omit<CodeServerOptions, 'extensions'> {
  /** Trust the workspace folder before the first test (default true); false keeps Restricted Mode. */
  trust?: boolean;
  /** Extensions to install; defaults to the packaged Podstart .vsix alone. */
  extensions?: string[];
  /** Notifications the tests of this session cause themselves and that are not Podstart's (matched on the message). */
  expectedNotifications?: RegExp[];
}

export interface Session {
  readonly server: CodeServer;
  readonly workbench: Workbench;
}

/**
 * Notifications a user should never see in routine use: any error, and any warning from Podstart.
 * Information (such as "nothing to fix") is fine.
 */
export function unwantedNotifications(shown: ShownNotification[]): ShownNotification[] {
  return shown.filter((notification) => notification.severity === 'error' || (notification.severity === 'warning' && /podstart/i.test(`${notification.source} ${notification.message}`)));
}

/**
 * Registers the hooks of a session in the calling `describe`: before, a fresh code-server with the
 * extensions and the workbench open on its copy of the fixture workspace (trusted unless told);
 * after each test, the screenshot test-results/<name>-<test title>.png and the notification check;
 * after all, the browser and the server are closed and the logs kept.
 */
export function useSession(options: SessionOptions): Session {
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    this.timeout(180_000);
    server = await CodeServer.start({ ...options, extensions: options.extensions ?? [packagedExtensionPath()] });
    workbench = await Workbench.open(server);
    if (options.trust ?? true) await workbench.trustWorkspace();
  });

  afterEach(async function () {
    if (!workbench) return;
    await workbench.screenshot(`${options.name}-${this.currentTest?.title ?? 'unnamed'}`);
    // Each test answers for what popped up while it ran.
    const shown = await workbench.shownNotifications();
    await workbench.forgetNotifications();
    const unwanted = unwantedNotifications(shown).filter((notification) => !(options.expectedNotifications ?? []).some((expected) => expected.test(notification.message)));
    if (unwanted.length > 0) {
      throw new Error(`the workbench showed ${unwanted.length} unwanted notification(s) during "${this.currentTest?.title}":\n${unwanted.map((n) => `  ${n.severity} ${n.kind}${n.source ? ` from ${n.source}` : ''}: ${n.message}`).join('\n')}`);
    }
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
  });

  return {
    get server(): CodeServer {
      if (!server) throw new Error('the session has not started (its before hook failed)');
      return server;
    },
    get workbench(): Workbench {
      if (!workbench) throw new Error('the session has not started (its before hook failed)');
      return workbench;
    },
  };
}
