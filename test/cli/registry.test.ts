/**
 * `podstart check --registry` against a real registry (distribution 2.8, started by the registry
 * tests' harness): the size finding with its exact message for a manifest and a Dockerfile, the
 * platform chosen from an image index, the answers cached between runs, and a registry that is down
 * reported as a warning that fails nothing. A proxy in front of the registry counts the requests.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startCountingProxy, type TestServer } from '../registry/support/http-test-servers';
import { pushImage, pushIndex, randomLayer, type PushedImage } from '../registry/support/push';
import { freePort, skipWithoutRegistry, startRegistry, type RunningRegistry } from '../registry/support/registry-server';
import { jsonReport, onlyRules, TempProject, type CliRun } from './harness';

/** A model server whose image the registry holds; `image` as given. */
const modelServer = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-server
  namespace: ml
spec:
  replicas: 2
  selector:
    matchLabels:
      app: model-server
  template:
    metadata:
      labels:
        app: model-server
    spec:
      containers:
        - name: model
          image: ${image}
          ports:
            - containerPort: 8080
`;

/** Scaled down from the product's 200 MB, so that the pushed layers stay a few MB. */
const CONFIG = `rules:
  large-image:
    options:
      sizeThresholdMB: 2
  dockerfile-large-base-image:
    options:
      sizeThresholdMB: 2
