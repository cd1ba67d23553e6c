import assert from 'node:assert/strict';
import { lookUpDockerCredentials } from '../../core/registry/docker-credentials';
import { basicAuthEntry, temporaryDirectory, writeDockerConfig, type TemporaryDirectory } from './support/docker-config';

describe('core/registry/docker-credentials', () => {
  let directory: TemporaryDirectory;
  before(() => {
    directory = temporaryDirectory('podstart-credentials-');
  });
  after(() => directory.remove());

  const lookUp = (config: object, registry: string) => lookUpDockerCredentials(writeDockerConfig(directory, 'config', config), registry);

  it("finds Docker Hub credentials under the legacy index URL that `docker login` writes", async () => {
    const found = await lookUp({ auths: { 'https://index.docker.io/v1/': basicAuthEntry('octo', 'hub-password') } }, 'registry-1.docker.io');
    assert.deepEqual(found, { credentials: { kind: 'basic', username: 'octo', password: 'hub-password' } });
  });

  it('matches entries by host whatever the scheme or path, and keeps colons in passwords', async () => {
    const found = await lookUp({ auths: { 'https://GHCR.io': basicAuthEntry('octo', 'ghp:with:colons') } }, 'ghcr.io');
    assert.deepEqual(found.credentials, { kind: 'basic', username: 'octo', password: 'ghp:with:colons' });
    assert.deepEqual((await lookUp({ auths: { 'ghcr.io': basicAuthEntry('a', 'b') } }, 'quay.io')).credentials, { kind: 'none' });
  });

  it('prefers an identity token, as Azure Container Registry logins write', async () => {
    const found = await lookUp({ auths: { 'acme.azurecr.io': { auth: basicAuthEntry('00000000-0000-0000-0000-000000000000', '').auth, identitytoken: 'eyJ-refresh' } } }, 'acme.azurecr.io');
    assert.deepEqual(found.credentials, { kind: 'identity-token', username: undefined, token: 'eyJ-refresh' });
  });

  it('reports a helper instead of inline credentials when Docker would use the helper', async () => {
    const perRegistry = await lookUp({ credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login' }, auths: {} }, '123456789012.dkr.ecr.eu-west-1.amazonaws.com');
    assert.deepEqual(perRegistry.credentials, { kind: 'helper', helper: 'ecr-login' });
    const store = await lookUp({ credsStore: 'osxkeychain', auths: { 'ghcr.io': basicAuthEntry('stale', 'entry') } }, 'ghcr.io');
    assert.deepEqual(store.credentials, { kind: 'helper', helper: 'osxkeychain' });
    const otherHelper = await lookUp({ credHelpers: { 'gcr.io': 'gcloud' }, auths: { 'ghcr.io': basicAuthEntry('octo', 'pw') } }, 'ghcr.io');
    assert.equal(otherHelper.credentials.kind, 'basic', 'a helper for another registry does not apply');
  });

  it('explains an auth entry that does not decode, without showing it', async () => {
    const found = await lookUp({ auths: { 'ghcr.io': { auth: Buffer.from('no-colon-here').toString('base64') } } }, 'ghcr.io');
    assert.equal(found.credentials.kind, 'none');
    assert.match(found.problem!, /^the "auth" entry for ghcr\.io in .*config\.json is not base64 of user:password$/);
  });

  it('treats a missing file as no credentials and says nothing', async () => {
    assert.deepEqual(await lookUpDockerCredentials(`${directory.path}/absent.json`, 'ghcr.io'), { credentials: { kind: 'none' } });
  });
});
