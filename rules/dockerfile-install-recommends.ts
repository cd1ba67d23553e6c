import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileModel } from '../core/dockerfile/model';
import { hasOption, isInstall, packageCommandsOf } from '../core/dockerfile/package-commands';
import { finalImageRunScripts, programWord, type RunScript } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule } from '../core/rule';

/**
 * `apt-get install` without `--no-install-recommends` in the final image. apt installs every
 * package's Recommends by default: on Debian 12 `python3-pip` alone is about 45 MB installed, with
 * its recommended `build-essential` and `python3-dev` about 390 MB.
 *
 * Not reported when the stage already turns recommends off (`APT::Install-Recommends "false"` in
 * an apt.conf.d file written earlier, or `-o APT::Install-Recommends=false` on the command), for
 * `aptitude` with `--without-recommends`, or in builder stages. The quick fix adds the flag and is
 * not safe: a recommended package can be one the application needs at run time (`curl` only
 * recommends `ca-certificates`, without which HTTPS fails), so the image must be built and tested.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

const RECOMMENDS_OFF = /Install-Recommends["'\s=:]+(?:"|')?(false|0|no|off)\b/i;

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-install-recommends',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: '`apt-get install` in the final image without `--no-install-recommends`, which also installs every recommended package.',
    startupCost:
      'Recommended packages are often most of an install: on Debian 12, `apt-get install python3-pip` is about 45 MB installed with `--no-install-recommends` and about 390 MB without (it recommends `build-essential` and `python3-dev`). Every node that pulls the image downloads them: those extra 340 MB are roughly 100–150 MB compressed, 8–12 s at 100 Mbit/s.',
    fixable: true,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, edit, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    for (const script of finalImageRunScripts(dockerfile)) {
      if (recommendsTurnedOff(dockerfile, script)) continue;
      for (const command of packageCommandsOf(script)) {
        if (command.manager !== 'apt' || !isInstall(command) || command.operands.length === 0) continue;
        if (hasOption(command, '--no-install-recommends', '--without-recommends') || command.options.some((option) => RECOMMENDS_OFF.test(option.value))) continue;
        const flag = command.tool === 'aptitude' ? '--without-recommends' : '--no-install-recommends';
        const at = command.actionWord.span.end;
        const start = (programWord(command.command) ?? command.actionWord).span.start;
        report({
          target: { start, end: at },
          message: `\`${command.tool} install\` without \`${flag}\` also installs every package that those named recommend, often more than they need themselves (on Debian 12, \`python3-pip\` is about 45 MB installed, with its recommendations about 390 MB). Add \`${flag}\` and install what the application really uses by name.`,
          fixes: [{ title: `Add ${flag} (check that the application needs none of the recommended packages)`, edits: [edit.replace({ start: at, end: at }, script.form === 'exec' ? `, "${flag}"` : ` ${flag}`)], safe: false }],
        });
      }
    }
  },
});

/** An earlier RUN (or this one, before the install) that writes `APT::Install-Recommends "false"` into apt's configuration. */
function recommendsTurnedOff(dockerfile: DockerfileModel, script: RunScript): boolean {
  return shippedStages(dockerfile)
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === 'RUN' && instruction.span.start <= script.instruction.span.start)
    .some((instruction) => RECOMMENDS_OFF.test(dockerfile.text.slice(instruction.span.start, instruction.span.end)) && /apt\.conf|apt-config|APT::/.test(dockerfile.text.slice(instruction.span.start, instruction.span.end)));
}
