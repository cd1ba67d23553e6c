/**
 * `podstart generate --registry` against a real registry (distribution, as the registry tests start
 * it): the images are looked up with the same client as `podstart check --registry`, so the pre-puller
 * pulls each image by the digest its tag names today, and a size threshold leaves out the small ones.
 * An image the registry does not have is a warning, never a failure: it is pulled by tag.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pushImage, randomLayer, type PushedImage } from '../registry/support/push';
import { skipWithoutRegistry, startRegistry, type RunningRegistry } from '../registry/support/registry-server';
import { TempProject, type CliRun } from './harness';

const deployment = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ml
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

describe('podstart generate --registry, against a real registry', function () {
  this.timeout(60_000);
  let registry: RunningRegistry;
  let model: PushedImage;
  let project: TempProject;
  let home: string;

  before(async function () {
    skipWithoutRegistry(this);
    registry = await startRegistry({ kind: 'none' });
    model = await pushImage({ baseUrl: registry.baseUrl }, 'ml/model-server', '3.1', { layers: [randomLayer(3_000_000)] });
    await pushImage({ baseUrl: registry.baseUrl }, 'ml/tokenizer', '1.0.0', { layers: [randomLayer(40_000)] });
  });
  beforeEach(() => {
    project = new TempProject({
      'deploy/model-server.yaml': deployment('model-server', `${registry.host}/ml/model-server:3.1`),
      'deploy/tokenizer.yaml': deployment('tokenizer', `${registry.host}/ml/tokenizer:1.0.0`),
    });
    home = mkdtempSync(path.join(tmpdir(), 'podstart-home-'));
  });
  afterEach(() => {
    project?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  after(async () => registry?.stop());

  const run = (args: string[]): Promise<CliRun> => project.run(args, { env: { HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), DOCKER_CONFIG: path.join(home, 'no-docker-config') } });

  it('pins an image on a moving tag to the digest the registry resolves it to, and says how large each is', async () => {
    const pinned = await run(['generate', 'pre-puller', '--registry']);
    assert.equal(pinned.code, 0, pinned.stderr);
    assert.match(pinned.stdout, new RegExp(`image: ${registry.host}/ml/model-server:3\\.1@${model.digest}$`, 'm'));
    assert.match(pinned.stdout, /3 MB compressed/);
    assert.match(pinned.stdout, /40 kB compressed/);
    const byTag = await run(['generate', 'pre-puller']);
    assert.ok(!byTag.stdout.includes(model.digest), 'without --registry, nothing is looked up');
  });

  it('a size threshold leaves out the images smaller than it, which the registry measured', async () => {
    const large = await run(['generate', 'pre-puller', '--registry', '--min-size-mb', '1']);
    assert.equal(large.code, 0, large.stderr);
    assert.ok(large.stdout.includes(`${registry.host}/ml/model-server:3.1`));
    assert.ok(!large.stdout.includes(`image: ${registry.host}/ml/tokenizer`), 'the 40 kB image is left out');
  });

  it('an image the registry does not have is a warning, and is pulled by tag', async () => {
    project.write('deploy/missing.yaml', deployment('missing', `${registry.host}/ml/missing:9.9.9`));
    const result = await run(['generate', 'pre-puller', '--registry']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`podstart: warning: Registry lookup of ${registry.host}/ml/missing:9\\.9\\.9 failed`));
    assert.match(result.stdout, new RegExp(`image: ${registry.host}/ml/missing:9\\.9\\.9$`, 'm'));
  });
});
