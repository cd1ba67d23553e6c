import { atLeast, type KubernetesVersion } from '../core/kubernetes-version';
import { KUBELET_DEFAULTS, KUBELET_RELEASES } from '../core/kubelet/defaults';
import { describeDuration, parseGoDuration } from '../core/kubelet/go-duration';
import type { FieldValue, KubeletConfigView, KubeletSetting } from '../core/kubelet/model';
import { defineKubeletRule, type KubeletRuleReport } from '../core/rule';

/**
 * Image garbage-collection settings that delete the images a node was prepared with. Images
 * pre-pulled by a DaemonSet whose containers are gone, by kube-fledged, or baked into the node
 * image are used by no container, so the kubelet's image GC treats them like any stale image; once
 * one is gone, the next pod that needs it pulls it again. The rule reports:
 *
 * - `imageMaximumGCAge` shorter than a week (the option): every image unused that long goes,
 *   whatever the disk usage. The kubelet refuses a negative one, one not longer than
 *   `imageMinimumGCAge`, and any at all while the ImageMaximumGCAge gate is off (off by default in
 *   1.29, its alpha). The field does not exist before 1.29, so older releases are not judged.
 * - `imageGCHighThresholdPercent` below 70 (the option): GC starts while much of the disk is free.
 *   Down to 70 is left alone: operators lower the default 85 to stay ahead of the disk eviction
 *   thresholds (kubernetes/kubernetes#124868).
 * - `imageGCLowThresholdPercent` more than 20 points (the option) below the high threshold: each GC
 *   run deletes down to it, far more than the run needed. And low not below high, which the
 *   kubelet refuses.
 * - A negative `imageMinimumGCAge`: no age guard at all (0 means the 2m default, so it is fine),
 *   refused from 1.36.
 *
 * `imageGCHighThresholdPercent: 100` (kind's own setting) turns threshold GC off and keeps images:
 * nothing to report. Unset fields take the kubelet's defaults (85, 80, 2m, 0s) only in a whole
 * KubeletConfiguration; overlays and flags are judged on what they write.
 */

interface Options {
  minimumMaximumGCAge: string;
  minimumHighThresholdPercent: number;
  maximumThresholdGapPercent: number;
}

const DEFAULT_HIGH_THRESHOLD = KUBELET_DEFAULTS.imageGCHighThresholdPercent;
const DEFAULT_LOW_THRESHOLD = KUBELET_DEFAULTS.imageGCLowThresholdPercent;
const DEFAULT_MINIMUM_AGE = KUBELET_DEFAULTS.imageMinimumGCAge;
/**
 * Option defaults. A week of idle time: a SIG Node maintainer had "something like 2 weeks" in mind
 * for the field and called 1 hour "pretty low" (kubernetes/kubernetes#124441); a week still keeps
 * the images of daily and weekly jobs and of services idle over a weekend.
 */
const DEFAULT_MINIMUM_MAXIMUM_AGE = '168h';
/** 70 leaves room for the 75–80 that operators pick to collect before disk eviction (85% used by default). */
const DEFAULT_MINIMUM_HIGH_THRESHOLD = 70;
/** Four times the default step (85 → 80). */
const DEFAULT_MAXIMUM_THRESHOLD_GAP = 20;
/** How far below the high threshold fixes put the low one: the step between the kubelet's defaults. */
const THRESHOLD_STEP = DEFAULT_HIGH_THRESHOLD - DEFAULT_LOW_THRESHOLD;
/** `imageMaximumGCAge` arrived in 1.29 as an alpha field behind its gate (KEP-4210). */
const MAXIMUM_AGE_RELEASE = KUBELET_RELEASES.imageMaximumGCAge;
/** The ImageMaximumGCAge gate is beta and on by default from 1.30. */
const MAXIMUM_AGE_GATE_ON_RELEASE = KUBELET_RELEASES.imageMaximumGCAgeOnByDefault;
/** The kubelet refuses a negative imageMinimumGCAge from 1.36 (kubernetes/kubernetes#135997). */
const NEGATIVE_MINIMUM_AGE_REFUSED_RELEASE = KUBELET_RELEASES.negativeImageMinimumGCAgeRefused;

const REFUSES = 'the kubelet refuses this configuration and does not start: the node never becomes Ready';

type Report = (report: KubeletRuleReport) => void;

