import assert from 'node:assert/strict';
import { findingsOf, runRuleTests } from './harness';
import { applyEdits } from '../../core/apply-edits';

/** A Spring Boot service whose probes guess its start time; `probes` sit at the container's key indentation. */
const springService = (probes: string, templateMetadata = '') => `apiVersion: apps/v1
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
${templateMetadata}      labels:
        app: orders
    spec:
      containers:
        - name: orders
          image: registry.example.com/shop/orders:4.2.0
          ports:
            - name: http
              containerPort: 8080
${probes}          resources:
            requests:
              cpu: "1"
              memory: 1Gi
`;

const slowProbes = `          readinessProbe:
            httpGet:
              path: /actuator/health/readiness   # Spring Boot's readiness group
              port: http
            initialDelaySeconds: 60
            timeoutSeconds: 3
          livenessProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
            initialDelaySeconds: 90
            periodSeconds: 15
`;

/** The fix for slowProbes: budget 2 × 90 s = 180 s at 5 s, the handler and the timeout of the readiness probe. */
const slowProbesFixed = `          readinessProbe:
            httpGet:
              path: /actuator/health/readiness   # Spring Boot's readiness group
              port: http
            timeoutSeconds: 3
          startupProbe:
            httpGet:
              path: /actuator/health/readiness   # Spring Boot's readiness group
              port: http
            timeoutSeconds: 3
            periodSeconds: 5
            failureThreshold: 36
          livenessProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
            periodSeconds: 15
`;

