import assert from 'node:assert/strict';
import { findingSummary, jsonReport, NIGHTLY_REPORT, onlyRules, ORDERS_API, TempProject } from './harness';

const IMAGE_RULES = onlyRules('mutable-image-tag', 'pull-always-immutable-image');

describe('podstart check: .podstart.yaml', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      '.podstart.yaml': 'rules:\n  mutable-image-tag: error\nignore:\n  - generated/\n',
      'apps/orders-api.yaml': ORDERS_API,
      'generated/orders-api.yaml': ORDERS_API,
      'legacy/orders-api.yaml': ORDERS_API,
      'legacy/.podstart.yaml': 'rules:\n  pull-always-immutable-image: off\n',
    });
  });
  afterEach(() => project.dispose());

  it('applies the nearest configuration to each file, and skips the ignored folders', async () => {
    const run = await project.run(['check', '--format', 'json', ...IMAGE_RULES]);
    const report = jsonReport(run);
    assert.deepEqual(findingSummary(report), [
      'apps/orders-api.yaml 16:18 mutable-image-tag error',
      'apps/orders-api.yaml 19:28 pull-always-immutable-image warning',
      // legacy/ has its own configuration: the root's severity does not apply there, its own `off` does.
      'legacy/orders-api.yaml 16:18 mutable-image-tag warning',
    ]);
    assert.deepEqual(report.warnings, []);
    assert.equal(run.code, 1);
  });

  it('the command line overrides the configuration', async () => {
    const report = jsonReport(await project.run(['check', 'apps', '--format', 'json', ...IMAGE_RULES, '--rule', 'mutable-image-tag=info']));
    assert.deepEqual(findingSummary(report), ['apps/orders-api.yaml 16:18 mutable-image-tag info', 'apps/orders-api.yaml 19:28 pull-always-immutable-image warning']);
  });

  it('a configuration severity decides the exit code', async () => {
    // The root configuration makes mutable-image-tag an error; legacy/ keeps it a warning.
    assert.equal((await project.run(['check', 'apps', ...IMAGE_RULES, '--fail-on', 'error'])).code, 1);
    assert.equal((await project.run(['check', 'legacy', ...IMAGE_RULES, '--fail-on', 'error'])).code, 0);
  });

  it('does not check an ignored file named on the command line, and says so', async () => {
    const run = await project.run(['check', 'generated/orders-api.yaml', 'apps/orders-api.yaml', '--format', 'json']);
    const report = jsonReport(run);
    assert.deepEqual(report.files.map((file) => file.path), ['apps/orders-api.yaml']);
    assert.deepEqual(report.warnings, [{ path: 'generated/orders-api.yaml', message: 'Ignored by the ignore list of .podstart.yaml; not checked.' }]);
    assert.equal(run.stderr, 'generated/orders-api.yaml: warning: Ignored by the ignore list of .podstart.yaml; not checked.\n');
    assert.equal(run.code, 1);
  });

  it('--config applies one configuration to every file, instead of the nearest', async () => {
    project.write('ci/podstart.yaml', 'rules:\n  pull-always-immutable-image: error\n');
    const explicit = await project.run(['check', 'apps', 'legacy', 'generated', '--config', 'ci/podstart.yaml', '--format', 'json', ...IMAGE_RULES]);
    assert.deepEqual(findingSummary(jsonReport(explicit)), [
      'apps/orders-api.yaml 16:18 mutable-image-tag warning',
      'apps/orders-api.yaml 19:28 pull-always-immutable-image error',
      'legacy/orders-api.yaml 16:18 mutable-image-tag warning',
      'legacy/orders-api.yaml 19:28 pull-always-immutable-image error',
      'generated/orders-api.yaml 16:18 mutable-image-tag warning',
      'generated/orders-api.yaml 19:28 pull-always-immutable-image error',
    ]);
  });

  it('--config with a file that cannot be read exits 2 without checking anything', async () => {
    const run = await project.run(['check', 'apps', '--config', 'missing.yaml']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, 'No findings in 0 files.\n');
    assert.equal(run.stderr, 'missing.yaml: error: Cannot read the configuration given with --config: no such file or directory.\n');
  });

  it('reports each mistake in a configuration once, as file:line:col, checks the files anyway, and exits 2', async () => {
    project.write('.podstart.yaml', 'rules:\n  mutable-image-tag: loud\n  no-such-rule: error\n  pull-always-immutable-image: info\n');
    project.write('apps/nightly-report.yaml', NIGHTLY_REPORT);
    const run = await project.run(['check', 'apps', '--format', 'json', ...IMAGE_RULES]);
    assert.equal(run.code, 2);
    const report = jsonReport(run);
    // The valid parts still apply: pull-always-immutable-image is info; the bad severity falls back to the default.
    assert.deepEqual(findingSummary(report), ['apps/orders-api.yaml 16:18 mutable-image-tag warning', 'apps/orders-api.yaml 19:28 pull-always-immutable-image info']);
    assert.deepEqual(
      report.errors.map(({ kind, path, line, column }) => ({ kind, path, line, column })),
      [
        { kind: 'config', path: '.podstart.yaml', line: 2, column: 22 },
        { kind: 'config', path: '.podstart.yaml', line: 3, column: 3 },
      ],
    );
    const stderr = run.stderr.split('\n');
    assert.equal(stderr.length, 3);
    assert.match(stderr[0], /^\.podstart\.yaml:2:22: error: .*mutable-image-tag.*"loud"/);
    assert.match(stderr[1], /^\.podstart\.yaml:3:3: error: .*no-such-rule/);
  });
});