export default defineKubeletRule<Options>({
  meta: {
    id: 'kubelet-image-gc-evicts-prepulled',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description:
      'Kubelet image garbage-collection settings that delete pre-pulled and baked-in images: `imageMaximumGCAge` shorter than a week, `imageGCHighThresholdPercent` below 70, a low threshold far below the high one, a negative `imageMinimumGCAge`, and the combinations the kubelet refuses.',
    startupCost:
      'Each deleted image is pulled again by the next pod that needs it: about 20 s for a 1 GB image and several minutes for a 10 GB GPU image, on the nodes the images were pre-pulled to avoid exactly that. A combination the kubelet refuses keeps the node from ever becoming Ready.',
    fixable: true,
    options: {
      minimumMaximumGCAge: {
        type: 'string',
        default: DEFAULT_MINIMUM_MAXIMUM_AGE,
        description: 'The shortest `imageMaximumGCAge` accepted (a Go duration); the fix lengthens a shorter one to it.',
      },
      minimumHighThresholdPercent: {
        type: 'number',
        default: DEFAULT_MINIMUM_HIGH_THRESHOLD,
        description: 'The lowest `imageGCHighThresholdPercent` accepted; the fix raises a lower one to it, with the low threshold 5 points below.',
      },
      maximumThresholdGapPercent: {
        type: 'number',
        default: DEFAULT_MAXIMUM_THRESHOLD_GAP,
        description: 'How many percentage points `imageGCLowThresholdPercent` may sit below `imageGCHighThresholdPercent`.',
      },
    },
  },
  check({ config, options, kubernetesVersion, report }) {
    checkMaximumAge(config, options, kubernetesVersion, report);
    checkThresholds(config, options, report);
    checkMinimumAge(config, kubernetesVersion, report);
  },
});

/** The field's name as written: the flag for flag forms. */
function nameOf(setting: KubeletSetting): string {
  return setting.flag ? `--${setting.flag}` : setting.field;
}

/** A duration setting in nanoseconds; undefined when it is not a Go duration (the schema check says so). */
function durationOf(setting: KubeletSetting): number | undefined {
  return typeof setting.value === 'string' ? parseGoDuration(setting.value.trim()) : undefined;
}

/** A threshold setting; undefined outside 0–100 or not an integer (the schema check says so). */
function percentOf(setting: KubeletSetting): number | undefined {
  const { value } = setting;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100 ? value : undefined;
}

function fixFor(config: KubeletConfigView, title: string, values: Record<string, FieldValue>, safe: boolean) {
  const edits = config.set(values);
  return edits ? [{ title, edits, safe }] : [];
}

/** The minimum age the kubelet applies: the field (0 means the default), or the default when the configuration is whole. */
function minimumAgeInEffect(config: KubeletConfigView): { nanoseconds: number; text: string } | undefined {
  const setting = config.get('imageMinimumGCAge');
  if (!setting) return config.complete ? { nanoseconds: parseGoDuration(DEFAULT_MINIMUM_AGE)!, text: `${DEFAULT_MINIMUM_AGE}, the default` } : undefined;
  const age = durationOf(setting);
  if (age === undefined) return undefined;
  return age === 0 ? { nanoseconds: parseGoDuration(DEFAULT_MINIMUM_AGE)!, text: `${DEFAULT_MINIMUM_AGE}, as 0 means the default` } : { nanoseconds: age, text: String(setting.value).trim() };
}

