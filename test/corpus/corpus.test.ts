/**
 * Runs the whole engine over the shared corpus of real third-party manifests (../shared/corpus,
 * described by its STATS.md): nothing may crash, YAML that is not Kubernetes gets no finding,
 * templates get exactly one notice, and broken YAML is reported without costing the rest of a file.
 * Dockerfiles (corpus/dockerfiles) are read as Dockerfiles, under their name upstream (SOURCES.tsv):
 * nothing may crash, templates get one notice, and the findings are the ones reviewed by hand.
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

/** Path upstream of each corpus file (SOURCES.tsv: local_file, repo, path, ...). */
function upstreamPaths(): Map<string, string> {
  const lines = readFileSync(path.join(CORPUS, 'SOURCES.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return new Map(lines.map((line) => {
    const [local, , upstream] = line.split('\t');
    return [local, upstream];
  }));
}

const DOCKERFILES = path.join(CORPUS, 'dockerfiles');

(existsSync(DOCKERFILES) ? describe : describe.skip)('corpus: Dockerfiles', () => {
  const analysed: Analysed[] = [];
  const byRule = (ruleId: string) =>
    analysed.flatMap((entry) => (entry.result?.findings ?? []).filter((finding) => finding.ruleId === ruleId).map((finding) => `${entry.file}:${finding.range.start.line + 1}`));

  before(function () {
    this.timeout(60_000);
    const upstream = upstreamPaths();
    for (const full of corpusFiles(DOCKERFILES)) {
      const file = path.relative(CORPUS, full).split(path.sep).join('/');
      const result: Analysed = { file };
      try {
        // The upstream name decides what a file name decides (Dockerfile.dev, a .template); the folder says it is a Dockerfile.
        result.result = analyzeText({ text: readFileSync(full, 'utf8'), fileName: upstream.get(file) ?? path.basename(full), fileType: 'dockerfile' });
      } catch (error) {
        result.error = error as Error;
      }
      analysed.push(result);
    }
  });

  it('holds the Dockerfiles STATS.md describes', () => {
    // 278 Dockerfiles and 16 templates: a much smaller number means the corpus moved.
    assert.ok(analysed.length >= 290, `only ${analysed.length} Dockerfiles found under ${DOCKERFILES}`);
  });

  it('analyses every Dockerfile without an exception, an internal error or a parse error', () => {
    assert.deepEqual(analysed.filter((entry) => entry.error).map((entry) => `${entry.file}: ${entry.error!.stack}`), []);
    const problems = analysed.flatMap((entry) => entry.result!.findings.filter((finding) => finding.ruleId === 'internal-error' || finding.ruleId === FILE_DIAGNOSTICS.invalidDockerfile).map((finding) => `${entry.file}: ${finding.message}`));
    assert.deepEqual(problems, []);
  });

  it('gives each template one notice, and analyses the one file of templated/ that is a real Dockerfile', () => {
    // perf-tests' netperf Dockerfile sits in templated/ for a `{{ }}` in a comment; docker build reads it as it is.
    const realDockerfile = 'dockerfiles/templated/kubernetes__perf-tests__network__benchmarks__netperf__Dockerfile';
    const templates = analysed.filter((entry) => isTemplatedPath(entry.file) && entry.file !== realDockerfile);
    assert.equal(templates.length, 15);
    assert.deepEqual(templates.filter((entry) => entry.result!.findings.map((finding) => finding.ruleId).join() !== FILE_DIAGNOSTICS.template).map(summary), []);
    const netperf = analysed.find((entry) => entry.file === realDockerfile)!;
    assert.equal(netperf.result!.dockerfile?.stages.length, 2);
    // Its final stage builds qperf, iperf and netperf from source on debian:bullseye in seven RUNs.
    assert.deepEqual(netperf.result!.findings.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}`), [
      'dockerfile-consecutive-runs@39',
      'dockerfile-install-recommends@40',
      'dockerfile-debug-tools@40',
      'dockerfile-build-tools-in-final-image@40',
    ]);
    assert.deepEqual(analysed.filter((entry) => !isTemplatedPath(entry.file) && entry.result!.findings.some((finding) => finding.ruleId === FILE_DIAGNOSTICS.template)).map(summary), []);
  });

  it('finds the fat final bases reviewed by hand, and no other', () => {
    // Each checked against its Dockerfile: a full language image or an SDK under a program that needs neither.
    assert.deepEqual(byRule('dockerfile-fat-base-image').sort(), [
      'dockerfiles/awslabs__amazon-eks-ami__hack__mkdocs.Dockerfile:1',
      'dockerfiles/docker__awesome-compose__react-express-mongodb__frontend__Dockerfile:4',
      'dockerfiles/docker__awesome-compose__react-express-mysql__backend__Dockerfile:4',
      'dockerfiles/istio__istio__tests__integration__security__fuzz__fuzzers__jwt_tool__Dockerfile:1',
      'dockerfiles/kubernetes__perf-tests__util-images__network__netperfbenchmark__Dockerfile:10',
      'dockerfiles/kubernetes__perf-tests__util-images__probes__Dockerfile:11',
      'dockerfiles/volcano-sh__volcano__example__integrations__tensorflow__benchmark__Dockerfile:6',
    ]);
  });

  it('finds the moving base images reviewed by hand', () => {
    const findings = byRule('dockerfile-mutable-base-image');
    // 53 findings in 44 files: untagged or :latest bases (distroless, ubi-minimal, alpine, golang builders),
    // istio's BASE_VERSION=latest defaults, and bases left to build arguments without a default.
    assert.equal(findings.length, 53, findings.join('\n'));
    assert.equal(new Set(findings.map((finding) => finding.split(':')[0])).size, 44);
    for (const sample of [
      'dockerfiles/GoogleCloudPlatform__microservices-demo__src__frontend__Dockerfile:32',
      'dockerfiles/istio__istio__pilot__docker__Dockerfile.pilot:9',
      'dockerfiles/kubernetes-sigs__kind__images__kindnetd__Dockerfile:17',
      'dockerfiles/kubernetes-sigs__cluster-api__Dockerfile:28',
    ]) {
      assert.ok(findings.includes(sample), sample);
    }
    // Development Dockerfiles are skipped: argo-cd's Dockerfile.dev builds FROM a local `argocd-base`.
    assert.ok(!findings.some((finding) => finding.includes('argo-cd__Dockerfile.dev')));
  });

  it('finds the package-manager caches reviewed by hand', () => {
    const findings = byRule('dockerfile-package-cache');
    // 45 findings in 31 files: 25 pip installs without --no-cache-dir (GKE AI/ML samples, volcano's TensorFlow
    // benchmark), 8 apt lists left in the layer, 7 apk adds without --no-cache, 5 dnf/yum RUNs without clean.
    assert.equal(findings.length, 45, findings.join('\n'));
    assert.equal(new Set(findings.map((finding) => finding.split(':')[0])).size, 31);
    for (const sample of [
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__gke-a100-jax__Dockerfile:4',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__hpc__mpi__Dockerfile:85',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__maxdiffusion-tpu__build__server__Dockerfile:4',
      'dockerfiles/volcano-sh__volcano__installer__dockerfile__agent__Dockerfile:34',
    ]) {
      assert.ok(findings.includes(sample), sample);
    }
    // `apk add --no-network` (docker-library's python and redis on Alpine) downloads nothing, and awesome-compose's
    // last `dev-envs` stages are development environments, not the shipped image.
    assert.ok(!findings.some((finding) => finding.includes('docker-library__python') || finding.includes('docker-library__redis')));
    assert.ok(!findings.some((finding) => finding.includes('awesome-compose__angular') || finding.includes('awesome-compose__fastapi')));
  });

  it('finds the installs without --no-install-recommends reviewed by hand', () => {
    assert.deepEqual(byRule('dockerfile-install-recommends').sort(), [
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-training-jax-tpu-gemma3__Dockerfile:16',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-training-jax-tpu-gemma3__xprof-enabled__Dockerfile:16',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__maxdiffusion-tpu__build__server__Dockerfile:5',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__mix-train-and-inference__src__Dockerfile:41',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__networking__sctp__Dockerfile:2',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__quickstarts__guestbook__php-redis__Dockerfile:15',
      'dockerfiles/NVIDIA__KAI-Scheduler__build__builder__Dockerfile:6',
      'dockerfiles/argoproj__argo-cd__test__container__Dockerfile:46',
      'dockerfiles/kubernetes-sigs__kubespray__pipeline.Dockerfile:15',
      'dockerfiles/kubernetes-sigs__kubespray__test-infra__vagrant-docker__Dockerfile:10',
      'dockerfiles/kubernetes__perf-tests__util-images__containerd__Dockerfile:3',
      'dockerfiles/templated/kubernetes__perf-tests__network__benchmarks__netperf__Dockerfile:40',
      // One RUN with four `apt-get install -y` commands.
      'dockerfiles/volcano-sh__volcano__example__integrations__mpi__Dockerfile:4',
      'dockerfiles/volcano-sh__volcano__example__integrations__mpi__Dockerfile:5',
      'dockerfiles/volcano-sh__volcano__example__integrations__mpi__Dockerfile:6',
      'dockerfiles/volcano-sh__volcano__example__integrations__mpi__Dockerfile:7',
      'dockerfiles/volcano-sh__volcano__example__integrations__mxnet__train__Dockerfile:4',
      'dockerfiles/volcano-sh__volcano__example__integrations__tensorflow__benchmark__Dockerfile:9',
    ]);
    // postgres 18's `apt-get install -s` only simulates.
    assert.ok(!byRule('dockerfile-install-recommends').some((finding) => finding.includes('postgres')));
  });

  it('finds the builds in the final image reviewed by hand', () => {
    // gcc (or build-base) installed to compile wheels with pip in a single stage, compilers for a source build.
    assert.deepEqual(byRule('dockerfile-build-tools-in-final-image').sort(), [
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-finetuning-gemma__Dockerfile:19',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__t5-model-serving__client-app__Dockerfile:30',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__elasticsearch__docker__chatbot__Dockerfile:6',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__elasticsearch__docker__embed-docs__Dockerfile:6',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__postgres-pgvector__docker__chatbot__Dockerfile:7',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__postgres-pgvector__docker__embed-docs__Dockerfile:7',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__qdrant__docker__chatbot__Dockerfile:6',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__qdrant__docker__embed-docs__Dockerfile:6',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__weaviate__docker__chatbot__Dockerfile:7',
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__databases__weaviate__docker__embed-docs__Dockerfile:7',
      'dockerfiles/argoproj__argo-cd__test__container__Dockerfile:37',
      'dockerfiles/kubernetes__perf-tests__util-images__network__netperfbenchmark__Dockerfile:14',
      'dockerfiles/templated/kubernetes__perf-tests__network__benchmarks__netperf__Dockerfile:40',
      'dockerfiles/volcano-sh__volcano__example__integrations__mpi__Dockerfile:6',
    ]);
  });

  it('finds the debugging tools reviewed by hand', () => {
    // istio's base images (ping, tcpdump, net-tools, lsof on purpose), kubespray's vim, perf-tests' tcpdump and net-tools.
    assert.deepEqual(byRule('dockerfile-debug-tools').sort(), [
      'dockerfiles/istio__istio__docker__Dockerfile.base:17',
      'dockerfiles/istio__istio__pkg__test__echo__docker__Dockerfile.app_sidecar_base:18',
      'dockerfiles/istio__istio__pkg__test__echo__docker__Dockerfile.app_sidecar_base_centos:11',
      'dockerfiles/kubernetes-sigs__kubespray__Dockerfile:24',
      'dockerfiles/kubernetes__perf-tests__dns__dnsperfgo__Dockerfile:13',
      'dockerfiles/kubernetes__perf-tests__util-images__network__netperfbenchmark__Dockerfile:14',
      'dockerfiles/templated/kubernetes__perf-tests__network__benchmarks__netperf__Dockerfile:40',
    ]);
    // docker-library's postgres installs `less` as psql's pager.
    assert.ok(!byRule('dockerfile-debug-tools').some((finding) => finding.includes('postgres')));
  });

  it('finds the long runs of RUN layers reviewed by hand', () => {
    assert.deepEqual(byRule('dockerfile-consecutive-runs').sort(), [
      'dockerfiles/GoogleCloudPlatform__kubernetes-engine-samples__hpc__mpi__Dockerfile:64',
      'dockerfiles/NVIDIA__k8s-dra-driver-gpu__tests__bats__Dockerfile:15',
      'dockerfiles/docker__awesome-compose__nginx-wsgi-flask__flask__Dockerfile:4',
      'dockerfiles/kubernetes__perf-tests__util-images__network__netperfbenchmark__Dockerfile:13',
      'dockerfiles/templated/kubernetes__perf-tests__network__benchmarks__netperf__Dockerfile:39',
    ]);
  });

  it('needs the build context for .dockerignore findings, and finds no remote archive ADDed', () => {
    // The corpus holds Dockerfiles without their folders: nobody looked for a .dockerignore, so nothing is said.
    assert.deepEqual(byRule('dockerfile-missing-dockerignore'), []);
    assert.deepEqual(byRule('dockerfile-add-remote-archive'), []);
  });
});

const GPU = path.join(CORPUS, 'gpu');

(existsSync(GPU) ? describe : describe.skip)('corpus: accelerator workloads (gpu/)', () => {
  const analysed: Analysed[] = [];
  const byRule = (ruleId: string) =>
    analysed.flatMap((entry) => (entry.result?.findings ?? []).filter((finding) => finding.ruleId === ruleId).map((finding) => `${entry.file.slice('gpu/'.length)}:${finding.range.start.line + 1}`)).sort();

  before(function () {
    this.timeout(60_000);
    for (const full of corpusFiles(GPU)) {
      const file = path.relative(CORPUS, full).split(path.sep).join('/');
      analysed.push({ file, result: analyzeText({ text: readFileSync(full, 'utf8'), fileName: full }) });
    }
  });

  it('finds the DRA claims the API server would reject, reviewed by hand', () => {
    // NVIDIA's MIG/MPS sharing demos and selector demo still write `source.resourceClaimName`, the 1.26–1.30 shape
    // that resource.k8s.io/v1 pods no longer accept.
    assert.deepEqual(byRule('resource-claim-rejected'), [
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__mig+mps__sharing-demo-job-1.yaml:14',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__mig+mps__sharing-demo-job.yaml:15',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__mig+mps__sharing-demo-job.yaml:18',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__mig+mps__sharing-demo-job.yaml:21',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__mig+mps__sharing-demo-job.yaml:24',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__selectors__pods.yaml:12',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__selectors__pods.yaml:38',
    ]);
  });

  it('finds multi-pod accelerator workloads without gang scheduling, reviewed by hand', () => {
    const findings = byRule('accelerator-job-without-gang-scheduling');
    // 19: GKE's multi-host TPU JobSets and LeaderWorkerSets, Ray clusters with GPU workers, NVIDIA's IMEX bandwidth Jobs.
    assert.equal(findings.length, 19, findings.join('\n'));
    for (const sample of [
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-training-jax-tpu-gemma3__training_multihost_jobset.yaml:22',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__verl-on-gke__ray-cluster-standard.yaml:64',
      'NVIDIA__k8s-dra-driver-gpu__demo__specs__imex__nvbandwidth-test-job.yaml:58',
    ]) {
      assert.ok(findings.includes(sample), sample);
    }
  });

  it('finds the model downloads at startup reviewed by hand', () => {
    // vLLM and TGI servers that fetch weights from the Hugging Face Hub at every start, with no volume keeping them.
    assert.deepEqual(byRule('model-download-at-startup'), [
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__adk-vllm__deploy-llm__deploy-llm.yaml:46',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-multihost-gpus__vllm-deepseek-r1-A3.yaml:45',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-multihost-gpus__vllm-llama3-405b-A3.yaml:45',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-serving-gemma__tgi__tgi-1_1-2b-it.yaml:48',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__llm-serving-gemma__tgi__tgi-1_1-7b-it.yaml:48',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__mix-train-and-inference__workloads__tgi-gemma-2-9b-it-hp.yaml:57',
      'GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__mix-train-and-inference__workloads__vllm-gemma-3-12b-it.yaml:55',
      'kubernetes__examples__AI__vllm-deployment__vllm-deployment.yaml:35',
    ]);
  });

  it('says nothing where the corpus gives no cause', () => {
    // Every accelerator request in the corpus sets limits equal to requests, no init container holds one, and the two
    // CUDA `devel` images (NVIDIA's bats test pods) install and build at run time, which needs the toolchain.
    for (const ruleId of ['extended-resource-request-rejected', 'init-container-holds-accelerators', 'accelerator-devel-image']) assert.deepEqual(byRule(ruleId), [], ruleId);
  });
});

const KUBELET = path.join(CORPUS, 'kubelet');

(existsSync(KUBELET) ? describe : describe.skip)('corpus: kubelet configurations (kubelet/)', () => {
  const analysed: Analysed[] = [];
  const byRule = (ruleId: string) =>
    analysed.flatMap((entry) => (entry.result?.findings ?? []).filter((finding) => finding.ruleId === ruleId).map((finding) => `${entry.file.slice('kubelet/'.length)}:${finding.range.start.line + 1}`)).sort();

  before(function () {
    this.timeout(60_000);
    for (const full of corpusFiles(KUBELET)) {
      const file = path.relative(CORPUS, full).split(path.sep).join('/');
      analysed.push({ file, result: analyzeText({ text: readFileSync(full, 'utf8'), fileName: full }) });
    }
  });

  it('finds a kubelet configuration in every file, in each of its forms', () => {
    // KubeletConfiguration YAML and JSON, kubeadm files, kind patches, Cluster API kubeletExtraArgs, EKS nodeadm NodeConfig.
    const untemplated = analysed.filter((entry) => !isTemplatedPath(entry.file));
    assert.ok(untemplated.length >= 38, `only ${untemplated.length} files`);
    assert.deepEqual(untemplated.filter((entry) => entry.result!.kubeletConfigCount === 0).map((entry) => entry.file), []);
    const count = (suffix: string) => untemplated.find((entry) => entry.file.endsWith(suffix))!.result!.kubeletConfigCount;
    // simple-cluster-ipv6: the init and join kubeletExtraArgs of its KubeadmControlPlane and of its KubeadmConfigTemplate.
    assert.equal(count('simple-cluster-ipv6.yaml'), 4);
    // NVIDIA's kind config patches the kubelet of two nodes.
    assert.equal(count('NVIDIA__k8s-device-plugin__demo__clusters__kind__scripts__kind-cluster-config.yaml'), 2);
  });

  it('finds serial image pulls where a whole configuration leaves them on, and nowhere else', () => {
    // Drop-ins (EKS's *-drop-in.json), kind patches and kubeletExtraArgs are overlays: their base decides.
    assert.deepEqual(byRule('kubelet-serial-image-pulls'), [
      'Japan7__nanak8s__kubelet-config.yaml:2',
      'kelseyhightower__kubernetes-the-hard-way__configs__kubelet-config.yaml:1',
      'kubernetes__kubernetes__cmd__kubeadm__app__util__config__strict__testdata__invalid_duplicate_field_kubeletcfg.yaml:2',
      'kubernetes__kubernetes__cmd__kubeadm__app__util__config__strict__testdata__valid_kubeletcfg.yaml:2',
      'kubernetes__kubernetes__cmd__kubeadm__app__util__config__testdata__defaulting__controlplane__defaulted.yaml:150',
      'kubernetes__kubernetes__pkg__kubelet__apis__config__scheme__testdata__KubeletConfiguration__after__v1beta1.yaml:65',
      'kubernetes__kubernetes__pkg__kubelet__apis__config__scheme__testdata__KubeletConfiguration__before__v1beta1.yaml:2',
      'luisgoncalves__k8s-bootstrap__kubelet-config.yaml:2',
      'nickgerace__vista__kubelet-config.yaml:1',
    ]);
  });

  it('finds unbounded parallel pulls under the default registry limit: EKS\'s generated configs and the node e2e default', () => {
    assert.deepEqual(byRule('kubelet-registry-pull-qps-low'), [
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__custom-max-pods-expression__expected-kubelet-config.json:37',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__custom-max-pods-expression__scenarios__custom-networking__expected.json:37',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__custom-max-pods-expression__scenarios__kubelet-config-max-pods__expected.json:37',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__kubelet-config-dir__expected-kubelet-config.json:39',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__kubelet-config-new-instance-type__expected-kubelet-config.json:39',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__kubelet-config-set-empty__expected-kubelet-config.json:39',
      'awslabs__amazon-eks-ami__nodeadm__test__e2e__cases__mime-userdata-merge__expected-kubelet-config.json:39',
      'kubernetes__kubernetes__test__e2e_node__jenkins__default-kubelet-config.yaml:26',
    ]);
  });

  it('finds the old 5/10 API limits written out, and the Go field name the kubelet ignores', () => {
    // Both files are defaulting test data written before 1.27 raised the defaults to 50/100.
    assert.deepEqual(byRule('kubelet-api-qps-low'), [
      'kubernetes__kubernetes__cmd__kubeadm__app__util__config__testdata__defaulting__controlplane__defaulted.yaml:135',
      'kubernetes__kubernetes__pkg__kubelet__apis__config__scheme__testdata__KubeletConfiguration__after__v1beta1.yaml:51',
    ]);
    // `resolverConfig` is the Go name of resolvConf: the kubelet drops it and keeps /etc/resolv.conf.
    assert.deepEqual(byRule('kubelet-config-invalid'), ['nickgerace__vista__kubelet-config.yaml:6']);
  });

  it('says nothing where the corpus gives no cause', () => {
    for (const ruleId of ['kubelet-parallel-pulls-while-serial', 'kubelet-image-gc-evicts-prepulled', 'kubelet-evented-pleg', 'kubelet-memory-throttling-factor', 'kubelet-cpu-manager-static']) {
      assert.deepEqual(byRule(ruleId), [], ruleId);
    }
  });
});
