/**
 * What Podstart knows about heavy base images that have a leaner sibling: the language images on
 * full Debian (`python:3.12` vs `python:3.12-slim`), the SDK and build-tool images that a compiled
 * program does not need at run time (`golang`, `maven`, a JDK vs a JRE, the .NET SDK), and NVIDIA's
 * CUDA `devel` images vs `runtime`. Each entry says what the image carries, what to use instead,
 * the drop-in tag when one exists, and typical compressed sizes (linux/amd64, as the registries
 * show them; sources in docs/rules/dockerfile-fat-base-image.md).
 *
 * Only images whose variants are known are judged: an unknown repository, or a tag whose shape is
 * not recognised, gets no verdict rather than a guess.
 */
import type { ImageReference } from '../image-reference';

/** `slim`: a slim tag of the same image; `runtime`: a runtime tag of the same image; `sdk`: another image. */
export type LeanerKind = 'slim' | 'runtime' | 'sdk';

export interface LeanerBase {
  kind: LeanerKind;
  /** What the image is, completing "`python:3.12` is ...". */
  what: string;
  /** The leaner choice, in words. */
  instead: string;
  /** A drop-in tag for the same repository, when one exists (never for a reference pinned by digest). */
  replacementTag?: string;
  /**
   * Typical compressed sizes in MB: of this image and of the leaner one (`total`), or of what this
   * image adds and of what the leaner one keeps (`extra`: only the difference is stated).
   */
  fullMB: number;
  leanMB: number;
  compare: 'total' | 'extra';
  /**
   * SDK images are also build and development environments on purpose (CI images, fuzzers,
   * devcontainers). They are judged only when the image runs a program (CMD or ENTRYPOINT).
   */
  onlyWithEntrypoint: boolean;
}

/** Seconds to pull `megabytes` over a link of `megabitsPerSecond`, before extraction. */
export function pullSeconds(megabytes: number, megabitsPerSecond = 100): number {
  return (megabytes * 8) / megabitsPerSecond;
}

const DOCKER_HUB_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/**
 * The Docker Hub repository of a reference, `library/` removed for official images, or undefined
 * for other registries. Docker Hub mirrors (mirror.gcr.io, ECR Public's docker/library) count.
 */
