import assert from 'node:assert/strict';
import { CATALOG_DB, jsonReport, NIGHTLY_REPORT, onlyRules, ORDERS_API, TempProject } from './harness';

describe('podstart check --format json', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'deploy/orders-api.yaml': ORDERS_API, 'deploy/catalog-db.yaml': CATALOG_DB, 'jobs/nightly-report.yaml': NIGHTLY_REPORT });
  });
  afterEach(() => project.dispose());

  it('lists every file checked with its findings: 1-based positions, exclusive end column, fixability', async () => {
    const run = await project.run(['check', '--format', 'json', ...onlyRules('mutable-image-tag', 'pull-always-immutable-image', 'cpu-limit-throttles-startup')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const report = jsonReport(run);
    const { version } = require('../../package.json') as { version: string };
    assert.equal(report.version, 1);
    assert.deepEqual(report.tool, { name: 'podstart', version });
    assert.deepEqual(
      report.files.map((file) => file.path),
      ['deploy/catalog-db.yaml', 'deploy/orders-api.yaml', 'jobs/nightly-report.yaml'],
    );
    const withoutMessages = report.files.map((file) => ({ ...file, findings: file.findings.map(({ message, ...rest }) => rest) }));
    assert.deepEqual(withoutMessages, [
      {
        path: 'deploy/catalog-db.yaml',
        fixed: 0,
        findings: [
          { ruleId: 'pull-always-immutable-image', severity: 'warning', stage: 'image-pull', line: 21, column: 28, endLine: 21, endColumn: 34, fixable: true, object: { kind: 'StatefulSet', name: 'catalog-db' } },
          // Its fix changes the limit: offered in the editor, not applied by --fix.
          { ruleId: 'cpu-limit-throttles-startup', severity: 'warning', stage: 'container-start', line: 24, column: 20, endLine: 24, endColumn: 24, fixable: false, object: { kind: 'StatefulSet', name: 'catalog-db' } },
        ],
      },
      {
        path: 'deploy/orders-api.yaml',
        fixed: 0,
        findings: [
          { ruleId: 'mutable-image-tag', severity: 'warning', stage: 'image-pull', line: 16, column: 18, endLine: 16, endColumn: 48, fixable: false, object: { kind: 'Deployment', name: 'orders-api' } },
          { ruleId: 'pull-always-immutable-image', severity: 'warning', stage: 'image-pull', line: 19, column: 28, endLine: 19, endColumn: 34, fixable: true, object: { kind: 'Deployment', name: 'orders-api' } },
        ],
      },
      { path: 'jobs/nightly-report.yaml', fixed: 0, findings: [] },
    ]);
    assert.match(report.files[1].findings[0].message, /^Container `api` uses the mutable tag `ghcr\.io\/acme\/orders-api:latest`/);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.warnings, []);
    assert.deepEqual(report.summary, {
      files: 3,
      filesWithFindings: 2,
      findings: 4,
      bySeverity: { error: 0, warning: 4, info: 0, hint: 0 },
      fixable: 2,
      fixed: 0,
      failOn: 'warning',
      exitCode: 1,
    });
  });

  it('reports findings about the file itself with a null stage', async () => {
    project.write('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [a\n');
    const run = await project.run(['check', 'broken.yaml', '--format', 'json']);
    const [finding] = jsonReport(run).files[0].findings;
    assert.equal(finding.ruleId, 'invalid-yaml');
    assert.equal(finding.severity, 'error');
    assert.equal(finding.stage, null);
    assert.equal(finding.object, null);
    assert.equal(run.code, 1);
  });

  it('--max-file-size skips the analysis of larger files with one notice', async () => {
    const run = await project.run(['check', 'deploy/orders-api.yaml', '--format', 'json', '--max-file-size', '100']);
    const findings = jsonReport(run).files[0].findings;
    assert.deepEqual(findings.map((finding) => `${finding.line}:${finding.column} ${finding.ruleId} ${finding.severity}`), ['1:1 file-too-large info']);
    assert.equal(run.code, 0);
  });

  it('--kubernetes-version changes the advice that depends on the release', async () => {
    const args = ['check', 'deploy/catalog-db.yaml', '--format', 'json', ...onlyRules('recursive-volume-ownership-change')];
    const current = jsonReport(await project.run(args));
    assert.deepEqual(current.files[0].findings.map((finding) => `${finding.line}:${finding.column} ${finding.ruleId}`), ['17:9 recursive-volume-ownership-change']);
    // fsGroupChangePolicy is GA from 1.23: before it, there is nothing to advise.
    const old = jsonReport(await project.run([...args, '--kubernetes-version', '1.22']));
    assert.deepEqual(old.files[0].findings, []);
  });
});
