import assert from 'node:assert/strict';
import { parseAllDocuments, type Document } from 'yaml';
import { analyzeText } from '../../core/analyze';
import { GENERATORS, generatorById } from '../../core/generate';
import { imageInventory } from '../../core/generate/image-inventory';
import { GeneratorOptionError } from '../../core/generate/option-values';
import prePuller, { INJECTED_NOOP, NOOP_IMAGE, PAUSE_IMAGE, SHELL_NOOP } from '../../core/generate/pre-puller-daemonset';
import type { GeneratedFile, GeneratorOptionValues, ImageInventory, InventoryImage } from '../../core/generate/types';
import { assertKubernetesObject, loadSerializer } from './kubernetes-schema';
import { registryLookup, workspaceFiles } from './workspace-fixture';

/* eslint-disable @typescript-eslint/no-explicit-any -- generated objects are read as the API server reads them: plain JSON */
type Json = any;

const files = workspaceFiles();
const withRegistry = imageInventory({ files, imageFacts: registryLookup });
const withoutRegistry = imageInventory({ files });

function generate(options: GeneratorOptionValues = {}, inventory: ImageInventory = withRegistry, kubernetesVersion = '1.34'): GeneratedFile {
  return prePuller.generate({ inventory, options, kubernetesVersion });
}

interface Parsed {
  documents: Document.Parsed[];
  objects: Json[];
  daemonSets: Json[];
}

function parse(file: GeneratedFile): Parsed {
  const documents = parseAllDocuments(file.text) as Document.Parsed[];
  for (const document of documents) assert.deepEqual(document.errors, [], 'the output is not valid YAML');
  const objects = documents.map((document) => document.toJS()).filter((object) => object !== null);
  return { documents, objects, daemonSets: objects.filter((object) => object.kind === 'DaemonSet') };
}

/** The reference each image of the inventory should be pulled by: a moving tag pinned when its digest is known. */
const expectedReference = (image: InventoryImage) => (image.mutable && image.digest ? image.pinned : image.image);

/** The images a DaemonSet pulls, by reference, in order. */
function pulledBy(daemonSet: Json): string[] {
  const spec = daemonSet.spec.template.spec;
  if (spec.volumes?.some((volume: Json) => volume.image)) return spec.volumes.filter((volume: Json) => volume.image).map((volume: Json) => volume.image.reference);
  return (spec.initContainers ?? []).filter((container: Json) => container.image !== NOOP_IMAGE).map((container: Json) => container.image);
}

