/**
 * Registry facts in the language server, against a real registry (distribution 2.8, started by the
 * registry tests' harness) behind a proxy that counts what reaches it: diagnostics are published
 * from the text at once and again when the image's size arrives; "Pin to digest" writes the digest
 * that was pushed (an image index's, for a multi-platform image); an untrusted workspace, or the
 * setting off, asks no registry anything; a registry that is down is a log line, not a diagnostic.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CodeActionRequest, DiagnosticSeverity, type CodeAction, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { startCountingProxy, type TestServer } from '../registry/support/http-test-servers';
import { pushImage, pushIndex, randomLayer, type PushedImage } from '../registry/support/push';
import { freePort, skipWithoutRegistry, startRegistry, type RunningRegistry } from '../registry/support/registry-server';
import { applyWorkspaceEdit, Workspace } from './fixtures';
import { fileUri, messageText, onlyRules, ServerUnderTest, type StartOptions } from './lsp-test-client';

/** The inference service of a shop: one container, its image as given (line 16, 0-based, column 17). */
const recommender = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: recommender
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: recommender
  template:
    metadata:
      labels:
        app: recommender
    spec:
      containers:
        - name: model
          image: ${image}
          ports:
            - containerPort: 8080
`;
const IMAGE_LINE = 17;

/** The product's threshold is 200 MB; the pushed image is about 3 MB, so the test lowers it to 2. */
const RULES = {
  ...onlyRules('large-image', 'mutable-image-tag', 'dockerfile-large-base-image', 'dockerfile-mutable-base-image'),
  'large-image': { options: { sizeThresholdMB: 2 } },
  'dockerfile-large-base-image': { options: { sizeThresholdMB: 2 } },
};

const LOG_WARNING = 2;

/** Polls a condition outside the protocol (a file appearing) until it holds, with a deadline. */
async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const codes = (params: PublishDiagnosticsParams) => params.diagnostics.map((diagnostic) => diagnostic.code);
const hasSizeFinding = (params: PublishDiagnosticsParams) => codes(params).includes('large-image');

describe('language server: image facts from a real registry', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let proxy: TestServer;
  let amd64: PushedImage;
  let index: { digest: string };
  let workspace: Workspace;
  const servers: ServerUnderTest[] = [];
  const savedDockerConfig = process.env.DOCKER_CONFIG;

  const start = async (options: { trusted: boolean; enabled: boolean; cacheDir?: string }) => {
    const server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      initializationOptions: { workspaceTrusted: options.trusted, registryCacheDir: options.cacheDir },
      settings: () => ({ enable: true, rules: RULES, registry: { enabled: options.enabled } }),
    } satisfies StartOptions);
    servers.push(server);
    return server;
  };

  before(async function () {
    skipWithoutRegistry(this);
    registry = await startRegistry({ kind: 'none' });
    proxy = await startCountingProxy(registry.host);
    const target = { baseUrl: registry.baseUrl };
    // A multi-platform image: the amd64 image is about 3 MB, the arm64 one small.
    amd64 = await pushImage(target, 'shop/recommender', undefined, { layers: [randomLayer(2_000_000), randomLayer(1_000_000)] });
    const arm64 = await pushImage(target, 'shop/recommender', undefined, { layers: [randomLayer(10_000)], platform: { os: 'linux', architecture: 'arm64' } });
    index = await pushIndex(target, 'shop/recommender', 'latest', [{ image: amd64 }, { image: arm64 }]);
    // The server process inherits the environment: no developer credentials in these tests.
    process.env.DOCKER_CONFIG = path.join(tmpdir(), 'podstart-no-docker-config');
  });

  beforeEach(() => {
    workspace = new Workspace();
    proxy.requests.length = 0;
  });

  afterEach(async () => {
    for (const server of servers.splice(0)) {
      assert.deepEqual(server.errorLogs(), [], 'no handler failed');
      await server.stop();
    }
    workspace.dispose();
  });

  after(async () => {
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    await proxy?.stop();
    await registry?.stop();
  });

  it('publishes from the text at once, then again with the size once the registry answers, and pins the index digest', async () => {
    const server = await start({ trusted: true, enabled: true });
    const image = `${proxy.host}/shop/recommender:latest`;
    const text = recommender(image);
    const uri = fileUri(workspace.write('recommender.yaml', text));
    await server.open(uri, text);

    const first = await server.diagnosticsFor(uri);
    assert.deepEqual(codes(first), ['mutable-image-tag'], 'the first publish comes from the text alone');
    const withFacts = await server.diagnosticsFor(uri, hasSizeFinding);
    assert.equal(withFacts.version, 1, 'republished for the same version');
    assert.deepEqual(
      withFacts.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character, messageText(diagnostic)]),
      [
        [
          'large-image',
          DiagnosticSeverity.Warning,
          IMAGE_LINE,
          17,
          17 + image.length,
          `Container \`model\` pulls \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s on each node that does not have it yet. Make the image smaller, or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter).`,
        ],
        [
          'mutable-image-tag',
          DiagnosticSeverity.Warning,
          IMAGE_LINE,
          17,
          17 + image.length,
          `Container \`model\` uses the mutable tag \`${image}\`: every start waits on a registry round trip (pull policy Always) and nodes may run different builds. Pin a version tag or a digest.`,
        ],
      ],
    );
    // The index, then the amd64 image it names: one lookup for the document's one image.
    assert.deepEqual(
      proxy.requests.filter((request) => request.path.includes('/manifests/')).map((request) => request.path),
      ['/v2/shop/recommender/manifests/latest', `/v2/shop/recommender/manifests/${amd64.digest}`],
    );

    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: IMAGE_LINE, character: 20 }, end: { line: IMAGE_LINE, character: 20 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const pin = actions.find((action) => action.title.startsWith('Pin to digest'));
    assert.ok(pin, `offered: ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(pin.title, `Pin to digest (${index.digest.slice(0, 'sha256:'.length + 12)}…)`);
    assert.notEqual(pin.isPreferred, true, 'a fix that needs review is never the preferred one');
    const pinned = applyWorkspaceEdit(text, uri, pin.edit);
    assert.equal(pinned, recommender(`${image}@${index.digest}`), 'the index digest keeps the image multi-platform');

    // Fix-all applies safe fixes only: the pin is not among them.
    const fixAll = await server.connection.sendRequest('podstart/fixAll', { uri });
    assert.deepEqual(fixAll, { fixed: 0 });

    // The pinned text: no more mutable tag; the size is still the size (looked up by digest).
    await server.change(uri, [{ text: pinned }]);
    const after = await server.diagnosticsFor(uri, hasSizeFinding);
    assert.deepEqual(codes(after), ['large-image']);
  });

  it('does the same for the base of a Dockerfile', async () => {
    const server = await start({ trusted: true, enabled: true });
    const image = `${proxy.host}/shop/recommender`;
    const text = `FROM ${image}\nCOPY model/ /models/\nCMD ["serve", "--models", "/models"]\n`;
    const uri = fileUri(workspace.write('Dockerfile', text));
    await server.open(uri, text, 'dockerfile');
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), ['dockerfile-mutable-base-image']);
    const withFacts = await server.diagnosticsFor(uri, (params) => codes(params).includes('dockerfile-large-base-image'));
    assert.deepEqual(
      withFacts.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line, diagnostic.range.start.character, messageText(diagnostic).split(' on each node')[0]]),
      [
        ['dockerfile-large-base-image', 0, 5, `The final image is built on \`${image}\`: image is 3 MB compressed, about 0.2 s to pull at 100 Mbit/s`],
        ['dockerfile-mutable-base-image', 0, 5, `\`${image}\` has no tag, which means \`:latest\`: when it moves, the next build shares no base layer with the image the nodes have cached, and every node pulls all of it again instead of only the changed application layers. Pin a version tag or a digest.`],
      ],
    );
    const actions = (await server.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } },
      context: { diagnostics: [] },
    })) as CodeAction[];
    const pin = actions.find((action) => action.title.startsWith('Pin to digest'));
    assert.ok(pin, `offered: ${actions.map((action) => action.title).join(' | ')}`);
    assert.equal(applyWorkspaceEdit(text, uri, pin.edit), `FROM ${image}:latest@${index.digest}\nCOPY model/ /models/\nCMD ["serve", "--models", "/models"]\n`);
  });

  it('keeps the answers in the cache folder the client gives, for the next session', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'podstart-registry-cache-'));
    try {
      const image = `${proxy.host}/shop/recommender:latest`;
      const text = recommender(image);
      const uri = fileUri(workspace.write('recommender.yaml', text));
      const first = await start({ trusted: true, enabled: true, cacheDir });
      await first.open(uri, text);
      await first.diagnosticsFor(uri, hasSizeFinding);
      // The cache is written in the background, right after the answer arrives.
      await until('the cache file is written', () => existsSync(path.join(cacheDir, 'registry-image-facts.json')));
      await first.stop();
      const asked = proxy.requests.length;

      const second = await start({ trusted: true, enabled: true, cacheDir });
      await second.open(uri, text);
      const published = await second.diagnosticsFor(uri);
      assert.deepEqual(codes(published), ['large-image', 'mutable-image-tag'], 'the very first publish has the cached size');
      await second.connection.sendRequest('podstart/documentStatus', { uri });
      assert.equal(proxy.requests.length, asked, 'a fresh cached answer is not asked for again');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('asks no registry anything in an untrusted workspace, and starts when trust is granted', async () => {
    const server = await start({ trusted: false, enabled: true });
    const image = `${proxy.host}/shop/recommender:latest`;
    const text = recommender(image);
    const uri = fileUri(workspace.write('recommender.yaml', text));
    await server.open(uri, text);
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), ['mutable-image-tag']);
    // Edits and settings changes analyse the document again; still nothing goes out.
    await server.change(uri, [{ text: `${text}\n` }]);
    await server.diagnosticsFor(uri);
    await server.configurationChanged();
    await server.connection.sendRequest('podstart/documentStatus', { uri });
    assert.deepEqual(proxy.requests, [], 'no request before trust');
    assert.deepEqual(server.logs.filter((log) => /Registry/.test(log.message)), []);

    await server.connection.sendNotification('podstart/workspaceTrusted');
    await server.diagnosticsFor(uri, hasSizeFinding);
    assert.ok(proxy.requests.length > 0);
  });

  it('asks no registry anything while podstart.registry.enabled is off, even in a trusted workspace', async () => {
    let enabled = false;
    const server = await ServerUnderTest.start({
      workspaceFolder: workspace.root,
      initializationOptions: { workspaceTrusted: true },
      settings: () => ({ enable: true, rules: RULES, registry: { enabled } }),
    });
    servers.push(server);
    const text = recommender(`${proxy.host}/shop/recommender:latest`);
    const uri = fileUri(workspace.write('recommender.yaml', text));
    await server.open(uri, text);
    assert.deepEqual(codes(await server.diagnosticsFor(uri)), ['mutable-image-tag']);
    await server.connection.sendRequest('podstart/documentStatus', { uri });
    assert.deepEqual(proxy.requests, []);

    // Turning it on looks the open documents' images up.
    enabled = true;
    await server.configurationChanged();
    await server.diagnosticsFor(uri, hasSizeFinding);
  });

  it('logs a registry that is down and still publishes the text findings, with no error diagnostic', async () => {
    const server = await start({ trusted: true, enabled: true });
    const port = await freePort();
    const image = `127.0.0.1:${port}/shop/recommender:latest`;
    const text = recommender(image);
    const uri = fileUri(workspace.write('recommender.yaml', text));
    await server.open(uri, text);
    const published = await server.diagnosticsFor(uri);
    assert.deepEqual(codes(published), ['mutable-image-tag']);
    const warning = await server.waitFor('the registry warning', () => server.logs.find((log) => log.type === LOG_WARNING && log.message.startsWith('Registry lookup of')));
    assert.equal(
      warning.message,
      `Registry lookup of ${image} failed (unreachable: 127.0.0.1:${port}: connection refused); no size or digest for it, asked again in a minute at the earliest.`,
    );
    // Further edits do not ask the registry again at once, nor log again.
    await server.change(uri, [{ text: `${text}\n` }]);
    const again = await server.diagnosticsFor(uri);
    assert.deepEqual(codes(again), ['mutable-image-tag']);
    assert.ok(again.diagnostics.every((diagnostic) => diagnostic.severity !== DiagnosticSeverity.Error));
    await server.connection.sendRequest('podstart/documentStatus', { uri });
    assert.equal(server.logs.filter((log) => log.message.startsWith('Registry lookup of')).length, 1);
  });
});
