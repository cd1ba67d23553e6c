// A generator from the command palette, as a user runs it: "Podstart: Generate Pre-puller DaemonSet"
// asks the options its generator marks `ask` (the variant in a quick pick with each choice's description,
// the namespace and the node selector in input boxes), opens the DaemonSet in a new editor named as the
// generator suggests, with the fixture workspace's images, and offers its notes; saved, the file is
// exactly what `podstart generate pre-puller` prints for the same workspace and answers.
import assert from 'node:assert/strict';
import { GENERATORS } from '../../core/generate';
import { runPodstart } from '../cli/harness';
import { useSession } from './support/session';
import { waitFor } from './support/wait-for';

const PRE_PULLER = GENERATORS.find((generator) => generator.id === 'pre-puller')!;
const VARIANT = PRE_PULLER.options.find((option) => option.name === 'variant')!;
const INIT_CONTAINERS = VARIANT.choices!.find((choice) => choice.value === 'init-containers')!;
/** The images of test/e2e/fixtures/workspace's workloads. */
const WORKSPACE_IMAGES = [
  'debian:12.8',
  'postgres:16.6',
  'busybox:1.36.1',
  'ghcr.io/acme/orders-api:latest',
  'quay.io/acme/metrics-agent:2.8.1',
  'ghcr.io/acme/payments-worker:4.2.0',
  'registry.example.com/shop/web-migrate:2.4.1',
  'fluent/fluent-bit:3.0.4',
  'registry.example.com/shop/web:2.4.1',
  'ghcr.io/acme/storefront:3.14.2',
  'python',
];
const GENERATED_FILE = 'podstart-pre-puller.yaml';

describe('generators: Podstart: Generate Pre-puller DaemonSet', () => {
  const session = useSession({ name: 'generate' });

  /** The quick input's title and prompt once it asks `what`, then types `answer` and presses Enter. */
  async function answerInputBox(titleIncludes: string, answer: string): Promise<{ title: string; value: string }> {
    const page = session.workbench.page;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const title = page.locator('.quick-input-widget .quick-input-title');
    const shown = await waitFor(
      async () => {
        if (!(await input.isVisible())) return undefined;
        const text = (await title.innerText().catch(() => '')).trim();
        return text.includes(titleIncludes) ? { title: text, value: await input.inputValue() } : undefined;
      },
      { description: `an input box titled "${titleIncludes}"`, timeoutMs: 15_000 },
    );
    await input.fill(answer);
    await page.keyboard.press('Enter');
    return shown;
  }

  it('asks the variant, namespace and node selector, and opens the DaemonSet with the workspace\'s images in a new editor', async () => {
    const { workbench, server } = session;
    await workbench.runCommand(`Podstart: ${PRE_PULLER.title}`);

    // The variants, each with its description; the default first.
    const { entries } = await workbench.filterQuickPick('', (shown) => shown.length === VARIANT.choices!.length);
    assert.deepEqual(
      entries.map((entry) => entry.label),
      [INIT_CONTAINERS.label, ...VARIANT.choices!.filter((choice) => choice !== INIT_CONTAINERS).map((choice) => choice.label)],
    );
    assert.match(entries[0].description, /init-containers \(default\)/);
    assert.equal(entries[0].detail, INIT_CONTAINERS.description?.replace(/`/g, ''));
    // Not chooseQuickPickEntry, which waits for the quick input to close: the next question opens in it at once.
    await workbench.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: workbench.page.locator('.quick-input-list-row:first-child .label-name', { hasText: new RegExp(`^${INIT_CONTAINERS.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
      .click();

    const namespace = await answerInputBox('(2/3)', 'shop-prepull');
    assert.equal(namespace.value, 'podstart-prepull', 'the input box offers the default');
    await answerInputBox('(3/3)', '');

    // A new editor, named as the generator suggests, with the DaemonSet.
    await workbench.waitForActiveTab(GENERATED_FILE);
    const editor = workbench.activeEditor();
    await editor.locator('.view-line', { hasText: 'kind: DaemonSet' }).first().waitFor();
    await workbench.screenshot('generate-the-pre-puller-DaemonSet-in-a-new-editor');
    // The notes are offered (an information message, never a warning or an error).
    await workbench.waitForNotifications((shown) => shown.some((notification) => notification.severity === 'info' && /podstart-pre-puller\.yaml from \d+ files?, \d+ notes?/.test(notification.message)), 'the notes offered');

    // What the CLI prints for the same workspace and answers, before the editor's file joins the workspace.
    const cli = await runPodstart(['generate', 'pre-puller', '--namespace', 'shop-prepull'], { cwd: server.workspaceDir });
    assert.equal(cli.code, 0, cli.stderr);
    // Saving the untitled editor writes it where its name says.
    await workbench.save();
    const saved = await waitFor(
      () => {
        try {
          return server.readWorkspaceFile(GENERATED_FILE);
        } catch {
          return undefined;
        }
      },
      { description: `${GENERATED_FILE} to be saved in the workspace`, timeoutMs: 15_000 },
    );
    assert.equal(saved, cli.stdout, 'the editor and the CLI generate the same file');
    for (const image of WORKSPACE_IMAGES) assert.match(saved, new RegExp(`^ +image: ${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), `${image} is pre-pulled`);
    assert.match(saved, /^kind: DaemonSet$/m);
    assert.match(saved, /namespace: shop-prepull$/m);
  });

  it('Escape at the first question cancels: no editor opens and nothing is generated', async () => {
    const { workbench } = session;
    const before = await workbench.activeTabLabel();
    await workbench.runCommand(`Podstart: ${PRE_PULLER.title}`);
    await workbench.filterQuickPick('', (shown) => shown.length === VARIANT.choices!.length);
    await workbench.closeQuickInput();
    assert.equal(await workbench.activeTabLabel(), before);
    assert.deepEqual((await workbench.shownNotifications()).filter((notification) => /Podstart/.test(notification.message)), []);
  });
});
