import assert from 'node:assert/strict';
import { isSeq, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { analyzeText } from '../../core/analyze';
import imageCache from '../../core/generate/image-cache';
import { imageInventory } from '../../core/generate/image-inventory';
import type { GeneratedFile, ImageInventory } from '../../core/generate/types';
import { imageCacheProblems } from '../support/image-cache-schema';
import { DIGESTS, sampleInventory } from './image-cache-inventory';


interface CacheEntry {
  images: string[];
  nodeSelector?: Record<string, string>;
}

function generate(inventory: ImageInventory = sampleInventory(), options: Record<string, string> = {}): { file: GeneratedFile; doc: Document; value: { metadata: { name: string; namespace: string }; spec: { cacheSpec: CacheEntry[]; imagePullSecrets?: Array<{ name: string }> } } } {
  const file = imageCache.generate({ inventory, options, kubernetesVersion: '1.34' });
  const docs = parseAllDocuments(file.text);
  assert.ok(Array.isArray(docs) && docs.length === 1, 'one YAML document');
  assert.deepEqual(docs[0].errors, []);
  return { file, doc: docs[0], value: docs[0].toJS() };
}

/** The `#` lines right above a node, as a reader sees them (the parser attaches a list's first comment to the list). */
function commentAbove(text: string, doc: Document, path: Array<string | number>): string {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  assert.ok(node?.range, `a node at ${path.join('.')}`);
  const lines = text.slice(0, node.range[0]).split('\n');
  lines.pop(); // the node's own line, up to the node
  const comment: string[] = [];
  while (lines.length > 0 && /^\s*#/.test(lines[lines.length - 1])) comment.unshift(lines.pop()!.replace(/^\s*# ?/, ''));
  return comment.join(' ');
}

/** The comment written above the `index`-th image of the `entry`-th cacheSpec entry. */
function imageComment(file: GeneratedFile, doc: Document, entry: number, index: number): string {
  return commentAbove(file.text, doc, ['spec', 'cacheSpec', entry, 'images', index]);
}

describe('generate image-cache', () => {
  it('is a kube-fledged ImageCache of the v1alpha2 shape, in kube-fledged\'s namespace by default', () => {
    const { value } = generate();
    assert.deepEqual(imageCacheProblems(value), []);
    assert.equal(value.metadata.namespace, 'kube-fledged');
    assert.equal(generate(sampleInventory(), { namespace: 'image-cache', name: 'shop-images' }).value.metadata.namespace, 'image-cache');
    assert.equal(generate(sampleInventory(), { namespace: 'image-cache', name: 'shop-images' }).value.metadata.name, 'shop-images');
    assert.throws(() => generate(sampleInventory(), { name: 'Shop_Images' }), /--name must be lowercase/);
    assert.throws(() => generate(sampleInventory(), { namespace: 'kube.fledged' }), /--namespace must be lowercase/);
  });

  it('has one cacheSpec entry per node pool, with that pool\'s nodeSelector and images', () => {
    const { value } = generate();
    const entries = value.spec.cacheSpec;
    assert.deepEqual(
      entries.map((entry) => entry.nodeSelector),
      [undefined, { pool: 'gpu' }, { pool: 'gpu', zone: 'a' }],
    );
    const inventory = sampleInventory();
    inventory.nodePools.forEach((pool, index) => {
      const pinned = new Set(pool.images.map((reference) => inventory.images.find((image) => image.image === reference)!.pinned));
      assert.deepEqual(new Set(entries[index].images), pinned, `pool ${index} caches its own images`);
    });
  });

  it('pins every image whose digest is known and names no image twice in an entry (kube-fledged refuses duplicates)', () => {
    const { value } = generate();
    for (const entry of value.spec.cacheSpec) assert.equal(new Set(entry.images).size, entry.images.length);
    const all = value.spec.cacheSpec.flatMap((entry) => entry.images);
    assert.ok(all.includes(`ghcr.io/acme/api:1.4.2@${DIGESTS.api}`));
    assert.ok(all.includes(`busybox:1.36@${DIGESTS.busybox}`));
    assert.ok(all.includes(`nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`));
    assert.ok(!all.includes('busybox:1.36') && !all.includes('ghcr.io/acme/api:1.4.2'), 'no unpinned copy beside the pinned one');
    // Without a digest there is nothing to pin to: the tag is cached as written.
    assert.ok(all.includes('nginx:latest'));
  });

  it('says above each image where the manifests use it and how it was pinned, and flags moving tags', () => {
    const { file, doc, value } = generate();
    const first = value.spec.cacheSpec[0].images;
    const apiComment = imageComment(file, doc, 0, first.indexOf(`ghcr.io/acme/api:1.4.2@${DIGESTS.api}`));
    // Both manifest references that resolve to the api image are named.
    assert.match(apiComment, /Deployment shop\/api, container api \(deploy\/api\.yaml:21\)/);
    assert.match(apiComment, /Deployment shop\/worker, container worker \(deploy\/worker\.yaml:30\)/);
    assert.match(apiComment, /pinned to sha256:a1a1/);
    assert.match(imageComment(file, doc, 0, first.indexOf(`busybox:1.36@${DIGESTS.busybox}`)), /init container wait-for-db[\s\S]*can move: pinned/);
    assert.match(imageComment(file, doc, 0, first.indexOf('nginx:latest')), /MUTABLE: the tag :latest can move/);
    const zoneA = value.spec.cacheSpec[2].images;
    assert.match(imageComment(file, doc, 2, zoneA.indexOf('registry.example.com:5000/acme/batch:2024')), /MUTABLE[\s\S]*CronJob ml\/nightly|CronJob ml\/nightly[\s\S]*MUTABLE/);
  });

  it('names the node pool and its workloads above each entry', () => {
    const { file, doc } = generate();
    assert.match(commentAbove(file.text, doc, ['spec', 'cacheSpec', 1]), /Node pool: pool=gpu\. Workloads: Job ml\/train/);
  });

  it('carries the workloads\' imagePullSecrets and says they must exist in kube-fledged\'s namespace', () => {
    const { file, value } = generate();
    assert.deepEqual(value.spec.imagePullSecrets, [{ name: 'ghcr-pull' }, { name: 'ngc' }]);
    assert.match(file.text, /# kube-fledged's pull jobs run in kube-fledged: these Secrets must exist there/);
    assert.ok(file.notes.some((note) => /Copy the pull Secrets ghcr-pull, ngc into the kube-fledged namespace/.test(note)));
  });

  it('tells the user about moving tags, variables and skipped files', () => {
    const { file } = generate();
    assert.ok(file.notes.some((note) => note.includes('nginx:latest') && note.includes('registry.example.com:5000/acme/batch:2024') && /can move/.test(note)));
    assert.ok(file.notes.some((note) => note.includes('${LEGACY_IMAGE}') && note.includes('deploy/legacy.yaml:12')));
    assert.ok(file.notes.some((note) => note.includes('charts/app/templates/deploy.yaml')));
  });

  it('passes Podstart\'s own analysis', () => {
    const { file } = generate();
    assert.deepEqual(analyzeText({ text: file.text, fileName: file.fileName }).findings.map((finding) => finding.message), []);
  });

  it('leaves out imagePullSecrets when no workload has any, and a pool whose images are all unknown', () => {
    const inventory = sampleInventory();
    for (const image of inventory.images) image.pullSecrets = [];
    inventory.nodePools.push({ selector: { pool: 'arm' }, images: ['not-in-the-inventory:1.0.0'], workloads: ['Deployment shop/arm'] });
    const { value } = generate(inventory);
    assert.equal(value.spec.imagePullSecrets, undefined);
    assert.equal(value.spec.cacheSpec.length, 3);
    assert.deepEqual(imageCacheProblems(value), []);
  });

  it('is the same text every time', () => {
    assert.equal(generate().file.text, generate().file.text);
  });

  it('caches what the inventory finds in real manifests: init containers and node selectors included', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      imagePullSecrets:
        - name: ghcr-pull
      initContainers:
        - name: migrate
          image: ghcr.io/acme/migrate:2.0.1
      containers:
        - name: api
          image: ghcr.io/acme/api@${DIGESTS.api}
`;
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: ml
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector:
        pool: gpu
      containers:
        - name: trainer
          image: nvcr.io/nvidia/pytorch:24.05-py3
`;
    const inventory = imageInventory({ files: [{ file: 'api.yaml', text: deployment }, { file: 'train.yaml', text: job }] });
    const { file, value, doc } = generate(inventory);
    assert.deepEqual(imageCacheProblems(value), []);
    const bySelector = new Map(value.spec.cacheSpec.map((entry) => [JSON.stringify(entry.nodeSelector ?? {}), entry.images]));
    assert.deepEqual(new Set(bySelector.get('{}')), new Set(['ghcr.io/acme/migrate:2.0.1', `ghcr.io/acme/api@${DIGESTS.api}`]));
    assert.deepEqual(bySelector.get(JSON.stringify({ pool: 'gpu' })), ['nvcr.io/nvidia/pytorch:24.05-py3']);
    assert.deepEqual(value.spec.imagePullSecrets, [{ name: 'ghcr-pull' }]);
    const gpuIndex = value.spec.cacheSpec.findIndex((entry) => entry.nodeSelector?.pool === 'gpu');
    assert.match(imageComment(file, doc, gpuIndex, 0), /Job ml\/train, container trainer \(train\.yaml:14\)[\s\S]*MUTABLE/);
    const parsed = parseDocument(generate(inventory).file.text);
    assert.ok(isSeq(parsed.getIn(['spec', 'cacheSpec'], true)));
  });
});
