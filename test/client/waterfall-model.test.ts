/**
 * The startup waterfall's data → drawing model and page, from the timing fixtures through the same
 * path as the editor (core/timings → the server's podstart/timings result → the model): bars ordered
 * with the pods that never got there first and then slowest first, segment widths proportional to
 * their durations on a shared axis, the histogram of times to Ready with its p50 and p95, and a page
 * that loads nothing and runs only its nonce'd script.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { renderWaterfallPage } from '../../client/waterfall/waterfall-html';
import { formatAge, waterfallModel, type WaterfallRow } from '../../client/waterfall/waterfall-model';
import { WATERFALL_STYLE } from '../../client/waterfall/waterfall-style';
import type { ClusterSnapshot } from '../../core/cluster/snapshot';
import { ClusterFactsIndex } from '../../core/cluster/workload-cluster-facts';
import { timingsForWorkloads, type TimingSource } from '../../core/timings/workload-timings';
import type { TimingsResult } from '../../server/protocol';
import { timingsResultOf } from '../../server/timings-result';
import { readFixtureFile } from '../support/kube-api-server';
import { kubeletFixture } from '../support/timing-fixtures';

const FIXTURES = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout');
const CAPTURED_AT = '2025-06-03T09:10:00Z';

function webResult(): TimingsResult {
  const objects = ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets'].flatMap((resource) => readFixtureFile(path.join(FIXTURES, `${resource}.json`)));
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const source = {
    capturedAt: CAPTURED_AT,
    objects: { pods: of('Pod'), events: of('Event'), nodes: of('Node'), deployments: of('Deployment'), replicasets: of('ReplicaSet'), statefulsets: of('StatefulSet'), daemonsets: [], jobs: [], cronjobs: [] },
    unavailable: [],
  } as unknown as TimingSource;
  const workload = { kind: 'Deployment', name: 'web', namespace: 'shop' };
  const [timings] = timingsForWorkloads(source, [workload], { defaultNamespace: 'shop' });
  return timingsResultOf({ workload, source: 'cluster', context: 'shop-admin', capturedAt: CAPTURED_AT, timings });
}

const widthSum = (row: WaterfallRow) => row.segments.reduce((sum, segment) => sum + segment.width, 0);
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-3, `${what}: ${actual} is not ${expected}`);

describe('startup waterfall: the drawing model', () => {
  const model = waterfallModel(webResult(), { now: Date.parse(CAPTURED_AT) + 3 * 60_000 });

  it('puts the two pods that never got Ready first (longest waiting first), then the others slowest first', () => {
    assert.deepEqual(
      model.rows.map((row) => [row.pod, row.durationLabel]),
      [
        // Created 5 and 4 minutes before the capture, and still waiting.
        ['web-7f9c6d5b8-zr4tq', '5 min+'],
        ['web-7f9c6d5b8-m9w3z', '4 min+'],
        ['web-7f9c6d5b8-v5t7w', '46.0 s'],
        ['web-7f9c6d5b8-k2x9p', '31.0 s'],
        ['web-7f9c6d5b8-h6c4d', '24.0 s'],
        ['web-7f9c6d5b8-p7h4m', '23.0 s'],
        ['web-6b7c8d9e5-2mfkx', '19.0 s'],
        ['web-6b7c8d9e5-9gq7c', '14.0 s'],
        ['web-7f9c6d5b8-q8n2v', '14.0 s'],
      ],
    );
    const [neverReady, unschedulable] = model.rows;
    assert.deepEqual([unschedulable.reached, unschedulable.stateLabel, unschedulable.node, unschedulable.segments.length], [false, 'Unschedulable', undefined, 0]);
    assert.match(unschedulable.stateMessage ?? '', /nodes are available/);
    // Waiting since its creation: a hatched bar across the whole axis, and its age as its figure.
    assert.deepEqual([unschedulable.pending?.x, unschedulable.pending?.width], [0, 100]);
    assert.match(unschedulable.durationLabel, /\+$/);
    assert.deepEqual([neverReady.reached, neverReady.stateLabel], [false, 'Running, not Ready']);
    assert.equal(neverReady.pending?.x, 20, 'its containers started at 10 s of the 50 s axis; from there it waits');
  });

  it('draws every bar on one axis to 50 s, each segment as wide as it lasted', () => {
    assert.deepEqual(model.axis.ticks.map((tick) => [tick.label, tick.x]), [['0', 0], ['10 s', 20], ['20 s', 40], ['30 s', 60], ['40 s', 80], ['50 s', 100]]);
    for (const row of model.rows.filter((candidate) => candidate.reached)) {
      // A pod's bar is its time to Ready: 46 s is 92% of the axis.
      const seconds = Number.parseFloat(row.durationLabel);
      close(widthSum(row), (seconds / 50) * 100, row.pod);
      row.segments.slice(1).forEach((segment, index) => close(segment.x, row.segments[index].x + row.segments[index].width, `${row.pod} segment ${index + 1} follows the one before`));
    }
    const slowest = model.rows[2];
    // v5t7w: started 0 → 1 s, its init container 1 → 7 s, start 7 → 9 s, then 37 s until Ready (OOM-killed once).
    assert.deepEqual(
      slowest.segments.map((segment) => [segment.phase, segment.x, segment.width]),
      [
        ['start', 0, 2],
        ['init', 2, 12],
        ['start', 14, 4],
        ['ready', 18, 74],
      ],
    );
    assert.deepEqual(slowest.details, ['3 images cached', '1 restart']);
  });

  it('says in each pull segment\'s tooltip which image it was, how big, and how long it waited for a pull slot', () => {
    const pulls = model.rows.find((row) => row.pod === 'web-7f9c6d5b8-k2x9p')!.segments.filter((segment) => segment.phase === 'pull');
    assert.equal(pulls.length, 2);
    assert.match(pulls[1].tooltip, /^Image pull: 8\.9 s \(16\.0 s → 24\.9 s\) · web: registry\.example\.com\/shop\/web:2\.4\.1, 188 MB, waited 2\.9 s for a pull slot$/);
    const cached = model.rows.find((row) => row.pod === 'web-7f9c6d5b8-q8n2v')!;
    assert.deepEqual([cached.node, cached.details], ['node-b', ['3 images cached']]);
  });

  it('counts the times to Ready in 5 s bins on the same axis, with the p50 and p95 marked', () => {
    const histogram = model.histogram!;
    assert.deepEqual(
      histogram.bins.filter((bin) => bin.count > 0).map((bin) => [bin.fromMs / 1000, bin.toMs / 1000, bin.count]),
      [
        [10, 15, 2],
        [15, 20, 1],
        [20, 25, 2],
        [30, 35, 1],
        [45, 50, 1],
      ],
    );
    assert.deepEqual([histogram.maxCount, histogram.bins[2].height, histogram.bins[3].height], [2, 100, 50]);
    assert.deepEqual(histogram.marks, [
      { label: 'p50 23.0 s', ms: 23_000, x: 46 },
      { label: 'p95 46.0 s', ms: 46_000, x: 92 },
    ]);
  });

  it('heads the chart with the lens title, the figures, the context and when the cluster was read', () => {
    assert.equal(model.coverage, '7 Ready pods');
    assert.equal(model.headline, 'Startup p50 23.0 s · p95 46.0 s · ready 40% · 9 pods (2 not Ready) · ctx shop-admin');
    assert.deepEqual(
      model.stats.map((stat) => [stat.label, stat.value]),
      [
        ['p50', '23.0 s'],
        ['p95', '46.0 s'],
        ['kubelet SLI p50', '4.0 s'],
        ['pods', '9'],
        ['context', 'shop-admin'],
        ['captured', '3 min ago'],
      ],
    );
    assert.equal(model.stats.at(-1)?.tooltip, '2025-06-03 09:10:00 UTC');
    assert.deepEqual(
      model.legend.map((item) => [item.phase, item.share]),
      [
        ['schedule', '3%'],
        ['pull', '25%'],
        ['init', '22%'],
        ['start', '10%'],
        ['ready', '40%'],
        ['pull-or-start', undefined],
      ],
    );
  });

  it('says how long a stuck pod has waited in the unit that reads best', () => {
    assert.deepEqual([formatAge(42_000), formatAge(5 * 60_000 + 3_000), formatAge(3 * 3_600_000 + 12 * 60_000), formatAge(538 * 86_400_000 + 5_000)], ['42.0 s', '5 min 3 s', '3 h 12 min', '538 d']);
  });

  it('explains a workload with nothing to draw instead of drawing an empty chart', () => {
    const untrusted = waterfallModel({ workload: { kind: 'Deployment', name: 'web', namespace: 'shop' }, title: 'Startup: workspace not trusted', problem: 'untrusted', source: 'cluster', live: false, pods: [] });
    assert.deepEqual([untrusted.rows, untrusted.histogram, untrusted.problem?.message], [[], undefined, 'workspace not trusted']);
    assert.match(untrusted.problem?.hint ?? '', /Manage Workspace Trust/);
  });
});

describe('startup waterfall: the page', () => {
  const result = webResult();
  // A pod name is the cluster's text: it must be shown, never run.
  result.pods[0].name = 'web-<img src=x onerror=alert(1)>';
  const page = renderWaterfallPage(waterfallModel(result), { nonce: 'bm9uY2U', title: 'Startup: Deployment shop/web' }, WATERFALL_STYLE);

  it('allows only its own nonce\'d style and script, and loads nothing', () => {
    assert.match(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-bm9uY2U'; script-src 'nonce-bm9uY2U';/);
    assert.deepEqual(page.match(/<script[^>]*>/g), ['<script nonce="bm9uY2U">']);
    assert.deepEqual(page.match(/<style[^>]*>/g), ['<style nonce="bm9uY2U">']);
    assert.doesNotMatch(page, /\sstyle="/, 'no inline style attribute (the policy refuses them)');
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//);
    assert.ok(!page.includes('<img'), 'the pod name is escaped');
    assert.ok(page.includes('web-&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('draws one bar per pod with a tooltip per segment, coloured by phase from the theme', () => {
    assert.equal(page.match(/class="grid-row pod-row/g)?.length, 9);
    assert.equal(page.match(/<rect class="seg seg-/g)?.length, page.match(/<rect class="seg seg-[^"]+"[^>]*><title>/g)?.length);
    assert.match(page, /<rect class="seg seg-ready" x="18%" y="4" width="74%" height="14" rx="1.5"><title>Ready: 37\.0 s \(9\.0 s → 46\.0 s\)<\/title><\/rect>/);
    for (const color of ['--vscode-charts-foreground', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-editor-background', '--vscode-foreground']) assert.ok(WATERFALL_STYLE.includes(`var(${color}`), color);
  });
});

describe('startup waterfall: nodes and images', () => {
  /** The web Deployment's result with the facts of the fixtures' five nodes (three of them from the batch scenario), read without node details. */
  function withClusterFacts(nodeDetails: ClusterSnapshot['nodeDetails'] = {}): TimingsResult {
    const nodes = [...readFixtureFile(path.join(FIXTURES, 'nodes.json')), ...readFixtureFile(path.join(FIXTURES, '..', 'batch', 'nodes.json'))];
    const snapshot = { objects: { nodes }, nodeDetails, unavailable: [] } as unknown as ClusterSnapshot;
    const result = webResult();
    const facts = new ClusterFactsIndex(snapshot).forWorkload({
      images: ['registry.example.com/shop/web-migrate:2.4.1', 'fluent/fluent-bit:3.0.4', 'registry.example.com/shop/web:2.4.1', 'registry.example.com/shop/<b>new</b>:1.0'],
      nodes: result.pods.flatMap((pod) => (pod.node ? [pod.node] : [])),
    });
    const view = { workload: result.workload, source: 'cluster' as const, context: 'shop-admin', capturedAt: CAPTURED_AT, timings: undefined };
    return { ...result, clusterFacts: timingsResultOf(view, facts).clusterFacts };
  }

  const model = waterfallModel(withClusterFacts(), { now: Date.parse(CAPTURED_AT) });

  it('lists what the cluster says, as podstart timings prints it, with how to read the kubelets too', () => {
    assert.deepEqual(model.clusterFacts, {
      sentences: ['Image registry.example.com/shop/<b>new</b>:1.0 is on none of the 5 nodes; its size is unknown (no node lists it)', 'The other 3 images are on at least 3 of 5 nodes'],
      hint: 'Kubelet pull settings and metrics were not read: turn on podstart.timings.nodeDetails (needs get on nodes/proxy).',
    });
  });

  it('upper-cases a sentence\'s first letter, but never a node\'s name', () => {
    const kubelet = (node: string, metrics: boolean) => {
      const fixture = kubeletFixture(node, metrics);
      return { kubeletConfig: fixture.configz, metrics: fixture.metrics } as ClusterSnapshot['nodeDetails'][string];
    };
    const sentences = waterfallModel(withClusterFacts({ 'node-a': kubelet('node-a', true), 'node-b': kubelet('node-b', true), 'node-c': kubelet('node-c', false) })).clusterFacts?.sentences;
    assert.deepEqual(sentences?.slice(2), [
      '2 of 3 nodes that ran its pods pull images one at a time (node-b, node-c)',
      'node-a kubelet (all its pods): pod start SLI p50 ~2.8 s, p95 ~10 s (40 pods); image pulls p50 ~15 s, p95 ~48 s (16 pulls)',
      'node-b kubelet (all its pods): pod start SLI p50 ~1.5 s, p95 ~3.4 s (12 pods)',
      'Kubelet metrics of node-c: not readable (empty answer)',
    ]);
  });

  it('shows them under the header, escaped, before the chart; a result without them has no such section', () => {
    const page = renderWaterfallPage(model, { nonce: 'bm9uY2U', title: 'Startup: Deployment shop/web' }, WATERFALL_STYLE);
    const section = page.indexOf('<section class="cluster-facts" aria-label="Nodes and images">');
    assert.ok(section > page.indexOf('</header>') && section < page.indexOf('<ul class="legend"'), 'between the header and the legend');
    assert.ok(page.includes('<li>Image registry.example.com/shop/&lt;b&gt;new&lt;/b&gt;:1.0 is on none of the 5 nodes; its size is unknown (no node lists it)</li>'));
    assert.ok(!page.includes('<b>new'), 'the cluster\'s text is escaped');
    assert.match(page, /<p class="facts-hint">Kubelet pull settings and metrics were not read: turn on podstart\.timings\.nodeDetails/);
    assert.ok(WATERFALL_STYLE.includes('.facts {'), 'styled with the theme variables of the other cards');
    const without = renderWaterfallPage(waterfallModel(webResult()), { nonce: 'bm9uY2U', title: 'Startup: Deployment shop/web' }, WATERFALL_STYLE);
    assert.ok(!without.includes('Nodes and images'));
  });
});
