/**
 * One kubelet configuration as Podstart's kubelet rules see it, whatever form it is written in:
 * a KubeletConfiguration document (standalone, in a kubeadm file, as JSON), a kind
 * `kubeadmConfigPatches` entry, an EKS nodeadm `spec.kubelet.config`, or command-line flags in
 * kubeadm / Cluster API `kubeletExtraArgs` and nodeadm `spec.kubelet.flags`. Fields are the
 * KubeletConfiguration's names (flags are translated, core/kubelet/flags.ts), spans are file
 * offsets, and `set` makes the edits a fix needs in the form at hand.
 */
import type { TextEdit } from '../types';

export type KubeletConfigForm =
  | 'kubelet-configuration'
  | 'kind-patch'
  | 'nodeadm-config'
  | 'kubeadm-flags'
  | 'cluster-api-flags'
  | 'nodeadm-flags';

export interface FileSpan {
  start: number;
  end: number;
}

export interface KubeletSetting {
  field: string;
  /** The value as the kubelet reads it: flags are parsed (`"false"` → false). */
  value: unknown;
  /** The key (or flag name) and the value as written. */
  key: FileSpan;
  valueSpan: FileSpan;
  /** The flag as written, for flag forms (`serialize-image-pulls`). */
  flag?: string;
}

export type FieldValue = string | number | boolean;

export interface KubeletConfigView {
  form: KubeletConfigForm;
  /**
   * True when fields left out take the kubelet's built-in defaults: a whole KubeletConfiguration.
   * False for overlays and flags (a kind patch, nodeadm's config, kubeletExtraArgs), whose unset
   * fields come from a base configuration Podstart cannot see; rules then judge only what is written.
   */
  complete: boolean;
  /** How messages name it: "this KubeletConfiguration", "these kubeletExtraArgs". */
  label: string;
  /** The object the configuration sits in, for reports. */
  object: { kind: string; name: string };
  /** What a finding about a missing field underlines: the `kind` value, or the key that holds the flags. */
  anchor: FileSpan;
  get(field: string): KubeletSetting | undefined;
  /** A feature gate's setting, from `featureGates` or `--feature-gates`. */
  featureGate(name: string): { enabled: boolean; span: FileSpan } | undefined;
  /** Edits that give fields these values, replacing or adding them; undefined when this form cannot be edited safely. */
  set(values: Record<string, FieldValue>): TextEdit[] | undefined;
  /**
   * Edits that give a feature gate this value: its entry in `featureGates` (or in the
   * `--feature-gates` list) rewritten, or added to the gates already written; undefined when this
   * form cannot be edited safely.
   */
  setFeatureGate(name: string, enabled: boolean): TextEdit[] | undefined;
  /** The configuration as data and where a path of it is written, for schema validation (configuration forms only, not flags). */
  schemaSource?: {
    value: unknown;
    spanOf(path: readonly (string | number)[], atKey: boolean): FileSpan | undefined;
    /** Edits that write `text` in place of the key or the scalar value at `path`, in the same quoting; undefined when it cannot. */
    replaceAt(path: readonly (string | number)[], atKey: boolean, text: string): TextEdit[] | undefined;
  };
}
