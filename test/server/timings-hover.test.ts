/**
 * The cluster's part of a hover in a manifest (server/timings-hover.ts), from a snapshot of the timing
 * fixtures (deployment-rollout: Deployment shop/web, 9 pods on node-a, node-b and node-c, p50 23.0 s and
 * p95 46.0 s to Ready, hand-computed in test/timings; plus the batch fixtures' two nodes, which hold none
 * of the shop's images). The figures below are read off the fixtures' events and node image lists:
 *
 *   web-migrate:2.4.1  48,234,496 bytes on node-a/b/c; pulled by k2x9p (5.5 s including the wait for a
 *                      pull slot), p7h4m (2.302 s), h6c4d (3.1 s): p50 3.1 s; cached for q8n2v, v5t7w, zr4tq
 *   fluent-bit:3.0.4   30,183,744 bytes; pulled only by h6c4d (1.8 s); five pods found it present
 *   web:2.4.1          187,654,321 bytes; pulled by p7h4m (6.371 s), h6c4d (6.85 s), k2x9p (8.904 s with waiting)
 *
 * In process, against a TimingsService reading a snapshot file; then through the language server,
 * where the cluster part follows the rule's hover and links the waterfall only for the Podstart client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeLensRequest, CodeLensResolveRequest, HoverRequest, type CodeLens, type Hover, type MarkupContent } from 'vscode-languageserver/node';
import { analyzeText } from '../../core/analyze';
import { SHOW_STARTUP_WATERFALL_COMMAND } from '../../server/protocol';
import { startupLenses } from '../../server/timings-code-lens';
import { clusterHoverAt } from '../../server/timings-hover';
import { TimingsService } from '../../server/timings-service';
import { DEFAULT_TIMINGS_SETTINGS } from '../../server/timings-settings';
import { workloadSitesOf, type WorkloadSite } from '../../server/timings-workload-sites';
import type { KubeObject } from '../support/kube-api-server';
import { FIXTURE_WORKSPACE } from '../e2e/support/toolchain';
import { fixtureObjects } from '../support/timing-fixtures';
import { Workspace } from './fixtures';
import { fileUri, onlyRules, ServerUnderTest } from './lsp-test-client';

/**
 * The e2e suite's manifest of Deployment shop/web and a Pod the cluster does not have. 0-based lines:
 * web's kind on 3, its name on 5, its images on 23, 32 and 43 (from character 17); the Pod's kind on 61,
 * its image on 68.
 */
const MANIFEST = `${readFileSync(path.join(FIXTURE_WORKSPACE, 'shop-web.yaml'), 'utf8')}---
# A smoke-test pod only written here: the cluster has none of it.
apiVersion: v1
kind: Pod
metadata:
  name: checkout-smoke
  namespace: shop
spec:
  containers:
    - name: smoke
      image: registry.example.com/shop/checkout:1.0.0
`;

const URI = 'file:///work/deploy/shop.yaml';
const CAPTURED_AT = '2025-06-03T09:10:00Z';
/** Three minutes after the capture. */
const NOW = Date.parse(CAPTURED_AT) + 180_000;
const PROVENANCE = '_ctx `prod` (snapshot) · captured 3 min ago (2025-06-03 09:10 UTC)_';

const WEB_SUMMARY = [
  '**Podstart: startup in the cluster** · Deployment shop/web',
  '',
  '- To Ready: p50 **23.0 s**, p95 **46.0 s** · 9 pods (2 not Ready)',
  '- Kubelet pod start SLI p50: **4.0 s** (without image pulls and init containers)',
  '- Largest phase: **waiting for Ready after the containers started**, 40% of the time',
  '',
];

