/**
 * Image facts from a real registry (distribution 2.8, no auth): the digest a tag resolves to, the
 * compressed size and layer count, the platform chosen from an image index, and the answers for
 * images that do not exist. Every expected value comes from what the push helper sent.
 */
import assert from 'node:assert/strict';
import { RegistryClient, RegistryInvalidReferenceError, RegistryNoMatchingPlatformError, RegistryNotFoundError } from '../../core/registry';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, pushImage, pushIndex, randomLayer, type PushedImage } from './support/push';
import { skipWithoutRegistry, startRegistry, type RunningRegistry } from './support/registry-server';

/** The size above which the tests call an image large; the product's default is 200 MB, scaled down here. */
const SIZE_THRESHOLD_BYTES = 2 * 1024 * 1024;

describe('registry client: image facts from a real registry', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let client: RegistryClient;
  let api: PushedImage;
  let worker: PushedImage;
  let model: PushedImage;
  let multiAmd64: PushedImage;
  let multiArm64: PushedImage;
  let multiIndex: { digest: string; mediaType: string };
  let listArm64: PushedImage;
  let listIndex: { digest: string };

  before(async function () {
    skipWithoutRegistry(this);
    registry = await startRegistry({ kind: 'none' });
    const target = { baseUrl: registry.baseUrl };
    api = await pushImage(target, 'shop/api', '1.4.2', { layers: [randomLayer(1_000), randomLayer(2_500), randomLayer(40_000)] });
    worker = await pushImage(target, 'shop/worker', '2.0.0', { layers: [randomLayer(7_000), randomLayer(9_000)], format: 'docker' });
    model = await pushImage(target, 'shop/model-server', '3.1.0', { layers: [randomLayer(3 * 1024 * 1024), randomLayer(10_000)] });

    multiAmd64 = await pushImage(target, 'shop/multi', undefined, { layers: [randomLayer(5_000), randomLayer(6_000)] });
    multiArm64 = await pushImage(target, 'shop/multi', undefined, { layers: [randomLayer(11_000)], platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } });
    // BuildKit puts provenance attestations in the index as unknown/unknown; they are not images to run.
    const attestation = await pushImage(target, 'shop/multi', undefined, { layers: [randomLayer(300)], platform: { os: 'unknown', architecture: 'unknown' } });
    multiIndex = await pushIndex(target, 'shop/multi', '1.0', [
      { image: multiAmd64 },
      { image: multiArm64 },
      { image: attestation, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': multiAmd64.digest } },
    ]);

    // A Docker manifest list whose arm64 entry has no variant, as many images publish it.
    const listAmd64 = await pushImage(target, 'shop/legacy', undefined, { layers: [randomLayer(4_000)], format: 'docker' });
    listArm64 = await pushImage(target, 'shop/legacy', undefined, { layers: [randomLayer(8_000)], format: 'docker', platform: { os: 'linux', architecture: 'arm64' } });
    listIndex = await pushIndex(target, 'shop/legacy', '5.2.1', [{ image: listAmd64 }, { image: listArm64 }], 'docker');
  });

  beforeEach(() => {
    client = new RegistryClient({ dockerConfigPath: '/nonexistent/config.json' });
  });

  afterEach(() => client?.close());

  after(async () => {
    await registry?.stop();
  });

  describe('digest resolution', () => {
    it('resolves a tag to the digest of the OCI manifest that was pushed', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/api:1.4.2`);
      assert.equal(facts.digest, api.digest);
      assert.equal(facts.manifestDigest, api.digest);
      assert.equal(facts.mediaType, OCI_MANIFEST);
      assert.equal(facts.canonical, `${registry.host}/shop/api:1.4.2`);
      assert.equal(facts.platform, undefined, 'a single manifest names no platform');
      assert.deepEqual(facts.availablePlatforms, []);
    });

    it('resolves a tag to the digest of a Docker v2 schema 2 manifest', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/worker:2.0.0`);
      assert.equal(facts.digest, worker.digest);
      assert.equal(facts.mediaType, DOCKER_MANIFEST);
    });

    it('reads an image by digest, with or without its tag', async () => {
      const byDigest = await client.getImageFacts(`${registry.host}/shop/api@${api.digest}`);
      assert.equal(byDigest.digest, api.digest);
      assert.equal(byDigest.tag, undefined);
      const both = await client.getImageFacts(`${registry.host}/shop/api:1.4.2@${api.digest}`);
      assert.equal(both.digest, api.digest);
      assert.equal(both.canonical, `${registry.host}/shop/api:1.4.2@${api.digest}`);
    });
  });

  describe('compressed size and layer count', () => {
    it('adds the config and every layer of the manifest', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/api:1.4.2`);
      assert.equal(facts.layerCount, 3);
      assert.equal(facts.compressedSize, api.compressedSize);
      assert.ok(facts.compressedSize > 43_500 && facts.compressedSize < 44_500, `${facts.compressedSize} is 43,500 bytes of layers plus a small config`);
      assert.ok(facts.compressedSize < SIZE_THRESHOLD_BYTES);
    });

    it('reports an image with a large layer above the size threshold', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/model-server:3.1.0`);
      assert.equal(facts.layerCount, 2);
      assert.equal(facts.compressedSize, model.compressedSize);
      assert.ok(facts.compressedSize > SIZE_THRESHOLD_BYTES, `${facts.compressedSize} bytes is over the ${SIZE_THRESHOLD_BYTES}-byte threshold`);
    });
  });

  describe('image index platform choice', () => {
    it('chooses linux/amd64 by default and reports the index digest for pinning', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/multi:1.0`);
      assert.equal(facts.digest, multiIndex.digest, 'the digest to pin is the index');
      assert.equal(facts.mediaType, OCI_INDEX);
      assert.equal(facts.manifestDigest, multiAmd64.digest);
      assert.deepEqual(facts.platform, { os: 'linux', architecture: 'amd64' });
      assert.equal(facts.compressedSize, multiAmd64.compressedSize);
      assert.equal(facts.layerCount, 2);
      assert.deepEqual(facts.availablePlatforms, ['linux/amd64', 'linux/arm64/v8'], 'the attestation is not a platform');
    });

    it('chooses the arm64 image for linux/arm64 and for linux/arm64/v8', async () => {
      for (const platform of ['linux/arm64', 'linux/arm64/v8', 'linux/aarch64']) {
        const facts = await client.getImageFacts(`${registry.host}/shop/multi:1.0`, { platform });
        assert.equal(facts.manifestDigest, multiArm64.digest, platform);
        assert.equal(facts.digest, multiIndex.digest, platform);
        assert.equal(facts.compressedSize, multiArm64.compressedSize, platform);
        assert.equal(facts.layerCount, 1, platform);
      }
    });

    it('uses the platform the client was configured with', async () => {
      const armClient = new RegistryClient({ platform: 'linux/arm64', dockerConfigPath: '/nonexistent/config.json' });
      try {
        assert.equal((await armClient.getImageFacts(`${registry.host}/shop/multi:1.0`)).manifestDigest, multiArm64.digest);
      } finally {
        armClient.close();
      }
    });

    it('matches an arm64 entry without a variant when asked for arm64/v8 (Docker manifest list)', async () => {
      const facts = await client.getImageFacts(`${registry.host}/shop/legacy:5.2.1`, { platform: 'linux/arm64/v8' });
      assert.equal(facts.digest, listIndex.digest);
      assert.equal(facts.mediaType, DOCKER_MANIFEST_LIST);
      assert.equal(facts.manifestDigest, listArm64.digest);
      assert.equal(facts.manifestMediaType, DOCKER_MANIFEST);
    });

    it('says which platforms an index offers when the wanted one is missing', async () => {
      await assert.rejects(client.getImageFacts(`${registry.host}/shop/multi:1.0`, { platform: 'linux/s390x' }), (error: unknown) => {
        assert.ok(error instanceof RegistryNoMatchingPlatformError);
        assert.equal(error.message, `${registry.host}/shop/multi:1.0 has no image for linux/s390x; it offers linux/amd64, linux/arm64/v8`);
        assert.deepEqual(error.availablePlatforms, ['linux/amd64', 'linux/arm64/v8']);
        return true;
      });
    });
  });

  describe('images that do not exist', () => {
    it('reports an unknown tag as not found', async () => {
      await assert.rejects(client.getImageFacts(`${registry.host}/shop/api:9.9.9`), (error: unknown) => {
        assert.ok(error instanceof RegistryNotFoundError);
        assert.equal(error.kind, 'not-found');
        assert.equal(error.message, `${registry.host}/shop/api:9.9.9: tag 9.9.9 not found in shop/api on ${registry.host}`);
        return true;
      });
    });

    it('reports an unknown repository as not found', async () => {
      // Distribution 2.8 answers MANIFEST_UNKNOWN here, not NAME_UNKNOWN, so the tag is what is missing.
      await assert.rejects(client.getImageFacts(`${registry.host}/shop/nothing-here:1.0.0`), (error: unknown) => {
        assert.ok(error instanceof RegistryNotFoundError);
        assert.equal(error.message, `${registry.host}/shop/nothing-here:1.0.0: tag 1.0.0 not found in shop/nothing-here on ${registry.host}`);
        return true;
      });
    });

    it('reports an unknown digest as not found', async () => {
      const digest = `sha256:${'0'.repeat(64)}`;
      await assert.rejects(client.getImageFacts(`${registry.host}/shop/api@${digest}`), (error: unknown) => {
        assert.ok(error instanceof RegistryNotFoundError);
        assert.equal(error.message, `${registry.host}/shop/api@${digest}: digest ${digest} not found in shop/api on ${registry.host}`);
        return true;
      });
    });

    it('rejects a reference the Distribution grammar does not accept, without asking the registry', async () => {
      await assert.rejects(client.getImageFacts(`${registry.host}/Shop/API:1.0`), RegistryInvalidReferenceError);
      await assert.rejects(client.getImageFacts(`${registry.host}/shop/api@sha256:abc`), RegistryInvalidReferenceError);
    });
  });
});
