/**
 * Registries that are down, hang, or answer wrongly: each gives one clear error kind within the
 * deadline, nothing is retried, and a failure is remembered for a while so that a broken registry is
 * not asked again on every keystroke. Scripted servers stand in for misbehaviour a real registry
 * will not produce on demand.
 */
import assert from 'node:assert/strict';
import {
  RegistryBadResponseError,
  RegistryClient,
  RegistryNotFoundError,
  RegistryRateLimitedError,
  RegistryTimeoutError,
  RegistryUnreachableError,
} from '../../core/registry';
import { startScriptedServer, startSilentServer, type TestServer } from './support/http-test-servers';
import { OCI_MANIFEST, sha256 } from './support/push';
import { freePort } from './support/registry-server';
import { basicAuthEntry, temporaryDirectory, writeDockerConfig, type TemporaryDirectory } from './support/docker-config';

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 1_200 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'b'.repeat(64)}`, size: 31_000_000 }],
});
const MANIFEST_DIGEST = sha256(MANIFEST);

describe('registry client: unreachable, slow and misbehaving registries', function () {
  this.timeout(30_000);
  const servers: TestServer[] = [];
  const clients: RegistryClient[] = [];
  let configs: TemporaryDirectory;

  const client = (options: ConstructorParameters<typeof RegistryClient>[0] = {}) => {
    const created = new RegistryClient({ dockerConfigPath: '/nonexistent/config.json', ...options });
    clients.push(created);
    return created;
  };
  const scripted = async (...args: Parameters<typeof startScriptedServer>) => {
    const server = await startScriptedServer(...args);
    servers.push(server);
    return server;
  };

  before(() => {
    configs = temporaryDirectory('podstart-docker-config-');
  });

  after(async () => {
    for (const created of clients) created.close();
    for (const server of servers) await server.stop();
    configs.remove();
  });

  it('reports a registry that refuses connections as unreachable, at once', async () => {
    const port = await freePort();
    const started = performance.now();
    await assert.rejects(client().getImageFacts(`127.0.0.1:${port}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryUnreachableError);
      assert.equal(error.kind, 'unreachable');
      assert.equal(error.message, `127.0.0.1:${port}: connection refused`);
      return true;
    });
    assert.ok(performance.now() - started < 2_000);
  });

  it('gives up on a registry that accepts the connection and never answers, within the deadline', async () => {
    const silent = await startSilentServer();
    servers.push(silent);
    const started = performance.now();
    await assert.rejects(client({ timeoutMs: 600 }).getImageFacts(`${silent.host}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryTimeoutError);
      assert.equal(error.kind, 'timeout');
      assert.equal(error.message, `${silent.host} did not answer within 0.6 s`);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 550 && elapsed < 2_000, `timed out after ${Math.round(elapsed)} ms`);
  });

  it('gives up on a registry that sends headers and then stalls the body', async () => {
    const stalling = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(MANIFEST.length) });
      response.write(MANIFEST.slice(0, 40));
    });
    const started = performance.now();
    await assert.rejects(client({ timeoutMs: 500 }).getImageFacts(`${stalling.host}/app:1.0.0`), RegistryTimeoutError);
    assert.ok(performance.now() - started < 2_000);
  });

  it('remembers a failure for the failure lifetime instead of asking again', async () => {
    let now = 1_000_000;
    const failing = await scripted((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}');
    });
    const flaky = client({ now: () => now, failureTtlMs: 60_000 });
    const reference = `${failing.host}/app:1.0.0`;
    await assert.rejects(flaky.getImageFacts(reference), (error: unknown) => error instanceof RegistryUnreachableError && error.message === `${reference}: ${failing.host} answered HTTP 503`);
    await assert.rejects(flaky.getImageFacts(reference), RegistryUnreachableError);
    assert.equal(failing.requests.length, 1, 'the second lookup did not reach the registry');
    now += 60_001;
    await assert.rejects(flaky.getImageFacts(reference), RegistryUnreachableError);
    assert.equal(failing.requests.length, 2, 'after the failure lifetime the registry is asked again');
  });

  it('reports HTTP 429 as rate limiting', async () => {
    const limited = await scripted((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
    });
    await assert.rejects(client().getImageFacts(`${limited.host}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryRateLimitedError);
      assert.equal(error.message, `${limited.host}/app:1.0.0: ${limited.host} is rate-limiting requests (HTTP 429)`);
      return true;
    });
  });

  it('reports NAME_UNKNOWN as a missing repository', async () => {
    const unknown = await scripted((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
    });
    await assert.rejects(client().getImageFacts(`${unknown.host}/team/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryNotFoundError);
      assert.equal(error.message, `${unknown.host}/team/app:1.0.0: repository team/app not found on ${unknown.host}`);
      return true;
    });
  });

  it('refuses a manifest whose body does not match the Docker-Content-Digest header', async () => {
    const lying = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': `sha256:${'c'.repeat(64)}` });
      response.end(MANIFEST);
    });
    await assert.rejects(client().getImageFacts(`${lying.host}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryBadResponseError);
      assert.equal(error.message, `${lying.host}/app:1.0.0: the manifest ${lying.host} sent does not match its Docker-Content-Digest header`);
      return true;
    });
  });

  it('refuses a manifest whose body does not have the digest that was asked for', async () => {
    const other = `sha256:${'d'.repeat(64)}`;
    const wrongContent = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST });
      response.end(MANIFEST);
    });
    await assert.rejects(client().getImageFacts(`${wrongContent.host}/app@${other}`), (error: unknown) => {
      assert.ok(error instanceof RegistryBadResponseError);
      assert.equal(error.message, `${wrongContent.host}/app@${other}: the manifest ${wrongContent.host} sent for ${other} has a different digest`);
      return true;
    });
  });

  it('computes the digest itself when the registry sends no Docker-Content-Digest', async () => {
    const plain = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST });
      response.end(MANIFEST);
    });
    const facts = await client().getImageFacts(`${plain.host}/app:1.0.0`);
    assert.equal(facts.digest, MANIFEST_DIGEST);
    assert.equal(facts.compressedSize, 31_001_200);
    assert.equal(facts.layerCount, 1);
  });

  it('refuses a response larger than any manifest', async () => {
    const huge = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST });
      response.end(Buffer.alloc(5 * 1024 * 1024, 0x20));
    });
    await assert.rejects(client().getImageFacts(`${huge.host}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryBadResponseError);
      assert.equal(error.message, `${huge.host} sent a response larger than 4194304 bytes`);
      return true;
    });
  });

  it('refuses a token service on plain http at a host that is not loopback, before contacting it', async () => {
    const challenging = await scripted((_request, response) => {
      response.writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.registry.example/token",service="registry.example",scope="repository:app:pull"' });
      response.end();
    });
    await assert.rejects(client().getImageFacts(`${challenging.host}/app:1.0.0`), (error: unknown) => {
      assert.ok(error instanceof RegistryBadResponseError);
      assert.equal(error.message, 'the token service at auth.registry.example uses http, not https; mark the host insecure to allow plain http');
      return true;
    });
  });

  it('sends credentials only after a challenge, and never to the host a redirect leads to', async () => {
    const password = 'redirect-test-password';
    const blobStore = await scripted((_request, response) => {
      response.writeHead(200, { 'content-type': OCI_MANIFEST });
      response.end(MANIFEST);
    });
    const registry = await scripted((request, response) => {
      if (!request.headers.authorization) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        response.end();
        return;
      }
      response.writeHead(307, { location: `http://${blobStore.host}/manifests/app` });
      response.end();
    });
    const dockerConfigPath = writeDockerConfig(configs, 'redirect', { auths: { [registry.host]: basicAuthEntry('deployer', password) } });
    const facts = await client({ dockerConfigPath }).getImageFacts(`${registry.host}/app:1.0.0`);
    assert.equal(facts.digest, MANIFEST_DIGEST);
    assert.deepEqual(
      registry.requests.map((request) => request.authorization),
      [undefined, `Basic ${basicAuthEntry('deployer', password).auth}`],
      'anonymous first, credentials after the Basic challenge',
    );
    assert.deepEqual(blobStore.requests, [{ method: 'GET', path: '/manifests/app', authorization: undefined }]);
  });
});
