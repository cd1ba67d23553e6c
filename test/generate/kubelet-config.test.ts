import assert from 'node:assert/strict';
import { parseAllDocuments, parseDocument } from 'yaml';
import { analyzeText } from '../../core/analyze';
import kubeletConfig from '../../core/generate/kubelet-config';
import { resolveOptionValues } from '../../core/generate/option-values';
import type { GeneratedFile, ImageInventory } from '../../core/generate/types';
import { validateKubeletConfiguration } from '../../core/kubelet/schema-validation';

const NO_IMAGES: ImageInventory = { images: [], nodePools: [], pullSecrets: [], namespaces: [], skipped: [], placeholders: [] };
const VERSIONS = ['1.26', '1.29', '1.34'] as const;
const FORMATS = ['standalone', 'kubeadm', 'kind'] as const;

function generate(kubernetesVersion: string, options: Record<string, string | number>): GeneratedFile {
  return kubeletConfig.generate({ inventory: NO_IMAGES, options, kubernetesVersion });
}

/** The KubeletConfiguration the file carries: the document itself, or the kind patch's embedded document. */
function configurationOf(file: GeneratedFile, format: string): Record<string, unknown> {
  const docs = parseAllDocuments(file.text);
  assert.ok(Array.isArray(docs) && docs.length === 1, 'one YAML document');
  const value = docs[0].toJS() as Record<string, unknown>;
  if (format !== 'kind') return value;
  assert.equal(value.kind, 'Cluster');
  assert.equal(value.apiVersion, 'kind.x-k8s.io/v1alpha4');
  const patches = value.kubeadmConfigPatches as string[];
  assert.equal(patches.length, 1);
  return parseDocument(patches[0]).toJS() as Record<string, unknown>;
}

