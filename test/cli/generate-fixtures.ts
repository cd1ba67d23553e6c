/**
 * What the generator tests of the CLI, the server and the editor share: the fixture workspace of the
 * generators (test/generate/fixtures/workspace: duplicates, digests, init containers and a native
 * sidecar, pull secrets, distroless images, node selectors, a template, a placeholder, a broken
 * document), and a manifest to add a startup probe to.
 */
import * as path from 'node:path';

export const GENERATE_WORKSPACE = path.join(__dirname, '..', 'generate', 'fixtures', 'workspace');

/** The images the fixture's workloads pull, as written (the template and `${PREVIEW_IMAGE}` cannot be pulled as written). */
export const WORKSPACE_IMAGES = [
  'ghcr.io/acme/api-migrate:2.3.1',
  'envoyproxy/envoy:v1.31.2',
  'ghcr.io/acme/api:2.3.1',
  'gcr.io/distroless/static-debian12:nonroot',
  'cgr.dev/chainguard/nginx:latest',
  'quay.io/prometheus/statsd-exporter@sha256:5f2d6d0d1f5a3c6b54b3c5b0e7b0a1d4f0c9e8d7c6b5a4f3e2d1c0b9a8f7e6d5',
  'redis:7.4',
  'oliver006/redis_exporter:latest',
  'ghcr.io/acme/report:1.0.0',
  'nvcr.io/nvidia/pytorch:24.05-py3',
  'quay.io/prometheus/node-exporter:v1.8.2@sha256:4032c6d5bfd752342c3e631c2f1de93ba6b86c41db6b167b9a35372c139e7706',
  'grafana/grafana:11.1.0',
];

/**
 * A web Deployment whose two containers wait for readiness and have no startup probe; the cursor
 * (`cursorAt`, the first character of that text) is in the second one, `container`.
 */
export const STARTUP_PROBE_MANIFEST = {
  text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: proxy
          image: envoyproxy/envoy:v1.31.2
          readinessProbe:
            tcpSocket:
              port: 8080
            periodSeconds: 5
        - name: web
          image: ghcr.io/acme/web:3.2.0
          ports:
            - containerPort: 3000
          readinessProbe:
            httpGet:
              path: /healthz
              port: 3000
            periodSeconds: 10
            failureThreshold: 3
`,
  cursorAt: 'image: ghcr.io/acme/web',
  container: 'web',
};
