import { atLeast } from '../core/kubernetes-version';
import { KUBELET_DEFAULTS, KUBELET_RELEASES } from '../core/kubelet/defaults';
import { flagOfField } from '../core/kubelet/flags';
import type { FieldValue, KubeletConfigView, KubeletSetting } from '../core/kubelet/model';
import { defineKubeletRule } from '../core/rule';
import type { Fix } from '../core/types';

/**
 * Parallel image pulls that the kubelet's registry pull limit turns into failed pulls.
 * `registryPullQPS` / `registryBurst` are a token bucket on pull *starts*, and a pull that finds no
 * token is not queued: it fails at once with "pull QPS exceeded", the container waits with
 * ErrImagePull, and the pod's next try comes after image back-off (10 s, doubling to 300 s). With
 * serial pulls starts are spaced by the pulls themselves and the bucket rarely runs dry; with
 * parallel pulls every pod starting on the node can start its pull at once (a pod's own images are
 * pulled one after another, so one pull per pod), and those past the burst fail.
 *
 * Reported, when pulls are parallel and limited (`registryPullQPS` > 0): a burst smaller than the
 * pulls that can start together (`maxParallelImagePulls`, or, when unbounded, one per pod up to
 * `maxPods`), and an explicit `registryPullQPS` below the default of 5.
 *
 * What is not written is judged only where its value is known: a whole KubeletConfiguration (the
 * kubelet's defaults) and EKS nodeadm's `spec.kubelet.config`, whose base is EKS's own configuration
 * (parallel pulls without a bound, registry limits left at 5/10). Other overlays (kind patches,
 * drop-ins, kubeletExtraArgs) are judged only on what they write.
 */

/** `maxParallelImagePulls` exists from 1.27 (KEP-3673), and with it the defaulting of `serializeImagePulls` to false. */
const MAX_PARALLEL_IMAGE_PULLS_RELEASE = KUBELET_RELEASES.maxParallelImagePulls;
const DEFAULT_REGISTRY_PULL_QPS = KUBELET_DEFAULTS.registryPullQPS;
const DEFAULT_REGISTRY_BURST = KUBELET_DEFAULTS.registryBurst;
/** The kubelet's default `maxPods`: with unbounded parallel pulls, the most pulls that can start together. */
const DEFAULT_MAX_PODS = KUBELET_DEFAULTS.maxPods;
/** The first image back-off, in seconds (it doubles up to 300 s). */
const IMAGE_BACK_OFF_SECONDS = 10;

/** Where a value the rule uses comes from. */
type Source = 'written' | 'default' | 'eks-base' | 'zero-means-default';

interface Known {
  value: number;
  source: Source;
  setting?: KubeletSetting;
}

/** How many pulls can start together: a bound, one per pod up to maxPods, or only "at least 2" when the bound is in a base Podstart cannot see. */
type Concurrency =
  | { kind: 'bounded'; limit: Known }
  | { kind: 'unbounded'; maxPods: number; serialize?: KubeletSetting }
  | { kind: 'parallel'; serialize: KubeletSetting };

