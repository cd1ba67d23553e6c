import { copyOperandsOf } from '../core/dockerfile/copy-operands';
import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileModel } from '../core/dockerfile/model';
import { finalImageRunScripts, type ShellCommand } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule } from '../core/rule';

/**
 * `ADD https://.../tool.tar.gz /tmp/` in the final image, followed by a RUN that unpacks or
 * installs it. ADD does not unpack remote archives, so the archive is a layer of its own; the RUN
 * that unpacks it adds the contents in another layer, and deleting the archive there cannot take
 * it out of the first. The image ships the archive and its contents. Downloading, checking,
 * unpacking and deleting in one RUN (or in a builder stage) ships only the contents.
 *
 * Only reported when a later RUN of the final image visibly unpacks or installs the downloaded
 * file (`tar`, `unzip`, `dpkg -i`, `rpm -i`, `pip install`... naming it): an archive the
 * application reads as it is belongs in the image. ADD of local archives (which ADD unpacks
 * itself), `ADD --unpack=true` and builder stages are not reported. No fix: whether the image has
 * `curl` and how to verify the download are the author's choice.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

const REMOTE = /^(https?|ftp):\/\//i;
const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tzst|zip|gz|bz2|xz|zst|7z|deb|rpm|apk|whl)$/i;
const UNPACKERS = new Set(['tar', 'bsdtar', 'unzip', 'gunzip', 'gzip', 'bunzip2', 'unxz', 'xz', 'zstd', 'unzstd', '7z', '7za', 'dpkg', 'rpm', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf', 'apk', 'pip', 'pip3', 'cpio']);

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-add-remote-archive',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: '`ADD` of a remote archive or package (`.tar.gz`, `.zip`, `.deb`, `.whl`...) in the final image that a later RUN unpacks or installs: the image ships the archive and its contents.',
    startupCost:
      'ADD does not unpack a remote archive, and a later RUN cannot remove it from the ADD layer, so every node pulls the compressed archive on top of its unpacked contents: a 200 MB toolchain tarball adds 200 MB, about 16 s at 100 Mbit/s, to every first start on a node.',
    fixable: false,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const scripts = finalImageRunScripts(dockerfile);
    for (const stage of shippedStages(dockerfile)) {
      for (const instruction of stage.instructions) {
        if (instruction.keyword !== 'ADD') continue;
        const operands = copyOperandsOf(dockerfile, instruction);
        if (!operands || operands.flags.some((flag) => flag.name === 'unpack' && flag.value !== 'false')) continue;
        for (const source of operands.sources) {
          const path = source.value.replace(/[?#].*$/, '');
          if (!REMOTE.test(source.value) || !ARCHIVE.test(path)) continue;
          const fileName = path.slice(path.lastIndexOf('/') + 1);
          // The file keeps its name in a destination folder (`/tmp/`), or takes the destination's (`/tmp/go.tgz`).
          const destination = operands.destination.value;
          const names = new Set([fileName]);
          if (!destination.endsWith('/') && destination !== '.') names.add(destination.slice(destination.lastIndexOf('/') + 1));
          const unpack = scripts
            .filter((script) => script.instruction.span.start > instruction.span.start)
            .flatMap((script) => script.commands)
            .find((command) => unpacks(command, names));
          if (!unpack) continue;
          report({
            target: source.span,
            message: `ADD does not unpack a remote archive: \`${fileName}\` is a layer of its own, and the RUN on line ${line(dockerfile, unpack)} that unpacks it cannot take it out of that layer, so the image ships the archive and its contents. Download, verify, unpack and delete it in one RUN (\`curl -fsSL <url> -o /tmp/${fileName} && echo "<sha256>  /tmp/${fileName}" | sha256sum -c - && ... && rm /tmp/${fileName}\`), or in a builder stage whose result you COPY --from.`,
          });
        }
      }
    }
  },
});

function line(dockerfile: DockerfileModel, command: ShellCommand): number {
  return dockerfile.lines.positionAt(command.span.start).line + 1;
}

/** A command that unpacks or installs a file named by its base name or by the ADD destination. */
function unpacks(command: ShellCommand, names: Set<string>): boolean {
  if (!command.program || !UNPACKERS.has(command.program)) return false;
  return command.args.some((arg) => [...names].some((name) => name.length > 0 && (arg.value === name || arg.value.endsWith(`/${name}`))));
}
