/**
 * Bearer-token auth against a real registry in `auth: token` mode: the registry answers 401 with a
 * `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge, a token service in the test
 * (support/token-server.ts) signs JWTs with a key the registry trusts, and the client follows the
 * challenge anonymously, with Basic credentials, or with an identity (refresh) token.
 */
import assert from 'node:assert/strict';
import { RegistryClient, RegistryUnauthorizedError } from '../../core/registry';
import { basicAuthEntry, temporaryDirectory, writeDockerConfig, type TemporaryDirectory } from './support/docker-config';
import { pushImage, pushIndex, randomLayer, type PushedImage } from './support/push';
import { skipWithoutRegistry, startRegistry, type RunningRegistry } from './support/registry-server';
import { TOKEN_ISSUER, TOKEN_SERVICE, TokenServer } from './support/token-server';

const USER = 'alice';
const PASSWORD = 'alice-registry-password';
const IDENTITY_TOKEN = 'refresh-3f1b0c9e-identity-token';

describe('registry client: bearer token auth (token registry)', function () {
  this.timeout(60_000);
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let configs: TemporaryDirectory;
  let publicImage: PushedImage;
  let privateAmd64: PushedImage;
  let privateIndex: { digest: string };
  const clients: RegistryClient[] = [];

  const clientWith = (config: object | undefined) => {
    const dockerConfigPath = config ? writeDockerConfig(configs, `config-${clients.length}`, config) : `${configs.path}/none/config.json`;
    const client = new RegistryClient({ dockerConfigPath });
    clients.push(client);
    return client;
  };

  before(async function () {
    skipWithoutRegistry(this);
    configs = temporaryDirectory('podstart-docker-config-');
    tokens = await TokenServer.start({ users: { [USER]: PASSWORD }, refreshTokens: { [IDENTITY_TOKEN]: USER } });
    registry = await startRegistry({ kind: 'token', realm: tokens.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootCertBundle: tokens.rootCertBundle });
    const pushAccess = (name: string) => ({ baseUrl: registry.baseUrl, authorization: `Bearer ${tokens.mint([{ type: 'repository', name, actions: ['pull', 'push'] }])}` });
    publicImage = await pushImage(pushAccess('public/base'), 'public/base', '1.0.0', { layers: [randomLayer(20_000)] });
    const privateTarget = pushAccess('acme/billing');
    privateAmd64 = await pushImage(privateTarget, 'acme/billing', undefined, { layers: [randomLayer(30_000), randomLayer(1_000)] });
    const privateArm64 = await pushImage(privateTarget, 'acme/billing', undefined, { layers: [randomLayer(25_000)], platform: { os: 'linux', architecture: 'arm64' } });
    privateIndex = await pushIndex(privateTarget, 'acme/billing', '4.0.1', [{ image: privateAmd64 }, { image: privateArm64 }]);
  });

  beforeEach(() => {
    if (tokens) {
      tokens.requests.length = 0;
      tokens.tokenField = 'token';
    }
  });

  after(async () => {
    for (const client of clients) client.close();
    await registry?.stop();
    await tokens?.stop();
    configs?.remove();
  });

  it('reads a public image with an anonymous token for the scope the challenge named', async () => {
    const facts = await clientWith(undefined).getImageFacts(`${registry.host}/public/base:1.0.0`);
    assert.equal(facts.digest, publicImage.digest);
    assert.equal(facts.compressedSize, publicImage.compressedSize);
    assert.deepEqual(tokens.requests, [{ method: 'GET', scope: ['repository:public/base:pull'], subject: undefined, status: 200 }]);
  });

  it('reads a private index and its platform manifest with one token bought with Basic credentials', async () => {
    const facts = await clientWith({ auths: { [registry.host]: basicAuthEntry(USER, PASSWORD) } }).getImageFacts(`${registry.host}/acme/billing:4.0.1`);
    assert.equal(facts.digest, privateIndex.digest);
    assert.equal(facts.manifestDigest, privateAmd64.digest);
    assert.equal(facts.layerCount, 2);
    assert.deepEqual(tokens.requests, [{ method: 'GET', scope: ['repository:acme/billing:pull'], subject: USER, status: 200 }], 'the token serves both requests');
  });

  it('accepts a token service that answers with access_token only', async () => {
    tokens.tokenField = 'access_token';
    const facts = await clientWith({ auths: { [registry.host]: basicAuthEntry(USER, PASSWORD) } }).getImageFacts(`${registry.host}/acme/billing:4.0.1`);
    assert.equal(facts.digest, privateIndex.digest);
  });

  it('exchanges an identity token with the OAuth2 refresh-token grant', async () => {
    const facts = await clientWith({ auths: { [registry.host]: { auth: '', identitytoken: IDENTITY_TOKEN } } }).getImageFacts(`${registry.host}/acme/billing:4.0.1`, { platform: 'linux/arm64' });
    assert.equal(facts.digest, privateIndex.digest);
    assert.deepEqual(tokens.requests, [{ method: 'POST', scope: ['repository:acme/billing:pull'], subject: USER, status: 200 }]);
  });

  it('is unauthorized on a private image without credentials (the anonymous token grants nothing)', async () => {
    const reference = `${registry.host}/acme/billing:4.0.1`;
    await assert.rejects(clientWith(undefined).getImageFacts(reference), (error: unknown) => {
      assert.ok(error instanceof RegistryUnauthorizedError);
      assert.equal(error.message, `${reference}: access denied by ${registry.host}: no credentials for ${registry.host} in ${configs.path}/none/config.json; the repository may be private or may not exist`);
      return true;
    });
  });

  it('is unauthorized when the token service refuses the credentials, without showing them', async () => {
    const wrong = basicAuthEntry(USER, 'not-alices-password');
    await assert.rejects(clientWith({ auths: { [registry.host]: wrong } }).getImageFacts(`${registry.host}/acme/billing:4.0.1`), (error: unknown) => {
      assert.ok(error instanceof RegistryUnauthorizedError);
      assert.equal(error.message, `the token service at ${new URL(tokens.realm).host} refused the credentials for ${registry.host} (HTTP 401)`);
      assert.ok(!String(error.stack).includes('not-alices-password') && !String(error.stack).includes(wrong.auth));
      return true;
    });
  });

  it('is unauthorized with an identity token the token service does not know', async () => {
    await assert.rejects(
      clientWith({ auths: { [registry.host]: { identitytoken: 'revoked-identity-token' } } }).getImageFacts(`${registry.host}/acme/billing:4.0.1`),
      (error: unknown) => error instanceof RegistryUnauthorizedError && !error.message.includes('revoked-identity-token'),
    );
  });
});
