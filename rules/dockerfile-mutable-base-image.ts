import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import { unquote, type BaseImage, type BuildArg, type BuildStage } from '../core/dockerfile/model';
import { expandVariables } from '../core/dockerfile/variables';
import type { ImageFactsLookup } from '../core/image-facts';
import { pinToDigestFix } from '../core/image-pinning';
import { isPlaceholderImage, parseImageReference } from '../core/image-reference';
import { defineDockerfileRule } from '../core/rule';
import type { Fix } from '../core/types';

interface Options {
  mutableTags: string[];
  requireArgDefaults: boolean;
  skipDevelopmentFiles: boolean;
}

/**
 * A `FROM` on an untagged or `:latest` image. Every time upstream moves the tag, the next build
 * starts from new base layers: the image shares none of them with what the nodes have cached,
 * and each node pulls all of it again instead of only the application's own layers.
 *
 * Stage names and `scratch` are not images. A base image named through a global `ARG` is judged
 * by the ARG's default; an ARG without one that decides the whole image or the whole tag is
 * reported too (`requireArgDefaults`), since then the Dockerfile does not say what it builds on.
 * Development Dockerfiles (`Dockerfile.dev`, `Dockerfile.tilt`...) are skipped by default: their
 * `:latest` is usually a tools image built locally. When the registry's answer is known (registry
 * access on), a `FROM` written out literally gets a fix that pins it to the digest the tag points at
 * now (`name:tag@sha256:…`); it is not safe: which base to build on is the author's choice.
 */
export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-mutable-base-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'Dockerfile `FROM` an image without a tag, with a mutable tag such as `:latest`, or with a tag left to a build argument without a default.',
    startupCost:
      'When the base tag moves, the next build shares no base layer with the image the nodes have cached, so every node pulls the whole image again at the next rollout instead of the few MB of changed application layers: about 29 s at 100 Mbit/s for a 360 MB python base, per node. Builds of the same commit also differ, so a rollback is not a rollback.',
    fixable: true,
    options: {
      mutableTags: {
        type: 'string[]',
        default: ['latest'],
        description: 'Tags treated as mutable besides a missing tag (for example `stable`, `lts`).',
      },
      requireArgDefaults: {
        type: 'boolean',
        default: true,
        description: 'Also report a `FROM` whose whole image or whole tag comes from a build argument without a default (`FROM ${BASE_IMAGE}`, `FROM alpine:${ALPINE_VERSION}`).',
      },
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, imageFacts, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const mutableTags = new Set(options.mutableTags);
    for (const stage of dockerfile.stages) {
      const base = stage.base;
      if (!base || base.stage || base.scratch || isPlaceholderImage(base.text.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'x'))) continue;
      const problem = mutability(base, dockerfile.globalArgs, mutableTags);
      if (!problem) continue;
      if (problem.kind === 'argument') {
        if (options.requireArgDefaults) report({ target: base.span, message: `${problem.what} Give it a default pinned to a version tag or a digest; a build can still override it.` });
        continue;
      }
      report({ target: base.span, message: `${problem.what}: ${consequence(stage)}`, fixes: pinFixes(dockerfile.text, base, imageFacts) });
    }
  },
});

/** "Pin to digest" for a `FROM` written out literally, when the registry's answer is known. */
function pinFixes(text: string, base: BaseImage, imageFacts: ImageFactsLookup): Fix[] {
  if (base.variables.length > 0 || !base.reference) return [];
  const facts = imageFacts(base.reference.raw);
  const pin = facts && pinToDigestFix(text, base.span.start, base.span.end, base.reference.raw, facts.digest);
  return pin ? [pin] : [];
}

interface Mutability {
  kind: 'untagged' | 'mutable-tag' | 'argument';
  what: string;
}