function snapshotOf(objects: KubeObject[], extra: Record<string, unknown> = {}): string {
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  return JSON.stringify({
    kind: 'PodstartSnapshot',
    version: 1,
    capturedAt: CAPTURED_AT,
    context: 'prod',
    server: 'https://prod.example:6443',
    namespaces: ['shop'],
    objects: { pods: of('Pod'), events: of('Event'), nodes: of('Node'), deployments: of('Deployment'), replicasets: of('ReplicaSet'), statefulsets: of('StatefulSet'), daemonsets: [], jobs: [], cronjobs: [] },
    nodeDetails: {},
    unavailable: [],
    ...extra,
  });
}

const clusterObjects = () => [...fixtureObjects('deployment-rollout', ['pods', 'events', 'nodes', 'deployments', 'replicasets', 'statefulsets']), ...fixtureObjects('batch', ['nodes'])];

describe('hover: what the startup timings already read say about an image or a workload', () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'podstart-hover-'));
  const sites: WorkloadSite[] = workloadSitesOf(analyzeText({ text: MANIFEST, fileName: 'shop.yaml', keepDocuments: true }));
  const services: TimingsService[] = [];
  after(() => {
    for (const service of services) service.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A service reading this snapshot; `read`: its capture made already (what a lens or the diagnostics asked for). */
  const serviceFor = async (snapshot: string, options: { trusted?: boolean; enabled?: boolean; read?: boolean } = {}) => {
    const file = path.join(folder, `snapshot-${services.length}.json`);
    writeFileSync(file, snapshot);
    const logs: string[] = [];
    const service = new TimingsService({ log: { info: (message) => logs.push(message), warn: (message) => logs.push(message) }, changed: () => undefined, workspaceFolders: () => [folder] });
    services.push(service);
    service.setTrusted(options.trusted ?? true);
    service.configure({ ...DEFAULT_TIMINGS_SETTINGS, enabled: options.enabled ?? true, snapshot: file });
    if (options.read ?? true) await service.refresh();
    return { service, logs };
  };
  const hover = (service: TimingsService, line: number, character: number, waterfallLink = true) => clusterHoverAt(URI, sites, { line, character }, service, { waterfallLink, now: NOW });

  it('over an image: on how many of its nodes and of all nodes it is cached, its size, and its pods\' p50 pull', async () => {
    const { service } = await serviceFor(snapshotOf(clusterObjects()));
    const shown = hover(service, 23, 30);
    assert.deepEqual(shown?.range, sites[0].images[0].range);
    assert.equal(
      shown?.value,
      [
        '**Podstart: image in the cluster** · `registry.example.com/shop/web-migrate:2.4.1`',
        '',
        '- Cached on **3 of 3** nodes that ran its pods, **3 of 5** schedulable Ready nodes (not on batch-node-1, batch-node-2)',
        '- Size on the nodes: **48 MB**: about 3.9 s to pull at 100 Mbit/s',
        '- Pulled by 3 pods: p50 **3.1 s** (waiting for a pull slot included); 3 pods found it cached; 1 pod without image events left',
        '',
        PROVENANCE,
      ].join('\n'),
    );
    // Written as a Docker Hub short name, run by the pods under the same name: the same image.
    assert.match(hover(service, 32, 20)!.value, /\n- Pulled by 1 pod: p50 \*\*1\.8 s\*\* \(waiting for a pull slot included\); 5 pods found it cached/);
    // The middle of 6.371 s, 6.85 s and 8.904 s (the last one waited 2.9 s for a pull slot).
    assert.match(hover(service, 43, 17)!.value, /\*\*188 MB\*\*[^\n]*\n- Pulled by 3 pods: p50 \*\*6\.8 s\*\*/);
  });

  it('over kind: and metadata.name: the workload\'s start in a few lines and a link to its waterfall, with the lens\'s arguments', async () => {
    const { service } = await serviceFor(snapshotOf(clusterObjects()));
    const overKind = hover(service, 3, 2);
    const overName = hover(service, 5, 9);
    assert.deepEqual([overKind?.range, overName?.range], [sites[0].range, sites[0].nameRange]);
    assert.equal(overName?.value, overKind?.value);
    const lines = overKind!.value.split('\n');
    assert.deepEqual(lines.slice(0, -1), WEB_SUMMARY);
    const link = /^\[Open the startup waterfall\]\(command:([\w.]+)\?([^)]+)\) · (.*)$/.exec(lines.at(-1)!);
    assert.ok(link, lines.at(-1));
    assert.equal(link[3], PROVENANCE);
    const [lens] = await startupLenses(service, URI, sites);
    assert.deepEqual([link[1], JSON.parse(decodeURIComponent(link[2]))], [lens.command?.command, lens.command?.arguments]);
    assert.equal(link[1], SHOW_STARTUP_WATERFALL_COMMAND);
    // A client that cannot run the command gets the figures without the link.
    assert.equal(hover(service, 3, 2, false)?.value, [...WEB_SUMMARY, PROVENANCE].join('\n'));
  });

  it('shows nothing elsewhere: apiVersion, metadata:, a container\'s name, just past an image value, namespace:', async () => {
    const { service } = await serviceFor(snapshotOf(clusterObjects()));
    for (const [line, character] of [[2, 3], [4, 3], [22, 18], [23, 60], [6, 8]]) assert.equal(hover(service, line, character), undefined, `nothing at ${line}:${character}`);
    assert.ok(hover(service, 23, 59), 'the last character of the image value is inside');
  });

  it('for a workload the cluster does not have: no summary, and its image is on no node', async () => {
    const { service } = await serviceFor(snapshotOf(clusterObjects()));
    assert.equal(hover(service, 61, 8), undefined, 'the lens already says it is not in the cluster');
    assert.deepEqual(hover(service, 68, 30)?.value.split('\n').slice(2, 4), [
      '- Cached on **0 of 5** schedulable Ready nodes (not on batch-node-1, batch-node-2, node-a, node-b, node-c)',
      '- Size: unknown (no node lists it)',
    ]);
  });

  it('counts only the nodes a new pod can land on: a cordoned node of the workload drops out of both counts', async () => {
    const objects = clusterObjects().map((object) => (object.kind === 'Node' && object.metadata.name === 'node-c' ? { ...object, spec: { ...(object.spec as object), unschedulable: true } } : object));
    const { service } = await serviceFor(snapshotOf(objects));
    assert.match(hover(service, 23, 30)!.value, /\n- Cached on \*\*2 of 2\*\* nodes that ran its pods, \*\*2 of 4\*\* schedulable Ready nodes \(not on batch-node-1, batch-node-2\)\n/);
  });

  it('says the nodes could not be read (RBAC) and keeps what the pods say', async () => {
    const { service } = await serviceFor(snapshotOf(clusterObjects().filter((object) => object.kind !== 'Node'), { unavailable: [{ resource: 'nodes', kind: 'forbidden', message: 'nodes is forbidden: User "dev" cannot list resource "nodes"' }] }));
    assert.deepEqual(hover(service, 23, 30)?.value.split('\n').slice(2, 4), [
      '- Nodes not readable (RBAC): where the image is cached is unknown',
      '- Pulled by 3 pods: p50 **3.1 s** (waiting for a pull slot included); 3 pods found it cached; 1 pod without image events left',
    ]);
  });

  it('has no cluster part, and reads nothing for the hover, before the namespace is read, when untrusted, or with the timings off', async () => {
    const unread = await serviceFor(snapshotOf(clusterObjects()), { read: false });
    assert.deepEqual([hover(unread.service, 23, 30), hover(unread.service, 3, 2)], [undefined, undefined]);
    assert.deepEqual(unread.logs, [], 'the hover started no read');
    const untrusted = await serviceFor(snapshotOf(clusterObjects()), { trusted: false });
    assert.deepEqual([hover(untrusted.service, 23, 30), hover(untrusted.service, 3, 2)], [undefined, undefined]);
    const disabled = await serviceFor(snapshotOf(clusterObjects()), { enabled: false });
    assert.deepEqual([hover(disabled.service, 23, 30), hover(disabled.service, 3, 2)], [undefined, undefined]);
    assert.deepEqual([...untrusted.logs, ...disabled.logs], [], 'neither read the snapshot');
  });
});

