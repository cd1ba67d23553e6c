/**
 * "Pin to digest" as text: the reference the runtime will pull by digest, with the tag kept for
 * readers, written back in the quotes it had; and the pull-size wording the size rules share.
 */
import assert from 'node:assert/strict';
import { analyzeText } from '../../core/analyze';
import { fixAll } from '../../core/apply-edits';
import { pinnedReference, pinnedText, pinToDigestFix } from '../../core/image-pinning';
import { describePullSize, formatPullDuration } from '../../core/image-pull-size';

const DIGEST = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

describe('pin to digest', () => {
  it('keeps the tag, adds :latest to an untagged reference, and leaves a pinned one alone', () => {
    assert.equal(pinnedReference('ghcr.io/acme/api:1.4', DIGEST), `ghcr.io/acme/api:1.4@${DIGEST}`);
    assert.equal(pinnedReference('nginx', DIGEST), `nginx:latest@${DIGEST}`);
    assert.equal(pinnedReference('registry.internal:5000/shop/api', DIGEST), `registry.internal:5000/shop/api:latest@${DIGEST}`);
    assert.equal(pinnedReference(`nginx:1.27@${DIGEST}`, DIGEST), undefined);
  });

  it('writes back into the quotes the value had, and offers nothing for text that is not just the reference', () => {
    assert.equal(pinnedText('"nginx:latest"', 'nginx:latest', DIGEST), `"nginx:latest@${DIGEST}"`);
    assert.equal(pinnedText("'nginx'", 'nginx', DIGEST), `'nginx:latest@${DIGEST}'`);
    assert.equal(pinnedText('nginx:latest', 'nginx:latest', DIGEST), `nginx:latest@${DIGEST}`);
    assert.equal(pinnedText('"nginx\\u003alatest"', 'nginx:latest', DIGEST), undefined, 'an escape');
    assert.equal(pinnedText('|\n  nginx:latest', 'nginx:latest', DIGEST), undefined, 'a block scalar');
  });

  it('is never a safe fix: fix-all and --fix leave it alone', () => {
    const fix = pinToDigestFix('image: nginx:latest\n', 7, 19, 'nginx:latest', DIGEST);
    assert.deepEqual(fix, { title: 'Pin to digest (sha256:0d17b565c37b…)', edits: [{ start: 7, end: 19, newText: `nginx:latest@${DIGEST}` }], safe: false });

    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
`;
    const imageFacts = (reference: string) => (reference === 'nginx:latest' ? { digest: DIGEST, compressedSize: 72_000_000, layerCount: 7 } : undefined);
    const [finding] = analyzeText({ text, imageFacts, settings: { rules: { 'mutable-image-tag': 'warning' } } }).findings.filter((candidate) => candidate.ruleId === 'mutable-image-tag');
    assert.deepEqual(finding.fixes.map((candidate) => [candidate.title, candidate.safe]), [['Pin to digest (sha256:0d17b565c37b…)', false]]);
    assert.deepEqual(fixAll({ text, imageFacts }), { text, fixed: 0 });
  });

  it('offers nothing when the value is an alias, which other values share', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    base-image: &image nginx:latest
spec:
  containers:
    - name: web
      image: *image
`;
    const imageFacts = () => ({ digest: DIGEST, compressedSize: 72_000_000, layerCount: 7 });
    const [finding] = analyzeText({ text, imageFacts }).findings.filter((candidate) => candidate.ruleId === 'mutable-image-tag');
    assert.deepEqual(finding.fixes, []);
  });
});

describe('pull size wording', () => {
  it('gives the size in decimal units and the time at the link speed: seconds, then minutes', () => {
    const facts = (compressedSize: number) => ({ digest: DIGEST, compressedSize, layerCount: 1 });
    assert.equal(describePullSize(facts(1_200_000_000), { sizeThresholdMB: 200, linkSpeedMbps: 100 }), 'image is 1.2 GB compressed, about 96 s to pull at 100 Mbit/s');
    assert.equal(describePullSize(facts(9_100_000_000), { sizeThresholdMB: 200, linkSpeedMbps: 100 }), 'image is 9.1 GB compressed, about 12 min to pull at 100 Mbit/s');
    assert.equal(describePullSize(facts(480_000_000), { sizeThresholdMB: 200, linkSpeedMbps: 1000 }), 'image is 480 MB compressed, about 3.8 s to pull at 1000 Mbit/s');
    // A link speed that is not one falls back to the default rather than dividing by zero.
    assert.equal(describePullSize(facts(1_200_000_000), { sizeThresholdMB: 200, linkSpeedMbps: 0 }), 'image is 1.2 GB compressed, about 96 s to pull at 100 Mbit/s');
    assert.deepEqual([0.04, 9.96, 10, 119.4, 120, 749].map(formatPullDuration), ['0.1 s', '10 s', '10 s', '119 s', '2 min', '12 min']);
  });
});
