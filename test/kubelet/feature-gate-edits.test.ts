/**
 * `featureGate` and `setFeatureGate` of a kubelet configuration view, in the YAML and flag forms:
 * where a gate is read from, and the smallest edit that gives it a value.
 */
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits } from '../../core/apply-edits';
import { findKubeletConfigs } from '../../core/kubelet/locate';

function onlyView(text: string) {
  const { configs } = findKubeletConfigs(parseDocument(text), text, 0);
  assert.equal(configs.length, 1);
  return configs[0];
}

function withGate(text: string, name: string, enabled: boolean): string | undefined {
  const edits = onlyView(text).setFeatureGate(name, enabled);
  return edits && applyEdits(text, edits);
}

const KUBELET = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

describe('feature gates of a kubelet configuration view', () => {
  describe('YAML and JSON', () => {
    it('rewrites a written gate in place', () => {
      assert.equal(withGate(`${KUBELET}featureGates:\n  NodeSwap: true # on\n`, 'NodeSwap', false), `${KUBELET}featureGates:\n  NodeSwap: false # on\n`);
    });

    it('adds a gate after the written ones, in block or flow style', () => {
      assert.equal(withGate(`${KUBELET}featureGates:\n  NodeSwap: true\nmaxPods: 50\n`, 'EventedPLEG', false), `${KUBELET}featureGates:\n  NodeSwap: true\n  EventedPLEG: false\nmaxPods: 50\n`);
      assert.equal(withGate(`${KUBELET}featureGates: {NodeSwap: true}\n`, 'EventedPLEG', false), `${KUBELET}featureGates: {NodeSwap: true, "EventedPLEG": false}\n`);
    });

    it('declines without a featureGates map of its own (absent, or an alias that may be shared)', () => {
      assert.equal(withGate(KUBELET, 'EventedPLEG', false), undefined);
      const aliased = `${KUBELET}x-gates: &gates\n  EventedPLEG: true\nfeatureGates: *gates\n`;
      assert.equal(withGate(aliased, 'EventedPLEG', false), undefined);
    });
  });

  describe('--feature-gates', () => {
    const kubeadm = (args: string) => `apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n${args}`;

    it('reads the gate at its own entry of the list', () => {
      const text = kubeadm('    feature-gates: NodeSwap=true,EventedPLEG=true\n');
      const gate = onlyView(text).featureGate('EventedPLEG');
      assert.ok(gate);
      assert.deepEqual([gate.enabled, text.slice(gate.span.start, gate.span.end)], [true, 'EventedPLEG=true']);
    });

    it('rewrites only the gate\'s entry, keeping the flag\'s quoting', () => {
      assert.equal(withGate(kubeadm("    feature-gates: 'NodeSwap=true,EventedPLEG=true'\n"), 'EventedPLEG', false), kubeadm("    feature-gates: 'NodeSwap=true,EventedPLEG=false'\n"));
    });

    it('appends a gate the list does not have', () => {
      assert.equal(withGate(kubeadm('    feature-gates: NodeSwap=true\n'), 'EventedPLEG', false), kubeadm('    feature-gates: "NodeSwap=true,EventedPLEG=false"\n'));
      const nodeadm = (flag: string) => `apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    flags:\n      - ${flag}\n`;
      assert.equal(withGate(nodeadm('--feature-gates=NodeSwap=true'), 'EventedPLEG', false), nodeadm('--feature-gates=NodeSwap=true,EventedPLEG=false'));
    });

    it('adds the flag when it is not written', () => {
      assert.equal(withGate(kubeadm('    max-pods: "50"\n'), 'EventedPLEG', false), kubeadm('    max-pods: "50"\n    feature-gates: "EventedPLEG=false"\n'));
    });
  });
});
