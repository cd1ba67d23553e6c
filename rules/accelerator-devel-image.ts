import { isPlaceholderImage, parseImageReference, type ImageReference } from '../core/image-reference';
import { describeContainer, defineRule } from '../core/rule';
import { containerCommand } from '../core/shell-commands';
import { getPair, scalarText } from '../core/yaml-nodes';

/**
 * A CUDA, ROCm or oneAPI development image run as a workload: `nvidia/cuda:*-devel-*`,
 * `pytorch/pytorch:*-devel`, `rocm/dev-*`, `intel/oneapi-basekit`. The development variants add
 * the compiler toolchain, headers, static libraries and debuggers on top of the runtime libraries:
 * for CUDA about 1.5 GB compressed (2–4 GB unpacked) that every node pulls before the container can start, and that a prebuilt program
 * never uses. The runtime variants (`-runtime`, `-base`, `intel/oneapi-runtime`) carry what a
 * built application loads.
 *
 * Not reported: a container whose command visibly compiles or uses a tool that only the devel
 * image has (nvcc, cmake, make, ninja, setup.py, a CUDA demo-suite or sample binary, Nsight).
 */

interface DevelImage {
  /** "the CUDA devel image", for the message. */
  label: string;
  /** The image to use instead, for the message. */
  instead: string;
  /** The reference with `devel` replaced by `runtime`, when that tag exists for the repository. */
  runtimeReference?: string;
}

/** The repository path without a registry mirror's prefix: `mirror.example.com/dockerhub/nvidia/cuda` → `nvidia/cuda`. */
function repositoryEndsWith(image: ImageReference, repository: string): boolean {
  return image.repository === repository || image.repository.endsWith(`/${repository}`);
}

function develImage(raw: string, image: ImageReference): DevelImage | undefined {
  const tag = image.tag ?? '';
  const swapTag = () => (image.digest ? undefined : raw.slice(0, raw.length - tag.length) + tag.replace(/devel/, 'runtime'));
  if (repositoryEndsWith(image, 'nvidia/cuda') && /(^|-)devel(-|$)/.test(tag)) {
    return { label: 'the CUDA `devel` image', instead: `\`${tag.replace(/devel/, 'runtime')}\` (or \`-base\` when only libcudart is needed)`, runtimeReference: swapTag() };
  }
  if (repositoryEndsWith(image, 'pytorch/pytorch') && /-devel$/.test(tag)) {
    return { label: 'the PyTorch `devel` image', instead: `\`${tag.replace(/devel$/, 'runtime')}\``, runtimeReference: swapTag() };
  }
  if (/(^|\/)rocm\/dev-[a-z0-9.-]+$/.test(image.repository)) {
    return { label: 'the ROCm development image', instead: 'an image that installs only the ROCm runtime packages your program loads (`rocm-hip-runtime`, `rocm-ml-libraries`) or a framework image such as `rocm/pytorch`' };
  }
  if (/(^|\/)intel\/oneapi-(basekit|hpckit)$/.test(image.repository)) {
    return { label: 'the oneAPI Base Toolkit image', instead: '`intel/oneapi-runtime`' };
  }
  return undefined;
}

/** Commands that need the toolchain or a tool only the devel image ships. */
const NEEDS_DEVEL = /\b(nvcc|hipcc|icpx|cmake|make|ninja|setup\.py|ncu|nsys|cuda-gdb|compute-sanitizer)\b|demo_suite|cuda-samples|deviceQuery|bandwidthTest|busGrind/;

export default defineRule({
  meta: {
    id: 'accelerator-devel-image',
    stage: 'image-pull',
    defaultSeverity: 'info',
    description: 'Container that runs a CUDA, ROCm or oneAPI development image (`nvidia/cuda:*-devel-*`, `rocm/dev-*`) instead of a runtime image.',
    startupCost:
      'A `-devel` CUDA image adds the compiler, headers and static libraries to the runtime image: about 1.5 GB more to download, compressed (2–4 GB once unpacked), on every node that has not pulled it yet: about 2 min at 100 Mbit/s, 12 s at 1 Gbit/s, before the container can start.',
    fixable: true,
    options: {},
  },
  check({ workload, edit, report }) {
    for (const container of workload.containers) {
      const imagePair = getPair(container.node, 'image');
      const raw = scalarText(workload.doc, imagePair?.value);
      if (!imagePair?.value || raw === undefined || isPlaceholderImage(raw)) continue;
      const image = parseImageReference(raw);
      const devel = image && develImage(raw, image);
      if (!devel) continue;
      const command = containerCommand(workload.doc, container);
      if (command && NEEDS_DEVEL.test(command.script)) continue;
      // Replace only the reference inside the scalar, so quotes around it stay.
      const source = imagePair.value.range ? edit.text.slice(edit.abs(imagePair.value.range[0]), edit.abs(imagePair.value.range[1])) : undefined;
      const replace = devel.runtimeReference && source?.includes(raw) ? edit.replaceNode(imagePair.value, source.replace(raw, devel.runtimeReference)) : undefined;
      report({
        target: imagePair.value,
        message: `${describeContainer(container)} runs ${devel.label} \`${raw}\`: its compiler, headers and static libraries add about 1.5 GB compressed for CUDA (2–4 GB once unpacked) that every new node pulls before the container starts, and a prebuilt program does not use them. Run it on ${devel.instead}, and compile in a Dockerfile build stage.`,
        fixes: replace ? [{ title: `Use the runtime image ${devel.runtimeReference}`, edits: [replace], safe: false }] : [],
      });
    }
  },
});
