// What a user sees on opening a manifest with known problems: a squiggle under each value at fault, the
// Problems panel listing every finding with its rule id and position, and, on hovering a squiggle, the
// rule's explanation with a link to its page.
import assert from 'node:assert/strict';
import { expectedRows, expectedSquiggles, ORDERS_API_FINDINGS, ORDERS_API_LINE_COUNT, withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import { waitFor } from './support/wait-for';

describe('findings: squiggles, the Problems panel and hovers', () => {
  const session = useSession({ name: 'findings' });

  it('opening orders-api.yaml lists all five findings in the Problems panel with their rule ids and positions', async () => {
    const { workbench } = session;
    await workbench.openFile('orders-api.yaml');
    const problems = await workbench.waitForProblems((shown) => shown.length >= ORDERS_API_FINDINGS.length, 'the findings of orders-api.yaml');
    assert.deepEqual(withoutMessages(problems), expectedRows('orders-api.yaml', ORDERS_API_FINDINGS));
    problems.forEach((problem, index) => assert.ok(problem.message.startsWith(ORDERS_API_FINDINGS[index]!.messageStart), `row ${index + 1}: ${problem.message}`));
  });

  it('each finding is squiggled under exactly the value at fault, and nothing else is', async () => {
    const { workbench } = session;
    assert.deepEqual(await workbench.squigglesInFile(ORDERS_API_LINE_COUNT), expectedSquiggles(ORDERS_API_FINDINGS));
    // The screenshot shows the middle of the file: the CPU limit and the probe delays, squiggled.
    await workbench.revealLine(36);
  });

  it('hovering the :latest image with the mouse shows the rule, its stage, what it finds, its startup cost and a link to its page', async () => {
    const { workbench } = session;
    const hover = await workbench.hoverSquiggle(26, 'ghcr.io/acme/orders-api:latest');
    assert.match(hover, /^Container `api` uses the mutable tag `ghcr\.io\/acme\/orders-api:latest`/);
    const explanation = (await workbench.visibleHover().locator('.markdown-hover .rendered-markdown').innerText()).trim();
    const paragraphs = explanation.split(/\n+/);
    assert.equal(paragraphs[0], 'Podstart mutable-image-tag · Image pull');
    assert.equal(paragraphs[1], 'Image reference without a tag, or with a mutable tag such as :latest.');
    assert.match(paragraphs[2] ?? '', /^Startup cost: The default pull policy for :latest or an untagged image is Always: every container start asks the registry for the manifest \(typically 0\.2–2 s/);
    assert.equal(paragraphs[3], 'Rule documentation');
    assert.equal(
      await workbench.visibleHover().locator('.rendered-markdown a', { hasText: 'Rule documentation' }).getAttribute('data-href'),
      `command:podstart.showRuleDoc?${encodeURIComponent(JSON.stringify(['mutable-image-tag']))}`,
    );
  });

  it("the hover's Rule documentation link opens the rule's page in the Markdown preview", async () => {
    const { workbench } = session;
    // The keyboard's way to the same hover: the cursor on the value, then "Show or Focus Hover".
    await workbench.hoverAt(26, 30);
    await workbench.visibleHover().locator('.rendered-markdown a', { hasText: 'Rule documentation' }).click();
    await workbench.waitForActiveTab('Preview mutable-image-tag.md');
    assert.equal((await workbench.webviewContent('h1').first().innerText()).trim(), 'mutable-image-tag');
    await workbench.webviewContent('h2', { hasText: 'Startup impact' }).first().waitFor();
  });

  it("the rule id in the Problems panel links the rule's page, bundled with the extension", async () => {
    const { workbench } = session;
    await workbench.problemCodeLink('mutable-image-tag').click();
    await waitFor(async () => (await workbench.activeTabLabel())?.startsWith('mutable-image-tag.md'), {
      description: 'the page mutable-image-tag.md to open',
      timeoutMs: 15_000,
    });
    // The editor draws spaces as no-break spaces.
    assert.equal((await workbench.activeEditor().locator('.view-lines .view-line').first().innerText()).replace(/\u00a0/g, ' ').trim(), '# mutable-image-tag');
  });
});
