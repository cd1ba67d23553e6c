/** Realistic manifests and a throwaway workspace folder for the protocol tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';

/**
 * The orders service of a shop: a Deployment whose API image is pinned yet pulled Always, with a
 * log shipper on `:latest`, and its Service. Line numbers below are 0-based, as LSP counts.
 */
export const ORDERS_API = `# Orders API: the service behind checkout.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders-api
  namespace: shop
  labels:
    app.kubernetes.io/name: orders-api
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: orders-api
  template:
    metadata:
      labels:
        app.kubernetes.io/name: orders-api
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/orders-api:v2.14.3
          imagePullPolicy: Always # pinned, so Always only adds a registry round trip
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 500m
              memory: 512Mi
        - name: log-shipper
          image: fluent/fluent-bit:latest
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: orders-api
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: orders-api
  ports:
    - port: 80
      targetPort: 8080
`;

/** Where the findings of ORDERS_API are (0-based line, character). */
export const ORDERS_API_FINDINGS = {
  pullAlways: { start: { line: 21, character: 27 }, end: { line: 21, character: 33 } },
  latestTag: { start: { line: 29, character: 17 }, end: { line: 29, character: 41 } },
};

/** A nightly CronJob and a Deployment; the CronJob's pinned image is pulled Always too. */
export const REPORTS = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example.com/finance/report:2024.11.02
              imagePullPolicy: Always
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: report-viewer
spec:
  replicas: 2
  selector:
    matchLabels:
      app: report-viewer
  template:
    metadata:
      labels:
        app: report-viewer
    spec:
      containers:
        - name: viewer
          image: registry.example.com/finance/viewer:3.1.0
          imagePullPolicy: Always
`;

/** A GitHub Actions workflow: YAML, but no Kubernetes objects. */
export const WORKFLOW = `name: ci
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
`;

export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  if (!edit) throw new Error('no edit');
  const edits: TextEdit[] = [];
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) throw new Error('unexpected resource operation');
    if (change.textDocument.uri !== uri) throw new Error(`edit for another document: ${change.textDocument.uri}`);
    edits.push(...(change.edits as TextEdit[]));
  }
  for (const [changeUri, changes] of Object.entries(edit.changes ?? {})) {
    if (changeUri !== uri) throw new Error(`edit for another document: ${changeUri}`);
    edits.push(...changes);
  }
  return TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), edits);
}

export function documentVersionOf(edit: WorkspaceEdit | undefined): number | null | undefined {
  const change = edit?.documentChanges?.[0];
  return change && 'textDocument' in change ? change.textDocument.version : undefined;
}

export class Workspace {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'podstart-lsp-'));
  }

  write(relative: string, text: string): string {
    const file = path.join(this.root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
