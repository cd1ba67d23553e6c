import { atLeast } from '../core/kubernetes-version';
import { KUBELET_RELEASES } from '../core/kubelet/defaults';
import type { FieldValue } from '../core/kubelet/model';
import { pullsImagesSerially } from '../core/kubelet/serial-image-pulls';
import { defineKubeletRule } from '../core/rule';

/**
 * A kubelet that pulls images one at a time. `serializeImagePulls` defaults to true: every pull on
 * the node waits for the pull before it, whatever pod it belongs to, so a node starting several
 * pods (a scale-up, a rollout, a node replacement) pulls their images in a queue. With false the
 * kubelet pulls in parallel, bounded from 1.27 by `maxParallelImagePulls`.
 *
 * An unset field counts only in a whole KubeletConfiguration, where the default applies; an
 * overlay (kind patch, nodeadm config, kubeletExtraArgs) is judged on what it writes, because its
 * base may already pull in parallel (EKS's does). A `maxParallelImagePulls` of 2 or more makes an
 * unset `serializeImagePulls` default to false; with an explicit true, the kubelet refuses the
 * pair, which is kubelet-parallel-pulls-while-serial's finding.
 */

interface Options {
  maxParallelImagePulls: number;
}

/** `maxParallelImagePulls` exists from 1.27 (KEP-3673); before, parallel pulls were unbounded. */
const MAX_PARALLEL_IMAGE_PULLS_RELEASE = KUBELET_RELEASES.maxParallelImagePulls;

export default defineKubeletRule<Options>({
  meta: {
    id: 'kubelet-serial-image-pulls',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'A kubelet configuration that pulls images one at a time (`serializeImagePulls` true or, in a whole KubeletConfiguration, unset).',
    startupCost: 'On a node starting several pods at once (a scale-up, a rollout, a replaced node), each pod\'s pulls queue behind every other pod\'s: with three pods of one 1 GB image each (about 20 s per pull), the third pod starts pulling after about 40 s.',
    fixable: true,
    options: {
      maxParallelImagePulls: { type: 'number', default: 5, description: 'The `maxParallelImagePulls` the fix sets with `serializeImagePulls: false` (Kubernetes 1.27 and later; at least 2).' },
    },
  },
  check({ config, options, kubernetesVersion, report }) {
    const serialize = config.get('serializeImagePulls');
    // A bound of 2 or more makes an unset serializeImagePulls default to false; with an explicit true, the kubelet refuses the pair (the other rule).
    if (pullsImagesSerially(serialize?.value, config.get('maxParallelImagePulls')?.value, config.complete) !== true) return;
    const bounded = atLeast(kubernetesVersion, MAX_PARALLEL_IMAGE_PULLS_RELEASE) && config.form !== 'kubeadm-flags' && config.form !== 'cluster-api-flags' && config.form !== 'nodeadm-flags';
    const bound = Math.max(2, Math.floor(options.maxParallelImagePulls));
    const values: Record<string, FieldValue> = bounded ? { serializeImagePulls: false, maxParallelImagePulls: bound } : { serializeImagePulls: false };
    const edits = config.set(values);
    const how = serialize ? `${serialize.flag ? `--${serialize.flag}` : 'serializeImagePulls'} is true` : 'serializeImagePulls is not set, and it defaults to true';
    report({
      target: serialize ? serialize.valueSpan : config.anchor,
      message: `${how}: the kubelet pulls one image at a time, so on a node starting several pods each pull waits for every pull before it. Set serializeImagePulls to false${bounded ? ` and bound the parallel pulls with maxParallelImagePulls (${bound})` : ''}.`,
      fixes: edits ? [{ title: bounded ? `Pull images in parallel (serializeImagePulls: false, maxParallelImagePulls: ${bound})` : 'Pull images in parallel (serializeImagePulls: false)', edits, safe: true }] : [],
    });
  },
});
