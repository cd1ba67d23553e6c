import assert from 'node:assert/strict';
import { minimatch } from 'minimatch';
import { DOCKERFILE_GLOB, fileTypeOf, isDockerfileName } from '../../core/file-types';

const DOCKERFILES = [
  'Dockerfile',
  'services/orders/Dockerfile',
  'Containerfile',
  'Dockerfile.prod',
  'build/Dockerfile.ui.tilt',
  'Containerfile.rhel9',
  'api.dockerfile',
  'docs/mkdocs.Dockerfile',
  'C:\\src\\shop\\Dockerfile',
];
const NOT_DOCKERFILES = [
  'deploy.yaml',
  'Dockerfile.dockerignore',
  'api.Dockerfile.dockerignore',
  '.dockerignore',
  'docker-compose.yml',
  'MyDockerfile',
  'Dockerfiles/readme.md',
  'dockerfile-notes.txt',
  '.dockerfile',
];

describe('core/file-types', () => {
  it('knows Dockerfile names: Dockerfile, Containerfile, *.dockerfile, Dockerfile.*, Containerfile.*', () => {
    assert.deepEqual(DOCKERFILES.filter((name) => !isDockerfileName(name)), []);
    assert.deepEqual(NOT_DOCKERFILES.filter(isDockerfileName), []);
  });

  it('ignores case, as editors and repositories do', () => {
    assert.ok(isDockerfileName('dockerfile'));
    assert.ok(isDockerfileName('DOCKERFILE.PROD'));
  });

  it('reads Dockerfiles as Dockerfiles and everything else as manifests', () => {
    assert.equal(fileTypeOf('Dockerfile.prod'), 'dockerfile');
    assert.equal(fileTypeOf('deploy/api.yaml'), 'manifest');
    assert.equal(fileTypeOf(undefined), 'manifest');
  });

  it("agrees with the editor's document-selector glob on the usual spellings", () => {
    const unixStyle = DOCKERFILES.filter((name) => !name.includes('\\'));
    // The glob is case-sensitive: it covers the spellings in use, the dockerfile language id the rest.
    assert.deepEqual(unixStyle.filter((name) => !minimatch(name, DOCKERFILE_GLOB, { dot: true })), []);
    // Known differences: BuildKit's per-Dockerfile ignore file matches `Dockerfile.*`, and a bare `.dockerfile`
    // matches `*.dockerfile`; the server decides by isDockerfileName, so they are synced but not analysed.
    assert.deepEqual(NOT_DOCKERFILES.filter((name) => minimatch(name, DOCKERFILE_GLOB, { dot: true })), ['Dockerfile.dockerignore', '.dockerfile']);
  });
});
