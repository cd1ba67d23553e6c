/**
 * The image inventory's per-document summaries kept between generator runs
 * (core/generate/document-images.ts): a run after an edit gives what a fresh run gives, parses only
 * the edited documents, and puts every source on the line it now stands on; the registry path
 * (two inventories, without and with the registry's facts) parses each document once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InventoryCache, summarizeDocument, type DocumentImages } from '../../core/generate/document-images';
import { imageInventory } from '../../core/generate/image-inventory';
import { inventoryOf, runGenerator, type RegistryAccess } from '../../core/generate/run-generator';
import { detectTemplate } from '../../core/templates';
import { splitYamlDocuments } from '../../core/yaml-documents';
import { imageLines, registryLookup, REGISTRY, workspaceFiles } from './workspace-fixture';

/** A platform bundle as teams keep them: several workloads, a Service, and one document someone broke. */
const BUNDLE = readFileSync(path.join(__dirname, 'fixtures', 'platform-bundle.yaml'), 'utf8');
const BUNDLE_DOCUMENTS = splitYamlDocuments(BUNDLE).length;

/** The fixture workspace plus the bundle: several files, one of them with many documents. */
function workspaceWith(bundle: string) {
  return [...workspaceFiles(), { file: 'platform/bundle.yaml', text: bundle }];
}

/** The documents of the files' YAML, as the inventory splits them (a Helm template file is left out unsplit, as are Dockerfiles and JSON). */
function documentsIn(files: ReadonlyArray<{ file: string; text: string }>): Set<string> {
  const yaml = files.filter(({ file, text }) => /\.ya?ml$/.test(file) && !detectTemplate(text, file));
  return new Set(yaml.flatMap(({ text }) => splitYamlDocuments(text).map((chunk) => chunk.text)));
}

/** A summarizer that counts the texts it was asked for. */
function countingSummarizer() {
  const asked: string[] = [];
  const summarize = (text: string): DocumentImages => {
    asked.push(text);
    return summarizeDocument(text);
  };
  return { asked, summarize };
}

function sourcesOf(inventory: ReturnType<typeof imageInventory>, reference: string) {
  return inventory.images.find((image) => image.image === reference)?.sources ?? [];
}

