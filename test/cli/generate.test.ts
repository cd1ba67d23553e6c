/**
 * `podstart generate` as a user runs it: every generator over the fixture workspace (its file on
 * stdout, what it chose on stderr, the file lint-clean under `podstart check`), the help written from
 * the generators' declarations, the options as flags (choices, lists, numbers, booleans) with usage
 * errors that name the flag, `-o` that never overwrites without `--force`, the Kubernetes release from
 * the flag or the nearest .podstart.yaml, and `startup-probe` printing or writing the edited manifest.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { GENERATORS } from '../../core/generate';
import { optionFlag } from '../../core/generate/option-values';
import { reservedFlags } from '../../cli/generate-arguments';
import { GENERATE_WORKSPACE, STARTUP_PROBE_MANIFEST, WORKSPACE_IMAGES } from './generate-fixtures';
import { TempProject, type CliRun } from './harness';

const IMAGE_GENERATORS = GENERATORS.filter((generator) => generator.usesImages);

/** The notes of a run (`podstart: note: ...` lines on stderr). */
const notesOf = (run: CliRun) => run.stderr.split('\n').filter((line) => line.startsWith('podstart: note: '));

function assertUsageError(run: CliRun, message: RegExp): void {
  assert.equal(run.code, 2, `exit code; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, message);
}

describe('podstart generate', function () {
  this.timeout(30_000);
  let project: TempProject;

  beforeEach(() => {
    project = new TempProject();
    cpSync(GENERATE_WORKSPACE, project.root, { recursive: true });
  });
  afterEach(() => project.dispose());

  describe('help, written from the generators\' declarations', () => {
    it('`podstart generate --help` lists every generator and startup-probe, with what each makes', async () => {
      const run = await project.run(['generate', '--help']);
      assert.equal(run.code, 0);
      for (const generator of GENERATORS) assert.match(run.stdout, new RegExp(`^  ${generator.id} +${generator.description.split(' ').slice(0, 3).join(' ')}`, 'm'));
      assert.match(run.stdout, /^ {2}startup-probe +A startupProbe/m);
      assert.deepEqual((await project.run(['generate'])).stdout, run.stdout, 'no generator: the same help');
      assert.match((await project.run(['--help'])).stdout, /podstart generate <generator>/);
    });

    for (const generator of GENERATORS) {
      it(`\`podstart generate ${generator.id} --help\` lists its options, their choices and defaults`, async () => {
        const run = await project.run(['generate', generator.id, '--help']);
        assert.equal(run.code, 0);
        for (const option of generator.options) {
          assert.match(run.stdout, new RegExp(`^  ${optionFlag(option)}\\b`, 'm'), option.name);
          for (const choice of option.choices ?? []) assert.match(run.stdout, new RegExp(`^ {6}${choice.value} +${choice.label.split(' ')[0]}`, 'm'), `${option.name} ${choice.value}`);
          if (option.type === 'boolean') assert.ok(run.stdout.includes(`--no-${optionFlag(option).slice(2)}`), `${option.name} can be turned off`);
        }
      });
    }

    it('no generator option takes a flag that every generator shares', () => {
      const reserved = reservedFlags();
      for (const generator of GENERATORS) for (const option of generator.options) assert.ok(!reserved.has(optionFlag(option)), `${generator.id} ${optionFlag(option)}`);
    });
  });

  describe('each generator over the fixture workspace', () => {
    for (const generator of IMAGE_GENERATORS) {
      it(`${generator.id}: lists every image of the workspace with where it comes from, notes on stderr, and lints clean`, async () => {
        const run = await project.run(['generate', generator.id]);
        assert.equal(run.code, 0, run.stderr);
        for (const image of WORKSPACE_IMAGES) assert.ok(run.stdout.includes(image), `${image} is in the ${generator.id} output`);
        // A source comment per image: the file and line it came from.
        assert.match(run.stdout, /apps\/api\.yaml:21/);
        assert.ok(!run.stdout.includes('${PREVIEW_IMAGE}'), 'the placeholder is left out');
        assert.ok(notesOf(run).some((note) => note.includes('${PREVIEW_IMAGE}')), 'and a note says so');
        assert.ok(!run.stdout.includes('.Values.image'), 'the Helm template is left out');
        const output = generator.id === 'bootstrap-script' ? 'prepull.sh' : `${generator.id}.yaml`;
        project.write(`out/${output}`, run.stdout);
        if (output.endsWith('.yaml')) {
          for (const document of parseAllDocuments(run.stdout)) assert.deepEqual(document.errors, [], `${generator.id} writes valid YAML`);
          const check = await project.run(['check', `out/${output}`, '--fail-on', 'warning']);
          assert.equal(check.code, 0, `podstart check on the ${generator.id} output:\n${check.stdout}${check.stderr}`);
        } else assert.match(run.stdout, /^#!\/bin\/sh\n/);
      });
    }

    it('kubelet-config: reads no manifest, follows --kubernetes-version, else the nearest .podstart.yaml, and lints clean', async () => {
      project.write('.podstart.yaml', 'kubernetesVersion: "1.29"\n');
      const fromConfig = await project.run(['generate', 'kubelet-config']);
      assert.equal(fromConfig.code, 0, fromConfig.stderr);
      assert.match(fromConfig.stdout, /Kubernetes 1\.29/);
      const fromFlag = await project.run(['generate', 'kubelet-config', '--kubernetes-version', '1.33', '-o', 'kubelet-config.yaml']);
      assert.equal(fromFlag.code, 0, fromFlag.stderr);
      assert.match(project.read('kubelet-config.yaml'), /Kubernetes 1\.33/);
      assert.match(fromFlag.stderr, /wrote kubelet-config\.yaml/);
      const check = await project.run(['check', 'kubelet-config.yaml', '--kubernetes-version', '1.33', '--fail-on', 'warning']);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      const kind = await project.run(['generate', 'kubelet-config', '--format', 'kind']);
      assert.match(kind.stdout, /^kind: Cluster$/m);
    });

    it('paths select the manifests: one file gives only its images; a folder, the images under it', async () => {
      const generator = IMAGE_GENERATORS[0].id;
      const one = await project.run(['generate', generator, 'batch/nightly-report.yaml']);
      assert.equal(one.code, 0, one.stderr);
      assert.ok(one.stdout.includes('ghcr.io/acme/report:1.0.0'));
      assert.ok(!one.stdout.includes('grafana/grafana'));
      const folder = await project.run(['generate', generator, 'apps']);
      assert.ok(folder.stdout.includes('ghcr.io/acme/api:2.3.1') && folder.stdout.includes('cgr.dev/chainguard/nginx:latest'));
      assert.ok(!folder.stdout.includes('ghcr.io/acme/report'));
      const stdin = await project.run(['generate', generator, '-'], { stdin: readFileSync(project.path('batch/nightly-report.yaml'), 'utf8') });
      assert.equal(stdin.code, 0, stdin.stderr);
      assert.ok(stdin.stdout.includes('ghcr.io/acme/report:1.0.0') && stdin.stdout.includes('<stdin>:20'), 'standard input is named <stdin> in the source comments');
    });

    it('the ignore list of .podstart.yaml leaves files out, as podstart check does', async () => {
      project.write('.podstart.yaml', 'ignore:\n  - gpu/**\n');
      const run = await project.run(['generate', IMAGE_GENERATORS[0].id]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!run.stdout.includes('nvcr.io/nvidia/pytorch'));
      assert.ok(run.stdout.includes('grafana/grafana:11.1.0'));
    });

    it('options as flags: a choice, a string list (repeated or comma-separated), a number, a boolean', async () => {
      const volumes = await project.run(['generate', 'pre-puller', '--variant', 'image-volumes']);
      assert.equal(volumes.code, 0, volumes.stderr);
      assert.match(volumes.stdout, /^ +image:\n +reference: /m);
      const listed = await project.run(['generate', 'pre-puller', '--node-selector', 'pool=batch,zone=a', '--node-selector', 'tier=web', '--no-per-node-pool', '--namespace', 'prepull']);
      assert.equal(listed.code, 0, listed.stderr);
      for (const label of ['pool: batch', 'zone: a', 'tier: web']) assert.ok(listed.stdout.includes(label), label);
      assert.match(listed.stdout, /namespace: prepull$/m);
      const eks = await project.run(['generate', 'bootstrap-script', '--tool', 'ctr', '--target', 'eks', '--concurrency', '2']);
      assert.equal(eks.code, 0, eks.stderr);
      assert.match(eks.stdout, /ctr /);
    });

    it('nothing to generate from a folder without images: exit 2 with the reason', async () => {
      const empty = new TempProject({ 'README.md': 'no manifests here\n', 'config/app.yaml': 'greeting: hello\n' });
      try {
        const run = await empty.run(['generate', 'pre-puller']);
        assertUsageError(run, /podstart: error: Nothing to generate: none of the 1 file read names a container image/);
      } finally {
        empty.dispose();
      }
    });
  });

  describe('usage errors (exit 2, naming what is wrong)', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['an unknown generator', ['generate', 'helm-chart'], /Unknown generator "helm-chart": one of pre-puller, image-cache, bootstrap-script, kubelet-config, startup-probe/],
      ['an option the generator does not have', ['generate', 'image-cache', '--variant', 'image-volumes'], /Unknown option --variant for podstart generate image-cache/],
      ['a value that is not one of the choices', ['generate', 'pre-puller', '--variant', 'sidecar'], /--variant must be one of init-containers, image-volumes, not "sidecar"/],
      ['a number that is not one', ['generate', 'bootstrap-script', '--concurrency', 'many'], /--concurrency takes a number, not "many"/],
      ['a missing value', ['generate', 'pre-puller', '--namespace'], /--namespace needs a value/],
      ['a value for a boolean', ['generate', 'pre-puller', '--per-node-pool=yes'], /--per-node-pool takes no value/],
      ['--platform without --registry', ['generate', 'pre-puller', '--platform', 'linux/arm64'], /--platform only applies with --registry/],
      ['a bad Kubernetes release', ['generate', 'kubelet-config', '--kubernetes-version', 'latest'], /--kubernetes-version takes a release such as 1\.33/],
      ['startup-probe without a file', ['generate', 'startup-probe'], /takes one manifest/],
      ['startup-probe with --write and -o', ['generate', 'startup-probe', 'apps/api.yaml', '--write', '-o', 'x.yaml'], /give one of them/],
      ['a generator that rejects a value (a namespace that is not a DNS label)', ['generate', 'pre-puller', '--namespace', 'Pre_Pull'], /--namespace/],
      ['a path that does not exist', ['generate', 'pre-puller', 'no-such-folder'], /no-such-folder: cannot read: no such file or directory/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => assertUsageError(await project.run(args), message));
    }
  });

  describe('-o and --force', () => {
    it('writes the file stdout would have shown, and refuses to overwrite it without --force', async () => {
      const printed = await project.run(['generate', 'image-cache']);
      const written = await project.run(['generate', 'image-cache', '-o', 'cache.yaml']);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(written.stdout, '');
      assert.equal(project.read('cache.yaml'), printed.stdout);
      assert.deepEqual(notesOf(written), notesOf(printed));

      project.write('cache.yaml', 'keep me\n');
      const refused = await project.run(['generate', 'image-cache', '--output', 'cache.yaml']);
      assertUsageError(refused, /cache\.yaml exists; add --force to overwrite it/);
      assert.equal(project.read('cache.yaml'), 'keep me\n');

      const forced = await project.run(['generate', 'image-cache', '-o', 'cache.yaml', '--force', '--namespace', 'caches']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(project.read('cache.yaml'), /namespace: caches$/m);
    });
  });

  describe('startup-probe', () => {
    beforeEach(() => project.write('web.yaml', STARTUP_PROBE_MANIFEST.text));

    it('prints the manifest with a startupProbe made from the readinessProbe; --write writes it in place', async () => {
      const printed = await project.run(['generate', 'startup-probe', 'web.yaml', '--container', STARTUP_PROBE_MANIFEST.container]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(project.read('web.yaml'), STARTUP_PROBE_MANIFEST.text, 'the file is left alone');
      const added = printed.stdout.split('startupProbe:').length - 1;
      assert.equal(added, 1, 'one probe, in the container named');
      const web = printed.stdout.slice(printed.stdout.indexOf('- name: web'));
      assert.match(web, /startupProbe:\n +httpGet:\n +path: \/healthz\n +port: 3000/);
      const check = await project.run(['check', '-', '--stdin-filename', 'web.yaml', '--fail-on', 'warning'], { stdin: printed.stdout });
      assert.equal(check.code, 0, check.stdout);

      const written = await project.run(['generate', 'startup-probe', 'web.yaml', '--container', STARTUP_PROBE_MANIFEST.container, '--write']);
      assert.equal(written.code, 0, written.stderr);
      assert.equal(written.stdout, '');
      assert.equal(project.read('web.yaml'), printed.stdout);

      const again = await project.run(['generate', 'startup-probe', 'web.yaml', '--container', STARTUP_PROBE_MANIFEST.container]);
      assert.equal(again.code, 1, 'nothing left to add');
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /no startup probe added to web\.yaml/);
    });

    it('without --container, adds one to every container with a readinessProbe and none', async () => {
      const run = await project.run(['generate', 'startup-probe', 'web.yaml']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.split('startupProbe:').length - 1, 2);
    });
  });
});