export function dockerHubRepository(reference: ImageReference): string | undefined {
  const { registry, repository } = reference;
  if (registry === undefined || DOCKER_HUB_REGISTRIES.has(registry) || registry === 'mirror.gcr.io') return repository.replace(/^library\//, '');
  if (registry === 'public.ecr.aws' && repository.startsWith('docker/library/')) return repository.slice('docker/library/'.length);
  return undefined;
}

const DEBIAN_SUITES = new Set(['trixie', 'bookworm', 'bullseye', 'buster', 'stretch', 'jessie']);
/** Variants that are already lean, or of another operating system: nothing to suggest. */
const LEAN_OR_OTHER = /(^|-)(slim|alpine|windowsservercore|nanoserver|ltsc)/;

interface SlimFamily {
  /** `3.12-slim-bookworm` (python, ruby) or `22-bookworm-slim` (node). */
  order: 'slim-suite' | 'suite-slim';
  /** Words that stand for a version (`lts`, `iron`...), besides numbers. */
  versionWords?: Set<string>;
  what: string;
  fullMB: number;
  leanMB: number;
}

const SLIM_FAMILIES: Record<string, SlimFamily> = {
  python: { order: 'slim-suite', what: 'the full Debian image, with compilers, headers and hundreds of build packages', fullMB: 360, leanMB: 42 },
  node: {
    order: 'suite-slim',
    versionWords: new Set(['lts', 'current', 'argon', 'boron', 'carbon', 'dubnium', 'erbium', 'fermium', 'gallium', 'hydrogen', 'iron', 'jod', 'krypton']),
    what: 'the full Debian image, with compilers, headers and hundreds of build packages',
    fullMB: 390,
    leanMB: 76,
  },
  ruby: { order: 'slim-suite', what: 'the full Debian image, with compilers, headers and hundreds of build packages', fullMB: 400, leanMB: 66 },
};

const NUMERIC_VERSION = /^\d+(\.\d+)*([a-z]+\d*)?$/;

/** The `-slim` tag for a full tag of a slim family, or undefined when the tag's shape is not one of the known ones. */
function slimTagOf(tag: string | undefined, family: SlimFamily): string | undefined {
  if (tag === undefined || tag === 'latest') return 'slim';
  const parts = tag.split('-');
  let suite: string | undefined;
  if (DEBIAN_SUITES.has(parts[parts.length - 1])) suite = parts.pop();
  if (parts.length === 0) return family.order === 'slim-suite' ? `slim-${suite}` : `${suite}-slim`;
  const isVersion = (word: string) => NUMERIC_VERSION.test(word) || family.versionWords?.has(word) === true;
  // `3.15-rc` is a version too.
  const versionOk = (parts.length === 1 && isVersion(parts[0])) || (parts.length === 2 && isVersion(parts[0]) && parts[1] === 'rc');
  if (!versionOk) return undefined;
  const version = parts.join('-');
  if (!suite) return `${version}-slim`;
  return family.order === 'slim-suite' ? `${version}-slim-${suite}` : `${version}-${suite}-slim`;
}

/** Vendors that publish a JRE tag beside each JDK tag. */
const JDK_REPOSITORIES = new Set(['eclipse-temurin', 'ibm-semeru-runtimes', 'sapmachine']);

const DEVEL_WORD = /(^|-)devel(?=-|$)/;
const JDK_WORD = /(^|-)jdk(?=-|$|\d)/;
const JRE_WORD = /(^|-)jre(?=-|$|\d)/;

/** The verdict on a base image, or undefined when it is lean already or not one Podstart knows. */
export function leanerBaseFor(reference: ImageReference): LeanerBase | undefined {
  const hub = dockerHubRepository(reference);
  const { tag } = reference;
  const pinned = reference.digest !== undefined;
  const withTag = (newTag: string | undefined) => (pinned ? undefined : newTag);

  const slim = hub !== undefined ? SLIM_FAMILIES[hub] : undefined;
  if (slim) {
    if (tag !== undefined && LEAN_OR_OTHER.test(tag)) return undefined;
    const slimTag = slimTagOf(tag, slim);
    if (slimTag === undefined) return undefined;
    return {
      kind: 'slim',
      what: slim.what,
      instead: `\`${hub}:${slimTag}\`, the same ${hub} on a minimal Debian`,
      replacementTag: withTag(slimTag),
      fullMB: slim.fullMB,
      leanMB: slim.leanMB,
      compare: 'total',
      onlyWithEntrypoint: false,
    };
  }

  const cudaLike = hub === 'nvidia/cuda' || hub === 'pytorch/pytorch' || (reference.registry === 'nvcr.io' && reference.repository === 'nvidia/cuda');
  if (cudaLike && tag !== undefined && DEVEL_WORD.test(tag)) {
    return {
      kind: 'runtime',
      what: 'a CUDA `devel` image, which adds the CUDA compiler, headers and static libraries to the runtime image',
      instead: 'the `runtime` variant of the same tag, which has every CUDA shared library a built program loads',
      replacementTag: withTag(tag.replace(DEVEL_WORD, '$1runtime')),
      fullMB: 2600,
      leanMB: 1100,
      compare: 'extra',
      onlyWithEntrypoint: false,
    };
  }

  if (hub !== undefined && JDK_REPOSITORIES.has(hub)) {
    if (tag !== undefined && JRE_WORD.test(tag)) return undefined;
    const jreTag = jreTagOf(hub, tag);
    return {
      kind: 'runtime',
      what: 'a full JDK, which adds the compiler, jmods and development tools to the Java runtime',
      instead: jreTag ? `\`${hub}:${jreTag}\`, the JRE of the same release` : 'the JRE tag of the same release (`<version>-jre`)',
      replacementTag: withTag(jreTag),
      fullMB: JDK_MB,
      leanMB: JRE_MB,
      compare: 'extra',
      onlyWithEntrypoint: true,
    };
  }

  const sdk = hub !== undefined ? SDK_IMAGES[hub] : undefined;
  if (sdk && !(hub === 'openjdk' && tag !== undefined && JRE_WORD.test(tag))) {
    const alpine = tag !== undefined && /(^|-)alpine/.test(tag);
    return { kind: 'sdk', what: sdk.what, instead: sdk.instead, fullMB: alpine && sdk.alpineMB ? sdk.alpineMB : sdk.fullMB, leanMB: sdk.leanMB, compare: sdk.compare, onlyWithEntrypoint: true };
  }
  if (reference.registry === 'mcr.microsoft.com' && /^dotnet\/(core\/)?sdk$/.test(reference.repository)) {
    return { kind: 'sdk', what: DOTNET_SDK.what, instead: DOTNET_SDK.instead, fullMB: DOTNET_SDK.fullMB, leanMB: DOTNET_SDK.leanMB, compare: DOTNET_SDK.compare, onlyWithEntrypoint: true };
  }
  return undefined;
}

/** `21-jdk-noble` → `21-jre-noble`; Temurin's bare `21` and `21-alpine` (JDKs) → `21-jre`, `21-jre-alpine`. */
function jreTagOf(hub: string, tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  if (JDK_WORD.test(tag)) return tag.replace(JDK_WORD, '$1jre');
  if (hub !== 'eclipse-temurin') return undefined;
  const match = /^(\d+(?:[.\d_]*\d)?)(-.+)?$/.exec(tag);
  return match ? `${match[1]}-jre${match[2] ?? ''}` : undefined;
}

/** Java 21 on Ubuntu: the headless JRE package is about 46 MB compressed, the JDK's adds about 80 MB. */
const JRE_MB = 50;
const JDK_MB = 130;

type SdkFacts = Pick<LeanerBase, 'what' | 'instead' | 'fullMB' | 'leanMB' | 'compare'> & {
  /** Compressed size of the `-alpine` variant, where there is one. */
  alpineMB?: number;
};

const JDK_BUILD_TOOL: SdkFacts = {
  what: 'Maven or Gradle on a full JDK, neither of which a packaged application needs at run time',
  instead: 'a build stage on this image that copies the packaged application into a JRE image such as `eclipse-temurin:<version>-jre`',
  fullMB: JDK_MB,
  leanMB: JRE_MB,
  compare: 'extra',
};

const SDK_IMAGES: Record<string, SdkFacts> = {
  golang: {
    what: 'the Go SDK (compiler, toolchain and standard library sources), none of which a compiled Go program needs',
    instead: 'a build stage on this image that copies the binary into `gcr.io/distroless/static` (about 2 MB) or `alpine` (about 4 MB)',
    fullMB: 300,
    alpineMB: 100,
    leanMB: 4,
    compare: 'total',
  },
  rust: {
    what: 'the Rust toolchain on full Debian, which a compiled Rust program does not need',
    instead: 'a build stage on this image that copies the binary into `debian:bookworm-slim` or `gcr.io/distroless/cc`',
    fullMB: 480,
    leanMB: 30,
    compare: 'total',
  },
  maven: JDK_BUILD_TOOL,
  gradle: JDK_BUILD_TOOL,
  openjdk: {
    what: 'a full JDK, from the `openjdk` images Docker deprecated in 2022',
    instead: 'a JRE image such as `eclipse-temurin:<version>-jre`',
    fullMB: JDK_MB,
    leanMB: JRE_MB,
    compare: 'extra',
  },
};

const DOTNET_SDK: SdkFacts = {
  what: 'the .NET SDK, which a published .NET application does not need',
  instead: 'a build stage on this image that publishes into `mcr.microsoft.com/dotnet/aspnet` (web apps) or `mcr.microsoft.com/dotnet/runtime`',
  fullMB: 300,
  leanMB: 90,
  compare: 'total',
};
