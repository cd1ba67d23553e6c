import assert from 'node:assert/strict';
import { InvalidManifestError, parseManifestDocument } from '../../core/registry/manifest-documents';

const DIGEST = `sha256:${'e'.repeat(64)}`;
const bytes = (document: object) => Buffer.from(JSON.stringify(document));
const layer = (size: number) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: DIGEST, size });
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: DIGEST, size: 500 };

describe('core/registry/manifest-documents', () => {
  it('reads an OCI manifest without mediaType by its shape', () => {
    const parsed = parseManifestDocument(bytes({ schemaVersion: 2, config, layers: [layer(10), layer(20)] }), 'application/octet-stream');
    assert.equal(parsed.kind, 'manifest');
    assert.equal(parsed.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  });

  it('reads an index and the platforms of its entries', () => {
    const parsed = parseManifestDocument(
      bytes({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 400, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } }] }),
      'application/vnd.oci.image.index.v1+json',
    );
    assert.equal(parsed.kind, 'index');
    assert.deepEqual(parsed.kind === 'index' && parsed.manifests[0]!.platform, { os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  it('refuses schema 1, non-JSON and descriptors without a valid size or digest', () => {
    const refusal = (body: Buffer) => {
      try {
        parseManifestDocument(body, undefined);
        return 'parsed';
      } catch (error) {
        assert.ok(error instanceof InvalidManifestError);
        return error.message;
      }
    };
    assert.equal(refusal(bytes({ schemaVersion: 1, name: 'x', fsLayers: [] })), 'the registry served a schema 1 manifest, which has no layer sizes');
    assert.equal(refusal(Buffer.from('<html>')), 'the manifest is not JSON');
    assert.equal(refusal(bytes({ schemaVersion: 2, config, layers: [layer(-1)] })), 'layers[0] has no valid size');
    assert.equal(refusal(bytes({ schemaVersion: 2, config: { ...config, digest: 'md5:abc' }, layers: [] })), 'config has no valid digest');
  });
});
