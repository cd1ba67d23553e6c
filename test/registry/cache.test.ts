/**
 * The cache in front of a real registry: a proxy counts the requests that reach the registry, and an
 * injected clock moves time, so that each test tells a cache hit from a round trip.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RegistryClient, type ImageFacts } from '../../core/registry';
import { CACHE_FILE_NAME } from '../../core/registry/image-facts-cache';
import { temporaryDirectory, type TemporaryDirectory } from './support/docker-config';
import { startCountingProxy, type TestServer } from './support/http-test-servers';
import { pushImage, pushIndex, randomLayer, type PushedImage, type PushTarget } from './support/push';
import { skipWithoutRegistry, startRegistry, type RunningRegistry } from './support/registry-server';

const HOUR = 60 * 60 * 1000;

describe('registry client: cache', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let proxy: TestServer;
  let target: PushTarget;
  let release: PushedImage;
  let multiIndex: { digest: string };
  let cacheDirs: TemporaryDirectory;
  let now: number;
  const clients: RegistryClient[] = [];

  const client = (options: { cacheDir?: string; log?: (message: string) => void } = {}) => {
    const created = new RegistryClient({ dockerConfigPath: '/nonexistent/config.json', now: () => now, ...options });
    clients.push(created);
    return created;
  };
  const manifestRequests = () => proxy.requests.filter((request) => request.path.includes('/manifests/')).map((request) => `${request.method} ${request.path.replace(/^\/v2\//, '')}`);

  before(async function () {
    skipWithoutRegistry(this);
    registry = await startRegistry({ kind: 'none' });
    proxy = await startCountingProxy(registry.host);
    target = { baseUrl: registry.baseUrl };
    cacheDirs = temporaryDirectory('podstart-registry-cache-');
    release = await pushImage(target, 'shop/cart', '7.1.0', { layers: [randomLayer(15_000), randomLayer(2_000)] });
    const amd64 = await pushImage(target, 'shop/search', undefined, { layers: [randomLayer(9_000)] });
    const arm64 = await pushImage(target, 'shop/search', undefined, { layers: [randomLayer(8_000)], platform: { os: 'linux', architecture: 'arm64' } });
    multiIndex = await pushIndex(target, 'shop/search', '2.0.0', [{ image: amd64 }, { image: arm64 }]);
  });

  beforeEach(() => {
    now = Date.UTC(2025, 5, 1);
    if (proxy) proxy.requests.length = 0;
  });

  after(async () => {
    for (const created of clients) created.close();
    await proxy?.stop();
    await registry?.stop();
    cacheDirs?.remove();
  });

  it('answers the second lookup from memory', async () => {
    const cached = client();
    const first = await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    assert.deepEqual(manifestRequests(), ['GET shop/cart/manifests/7.1.0']);
    const second = await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    assert.deepEqual(second, first);
    assert.equal(proxy.requests.length, 1, 'no request for the second lookup');
  });

  it('shares one lookup between callers asking at the same time', async () => {
    const shared = client();
    const results = await Promise.all([1, 2, 3, 4].map(() => shared.getImageFacts(`${proxy.host}/shop/search:2.0.0`)));
    assert.ok(results.every((facts) => facts.digest === multiIndex.digest));
    assert.equal(manifestRequests().length, 2, `one GET of the index and one of the amd64 manifest: ${manifestRequests().join(', ')}`);
  });

  it('keeps answers on disk for a new client (a new editor session, a CLI run)', async () => {
    const cacheDir = path.join(cacheDirs.path, 'survives');
    const writer = client({ cacheDir });
    const fetched = await writer.getImageFacts(`${proxy.host}/shop/search:2.0.0`, { platform: 'linux/arm64' });
    await writer.flush();
    const onDisk = JSON.parse(readFileSync(path.join(cacheDir, CACHE_FILE_NAME), 'utf8')) as { entries: Record<string, { facts: ImageFacts; expiresAt: number | null }> };
    assert.deepEqual(Object.keys(onDisk.entries), [`${proxy.host}/shop/search:2.0.0|linux/arm64`]);
    assert.equal(Object.values(onDisk.entries)[0]!.expiresAt, now + HOUR);

    proxy.requests.length = 0;
    const reader = client({ cacheDir });
    assert.deepEqual(reader.cachedImageFacts(`${proxy.host}/shop/search:2.0.0`, { platform: 'linux/arm64' }), fetched);
    assert.deepEqual(await reader.getImageFacts(`${proxy.host}/shop/search:2.0.0`, { platform: 'linux/arm64' }), fetched);
    assert.equal(proxy.requests.length, 0, 'served from the disk cache');
    assert.equal(reader.cachedImageFacts(`${proxy.host}/shop/search:2.0.0`), undefined, 'another platform is another entry');
  });

  it('asks again after the tag lifetime, revalidating with HEAD when the tag has not moved', async () => {
    const cached = client();
    const first = await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    now += HOUR - 1;
    await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    assert.deepEqual(manifestRequests(), ['GET shop/cart/manifests/7.1.0'], 'still fresh one millisecond before the hour');
    now += 2;
    assert.equal(cached.cachedImageFacts(`${proxy.host}/shop/cart:7.1.0`), undefined, 'expired entries are not offered as fresh');
    assert.equal(cached.cachedImageFacts(`${proxy.host}/shop/cart:7.1.0`, { includeExpired: true })?.digest, first.digest, 'but are there when asked for');
    const revalidated = await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    assert.deepEqual(manifestRequests(), ['GET shop/cart/manifests/7.1.0', 'HEAD shop/cart/manifests/7.1.0']);
    assert.deepEqual(revalidated, { ...first, fetchedAt: now });
  });

  it('sees a moved tag only after the lifetime, then reads the new image', async () => {
    await pushImage(target, 'shop/moving', 'stable', { layers: [randomLayer(4_000)] });
    const cached = client();
    const before = await cached.getImageFacts(`${proxy.host}/shop/moving:stable`);
    const moved = await pushImage(target, 'shop/moving', 'stable', { layers: [randomLayer(6_000), randomLayer(1_000)] });
    assert.equal((await cached.getImageFacts(`${proxy.host}/shop/moving:stable`)).digest, before.digest, 'within the lifetime the cached digest stands');
    now += HOUR + 1;
    const after = await cached.getImageFacts(`${proxy.host}/shop/moving:stable`);
    assert.equal(after.digest, moved.digest);
    assert.equal(after.layerCount, 2);
    assert.deepEqual(manifestRequests(), ['GET shop/moving/manifests/stable', 'HEAD shop/moving/manifests/stable', 'GET shop/moving/manifests/stable']);
  });

  it('never expires an answer for a digest reference', async () => {
    const cacheDir = path.join(cacheDirs.path, 'pinned');
    const pinned = client({ cacheDir });
    const reference = `${proxy.host}/shop/cart@${release.digest}`;
    await pinned.getImageFacts(reference);
    await pinned.flush();
    now += 365 * 24 * HOUR;
    assert.equal((await pinned.getImageFacts(reference)).digest, release.digest);
    assert.equal((await client({ cacheDir }).getImageFacts(reference)).digest, release.digest);
    assert.deepEqual(manifestRequests(), [`GET shop/cart/manifests/${release.digest}`], 'one request in a year, across clients');
    const onDisk = JSON.parse(readFileSync(path.join(cacheDir, CACHE_FILE_NAME), 'utf8'));
    assert.equal(onDisk.entries[`${proxy.host}/shop/cart@${release.digest}|linux/amd64`].expiresAt, null);
  });

  it('forgets everything on clearCache', async () => {
    const cacheDir = path.join(cacheDirs.path, 'cleared');
    const cached = client({ cacheDir });
    await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    cached.clearCache();
    await cached.flush();
    assert.equal(client({ cacheDir }).cachedImageFacts(`${proxy.host}/shop/cart:7.1.0`), undefined, 'gone from disk');
    await cached.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    assert.equal(manifestRequests().length, 2);
  });

  it('ignores a damaged cache file, says so, and replaces it', async () => {
    const cacheDir = path.join(cacheDirs.path, 'damaged');
    const first = client({ cacheDir });
    await first.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    await first.flush();
    const file = path.join(cacheDir, CACHE_FILE_NAME);
    writeFileSync(file, '{"version":1,"entries":{"trunc');
    const logs: string[] = [];
    const second = client({ cacheDir, log: (message) => logs.push(message) });
    await second.getImageFacts(`${proxy.host}/shop/cart:7.1.0`);
    await second.flush();
    assert.deepEqual(logs, [`registry cache: ignoring ${file}: not valid JSON`]);
    assert.equal(manifestRequests().length, 2, 'the damaged file answered nothing');
    assert.ok(JSON.parse(readFileSync(file, 'utf8')).entries[`${proxy.host}/shop/cart:7.1.0|linux/amd64`], 'rewritten whole');
  });
});
