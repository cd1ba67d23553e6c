/**
 * Compiles the analysis's code before the user's first edits need it. V8 runs a function in its
 * interpreter until the function has run enough to be worth compiling, and `yaml`'s lexer, parser
 * and composer (two thirds of an edit's analysis) run only a few times when a file opens, since only
 * its workload documents are parsed. Measured on kserve.yaml (bench/run.ts's edits): the first ten
 * one-line edits took 12-22 ms, later ones 4-6 ms, and a 2.6 KB Deployment parsed in 2-12 ms cold
 * against 1 ms after twenty parses.
 *
 * So once the first document has been analysed and published, the server analyses a built-in
 * manifest a few dozen times, one analysis per event-loop turn: a message that arrives meanwhile
 * (an edit) is handled before the next turn, waiting at most one analysis of a 2 KB text. It runs
 * once per server, after the first manifest's diagnostics, costs about 200 ms of CPU in all (thirty
 * analyses, the first ones the slowest), and publishes nothing.
 */
import { analyzeText } from '../core/analyze';
import type { PodstartSettings } from '../core/settings';
import { findingDiagnostic } from './diagnostics';

/** Analyses of the sample: parse times settle after about twenty (see above). */
export const WARM_UP_RUNS = 30;

/** What the warm-up analyses: a typical application Deployment (init container, sidecar, probes, resources, volumes). */
export const WARM_UP_SAMPLE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: warm-up
  namespace: default
  labels:
    app.kubernetes.io/name: warm-up
    app.kubernetes.io/component: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: warm-up
  template:
    metadata:
      labels:
        app.kubernetes.io/name: warm-up
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: warm-up
      securityContext:
        runAsNonRoot: true
      initContainers:
        - name: migrate
          image: registry.example.com/warm-up/migrate:1.4.2
          command: ["sh", "-c", "until nc -z db 5432; do sleep 2; done; ./migrate up"]
      containers:
        - name: api
          image: registry.example.com/warm-up/api:latest
          imagePullPolicy: Always
          args: ["--port=8080", "--log-level=info"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: warm-up-db
                  key: url
            - name: CACHE_SIZE
              value: "256"
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
            limits:
              cpu: 200m
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 30
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /livez
              port: http
            initialDelaySeconds: 60
          volumeMounts:
            - name: config
              mountPath: /etc/warm-up
              readOnly: true
        - name: proxy
          image: docker.io/envoyproxy/envoy:v1.31.2
          args: ['-c', '/etc/envoy/envoy.yaml']
          resources:
            requests: { cpu: 50m, memory: 64Mi }
      volumes:
        - name: config
          configMap:
            name: warm-up-config
`;

/** Analyses the sample a number of times, one per turn of the event loop; `settings` are the ones the editor's documents use. */
export class AnalysisWarmUp {
  private started = false;

  constructor(
    private readonly runs = WARM_UP_RUNS,
    private readonly analyse = (settings: PodstartSettings) => {
      const result = analyzeText({ text: WARM_UP_SAMPLE, fileName: 'warm-up.yaml', fileType: 'manifest', settings });
      for (const finding of result.findings) findingDiagnostic(finding, 0);
    },
  ) {}

  /** Starts the warm-up, once per server; later calls do nothing. Settles when it is over. */
  start(settings: PodstartSettings): Promise<void> {
    if (this.started || this.runs <= 0) return Promise.resolve();
    this.started = true;
    let completed = 0;
    return new Promise((resolve) => {
      const turn = () => {
        try {
          this.analyse(settings);
        } catch {
          // Warming up is an optimisation: a failure here shows in the real analyses, with the user's text.
          resolve();
          return;
        }
        if (++completed < this.runs) setImmediate(turn);
        else resolve();
      };
      setImmediate(turn);
    });
  }
}
