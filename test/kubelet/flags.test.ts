import assert from 'node:assert/strict';
import { KUBELET_FLAGS, parseFlagValue } from '../../core/kubelet/flags';

describe('kubelet flag values', () => {
  describe('keyValues: a map written as comma-separated pairs (--kube-reserved, --system-reserved)', () => {
    it('splits on commas and on the first = of each pair, trimming each side', () => {
      assert.deepEqual(parseFlagValue('keyValues', 'cpu=200m, memory=1Gi,ephemeral-storage = 1Gi'), { cpu: '200m', memory: '1Gi', 'ephemeral-storage': '1Gi' });
    });

    it('skips empty pairs, as the kubelet does', () => {
      assert.deepEqual(parseFlagValue('keyValues', 'cpu=1,,'), { cpu: '1' });
    });

    it('gives a pair without = back as the text, which the kubelet refuses ("malformed pair")', () => {
      assert.equal(parseFlagValue('keyValues', 'cpu=1,memory'), 'cpu=1,memory');
    });
  });

  describe('keyValue: one pair per occurrence (--cpu-manager-policy-options)', () => {
    it('keeps commas in the value, as the kubelet does not split this flag', () => {
      assert.deepEqual(parseFlagValue('keyValue', 'full-pcpus-only=true'), { 'full-pcpus-only': 'true' });
      assert.deepEqual(parseFlagValue('keyValue', 'full-pcpus-only=true,align-by-socket=true'), { 'full-pcpus-only': 'true,align-by-socket=true' });
    });

    it('gives text without = back as is', () => {
      assert.equal(parseFlagValue('keyValue', 'full-pcpus-only'), 'full-pcpus-only');
      assert.equal(parseFlagValue('keyValue', ''), '');
    });
  });

  it('maps the CPU manager and reservation flags to their fields and parsers', () => {
    const of = (flag: string) => KUBELET_FLAGS[flag] && { field: KUBELET_FLAGS[flag].field, type: KUBELET_FLAGS[flag].type };
    assert.deepEqual(
      ['cpu-manager-policy-options', 'kube-reserved', 'system-reserved', 'kube-reserved-cgroup', 'system-reserved-cgroup', 'topology-manager-policy'].map(of),
      [
        { field: 'cpuManagerPolicyOptions', type: 'keyValue' },
        { field: 'kubeReserved', type: 'keyValues' },
        { field: 'systemReserved', type: 'keyValues' },
        { field: 'kubeReservedCgroup', type: 'string' },
        { field: 'systemReservedCgroup', type: 'string' },
        { field: 'topologyManagerPolicy', type: 'string' },
      ],
    );
  });
});
