/**
 * Basic auth against a real registry with htpasswd (bcrypt) users: credentials come from a Docker
 * config.json in every form `docker login` and CI tools write; without them, with wrong ones, or
 * with a credential helper Podstart does not run, the answer is a clear "unauthorized" that names
 * the registry and the config file and never a secret.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { RegistryClient, RegistryUnauthorizedError } from '../../core/registry';
import { basicAuthEntry, temporaryDirectory, writeDockerConfig, type TemporaryDirectory } from './support/docker-config';
import { pushImage, randomLayer, type PushedImage } from './support/push';
import { skipWithoutRegistry, startRegistry, type RunningRegistry } from './support/registry-server';

const USER = 'ci-bot';
const PASSWORD = 'correct-horse-battery-staple';
const WRONG_PASSWORD = 'Tr0ub4dor&3-not-it';

describe('registry client: basic auth (htpasswd registry)', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let configs: TemporaryDirectory;
  let image: PushedImage;
  let reference: string;
  const clients: RegistryClient[] = [];

  const clientWith = (config: object | undefined, logs: string[] = []) => {
    const dockerConfigPath = config ? writeDockerConfig(configs, `config-${clients.length}`, config) : `${configs.path}/missing/config.json`;
    const client = new RegistryClient({ dockerConfigPath, log: (message) => logs.push(message) });
    clients.push(client);
    return client;
  };

  const assertUnauthorized = async (client: RegistryClient, expectedMessage: string) => {
    await assert.rejects(client.getImageFacts(reference), (error: unknown) => {
      assert.ok(error instanceof RegistryUnauthorizedError, String(error));
      assert.equal(error.kind, 'unauthorized');
      assert.equal(error.message, expectedMessage);
      for (const secret of [PASSWORD, WRONG_PASSWORD, basicAuthEntry(USER, PASSWORD).auth, basicAuthEntry(USER, WRONG_PASSWORD).auth]) {
        assert.ok(!error.message.includes(secret) && !String(error.stack).includes(secret), 'no secret in the error');
      }
      return true;
    });
  };

  before(async function () {
    skipWithoutRegistry(this);
    configs = temporaryDirectory('podstart-docker-config-');
    registry = await startRegistry({ kind: 'htpasswd', users: { [USER]: PASSWORD } });
    const authorization = `Basic ${basicAuthEntry(USER, PASSWORD).auth}`;
    image = await pushImage({ baseUrl: registry.baseUrl, authorization }, 'team/private-api', '2.3.0', { layers: [randomLayer(12_000), randomLayer(3_000)] });
    reference = `${registry.host}/team/private-api:2.3.0`;
  });

  after(async () => {
    for (const client of clients) client.close();
    await registry?.stop();
    configs?.remove();
  });

  it('reads the image with credentials from a base64 "auth" entry', async () => {
    const facts = await clientWith({ auths: { [registry.host]: basicAuthEntry(USER, PASSWORD) } }).getImageFacts(reference);
    assert.equal(facts.digest, image.digest);
    assert.equal(facts.compressedSize, image.compressedSize);
    assert.equal(facts.layerCount, 2);
  });

  it('reads the image with "username" and "password" fields and a URL-shaped key', async () => {
    const facts = await clientWith({ auths: { [`http://${registry.host}/v2/`]: { username: USER, password: PASSWORD } } }).getImageFacts(reference);
    assert.equal(facts.digest, image.digest);
  });

  it('is unauthorized without credentials, and says where it looked', async () => {
    const client = clientWith(undefined);
    await assertUnauthorized(
      client,
      `${reference}: access denied by ${registry.host}: no credentials for ${registry.host} in ${configs.path}/missing/config.json; the repository may be private or may not exist`,
    );
  });

  it('is unauthorized with a wrong password, without showing it', async () => {
    const client = clientWith({ auths: { [registry.host]: basicAuthEntry(USER, WRONG_PASSWORD) } });
    await assertUnauthorized(
      client,
      `${reference}: access denied by ${registry.host}: the credentials for ${registry.host} in ${configs.path}/config-${clients.length - 1}.json were refused or do not grant pull access`,
    );
  });

  it('does not use credentials stored for another registry', async () => {
    const client = clientWith({ auths: { 'ghcr.io': basicAuthEntry(USER, PASSWORD) } });
    await assert.rejects(client.getImageFacts(reference), RegistryUnauthorizedError);
  });

  it('reports a credential store it does not run, in the error and in the log', async () => {
    const logs: string[] = [];
    // Docker ignores the inline entry when a store is configured; so does Podstart.
    const client = clientWith({ credsStore: 'desktop', auths: { [registry.host]: {} } }, logs);
    const configPath = `${configs.path}/config-${clients.length - 1}.json`;
    await assertUnauthorized(
      client,
      `${reference}: access denied by ${registry.host}: the credentials for ${registry.host} are kept by the credential helper docker-credential-desktop (${configPath}), which Podstart does not run; the repository may be private`,
    );
    assert.deepEqual(logs, [`registry: credentials for ${registry.host} are kept by docker-credential-desktop, which Podstart does not run; asking ${registry.host} anonymously`]);
  });

  it('reports a per-registry credential helper it does not run', async () => {
    const client = clientWith({ credHelpers: { [registry.host]: 'ecr-login' }, auths: { [registry.host]: basicAuthEntry(USER, PASSWORD) } });
    await assert.rejects(client.getImageFacts(reference), (error: unknown) => {
      assert.ok(error instanceof RegistryUnauthorizedError);
      assert.match(error.message, /kept by the credential helper docker-credential-ecr-login \(.*\), which Podstart does not run/);
      return true;
    });
  });

  it('logs an unreadable config and goes on anonymously', async () => {
    const logs: string[] = [];
    const dockerConfigPath = writeDockerConfig(configs, 'broken', {});
    writeFileSync(dockerConfigPath, '{ "auths": ');
    const client = new RegistryClient({ dockerConfigPath, log: (message) => logs.push(message) });
    clients.push(client);
    await assert.rejects(client.getImageFacts(reference), (error: unknown) => {
      assert.ok(error instanceof RegistryUnauthorizedError);
      assert.equal(
        error.message,
        `${reference}: access denied by ${registry.host}: no credentials for ${registry.host} in ${dockerConfigPath} (${dockerConfigPath} is not valid JSON); the repository may be private or may not exist`,
      );
      return true;
    });
    assert.deepEqual(logs, [`registry: ${dockerConfigPath} is not valid JSON`]);
  });
});
