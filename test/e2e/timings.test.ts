// Startup timings from a cluster, as a user meets them: the HTTPS Kubernetes API test server runs in the
// test process with the timing fixtures (Deployment shop/web: 9 pods, p50 23.0 s and p95 46.0 s to
// Ready), the user points podstart.kubeconfig at its kubeconfig in the remote settings (it is a machine
// setting, and code-server is a remote window), opens the
// manifest of the Deployment in the trusted folder, reads the lens above `kind: Deployment`, clicks it,
// and the startup waterfall opens beside the manifest with one bar per pod. With
// podstart.timings.nodeDetails on, the kubelets of node-a, node-b and node-c answer through the node
// proxy (test/timings/fixtures/deployment-rollout/kubelets: node-b and node-c pull one image at a time,
// node-c serves no metrics), and the cluster has just grown: beside the batch pool's two nodes, two
// nodes the autoscaler added hold no image yet, so the shop's images are missing on 4 of 7 nodes. The
// waterfall's "Nodes and images" says so, and the hover over an image or the Deployment tells the same
// from the figures already read. The cluster only ever sees GET requests, and the Podstart log never
// holds the token.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, readFixtureFile, type KubeObject } from '../support/kube-api-server';
import { kubeletFixture } from '../support/timing-fixtures';
import { useSession } from './support/session';
import { PROJECT_ROOT } from './support/toolchain';
import { waitFor } from './support/wait-for';

const FILE = 'shop-web.yaml';
const TOKEN = 'e2e-admin-token-5f3b91c0';
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'timings', 'fixtures', 'deployment-rollout');
const LENS_TITLE = 'Startup p50 23.0 s · p95 46.0 s · ready 40% · 9 pods (2 not Ready) · ctx shop-admin';
/** The nodes that do not hold the shop's images: the batch pool's two, and the two just added. */
const WITHOUT_SHOP_IMAGES = 'batch-node-1, batch-node-2, node-d, node-e';

/** A node the autoscaler has just added: Ready, with only the pause image (node-c's shape otherwise). */
function addedNode(node: KubeObject, name: string): KubeObject {
  const status = node.status as { images: Array<{ names: string[] }> };
  return {
    ...node,
    metadata: { ...node.metadata, name, uid: `${node.metadata.uid ?? 'uid'}-${name}`, labels: { ...node.metadata.labels, 'kubernetes.io/hostname': name } },
    status: { ...status, images: status.images.filter((image) => image.names.some((imageName) => imageName.startsWith('registry.k8s.io/pause'))) },
  };
}

/** Every file under a folder (VS Code's log folders are named by date and window). */
function filesUnder(folder: string): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** How long a lens stays unchanged before a click: above the server's 1 s debounce of watch changes and its 50 ms lens refresh. */
const LENS_STABLE_MS = 1500;

