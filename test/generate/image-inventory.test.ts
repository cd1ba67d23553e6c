import assert from 'node:assert/strict';
import { imageInventory } from '../../core/generate/image-inventory';
import type { ImageInventory } from '../../core/generate/types';
import { imageLines, REGISTRY, registryLookup, workspaceFiles } from './workspace-fixture';

const files = workspaceFiles();
const textOf = (file: string) => files.find((entry) => entry.file === file)!.text;

function imageOf(inventory: ImageInventory, reference: string) {
  const image = inventory.images.find((candidate) => candidate.image === reference);
  assert.ok(image, `${reference} is not in the inventory: ${inventory.images.map((candidate) => candidate.image).join(', ')}`);
  return image;
}

const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:${extra}
      containers:
        - name: app
          image: ${image}
`;

describe('core/generate/image-inventory', () => {
  const inventory = imageInventory({ files, imageFacts: registryLookup });

  it('lists every image the workloads run once, in the order the manifests first use them', () => {
    const references = inventory.images.map((image) => image.image);
    assert.equal(new Set(references).size, references.length, 'an image is listed twice');
    assert.deepEqual([...references].sort(), [
      'cgr.dev/chainguard/nginx:latest',
      'envoyproxy/envoy:v1.31.2',
      'gcr.io/distroless/static-debian12:nonroot',
      'ghcr.io/acme/api-migrate:2.3.1',
      'ghcr.io/acme/api:2.3.1',
      'ghcr.io/acme/report:1.0.0',
      'grafana/grafana:11.1.0',
      'nvcr.io/nvidia/pytorch:24.05-py3',
      'oliver006/redis_exporter:latest',
      'quay.io/prometheus/node-exporter:v1.8.2@sha256:4032c6d5bfd752342c3e631c2f1de93ba6b86c41db6b167b9a35372c139e7706',
      'quay.io/prometheus/statsd-exporter@sha256:5f2d6d0d1f5a3c6b54b3c5b0e7b0a1d4f0c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5',
      'redis:7.4',
    ]);
    const firstUse = inventory.images.map((image) => `${image.sources[0].file}:${String(image.sources[0].line).padStart(4, '0')}`);
    assert.deepEqual(firstUse, [...firstUse].sort(), 'not in the order of first use');
  });

  it('leaves out ephemeral containers, container fragments, the Dockerfile and JSON that is not Kubernetes', () => {
    assert.ok(!inventory.images.some((image) => image.image.startsWith('busybox')), 'the ephemeral debugger image was listed');
    assert.ok(!inventory.images.some((image) => image.image.startsWith('golang')), "the Dockerfile's build image was listed");
    assert.deepEqual(imageOf(inventory, 'gcr.io/distroless/static-debian12:nonroot').sources.map((source) => source.file), ['apps/static-site.yaml']);
    assert.ok(!inventory.skipped.some((entry) => /Dockerfile|package\.json|Chart\.yaml/.test(entry.file)), JSON.stringify(inventory.skipped));
  });

  it('says where each image is used: file, line of the image value, workload, container and its kind', () => {
    for (const image of inventory.images) {
      for (const source of image.sources) {
        assert.ok(imageLines(textOf(source.file), image.image).includes(source.line), `${image.image} is not on ${source.file}:${source.line}`);
      }
    }
    assert.deepEqual(imageOf(inventory, 'ghcr.io/acme/api:2.3.1').sources, [
      { file: 'apps/api.yaml', line: imageLines(textOf('apps/api.yaml'), 'ghcr.io/acme/api:2.3.1')[0], workload: 'Deployment shop/api', namespace: 'shop', container: 'api', containerKind: 'container' },
      { file: 'apps/worker.yaml', line: imageLines(textOf('apps/worker.yaml'), 'ghcr.io/acme/api:2.3.1')[0], workload: 'Deployment shop/worker', namespace: 'shop', container: 'worker', containerKind: 'container' },
    ]);
    const report = imageOf(inventory, 'ghcr.io/acme/report:1.0.0').sources;
    assert.deepEqual(report.map((source) => source.workload), ['CronJob batch/nightly-report', 'Job batch/backfill'], 'the CronJob and the Job inside a v1 List');
    assert.equal(imageOf(inventory, 'envoyproxy/envoy:v1.31.2').sources[0].containerKind, 'sidecar');
  });

  it('marks images only init containers use, not those of native sidecars', () => {
    assert.equal(imageOf(inventory, 'ghcr.io/acme/api-migrate:2.3.1').initOnly, true);
    assert.equal(imageOf(inventory, 'gcr.io/distroless/static-debian12:nonroot').initOnly, true);
    assert.equal(imageOf(inventory, 'envoyproxy/envoy:v1.31.2').initOnly, false);
    assert.equal(imageOf(inventory, 'ghcr.io/acme/api:2.3.1').initOnly, false);
  });

  it("gathers each image's pull secrets and node selectors from every workload that uses it", () => {
    const api = imageOf(inventory, 'ghcr.io/acme/api:2.3.1');
    assert.deepEqual(api.pullSecrets, ['acme-pull', 'backup-pull']);
    assert.deepEqual(api.nodeSelectors, [{ pool: 'batch' }, {}]);
    assert.deepEqual(imageOf(inventory, 'redis:7.4').pullSecrets, []);
    assert.deepEqual(imageOf(inventory, 'ghcr.io/acme/report:1.0.0').nodeSelectors, [{ 'cloud.google.com/gke-spot': 'true', pool: 'batch' }, { pool: 'batch' }]);
    assert.deepEqual(inventory.pullSecrets, ['acme-pull', 'backup-pull']);
    assert.deepEqual(inventory.namespaces, ['batch', 'ml', 'monitoring', 'shop', 'web']);
  });

  it('groups the workloads into node pools by nodeSelector, the pool without a selector first', () => {
    assert.deepEqual(inventory.nodePools[0].selector, {});
    const pool = (selector: Record<string, string>) => inventory.nodePools.find((candidate) => JSON.stringify(candidate.selector) === JSON.stringify(selector));
    assert.deepEqual(pool({ pool: 'batch' }), { selector: { pool: 'batch' }, images: ['ghcr.io/acme/api:2.3.1', 'ghcr.io/acme/report:1.0.0'], workloads: ['Deployment shop/worker', 'Job batch/backfill'] });
    assert.deepEqual(pool({ 'nvidia.com/gpu.present': 'true' })?.workloads, ['Job ml/train', 'Pod ml/debug-target']);
    assert.ok(pool({})!.workloads.includes('Deployment shop/api'));
    for (const each of inventory.nodePools) {
      for (const image of each.images) assert.ok(imageOf(inventory, image).nodeSelectors.some((selector) => JSON.stringify(selector) === JSON.stringify(each.selector)));
    }
  });

  it('takes digests from the reference or the registry, sizes from the registry, and pins moving tags', () => {
    const exporter = imageOf(inventory, 'oliver006/redis_exporter:latest');
    assert.equal(exporter.digest, REGISTRY['oliver006/redis_exporter:latest'].digest);
    assert.equal(exporter.pinned, `oliver006/redis_exporter:latest@${REGISTRY['oliver006/redis_exporter:latest'].digest}`);
    assert.equal(exporter.sizeBytes, 9_000_000);
    assert.equal(exporter.mutable, true);
    const nodeExporter = imageOf(inventory, 'quay.io/prometheus/node-exporter:v1.8.2@sha256:4032c6d5bfd752342c3e631c2f1de93ba6b86c41db6b167b9a35372c139e7706');
    assert.equal(nodeExporter.digest, 'sha256:4032c6d5bfd752342c3e631c2f1de93ba6b86c41db6b167b9a35372c139e7706');
    assert.equal(nodeExporter.pinned, nodeExporter.image);
    assert.equal(nodeExporter.mutable, false);
    const redis = imageOf(inventory, 'redis:7.4');
    assert.equal(redis.mutable, true, 'a minor-version tag follows patch releases');
    assert.equal(redis.digest, undefined);
    assert.equal(redis.pinned, 'redis:7.4');
    assert.equal(imageOf(inventory, 'ghcr.io/acme/report:1.0.0').mutable, false);

    const untagged = imageInventory({ files: [{ file: 'a.yaml', text: deployment('nginx') }], imageFacts: () => ({ digest: 'sha256:'.padEnd(71, 'f'), compressedSize: 1, layerCount: 1 }) });
    assert.equal(untagged.images[0].pinned, `nginx:latest@sha256:${'f'.repeat(64)}`, 'an untagged reference is pinned as the :latest it stands for');
    assert.equal(imageInventory({ files: [{ file: 'a.yaml', text: deployment('ghcr.io/acme/app:2024.06') }], pinnedTagPattern: '^\\d{4}\\.\\d{2}$' }).images[0].mutable, false);
  });

  it('lists variable images apart and never as images', () => {
    assert.deepEqual(inventory.placeholders, [
      { file: 'apps/placeholder.yaml', line: imageLines(textOf('apps/placeholder.yaml'), '${PREVIEW_IMAGE}')[0], workload: 'Deployment web/preview', namespace: 'web', container: 'preview', containerKind: 'container', image: '${PREVIEW_IMAGE}' },
    ]);
    assert.ok(!inventory.images.some((image) => image.image.includes('$')));
  });

  it('skips Helm templates and broken documents with the reason, and keeps the rest of the file', () => {
    const template = inventory.skipped.find((entry) => entry.file === 'chart/templates/deployment.yaml');
    assert.match(template?.reason ?? '', /template/);
    const broken = inventory.skipped.find((entry) => entry.file === 'platform/node-exporter.yaml');
    assert.match(broken?.reason ?? '', /invalid YAML/);
    assert.equal(textOf('platform/node-exporter.yaml').split('\n')[broken!.line! - 1].trim(), '- name: b');
    assert.ok(imageOf(inventory, 'grafana/grafana:11.1.0'), 'the document after the broken one is read');
    assert.ok(!inventory.images.some((image) => image.image === 'nginx:1.27.0'), 'an image of the broken document was listed');
    assert.equal(inventory.skipped.length, 2, JSON.stringify(inventory.skipped));
  });

  it('gives the same inventory whatever order the files come in', () => {
    assert.deepEqual(imageInventory({ files: [...files].reverse(), imageFacts: registryLookup }), inventory);
  });

  it("reads JSON workloads and the operators' pod templates", () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'ghcr.io/acme/json:1.0.0' }] } }, null, 2);
    const pytorch = `apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: train
