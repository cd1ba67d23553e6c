import { runRuleTests } from './harness';

/** The storefront of a shop: one app container behind a readiness probe, its image as given. */
const storefront = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: storefront
  template:
    metadata:
      labels:
        app: storefront
    spec:
      containers:
        - name: web
          image: ${image}
${extra}          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
`;

/** Digests a registry would answer with (the storefront's is its multi-platform index's). */
const STOREFRONT_INDEX_DIGEST = 'sha256:7b4ce0a1c6f1d8e2b9a3f5d7c0e4b6a8d2f1e3c5b7a9d0c2e4f6a8b1c3d5e7f9';
const NGINX_DIGEST = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

runRuleTests('mutable-image-tag', {
  valid: [
    { name: 'a full version tag', text: storefront('ghcr.io/acme/storefront:2.14.0') },
    { name: 'a digest', text: storefront('ghcr.io/acme/storefront@sha256:5d0da3dc976f1a1e11d4d2b1f9b4c0ea0e6ac6f4e2ae8e35c4a6d9c1b3b0f8a2') },
    {
      name: 'a digest pins the image even behind :latest',
      text: storefront('ghcr.io/acme/storefront:latest@sha256:5d0da3dc976f1a1e11d4d2b1f9b4c0ea0e6ac6f4e2ae8e35c4a6d9c1b3b0f8a2'),
    },
    { name: 'a registry port followed by a version tag', text: storefront('registry.internal:5000/shop/storefront:2.14.0') },
    { name: 'a moving minor tag is not in mutableTags by default', text: storefront('python:3.12-slim') },
    { name: 'a Makefile placeholder $(IMAGE)', text: storefront('$(IMAGE)') },
    { name: 'a shell placeholder ${IMG}', text: storefront('${IMG}') },
    { name: 'a placeholder for the reader to fill in', text: storefront('<YOUR-CONTAINER-IMAGE>') },
    { name: 'a placeholder the kubebuilder scaffolding replaces', text: storefront('IMAGE_URL') },
    {
      name: 'silenced on the line above',
      text: storefront('ghcr.io/acme/storefront:latest').replace('          image:', '          # podstart-disable-next-line mutable-image-tag\n          image:'),
    },
    {
      name: 'an Argo Workflow is not a pod template',
      text: `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: nightly-etl-
spec:
  entrypoint: extract
  templates:
    - name: extract
      container:
        image: alpine
        command: [sh, -c]
        args: ["wget -qO- https://data.example.com/export.csv > /tmp/export.csv"]
`,
    },
    {
      name: 'a volcano Job is not a batch/v1 Job',
      text: `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: tf-benchmark
spec:
  minAvailable: 3
  schedulerName: volcano
  tasks:
    - replicas: 1
      name: ps
      template:
        spec:
          containers:
            - name: tensorflow
              image: volcanosh/example-tf
          restartPolicy: OnFailure
`,
    },
    {
      name: 'a Knative Service is not a core Service or a Deployment',
      text: `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go
          env:
            - name: TARGET
              value: World