export default defineKubeletRule({
  meta: {
    id: 'kubelet-registry-pull-qps-low',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'A kubelet configuration with parallel image pulls whose registry pull limit (`registryPullQPS`, `registryBurst`) lets fewer pulls start together than the node can start, or that sets `registryPullQPS` below the default of 5: the pulls past the limit fail with "pull QPS exceeded".',
    startupCost: 'A pull past the limit is not queued: it fails at once with "pull QPS exceeded" (ErrImagePull) and its pod waits in image back-off, 10 s at first and doubling up to 300 s. With the defaults (5 per second, burst 10) and unbounded parallel pulls, a node starting 30 pods at once starts 20 of them at least 10 s late.',
    fixable: true,
    options: {},
  },
  check({ config, kubernetesVersion, report }) {
    const current = atLeast(kubernetesVersion, MAX_PARALLEL_IMAGE_PULLS_RELEASE);
    const eksBase = config.form === 'nodeadm-config';
    const serialize = config.get('serializeImagePulls');
    const limitSetting = config.get('maxParallelImagePulls');
    const qpsSetting = config.get('registryPullQPS');
    const burstSetting = config.get('registryBurst');
    // A NodeConfig that writes nothing about pulls leaves them to EKS: nothing of the file's to judge.
    if (eksBase && !serialize && !limitSetting && !qpsSetting && !burstSetting) return;
    // A bound written for a release that has none: the configuration is ahead of the configured version.
    if (limitSetting && !current) return;

    const concurrency = pullConcurrency(config, current, serialize, limitSetting, eksBase);
    if (!concurrency) return;
    const burst = knownBurst(burstSetting, config, eksBase);
    // A burst written in an overlay means a limit is in force: an unwritten registryPullQPS is taken at its default.
    const qps = known(qpsSetting, DEFAULT_REGISTRY_PULL_QPS, config, eksBase, burst !== undefined && burst !== 'invalid');
    if (qps === 'invalid' || burst === 'invalid') return;
    // registryPullQPS 0: no limit, the throttle is not installed.
    if (qps === undefined || qps.value === 0) return;

    const startTogether = concurrency.kind === 'bounded' ? concurrency.limit.value : concurrency.kind === 'unbounded' ? concurrency.maxPods : 2;
    const burstShort = burst !== undefined && burst.value < startTogether;
    const qpsLow = qps.source === 'written' && qps.value < DEFAULT_REGISTRY_PULL_QPS;
    if (!burstShort && !qpsLow) return;

    const problems: string[] = [];
    if (burstShort) problems.push(burstProblem(concurrency, qps, burst!, startTogether));
    if (qpsLow) problems.push(`${nameOf(qps.setting!)} is ${qps.value}, below the default of ${DEFAULT_REGISTRY_PULL_QPS}: once the burst is spent, only ${qps.value} pull${qps.value === 1 ? '' : 's'} may start per second`);

    const { values, title, advice } = remedy(config, concurrency, burst, qpsLow, burstShort, startTogether, current);
    const fixes: Fix[] = [];
    const safeEdits = Object.keys(values).length > 0 ? config.set(values) : undefined;
    if (safeEdits) fixes.push({ title, edits: safeEdits, safe: true });
    // No limit removes the failures too, but lets a whole fleet's pulls reach the registry at once: the user's call.
    const noLimit = config.set({ registryPullQPS: 0 });
    if (noLimit) fixes.push({ title: `Remove the registry pull limit (${fieldName(config, 'registryPullQPS')}: 0)`, edits: noLimit, safe: false });

    report({
      target: targetOf(concurrency, qps, burst, qpsLow, burstShort, config),
      message: `${problems.join('; ')}. Pulls past the limit are not queued: they fail at once with "pull QPS exceeded" (ErrImagePull), and their pods wait in image back-off, ${IMAGE_BACK_OFF_SECONDS} s at first and doubling up to 300 s, before the kubelet tries again (Image pull stage). ${advice}.`,
      fixes,
    });
  },
});

/**
 * The safe change and what the message advises. A burst short of a bound is raised to the bound
 * (at least the default 10): the pulls that the bound lets run may all start. Unbounded pulls get
 * a bound equal to the burst: the pulls past it wait for a free slot instead of failing and
 * backing off, and on a node's shared disk and network more pulls at once would not finish sooner.
 * Before 1.27 there is no bound to set, so only the review-only "no limit" remains.
 */