`;

const SIZE_RULES = onlyRules('large-image', 'dockerfile-large-base-image');

interface SarifLog {
  runs: Array<{ invocations: Array<{ executionSuccessful: boolean; exitCode: number; toolExecutionNotifications?: Array<{ level: string; message: { text: string } }> }>; results: Array<{ ruleId: string; message: { text: string } }> }>;
}

describe('podstart check --registry, against a real registry', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let proxy: TestServer;
  let model: PushedImage;
  let project: TempProject;
  let home: string;

  before(async function () {
    skipWithoutRegistry(this);
    registry = await startRegistry({ kind: 'none' });
    proxy = await startCountingProxy(registry.host);
    const target = { baseUrl: registry.baseUrl };
    // 3,000,000 bytes of layer and a config of a few hundred: "3 MB compressed", over a 2 MB threshold.
    model = await pushImage(target, 'ml/model-server', '3.1.0', { layers: [randomLayer(3_000_000)] });
    await pushImage(target, 'ml/tokenizer', '1.0.0', { layers: [randomLayer(40_000)] });
    // A multi-platform image whose arm64 image is large and amd64 image small.
    const amd64 = await pushImage(target, 'ml/edge', undefined, { layers: [randomLayer(500_000)] });
    const arm64 = await pushImage(target, 'ml/edge', undefined, { layers: [randomLayer(2_600_000)], platform: { os: 'linux', architecture: 'arm64' } });
    await pushIndex(target, 'ml/edge', '2.0.0', [{ image: amd64 }, { image: arm64 }]);
  });

  beforeEach(() => {
    project = new TempProject({ '.podstart.yaml': CONFIG });
    home = mkdtempSync(path.join(tmpdir(), 'podstart-home-'));
    proxy.requests.length = 0;
  });

  afterEach(() => {
    project?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  after(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  /** A run with a home of its own: no credentials, and the cache in a folder the test reads. */
  const run = (args: string[]): Promise<CliRun> =>
    project.run(args, { env: { HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), DOCKER_CONFIG: path.join(home, 'no-docker-config') } });
  const manifestRequests = () => proxy.requests.filter((request) => request.path.includes('/manifests/')).length;

  it('reports an image over the threshold with its size and pull time, at the image value', async () => {
    const image = `${proxy.host}/ml/model-server:3.1.0`;
    project.write('deploy/model-server.yaml', modelServer(image));
    const result = await run(['check', '--registry', '--format', 'json', ...SIZE_RULES, 'deploy']);
    assert.equal(result.stderr, '');
    const report = jsonReport(result);
    assert.equal(model.compressedSize > 3_000_000 && model.compressedSize < 3_050_000, true, `pushed ${model.compressedSize} bytes`);
    assert.deepEqual(
      report.files.flatMap((file) => file.findings.map(({ ruleId, severity, line, column, endLine, endColumn, message, fixable }) => ({ path: file.path, ruleId, severity, line, column, endLine, endColumn, message, fixable }))),
      [
        {
          path: 'deploy/model-server.yaml',
          ruleId: 'large-image',
          severity: 'warning',
          line: 18,
          column: 18,
          endLine: 18,
          endColumn: 18 + image.length,
          message: `Container \`model\` pulls \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s on each node that does not have it yet. Make the image smaller, or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter).`,
          fixable: false,
        },
      ],
    );
    assert.equal(result.code, 1, 'a warning fails the run at the default --fail-on');
  });

  it('without --registry asks no registry anything, and reports no size', async () => {
    project.write('deploy/model-server.yaml', modelServer(`${proxy.host}/ml/model-server:3.1.0`));
    const result = await run(['check', '--format', 'json', ...SIZE_RULES, 'deploy']);
    assert.deepEqual(jsonReport(result).files.map((file) => file.findings.length), [0]);
    assert.equal(result.code, 0);
    assert.deepEqual(proxy.requests, []);
  });

  it('measures the final image base of a Dockerfile, and asks about each image once however many files name it', async () => {
    const image = `${proxy.host}/ml/model-server:3.1.0`;
    project.write('Dockerfile', `FROM ${proxy.host}/ml/tokenizer:1.0.0 AS tokenizer\nFROM ${image}\nCOPY --from=tokenizer /tokenizer /opt/tokenizer\nCMD ["serve"]\n`);
    project.write('deploy/a.yaml', modelServer(image));
    project.write('deploy/b.yaml', modelServer(image));
    const result = await run(['check', '--registry', '--format', 'text', '--no-color', ...SIZE_RULES]);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n').filter((line) => /\b(large-image|dockerfile-large-base-image)\b/.test(line));
    assert.deepEqual(
      lines.map((line) => line.replace(/\s+/g, ' ').trim()),
      [
        `Dockerfile:2:6 warning Image pull The final image is built on \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s on each node that does not have it yet, before the layers this Dockerfile adds. Start from a smaller base (a slim, runtime or distroless variant, with a build stage for the tools), or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter). [dockerfile-large-base-image]`,
        `deploy/a.yaml:18:18 warning Image pull Container \`model\` pulls \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s on each node that does not have it yet. Make the image smaller, or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter). [large-image]`,
        `deploy/b.yaml:18:18 warning Image pull Container \`model\` pulls \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s on each node that does not have it yet. Make the image smaller, or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter). [large-image]`,
      ],
    );
    // Only the final stage's base is measured; the builder stage's image is never asked about.
    const paths = proxy.requests.filter((request) => request.path.includes('/manifests/')).map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(paths, ['GET /v2/ml/model-server/manifests/3.1.0']);
  });

  it('measures the image of the --platform given, from an image index', async () => {
    project.write('deploy/edge.yaml', modelServer(`${proxy.host}/ml/edge:2.0.0`));
    const amd64 = jsonReport(await run(['check', '--registry', '--no-registry-cache', '--format', 'json', ...SIZE_RULES, 'deploy']));
    assert.deepEqual(amd64.files[0].findings, [], 'the amd64 image is 500 kB');
    const arm64 = jsonReport(await run(['check', '--registry', '--no-registry-cache', '--platform', 'linux/arm64', '--format', 'json', ...SIZE_RULES, 'deploy']));
    const sizeOf = (message: string) => message.slice(message.indexOf('image is '), message.indexOf(' on each node'));
    assert.deepEqual(arm64.files[0].findings.map((finding) => sizeOf(finding.message)), ['image is 2.6 MB compressed, about 0.2 s to pull at 100 Mbit/s']);
  });

  it('keeps the answers in $XDG_CACHE_HOME/podstart for the next run, unless --no-registry-cache', async () => {
    project.write('deploy/model-server.yaml', modelServer(`${proxy.host}/ml/model-server:3.1.0`));
    const args = ['check', '--registry', '--format', 'json', ...SIZE_RULES, 'deploy'];
    assert.equal(jsonReport(await run(args)).summary.findings, 1);
    assert.equal(manifestRequests(), 1);
    assert.ok(existsSync(path.join(home, 'cache', 'podstart', 'registry-image-facts.json')), 'the cache file is written');

    assert.equal(jsonReport(await run(args)).summary.findings, 1, 'the cached answer gives the same finding');
    assert.equal(manifestRequests(), 1, 'the second run asked the registry nothing');

    assert.equal(jsonReport(await run([...args, '--no-registry-cache'])).summary.findings, 1);
    assert.equal(manifestRequests(), 2, '--no-registry-cache asks again');
  });

  it('reports a registry that is down as a warning on stderr and in SARIF, and still checks everything else', async () => {
    const port = await freePort();
    const down = `127.0.0.1:${port}/ml/model-server:3.1.0`;
    project.write('deploy/model-server.yaml', modelServer(down));
    project.write('deploy/tokenizer.yaml', modelServer(`${proxy.host}/ml/tokenizer:1.0.0`).replace(/model-server/g, 'tokenizer'));
    const text = await run(['check', '--registry', ...onlyRules('large-image', 'mutable-image-tag'), 'deploy']);
    assert.equal(text.code, 0, 'nothing reaches --fail-on, and the registry problem fails nothing');
    assert.equal(
      text.stderr,
      `deploy/model-server.yaml: warning: Registry lookup of ${down} failed: 127.0.0.1:${port}: connection refused. Findings that need its size or digest are missing.\n`,
    );

    const sarif = JSON.parse((await run(['check', '--registry', '--format', 'sarif', ...onlyRules('large-image'), 'deploy'])).stdout) as SarifLog;
    const [invocation] = sarif.runs[0].invocations;
    assert.equal(invocation.executionSuccessful, true);
    assert.equal(invocation.exitCode, 0);
    assert.deepEqual(invocation.toolExecutionNotifications?.map((notification) => [notification.level, notification.message.text]), [
      ['warning', `Registry lookup of ${down} failed: 127.0.0.1:${port}: connection refused. Findings that need its size or digest are missing.`],
    ]);
  });

  it('refuses registry options without --registry, and a platform that is not one', async () => {
    project.write('deploy/model-server.yaml', modelServer('ghcr.io/acme/model-server:3.1.0'));
    const without = await run(['check', '--platform', 'linux/arm64', 'deploy']);
    assert.equal(without.code, 2);
    assert.match(without.stderr, /^podstart: --platform only applies with --registry/);
    const bad = await run(['check', '--registry', '--platform', 'arm64', 'deploy']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--platform takes os\/architecture\[\/variant\] \(for example linux\/arm64\), not "arm64"/);
    const timeout = await run(['check', '--registry', '--registry-timeout', '0', 'deploy']);
    assert.equal(timeout.code, 2);
    assert.deepEqual(proxy.requests, []);
  });
});