`,
    },
    {
      name: 'a kustomize patch that adds arguments to a container without naming its image',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller-manager
  namespace: system
spec:
  template:
    spec:
      containers:
      - name: manager
        args:
        - "--health-probe-bind-address=:8081"
        - "--leader-elect"
`,
    },
  ],
  invalid: [
    {
      name: "with the registry's answer, Pin to digest writes the digest the tag points at now and keeps the tag",
      text: storefront('ghcr.io/acme/storefront:latest'),
      imageFacts: { 'ghcr.io/acme/storefront:latest': { digest: STOREFRONT_INDEX_DIGEST, compressedSize: 96_000_000, layerCount: 7 } },
      findings: [{ line: 18, column: 18, endColumn: 48 }],
      output: storefront(`ghcr.io/acme/storefront:latest@${STOREFRONT_INDEX_DIGEST}`),
    },
    {
      name: 'Pin to digest gives an untagged image the :latest it stands for, inside its quotes',
      text: storefront("'nginx'"),
      imageFacts: { nginx: { digest: NGINX_DIGEST, compressedSize: 72_000_000, layerCount: 7 } },
      findings: [{ line: 18, column: 18, endColumn: 25 }],
      output: storefront(`'nginx:latest@${NGINX_DIGEST}'`),
    },
    {
      name: 'an untagged image defaults to Always',
      text: storefront('nginx'),
      findings: [{ line: 18, column: 18, message: 'Container `web` uses `nginx` without a tag, which means `:latest`: every start waits on a registry round trip (pull policy Always)' }],
    },
    {
      name: ':latest with IfNotPresent still lets nodes drift apart',
      text: storefront('ghcr.io/acme/storefront:latest', '          imagePullPolicy: IfNotPresent\n'),
      findings: [{ line: 18, column: 18, message: 'the mutable tag `ghcr.io/acme/storefront:latest`: nodes that pulled at different times run different builds' }],
    },
    {
      name: 'a tag listed in mutableTags',
      text: storefront('grafana/grafana:stable'),
      settings: { rules: { 'mutable-image-tag': { options: { mutableTags: ['latest', 'stable'] } } } },
      findings: [{ line: 18, column: 18, message: 'the mutable tag `grafana/grafana:stable`' }],
    },
    {
      name: 'a registry port is not a tag',
      text: storefront('registry.internal:5000/shop/storefront'),
      findings: [{ line: 18, column: 18, message: '`registry.internal:5000/shop/storefront` without a tag' }],
    },
    {
      name: 'a quoted untagged image is underlined from its opening quote',
      text: storefront('"docker.io/library/redis"'),
      findings: [{ line: 18, column: 18, message: '`docker.io/library/redis` without a tag' }],
    },
    {
      name: 'init containers and native sidecars',
      text: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
spec:
  serviceName: postgres
  selector:
    matchLabels:
      app: postgres
  template:
    metadata:
      labels:
        app: postgres
    spec:
      initContainers:
        - name: wait-for-volume
          image: busybox
          command: ["sh", "-c", "until [ -d /var/lib/postgresql/data ]; do sleep 1; done"]
        - name: log-shipper
          image: fluent/fluent-bit:latest
          restartPolicy: Always
      containers:
        - name: postgres
          image: postgres:16.4
`,
      findings: [
        { line: 17, column: 18, message: 'Init container `wait-for-volume` uses `busybox` without a tag' },
        { line: 20, column: 18, message: 'Sidecar container `log-shipper` uses the mutable tag `fluent/fluent-bit:latest`' },
      ],
    },
    {
      name: 'an ephemeral container of a Pod',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: api-7d9c5
spec:
  containers:
  - name: api
    image: ghcr.io/acme/api:1.8.0
  ephemeralContainers:
  - name: debugger
    image: nicolaka/netshoot
    stdin: true
    tty: true
`,
      findings: [{ line: 11, column: 12, message: 'Ephemeral container `debugger` uses `nicolaka/netshoot` without a tag' }],
    },
    {
      name: 'the job template of a CronJob',
      text: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: ghcr.io/acme/reports:latest
              args: ["--since=24h"]
`,
      findings: [{ line: 14, column: 22, message: 'Container `report` uses the mutable tag `ghcr.io/acme/reports:latest`: every start waits' }],
    },
    {
      name: 'the items of a v1 List, skipping what is not a workload',
      text: `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: redis
  spec:
    ports:
    - port: 6379
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: redis
  spec:
    selector:
      matchLabels:
        app: redis
    template:
      metadata:
        labels:
          app: redis
      spec:
        containers:
        - name: redis
          image: redis
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: seed
  spec:
    template:
      spec:
        restartPolicy: Never
        containers:
        - name: seed
          image: redis:7.4.1
          command: ["redis-cli", "-h", "redis", "SET", "ready", "1"]
`,
      findings: [{ line: 26, column: 18, message: 'Container `redis` uses `redis` without a tag' }],
    },
    {
      name: 'a JSON manifest in flow style',
      text: `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": { "name": "cpu-demo" },
  "spec": {
    "containers": [
      { "name": "cpu-demo-ctr", "image": "vish/stress", "args": ["-cpus", "2"] }
    ]
  }
}
`,
      findings: [{ line: 7, column: 42, message: 'Container `cpu-demo-ctr` uses `vish/stress` without a tag' }],
    },
    {
      name: 'a kustomize patch that does name an untagged image',
      text: `# Adds the auth proxy in front of the manager.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller-manager
  namespace: system
spec:
  template:
    spec:
      containers:
      - name: kube-rbac-proxy
        image: quay.io/brancz/kube-rbac-proxy
        args:
        - "--secure-listen-address=0.0.0.0:8443"
`,
      findings: [{ line: 12, column: 16, message: 'Container `kube-rbac-proxy` uses `quay.io/brancz/kube-rbac-proxy` without a tag' }],
    },
  ],
});
