/**
 * The kubelet's command-line flags that set the configuration fields Podstart's rules read.
 * Cluster API and kubeadm (`kubeletExtraArgs`) and EKS nodeadm (`spec.kubelet.flags`) configure
 * the kubelet through these flags; Podstart reads them as the same fields, so one rule serves
 * every form. The flags are deprecated in favour of the config file but still honoured.
 */

/**
 * How the kubelet parses a flag's text. `keyValues` is a map written `cpu=200m,memory=1Gi` (the
 * kubelet's MapStringString: pairs split on commas); `keyValue` is a map flag that takes one
 * `key=value` per occurrence (MapStringStringNoSplit: the text after the first `=` is the value,
 * commas included), as `--cpu-manager-policy-options` does.
 */
export type FlagValueType = 'boolean' | 'integer' | 'number' | 'string' | 'featureGates' | 'keyValues' | 'keyValue';

export interface KubeletFlag {
  /** The KubeletConfiguration field the flag sets. */
  field: string;
  type: FlagValueType;
}

/**
 * Flag name (without dashes) → field. From the kubelet's command-line reference. `maxParallelImagePulls`
 * has no flag: it can only be set in the configuration file.
 */
export const KUBELET_FLAGS: Readonly<Record<string, KubeletFlag>> = {
  'serialize-image-pulls': { field: 'serializeImagePulls', type: 'boolean' },
  'kube-api-qps': { field: 'kubeAPIQPS', type: 'integer' },
  'kube-api-burst': { field: 'kubeAPIBurst', type: 'integer' },
  'registry-qps': { field: 'registryPullQPS', type: 'integer' },
  'registry-burst': { field: 'registryBurst', type: 'integer' },
  'image-gc-high-threshold': { field: 'imageGCHighThresholdPercent', type: 'integer' },
  'image-gc-low-threshold': { field: 'imageGCLowThresholdPercent', type: 'integer' },
  'minimum-image-ttl-duration': { field: 'imageMinimumGCAge', type: 'string' },
  'feature-gates': { field: 'featureGates', type: 'featureGates' },
  'cpu-manager-policy': { field: 'cpuManagerPolicy', type: 'string' },
  'reserved-cpus': { field: 'reservedSystemCPUs', type: 'string' },
  'cpu-manager-policy-options': { field: 'cpuManagerPolicyOptions', type: 'keyValue' },
  'kube-reserved': { field: 'kubeReserved', type: 'keyValues' },
  'system-reserved': { field: 'systemReserved', type: 'keyValues' },
  'kube-reserved-cgroup': { field: 'kubeReservedCgroup', type: 'string' },
  'system-reserved-cgroup': { field: 'systemReservedCgroup', type: 'string' },
  'topology-manager-policy': { field: 'topologyManagerPolicy', type: 'string' },
};

/** The flag that sets a field, if the kubelet has one. */
export function flagOfField(field: string): string | undefined {
  return Object.keys(KUBELET_FLAGS).find((flag) => KUBELET_FLAGS[flag].field === field);
}

/**
 * A flag's text value as the field's value: `"false"` → false, `"50"` → 50,
 * `"EventedPLEG=true,MemoryQoS=false"` → { EventedPLEG: true, MemoryQoS: false }. A value the
 * kubelet would refuse to parse comes back as the original text, so rules see it is not a number.
 */
export function parseFlagValue(type: FlagValueType, text: string): unknown {
  const trimmed = text.trim();
  switch (type) {
    case 'boolean':
      // Go's strconv.ParseBool, which the kubelet's flag library uses.
      if (/^(1|t|T|TRUE|true|True)$/.test(trimmed)) return true;
      if (/^(0|f|F|FALSE|false|False)$/.test(trimmed)) return false;
      return text;
    case 'integer':
      return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : text;
    case 'number':
      return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
    case 'featureGates': {
      const gates: Record<string, unknown> = {};
      for (const entry of trimmed.split(',')) {
        const [name, value] = entry.split('=').map((part) => part.trim());
        if (name) gates[name] = parseFlagValue('boolean', value ?? '');
      }
      return gates;
    }
    case 'keyValues':
    case 'keyValue': {
      // A pair without `=` makes the kubelet reject the flag ("malformed pair"): the text comes back as is.
      const pairs: Record<string, string> = {};
      for (const entry of type === 'keyValues' ? trimmed.split(',') : [trimmed]) {
        if (entry === '' && type === 'keyValues') continue;
        const equals = entry.indexOf('=');
        if (equals === -1) return text;
        pairs[entry.slice(0, equals).trim()] = entry.slice(equals + 1).trim();
      }
      return pairs;
    }
    default:
      return text;
  }
}

/** A field value written as a flag value (flag values are strings in every form that carries them). */
export function formatFlagValue(value: string | number | boolean): string {
  return String(value);
}