describe('core/generate/document-images: the inventory cache', () => {
  it('after an edit to one document, gives what a fresh run gives and summarizes only that document again', async () => {
    const cache = new InventoryCache();
    const before = workspaceWith(BUNDLE);
    await inventoryOf({ files: before, inventoryCache: cache });
    assert.equal(cache.lastRun.reused, 0, 'the first run had nothing to reuse');
    assert.ok(cache.lastRun.summarized >= BUNDLE_DOCUMENTS, `only ${cache.lastRun.summarized} documents summarized`);

    const edited = BUNDLE.replace('image: ghcr.io/acme/ledger-export:1.8.2', 'image: ghcr.io/acme/ledger-export:1.9.0');
    const after = workspaceWith(edited);
    const cached = await inventoryOf({ files: after, inventoryCache: cache });

    assert.deepEqual(cached, imageInventory({ files: after }), 'the cached run differs from a fresh one');
    assert.deepEqual(sourcesOf(cached, 'ghcr.io/acme/ledger-export:1.9.0').map((source) => source.line), imageLines(edited, 'ghcr.io/acme/ledger-export:1.9.0'));
    assert.equal(sourcesOf(cached, 'ghcr.io/acme/ledger-export:1.8.2').length, 0, 'the image the edit replaced is still listed');
    assert.deepEqual(cache.lastRun, { summarized: 1, reused: documentsIn(after).size - 1 });
  });

  it('generates the same file with a kept cache as without one', async () => {
    const cache = new InventoryCache();
    const request = (text: string) => ({ generatorId: 'pre-puller', files: workspaceWith(text), options: {}, registry: fakeRegistry().access });
    await runGenerator({ ...request(BUNDLE), inventoryCache: cache });
    const edited = BUNDLE.replace('pool: batch\n      containers:', 'pool: logging\n      containers:');
    assert.notEqual(edited, BUNDLE);
    const cached = await runGenerator({ ...request(edited), inventoryCache: cache });
    assert.equal(cached.text, (await runGenerator(request(edited))).text);
    assert.match(cached.text, /pool: logging/);
  });

  it('keeps the lines right when a document moves: lines inserted above it', async () => {
    const cache = new InventoryCache();
    const first = await inventoryOf({ files: workspaceWith(BUNDLE), inventoryCache: cache });
    // Three lines in the first document (a comment and an annotation): every later document moves down unchanged.
    const moved = BUNDLE.replace('  namespace: shop\nspec:\n  template:', '  namespace: shop\n  # owned by the payments team\n  annotations:\n    team: payments\nspec:\n  template:');
    assert.equal(moved.split('\n').length, BUNDLE.split('\n').length + 3);
    const files = workspaceWith(moved);
    const inventory = await inventoryOf({ files, inventoryCache: cache });

    assert.equal(cache.lastRun.summarized, 1, 'only the document that changed is parsed again');
    for (const reference of ['ghcr.io/acme/checkout:4.1.0', 'ghcr.io/acme/ledger-export:1.8.2', 'fluent/fluent-bit:3.1.4']) {
      const lines = sourcesOf(inventory, reference).filter((source) => source.file === 'platform/bundle.yaml').map((source) => source.line);
      assert.deepEqual(lines, imageLines(moved, reference), reference);
    }
    // The broken document's YAML error moves with it.
    const brokenLine = (inventory: typeof first) => inventory.skipped.find((entry) => entry.file === 'platform/bundle.yaml' && /invalid YAML/.test(entry.reason))?.line;
    assert.ok(brokenLine(first), JSON.stringify(first.skipped));
    assert.equal(brokenLine(inventory), brokenLine(first)! + 3);
    assert.deepEqual(inventory, imageInventory({ files }));
  });

  it('parses each document once on the registry path, which builds the inventory twice', async () => {
    const { asked, summarize } = countingSummarizer();
    const registry = fakeRegistry();
    const files = workspaceWith(BUNDLE);
    const cache = new InventoryCache(summarize);
    const inventory = await inventoryOf({ files, registry: registry.access, inventoryCache: cache });

    assert.equal(registry.lookUps.length, 1, 'the registry was asked once');
    assert.equal(inventory.images.find((image) => image.image === 'ghcr.io/acme/api:2.3.1')?.digest, REGISTRY['ghcr.io/acme/api:2.3.1'].digest, 'the second inventory, with the registry facts, was not built');
    assert.equal(asked.length, new Set(asked).size, 'a document was parsed twice');
    assert.deepEqual(new Set(asked), documentsIn(files));
    assert.deepEqual(cache.lastRun, { summarized: 0, reused: asked.length }, 'the inventory with the facts did not reuse the first one\'s summaries');
  });

  it('summarizes a document once when two files hold the same text, and keeps only the latest run', () => {
    const { asked, summarize } = countingSummarizer();
    const cache = new InventoryCache(summarize);
    const copies = [{ file: 'a/bundle.yaml', text: BUNDLE }, { file: 'b/bundle.yaml', text: BUNDLE }];
    const inventory = imageInventory({ files: copies, cache });
    assert.equal(asked.length, BUNDLE_DOCUMENTS);
    assert.deepEqual(sourcesOf(inventory, 'fluent/fluent-bit:3.1.4').map((source) => source.file), ['a/bundle.yaml', 'b/bundle.yaml']);

    // A run without the bundle drops its summaries: bringing the bundle back parses it again.
    imageInventory({ files: workspaceFiles(), cache });
    imageInventory({ files: copies, cache });
    assert.deepEqual(cache.lastRun, { summarized: BUNDLE_DOCUMENTS, reused: BUNDLE_DOCUMENTS });
  });

  it('lists the images of a file over the default 5 MB when the request allows larger files', async () => {
    // A 6 MB manifest: the bundle, then a comment block that makes it large.
    const large = `${BUNDLE}${'# padding, as generated bundles carry\n'.repeat(6 * 1024 * 1024 / 38)}`;
    const files = [{ file: 'platform/large.yaml', text: large }];
    const allowed = await inventoryOf({ files, maxFileSize: 8 * 1024 * 1024 });
    assert.ok(allowed.images.some((image) => image.image === 'fluent/fluent-bit:3.1.4'), allowed.skipped.map((entry) => entry.reason).join('; '));
    const refused = await inventoryOf({ files });
    assert.deepEqual(refused.images, []);
    assert.match(refused.skipped[0].reason, /larger than the maximum file size/);
  });
});

/** Registry access that answers from the fixture's facts and records what it was asked. */
function fakeRegistry() {
  const lookUps: string[][] = [];
  const access: RegistryAccess = {
    lookUp: async (references) => void lookUps.push([...references]),
    lookup: registryLookup,
  };
  return { lookUps, access };
}
