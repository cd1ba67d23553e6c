import { atLeast } from '../core/kubernetes-version';
import { KUBE_API_DEFAULTS_BEFORE_1_27, KUBELET_DEFAULTS, KUBELET_RELEASES } from '../core/kubelet/defaults';
import { flagOfField } from '../core/kubelet/flags';
import type { FieldValue, KubeletConfigView, KubeletSetting } from '../core/kubelet/model';
import { defineKubeletRule } from '../core/rule';

/**
 * A kubelet whose API client is throttled low enough to slow pods starting on a busy node.
 * `kubeAPIQPS` / `kubeAPIBurst` limit the kubelet's main client: the Secret and ConfigMap fetches
 * and watches for volumes and env, ServiceAccount token requests, PV/PVC lookups, mirror pods and
 * pod status updates all wait for a token (events have their own client, node status and lease an
 * unthrottled one). Kubernetes 1.27 raised the defaults from 5/10 to 50/100 for this reason.
 *
 * Reported: an explicit value below the 1.27 defaults (from 1.27), or at or below the old 5/10
 * (before 1.27, where 5/10 is the default and anything above it is deliberate tuning);
 * `kubeAPIQPS: 0`, which is not "no limit" (client-go turns QPS 0 into its default, 5); and before
 * 1.27, a whole KubeletConfiguration that leaves them unset. `kubeAPIBurst: 0` in a file is
 * defaulted to the normal burst, so it is not a low value; a 0 passed as a flag is not judged.
 */

/** The kubelet's defaults from 1.27 (PR kubernetes/kubernetes#116121), which the fix writes. */
const CURRENT_DEFAULTS = { qps: KUBELET_DEFAULTS.kubeAPIQPS, burst: KUBELET_DEFAULTS.kubeAPIBurst };
/** The defaults before 1.27. */
const OLD_DEFAULTS = { qps: KUBE_API_DEFAULTS_BEFORE_1_27.kubeAPIQPS, burst: KUBE_API_DEFAULTS_BEFORE_1_27.kubeAPIBurst };
const CURRENT_DEFAULTS_RELEASE = KUBELET_RELEASES.kubeAPIDefaults;
/** What client-go uses when it is given QPS 0 (`rest.DefaultQPS`). */
const CLIENT_GO_DEFAULT_QPS = 5;
/**
 * The rough load the message prices: a node starting 50 pods, about 4 requests each (a
 * ServiceAccount token, the kube-root-ca.crt ConfigMap, two status updates; more with Secret and
 * ConfigMap volumes and env).
 */
const STARTING_PODS = 50;
const REQUESTS_PER_POD = 4;

type Judgement = 'low' | 'zero' | 'unset-old-default' | 'ok';

export default defineKubeletRule({
  meta: {
    id: 'kubelet-api-qps-low',
    stage: 'volumes',
    defaultSeverity: 'warning',
    description: 'A kubelet configuration whose API client limit (`kubeAPIQPS` / `kubeAPIBurst`) is below the Kubernetes 1.27 defaults of 50/100, set to `kubeAPIQPS: 0` (which means 5, not unlimited), or, before 1.27, left at the old 5/10.',
    startupCost: 'Every starting pod needs a few API requests before its containers run (Secrets, ConfigMaps and a ServiceAccount token for its volumes, status updates): a node starting 50 pods (about 200 requests) waits about 38 s on a 5/10 limit, against about 2 s with 50/100; the Kubernetes 1.27 post on pod startup reports `volume mount timeout` on nodes with more than 50 pods under the old 5/10.',
    fixable: true,
    options: {},
  },
  check({ config, kubernetesVersion, report }) {
    const current = atLeast(kubernetesVersion, CURRENT_DEFAULTS_RELEASE);
    const defaults = current ? CURRENT_DEFAULTS : OLD_DEFAULTS;
    const qpsSetting = config.get('kubeAPIQPS');
    const burstSetting = config.get('kubeAPIBurst');
    const qps = numberOf(qpsSetting);
    const writtenBurst = numberOf(burstSetting);
    // A value the kubelet rejects (negative, not a whole number) is for validation to report, not this rule.
    if ((qpsSetting && qps === undefined) || (burstSetting && writtenBurst === undefined)) return;
    // `--kube-api-burst=0` is applied after defaulting, and what the client makes of it was not checked: not judged.
    if (burstSetting?.flag && writtenBurst === 0) return;
    // `kubeAPIBurst: 0` in a file is defaulted like an unset field (a plain int32).
    const burst = writtenBurst === 0 ? undefined : writtenBurst;

    const qpsJudgement = judge(qps, 'qps', config, current);
    const burstJudgement = judge(burst, 'burst', config, current);
    if (qpsJudgement === 'ok' && burstJudgement === 'ok') return;

    const effectiveQps = qps === undefined ? defaults.qps : qps === 0 ? CLIENT_GO_DEFAULT_QPS : qps;
    const effectiveBurst = burst ?? defaults.burst;
    // An overlay's unwritten burst comes from a base Podstart cannot see: the message does not state it.
    const burstKnown = burst !== undefined || config.complete;
    const problems: string[] = [];
    if (qpsJudgement === 'zero') problems.push(`${nameOf(qpsSetting!)} is 0, which is not "no limit": client-go replaces a QPS of 0 with its default, ${CLIENT_GO_DEFAULT_QPS} requests per second`);
    if (qpsJudgement === 'low') problems.push(`${nameOf(qpsSetting!)} is ${qps}, ${belowWhat(current, 'qps')}`);
    if (burstJudgement === 'low') problems.push(`${nameOf(burstSetting!)} is ${burst}, ${belowWhat(current, 'burst')}`);
    const unset = [qpsJudgement === 'unset-old-default' && !qpsSetting ? 'kubeAPIQPS' : undefined, burstJudgement === 'unset-old-default' && !burstSetting ? 'kubeAPIBurst' : undefined].filter((field): field is string => field !== undefined);
    if (unset.length > 0) problems.push(`${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set, and before Kubernetes ${CURRENT_DEFAULTS_RELEASE} ${unset.length > 1 ? 'they default' : 'it defaults'} to ${unset.map((field) => (field === 'kubeAPIQPS' ? OLD_DEFAULTS.qps : OLD_DEFAULTS.burst)).join(' and ')}`);
    const burstZero = burstJudgement === 'unset-old-default' && burstSetting !== undefined;
    if (burstZero) problems.push(`kubeAPIBurst is 0, which the kubelet treats as unset, and before Kubernetes ${CURRENT_DEFAULTS_RELEASE} the default is ${OLD_DEFAULTS.burst}`);

    const values = fixValues(config, current, qps, burst, qpsJudgement !== 'ok', burstJudgement !== 'ok');
    const edits = config.set(values);
    const target = qpsJudgement === 'zero' || qpsJudgement === 'low' ? qpsSetting!.valueSpan : burstJudgement === 'low' || (burstZero && qpsJudgement === 'ok') ? burstSetting!.valueSpan : config.anchor;
    const setText = Object.entries(values).map(([field, value]) => `${fieldName(config, field)} to ${value}`).join(' and ');
    report({
      target,
      message: `${problems.join('; ')}. The kubelet's API client then allows ${effectiveQps} requests per second${burstKnown ? ` (burst ${effectiveBurst})` : ''}, and starting pods wait for it in the Volumes, Secrets and ConfigMaps stage (Secret, ConfigMap and ServiceAccount token fetches, status updates): a node starting ${STARTING_PODS} pods (about ${STARTING_PODS * REQUESTS_PER_POD} requests) waits about ${waitSeconds(effectiveQps, effectiveBurst)} s on this limit, against about ${waitSeconds(CURRENT_DEFAULTS.qps, CURRENT_DEFAULTS.burst)} s with ${CURRENT_DEFAULTS.qps}/${CURRENT_DEFAULTS.burst}. Set ${setText}.`,
      fixes: edits ? [{ title: `Raise the kubelet's API limits (${Object.entries(values).map(([field, value]) => `${fieldName(config, field)}: ${value}`).join(', ')})`, edits, safe: true }] : [],
    });
  },
});