/** Findings at warning or error when Podstart checks the generated file as a user's manifest. */
function lintProblems(file: GeneratedFile, kubernetesVersion = '1.34', withFacts = false): string[] {
  const result = analyzeText({ text: file.text, fileName: file.fileName, settings: { kubernetesVersion }, imageFacts: withFacts ? registryLookup : undefined });
  assert.equal(result.workloadCount, parse(file).daemonSets.length, 'every DaemonSet was analysed');
  return result.findings.filter((finding) => finding.severity === 'warning' || finding.severity === 'error').map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}: ${finding.message}`);
}

/** The comment lines right above the last line that is `text` (a volume's name comes after its mount's). */
function commentAbove(file: GeneratedFile, text: string): string {
  const lines = file.text.split('\n');
  const at = lines.map((line) => line.trim().replace(/^- /, '')).lastIndexOf(text);
  assert.ok(at >= 0, `${text} is not in the output`);
  const comments: string[] = [];
  for (let index = at - 1; index >= 0 && /^\s*#/.test(lines[index]); index--) comments.unshift(lines[index].trim().replace(/^#\s?/, ''));
  return comments.join(' ');
}

describe('core/generate/pre-puller-daemonset', () => {
  before(loadSerializer);

  it('is the pre-puller generator of the catalog', () => {
    assert.equal(generatorById('pre-puller'), prePuller);
    assert.ok(GENERATORS.includes(prePuller));
    assert.ok(prePuller.usesImages);
    for (const option of prePuller.options) assert.match(option.name, /^[a-z][A-Za-z]*$/);
  });

  describe('init-containers variant (the default)', () => {
    const file = generate({ perNodePool: false });
    const { objects, daemonSets } = parse(file);
    const [daemonSet] = daemonSets;
    const spec = daemonSet.spec.template.spec;

    it('pulls every image of the inventory once, in one DaemonSet on every Linux node', () => {
      assert.equal(daemonSets.length, 1);
      assert.deepEqual(pulledBy(daemonSet), withRegistry.images.map(expectedReference));
      assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
    });

    it('runs an injected static no-op in every image, so shell-less images work, then pause', () => {
      const [copy, ...pulls] = spec.initContainers;
      assert.equal(copy.image, NOOP_IMAGE);
      assert.match(NOOP_IMAGE, /busybox:[\d.]+-musl$/, 'the musl build of busybox is the statically linked one');
      assert.deepEqual(copy.command, ['/bin/cp', '/bin/busybox', '/podstart-noop/busybox']);
      for (const container of pulls) {
        assert.deepEqual(container.command, INJECTED_NOOP, container.name);
        assert.deepEqual(container.volumeMounts, [{ name: 'podstart-noop', mountPath: '/podstart-noop', readOnly: true }]);
        assert.equal(container.imagePullPolicy, 'IfNotPresent');
        assert.equal(container.workingDir, '/', "the image's own WORKDIR may be closed to the unprivileged user");
      }
      assert.equal(spec.securityContext.runAsNonRoot, true);
      assert.deepEqual(spec.volumes, [{ name: 'podstart-noop', emptyDir: { sizeLimit: '10Mi' } }]);
      assert.deepEqual(spec.containers.map((container: Json) => container.image), [PAUSE_IMAGE]);
      assert.match(file.text, /static/);
      assert.ok(file.notes.some((note) => /No-op: a statically linked busybox/.test(note)), file.notes.join('\n'));
    });

    it('gives the pod what a pre-puller needs: every node, critical priority, tiny requests, no API access', () => {
      assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }]);
      assert.equal(spec.priorityClassName, 'system-node-critical');
      assert.equal(spec.automountServiceAccountToken, false);
      assert.equal(spec.enableServiceLinks, false);
      assert.deepEqual(spec.imagePullSecrets, [{ name: 'acme-pull' }, { name: 'backup-pull' }]);
      assert.deepEqual(daemonSet.spec.updateStrategy.type, 'RollingUpdate');
      assert.match(String(daemonSet.spec.updateStrategy.rollingUpdate.maxUnavailable), /^([2-9]\d|100)%$/, 'rolls more than one node at a time');
      for (const container of [...spec.initContainers, ...spec.containers]) {
        assert.equal(container.resources.limits.memory, container.resources.requests.memory, `${container.name}: memory limit equals the request`);
        assert.equal(container.resources.limits.cpu, undefined, `${container.name}: a CPU limit would only throttle`);
        assert.equal(container.securityContext.allowPrivilegeEscalation, false);
      }
      assert.deepEqual(daemonSet.spec.selector.matchLabels, daemonSet.spec.template.metadata.labels);
    });

    it('creates its namespace, with a quota for the system-node-critical class', () => {
      const namespace = objects.find((object) => object.kind === 'Namespace');
      assert.equal(namespace.metadata.name, 'podstart-prepull');
      assert.equal(namespace.metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
      const quota = objects.find((object) => object.kind === 'ResourceQuota');
      assert.equal(quota.metadata.namespace, 'podstart-prepull');
      assert.deepEqual(quota.spec.scopeSelector.matchExpressions, [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }]);
      assert.equal(daemonSet.metadata.namespace, 'podstart-prepull');
      assert.ok(file.notes.some((note) => /Copy the pull secrets acme-pull, backup-pull into podstart-prepull/.test(note)));
    });

    it('says where every image comes from, and flags or pins moving tags', () => {
      for (const image of withRegistry.images) {
        const comment = commentAbove(file, `name: ${spec.initContainers.find((container: Json) => container.image === expectedReference(image)).name}`);
        for (const source of image.sources.slice(0, 3)) assert.ok(comment.includes(`${source.file}:${source.line}`) && comment.includes(source.workload) && comment.includes(source.container), `${image.image}: ${comment}`);
        if (image.mutable && !image.digest) assert.match(comment, /mutable tag: pre-pulled copy may differ from what the workload pulls/);
        if (image.mutable && image.digest) assert.match(comment, /Pinned to sha256:/);
      }
      assert.ok(file.notes.some((note) => note.includes('gcr.io/distroless/static-debian12:nonroot') && /moving tag/.test(note)));
    });

    it("passes Podstart's own rules with no warning, with and without registry facts", () => {
      assert.deepEqual(lintProblems(file), []);
      assert.deepEqual(lintProblems(file, '1.34', true), []);
      // The suppressions it writes are what keeps it clean: without them the moving tags are reported.
      const unsuppressed = { ...file, text: file.text.replace(/^.*podstart-disable-next-line.*\n/gm, '') };
      assert.ok(lintProblems(unsuppressed).some((problem) => problem.startsWith('mutable-image-tag')));
    });

    it('is valid against the Kubernetes API models', () => {
      for (const object of objects) assertKubernetesObject(object);
    });
  });

  it("uses the image's shell when asked, but never for images known to have none", () => {
    const file = generate({ perNodePool: false, noop: 'shell' });
    const spec = parse(file).daemonSets[0].spec.template.spec;
    const commandOf = (image: string) => spec.initContainers.find((container: Json) => container.image.startsWith(image)).command;
    assert.deepEqual(commandOf('ghcr.io/acme/api:2.3.1'), SHELL_NOOP);
    assert.deepEqual(commandOf('redis:7.4'), SHELL_NOOP);
    assert.deepEqual(commandOf('gcr.io/distroless/static-debian12'), INJECTED_NOOP);
    assert.deepEqual(commandOf('cgr.dev/chainguard/nginx'), INJECTED_NOOP);
    assert.equal(spec.initContainers[0].image, NOOP_IMAGE);
    assert.match(commentAbove(file, 'name: pull-nginx'), /No shell in this image/);
    assert.deepEqual(lintProblems(file), []);

    const shellOnly = generate({ perNodePool: false, noop: 'shell' }, imageInventory({ files: files.filter((entry) => entry.file === 'apps/worker.yaml') }));
    const shellSpec = parse(shellOnly).daemonSets[0].spec.template.spec;
    assert.ok(shellSpec.initContainers.every((container: Json) => container.image !== NOOP_IMAGE && JSON.stringify(container.command) === JSON.stringify(SHELL_NOOP)), 'no injected binary when no image needs it');
    assert.equal(shellSpec.volumes, undefined);
  });

  it('makes one DaemonSet per node pool, each on its pool, pulling what the everywhere one does not', () => {
    const file = generate();
    const { daemonSets, objects } = parse(file);
    const byName = new Map(daemonSets.map((daemonSet) => [daemonSet.metadata.name, daemonSet]));
    const everywhere = byName.get('podstart-prepull');
    assert.deepEqual(everywhere.spec.template.spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
    const gpu = daemonSets.find((daemonSet) => daemonSet.spec.template.spec.nodeSelector['nvidia.com/gpu.present'] === 'true');
    assert.deepEqual(pulledBy(gpu), [withRegistry.images.find((image) => image.image.startsWith('nvcr.io'))!.pinned]);
    assert.ok(!pulledBy(everywhere).some((reference: string) => reference.startsWith('nvcr.io')), 'the GPU image is pulled on every node');
    assert.ok(pulledBy(everywhere).some((reference: string) => reference.startsWith('quay.io/prometheus/node-exporter')), 'a kubernetes.io/os=linux selector is every Linux node');
    const batch = daemonSets.find((daemonSet) => JSON.stringify(daemonSet.spec.template.spec.nodeSelector) === JSON.stringify({ 'kubernetes.io/os': 'linux', pool: 'batch' }));
    assert.deepEqual(pulledBy(batch), ['ghcr.io/acme/report:1.0.0'], 'api:2.3.1 is already pulled everywhere');
    const pulled = new Set(daemonSets.flatMap(pulledBy));
    assert.deepEqual([...pulled].sort(), withRegistry.images.map(expectedReference).sort(), 'every image is pulled by some DaemonSet');
    for (const daemonSet of daemonSets) {
      assert.equal(new Set(pulledBy(daemonSet)).size, pulledBy(daemonSet).length, `${daemonSet.metadata.name} pulls an image twice`);
      assert.match(daemonSet.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      assert.ok(daemonSet.metadata.name.length <= 63);
      const names = [...(daemonSet.spec.template.spec.initContainers ?? []), ...daemonSet.spec.template.spec.containers].map((container: Json) => container.name);
      assert.equal(new Set(names).size, names.length);
    }
    assert.equal(new Set(daemonSets.map((daemonSet) => daemonSet.metadata.name)).size, daemonSets.length);
    assert.deepEqual(lintProblems(file), []);
    for (const object of objects) assertKubernetesObject(object);
  });

  it('pulls only the images of workloads that can run on the chosen nodes', () => {
    const file = generate({ nodeSelector: ['pool=batch'] });
    const { daemonSets } = parse(file);
    assert.equal(daemonSets.length, 1);
    assert.deepEqual(daemonSets[0].spec.template.spec.nodeSelector, { 'kubernetes.io/os': 'linux', pool: 'batch' });
    const pulled = pulledBy(daemonSets[0]);
    assert.ok(pulled.includes('ghcr.io/acme/report:1.0.0'), 'the Job that selects pool=batch');
    assert.ok(pulled.some((reference: string) => reference.startsWith('quay.io/prometheus/node-exporter')), 'kubernetes.io/os=linux: every node the DaemonSet runs on');
    assert.ok(pulled.includes('grafana/grafana:11.1.0'), 'a workload without a selector can run there');
    assert.ok(!pulled.some((reference: string) => reference.startsWith('nvcr.io')), 'the GPU image');
    assert.ok(file.notes.some((note) => /Left out 1 image whose workloads select other nodes/.test(note)), file.notes.join('\n'));
    assert.throws(() => generate({ nodeSelector: ['pool'] }), GeneratorOptionError);
    assert.throws(() => generate({ nodeSelector: ['bad key=x'] }), GeneratorOptionError);
  });

  it('leaves out images under the size threshold, keeps those of unknown size, and says so', () => {
    const file = generate({ perNodePool: false, minSizeMb: 100 });
    const pulled = pulledBy(parse(file).daemonSets[0]);
    assert.ok(pulled.includes('ghcr.io/acme/api:2.3.1'), '420 MB');
    assert.ok(pulled.some((reference: string) => reference.startsWith('nvcr.io')), '9.5 GB');
    assert.ok(pulled.includes('grafana/grafana:11.1.0'), '130 MB');
    assert.ok(!pulled.includes('envoyproxy/envoy:v1.31.2'), '60 MB');
    assert.ok(!pulled.some((reference: string) => reference.startsWith('oliver006/redis_exporter')), '9 MB');
    assert.ok(pulled.includes('redis:7.4'), 'size unknown');
    assert.ok(file.notes.some((note) => /^Left out 2 images under 100 MB/.test(note)), file.notes.join('\n'));
    assert.ok(file.notes.some((note) => /^Kept \d+ images whose size is not known/.test(note)));
    assert.equal(
      pulledBy(parse(generate({ perNodePool: false, minSizeMb: 100 }, withoutRegistry)).daemonSets[0]).length,
      withoutRegistry.images.length,
      'without sizes every image is kept',
    );
  });

  it('leaves out init-only images when asked, but keeps native sidecars', () => {
    const pulled = pulledBy(parse(generate({ perNodePool: false, includeInitOnly: false })).daemonSets[0]);
    assert.ok(!pulled.includes('ghcr.io/acme/api-migrate:2.3.1'));
    assert.ok(!pulled.some((reference: string) => reference.startsWith('gcr.io/distroless')));
    assert.ok(pulled.includes('envoyproxy/envoy:v1.31.2'));
  });

  it('lists what it left out: variables and skipped files', () => {
    const { notes } = generate();
    assert.ok(notes.some((note) => note.includes('${PREVIEW_IMAGE} (apps/placeholder.yaml:')));
    assert.ok(notes.some((note) => note.startsWith('Left out chart/templates/deployment.yaml')));
    assert.ok(!generate().text.includes('PREVIEW_IMAGE'));
  });

  it('in kube-system, creates no namespace or quota', () => {
    const { objects } = parse(generate({ namespace: 'kube-system', perNodePool: false }));
    assert.deepEqual(objects.map((object) => object.kind), ['DaemonSet']);
    assert.equal(objects[0].metadata.namespace, 'kube-system');
    assert.throws(() => generate({ namespace: 'Not_A_Namespace' }), GeneratorOptionError);
    assert.throws(() => generate({ variant: 'sidecars' }), GeneratorOptionError);
  });

  describe('image-volumes variant', () => {
    for (const [version, expectation] of [
      ['1.30', 'falls back to init containers'],
      ['1.33', 'warns that the feature gate is off by default'],
      ['1.34', 'warns that the feature gate is off by default'],
      ['1.35', 'needs no feature gate'],
      ['1.36', 'needs no feature gate'],
    ] as const) {
      it(`on Kubernetes ${version}: ${expectation}`, () => {
        const file = generate({ variant: 'image-volumes', perNodePool: false }, withRegistry, version);
        const { daemonSets, objects } = parse(file);
        const spec = daemonSets[0].spec.template.spec;
        const gateNote = file.notes.some((note) => /ImageVolume feature gate/.test(note));
        if (version === '1.30') {
          assert.equal(spec.volumes?.some((volume: Json) => volume.image), false);
          assert.ok(spec.initContainers.length > 1);
          assert.ok(file.notes.some((note) => /has no image volumes/.test(note)), file.notes.join('\n'));
        } else {
          assert.equal(spec.initContainers, undefined, 'nothing of the images runs');
          const volumes = spec.volumes;
          assert.deepEqual(volumes.map((volume: Json) => volume.image.reference), withRegistry.images.map(expectedReference));
          for (const volume of volumes) assert.equal(volume.image.pullPolicy, 'IfNotPresent');
          assert.deepEqual(spec.containers.map((container: Json) => container.image), [PAUSE_IMAGE]);
          assert.deepEqual(spec.containers[0].volumeMounts.map((mount: Json) => mount.name), volumes.map((volume: Json) => volume.name));
          assert.equal(gateNote, version < '1.35');
          assert.equal(/ImageVolume feature gate/.test(file.text.replace(/\n\s*#\s?/g, ' ')), version < '1.35', 'the file says so too');
          assert.ok(file.notes.some((note) => /containerd 2\.1/.test(note)));
          assert.equal(objects.find((object) => object.kind === 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'], 'baseline');
        }
        assert.deepEqual(lintProblems(file, version), []);
        assert.deepEqual(lintProblems(file, version, true), []);
        for (const object of objects) assertKubernetesObject(object);
      });
    }

    it('says where every volume image comes from', () => {
      const file = generate({ variant: 'image-volumes', perNodePool: false }, withRegistry, '1.35');
      const volumes = parse(file).daemonSets[0].spec.template.spec.volumes;
      assert.equal(volumes.length, withRegistry.images.length);
      for (const [index, volume] of volumes.entries()) {
        const image = withRegistry.images[index];
        const comment = commentAbove(file, `name: ${volume.name}`);
        for (const source of image.sources.slice(0, 3)) assert.ok(comment.includes(`${source.file}:${source.line}`) && comment.includes(source.workload), `${image.image}: ${comment}`);
      }
    });
  });

  it('writes a file that says why when no image is left', () => {
    const small = imageInventory({ files: files.filter((entry) => entry.file === 'platform/node-exporter.yaml'), imageFacts: registryLookup });
    const sized = { ...small, images: small.images.filter((image) => image.sizeBytes !== undefined) };
    assert.ok(sized.images.length > 0);
    const file = generate({ perNodePool: false, minSizeMb: 100_000 }, sized);
    assert.equal(parse(file).objects.length, 0);
    assert.ok(file.notes.some((note) => /No image is left/.test(note)));
  });
});
