/**
 * The cluster client against an API server that hangs, resets, answers garbage or 500s, for good
 * rather than once (test/cluster/read-only-client.test.ts covers the single fault that a retry
 * hides): every failure ends within the retry and timeout budget with its kind, and the same client
 * instance works again as soon as the server does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '../../core/cluster/kubeconfig';
import { ClusterRequestError, ReadOnlyClusterClient } from '../../core/cluster/read-only-client';
import { CLUSTER_ADMIN_RULES, KubeApiTestServer, readFixtureFile, type Fault } from '../support/kube-api-server';

const FIXTURES = path.join(__dirname, '..', 'timings', 'fixtures', 'deployment-rollout');
const NODES = '/api/v1/nodes';
const TIMEOUT_MS = 300;
const RETRIES = 2;
/** Every attempt timing out, plus the client's back-off between attempts (200 ms, then 600 ms), plus slack. */
const WORST_CASE_MS = (RETRIES + 1) * TIMEOUT_MS + 200 + 600 + 2_000;

describe('limits: the cluster client against a server that keeps failing, then recovers', function () {
  this.timeout(30_000);
  let server: KubeApiTestServer;
  let folder: string;
  let client: ReadOnlyClusterClient;
  let nodeCount: number;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'podstart-cluster-limits-'));
    const nodes = readFixtureFile(path.join(FIXTURES, 'nodes.json'));
    nodeCount = nodes.length;
    server = new KubeApiTestServer({ users: [{ name: 'admin', token: 'admin-token', rules: CLUSTER_ADMIN_RULES }], objects: nodes });
    await server.start();
    const file = path.join(folder, 'admin.kubeconfig');
    server.writeKubeconfig(file, { user: 'admin' });
    // One instance for the whole suite: recovery must not need a new client.
    client = new ReadOnlyClusterClient(loadKubeconfig({ explicitPath: file, env: {} }).config, { retries: RETRIES, timeoutMs: TIMEOUT_MS });
  });
  after(async () => {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.clearFaults();
    server.clearRequests();
  });

  const nodeRequests = () => server.requests.filter((request) => request.path === NODES).length;

  /** Injects `fault` on the nodes list, expects `kind` after `attempts` requests within the budget, then removes the fault and expects the list. */
  async function failsThenRecovers(fault: Fault, kind: string, attempts: number, message: RegExp): Promise<void> {
    const injected = server.injectFault({ path: NODES, fault });
    const started = performance.now();
    await assert.rejects(client.list(NODES), (error: unknown) => {
      assert.ok(error instanceof ClusterRequestError, String(error));
      assert.equal(error.kind, kind);
      assert.match(error.message, message);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < WORST_CASE_MS, `gave up after ${Math.round(elapsed)} ms`);
    assert.equal(nodeRequests(), attempts);
    injected.remove();
    assert.equal((await client.list(NODES)).items.length, nodeCount, 'the same client reads the list once the server is well');
  }

  it('gives up on a server that never answers after its retries, within the budget', async () => {
    await failsThenRecovers({ kind: 'hang' }, 'timeout', RETRIES + 1, /did not answer/);
  });

  it('gives up on a server that resets every connection after its retries', async () => {
    await failsThenRecovers({ kind: 'reset' }, 'unreachable', RETRIES + 1, /\/api\/v1\/nodes/);
  });

  it('gives up on a server that answers 500 every time after its retries', async () => {
    await failsThenRecovers({ kind: 'status', code: 500, message: 'etcdserver: request timed out' }, 'server', RETRIES + 1, /etcdserver: request timed out \(HTTP 500\)/);
  });

  for (const [what, fault] of [
    ['truncated JSON', { kind: 'garbage' }],
    ['an HTML page (a proxy in the way) under text/html', { kind: 'garbage', contentType: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }],
    ['binary data under application/json', { kind: 'garbage', body: '\u0000\u0001\u0002\u00ff' }],
  ] as const) {
    it(`refuses ${what} at once (an answer, so not retried) and recovers`, async () => {
      await failsThenRecovers(fault, 'invalid-response', 1, /with something that is not JSON/);
    });
  }

  it('refuses JSON that is not a list', async () => {
    await failsThenRecovers({ kind: 'garbage', body: '{"kind":"Status","apiVersion":"v1"}' }, 'invalid-response', 1, /without a list of items/);
  });
});
