import assert from 'node:assert/strict';
import { allowsPlainHttp, locateImage } from '../../core/registry/image-location';
import { RegistryInvalidReferenceError } from '../../core/registry/registry-errors';

const DIGEST = 'sha256:1ff6c18fbef2045af6b9c16bf034cc421a29027b800e4f9b68ae9b1cb3e9ae07';

describe('core/registry/image-location', () => {
  it('normalises Docker Hub names as Docker does', () => {
    const where = (raw: string) => {
      const { registry, repository, reference, canonical } = locateImage(raw);
      return { registry, repository, reference, canonical };
    };
    assert.deepEqual(where('nginx'), { registry: 'registry-1.docker.io', repository: 'library/nginx', reference: 'latest', canonical: 'docker.io/library/nginx:latest' });
    assert.deepEqual(where('docker.io/nginx:1.27'), { registry: 'registry-1.docker.io', repository: 'library/nginx', reference: '1.27', canonical: 'docker.io/library/nginx:1.27' });
    assert.deepEqual(where('bitnami/redis:7.4.1'), { registry: 'registry-1.docker.io', repository: 'bitnami/redis', reference: '7.4.1', canonical: 'docker.io/bitnami/redis:7.4.1' });
    assert.equal(where('index.docker.io/library/busybox').registry, 'registry-1.docker.io');
  });

  it('keeps other registries, ports and nested paths', () => {
    const location = locateImage('ghcr.io/acme/tools/cli:v2.0.1');
    assert.equal(location.registry, 'ghcr.io');
    assert.equal(location.repository, 'acme/tools/cli');
    assert.equal(location.tag, 'v2.0.1');
    assert.equal(locateImage('localhost:5000/app').canonical, 'localhost:5000/app:latest');
    assert.equal(locateImage('ghcr.io/acme/app').repository, 'acme/app', 'only Docker Hub gets library/');
  });

  it('asks for the digest when there is one, keeping the tag for display', () => {
    const location = locateImage(`registry.k8s.io/pause:3.10@${DIGEST}`);
    assert.equal(location.reference, DIGEST);
    assert.equal(location.tag, '3.10');
    assert.equal(location.canonical, `registry.k8s.io/pause:3.10@${DIGEST}`);
    assert.equal(locateImage(`registry.k8s.io/pause@${DIGEST}`).tag, undefined);
  });

  it('rejects what is not a reference', () => {
    for (const raw of ['', 'Nginx:1.0', 'nginx:', 'nginx:-bad', 'nginx@sha256:1234', 'acme//app', 'ghcr.io/acme/app:1.0 extra']) {
      assert.throws(() => locateImage(raw), RegistryInvalidReferenceError, raw);
    }
  });

  it('allows plain http only for loopback and hosts marked insecure', () => {
    for (const host of ['localhost:5000', '127.0.0.1:41234', '127.1.2.3', '[::1]:5000']) assert.ok(allowsPlainHttp(host, []), host);
    for (const host of ['ghcr.io', 'registry.internal:5000', '10.0.0.8:5000', 'localhost.example.com']) assert.ok(!allowsPlainHttp(host, []), host);
    assert.ok(allowsPlainHttp('registry.internal:5000', ['registry.internal:5000']));
    assert.ok(allowsPlainHttp('registry.internal:5000', ['http://registry.internal/']), 'a host without port covers every port');
    assert.ok(!allowsPlainHttp('registry.internal:5000', ['registry.internal:5001']));
  });
});