function remedy(config: KubeletConfigView, concurrency: Concurrency, burst: Known | undefined, qpsLow: boolean, burstShort: boolean, startTogether: number, current: boolean): { values: Record<string, FieldValue>; title: string; advice: string } {
  const values: Record<string, FieldValue> = {};
  if (qpsLow) values.registryPullQPS = DEFAULT_REGISTRY_PULL_QPS;
  const list = (separator: string) => Object.entries(values).map(([field, value]) => `${fieldName(config, field)}${separator}${value}`);
  if (burstShort && concurrency.kind === 'unbounded') {
    if (!current) return { values: {}, title: '', advice: `Set registryPullQPS to 0 for no limit (maxParallelImagePulls, which would bound the pulls, exists from Kubernetes ${MAX_PARALLEL_IMAGE_PULLS_RELEASE})` };
    if (burst!.value < 2) values.registryBurst = DEFAULT_REGISTRY_BURST;
    values.maxParallelImagePulls = burst!.value >= 2 ? burst!.value : DEFAULT_REGISTRY_BURST;
    return {
      values,
      title: `Bound parallel pulls to the registry burst (${list(': ').join(', ')})`,
      advice: `Set ${list(' to ').join(' and ')}, so that pulls past the burst wait for a free slot instead of failing, or set registryPullQPS to 0 for no limit`,
    };
  }
  if (burstShort) values.registryBurst = Math.max(startTogether, DEFAULT_REGISTRY_BURST);
  return {
    values,
    title: `Raise the registry pull limit (${list(': ').join(', ')})`,
    advice: burstShort ? `Set ${list(' to ').join(' and ')}, or set ${fieldName(config, 'registryPullQPS')} to 0 for no limit` : `Set ${fieldName(config, 'registryPullQPS')} to ${DEFAULT_REGISTRY_PULL_QPS} (or to 0 for no limit)`,
  };
}

/** Whether pulls are parallel and how many can start together; undefined when serial or not known. */
function pullConcurrency(config: KubeletConfigView, current: boolean, serialize: KubeletSetting | undefined, limitSetting: KubeletSetting | undefined, eksBase: boolean): Concurrency | undefined {
  if (serialize && typeof serialize.value !== 'boolean') return undefined;
  const limit = limitSetting && typeof limitSetting.value === 'number' && Number.isInteger(limitSetting.value) ? limitSetting.value : undefined;
  if (limitSetting && limit === undefined) return undefined;
  // From 1.27 a bound of 2 or more makes an unset serializeImagePulls default to false; EKS's base sets it to false.
  const parallel = serialize ? serialize.value === false : (current && limit !== undefined && limit >= 2) || (!config.complete && eksBase) ? true : config.complete ? false : undefined;
  if (parallel !== true) return undefined;
  if (limit !== undefined) return limit >= 2 ? { kind: 'bounded', limit: { value: limit, source: 'written', setting: limitSetting } } : undefined;
  if (config.complete || eksBase) {
    const maxPods = config.get('maxPods');
    const pods = maxPods && typeof maxPods.value === 'number' && maxPods.value > 0 ? maxPods.value : DEFAULT_MAX_PODS;
    return { kind: 'unbounded', maxPods: pods, serialize };
  }
  // The bound, if any, is in a base Podstart cannot see: at least two pulls can start together.
  return serialize ? { kind: 'parallel', serialize } : undefined;
}

/** A setting's value, or its default where the unset field's value is known (a whole configuration, EKS's base, or `assumeDefault`). */
function known(setting: KubeletSetting | undefined, fallback: number, config: KubeletConfigView, eksBase: boolean, assumeDefault = false): Known | 'invalid' | undefined {
  if (setting) return typeof setting.value === 'number' && Number.isInteger(setting.value) && setting.value >= 0 ? { value: setting.value, source: 'written', setting } : 'invalid';
  if (config.complete) return { value: fallback, source: 'default' };
  if (eksBase) return { value: fallback, source: 'eks-base' };
  return assumeDefault ? { value: fallback, source: 'default' } : undefined;
}

/**
 * `registryBurst`: a 0 in a configuration file is defaulted to 10 (a plain int32). `--registry-burst=0`
 * is applied after defaulting, and what the limiter makes of it was not checked: not judged.
 */
