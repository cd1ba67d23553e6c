import { pinToDigestFix } from '../core/image-pinning';
import { describePullSize, isLargeImage, PREPULL_AND_LAZY_PULL, PULL_SIZE_OPTIONS, type PullSizeOptions } from '../core/image-pull-size';
import { isPlaceholderImage, parseImageReference } from '../core/image-reference';
import { describeContainer, defineRule } from '../core/rule';
import { getPair, scalarText } from '../core/yaml-nodes';

/**
 * A container image whose compressed size, as the registry that serves it reports it, is over the
 * threshold: every node that starts the pod without the image downloads all of it before the
 * container can start. Sizes come from the registry (`podstart check --registry`, or
 * `podstart.registry.enabled` in a trusted workspace); without them the rule says nothing.
 *
 * Every container kind counts (init, sidecar and ephemeral containers are pulled like the app's).
 * What helps (a smaller image, pre-pulling, lazy pulling) is a change elsewhere, so no fix clears the
 * finding; it offers "Pin to digest" beside it, so that every node pulls the very image the size is
 * of (and a pre-puller can pull exactly that). An image on a moving tag also gets mutable-image-tag.
 */
export default defineRule<PullSizeOptions>({
  meta: {
    id: 'large-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: "Container image larger than a threshold (200 MB compressed by default), by the size its registry reports (needs registry access: `podstart check --registry` or the `podstart.registry.enabled` setting).",
    startupCost:
      'A node that has none of the layers downloads the whole compressed image before the container starts: 200 MB is about 16 s at 100 Mbit/s, 1.2 GB about 96 s, a 9 GB CUDA image about 12 min, before extraction (often as long again). Every scale-up onto a new node, node replacement and image update pays it.',
    fixable: true,
    options: PULL_SIZE_OPTIONS,
  },
  check({ workload, options, imageFacts, edit, report }) {
    for (const container of workload.containers) {
      const imagePair = getPair(container.node, 'image');
      const raw = scalarText(workload.doc, imagePair?.value);
      if (!imagePair?.value || raw === undefined || isPlaceholderImage(raw)) continue;
      if (!parseImageReference(raw)) continue;
      const facts = imageFacts(raw);
      if (!facts || !isLargeImage(facts, options)) continue;
      const pin = pinToDigestFix(edit.text, edit.abs(imagePair.value.range![0]), edit.abs(imagePair.value.range![1]), raw, facts.digest);
      report({
        target: imagePair.value,
        message: `${describeContainer(container)} pulls \`${raw}\`: ${describePullSize(facts, options)} on each node that does not have it yet. Make the image smaller, or ${PREPULL_AND_LAZY_PULL}.`,
        fixes: pin ? [{ ...pin, keepsFinding: true }] : [],
      });
    }
  },
});
