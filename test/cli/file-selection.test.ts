import assert from 'node:assert/strict';
import { jsonReport, onlyRules, ORDERS_API, TempProject } from './harness';

describe('podstart check: which files', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'deploy/api.yaml': ORDERS_API,
      'deploy/worker.yml': ORDERS_API,
      'deploy/base/KUSTOMIZED.YAML': ORDERS_API,
      'deploy/notes.md': ORDERS_API,
      'deploy/values.json': '{"kind": "Values"}',
      'nodes/kubelet-config.json': '{"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration"}',
      'node_modules/chart/pod.yaml': ORDERS_API,
      '.git/objects/pod.yaml': ORDERS_API,
      '.podstart.yaml': 'rules: {}\n',
      'top.yaml': ORDERS_API,
    });
  });
  afterEach(() => project.dispose());

  const pathsChecked = async (args: string[]) => jsonReport(await project.run(['check', ...args, '--format', 'json', ...onlyRules('mutable-image-tag')])).files.map((file) => file.path);

  it('searches folders recursively for *.yaml, *.yml and Kubernetes JSON, sorted, skipping node_modules, .git and the configuration', async () => {
    const expected = ['deploy/api.yaml', 'deploy/base/KUSTOMIZED.YAML', 'deploy/worker.yml', 'nodes/kubelet-config.json', 'top.yaml'];
    assert.deepEqual(await pathsChecked([]), expected);
    assert.deepEqual(await pathsChecked(['.']), expected);
  });

  it('checks a file named on the command line whatever its name, each file once, in the order given', async () => {
    assert.deepEqual(await pathsChecked(['top.yaml', 'deploy/notes.md', 'deploy', 'top.yaml']), ['top.yaml', 'deploy/notes.md', 'deploy/api.yaml', 'deploy/base/KUSTOMIZED.YAML', 'deploy/worker.yml']);
  });

  it('warns about a folder without manifests, and exits 0', async () => {
    project.write('empty/readme.txt', 'nothing here');
    const run = await project.run(['check', 'empty']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, 'empty: warning: No *.yaml, *.yml, Kubernetes *.json or Dockerfile files in this folder.\n');
  });

  it('shows files outside the working folder by their absolute path', async () => {
    const outside = new TempProject({ 'pod.yaml': ORDERS_API });
    try {
      const files = jsonReport(await project.run(['check', outside.path('pod.yaml'), '--format', 'json'])).files;
      assert.deepEqual(files.map((file) => file.path), [outside.path('pod.yaml')]);
    } finally {
      outside.dispose();
    }
  });
});
