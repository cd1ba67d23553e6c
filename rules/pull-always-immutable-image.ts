import { DEFAULT_PINNED_TAG_PATTERN, isImmutableReference, isPlaceholderImage, parseImageReference } from '../core/image-reference';
import { describeContainer, defineRule } from '../core/rule';
import { getPair, scalarText } from '../core/yaml-nodes';

interface Options {
  pinnedTagPattern: string;
}

/**
 * `imagePullPolicy: Always` on a digest or a pinned version: the image cannot change, yet each
 * start still waits for a registry round trip, and fails outright if the registry is down.
 */
export default defineRule<Options>({
  meta: {
    id: 'pull-always-immutable-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: '`imagePullPolicy: Always` on an image pinned by digest or by a full version tag.',
    startupCost:
      'Always makes the kubelet resolve the reference with the registry at every container start even when the node has the image: a manifest request of roughly 0.2–2 s per container on a healthy registry, seconds to minutes (ImagePullBackOff) when the registry is slow, rate-limited or unreachable. A digest or a pinned version cannot change, so that round trip buys nothing.',
    fixable: true,
    options: {
      pinnedTagPattern: {
        type: 'string',
        default: DEFAULT_PINNED_TAG_PATTERN,
        format: 'regex',
        description: 'Regular expression for tags that name exactly one build (full versions, commit shas, dates).',
      },
    },
  },
  check({ workload, options, edit, report }) {
    for (const container of workload.containers) {
      const policyPair = getPair(container.node, 'imagePullPolicy');
      if (!policyPair?.value || scalarText(workload.doc, policyPair.value) !== 'Always') continue;
      const raw = scalarText(workload.doc, getPair(container.node, 'image')?.value);
      if (raw === undefined || isPlaceholderImage(raw)) continue;
      const image = parseImageReference(raw);
      if (!image || !isImmutableReference(image, options.pinnedTagPattern)) continue;
      const pinnedBy = image.digest ? 'by digest' : `to the version tag \`:${image.tag}\``;
      const replacement = edit.replaceNode(policyPair.value, 'IfNotPresent');
      report({
        target: policyPair.value,
        message: `${describeContainer(container)} pins its image ${pinnedBy} but sets \`imagePullPolicy: Always\`: every start waits on a registry round trip for an image that cannot change. Use IfNotPresent.`,
        fixes: replacement ? [{ title: 'Set imagePullPolicy to IfNotPresent', edits: [replacement], safe: true }] : [],
      });
    }
  },
});
