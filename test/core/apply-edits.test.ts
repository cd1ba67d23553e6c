import assert from 'node:assert/strict';
import { fixAll } from '../../core/apply-edits';
import { defineRule } from '../../core/rule';
import { getPair } from '../../core/yaml-nodes';

/** A rule whose one safe fix takes two edits: it tags the image and pins the pull policy. */
const pinWebImage = defineRule({
  meta: {
    id: 'pin-web-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'Test rule.',
    startupCost: 'None (test rule).',
    fixable: true,
    options: {},
  },
  check({ workload, edit, report }) {
    for (const container of workload.containers) {
      const image = getPair(container.node, 'image');
      const policy = getPair(container.node, 'imagePullPolicy');
      if (!image?.value || !policy?.value || String((image.value as { value?: unknown }).value) !== 'web') continue;
      const edits = [edit.replaceNode(image.value, 'web:1.4.2'), edit.replaceNode(policy.value, 'IfNotPresent')];
      report({ target: image.value, message: 'untagged', fixes: [{ title: 'Pin', edits: edits.flatMap((one) => one ?? []), safe: true }] });
    }
  },
});

describe('core/apply-edits', () => {
  it('fixAll counts fixes, not the edits they take', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: web
      imagePullPolicy: Always
`;
    const result = fixAll({ text, rules: [pinWebImage] });
    assert.equal(result.text, text.replace('image: web\n      imagePullPolicy: Always', 'image: web:1.4.2\n      imagePullPolicy: IfNotPresent'));
    assert.equal(result.fixed, 1);
  });
});