/** Every finding Podstart reports on the file at this release, as `rule: message`. */
function findings(file: GeneratedFile, kubernetesVersion: string) {
  const result = analyzeText({ text: file.text, fileName: file.fileName, settings: { kubernetesVersion } });
  return { count: result.kubeletConfigCount, messages: result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`) };
}

describe('generate kubelet-config', () => {
  for (const version of VERSIONS) {
    for (const format of FORMATS) {
      describe(`${format} for Kubernetes ${version}`, () => {
        const file = generate(version, { format });
        const config = configurationOf(file, format);

        it('passes every Podstart rule at that release, which reads it as a kubelet configuration', () => {
          const result = findings(file, version);
          assert.equal(result.count, 1, 'the analysis found the configuration');
          assert.deepEqual(result.messages, []);
        });

        it('is a valid KubeletConfiguration', () => {
          assert.equal(config.apiVersion, 'kubelet.config.k8s.io/v1beta1');
          assert.equal(config.kind, 'KubeletConfiguration');
          assert.deepEqual(validateKubeletConfiguration(config), []);
        });

        it('pulls in parallel, bounded where the release has a bound, with a registry burst the pulls fit in', () => {
          assert.equal(config.serializeImagePulls, false);
          const bounded = version !== '1.26'; // maxParallelImagePulls arrived in 1.27 (KEP-3673)
          assert.equal('maxParallelImagePulls' in config, bounded);
          const burst = config.registryBurst as number;
          if (bounded) assert.ok(burst >= (config.maxParallelImagePulls as number));
          // Unbounded: one pull per pod can start, up to the default maxPods of 110.
          else assert.ok(burst >= 110);
          assert.ok((config.registryPullQPS as number) >= 5);
          assert.ok((config.kubeAPIQPS as number) >= 50 && (config.kubeAPIBurst as number) >= 100);
        });

        it('writes imageMaximumGCAge only where it is on by default, and leaves kind\'s garbage collection alone', () => {
          // The field is alpha behind a gate in 1.29 and on by default from 1.30; kind turns image GC off itself.
          assert.equal('imageMaximumGCAge' in config, version === '1.34' && format !== 'kind');
          assert.equal('imageGCHighThresholdPercent' in config, format !== 'kind');
          if (format !== 'kind') {
            assert.ok((config.imageGCHighThresholdPercent as number) >= 70);
            assert.ok((config.imageGCLowThresholdPercent as number) < (config.imageGCHighThresholdPercent as number));
          }
        });

        it('says above every field why it has its value and which startup stage it serves', () => {
          const lines = file.text.split('\n');
          const fields = Object.keys(config).filter((field) => field !== 'apiVersion' && field !== 'kind');
          assert.ok(fields.length >= 5);
          for (const field of fields) {
            const index = lines.findIndex((line) => new RegExp(`^\\s*${field}:`).test(line));
            assert.ok(index > 0, `${field} is written`);
            assert.match(lines[index - 1], /^\s*#/, `a comment above ${field}`);
            const comment: string[] = [];
            for (let at = index - 1; at >= 0 && /^\s*#/.test(lines[at]); at--) comment.unshift(lines[at]);
            assert.match(comment.join(' '), /Image pull|Volumes, Secrets and ConfigMaps/, `${field}'s comment names a startup stage`);
          }
        });
      });
    }
  }

  it('writes the kubeadm document after a document marker, ready to append to a kubeadm configuration file', () => {
    const text = generate('1.34', { format: 'kubeadm' }).text;
    assert.match(text, /^---$/m);
    assert.match(text, /kubeadm init --config/);
    assert.match(text, /kubeletconfiguration\+strategic\.yaml/);
  });

  it('is the same text every time', () => {
    for (const format of FORMATS) assert.equal(generate('1.34', { format }).text, generate('1.34', { format }).text);
  });

  it('the lint check catches a regression: serial pulls or a registry burst below the bound are reported', () => {
    const file = generate('1.34', { format: 'standalone' });
    const serial = { ...file, text: file.text.replace(/^serializeImagePulls: false$/m, 'serializeImagePulls: true') };
    assert.notEqual(serial.text, file.text);
    assert.ok(findings(serial, '1.34').messages.some((message) => message.startsWith('kubelet-parallel-pulls-while-serial:')));
    const burst = { ...file, text: file.text.replace(/^registryBurst: \d+$/m, 'registryBurst: 2') };
    assert.notEqual(burst.text, file.text);
    assert.ok(findings(burst, '1.34').messages.some((message) => message.startsWith('kubelet-registry-pull-qps-low:')));
  });

  it('raises a bound below 2 and says so, and keeps the registry burst above a large bound', () => {
    const low = generate('1.34', { maxParallelImagePulls: 1 });
    assert.equal(configurationOf(low, 'standalone').maxParallelImagePulls, 2);
    assert.ok(low.notes.some((note) => /maxParallelImagePulls 1 became 2/.test(note)));
    const high = generate('1.34', { maxParallelImagePulls: 20 });
    const config = configurationOf(high, 'standalone');
    assert.equal(config.maxParallelImagePulls, 20);
    assert.equal(config.registryBurst, 20);
    assert.deepEqual(findings(high, '1.34').messages, []);
  });

  it('lengthens an imageMaximumGCAge that would delete pre-pulled images, and keeps a long one', () => {
    const short = generate('1.34', { imageMaximumGCAge: '1h' });
    assert.equal(configurationOf(short, 'standalone').imageMaximumGCAge, '168h');
    assert.ok(short.notes.some((note) => /imageMaximumGCAge 1h became 168h/.test(note)));
    assert.deepEqual(findings(short, '1.34').messages, []);
    const long = generate('1.34', { imageMaximumGCAge: '336h' });
    assert.equal(configurationOf(long, 'standalone').imageMaximumGCAge, '336h');
    assert.deepEqual(findings(long, '1.34').messages, []);
  });

  it('leaves imageMaximumGCAge out on 1.29, where it needs an alpha gate, and says why', () => {
    const file = generate('1.29', { imageMaximumGCAge: '336h' });
    assert.equal('imageMaximumGCAge' in configurationOf(file, 'standalone'), false);
    assert.ok(file.notes.some((note) => /alpha, behind the ImageMaximumGCAge feature gate/.test(note)));
  });

  it('refuses a bad value given to generate directly with the words the front ends use, naming the flag', () => {
    // No resolveOptionValues in front (a test, a caller of the core): the generator's reader checks the same way.
    for (const [options, message] of [
      [{ format: 'helm' }, '--format must be one of standalone, kubeadm, kind, not "helm".'],
      [{ maxParallelImagePulls: 'many' }, '--max-parallel-image-pulls takes a number, not "many".'],
    ] as const) {
      assert.throws(() => generate('1.34', options), { name: 'GeneratorOptionError', message });
      assert.throws(() => resolveOptionValues(kubeletConfig.options, options), { name: 'GeneratorOptionError', message });
    }
  });

  it('falls back to the default minimum age when the option is not a positive duration', () => {
    const file = generate('1.34', { imageMinimumGCAge: 'soon' });
    assert.equal(configurationOf(file, 'standalone').imageMinimumGCAge, '5m');
    assert.ok(file.notes.some((note) => /"soon" is not a positive Go duration/.test(note)));
    assert.deepEqual(findings(file, '1.34').messages, []);
  });
});
