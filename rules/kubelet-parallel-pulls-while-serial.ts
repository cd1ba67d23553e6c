import { defineKubeletRule } from '../core/rule';

/**
 * `maxParallelImagePulls` above 1 while pulls stay serial, or below 1. The kubelet validates its
 * configuration at start and refuses both ("maxParallelImagePulls cannot be larger than 1 unless
 * SerializeImagePulls is set to false", "must be a positive number"): it exits, the node never
 * turns Ready, and nothing is scheduled on it. The author meant parallel pulls; the fix says so.
 *
 * Only an explicit `serializeImagePulls: true` conflicts: left unset, it defaults to false when
 * `maxParallelImagePulls` is 2 or more (the kubelet's defaulting, since 1.27).
 */
export default defineKubeletRule({
  meta: {
    id: 'kubelet-parallel-pulls-while-serial',
    stage: 'scheduling',
    defaultSeverity: 'error',
    description: 'A kubelet configuration with `maxParallelImagePulls` above 1 while `serializeImagePulls` is set to true, or below 1: the kubelet refuses it and does not start.',
    startupCost: 'The kubelet exits at start with a validation error: the node never becomes Ready, so 100% of the pods meant for it wait in Pending (or go elsewhere) until the configuration is fixed.',
    fixable: true,
    options: {},
  },
  check({ config, report }) {
    const limit = config.get('maxParallelImagePulls');
    if (!limit || typeof limit.value !== 'number') return;
    if (limit.value < 1) {
      report({
        target: limit.valueSpan,
        message: `maxParallelImagePulls is ${limit.value}: the kubelet requires a positive number and refuses to start with this configuration. Use 1 for one pull at a time, or a bound such as 5 with serializeImagePulls: false.`,
      });
      return;
    }
    if (limit.value <= 1) return;
    const serialize = config.get('serializeImagePulls');
    if (serialize?.value !== true) return;
    const edits = config.set({ serializeImagePulls: false });
    report({
      target: limit.valueSpan,
      message: `maxParallelImagePulls is ${limit.value} but serializeImagePulls is true: the kubelet refuses this combination ("maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls is set to false") and does not start, so the node never becomes Ready. Set serializeImagePulls to false for parallel pulls.`,
      fixes: edits ? [{ title: 'Pull images in parallel (serializeImagePulls: false)', edits, safe: true }] : [],
    });
  },
});