describe('language server: the hover with the cluster\'s part', function () {
  this.timeout(30_000);
  let workspace: Workspace;
  const servers: ServerUnderTest[] = [];
  /** web-migrate written without a tag: mutable-image-tag underlines it, and the nodes hold only 2.4.1. */
  const text = MANIFEST.replace('web-migrate:2.4.1', 'web-migrate');

  before(() => {
    workspace = new Workspace();
    workspace.write('snapshots/shop.json', snapshotOf(clusterObjects()));
    workspace.write('deploy/shop.yaml', text);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    workspace.dispose();
  });

  const start = async (initializationOptions: Record<string, unknown>) => {
    const server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true, codeLens: { refreshSupport: true } }, textDocument: { synchronization: { didSave: true }, codeLens: {}, hover: { contentFormat: ['markdown'] } } },
      initializationOptions,
      settings: () => ({ enable: true, rules: onlyRules('mutable-image-tag'), timings: { snapshot: 'snapshots/shop.json' } }),
    });
    servers.push(server);
    server.connection.onRequest('workspace/codeLens/refresh', () => null);
    const uri = fileUri(workspace.path('deploy/shop.yaml'));
    await server.open(uri, text);
    await server.diagnosticsFor(uri);
    // The lenses read the snapshot; the hover itself never does.
    const lenses = (await server.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[];
    await Promise.all(lenses.map((lens) => server.connection.sendRequest(CodeLensResolveRequest.type, lens)));
    const hover = async (line: number, character: number) => {
      const result = (await server.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
      return result && { range: result.range, value: (result.contents as MarkupContent).value };
    };
    return { server, uri, hover };
  };

  it('follows the rule\'s hover on an underlined image, over the rule\'s range, and links the waterfall for the Podstart client', async () => {
    const { server, uri, hover } = await start({ workspaceTrusted: true, opensRuleDocLinks: true, opensStartupWaterfallLinks: true });
    const image = await hover(23, 30);
    const [rule, cluster] = image!.value.split('\n\n---\n\n');
    assert.ok(rule.startsWith('**Podstart `mutable-image-tag`**'), rule);
    assert.equal(cluster.split('\n').slice(0, 4).join('\n'), [
      '**Podstart: image in the cluster** · `registry.example.com/shop/web-migrate`',
      '',
      '- Cached on **0 of 3** nodes that ran its pods, **0 of 5** schedulable Ready nodes (not on batch-node-1, batch-node-2, node-a, node-b, node-c)',
      '- Size: unknown (no node lists it)',
    ].join('\n'));
    assert.deepEqual(image!.range, { start: { line: 23, character: 17 }, end: { line: 23, character: 54 } });
    const workload = await hover(5, 4);
    assert.deepEqual(workload!.value.split('\n').slice(0, 6), WEB_SUMMARY);
    const link = /\[Open the startup waterfall\]\(command:podstart\.showStartupWaterfall\?([^)]+)\)/.exec(workload!.value);
    assert.deepEqual(link && JSON.parse(decodeURIComponent(link[1])), [{ uri, kind: 'Deployment', name: 'web', namespace: 'shop' }]);
    assert.deepEqual(workload!.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 11 } });
    assert.deepEqual(server.errorLogs(), []);
  });

  it('gives other clients the figures without a command link, and an untrusted workspace only the rule', async () => {
    const other = await start({ workspaceTrusted: true });
    const workload = await other.hover(3, 0);
    assert.ok(workload?.value.includes('p50 **23.0 s**') && !workload.value.includes('command:'), workload?.value);
    const untrusted = await start({ workspaceTrusted: false, opensStartupWaterfallLinks: true });
    assert.equal(await untrusted.hover(3, 0), null);
    assert.ok(!(await untrusted.hover(23, 30))!.value.includes('---'), 'the rule alone');
    assert.deepEqual(untrusted.server.errorLogs(), []);
  });
});