/** Marks a build argument without a usable default inside the expanded text. */
const UNSET = (name: string) => `\u0001${name}\u0001`;
const UNSET_ONLY = /^(?:\u0001[A-Za-z_][A-Za-z0-9_]*\u0001)+$/;
const UNSET_NAME = /\u0001([A-Za-z_][A-Za-z0-9_]*)\u0001/g;

/**
 * Defaults that only stand for "pass this at build time": `ARG BASE_IMAGE=undefined`. They are
 * treated like no default, so the finding says what the author meant rather than "`undefined` has no tag".
 */
const PLACEHOLDER_DEFAULT = /^(undefined|unknown|unset|none|null|changeme|required|todo|)$/i;

function usableDefault(arg: BuildArg | undefined): string | undefined {
  const value = arg?.value;
  return value === undefined || PLACEHOLDER_DEFAULT.test(value.trim()) || isPlaceholderImage(value) ? undefined : value;
}

function mutability(base: BaseImage, args: Map<string, BuildArg>, mutableTags: Set<string>): Mutability | undefined {
  const expanded = expandVariables(base.text, (name) => usableDefault(args.get(name)) ?? UNSET(name)).value;
  if (expanded === undefined) return undefined;
  const text = unquote(expanded);
  const unsetNames = (part: string) => [...part.matchAll(UNSET_NAME)].map((match) => match[1]);

  if (UNSET_ONLY.test(text)) return { kind: 'argument', what: `The base image \`${base.text}\` comes from ${describeMissing(unsetNames(text), args)}, so the Dockerfile does not say which image it builds on.` };
  const reference = parseImageReference(text);
  if (!reference || reference.digest) return undefined;
  if (reference.tag !== undefined && UNSET_ONLY.test(reference.tag)) {
    return { kind: 'argument', what: `The tag of \`${base.text}\` comes from ${describeMissing(unsetNames(reference.tag), args)}, so the Dockerfile does not say which version it builds on.` };
  }
  // A name partly left to an argument (`${REGISTRY}/app`) still shows the tag the author chose.
  const shown = text.replace(UNSET_NAME, (_match, name: string) => `\${${name}}`);
  const defaults = base.variables.filter((name) => usableDefault(args.get(name)) !== undefined);
  const subject = defaults.length > 0 ? `\`${base.text}\` is \`${shown}\` by ${describeDefaults(defaults, args)},` : `\`${shown}\``;
  if (reference.tag === undefined) return { kind: 'untagged', what: `${subject} ${defaults.length > 0 ? 'with no tag' : 'has no tag'}, which means \`:latest\`` };
  if (mutableTags.has(reference.tag)) return { kind: 'mutable-tag', what: `${subject} ${defaults.length > 0 ? 'a' : 'is a'} mutable tag` };
  return undefined;
}

function describeDefaults(names: string[], args: Map<string, BuildArg>): string {
  const each = names.map((name) => `ARG ${name} (line ${args.get(name)!.instruction.line + 1})`);
  return each.length === 1 ? `the default of ${each[0]}` : `the defaults of ${each.slice(0, -1).join(', ')} and ${each[each.length - 1]}`;
}

function describeMissing(names: string[], args: Map<string, BuildArg>): string {
  return names
    .map((name) => {
      const arg = args.get(name);
      if (!arg) return `build argument ${name}, which is not declared before the first FROM`;
      const where = `ARG ${name} (line ${arg.instruction.line + 1})`;
      return arg.defaultText === undefined ? `${where}, which has no default` : `${where}, whose default \`${arg.defaultText}\` is a placeholder`;
    })
    .join(' and ');
}

/** What a moving base costs, by the stage's part in the final image. */
function consequence(stage: BuildStage): string {
  if (stage.inFinalImage) {
    return 'when it moves, the next build shares no base layer with the image the nodes have cached, and every node pulls all of it again instead of only the changed application layers. Pin a version tag or a digest.';
  }
  return `${stage.label} is not part of the final image (the last stage), but what is built in it or copied from it changes whenever the tag moves, and the final image with it. Pin a version tag or a digest.`;
}