/** A setting's value as a number, when the kubelet reads it as one. */
function numberOf(setting: KubeletSetting | undefined): number | undefined {
  return setting && typeof setting.value === 'number' && Number.isInteger(setting.value) && setting.value >= 0 ? setting.value : undefined;
}

function judge(value: number | undefined, which: 'qps' | 'burst', config: KubeletConfigView, current: boolean): Judgement {
  if (value === undefined) return config.complete && !current ? 'unset-old-default' : 'ok';
  if (which === 'qps' && value === 0) return 'zero';
  // From 1.27 anything below the defaults; before, the old defaults themselves (above them is deliberate tuning).
  const low = current ? value < CURRENT_DEFAULTS[which] : value <= OLD_DEFAULTS[which];
  return low ? 'low' : 'ok';
}

function belowWhat(current: boolean, which: 'qps' | 'burst'): string {
  return current
    ? `below the default of ${CURRENT_DEFAULTS[which]} since Kubernetes ${CURRENT_DEFAULTS_RELEASE}`
    : `no more than the default of ${OLD_DEFAULTS[which]} before Kubernetes ${CURRENT_DEFAULTS_RELEASE}`;
}

/**
 * The fields the fix writes: each low one at its 1.27 default, never lowering a value that is
 * already higher, with the burst at least the QPS. When the QPS is raised and the burst is not
 * written, the burst comes from elsewhere: a whole configuration's default (100 from 1.27), or an
 * overlay's base, which before 1.27 is at most the old default's order (10, or EKS's 20), so it is
 * written too.
 */
function fixValues(config: KubeletConfigView, current: boolean, qps: number | undefined, burst: number | undefined, raiseQps: boolean, raiseBurst: boolean): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  const newQps = raiseQps ? CURRENT_DEFAULTS.qps : qps;
  if (raiseQps) values.kubeAPIQPS = CURRENT_DEFAULTS.qps;
  const burstBelowQps = newQps !== undefined && burst !== undefined && burst < newQps;
  const baseBurstUnknownAndOld = raiseQps && burst === undefined && !config.complete && !current;
  if (raiseBurst || burstBelowQps || baseBurstUnknownAndOld) values.kubeAPIBurst = Math.max(CURRENT_DEFAULTS.burst, newQps ?? 0);
  return values;
}

/** Seconds a burst of requests waits on a token bucket: what exceeds the burst, at the QPS. */
function waitSeconds(qps: number, burst: number): number {
  return Math.max(0, Math.round((STARTING_PODS * REQUESTS_PER_POD - burst) / qps));
}

function nameOf(setting: KubeletSetting): string {
  return setting.flag ? `--${setting.flag}` : setting.field;
}

/** How the configuration at hand names a field: `--registry-qps` among flags, `registryPullQPS` in a configuration. */
function fieldName(config: KubeletConfigView, field: string): string {
  const flag = config.form.endsWith('-flags') ? flagOfField(field) : undefined;
  return flag ? `--${flag}` : field;
}
