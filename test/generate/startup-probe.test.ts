import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../core/analyze';
import { applyEdits } from '../../core/apply-edits';
import { startupProbeEdits } from '../../core/generate/startup-probe';

/**
 * A checkout service: an app container whose readiness probe has a commented handler and whose
 * liveness probe guesses the start time, a sidecar without probes, an init container; then a second
 * workload whose container has only a readiness probe (no delay).
 */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    metadata:
      annotations:
        podstart.dev/expected-start-seconds: "45"
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/shop/checkout-migrate:3.1.0
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:3.1.0
          readinessProbe:
            httpGet:
              path: /healthz/ready   # checks the app only, not its database
              port: 8080
            timeoutSeconds: 2
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /healthz/live
              port: 8080
            initialDelaySeconds: 30
        - name: envoy
          image: envoyproxy/envoy:v1.31.2
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: search
spec:
  serviceName: search
  template:
    spec:
      containers:
      - name: search
        image: docker.elastic.co/elasticsearch/elasticsearch:8.15.3
        readinessProbe:
          exec:
            command: ["sh", "-c", "curl -fs localhost:9200/_cluster/health"]
`;

interface Container {
  name: string;
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
}

/** The containers of every document, by name. */
function containers(text: string): Map<string, Container> {
  const byName = new Map<string, Container>();
  for (const doc of parseAllDocuments(text) as Array<{ errors: unknown[]; toJS(): { spec: { template: { spec: { containers: Container[] } } } } }>) {
    assert.deepEqual(doc.errors, []);
    for (const container of doc.toJS().spec.template.spec.containers) byName.set(container.name, container);
  }
  return byName;
}

function apply(text: string, options: Parameters<typeof startupProbeEdits>[1]) {
  const result = startupProbeEdits(text, options);
  return { ...result, text: applyEdits(text, result.edits) };
}

/** The text with the lines an edit added and removed taken out: what must not change. */
function untouchedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const beforeLines = before.split('\n');
  const afterLines = after.split('\n');
  return { removed: beforeLines.filter((line) => !afterLines.includes(line)), added: afterLines.filter((line) => !beforeLines.includes(line)) };
}

describe('generate startup-probe', () => {
  it('adds a startup probe with the readiness handler to every container that has a readiness probe, and keeps readiness', () => {
    const { text, notes, edits } = apply(MANIFEST, { kubernetesVersion: '1.34' });
    assert.equal(edits.length, 3, 'two insertions and one removed delay');
    const byName = containers(text);
    const checkout = byName.get('checkout')!;
    assert.deepEqual(checkout.startupProbe!.httpGet, checkout.readinessProbe!.httpGet);
    assert.equal(checkout.startupProbe!.timeoutSeconds, 2, 'a slow endpoint keeps its timeout');
    assert.ok((checkout.startupProbe!.periodSeconds as number) <= 5);
    assert.deepEqual(checkout.readinessProbe, { httpGet: { path: '/healthz/ready', port: 8080 }, timeoutSeconds: 2, periodSeconds: 10 });
    const search = byName.get('search')!;
    assert.deepEqual(search.startupProbe!.exec, search.readinessProbe!.exec);
    assert.equal(byName.get('envoy')!.startupProbe, undefined);
    assert.ok(notes.some((note) => /Container envoy of Deployment checkout has no readinessProbe/.test(note)));
    assert.ok(notes.some((note) => /Added a startupProbe to container checkout of Deployment checkout: the readinessProbe's httpGet check every 5 s/.test(note)));
  });

  it('sizes the budget from the start times written down: twice the expected start, at least what liveness tolerated, at least 30 s', () => {
    const byName = containers(apply(MANIFEST, { kubernetesVersion: '1.34' }).text);
    const budget = (probe: Record<string, unknown>) => (probe.periodSeconds as number) * (probe.failureThreshold as number);
    // checkout: the annotation says 45 s, the liveness delay 30 s: 2 × 45 = 90 s.
    assert.equal(budget(byName.get('checkout')!.startupProbe!), 90);
    // search: nothing written down: the 30 s floor.
    assert.equal(budget(byName.get('search')!.startupProbe!), 30);
    const longer = containers(apply(MANIFEST, { kubernetesVersion: '1.34', expectedStartSeconds: 120 }).text);
    assert.equal(budget(longer.get('search')!.startupProbe!), 240);
  });

  it('removes the liveness delay the startup probe replaces, and touches nothing else: the handler comment is kept', () => {
    const { text } = apply(MANIFEST, { kubernetesVersion: '1.34' });
    const { removed, added } = untouchedLines(MANIFEST, text);
    assert.deepEqual(removed, ['            initialDelaySeconds: 30']);
    assert.ok(added.every((line) => /^\s+(startupProbe:|httpGet:|exec:|path: |port: |command: |timeoutSeconds: |periodSeconds: |failureThreshold: )/.test(line)), added.join('\n'));
    assert.equal(text.match(/# checks the app only, not its database/g)?.length, 2, 'the comment is copied with the handler');
    assert.equal(containers(text).get('checkout')!.livenessProbe!.initialDelaySeconds, undefined);
  });

  it('leaves a file that Podstart\'s probe rules find clean', () => {
    const { text } = apply(MANIFEST, { kubernetesVersion: '1.34' });
    const probeFindings = analyzeText({ text, settings: { kubernetesVersion: '1.34' } }).findings.filter((finding) => /startup-probe/.test(finding.ruleId));
    assert.deepEqual(probeFindings.map((finding) => finding.message), []);
  });

  it('edits only the named container, or the one at the cursor, or every container of the workload at the cursor', () => {
    assert.deepEqual([...containers(apply(MANIFEST, { kubernetesVersion: '1.34', container: 'search' }).text)].filter(([, container]) => container.startupProbe).map(([name]) => name), ['search']);
    const inSearch = MANIFEST.indexOf('curl -fs');
    assert.deepEqual([...containers(apply(MANIFEST, { kubernetesVersion: '1.34', offset: inSearch }).text)].filter(([, container]) => container.startupProbe).map(([name]) => name), ['search']);
    const atCheckoutMetadata = MANIFEST.indexOf('name: checkout');
    assert.deepEqual([...containers(apply(MANIFEST, { kubernetesVersion: '1.34', offset: atCheckoutMetadata }).text)].filter(([, container]) => container.startupProbe).map(([name]) => name), ['checkout']);
    const nobody = startupProbeEdits(MANIFEST, { kubernetesVersion: '1.34', container: 'postgres' });
    assert.deepEqual(nobody.edits, []);
    assert.deepEqual(nobody.notes, ['No container named postgres that can have probes in this file.']);
  });

  it('adds nothing to a container that already has a startup probe, or before Kubernetes 1.20', () => {
    const once = apply(MANIFEST, { kubernetesVersion: '1.34' }).text;
    const twice = startupProbeEdits(once, { kubernetesVersion: '1.34' });
    assert.deepEqual(twice.edits, []);
    assert.ok(twice.notes.some((note) => /Container checkout of Deployment checkout already has a startupProbe/.test(note)));
    const old = startupProbeEdits(MANIFEST, { kubernetesVersion: '1.19' });
    assert.deepEqual(old.edits, []);
    assert.match(old.notes[0], /Kubernetes 1\.19 has no generally available startup probe/);
  });

  it('writes what missing-startup-probe\'s fix writes, where the rule reports the container', () => {
    const delayed = MANIFEST.replace('            timeoutSeconds: 2\n', '            timeoutSeconds: 2\n            initialDelaySeconds: 40\n');
    const finding = analyzeText({ text: delayed, settings: { kubernetesVersion: '1.34' } }).findings.find((candidate) => candidate.ruleId === 'missing-startup-probe');
    assert.ok(finding, 'the rule reports the delayed readiness probe');
    const fromRule = applyEdits(delayed, finding.fixes[0].edits);
    assert.equal(apply(delayed, { kubernetesVersion: '1.34', container: 'checkout' }).text, fromRule);
  });

  it('keeps CRLF line endings and four-space indentation', () => {
    const windows = `apiVersion: v1
kind: Pod
metadata:
    name: catalog
spec:
    containers:
        -   name: catalog
            image: mcr.microsoft.com/dotnet/samples:aspnetapp-9.0
            readinessProbe:
                httpGet:
                    path: /ready
                    port: 8080
`.replace(/\n/g, '\r\n');
    const { text } = apply(windows, { kubernetesVersion: '1.34' });
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    assert.match(text, /\r\n {12}startupProbe:\r\n {16}httpGet:\r\n {20}path: \/ready\r\n/);
  });

  it('says a template is not edited', () => {
    const result = startupProbeEdits('apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n', { kubernetesVersion: '1.34' });
    assert.deepEqual(result.edits, []);
    assert.match(result.notes[0], /template/);
  });
});