function checkMaximumAge(config: KubeletConfigView, options: Options, version: KubernetesVersion, report: Report): void {
  const setting = config.get('imageMaximumGCAge');
  // Before 1.29 the kubelet does not know the field and ignores it.
  if (!setting || !atLeast(version, MAXIMUM_AGE_RELEASE)) return;
  const age = durationOf(setting);
  if (age === undefined || age === 0) return; // 0 disables age-based collection: the default
  const written = String(setting.value).trim();
  const target = setting.valueSpan;
  if (age < 0) {
    report({ target, message: `imageMaximumGCAge is ${written}: it must not be negative, and ${REFUSES}. Use 0s (age-based collection off) or a duration of ${optionAge(options).text} or more.` });
    return;
  }

  const gate = config.featureGate('ImageMaximumGCAge');
  const onByDefault = atLeast(version, MAXIMUM_AGE_GATE_ON_RELEASE);
  if (gate ? !gate.enabled : !onByDefault && config.complete) {
    const why = gate ? 'the ImageMaximumGCAge feature gate is set to false here' : 'the ImageMaximumGCAge feature gate is alpha and off by default in Kubernetes 1.29';
    report({ target, message: `imageMaximumGCAge is ${written} but ${why}, so ${REFUSES}. Enable the gate (featureGates: {ImageMaximumGCAge: true}) or remove imageMaximumGCAge.` });
    return;
  }

  const minimum = minimumAgeInEffect(config);
  const wanted = optionAge(options);
  if (minimum && age <= minimum.nanoseconds) {
    report({
      target,
      message: `imageMaximumGCAge (${written}) is not longer than imageMinimumGCAge (${minimum.text}): it must be longer, so ${REFUSES}.`,
      fixes: wanted.nanoseconds > minimum.nanoseconds ? fixFor(config, `Keep unused images for ${wanted.text} (imageMaximumGCAge: ${wanted.text})`, { imageMaximumGCAge: wanted.text }, false) : [],
    });
    return;
  }
  if (age >= wanted.nanoseconds) return;
  const gateNote = !onByDefault && !gate?.enabled ? ' On Kubernetes 1.29 it also needs the ImageMaximumGCAge feature gate, or the kubelet refuses to start.' : '';
  report({
    target,
    message: `imageMaximumGCAge is ${written} (${describeDuration(age)}), shorter than ${wanted.text}: the kubelet deletes every image no container has used for that long, however empty the disk, so images pre-pulled or baked into the node image for workloads that run less often are gone and their next pod pulls them again. Lengthen it to ${wanted.text}, or leave it unset to delete images only when the disk fills.${gateNote}`,
    fixes: fixFor(config, `Keep unused images for ${wanted.text} (imageMaximumGCAge: ${wanted.text})`, { imageMaximumGCAge: wanted.text }, true),
  });
}

/** The option as a positive Go duration, or the default when it is not one. */
function optionAge(options: Options): { nanoseconds: number; text: string } {
  const text = String(options.minimumMaximumGCAge ?? '').trim();
  const nanoseconds = parseGoDuration(text);
  return nanoseconds !== undefined && nanoseconds > 0 ? { nanoseconds, text } : { nanoseconds: parseGoDuration(DEFAULT_MINIMUM_MAXIMUM_AGE)!, text: DEFAULT_MINIMUM_MAXIMUM_AGE };
}