spec:
  pytorchReplicaSpecs:
    Master:
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/train:1.0.0
    Worker:
      template:
        spec:
          containers:
            - name: pytorch
              image: ghcr.io/acme/train:1.0.0
`;
    const result = imageInventory({ files: [{ file: 'pod.json', text: json }, { file: 'train.yaml', text: pytorch }] });
    assert.deepEqual(result.images.map((image) => image.image), ['ghcr.io/acme/json:1.0.0', 'ghcr.io/acme/train:1.0.0']);
    assert.equal(result.images[0].sources[0].line, json.split('\n').findIndex((line) => line.includes('"ghcr.io/acme/json:1.0.0"')) + 1);
    assert.deepEqual(result.images[1].sources.map((source) => source.workload), ['PyTorchJob train (Master)', 'PyTorchJob train (Worker)']);
  });

  it('survives what the analysis survives: alias bombs, deep nesting, garbage, huge files', () => {
    const laughs = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: lol', 'x:', '  l0: &l0 [{name: a, image: "ghcr.io/acme/lol:1.0.0"}]'];
    for (let level = 1; level <= 9; level++) laughs.push(`  l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]`);
    laughs.push('spec:', '  initContainers: *l9', '  containers: *l0');
    const deep = `apiVersion: v1\nkind: Pod\nmetadata: {name: deep}\nspec: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const huge = deployment('ghcr.io/acme/huge:1.0.0') + `# ${'x'.repeat(6 * 1024 * 1024)}\n`;
    const inputs = [
      { file: 'bomb.yaml', text: laughs.join('\n') },
      { file: 'deep.yaml', text: deep },
      { file: 'garbage.yaml', text: '\u0000\u0001: [}{\n---\nkind: Deployment\n  : :\n' },
      { file: 'huge.yaml', text: huge },
      { file: 'empty.yaml', text: '' },
    ];
    const started = Date.now();
    const result = imageInventory({ files: inputs });
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    assert.deepEqual(result.images.map((image) => image.image), ['ghcr.io/acme/lol:1.0.0'], 'the alias bomb yields its one image, unexpanded');
    assert.match(result.skipped.find((entry) => entry.file === 'huge.yaml')?.reason ?? '', /file size limit/);
    assert.ok(result.skipped.some((entry) => entry.file === 'garbage.yaml'));
    assert.equal(imageInventory({ files: [{ file: 'huge.yaml', text: huge }], maxFileSize: 10 * 1024 * 1024 }).images[0]?.image, 'ghcr.io/acme/huge:1.0.0', 'a larger limit reads it');
  });

  it('reports a value that is not an image reference, with its line', () => {
    const result = imageInventory({ files: [{ file: 'a.yaml', text: deployment('"my app:1"') }] });
    assert.deepEqual(result.images, []);
    assert.equal(result.skipped[0].line, 10);
    assert.match(result.skipped[0].reason, /not an image reference/);
  });
});
