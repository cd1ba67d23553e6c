import assert from 'node:assert/strict';
import { CATALOG_DB, CATALOG_DB_FIXED, findingSummary, jsonReport, NIGHTLY_REPORT, onlyRules, ORDERS_API, TempProject } from './harness';

const FIX_RULES = onlyRules('recursive-volume-ownership-change', 'pull-always-immutable-image', 'cpu-limit-throttles-startup', 'mutable-image-tag');

describe('podstart check --fix', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'catalog-db.yaml': CATALOG_DB, 'nightly-report.yaml': NIGHTLY_REPORT });
  });
  afterEach(() => project.dispose());

  it('writes the safe fixes in place, keeping comments and indentation, and leaves the others', async () => {
    const run = await project.run(['check', '--fix', ...FIX_RULES]);
    assert.equal(project.read('catalog-db.yaml'), CATALOG_DB_FIXED);
    assert.equal(project.read('nightly-report.yaml'), NIGHTLY_REPORT);
    // What remains: the CPU limit, whose fix changes resources and needs a person's review.
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^catalog-db\.yaml\n {2}catalog-db\.yaml:25:20 {2}warning {2}Container start {2}Container `postgres` has a CPU limit of 200m/);
    assert.match(run.stdout, /\n1 finding \(1 warning\) in 1 of 2 files; --fix fixed 2 findings\.\n$/);
  });

  it('reports what it fixed and what remains in JSON', async () => {
    const report = jsonReport(await project.run(['check', '--fix', '--format', 'json', ...FIX_RULES]));
    assert.deepEqual(findingSummary(report), ['catalog-db.yaml 25:20 cpu-limit-throttles-startup warning']);
    assert.deepEqual(report.files.map((file) => [file.path, file.fixed]), [['catalog-db.yaml', 2], ['nightly-report.yaml', 0]]);
    assert.equal(report.summary.fixed, 2);
    assert.equal(report.summary.fixable, 0);
  });

  it('exits 0 when the fixes leave nothing that reaches --fail-on', async () => {
    project.write('orders-api.yaml', ORDERS_API);
    const run = await project.run(['check', 'orders-api.yaml', '--fix', ...onlyRules('pull-always-immutable-image')]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'No findings in 1 file; --fix fixed 1 finding.\n');
    assert.equal(project.read('orders-api.yaml'), ORDERS_API.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
  });

  it('keeps CRLF line endings', async () => {
    project.write('catalog-db.yaml', CATALOG_DB.replace(/\n/g, '\r\n'));
    await project.run(['check', 'catalog-db.yaml', '--fix', ...FIX_RULES]);
    assert.equal(project.read('catalog-db.yaml'), CATALOG_DB_FIXED.replace(/\n/g, '\r\n'));
  });

  it('does not touch a file without safe fixes', async () => {
    project.write('orders-api.yaml', ORDERS_API);
    const run = await project.run(['check', 'orders-api.yaml', '--fix', ...onlyRules('mutable-image-tag')]);
    assert.equal(run.code, 1);
    assert.equal(project.read('orders-api.yaml'), ORDERS_API);
  });

  it('without --fix, writes nothing', async () => {
    await project.run(['check', ...FIX_RULES]);
    assert.equal(project.read('catalog-db.yaml'), CATALOG_DB);
  });
});