describe('startup timings: the lens above a Deployment and its waterfall', () => {
  const cluster = new KubeApiTestServer({
    users: [{ name: 'admin', token: TOKEN, rules: CLUSTER_ADMIN_RULES }],
    objects: [
      ...['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets'].flatMap((resource) => readFixtureFile(path.join(FIXTURES, `${resource}.json`))),
      ...readFixtureFile(path.join(FIXTURES, '..', 'batch', 'nodes.json')),
      ...readFixtureFile(path.join(FIXTURES, 'nodes.json'))
        .filter((node) => node.metadata.name === 'node-c')
        .flatMap((node) => [addedNode(node, 'node-d'), addedNode(node, 'node-e')]),
    ],
    kubelets: { 'node-a': kubeletFixture('node-a', true), 'node-b': kubeletFixture('node-b', true), 'node-c': kubeletFixture('node-c', false) },
  });
  const folder = mkdtempSync(path.join(os.tmpdir(), 'podstart-e2e-kube-'));
  const kubeconfig = path.join(folder, 'config');

  // Before the session's own hook: the cluster is up before code-server starts.
  before(async () => {
    await cluster.start();
    cluster.writeKubeconfig(kubeconfig, { user: 'admin', namespace: 'shop', name: 'shop-admin' });
  });
  const session = useSession({
    name: 'timings',
    // The suite keeps the lens off elsewhere (support/code-server.ts).
    userSettings: { 'podstart.timings.enabled': true },
    // The workbench itself sometimes stores a user setting while a settings.json editor holds unsaved
    // text (between clearing it and saving), and says so; Podstart writes no setting (as in settings.test.ts).
    expectedNotifications: [/^Unable to write into (user|remote) settings because the file has unsaved changes/],
  });
  after(async () => {
    await cluster.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /**
   * The hover at a line and column of the manifest, opened again alone, once its Podstart part (which
   * starts with `heading`) has arrived: the diagnostic's part of the hover may show before it.
   */
  const hoverInManifest = async (line: number, column: number, heading: string) => {
    await closeAllEditors();
    await session.workbench.openFile(FILE);
    return oneLine(await session.workbench.hoverAt(line, column, (shown) => oneLine(shown).includes(heading)));
  };
  /** Every phrase is in the hover's text. */
  const assertSays = (shown: string, phrases: string[]) => {
    for (const phrase of phrases) assert.ok(shown.includes(phrase), `the hover says "${phrase}": ${shown}`);
  };
  const oneLine = (text: string) => text.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();
  /**
   * Closes every editor (the waterfall and the manifest beside it), so that the manifest opens again
   * alone. From the Explorer's title: a keyboard focus inside the webview would keep F1 from the workbench.
   */
  const closeAllEditors = async () => {
    const { workbench } = session;
    // A settings.json the workbench opened as a modal editor would take the click.
    await workbench.closeModalEditor();
    await workbench.page.locator('.part.sidebar .composite.title').first().click();
    await workbench.runCommand('View: Close All Editors');
    await waitFor(async () => (await workbench.page.locator('.part.editor:not(.modal-editor-part) .tabs-container .tab').count()) === 0, { description: 'every editor to close', timeoutMs: 15_000 });
  };
  const lens = () => session.workbench.activeEditor().locator('.codelens-decoration a', { hasText: /^Startup/ }).first();
  /**
   * Waits until the lens has shown the same title and command for LENS_STABLE_MS: the editor replaces
   * lenses when the server asks it to (a namespace read again), and a click on a lens being replaced
   * finds its command gone. A user clicks a lens that has been there a moment.
   */
  const stableLens = async () => {
    let seen: { html: string; since: number } | undefined;
    await waitFor(
      async () => {
        const html = (await lens().count()) > 0 ? await lens().evaluate((anchor) => anchor.outerHTML) : '';
        if (!seen || seen.html !== html) seen = { html, since: Date.now() };
        return html !== '' && Date.now() - seen.since >= LENS_STABLE_MS;
      },
      { description: 'the lens to stay as it is', timeoutMs: 30_000 },
    );
  };
  const lensText = async () => ((await lens().count()) > 0 ? (await lens().innerText()).replace(/\u00a0/g, ' ').trim() : undefined);

  it('shows the cluster\'s p50, p95, largest phase and pod count above kind: Deployment', async () => {
    const { workbench } = session;
    // podstart.kubeconfig has machine scope: in code-server (a remote window) it is a remote setting.
    await workbench.editRemoteSettings({ 'podstart.kubeconfig': kubeconfig });
    await workbench.openFile(FILE);
    const shown = await waitFor(async () => {
      const text = await lensText();
      return text && !text.startsWith('Startup: reading') ? text : undefined;
    }, { description: 'the startup lens with the cluster\'s figures', timeoutMs: 30_000 });
    assert.equal(shown, LENS_TITLE);
    // Above line 4, `kind: Deployment`: the lens sits in the view zone before it.
    const lensBox = await lens().boundingBox();
    const kindLine = await workbench.activeEditor().locator('.view-line', { hasText: /^kind:\s+Deployment$/ }).boundingBox();
    assert.ok(lensBox && kindLine && lensBox.y < kindLine.y && kindLine.y - lensBox.y < 30, `the lens (${lensBox?.y}) is just above kind: Deployment (${kindLine?.y})`);
    assert.ok(cluster.requests.length > 0);
    assert.deepEqual([...new Set(cluster.requests.map((request) => request.method))], ['GET']);
  });

  it('clicking the lens opens the startup waterfall: the figures, one bar per pod with its phases, the stuck pods first, the nodes and images', async () => {
    const { workbench } = session;
    // The kubelets' side too (their pull settings and metrics, through the node proxy), as a user turns it on.
    await workbench.editUserSettings({ 'podstart.timings.enabled': true, 'podstart.timings.nodeDetails': true });
    await workbench.openFile(FILE);
    // Read again with the kubelets: node-b and node-c pull one image at a time, said at the kind value.
    await workbench.waitForSquigglesOnLine(4, (squiggles) => squiggles.some((squiggle) => squiggle.severity === 'info' && squiggle.text === 'Deployment'), 'the serial pulls of its nodes under kind: Deployment');
    await waitFor(async () => (await lensText()) === LENS_TITLE, { description: 'the lens with the figures read again', timeoutMs: 30_000 });
    await stableLens();
    await lens().click();
    const rows = workbench.webviewContent('.pod-row');
    await waitFor(async () => (await rows.count()) === 9, { description: 'the waterfall to draw nine pods', timeoutMs: 30_000 });
    assert.equal((await workbench.webviewContent('h1').innerText()).replace(/\s+/g, ' ').trim(), 'Deployment shop/web');
    assert.equal((await workbench.webviewContent('.headline').innerText()).trim(), LENS_TITLE);
    const stats = await workbench.webviewContent('.stats li').allInnerTexts();
    assert.deepEqual(stats.slice(0, 5).map((stat) => stat.replace(/\s+/g, ' ').trim()), ['p50 23.0 s', 'p95 46.0 s', 'kubelet SLI p50 4.0 s', 'pods 9', 'context shop-admin']);
    const names = await workbench.webviewContent('.pod-row .pod-name').allInnerTexts();
    assert.deepEqual(names.map((name) => name.trim()), [
      'web-7f9c6d5b8-zr4tq',
      'web-7f9c6d5b8-m9w3z',
      'web-7f9c6d5b8-v5t7w',
      'web-7f9c6d5b8-k2x9p',
      'web-7f9c6d5b8-h6c4d',
      'web-7f9c6d5b8-p7h4m',
      'web-6b7c8d9e5-2mfkx',
      'web-6b7c8d9e5-9gq7c',
      'web-7f9c6d5b8-q8n2v',
    ]);
    const durations = await workbench.webviewContent('.pod-row .duration').allInnerTexts();
    assert.deepEqual(durations.slice(2).map((text) => text.trim()), ['46.0 s', '31.0 s', '24.0 s', '23.0 s', '19.0 s', '14.0 s', '14.0 s']);
    assert.deepEqual((await workbench.webviewContent('.pod-row .badge').allInnerTexts()).map((text) => text.trim()), ['Running, not Ready', 'Unschedulable']);
    // The slowest pod's bar: start, its init container, start, then 37 s waiting for Ready.
    const slowest = workbench.webviewContent('.pod-row', { hasText: 'web-7f9c6d5b8-v5t7w' }).locator('rect.seg');
    assert.deepEqual(await slowest.evaluateAll((rects) => rects.map((rect) => [rect.getAttribute('class'), rect.getAttribute('x'), rect.getAttribute('width')])), [
      ['seg seg-start', '0%', '2%'],
      ['seg seg-init', '2%', '12%'],
      ['seg seg-start', '14%', '4%'],
      ['seg seg-ready', '18%', '74%'],
    ]);
    // The bars are drawn (the theme's chart colours resolved), not only present in the page.
    const readyBox = await slowest.last().boundingBox();
    assert.ok(readyBox && readyBox.width > 100, `the Ready segment is drawn ${readyBox?.width}px wide`);
    const fill = await slowest.last().evaluate((rect) => (globalThis as unknown as { getComputedStyle(element: unknown): { fill: string } }).getComputedStyle(rect).fill);
    assert.match(fill, /^rgb/, `the Ready segment is filled (${fill})`);
    assert.equal(await workbench.webviewContent('.histogram .bin').count(), 5, 'five bins of the histogram hold pods');
    await workbench.screenshot('timings-the-startup-waterfall-beside-the-manifest');
    await workbench.runCommand('View: Toggle Maximize Editor Group');
    await workbench.screenshot('timings-the-startup-waterfall');

    // Nodes and images: why some pods pulled and waited, in the words a user checks.
    const facts = workbench.webviewContent('.cluster-facts');
    assert.equal(oneLine(await facts.locator('h2').innerText()), "Nodes and images from the nodes' image lists and their kubelets");
    assert.deepEqual((await facts.locator('.facts li').allInnerTexts()).map(oneLine), [
      `Image registry.example.com/shop/web-migrate:2.4.1 (48 MB) is missing on 4 of 7 nodes (${WITHOUT_SHOP_IMAGES}): about 3.9 s to pull at 100 Mbit/s`,
      `Image fluent/fluent-bit:3.0.4 (30 MB) is missing on 4 of 7 nodes (${WITHOUT_SHOP_IMAGES}): about 2.4 s to pull at 100 Mbit/s`,
      `Image registry.example.com/shop/web:2.4.1 (188 MB) is missing on 4 of 7 nodes (${WITHOUT_SHOP_IMAGES}): about 15 s to pull at 100 Mbit/s`,
      '2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)',
      'node-a kubelet (all its pods): pod start SLI p50 ~2.8 s, p95 ~10 s (40 pods); image pulls p50 ~15 s, p95 ~48 s (16 pulls)',
      'node-b kubelet (all its pods): pod start SLI p50 ~1.5 s, p95 ~3.4 s (12 pods)',
      'Kubelet metrics of node-c: not readable (not found)',
    ]);
    assert.equal(await facts.locator('.facts-hint').count(), 0, 'no hint to turn node details on: they are on');
    await facts.scrollIntoViewIfNeeded();
    const box = await facts.boundingBox();
    const viewport = workbench.page.viewportSize()!;
    assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height && box.width > 400, `the section is on screen, readable (${JSON.stringify(box)})`);
    await workbench.screenshot('timings-the-startup-waterfall-nodes-and-images');
    await workbench.runCommand('View: Toggle Maximize Editor Group');
  });

  it('the hover over an image says where the nodes have it and how long its pods took to pull it', async () => {
    const { workbench } = session;
    // Line 44: `image: registry.example.com/shop/web:2.4.1`, which the cluster-image-not-cached diagnostic also underlines.
    assertSays(await hoverInManifest(44, 30, 'Podstart: image in the cluster'), [
      'Podstart: image in the cluster · registry.example.com/shop/web:2.4.1',
      `Cached on 3 of 3 nodes that ran its pods, 3 of 7 schedulable Ready nodes (not on ${WITHOUT_SHOP_IMAGES})`,
      'Size on the nodes: 188 MB: about 15 s to pull at 100 Mbit/s',
      // 6.371 s, 6.85 s and 8.904 s (waiting included), from the fixtures' Pulled events.
      'Pulled by 3 pods: p50 6.8 s (waiting for a pull slot included); 3 pods found it cached',
      'ctx shop-admin · captured',
    ]);
    await workbench.screenshot('timings-the-hover-over-an-image');
    await workbench.page.keyboard.press('Escape');
  });

  it('the hover over the Deployment sums up its start and its link opens the startup waterfall', async () => {
    const { workbench } = session;
    // Line 6: `  name: web`.
    assertSays(await hoverInManifest(6, 5, 'Podstart: startup in the cluster'), [
      'Podstart: startup in the cluster · Deployment shop/web',
      'To Ready: p50 23.0 s, p95 46.0 s · 9 pods (2 not Ready)',
      'Kubelet pod start SLI p50: 4.0 s',
      'Largest phase: waiting for Ready after the containers started, 40% of the time',
      'Open the startup waterfall · ctx shop-admin · captured',
    ]);
    await workbench.screenshot('timings-the-hover-over-the-deployment');
    // A command link: runs only because the Podstart client trusts this command in its hovers.
    await workbench.visibleHover().locator('.rendered-markdown a', { hasText: 'Open the startup waterfall' }).click();
    await waitFor(async () => (await workbench.webviewContent('.pod-row').count()) === 9, { description: 'the waterfall opened from the hover to draw nine pods', timeoutMs: 30_000 });
    assert.equal(oneLine(await workbench.webviewContent('h1').innerText()), 'Deployment shop/web');
  });

  it('"Podstart: Select Cluster Context" offers the kubeconfig\'s contexts', async () => {
    const { workbench } = session;
    // The waterfall the previous test opened can take the keyboard focus once it has loaded, and a
    // quick pick closes when it loses focus (CI saw the picker open, then hidden): close it first.
    await closeAllEditors();
    await workbench.runCommand('Podstart: Select Cluster Context');
    const { entries } = await workbench.filterQuickPick('', (shown) => shown.length === 2);
    assert.deepEqual(
      entries.map((entry) => [entry.label, entry.description]),
      [
        ["Kubeconfig's current context (shop-admin)", 'in use'],
        ['shop-admin', 'namespace shop · cluster podstart-test'],
      ],
    );
    await workbench.closeQuickInput();
  });

  it('never logs the token', async () => {
    const logs = filesUnder(path.join(session.server.userDataDir, 'logs')).filter((file) => /podstart/i.test(file));
    assert.ok(logs.length > 0, 'the Podstart output channel has a log file');
    const text = logs.map((file) => readFileSync(file, 'utf8')).join('\n');
    assert.match(text, /Timings: read namespace shop from context shop-admin/);
    assert.ok(!text.includes(TOKEN), 'no token in the Podstart log');
  });
});
