/**
 * Runs the whole engine over the shared corpus of real third-party manifests (../shared/corpus,
 * described by its STATS.md): nothing may crash, YAML that is not Kubernetes gets no finding,
 * templates get exactly one notice, and broken YAML is reported without costing the rest of a file.
 * Dockerfiles are not YAML and are left to their own analysis.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeText, FILE_DIAGNOSTICS, type AnalysisResult } from '../../core/analyze';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus');
/** The corpus's own description files, at its top level; every manifest sits in a folder. */
const CORPUS_METADATA = new Set(['STATS.md', 'SOURCES.tsv']);

interface Analysed {
  /** Path relative to the corpus, with forward slashes. */
  file: string;
  result?: AnalysisResult;
  error?: Error;
}

function corpusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dockerfiles' && dir === CORPUS ? [] : corpusFiles(full);
    return dir === CORPUS && CORPUS_METADATA.has(entry.name) ? [] : [full];
  });
}

function summary(analysed: Analysed): string {
  return `${analysed.file}: ${(analysed.result?.findings ?? []).map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`).join(', ')}`;
}

const isTemplatedPath = (file: string) => file.split('/').includes('templated');

/** Files STATS.md lists as invalid YAML upstream (found with PyYAML). */
const INVALID_UPSTREAM = {
  /** A Deployment with sequence items at mixed indentation: invalid in any YAML parser. */
  deployment: 'gpu/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__gke-model-armor__preparing-the-model__vllm-gemma-deployment.yaml',
  /** A Gateway with the same mistake: a kind Podstart does not analyse, so it is not parsed (README, "Limits"). */
  gateway: 'manifests/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__gke-model-armor__configuring-the-gateway__llm-gateway.yaml',
  /**
   * `type: LoadBalancer<TAB>` in its Service: PyYAML rejects a tab after a plain scalar, but YAML 1.2
   * allows it as separation space, and so do the `yaml` package and the libyaml-derived parser kubectl uses.
   */
  trailingTab: 'gpu/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__vllm-tpu__vllm-llama3-70b.yaml',
};

(existsSync(CORPUS) ? describe : describe.skip)(`corpus (${existsSync(CORPUS) ? CORPUS : `${CORPUS} not found: corpus tests skipped`})`, () => {
  const analysed: Analysed[] = [];
  const byFile = new Map<string, Analysed>();

  before(function () {
    this.timeout(60_000);
    for (const full of corpusFiles(CORPUS)) {
      const file = path.relative(CORPUS, full).split(path.sep).join('/');
      const entry: Analysed = { file };
      try {
        entry.result = analyzeText({ text: readFileSync(full, 'utf8'), fileName: full });
      } catch (error) {
        entry.error = error as Error;
      }
      analysed.push(entry);
      byFile.set(file, entry);
    }
  });

  it('holds the YAML and JSON files STATS.md describes', () => {
    // 913 files less 294 Dockerfiles (278 + 16 templated): a much smaller number means the corpus moved.
    assert.ok(analysed.length >= 600, `only ${analysed.length} files found under ${CORPUS}`);
    for (const file of Object.values(INVALID_UPSTREAM)) assert.ok(byFile.has(file), `${file} is missing from the corpus`);
  });

  it('analyses every file without an exception or an internal error', () => {
    assert.deepEqual(analysed.filter((entry) => entry.error).map((entry) => `${entry.file}: ${entry.error!.stack}`), []);
    const internal = analysed.filter((entry) => entry.result?.findings.some((finding) => finding.ruleId === 'internal-error'));
    assert.deepEqual(internal.map((entry) => entry.result!.findings.filter((finding) => finding.ruleId === 'internal-error').map((finding) => `${entry.file}: ${finding.message}`)).flat(), []);
  });

  it('reports nothing on YAML that is not a Kubernetes object (manifests/non-k8s/)', () => {
    const nonK8s = analysed.filter((entry) => entry.file.startsWith('manifests/non-k8s/'));
    assert.ok(nonK8s.length > 0);
    assert.deepEqual(nonK8s.filter((entry) => entry.result!.findings.length > 0).map(summary), []);
  });

  it('gives every template at most one finding, the template-file notice', () => {
    const templates = analysed.filter((entry) => isTemplatedPath(entry.file));
    assert.ok(templates.length > 0);
    const wrong = templates.filter((entry) => {
      const findings = entry.result!.findings;
      return findings.length > 1 || findings.some((finding) => finding.ruleId !== FILE_DIAGNOSTICS.template || finding.severity !== 'info');
    });
    assert.deepEqual(wrong.map(summary), []);
  });

  it('never calls a file outside templated/ a template', () => {
    const misjudged = analysed.filter((entry) => !isTemplatedPath(entry.file) && entry.result!.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.template));
    assert.deepEqual(misjudged.map((entry) => entry.file), []);
  });

  it('reports only the invalid YAML that is really invalid, as an error at its line', () => {
    const invalid = analysed.filter((entry) => entry.result!.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.invalidYaml));
    assert.deepEqual(invalid.map((entry) => entry.file), [INVALID_UPSTREAM.deployment]);
    const [finding] = byFile.get(INVALID_UPSTREAM.deployment)!.result!.findings.filter((candidate) => candidate.ruleId === FILE_DIAGNOSTICS.invalidYaml);
    assert.equal(finding.severity, 'error');
    // `values:` items at two indentations: the first misplaced `-` is on line 36.
    assert.equal(finding.range.start.line + 1, 36);
  });

  it('still analyses the documents beside an invalid one', () => {
    const broken = readFileSync(path.join(CORPUS, INVALID_UPSTREAM.deployment), 'utf8');
    const before = readFileSync(path.join(CORPUS, 'manifests/kubernetes__website__content__en__examples__controllers__job.yaml'), 'utf8');
    const after = readFileSync(path.join(CORPUS, 'manifests/volcano-sh__volcano__example__deployment__deployment.yaml'), 'utf8');
    const text = `${before.trimEnd()}\n---\n${broken.trimEnd()}\n---\n${after}`;
    const result = analyzeText({ text, fileName: 'bundle.yaml' });
    const brokenStart = text.indexOf(broken.trimEnd());
    const invalid = result.findings.filter((finding) => finding.ruleId === FILE_DIAGNOSTICS.invalidYaml);
    assert.equal(invalid.length, 1);
    assert.ok(invalid[0].start >= brokenStart && invalid[0].start < brokenStart + broken.length, 'the error points into the broken document');
    assert.equal(result.workloadCount, 2, 'the Job before and the Deployment after are analysed');
    // Both neighbours use mutable images (`perl`, `nginx:latest`): their findings survive the broken document between them.
    const images = result.findings.filter((finding) => finding.ruleId === 'mutable-image-tag').map((finding) => text.slice(finding.start, finding.end));
    assert.deepEqual(images, ['perl', 'nginx:latest']);
  });

  it('keeps the documented limits for the other two files STATS.md lists', () => {
    // The Gateway is not parsed, so its broken indentation goes unreported rather than slowing every bundle down.
    assert.deepEqual(byFile.get(INVALID_UPSTREAM.gateway)!.result!.findings.map((finding) => finding.ruleId), []);
    // The trailing tab is valid YAML: its Deployment is analysed like any other.
    const trailingTab = byFile.get(INVALID_UPSTREAM.trailingTab)!.result!;
    assert.equal(trailingTab.workloadCount, 1);
    assert.ok(!trailingTab.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.invalidYaml));
    const imageFindings = trailingTab.findings.filter((finding) => finding.ruleId === 'mutable-image-tag');
    assert.deepEqual(imageFindings.map((finding) => finding.range.start.line + 1), [42], 'vllm/vllm-tpu:latest on line 42');
  });
});