function knownBurst(setting: KubeletSetting | undefined, config: KubeletConfigView, eksBase: boolean): Known | 'invalid' | undefined {
  const burst = known(setting, DEFAULT_REGISTRY_BURST, config, eksBase);
  if (burst === 'invalid' || burst?.value !== 0) return burst;
  return setting?.flag ? undefined : { value: DEFAULT_REGISTRY_BURST, source: 'zero-means-default', setting };
}

function burstProblem(concurrency: Concurrency, qps: Known, burst: Known, startTogether: number): string {
  const limitText = describeLimit(qps, burst);
  const late = startTogether - burst.value;
  switch (concurrency.kind) {
    case 'bounded':
      return `maxParallelImagePulls is ${startTogether}, but ${limitText} lets only ${burst.value} pull${burst.value === 1 ? '' : 's'} start together: when ${startTogether} pods start on a node within a second, up to ${late} of them fail their first pull`;
    case 'unbounded':
      return `${concurrency.serialize ? `${nameOf(concurrency.serialize)} is false` : "EKS's base configuration pulls in parallel"} with no maxParallelImagePulls, so every pod starting on the node (up to maxPods, ${startTogether}) can start its pull at once, but ${limitText} lets only ${burst.value} start together: when ${starting(startTogether, burst.value)} pods start on a node within a second, up to ${starting(startTogether, burst.value) - burst.value} of them fail their first pull`;
    case 'parallel':
      return `${nameOf(concurrency.serialize)} is false, so at least 2 pulls can start together, but ${limitText} lets only ${burst.value} start at once`;
  }
}

/** The pods a busy node starts at once in the message's example (a new node taking its DaemonSets and a scale-up's pods), within maxPods. */
function starting(maxPods: number, burst: number): number {
  return Math.min(maxPods, Math.max(30, burst * 2));
}

/** "the default registry limit (registryPullQPS 5, registryBurst 10)", or each value with where it comes from. */
function describeLimit(qps: Known, burst: Known): string {
  const pair = `registryPullQPS ${qps.value}, registryBurst ${burst.value}`;
  if (qps.source === 'default' && burst.source === 'default') return `the default registry limit (${pair})`;
  if (qps.source === 'eks-base' && burst.source === 'eks-base') return `the registry limit EKS's base configuration leaves at its default (${pair})`;
  return `${qps.setting ? nameOf(qps.setting) : 'registryPullQPS'} ${qps.value}${sourceText(qps)} with ${burst.setting ? nameOf(burst.setting) : 'registryBurst'} ${burst.value}${sourceText(burst)}`;
}

function sourceText(value: Known): string {
  switch (value.source) {
    case 'default':
      return ' (the default)';
    case 'eks-base':
      return " (EKS's base configuration leaves the default)";
    case 'zero-means-default':
      return ' (written as 0, which means the default)';
    default:
      return '';
  }
}

/** The value at fault: a low QPS, the burst, the bound, the switch to parallel pulls, or the configuration. */
function targetOf(concurrency: Concurrency, qps: Known, burst: Known | undefined, qpsLow: boolean, burstShort: boolean, config: KubeletConfigView) {
  if (qpsLow) return qps.setting!.valueSpan;
  if (burstShort && concurrency.kind === 'unbounded' && concurrency.serialize) return concurrency.serialize.valueSpan;
  if (burstShort && burst?.setting) return burst.setting.valueSpan;
  if (concurrency.kind === 'bounded' && concurrency.limit.setting) return concurrency.limit.setting.valueSpan;
  return config.anchor;
}

function nameOf(setting: KubeletSetting): string {
  return setting.flag ? `--${setting.flag}` : setting.field;
}

/** How the configuration at hand names a field: `--registry-qps` among flags, `registryPullQPS` in a configuration. */
function fieldName(config: KubeletConfigView, field: string): string {
  const flag = config.form.endsWith('-flags') ? flagOfField(field) : undefined;
  return flag ? `--${flag}` : field;
}
