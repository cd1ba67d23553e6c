/**
 * The image inventory over every file of the shared corpus of real third-party manifests
 * (../shared/corpus: manifests, GPU workloads, kubelet configurations, Dockerfiles, templates and the
 * corpus's own description files), handed over at once as a front end would hand a workspace: it
 * must not throw or print, and what it lists must be true of the files.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { imageInventory } from '../../core/generate/image-inventory';
import type { ImageInventory } from '../../core/generate/types';
import { isPlaceholderImage, parseImageReference } from '../../core/image-reference';
import { readFolder } from './workspace-fixture';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

(existsSync(CORPUS) ? describe : describe.skip)('core/generate/image-inventory over the shared corpus', () => {
  const files = existsSync(CORPUS) ? readFolder(CORPUS) : [];
  const byFile = new Map(files.map((entry) => [entry.file, entry.text]));
  let inventory: ImageInventory;
  const printed: string[] = [];

  before(function () {
    this.timeout(120_000);
    const streams = [process.stdout, process.stderr] as const;
    const writes = streams.map((stream) => stream.write);
    const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = methods.map((method) => console[method]);
    streams.forEach((stream) => {
      stream.write = ((chunk: unknown) => {
        printed.push(String(chunk));
        return true;
      }) as typeof stream.write;
    });
    methods.forEach((method) => {
      console[method] = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
    });
    try {
      inventory = imageInventory({ files });
    } finally {
      streams.forEach((stream, index) => (stream.write = writes[index]));
      methods.forEach((method, index) => (console[method] = originals[index]));
    }
  });

  it('reads every file without throwing or printing anything', () => {
    assert.ok(files.length >= 900, `only ${files.length} files under ${CORPUS}`);
    assert.ok(inventory, 'imageInventory threw');
    assert.deepEqual(printed, []);
  });

  it('finds the images of the corpus, each a pullable reference on the line its sources name', () => {
    assert.ok(inventory.images.length >= 200, `only ${inventory.images.length} images`);
    for (const image of inventory.images) {
      assert.ok(parseImageReference(image.image) && !isPlaceholderImage(image.image), image.image);
      for (const source of image.sources) {
        const line = byFile.get(source.file)?.split('\n')[source.line - 1] ?? '';
        assert.ok(line.includes(image.image), `${image.image} is not on ${source.file}:${source.line}: ${line}`);
      }
    }
    for (const placeholder of inventory.placeholders) assert.ok(isPlaceholderImage(placeholder.image));
  });

  it('leaves the templated files out, and lists nothing from Dockerfiles', () => {
    const templated = files.filter((entry) => entry.file.split('/').includes('templated') && !entry.file.startsWith('dockerfiles/'));
    assert.ok(templated.length > 0);
    const sourceFiles = new Set(inventory.images.flatMap((image) => image.sources.map((source) => source.file)));
    for (const entry of templated) assert.ok(!sourceFiles.has(entry.file), `${entry.file} is a template, yet its images were listed`);
    assert.ok(![...sourceFiles].some((file) => file.startsWith('dockerfiles/')));
  });
});