/** A Redis StatefulSet whose only probe is an exec liveness probe, with a 2-space indented sequence style. */
const redis = (liveness: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: redis
spec:
  serviceName: redis
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
        image: redis:7.4.1-alpine
        args: ["--appendonly", "yes"]
        livenessProbe:
${liveness}        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 20Gi
`;

/** A nightly batch Job; `probes` at the container's key indentation. */
const reportJob = (probes: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-report
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: registry.example.com/finance/report:2.3.1
          args: ["--date", "yesterday"]
${probes}`;

/** A Pod written with 4-space indentation and CRLF line endings, as Windows editors save it. */
const windowsPod = (probe: string) =>
  `apiVersion: v1
kind: Pod
metadata:
    name: catalog
spec:
    containers:
        -   name: catalog
            image: mcr.microsoft.com/dotnet/samples:aspnetapp-9.0
            readinessProbe:
${probe}            ports:
                -   containerPort: 8080
`.replace(/\n/g, '\r\n');

runRuleTests('missing-startup-probe', {
  valid: [
    {
      name: 'probes without initialDelaySeconds',
      text: springService(`          readinessProbe:
            httpGet:
              path: /actuator/health/readiness
              port: http
          livenessProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
`),
    },
    {
      name: 'a startup probe already present (the other probes’ delays are readiness-delay-with-startup-probe’s business)',
      text: springService(`          startupProbe:
            httpGet:
              path: /actuator/health/liveness
              port: http
            periodSeconds: 5
            failureThreshold: 36
${slowProbes}`),
    },
    {
      name: 'delays below minDelaySeconds',
      text: springService(`          readinessProbe:
            tcpSocket:
              port: http
            initialDelaySeconds: 5
`),
    },
    {
      name: 'a liveness delay shorter than its check period: the spacing of the checks, not the delay, carries the start',
      text: springService(`          livenessProbe:
            exec:
              command: ["/bin/healthcheck", "--deep"]
            initialDelaySeconds: 10
            periodSeconds: 60
            failureThreshold: 5
`),
    },
    {
      name: 'Kubernetes 1.19, where the startup probe is not GA',
      text: springService(slowProbes),
      settings: { kubernetesVersion: '1.19' },
    },
    {
      name: 'a Job with only a readiness delay: a pod that runs to completion has no steady state to be Ready in',
      text: reportJob(`          readinessProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
            initialDelaySeconds: 30
`),
    },
    {
      name: 'an init container (which cannot have probes) and a regular container without delays',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/api/migrate:1.8.0
          readinessProbe:
            exec:
              command: ["true"]
            initialDelaySeconds: 60
      containers:
        - name: api
          image: registry.example.com/api/server:1.8.0
          readinessProbe:
            httpGet:
              path: /ready
              port: 8080
`,
    },
    {
      name: 'a volcano Job (batch.volcano.sh), which is not a batch/v1 Job and not a workload here',
      text: `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: tensorflow-benchmark
spec:
  minAvailable: 2
  schedulerName: volcano
  tasks:
    - replicas: 2
      name: worker
      template:
        spec:
          containers:
            - name: tensorflow
              image: volcanosh/example-tf:0.0.1
              livenessProbe:
                tcpSocket:
                  port: 2222
                initialDelaySeconds: 120
`,
    },
    {
      name: 'a kustomize patch (a container without an image), whose base may define the startup probe',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          livenessProbe:
            initialDelaySeconds: 120
`,
    },
  ],
  invalid: [
    {
      name: 'readiness and liveness delays: the readiness delay is underlined, the startup probe copies the readiness handler',
      text: springService(slowProbes),
      findings: [
        {
          line: 26,
          column: 34,
          message:
            'Container `orders` has no startupProbe and its readinessProbe sets `initialDelaySeconds: 60`: Ready is held back at least 60 s after the container starts',
        },
      ],
      output: springService(slowProbesFixed),
    },
    {
      name: 'the message names the liveness delay too, and what it kills',
      text: springService(slowProbes),
      findings: [{ line: 26, column: 34, message: "Its livenessProbe's `initialDelaySeconds: 90` is the same guess, and a start slower than about 120 s is killed before it is up." }],
    },
    {
      name: 'the expected-start annotation on the pod template raises the budget (2 × 120 s)',
      text: springService(slowProbes, '      annotations:\n        podstart.dev/expected-start-seconds: "120"\n'),
      findings: [{ line: 28, column: 34, message: 'a startupProbe that checks every 5 s (failureThreshold 48: a start may take up to 240 s)' }],
      output: springService(slowProbesFixed.replace('failureThreshold: 36', 'failureThreshold: 48'), '      annotations:\n        podstart.dev/expected-start-seconds: "120"\n'),
    },
    {
      name: 'the expectedStartSeconds option, and minDelaySeconds lowered to 5',
      text: springService(`          readinessProbe:
            tcpSocket:
              port: http
            initialDelaySeconds: 5
            periodSeconds: 2
`),
      settings: { rules: { 'missing-startup-probe': { options: { minDelaySeconds: 5, expectedStartSeconds: 40 } } } },
      findings: [{ line: 25, column: 34, message: 'Ready is held back at least 5 s' }],
      output: springService(`          readinessProbe:
            tcpSocket:
              port: http
            periodSeconds: 2
          startupProbe:
            tcpSocket:
              port: http
            periodSeconds: 2
            failureThreshold: 40
`),
    },
    {
      name: 'a liveness-only exec probe: the handler is copied with its flow sequence, the budget covers what the old probe tolerated',
      text: redis(`          exec:
            command: ["redis-cli", "ping"]
          initialDelaySeconds: 45
          periodSeconds: 10
          failureThreshold: 6
`),
      findings: [
        {
          line: 22,
          column: 32,
          message:
            'Container `redis` has no startupProbe and its livenessProbe sets `initialDelaySeconds: 45`, a fixed guess at the start time: a start slower than about 95 s (the delay plus 6 failed checks 10 s apart) is killed before it is up',
        },
      ],
      output: redis(`          exec:
            command: ["redis-cli", "ping"]
          periodSeconds: 10
          failureThreshold: 6
        startupProbe:
          exec:
            command: ["redis-cli", "ping"]
          periodSeconds: 5
          failureThreshold: 19
`),
    },
    {
      name: 'a Job: a liveness delay still gets the start killed',
      text: reportJob(`          livenessProbe:
            exec:
              command: ["sh", "-c", "test $(find /tmp/heartbeat -mmin -1 | wc -l) -eq 1"]
            initialDelaySeconds: 30
          readinessProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
            initialDelaySeconds: 30
`),
      findings: [{ line: 17, column: 34, message: 'its livenessProbe sets `initialDelaySeconds: 30`' }],
      output: reportJob(`          livenessProbe:
            exec:
              command: ["sh", "-c", "test $(find /tmp/heartbeat -mmin -1 | wc -l) -eq 1"]
          readinessProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
          startupProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
            periodSeconds: 5
            failureThreshold: 12
`),
    },
    {
      name: 'a native sidecar (an init container with restartPolicy: Always)',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: auth-proxy
          image: quay.io/oauth2-proxy/oauth2-proxy:v7.7.1
          restartPolicy: Always
          readinessProbe:
            httpGet:
              path: /ready
              port: 4180
            initialDelaySeconds: 20
      containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27.3
`,
      findings: [{ line: 16, column: 34, message: 'Sidecar container `auth-proxy` has no startupProbe' }],
      output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: auth-proxy
          image: quay.io/oauth2-proxy/oauth2-proxy:v7.7.1
          restartPolicy: Always
          readinessProbe:
            httpGet:
              path: /ready
              port: 4180
          startupProbe:
            httpGet:
              path: /ready
              port: 4180
            periodSeconds: 5
            failureThreshold: 8
      containers:
        - name: web
          image: nginxinc/nginx-unprivileged:1.27.3
`,
    },
    {
      name: '4-space indentation and CRLF line endings are kept',
      text: windowsPod(`                httpGet:\n                    path: /healthz\n                    port: 8080\n                initialDelaySeconds: 15\n`),
      findings: [{ line: 13, column: 38 }],
      output: windowsPod(
        `                httpGet:\n                    path: /healthz\n                    port: 8080\n            startupProbe:\n                httpGet:\n                    path: /healthz\n                    port: 8080\n                periodSeconds: 5\n                failureThreshold: 6\n`,
      ),
    },
    {
      name: 'the probe is the last entry of a file without a final newline',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: loki
spec:
  containers:
    - name: loki
      image: grafana/loki:3.3.2
      readinessProbe:
        httpGet:
          path: /ready
          port: 3100
        initialDelaySeconds: 45`,
      findings: [{ line: 13, column: 30 }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: loki
spec:
  containers:
    - name: loki
      image: grafana/loki:3.3.2
      readinessProbe:
        httpGet:
          path: /ready
          port: 3100
      startupProbe:
        httpGet:
          path: /ready
          port: 3100
        periodSeconds: 5
        failureThreshold: 18
`,
    },
    {
      name: 'the expected-start annotation on the object metadata of a Pod (2 × 100 s)',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: elasticsearch-0
  annotations:
    podstart.dev/expected-start-seconds: "100"
spec:
  containers:
    - name: elasticsearch
      image: docker.elastic.co/elasticsearch/elasticsearch:8.16.1
      livenessProbe:
        tcpSocket:
          port: 9300
        initialDelaySeconds: 30
`,
      findings: [{ line: 14, column: 30, message: 'failureThreshold 40: a start may take up to 200 s' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: elasticsearch-0
  annotations:
    podstart.dev/expected-start-seconds: "100"
spec:
  containers:
    - name: elasticsearch
      image: docker.elastic.co/elasticsearch/elasticsearch:8.16.1
      livenessProbe:
        tcpSocket:
          port: 9300
      startupProbe:
        tcpSocket:
          port: 9300
        periodSeconds: 5
        failureThreshold: 40
`,
    },
    {
      name: 'a flow-style probe is reported, with no fix',
      text: springService(`          readinessProbe: {httpGet: {path: /ready, port: http}, initialDelaySeconds: 30}
`),
      findings: [{ line: 22, column: 86 }],
    },
  ],
});

describe('rule missing-startup-probe, fixed output', () => {
  it('is clean for readiness-delay-with-startup-probe as well', () => {
    const text = springService(slowProbes);
    const [finding] = findingsOf('missing-startup-probe', text);
    const fixed = applyEdits(text, finding.fixes[0].edits);
    assert.deepEqual(findingsOf('readiness-delay-with-startup-probe', fixed).map((other) => other.message), []);
    assert.deepEqual(findingsOf('missing-startup-probe', fixed).map((other) => other.message), []);
  });

  it('is not offered where an edit could not be minimal and exact: a flow-style probe, a probe shared through an anchor', () => {
    const flow = springService(`          readinessProbe: {httpGet: {path: /ready, port: http}, initialDelaySeconds: 30}\n`);
    const anchored = springService(`          readinessProbe: &probe
            httpGet:
              path: /ready
              port: http
            initialDelaySeconds: 30
          livenessProbe: *probe
`);
    for (const text of [flow, anchored]) {
      const findings = findingsOf('missing-startup-probe', text);
      assert.equal(findings.length, 1);
      assert.deepEqual(findings[0].fixes, []);
    }
  });

  it('is offered one at a time, never by "fix all"', () => {
    const [finding] = findingsOf('missing-startup-probe', springService(slowProbes));
    assert.deepEqual(
      finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })),
      [{ title: 'Add a startupProbe (every 5 s, up to 180 s) and remove initialDelaySeconds from the readinessProbe and livenessProbe', safe: false }],
    );
  });
});
