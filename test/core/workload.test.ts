import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { findWorkloads, type Workload } from '../../core/workload';
import { getString } from '../../core/yaml-nodes';

function workloadsOf(text: string): Workload[] {
  const doc = parseDocument(text);
  assert.deepEqual(doc.errors, []);
  return findWorkloads(doc);
}

/** The same two-container pod spec, indented to sit under `path` in each kind. */
function podSpec(indent: number): string {
  const pad = ' '.repeat(indent);
  return [
    'containers:',
    '  - name: api',
    '    image: ghcr.io/acme/api:1.8.0',
    '  - name: metrics',
    '    image: ghcr.io/acme/metrics-proxy:0.4.2',
  ].map((line) => pad + line).join('\n') + '\n';
}

const podTemplate = (indent: number) => {
  const pad = ' '.repeat(indent);
  return `${pad}template:\n${pad}  metadata:\n${pad}    labels:\n${pad}      app: api\n${pad}  spec:\n${podSpec(indent + 4)}`;
};

const KINDS: Array<{ kind: string; apiVersion: string; body: string }> = [
  { kind: 'Pod', apiVersion: 'v1', body: `spec:\n${podSpec(2)}` },
  { kind: 'PodTemplate', apiVersion: 'v1', body: podTemplate(0) },
  { kind: 'ReplicationController', apiVersion: 'v1', body: `spec:\n  replicas: 2\n${podTemplate(2)}` },
  { kind: 'Deployment', apiVersion: 'apps/v1', body: `spec:\n  replicas: 2\n${podTemplate(2)}` },
  { kind: 'Deployment', apiVersion: 'extensions/v1beta1', body: `spec:\n${podTemplate(2)}` },
  { kind: 'ReplicaSet', apiVersion: 'apps/v1', body: `spec:\n${podTemplate(2)}` },
  { kind: 'DaemonSet', apiVersion: 'apps/v1', body: `spec:\n${podTemplate(2)}` },
  { kind: 'StatefulSet', apiVersion: 'apps/v1', body: `spec:\n  serviceName: api\n${podTemplate(2)}` },
  { kind: 'Job', apiVersion: 'batch/v1', body: `spec:\n  backoffLimit: 2\n${podTemplate(2)}` },
  { kind: 'CronJob', apiVersion: 'batch/v1', body: `spec:\n  schedule: "*/5 * * * *"\n  jobTemplate:\n    spec:\n${podTemplate(6)}` },
  { kind: 'CronJob', apiVersion: 'batch/v1beta1', body: `spec:\n  schedule: "@hourly"\n  jobTemplate:\n    spec:\n${podTemplate(6)}` },
];

describe('core/workload', () => {
  describe('finds the pod spec of every workload kind', () => {
    for (const { kind, apiVersion, body } of KINDS) {
      it(`${apiVersion} ${kind}`, () => {
        const [workload, ...rest] = workloadsOf(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: api\n  namespace: shop\n${body}`);
        assert.deepEqual(rest, []);
        assert.ok(workload, `no workload found in ${kind}`);
        assert.equal(workload.kind, kind);
        assert.equal(workload.name, 'api');
        assert.equal(workload.namespace, 'shop');
        assert.deepEqual(workload.containers.map((container) => [container.kind, container.name, getString(workload.doc, container.node, 'image')]), [
          ['container', 'api', 'ghcr.io/acme/api:1.8.0'],
          ['container', 'metrics', 'ghcr.io/acme/metrics-proxy:0.4.2'],
        ]);
        assert.equal(String(workload.podSpecKey.toString()), 'spec');
        assert.equal(workload.podTemplateMetadata !== undefined, kind !== 'Pod', 'pod template metadata');
        assert.equal(workload.runsToCompletion, kind === 'Job' || kind === 'CronJob');
      });
    }
  });

  it('reads every workload of a v1 List and nothing else in it', () => {
    const workloads = workloadsOf(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: api
    spec:
      ports: [{ port: 80 }]
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
${podTemplate(6)}  - apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
    spec:
${podTemplate(6)}`);
    assert.deepEqual(workloads.map((workload) => `${workload.kind}/${workload.name}`), ['Deployment/api', 'Job/migrate']);
  });

  it('ignores kinds of other API groups that share a workload name', () => {
    const others = [
      `apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata:\n  name: tf\nspec:\n  tasks:\n    - name: ps\n      template:\n        spec:\n${podSpec(10)}`,
      `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n${podTemplate(2)}`,
      `apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: api\nspec:\n${podTemplate(2)}`,
      `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\nspec:\n${podTemplate(2)}`,
      `apiVersion: kubeflow.org/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n${podTemplate(2)}`,
      `apiVersion: example.com/v1\nkind: List\nitems:\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: api\n    spec:\n${podTemplate(6)}`,
    ];
    for (const text of others) assert.deepEqual(workloadsOf(text).map((workload) => workload.kind), [], text.split('\n')[0]);
  });

  it('needs both kind and apiVersion, and a pod spec that is a map', () => {
    assert.deepEqual(workloadsOf(`kind: Deployment\nmetadata:\n  name: api\nspec:\n${podTemplate(2)}`), []);
    assert.deepEqual(workloadsOf('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template: {}\n'), []);
    assert.deepEqual(workloadsOf('apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec: null\n'), []);
  });

  it('lists init containers, native sidecars, containers and ephemeral containers in start order', () => {
    const [pod] = workloadsOf(`apiVersion: v1
kind: Pod
metadata:
  generateName: api-
spec:
  initContainers:
    - name: migrate
      image: ghcr.io/acme/migrate:1.8.0
    - name: proxy
      image: ghcr.io/acme/proxy:2.0.1
      restartPolicy: Always
  containers:
    - name: api
      image: ghcr.io/acme/api:1.8.0
    - image: ghcr.io/acme/logger:0.9.0
  ephemeralContainers:
    - name: debugger
      image: busybox:1.36.1
`);
    assert.equal(pod.name, 'api-', 'generateName names an object without a name');
    assert.deepEqual(pod.containers.map((container) => [container.kind, container.name, container.index]), [
      ['initContainer', 'migrate', 0],
      ['sidecar', 'proxy', 1],
      ['container', 'api', 0],
      ['container', '#2', 1],
      ['ephemeralContainer', 'debugger', 0],
    ]);
  });

  it('marks containers without an image as partial (kustomize patches), and anchors findings on their name', () => {
    const [deployment] = workloadsOf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller-manager
spec:
  template:
    spec:
      containers:
      - name: manager
        args: ["--leader-elect"]
`);
    const [manager] = deployment.containers;
    assert.equal(manager.partial, true);
    assert.equal(String(manager.anchor), 'name');
  });

  it('knows which Pods run to completion', () => {
    const pod = (policy: string) => workloadsOf(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: ${policy}\n${podSpec(2)}`)[0];
    assert.equal(pod('Never').runsToCompletion, true);
    assert.equal(pod('OnFailure').runsToCompletion, true);
    assert.equal(pod('Always').runsToCompletion, false);
  });

  it('follows aliases to a shared container list', () => {
    const [job] = workloadsOf(`apiVersion: batch/v1
kind: Job
metadata:
  name: reindex
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers: &steps
        - name: step
          image: ghcr.io/acme/indexer:3.1.0
      containers: *steps
`);
    assert.deepEqual(job.containers.map((container) => `${container.kind}:${container.name}`), ['initContainer:step', 'container:step']);
  });
});
