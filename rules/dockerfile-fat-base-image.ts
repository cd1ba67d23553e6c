import { leanerBaseFor, pullSeconds, type LeanerBase } from '../core/dockerfile/base-images';
import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import { rootBaseOf, type BaseImage, type BuildStage, type DockerfileModel } from '../core/dockerfile/model';
import { defineDockerfileRule } from '../core/rule';
import type { Fix } from '../core/types';

/**
 * The final image built on a full OS or SDK image where a leaner variant of the same thing exists:
 * `python:3.12` (full Debian with compilers) vs `python:3.12-slim`, a JDK vs its JRE, CUDA `devel`
 * vs `runtime`, the Go or .NET SDK under a compiled program. Every node that starts the pod for
 * the first time pulls those extra hundreds of MB.
 *
 * Stage-aware: a builder stage may be as fat as it needs; only the base the final image starts from
 * counts (the last stage, followed through `FROM <stage>`). SDK images are judged only when the
 * final image runs a program (CMD or ENTRYPOINT): without one they are build or development
 * environments on purpose, and so are Dockerfiles named for development (`Dockerfile.dev`,
 * `Dockerfile.tilt`), skipped by default. The fix switches to the slim or runtime tag of the same image; it is
 * not safe, since the app may need a package or tool that the leaner variant lacks.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-fat-base-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'Final Dockerfile stage built on a full OS or SDK image (`python:3.12`, `node:20`, `golang`, a JDK, CUDA `devel`) where a slim, runtime or distroless variant exists.',
    startupCost:
      'Every node that starts the pod without the image cached pulls the whole base first: `python:3.12` is about 360 MB compressed (about 29 s at 100 Mbit/s) where `python:3.12-slim` is about 42 MB (about 3 s); `node:22` about 390 MB vs 76 MB for `-slim`; a CUDA `devel` image adds about 1.5 GB compressed (2–4 GB once unpacked, about 2 min at 100 Mbit/s) to `runtime`. Extraction adds more on top, and scale-ups and node replacements pay it again.',
    fixable: true,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, edit, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const finalStage = dockerfile.finalStage;
    if (!finalStage) return;
    const { stage: root, base } = rootBaseOf(finalStage);
    if (!base?.reference) return;
    const leaner = leanerBaseFor(base.reference);
    if (!leaner || (leaner.onlyWithEntrypoint && !runsProgram(dockerfile))) return;
    const fixes: Fix[] = [];
    const replacement = replacementText(base, leaner);
    if (replacement) {
      fixes.push({ title: `Use ${replacement} (check that the app needs nothing it lacks)`, edits: [edit.replace(base.span, replacement)], safe: false });
    }
    report({ target: base.span, message: message(base, leaner, finalStage, root), fixes });
  },
});

/** Whether the final image runs a program of its own: a CMD or ENTRYPOINT in the final stage or a stage it builds on. */
function runsProgram(dockerfile: DockerfileModel): boolean {
  return dockerfile.stages.some((stage) => stage.inFinalImage && stage.instructions.some((instruction) => instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT'));
}

/** The image text with the leaner tag, when the text names the image literally (no build arguments, no digest). */
function replacementText(base: BaseImage, leaner: LeanerBase): string | undefined {
  if (!leaner.replacementTag || base.variables.length > 0 || base.reference?.digest) return undefined;
  const quote = /^["']/.test(base.text) ? base.text[0] : '';
  const text = quote ? base.text.slice(1, -1) : base.text;
  const lastSlash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  const name = colon > lastSlash ? text.slice(0, colon) : text;
  return `${quote}${name}:${leaner.replacementTag}${quote}`;
}

function megabytes(mb: number): string {
  return mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${mb} MB`;
}

function duration(mb: number): string {
  const seconds = pullSeconds(mb);
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${Math.max(1, Math.round(seconds))} s`;
}

function message(base: BaseImage, leaner: LeanerBase, finalStage: BuildStage, root: BuildStage): string {
  const image = base.variables.length > 0 ? `\`${base.text}\` (\`${base.resolved}\` by default)` : `\`${base.text}\``;
  const through = root === finalStage ? '' : ` through ${root.label}`;
  const size =
    leaner.compare === 'total'
      ? `about ${megabytes(leaner.fullMB)} compressed, about ${duration(leaner.fullMB)} to pull at 100 Mbit/s on each node that does not have it`
      : `its extra layers are about ${megabytes(leaner.fullMB - leaner.leanMB)} compressed, about ${duration(leaner.fullMB - leaner.leanMB)} to pull at 100 Mbit/s on each node that does not have them`;
  const instead =
    leaner.compare === 'total' && leaner.kind === 'slim'
      ? `Use ${leaner.instead}, about ${megabytes(leaner.leanMB)} (about ${duration(leaner.leanMB)})`
      : `Use ${leaner.instead}`;
  const caveat = leaner.kind === 'sdk' ? '' : ', after checking that the app needs nothing it lacks';
  return `The final image is built on ${image}${through}, ${leaner.what}: ${size}. ${instead}${caveat}.`;
}