/** A number option, or its default when the settings hold something else. */
function numberOption(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function checkThresholds(config: KubeletConfigView, options: Options, report: Report): void {
  const highSetting = config.get('imageGCHighThresholdPercent');
  const lowSetting = config.get('imageGCLowThresholdPercent');
  if (!highSetting && !lowSetting) return;
  const high = highSetting ? percentOf(highSetting) : config.complete ? DEFAULT_HIGH_THRESHOLD : undefined;
  const low = lowSetting ? percentOf(lowSetting) : config.complete ? DEFAULT_LOW_THRESHOLD : undefined;
  if ((highSetting && high === undefined) || (lowSetting && low === undefined)) return; // out of range: the schema check's finding

  const minimumHigh = Math.min(100, Math.max(THRESHOLD_STEP + 1, Math.round(numberOption(options.minimumHighThresholdPercent, DEFAULT_MINIMUM_HIGH_THRESHOLD))));
  const raised = { imageGCHighThresholdPercent: minimumHigh, imageGCLowThresholdPercent: minimumHigh - THRESHOLD_STEP };
  const raisedTitle = `Start image GC at ${minimumHigh}% (imageGCHighThresholdPercent: ${minimumHigh}, imageGCLowThresholdPercent: ${minimumHigh - THRESHOLD_STEP})`;

  // Refused: low must be strictly below high, and no low (0 at least) is below a high of 0.
  if (high !== undefined && (high === 0 || (low !== undefined && low >= high))) {
    const keepHigh = high >= minimumHigh;
    const fixedLow = high - THRESHOLD_STEP;
    const fixes = keepHigh
      ? fixFor(config, `Stop image GC at ${fixedLow}% (imageGCLowThresholdPercent: ${fixedLow})`, { imageGCLowThresholdPercent: fixedLow }, false)
      : fixFor(config, raisedTitle, raised, false);
    report({ target: (lowSetting ?? highSetting)!.valueSpan, message: `${refusedThresholds(highSetting, lowSetting, high, low)}, so ${REFUSES}.`, fixes });
    return;
  }
  if (highSetting && high !== undefined && high < minimumHigh) {
    report({
      target: highSetting.valueSpan,
      message: `${nameOf(highSetting)} is ${high}, below ${minimumHigh}: image garbage collection starts when the image disk is only ${high}% full and deletes unused images, pre-pulled and baked-in ones included, while ${100 - high}% of the disk is still free; their next pods pull them again. Raise it to ${minimumHigh} or more (the kubelet default is ${DEFAULT_HIGH_THRESHOLD}, with the low threshold at ${DEFAULT_LOW_THRESHOLD}).`,
      fixes: fixFor(config, raisedTitle, raised, false),
    });
    return;
  }
  const gap = high !== undefined && low !== undefined ? high - low : 0;
  // A high threshold of 100 turns threshold-based collection off (kind does this): no run, no gap.
  if (high !== undefined && high < 100 && gap > Math.max(0, numberOption(options.maximumThresholdGapPercent, DEFAULT_MAXIMUM_THRESHOLD_GAP))) {
    const fixedLow = high - THRESHOLD_STEP;
    const lowName = lowSetting ? nameOf(lowSetting) : 'imageGCLowThresholdPercent';
    report({
      target: (lowSetting ?? highSetting)!.valueSpan,
      message: `${lowName} is ${low}, ${gap} points below the high threshold (${high}): each garbage collection deletes unused images until the disk is only ${low}% full, up to ${gap}% of the disk at once, which takes most pre-pulled and baked-in images with it where a few would have made room. Raise it to ${fixedLow} (${THRESHOLD_STEP} points below high, as the defaults ${DEFAULT_HIGH_THRESHOLD}/${DEFAULT_LOW_THRESHOLD}).`,
      fixes: fixFor(config, `Stop image GC at ${fixedLow}% (imageGCLowThresholdPercent: ${fixedLow})`, { imageGCLowThresholdPercent: fixedLow }, false),
    });
  }
}

/** Why the kubelet refuses the thresholds, naming what is written and what is defaulted. */
function refusedThresholds(highSetting: KubeletSetting | undefined, lowSetting: KubeletSetting | undefined, high: number, low: number | undefined): string {
  const highName = highSetting ? nameOf(highSetting) : 'imageGCHighThresholdPercent';
  const lowName = lowSetting ? nameOf(lowSetting) : 'imageGCLowThresholdPercent';
  if (high === 0 && (!lowSetting || low === undefined)) return `${highName} is 0: the low threshold must be below it and cannot be negative`;
  if (!lowSetting) return `${highName} is ${high} and ${lowName}, not set, defaults to ${low}: the low threshold must be below the high one`;
  if (!highSetting) return `${lowName} is ${low} and ${highName}, not set, defaults to ${high}: the low threshold must be below the high one`;
  return `${lowName} (${low}) is not below ${highName} (${high}): the low threshold must be below the high one`;
}

function checkMinimumAge(config: KubeletConfigView, version: KubernetesVersion, report: Report): void {
  const setting = config.get('imageMinimumGCAge');
  if (!setting) return;
  const age = durationOf(setting);
  // 0 is replaced by the 2m default; any positive age keeps the guard. Only a negative one removes it.
  if (age === undefined || age >= 0) return;
  const written = String(setting.value).trim();
  const refused = atLeast(version, NEGATIVE_MINIMUM_AGE_REFUSED_RELEASE);
  report({
    target: setting.valueSpan,
    message: refused
      ? `${nameOf(setting)} is ${written}: it must not be negative, and from Kubernetes 1.36 ${REFUSES}. Use ${DEFAULT_MINIMUM_AGE} (the default) or longer.`
      : `${nameOf(setting)} is ${written}: only 0 is replaced by the ${DEFAULT_MINIMUM_AGE} default, so a negative age removes the guard that keeps a just-pulled image until its container starts; garbage collection can delete it and the pod pulls it again (Kubernetes 1.36 and later refuse the value). Use ${DEFAULT_MINIMUM_AGE} (the default) or longer.`,
    fixes: fixFor(config, `Protect just-pulled images for ${DEFAULT_MINIMUM_AGE} (${setting.flag ? `--${setting.flag}=` : 'imageMinimumGCAge: '}${DEFAULT_MINIMUM_AGE})`, { imageMinimumGCAge: DEFAULT_MINIMUM_AGE }, true),
  });
}
