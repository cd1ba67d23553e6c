import assert from 'node:assert/strict';
import { findingSummary, jsonReport, onlyRules, ORDERS_API, TempProject } from './harness';

const IMAGE_RULES = onlyRules('mutable-image-tag', 'pull-always-immutable-image');

describe('podstart check -: standard input', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'team/.podstart.yaml': 'rules:\n  mutable-image-tag: error\nignore:\n  - rendered/\n', 'apps/orders-api.yaml': ORDERS_API });
  });
  afterEach(() => project.dispose());

  it('checks standard input, shown as <stdin>', async () => {
    const run = await project.run(['check', '-', ...IMAGE_RULES], { stdin: ORDERS_API });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^<stdin>\n {2}<stdin>:16:18 {2}warning {2}Image pull/);
  });

  it('checks standard input beside files', async () => {
    const report = jsonReport(await project.run(['check', 'apps', '-', '--format', 'json', ...IMAGE_RULES], { stdin: ORDERS_API.replace(':latest', ':1.4.2') }));
    assert.deepEqual(findingSummary(report), [
      'apps/orders-api.yaml 16:18 mutable-image-tag warning',
      'apps/orders-api.yaml 19:28 pull-always-immutable-image warning',
      '<stdin> 19:28 pull-always-immutable-image warning',
    ]);
  });

  it('--stdin-filename names it, for display and for the configuration that applies', async () => {
    const run = await project.run(['check', '-', '--stdin-filename', 'team/deploy.yaml', '--format', 'json', ...IMAGE_RULES], { stdin: ORDERS_API });
    assert.deepEqual(findingSummary(jsonReport(run)), ['team/deploy.yaml 16:18 mutable-image-tag error', 'team/deploy.yaml 19:28 pull-always-immutable-image warning']);
  });

  it('--stdin-filename in an ignored folder: not checked, with a warning', async () => {
    const run = await project.run(['check', '-', '--stdin-filename', 'team/rendered/all.yaml', ...IMAGE_RULES], { stdin: ORDERS_API });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, 'No findings in 0 files.\n');
    assert.equal(run.stderr, 'team/rendered/all.yaml: warning: Ignored by the ignore list of team/.podstart.yaml; not checked.\n');
  });

  it('reports a template on standard input with one notice', async () => {
    const run = await project.run(['check', '-', '--format', 'json'], { stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n' });
    assert.deepEqual(findingSummary(jsonReport(run)), ['<stdin> 1:1 template-file info']);
  });

  it('refuses --fix and a --stdin-filename without `-`', async () => {
    const fix = await project.run(['check', '-', '--fix'], { stdin: ORDERS_API });
    assert.equal(fix.code, 2);
    assert.match(fix.stderr, /^podstart: --fix writes fixes into the files checked; it cannot fix standard input\./);
    const name = await project.run(['check', 'apps', '--stdin-filename', 'x.yaml']);
    assert.equal(name.code, 2);
    assert.match(name.stderr, /^podstart: --stdin-filename names standard input: give `-` among the paths\./);
  });
});
