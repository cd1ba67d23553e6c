import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import { rootBaseOf } from '../core/dockerfile/model';
import { pinToDigestFix } from '../core/image-pinning';
import { describePullSize, isLargeImage, PREPULL_AND_LAZY_PULL, PULL_SIZE_OPTIONS, type PullSizeOptions } from '../core/image-pull-size';
import { defineDockerfileRule } from '../core/rule';

interface Options extends PullSizeOptions {
  skipDevelopmentFiles: boolean;
}

/**
 * The final image starts from a base whose compressed size, as its registry reports it, is over the
 * threshold: whatever the Dockerfile adds comes on top, and every node without the image pulls the
 * base first. Only the final image's base counts (the last stage, followed through `FROM <stage>`):
 * a builder stage's base never reaches the nodes. Sizes come from the registry (`podstart check
 * --registry`, or `podstart.registry.enabled` in a trusted workspace); without them the rule says
 * nothing. No fix: a smaller base is a choice (dockerfile-fat-base-image suggests the known ones);
 * a `FROM` on a moving tag also gets dockerfile-mutable-base-image, whose fix pins the digest.
 */
export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-large-base-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description:
      "Final Dockerfile stage built on a base image larger than a threshold (200 MB compressed by default), by the size its registry reports (needs registry access: `podstart check --registry` or the `podstart.registry.enabled` setting).",
    startupCost:
      'The image a pod pulls is at least as big as its base: a node without it downloads the whole base before the container starts, 200 MB in about 16 s at 100 Mbit/s, a 1.2 GB base in about 96 s, a 9 GB CUDA development image in about 12 min, before extraction and before the layers the Dockerfile adds.',
    fixable: true,
    options: {
      ...PULL_SIZE_OPTIONS,
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, imageFacts, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const finalStage = dockerfile.finalStage;
    if (!finalStage) return;
    const { stage: root, base } = rootBaseOf(finalStage);
    if (!base?.reference) return;
    const reference = base.reference.raw;
    const facts = imageFacts(reference);
    if (!facts || !isLargeImage(facts, options)) return;
    const image = base.variables.length > 0 ? `\`${base.text}\` (\`${reference}\` by default)` : `\`${reference}\``;
    const through = root === finalStage ? '' : ` through ${root.label}`;
    // Pinning does not make the base smaller, but every build then starts from the very image measured.
    const pin = base.variables.length === 0 ? pinToDigestFix(dockerfile.text, base.span.start, base.span.end, reference, facts.digest) : undefined;
    report({
      target: base.span,
      fixes: pin ? [{ ...pin, keepsFinding: true }] : [],
      message: `The final image is built on ${image}${through}: ${describePullSize(facts, options)} on each node that does not have it yet, before the layers this Dockerfile adds. Start from a smaller base (a slim, runtime or distroless variant, with a build stage for the tools), or ${PREPULL_AND_LAZY_PULL}.`,
    });
  },
});
