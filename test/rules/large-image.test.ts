import { applyEdits } from '../../core/apply-edits';
import assert from 'node:assert/strict';
import { analyzeText } from '../../core/analyze';
import type { ImageFactsView } from '../../core/image-facts';
import { findingsOf, onlyRule, runRuleTests } from './harness';

/** An inference Deployment: an init container that fetches nothing, the model server, its image as given. */
const predictor = (image: string, initImage = 'registry.example.com/ml/warmup:1.0.3') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: churn-predictor
  namespace: ml
spec:
  replicas: 6
  selector:
    matchLabels:
      app: churn-predictor
  template:
    metadata:
      labels:
        app: churn-predictor
    spec:
      initContainers:
        - name: warmup
          image: ${initImage}
      containers:
        - name: predictor
          image: ${image}
          ports:
            - containerPort: 8080
`;

const facts = (compressedSize: number, layerCount = 12): ImageFactsView => ({
  digest: `sha256:${compressedSize.toString(16).padStart(64, '0')}`,
  compressedSize,
  layerCount,
  platform: { os: 'linux', architecture: 'amd64' },
});

/** What the registry answers, by reference as written. */
const REGISTRY: Record<string, ImageFactsView> = {
  'registry.example.com/ml/churn-predictor:3.2.0': facts(1_200_000_000),
  // The same image once pinned, as the registry answers for it.
  [`registry.example.com/ml/churn-predictor:3.2.0@${facts(1_200_000_000).digest}`]: facts(1_200_000_000),
  'registry.example.com/ml/churn-predictor:3.3.0': facts(180_000_000),
  'registry.example.com/ml/churn-predictor:exactly-200': facts(200_000_000),
  'registry.example.com/ml/churn-predictor:just-over-200': facts(200_000_001),
  'registry.example.com/ml/warmup:1.0.3': facts(4_000_000, 2),
  'registry.example.com/ml/warmup:2.0.0-cuda': facts(3_100_000_000, 20),
  'nvcr.io/nvidia/tritonserver:24.08-py3': facts(9_100_000_000, 40),
  'registry.example.com/ml/churn-predictor@sha256:2b1f9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c': facts(1_200_000_000),
};

const MESSAGE_1_2_GB =
  'Container `predictor` pulls `registry.example.com/ml/churn-predictor:3.2.0`: image is 1.2 GB compressed, about 96 s to pull at 100 Mbit/s on each node that does not have it yet. Make the image smaller, or pre-pull it onto the nodes (a pre-puller DaemonSet, kube-fledged) or let them pull it lazily (the stargz, SOCI or Nydus snapshotter).';

runRuleTests('large-image', {
  imageFacts: REGISTRY,
  valid: [
    { name: 'an image under the threshold', text: predictor('registry.example.com/ml/churn-predictor:3.3.0') },
    { name: 'an image of exactly 200 MB is not over 200 MB', text: predictor('registry.example.com/ml/churn-predictor:exactly-200') },
    { name: 'an image the registry has not answered for (yet)', text: predictor('registry.example.com/ml/churn-predictor:4.0.0') },
    { name: 'no registry access: nothing is known', text: predictor('registry.example.com/ml/churn-predictor:3.2.0'), imageFacts: {} },
    { name: 'a placeholder the tooling fills in', text: predictor('${IMAGE}') },
    {
      name: 'a higher threshold',
      text: predictor('registry.example.com/ml/churn-predictor:3.2.0'),
      settings: { rules: { 'large-image': { options: { sizeThresholdMB: 1500 } } } },
    },
  ],
  invalid: [
    {
      name: 'a 1.2 GB image: its size and the pull time at 100 Mbit/s',
      text: predictor('registry.example.com/ml/churn-predictor:3.2.0'),
      findings: [{ line: 21, column: 18, endColumn: 63, message: MESSAGE_1_2_GB }],
    },
    {
      name: 'Pin to digest keeps the finding: the pinned image is as large',
      text: predictor('registry.example.com/ml/churn-predictor:3.2.0'),
      findings: [{ line: 21, column: 18, message: 'image is 1.2 GB compressed' }],
      output: predictor(`registry.example.com/ml/churn-predictor:3.2.0@${facts(1_200_000_000).digest}`),
    },
    {
      name: 'one byte over the threshold',
      text: predictor('registry.example.com/ml/churn-predictor:just-over-200'),
      findings: [{ line: 21, column: 18, message: 'image is 200 MB compressed, about 16 s to pull at 100 Mbit/s' }],
    },
    {
      name: 'an init container is pulled like the app, before it',
      text: predictor('registry.example.com/ml/churn-predictor:3.3.0', 'registry.example.com/ml/warmup:2.0.0-cuda'),
      findings: [{ line: 18, column: 18, message: 'Init container `warmup` pulls `registry.example.com/ml/warmup:2.0.0-cuda`: image is 3.1 GB compressed, about 4 min to pull at 100 Mbit/s' }],
    },
    {
      name: 'a 9.1 GB inference server, in minutes',
      text: predictor('nvcr.io/nvidia/tritonserver:24.08-py3'),
      findings: [{ line: 21, column: 18, message: 'image is 9.1 GB compressed, about 12 min to pull at 100 Mbit/s' }],
    },
    {
      name: 'an image pinned by digest is measured too',
      text: predictor('registry.example.com/ml/churn-predictor@sha256:2b1f9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c'),
      findings: [{ line: 21, column: 18, message: 'image is 1.2 GB compressed' }],
    },
    {
      name: 'a lower threshold and a faster link, from the options',
      text: predictor('registry.example.com/ml/churn-predictor:3.3.0'),
      settings: { rules: { 'large-image': { options: { sizeThresholdMB: 150, linkSpeedMbps: 1000 } } } },
      findings: [{ line: 21, column: 18, message: 'image is 180 MB compressed, about 1.4 s to pull at 1000 Mbit/s' }],
    },
  ],
});

describe('rule large-image: what it asks the registry about', () => {
  it('asks about every container image as written, and about nothing else', () => {
    const text = predictor('registry.example.com/ml/churn-predictor:3.2.0');
    const result = analyzeText({ text, settings: onlyRule('large-image') });
    assert.deepEqual(result.imageReferences, ['registry.example.com/ml/warmup:1.0.3', 'registry.example.com/ml/churn-predictor:3.2.0']);
    assert.deepEqual(result.findings, [], 'nothing is reported without facts');
  });

  it('offers Pin to digest beside the finding, which makes the pull reproducible but leaves the image large', () => {
    const text = predictor('registry.example.com/ml/churn-predictor:3.2.0');
    const [finding] = findingsOf('large-image', text, undefined, undefined, REGISTRY);
    const digest = REGISTRY['registry.example.com/ml/churn-predictor:3.2.0'].digest;
    assert.deepEqual(
      finding.fixes.map((fix) => ({ title: fix.title, safe: fix.safe, keepsFinding: fix.keepsFinding })),
      [{ title: `Pin to digest (${digest.slice(0, 19)}…)`, safe: false, keepsFinding: true }],
    );
    const pinned = applyEdits(text, finding.fixes[0].edits);
    assert.ok(pinned.includes(`image: registry.example.com/ml/churn-predictor:3.2.0@${digest}\n`), pinned);
    // Already pinned: nothing to offer.
    const [pinnedFinding] = findingsOf('large-image', predictor(`registry.example.com/ml/churn-predictor@sha256:2b1f9c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c`), undefined, undefined, REGISTRY);
    assert.deepEqual(pinnedFinding.fixes, []);
  });
});
