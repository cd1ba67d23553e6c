import { runRuleTests } from './harness';

/** A Spring Boot service: the JVM's class loading and JIT make its start the most CPU-hungry minute of its life. */
const springService = (limits: string, requests = '              cpu: 100m\n              memory: 512Mi\n') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: orders
  template:
    metadata:
      labels:
        app: orders
    spec:
      containers:
        - name: orders
          image: registry.example.com/shop/orders:4.2.0
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /actuator/health/readiness
              port: 8080
          resources:
            requests:
${requests}            limits:
${limits}`;

runRuleTests('cpu-limit-throttles-startup', {
  valid: [
    {
      name: 'a limit at the threshold',
      text: springService('              cpu: 500m\n              memory: 1Gi\n'),
    },
    {
      name: 'a limit written in cores above the threshold',
      text: springService('              cpu: "1.5"\n              memory: 1Gi\n'),
    },
    {
      name: 'requests without a CPU limit',
      text: springService('              memory: 1Gi\n'),
    },
    {
      name: 'a zero limit, which sets no CFS quota',
      text: springService('              cpu: 0\n              memory: 1Gi\n'),
    },
    {
      name: 'a kustomize patch that sets resources on a container without an image',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          resources:
            limits:
              cpu: 100m
`,
    },
    {
      name: 'a helper without probes beside the app does not delay Ready',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: blackbox-exporter
  namespace: monitoring
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: blackbox-exporter
  template:
    metadata:
      labels:
        app.kubernetes.io/name: blackbox-exporter
    spec:
      containers:
        - name: blackbox-exporter
          image: quay.io/prometheus/blackbox-exporter:v0.25.0
          readinessProbe:
            httpGet:
              path: /-/ready
              port: 9115
          resources:
            limits:
              cpu: "1"
              memory: 64Mi
        - name: module-configmap-reloader
          image: ghcr.io/jimmidyson/configmap-reload:v0.13.1
          args:
            - --webhook-url=http://localhost:19115/-/reload
            - --volume-dir=/etc/blackbox_exporter/
          resources:
            limits:
              cpu: 20m
              memory: 40Mi
`,
    },
    {
      name: 'a team that lowered the threshold',
      text: springService('              cpu: 200m\n              memory: 1Gi\n'),
      settings: { rules: { 'cpu-limit-throttles-startup': { options: { minCpuLimit: '0.1' } } } },
    },
  ],
  invalid: [
    {
      name: 'a JVM service limited to a quarter core',
      text: springService('              cpu: 250m\n              memory: 1Gi\n'),
      findings: [{ line: 30, column: 20, message: 'Container `orders` has a CPU limit of 250m (0.25 CPU): the CFS quota lets it run 25 ms per 100 ms period, so a start that needs 2 s of CPU (a JVM, a Python app importing large libraries) takes at least 8 s' }],
      output: springService('              cpu: 500m\n              memory: 1Gi\n'),
    },
    {
      name: 'a threshold setting that is not a quantity falls back to 500m',
      text: springService('              cpu: 250m\n              memory: 1Gi\n'),
      settings: { rules: { 'cpu-limit-throttles-startup': { options: { minCpuLimit: 'half a core' } } } },
      findings: [{ line: 30, column: 20, message: 'Raise the limit to at least 500m' }],
      output: springService('              cpu: 500m\n              memory: 1Gi\n'),
    },
    {
      name: 'in-place resize is advised from 1.33, kube-startup-cpu-boost with a feature gate before',
      text: springService('              cpu: 250m\n              memory: 1Gi\n'),
      settings: { kubernetesVersion: '1.30' },
      findings: [{ line: 30, column: 20, message: 'before 1.33 is alpha behind the InPlacePodVerticalScaling feature gate' }],
    },
    {
      name: 'the default version (1.34) advises in-place resize',
      text: springService('              cpu: 250m\n              memory: 1Gi\n'),
      findings: [{ line: 30, column: 20, message: "from Kubernetes 1.33 a pod's CPU can be resized in place" }],
    },
    {
      name: 'a quoted limit on a native sidecar proxy stays quoted when raised',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  template:
    spec:
      initContainers:
        - name: istio-proxy
          image: docker.io/istio/proxyv2:1.24.2
          restartPolicy: Always
          args: ["proxy", "sidecar"]
          resources:
            requests:
              cpu: "100m"
              memory: 128Mi
            limits:
              cpu: "100m"
              memory: 1Gi
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:1.9.3
          resources:
            limits:
              cpu: "2"
              memory: 1Gi
`,
      findings: [{ line: 18, column: 20, message: 'Sidecar container `istio-proxy` has a CPU limit of 100m (0.1 CPU)' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  template:
    spec:
      initContainers:
        - name: istio-proxy
          image: docker.io/istio/proxyv2:1.24.2
          restartPolicy: Always
          args: ["proxy", "sidecar"]
          resources:
            requests:
              cpu: "100m"
              memory: 128Mi
            limits:
              cpu: "500m"
              memory: 1Gi
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:1.9.3
          resources:
            limits:
              cpu: "2"
              memory: 1Gi
`,
    },
    {
      name: 'removing a limit that was also the request keeps it as the request',
      text: `apiVersion: batch/v1
kind: Job
metadata:
  name: schema-migrate
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: render-config
          image: registry.example.com/tools/confd:0.16.0
          command: ["confd", "-onetime", "-backend", "env"]
          resources:
            limits:
              cpu: 0.2
      containers:
        - name: migrate
          image: registry.example.com/shop/migrations:2024.11.2
          command: ["python", "-m", "alembic", "upgrade", "head"]
          resources:
            requests:
              cpu: 500m
              memory: 256Mi
            limits:
              cpu: 300m # python imports SQLAlchemy and the models
              memory: 256Mi
`,
      fixTitle: /^Remove the CPU limit/,
      findings: [
        { line: 16, column: 20, message: 'Init container `render-config` has a CPU limit of 0.2 (0.2 CPU)' },
        { line: 26, column: 20, message: 'at least 6.7 s' },
      ],
      output: `apiVersion: batch/v1
kind: Job
metadata:
  name: schema-migrate
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: render-config
          image: registry.example.com/tools/confd:0.16.0
          command: ["confd", "-onetime", "-backend", "env"]
          resources:
            requests:
              cpu: 0.2
      containers:
        - name: migrate
          image: registry.example.com/shop/migrations:2024.11.2
          command: ["python", "-m", "alembic", "upgrade", "head"]
          resources:
            requests:
              cpu: 500m
              memory: 256Mi
            limits:
              memory: 256Mi
`,
    },
    {
      name: 'removing the limit writes the implied request into an existing requests map',
      text: springService('              cpu: 200m\n              memory: 1Gi\n', '              memory: 512Mi\n'),
      fixTitle: 'Remove the CPU limit (keep 200m as the CPU request)',
      findings: [{ line: 29, column: 20, message: 'every second of CPU its start needs costs 5 s' }],
      output: springService('              memory: 1Gi\n', '              memory: 512Mi\n              cpu: 200m\n'),
    },
    {
      name: 'raising a limit with no requests at all writes the old value as the request',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: report-worker
spec:
  containers:
  - name: worker
    image: registry.example.com/analytics/report-worker:3.1.0
    command: ["python", "-m", "worker"]
    resources:
      limits:
        cpu: 100m
        memory: 768Mi
`,
      settings: { rules: { 'cpu-limit-throttles-startup': { options: { minCpuLimit: '1' } } } },
      findings: [{ line: 12, column: 14, message: 'takes at least 20 s' }],
      fixTitle: 'Raise the CPU limit to 1 (keep 100m as the CPU request)',
      output: `apiVersion: v1
kind: Pod
metadata:
  name: report-worker
spec:
  containers:
  - name: worker
    image: registry.example.com/analytics/report-worker:3.1.0
    command: ["python", "-m", "worker"]
    resources:
      limits:
        cpu: 1
        memory: 768Mi
      requests:
        cpu: 100m
`,
    },
    {
      name: 'removing the only limit removes the limits entry and keeps the explicit request',
      text: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: search
spec:
  serviceName: search
  template:
    spec:
      containers:
        - name: opensearch
          image: opensearchproject/opensearch:2.18.0
          startupProbe:
            tcpSocket:
              port: 9200
            failureThreshold: 30
          resources:
            requests:
              cpu: 200m
              memory: 2Gi
            limits:
              cpu: 400m
          volumeMounts:
            - name: data
              mountPath: /usr/share/opensearch/data
`,
      fixTitle: 'Remove the CPU limit',
      findings: [{ line: 21, column: 20, message: 'Container `opensearch` has a CPU limit of 400m (0.4 CPU)' }],
      output: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: search
spec:
  serviceName: search
  template:
    spec:
      containers:
        - name: opensearch
          image: opensearchproject/opensearch:2.18.0
          startupProbe:
            tcpSocket:
              port: 9200
            failureThreshold: 30
          resources:
            requests:
              cpu: 200m
              memory: 2Gi
          volumeMounts:
            - name: data
              mountPath: /usr/share/opensearch/data
`,
    },
  ],
});
