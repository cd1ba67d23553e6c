import assert from 'node:assert/strict';
import { findingsOf, runRuleTests } from './harness';

/** A Keycloak Deployment: its start (Quarkus augmentation, database migrations) is slow and variable, hence the startup probe. */
const keycloak = (probes: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: keycloak
  namespace: identity
spec:
  replicas: 2
  selector:
    matchLabels:
      app: keycloak
  template:
    metadata:
      labels:
        app: keycloak
    spec:
      containers:
        - name: keycloak
          image: quay.io/keycloak/keycloak:26.0.7
          args: ["start", "--optimized"]
          ports:
            - name: management
              containerPort: 9000
${probes}`;

const startupProbe = `          startupProbe:
            httpGet:
              path: /health/started
              port: management
            periodSeconds: 5
            failureThreshold: 60
`;

/** A nightly batch Job; `probes` at the container's key indentation. */
const reportJob = (probes: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-report
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: report
          image: registry.example.com/finance/report:2.3.1
${probes}`;

runRuleTests('readiness-delay-with-startup-probe', {
  valid: [
    {
      name: 'a startup probe, and readiness and liveness probes without delays',
      text: keycloak(`${startupProbe}          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
          livenessProbe:
            httpGet:
              path: /health/live
              port: management
`),
    },
    {
      name: 'delays of 0, the default written out',
      text: keycloak(`${startupProbe}          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
            initialDelaySeconds: 0
`),
    },
    {
      name: 'no startup probe: the delays are missing-startup-probe’s business',
      text: keycloak(`          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
            initialDelaySeconds: 30
`),
    },
    {
      name: 'Kubernetes 1.19, where the startup probe may be dropped and the delay is the only protection',
      text: keycloak(`${startupProbe}          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
            initialDelaySeconds: 30
`),
      settings: { kubernetesVersion: '1.19' },
    },
    {
      name: 'a Job’s readiness delay: a pod that runs to completion has no steady state to be Ready in',
      text: reportJob(`          startupProbe:
            exec:
              command: ["test", "-f", "/tmp/started"]
          readinessProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
            initialDelaySeconds: 20
`),
    },
    {
      name: 'an init container, which runs to completion (the API server rejects probes on it)',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: warm-cache
          image: registry.example.com/api/warm-cache:1.8.0
          startupProbe:
            exec:
              command: ["true"]
          readinessProbe:
            exec:
              command: ["true"]
            initialDelaySeconds: 10
      containers:
        - name: api
          image: registry.example.com/api/server:1.8.0
`,
    },
    {
      name: 'a volcano Job (batch.volcano.sh), which is not a batch/v1 Job and not a workload here',
      text: `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: mpi-benchmark
spec:
  minAvailable: 3
  schedulerName: volcano
  tasks:
    - replicas: 2
      name: worker
      template:
        spec:
          containers:
            - name: mpiworker
              image: volcanosh/example-mpi:0.0.3
              startupProbe:
                tcpSocket:
                  port: 22
              livenessProbe:
                tcpSocket:
                  port: 22
                initialDelaySeconds: 30
`,
    },
    {
      name: 'a Job: neither its readiness nor its liveness delay is reported',
      text: reportJob(`          startupProbe:
            exec:
              command: ["test", "-f", "/tmp/started"]
          livenessProbe:
            exec:
              command: ["sh", "-c", "test $(find /tmp/heartbeat -mmin -1 | wc -l) -eq 1"]
            initialDelaySeconds: 20
          readinessProbe:
            exec:
              command: ["test", "-f", "/tmp/ready"]
            initialDelaySeconds: 20
`),
    },
  ],
  invalid: [
    {
      name: 'a readiness delay after a startup probe, removed with its line; the liveness delay costs no startup time and stays',
      text: keycloak(`${startupProbe}          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
            initialDelaySeconds: 30   # give Keycloak time to boot
            periodSeconds: 10
          livenessProbe:
            initialDelaySeconds: 60
            httpGet:
              path: /health/live
              port: management
`),
      findings: [
        {
          line: 33,
          column: 34,
          message:
            "Container `keycloak` has a startupProbe, which already keeps its readinessProbe from running until the app is up, so the readinessProbe's `initialDelaySeconds: 30` can only hold Ready back: by up to 30 s on every start",
        },
      ],
      output: keycloak(`${startupProbe}          readinessProbe:
            httpGet:
              path: /health/ready
              port: management
            periodSeconds: 10
          livenessProbe:
            initialDelaySeconds: 60
            httpGet:
              path: /health/live
              port: management
`),
    },
    {
      name: 'a native sidecar with a startup probe',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: app-with-proxy
spec:
  initContainers:
  - name: envoy
    image: envoyproxy/envoy:v1.32.2
    restartPolicy: Always
    startupProbe:
      httpGet:
        path: /ready
        port: 9901
      periodSeconds: 1
      failureThreshold: 30
    readinessProbe:
      httpGet:
        path: /ready
        port: 9901
      initialDelaySeconds: 5
  containers:
  - name: app
    image: registry.example.com/app:3.0.1
`,
      findings: [{ line: 20, column: 28, message: 'Sidecar container `envoy` has a startupProbe' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: app-with-proxy
spec:
  initContainers:
  - name: envoy
    image: envoyproxy/envoy:v1.32.2
    restartPolicy: Always
    startupProbe:
      httpGet:
        path: /ready
        port: 9901
      periodSeconds: 1
      failureThreshold: 30
    readinessProbe:
      httpGet:
        path: /ready
        port: 9901
  containers:
  - name: app
    image: registry.example.com/app:3.0.1
`,
    },
    {
      name: 'CRLF line endings',
      text: keycloak(`${startupProbe}          readinessProbe:
            tcpSocket:
              port: management
            initialDelaySeconds: 15
`).replace(/\n/g, '\r\n'),
      findings: [{ line: 32, column: 34, message: '`initialDelaySeconds: 15`' }],
      output: keycloak(`${startupProbe}          readinessProbe:
            tcpSocket:
              port: management
`).replace(/\n/g, '\r\n'),
    },
  ],
});

describe('rule readiness-delay-with-startup-probe, fix', () => {
  it('is safe: "fix all" and --fix apply it', () => {
    const [finding] = findingsOf('readiness-delay-with-startup-probe', keycloak(`${startupProbe}          readinessProbe:
            tcpSocket:
              port: management
            initialDelaySeconds: 15
`));
    assert.deepEqual(finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe })), [{ title: 'Remove initialDelaySeconds from the readinessProbe', safe: true }]);
  });
});
