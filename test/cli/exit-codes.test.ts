import assert from 'node:assert/strict';
import { chmodSync, symlinkSync } from 'node:fs';
import { canDropPrivileges, findingSummary, jsonReport, NIGHTLY_REPORT, onlyRules, ORDERS_API, TempProject } from './harness';

const IMAGE_RULES = onlyRules('mutable-image-tag', 'pull-always-immutable-image');

describe('podstart check: exit codes', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'orders-api.yaml': ORDERS_API, 'nightly-report.yaml': NIGHTLY_REPORT });
  });
  afterEach(() => project.dispose());

  it('exits 0 when no finding reaches --fail-on', async () => {
    assert.equal((await project.run(['check', 'nightly-report.yaml', ...IMAGE_RULES])).code, 0);
    // orders-api has warnings only: they do not reach error.
    assert.equal((await project.run(['check', ...IMAGE_RULES, '--fail-on', 'error'])).code, 0);
    assert.equal((await project.run(['check', ...IMAGE_RULES, '--fail-on', 'never'])).code, 0);
  });

  it('exits 1 when a finding reaches --fail-on (default warning)', async () => {
    assert.equal((await project.run(['check', ...IMAGE_RULES])).code, 1);
    assert.equal((await project.run(['check', ...IMAGE_RULES, '--fail-on', 'hint'])).code, 1);
  });

  it('--rule changes a severity, and --fail-on follows it', async () => {
    const raised = await project.run(['check', ...IMAGE_RULES, '--rule', 'mutable-image-tag=error', '--fail-on', 'error', '--format', 'json']);
    assert.equal(raised.code, 1);
    assert.deepEqual(findingSummary(jsonReport(raised)), ['orders-api.yaml 16:18 mutable-image-tag error', 'orders-api.yaml 19:28 pull-always-immutable-image warning']);
    const lowered = await project.run(['check', ...IMAGE_RULES, '--rule', 'mutable-image-tag=info', '--rule', 'pull-always-immutable-image=hint']);
    assert.equal(lowered.code, 0);
    const off = await project.run(['check', ...IMAGE_RULES, '--rule', 'mutable-image-tag=off', '--format', 'json']);
    assert.deepEqual(findingSummary(jsonReport(off)), ['orders-api.yaml 19:28 pull-always-immutable-image warning']);
  });

  it('exits 2 for a missing path, after checking every other file', async () => {
    const run = await project.run(['check', 'missing.yaml', 'orders-api.yaml', 'nightly-report.yaml/inside.yaml', ...IMAGE_RULES]);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /^orders-api\.yaml\n {2}orders-api\.yaml:16:18 {2}warning/);
    assert.match(run.stdout, /2 findings \(2 warnings\) in 1 of 1 file/);
    assert.equal(run.stderr, 'missing.yaml: error: Cannot read: no such file or directory.\nnightly-report.yaml/inside.yaml: error: Cannot read: a part of the path is not a folder.\n');
  });

  it('exits 2 for an unreadable file or folder, after checking the others', async function () {
    if (!canDropPrivileges) this.skip();
    project.write('locked/storefront.yaml', ORDERS_API);
    chmodSync(project.path('nightly-report.yaml'), 0o000);
    chmodSync(project.path('locked'), 0o000);
    const run = await project.run(['check', ...IMAGE_RULES, '--format', 'json'], { unprivileged: true }).finally(() => chmodSync(project.path('locked'), 0o755));
    assert.equal(run.code, 2, run.stderr);
    const report = jsonReport(run);
    assert.deepEqual(report.files.map((file) => file.path), ['orders-api.yaml']);
    assert.deepEqual(findingSummary(report), ['orders-api.yaml 16:18 mutable-image-tag warning', 'orders-api.yaml 19:28 pull-always-immutable-image warning']);
    assert.deepEqual(report.errors, [
      { kind: 'io', path: 'locked', message: 'Cannot read the folder: permission denied.' },
      { kind: 'io', path: 'nightly-report.yaml', message: 'Cannot read: permission denied.' },
    ]);
    assert.equal(run.stderr, 'locked: error: Cannot read the folder: permission denied.\nnightly-report.yaml: error: Cannot read: permission denied.\n');
  });

  it('exits 2 for a path that is neither a file nor a folder', async function () {
    if (process.platform === 'win32') this.skip();
    symlinkSync('/dev/null', project.path('device.yaml'));
    const run = await project.run(['check', 'device.yaml', 'orders-api.yaml', ...IMAGE_RULES]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'device.yaml: error: Neither a file nor a folder.\n');
    assert.match(run.stdout, /orders-api\.yaml:16:18/);
  });

  for (const [args, message] of [
    [['check', '--format', 'xml'], '--format must be one of text, json, sarif, not "xml".'],
    [['check', '--fail-on', 'critical'], '--fail-on must be one of error, warning, info, hint, never, not "critical".'],
    [['check', '--rule', 'no-such-rule=error'], '--rule: unknown rule "no-such-rule". Run `podstart rules` for the list of rule ids.'],
    [['check', '--rule', 'mutable-image-tag=loud'], '--rule: the severity of mutable-image-tag must be one of error, warning, info, hint, off, not "loud".'],
    [['check', '--rule', 'mutable-image-tag'], '--rule takes id=severity (for example --rule mutable-image-tag=error), not "mutable-image-tag".'],
    [['check', '--kubernetes-version', 'latest'], '--kubernetes-version takes a release such as 1.33, not "latest".'],
    [['check', '--max-file-size', '5MB'], '--max-file-size takes a whole number of bytes (for example 5242880), not "5MB".'],
    [['check', '--format'], '--format needs a value.'],
    [['check', '--colour'], 'Unknown option --colour.'],
    [['check', '--fix=yes'], '--fix takes no value.'],
    [['lint'], 'Unknown command "lint": use `podstart check [paths...]`, `podstart generate`, `podstart timings`, `podstart capture` or `podstart rules`.'],
    [[], 'Missing command: use `podstart check [paths...]` or `podstart rules`.'],
  ] as const) {
    it(`exits 2 on a usage error: podstart ${args.join(' ')}`, async () => {
      const run = await project.run([...args]);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `podstart: ${message}\nRun \`podstart --help\` for usage.\n`);
    });
  }
});

describe('podstart: help and version', () => {
  let project: TempProject;
  before(() => (project = new TempProject()));
  after(() => project.dispose());

  it('--version prints the package version', async () => {
    const { version } = require('../../package.json') as { version: string };
    const run = await project.run(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
  });

  it('--help and check --help print usage and exit 0', async () => {
    const main = await project.run(['--help']);
    assert.equal(main.code, 0);
    assert.match(main.stdout, /podstart check \[paths\.\.\.\] \[options\]/);
    const check = await project.run(['check', '-h']);
    assert.equal(check.code, 0);
    for (const option of ['--format', '--fail-on', '--fix', '--config', '--kubernetes-version', '--rule', '--max-file-size', '--stdin-filename', '--quiet', '--no-color']) {
      assert.ok(check.stdout.includes(option), `check --help lacks ${option}`);
    }
  });
});
