import assert from 'node:assert/strict';
import { choosePlatform, compatiblePlatforms, formatPlatform, normalizePlatform, parsePlatform, type Platform } from '../../core/registry/platform';

const entry = (text: string) => ({ name: text, platform: parsePlatform(text)! });

describe('core/registry/platform', () => {
  it('parses and formats os/architecture[/variant]', () => {
    assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64', variant: 'v8' });
    assert.deepEqual(parsePlatform(' linux/amd64 '), { os: 'linux', architecture: 'amd64', variant: undefined });
    for (const bad of ['linux', 'linux/', 'a/b/c/d', 'linux/amd 64']) assert.equal(parsePlatform(bad), undefined, bad);
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }), 'linux/arm/v7');
  });

  it('normalises spellings as containerd does', () => {
    const normal = (text: string) => formatPlatform(normalizePlatform(parsePlatform(text)!));
    assert.equal(normal('linux/arm64/v8'), 'linux/arm64');
    assert.equal(normal('linux/aarch64'), 'linux/arm64');
    assert.equal(normal('linux/x86_64'), 'linux/amd64');
    assert.equal(normal('linux/amd64/v1'), 'linux/amd64');
    assert.equal(normal('linux/arm'), 'linux/arm/v7');
    assert.equal(normal('linux/armhf'), 'linux/arm/v7');
    assert.equal(normal('Linux/ARM64/9'), 'linux/arm64/v9');
  });

  it('lists what a node runs, best first', () => {
    const names = (text: string) => compatiblePlatforms(parsePlatform(text)!).map(formatPlatform);
    assert.deepEqual(names('linux/amd64'), ['linux/amd64', 'linux/386']);
    assert.deepEqual(names('linux/amd64/v3'), ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64', 'linux/386']);
    assert.deepEqual(names('linux/arm/v7'), ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']);
    assert.deepEqual(names('linux/arm64'), ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']);
    assert.deepEqual(names('linux/arm64/v8.2').slice(0, 3), ['linux/arm64/v8.2', 'linux/arm64/v8.1', 'linux/arm64']);
    assert.deepEqual(names('linux/s390x'), ['linux/s390x']);
  });

  it('chooses the exact platform over a compatible one, whatever the index order', () => {
    const index = [entry('linux/arm/v7'), entry('linux/386'), entry('linux/arm64/v8'), entry('linux/amd64')];
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'amd64' })?.name, 'linux/amd64');
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'arm64' })?.name, 'linux/arm64/v8');
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' })?.name, 'linux/arm/v7');
  });

  it('falls back to an older compatible variant, and to nothing for another architecture', () => {
    const index = [entry('linux/arm/v6'), entry('linux/386'), entry('windows/amd64')];
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'arm', variant: 'v7' })?.name, 'linux/arm/v6');
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'amd64' })?.name, 'linux/386');
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'ppc64le' } as Platform), undefined);
    assert.equal(choosePlatform([entry('windows/amd64')], { os: 'linux', architecture: 'amd64' }), undefined, 'another OS never matches');
  });

  it('takes the first of equal entries, as containerd does', () => {
    const index = [{ name: 'first', platform: { os: 'linux', architecture: 'amd64' } }, { name: 'second', platform: { os: 'linux', architecture: 'amd64', variant: 'v1' } }];
    assert.equal(choosePlatform(index, { os: 'linux', architecture: 'amd64' })?.name, 'first');
  });
});
