/**
 * The registry client against a registry that hangs, resets, answers garbage or 500s (the cases
 * test/registry/network-failures.test.ts does not cover): each lookup ends within the deadline with
 * one clear error, after one request (the client does not retry: a failure is remembered for the
 * failure lifetime instead, so a broken registry is not asked on every keystroke), and the same
 * client instance answers again once the registry is well and that lifetime has passed.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { RegistryBadResponseError, RegistryClient, RegistryTimeoutError, RegistryUnreachableError } from '../../core/registry';
import { startScriptedServer, type TestServer } from '../registry/support/http-test-servers';
import { OCI_MANIFEST, sha256 } from '../registry/support/push';

const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 1_200 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'b'.repeat(64)}`, size: 31_000_000 }],
});
const TIMEOUT_MS = 500;
const FAILURE_TTL_MS = 60_000;

type Misbehaviour = (response: ServerResponse) => void;

describe('limits: the registry client against a registry that fails, then recovers', function () {
  this.timeout(30_000);
  let registry: TestServer;
  /** What the registry does with the next request; undefined: answers the manifest. */
  let fault: Misbehaviour | undefined;
  let now = 1_000_000;
  let client: RegistryClient;

  before(async () => {
    registry = await startScriptedServer((_request, response) => {
      if (fault) return fault(response);
      response.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': sha256(MANIFEST) });
      response.end(MANIFEST);
    });
    // One instance for the whole suite: recovery must not need a new client.
    client = new RegistryClient({ dockerConfigPath: '/nonexistent/config.json', timeoutMs: TIMEOUT_MS, failureTtlMs: FAILURE_TTL_MS, now: () => now });
  });
  after(async () => {
    client.close();
    await registry.stop();
  });

  /** `misbehaviour` for one lookup of a fresh tag: `expected` within the deadline after one request; then well again. */
  async function failsThenRecovers(name: string, misbehaviour: Misbehaviour, expected: (error: unknown) => boolean): Promise<void> {
    const reference = `${registry.host}/${name}:1.0.0`;
    fault = misbehaviour;
    const before = registry.requests.length;
    const started = performance.now();
    await assert.rejects(client.getImageFacts(reference), (error: unknown) => {
      assert.ok(expected(error), `unexpected ${String(error)}`);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed < TIMEOUT_MS + 1_500, `gave up after ${Math.round(elapsed)} ms`);
    assert.equal(registry.requests.length - before, 1, 'one request, no retry');
    fault = undefined;
    // Within the failure lifetime the failure is remembered, without asking the registry again…
    await assert.rejects(client.getImageFacts(reference));
    assert.equal(registry.requests.length - before, 1);
    // …and once it has passed, the same client asks again and gets the answer.
    now += FAILURE_TTL_MS + 1;
    const facts = await client.getImageFacts(reference);
    assert.equal(facts.digest, sha256(MANIFEST));
    assert.equal(facts.compressedSize, 31_001_200);
  }

  it('reads a sound manifest sent under the wrong content type by the media type it declares', async () => {
    // core/registry/manifest-documents.ts: the document's own mediaType wins over the header, and
    // the body is still checked against its digest, so a lax proxy costs nothing.
    fault = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(MANIFEST);
    };
    const facts = await client.getImageFacts(`${registry.host}/plain:1.0.0`);
    fault = undefined;
    assert.equal(facts.digest, sha256(MANIFEST));
    assert.equal(facts.layerCount, 1);
  });

  it('times out on a registry that never answers, and recovers', async () => {
    await failsThenRecovers('hangs', () => undefined, (error) => error instanceof RegistryTimeoutError && /did not answer within 0\.5 s/.test(error.message));
  });

  it('reports a reset connection as unreachable, and recovers', async () => {
    await failsThenRecovers('resets', (response) => response.socket?.destroy(), (error) => error instanceof RegistryUnreachableError);
  });

  it('reports HTTP 500 as the registry being unavailable, and recovers', async () => {
    await failsThenRecovers(
      'fails',
      (response) => {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end('internal error');
      },
      (error) => error instanceof RegistryUnreachableError && /answered HTTP 500/.test(error.message),
    );
  });

  for (const [what, contentType, body] of [
    ['a body that is not JSON', OCI_MANIFEST, '<html><body>Service Unavailable</body></html>'],
    ['truncated JSON', OCI_MANIFEST, MANIFEST.slice(0, 60)],
    ['a login page under text/html', 'text/html; charset=utf-8', '<!doctype html><title>Sign in</title>'],
  ] as const) {
    it(`refuses ${what} as a bad response, and recovers`, async () => {
      await failsThenRecovers(
        what.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        (response) => {
          response.writeHead(200, { 'content-type': contentType });
          response.end(body);
        },
        (error) => error instanceof RegistryBadResponseError,
      );
    });
  }
});
