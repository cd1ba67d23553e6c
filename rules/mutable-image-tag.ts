import { isScalar } from 'yaml';
import { pinToDigestFix } from '../core/image-pinning';
import { isPlaceholderImage, parseImageReference } from '../core/image-reference';
import { describeContainer, defineRule } from '../core/rule';
import type { Fix } from '../core/types';
import { getPair, scalarText } from '../core/yaml-nodes';

interface Options {
  mutableTags: string[];
}

/**
 * An untagged or `:latest` image. Kubernetes defaults imagePullPolicy to Always for these, so
 * every start waits on a registry round trip, and two nodes can run two different builds.
 * When the registry's answer is known (registry access on), the fix pins the reference to the
 * digest the tag points at now (`name:tag@sha256:…`); it is not safe: which build to run is the
 * author's choice.
 */
export default defineRule<Options>({
  meta: {
    id: 'mutable-image-tag',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'Image reference without a tag, or with a mutable tag such as `:latest`.',
    startupCost:
      'The default pull policy for `:latest` or an untagged image is Always: every container start asks the registry for the manifest (typically 0.2–2 s, much longer when the registry is slow or rate-limits, as Docker Hub does with HTTP 429), and a cache hit on the node cannot be trusted. Nodes that pulled at different times run different code.',
    fixable: true,
    options: {
      mutableTags: {
        type: 'string[]',
        default: ['latest'],
        description: 'Tags treated as mutable besides a missing tag (for example `stable`, `main`).',
      },
    },
  },
  check({ workload, options, imageFacts, edit, report }) {
    const mutableTags = new Set(options.mutableTags);
    for (const container of workload.containers) {
      const imagePair = getPair(container.node, 'image');
      const raw = scalarText(workload.doc, imagePair?.value);
      if (!imagePair?.value || raw === undefined || isPlaceholderImage(raw)) continue;
      const image = parseImageReference(raw);
      if (!image || image.digest) continue;
      const what = image.tag === undefined ? `\`${raw}\` without a tag, which means \`:latest\`` : mutableTags.has(image.tag) ? `the mutable tag \`${raw}\`` : undefined;
      if (!what) continue;
      const policy = scalarText(workload.doc, getPair(container.node, 'imagePullPolicy')?.value);
      const pullsEveryStart = policy === 'Always' || (policy === undefined && (image.tag === undefined || image.tag === 'latest'));
      const cost = pullsEveryStart
        ? 'every start waits on a registry round trip (pull policy Always) and nodes may run different builds'
        : 'nodes that pulled at different times run different builds, and a rollout cannot tell them apart';
      const fixes: Fix[] = [];
      const facts = imageFacts(raw);
      // An alias (`image: *base`) stays an alias: rewriting it here would fork the anchored value.
      if (facts && isScalar(imagePair.value) && imagePair.value.range) {
        const pin = pinToDigestFix(edit.text, edit.abs(imagePair.value.range[0]), edit.abs(imagePair.value.range[1]), raw, facts.digest);
        if (pin) fixes.push(pin);
      }
      report({
        target: imagePair.value,
        message: `${describeContainer(container)} uses ${what}: ${cost}. Pin a version tag or a digest.`,
        fixes,
      });
    }
  },
});
