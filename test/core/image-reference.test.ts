import assert from 'node:assert/strict';
import { DEFAULT_PINNED_TAG_PATTERN, isImmutableReference, isPlaceholderImage, parseImageReference } from '../../core/image-reference';

const DIGEST = 'sha256:1ff6c18fbef2045af6b9c16bf034cc421a29027b800e4f9b68ae9b1cb3e9ae07';

describe('core/image-reference', () => {
  describe('parseImageReference', () => {
    const parts = (raw: string) => {
      const image = parseImageReference(raw);
      return image && { registry: image.registry, repository: image.repository, tag: image.tag, digest: image.digest };
    };

    it('reads a Docker Hub short name, with and without a tag', () => {
      assert.deepEqual(parts('busybox'), { registry: undefined, repository: 'busybox', tag: undefined, digest: undefined });
      assert.deepEqual(parts('library/busybox:1.36.1'), { registry: undefined, repository: 'library/busybox', tag: '1.36.1', digest: undefined });
    });

    it('tells a registry port from a tag', () => {
      assert.deepEqual(parts('registry.internal:5000/shop/api'), { registry: 'registry.internal:5000', repository: 'shop/api', tag: undefined, digest: undefined });
      assert.deepEqual(parts('registry.internal:5000/shop/api:2.1.0'), { registry: 'registry.internal:5000', repository: 'shop/api', tag: '2.1.0', digest: undefined });
      assert.deepEqual(parts('localhost:32000/api:dev'), { registry: 'localhost:32000', repository: 'api', tag: 'dev', digest: undefined });
    });

    it('recognises a registry by a dot, a port or localhost in the first component', () => {
      assert.equal(parseImageReference('ghcr.io/acme/api:1.0.0')?.registry, 'ghcr.io');
      assert.equal(parseImageReference('localhost/api')?.registry, 'localhost');
      assert.equal(parseImageReference('acme/api')?.registry, undefined);
      assert.equal(parseImageReference('us-docker.pkg.dev/project/repo/image-cu121.2-1.ubuntu2204.py310')?.tag, undefined, 'dots in the name are not a tag');
    });

    it('reads digests, alone or behind a tag', () => {
      assert.deepEqual(parts(`registry.k8s.io/pause@${DIGEST}`), { registry: 'registry.k8s.io', repository: 'pause', tag: undefined, digest: DIGEST });
      assert.deepEqual(parts(`registry.k8s.io/pause:3.10@${DIGEST}`), { registry: 'registry.k8s.io', repository: 'pause', tag: '3.10', digest: DIGEST });
      assert.deepEqual(parts(`registry.internal:5000/pause@${DIGEST}`), { registry: 'registry.internal:5000', repository: 'pause', tag: undefined, digest: DIGEST });
    });

    it('trims surrounding space and rejects what cannot be a reference', () => {
      assert.equal(parseImageReference('  nginx:1.27.3 ')?.tag, '1.27.3');
      assert.equal(parseImageReference(''), undefined);
      assert.equal(parseImageReference('nginx latest'), undefined);
      assert.equal(parseImageReference(`@${DIGEST}`), undefined);
    });
  });

  describe('isPlaceholderImage', () => {
    it('recognises variables that tooling substitutes', () => {
      for (const raw of ['$(IMAGE)', '${IMG}', '${REGISTRY}/api:${TAG}', '{{ .Values.image }}', '%%IMAGE%%', '$IMAGE', 'IMAGE_URL', 'CONTROLLER_IMAGE']) {
        assert.ok(isPlaceholderImage(raw), raw);
      }
    });

    it('recognises names left for the reader to fill in', () => {
      assert.ok(isPlaceholderImage('<YOUR-CONTAINER>'));
      assert.ok(isPlaceholderImage('gcr.io/<project>/<image>'));
      assert.ok(isPlaceholderImage('<registry>/api:<tag>'));
    });

    it('keeps references whose tag the author wrote', () => {
      for (const raw of ['nginx', 'nginx:latest', 'ghcr.io/acme/api:1.0.0', '<your-registry>/vllm-bench-server:latest', 'REGION-docker.pkg.dev/PROJECT_ID/repo/app:latest']) {
        assert.ok(!isPlaceholderImage(raw), raw);
      }
    });
  });

  describe('isImmutableReference', () => {
    const immutable = (raw: string, pattern = DEFAULT_PINNED_TAG_PATTERN) => isImmutableReference(parseImageReference(raw)!, pattern);

    it('treats a digest as immutable whatever the tag', () => {
      assert.ok(immutable(`nginx@${DIGEST}`));
      assert.ok(immutable(`nginx:latest@${DIGEST}`));
    });

    it('treats full versions, commit shas and date stamps as pinned', () => {
      for (const raw of ['nginx:1.27.3', 'ghcr.io/acme/api:v2.4.1', 'redis:7.4.1-alpine', 'nvcr.io/nvidia/driver:525.85.03-ubuntu22.04', 'acme/api:3f2c9a1', 'acme/api:20240115', 'acme/api:20250801_0916_RC01']) {
        assert.ok(immutable(raw), raw);
      }
    });

    it('treats missing, latest and moving major or minor tags as mutable', () => {
      for (const raw of ['nginx', 'nginx:latest', 'python:3.12', 'python:3.12-slim', 'node:20', 'acme/api:stable']) {
        assert.ok(!immutable(raw), raw);
      }
    });

    it('follows a custom pattern, and the default when the pattern is not a valid expression', () => {
      assert.ok(immutable('acme/api:build-1234', '^build-\\d+$'));
      assert.ok(!immutable('acme/api:1.2.3', '[^\\s\\S]'), 'a never-matching pattern leaves digests only');
      assert.ok(immutable('acme/api:1.2.3', '(?<=v)1'), 'a pattern RE2 cannot run (lookbehind) falls back to the default');
      assert.ok(immutable('acme/api:1.2.3', '(unclosed'));
    });
  });
});
