import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CATALOG_DB, CLI, NIGHTLY_REPORT, onlyRules, ORDERS_API, TempProject } from './harness';

const ESCAPE = '\u001b[';

/** `script` gives the CLI a terminal for stdout; available on Linux (util-linux). */
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

/** A finding line with its message (long, and the rule's to word) replaced by <message>. */
function withoutMessage(line: string): string {
  // location, severity and stage are padded columns; the stage has single spaces, and two or more end it.
  const match = /^(  \S+ +\S+ +.+? {2,})\S.*(  \[[a-z-]+\])$/.exec(line);
  return match ? `${match[1]}<message>${match[2]}` : line;
}

describe('podstart check: text format', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'deploy/orders-api.yaml': ORDERS_API, 'deploy/catalog-db.yaml': CATALOG_DB, 'jobs/nightly-report.yml': NIGHTLY_REPORT });
  });
  afterEach(() => project.dispose());

  it('groups findings by file, one `path:line:col  severity  stage  message  [rule-id]` line each, then a summary', async () => {
    const run = await project.run(['check', ...onlyRules('mutable-image-tag', 'pull-always-immutable-image', 'recursive-volume-ownership-change')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.deepEqual(
      lines.map(withoutMessage),
      [
        'deploy/catalog-db.yaml',
        '  deploy/catalog-db.yaml:17:9   warning  Volumes, Secrets and ConfigMaps  <message>  [recursive-volume-ownership-change]',
        '  deploy/catalog-db.yaml:21:28  warning  Image pull                       <message>  [pull-always-immutable-image]',
        '',
        'deploy/orders-api.yaml',
        '  deploy/orders-api.yaml:16:18  warning  Image pull  <message>  [mutable-image-tag]',
        '  deploy/orders-api.yaml:19:28  warning  Image pull  <message>  [pull-always-immutable-image]',
        '',
        '4 findings (4 warnings) in 2 of 3 files, 3 fixable with --fix.',
        '',
      ],
    );
    assert.match(lines[5], /Container `api` uses the mutable tag `ghcr.io\/acme\/orders-api:latest`/);
  });

  it('summarises a clean run', async () => {
    const run = await project.run(['check', 'jobs', ...onlyRules('mutable-image-tag')]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'No findings in 1 file.\n');
  });

  it('counts each severity in the summary', async () => {
    const run = await project.run(['check', 'deploy/orders-api.yaml', ...onlyRules('mutable-image-tag', 'pull-always-immutable-image'), '--rule', 'mutable-image-tag=error', '--rule', 'pull-always-immutable-image=info']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /\n2 findings \(1 error, 1 info\) in 1 of 1 file, 1 fixable with --fix\.\n$/);
    assert.match(run.stdout, /orders-api\.yaml:16:18  error  Image pull/);
    assert.match(run.stdout, /orders-api\.yaml:19:28  info   Image pull/);
  });

  it('uses no colour when stdout is not a terminal', async () => {
    const run = await project.run(['check']);
    assert.equal(run.code, 1);
    assert.ok(!run.stdout.includes(ESCAPE), run.stdout);
    assert.ok(!run.stderr.includes(ESCAPE));
  });

  (hasScript ? describe : describe.skip)('on a terminal', () => {
    /** Runs the CLI under `script`, which gives it a pseudo-terminal; returns what it printed. */
    function runOnTerminal(args: string[], env: Record<string, string | undefined> = {}): string {
      const command = [process.execPath, CLI, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: project.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, ...env } });
      return result.stdout;
    }

    it('colours severities and the file name', () => {
      const output = runOnTerminal(['check', 'deploy/orders-api.yaml']);
      assert.ok(output.includes(`${ESCAPE}33mwarning${ESCAPE}39m`), output);
      assert.ok(output.includes(`${ESCAPE}4mdeploy/orders-api.yaml${ESCAPE}24m`), output);
    });

    it('uses no colour with NO_COLOR set', () => {
      const output = runOnTerminal(['check', 'deploy/orders-api.yaml'], { NO_COLOR: '1' });
      assert.match(output, /orders-api\.yaml:16:18/);
      assert.ok(!output.includes(ESCAPE), output);
    });

    it('uses no colour with --no-color', () => {
      const output = runOnTerminal(['check', 'deploy/orders-api.yaml', '--no-color']);
      assert.match(output, /orders-api\.yaml:16:18/);
      assert.ok(!output.includes(ESCAPE), output);
    });
  });

  it('--quiet reports only the findings that fail the run', async () => {
    const args = ['check', 'deploy/orders-api.yaml', ...onlyRules('mutable-image-tag', 'pull-always-immutable-image'), '--rule', 'pull-always-immutable-image=info', '--quiet'];
    const quiet = await project.run(args);
    assert.equal(quiet.code, 1);
    assert.match(quiet.stdout, /orders-api\.yaml:16:18  warning/);
    assert.doesNotMatch(quiet.stdout, /pull-always-immutable-image/);
    // With --fail-on never nothing fails the run: --quiet keeps the errors only.
    const never = await project.run([...args, '--fail-on', 'never']);
    assert.equal(never.code, 0);
    assert.equal(never.stdout, 'No findings in 1 file.\n');
  });
});
