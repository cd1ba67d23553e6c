import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileEditor } from '../core/dockerfile/editor';
import type { BuildStage, DockerfileModel, Span } from '../core/dockerfile/model';
import { hasOption, isInstall, packageCommandsOf, type PackageCommand } from '../core/dockerfile/package-commands';
import { acceptsAppendedCommand, finalImageRunScripts, programWord, readRunScript, type RunScript, type ShellCommand } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule, type DockerfileRuleReport } from '../core/rule';
import type { Fix } from '../core/types';

/**
 * Package-manager caches left in a layer of the final image: apt's package lists, apk's index,
 * pip's wheel cache, the dnf/yum and zypper metadata. A RUN's files are frozen into its layer when
 * it ends, so the cleanup only counts in the same RUN; a later `rm` hides the files but every node
 * still pulls them.
 *
 * Stage-aware: only the stages the final image is built from count; a builder's caches stay
 * behind. A BuildKit cache mount on the cache's folder (`RUN --mount=type=cache,target=...`) keeps it
 * out of the layer and is not reported, nor is `pip` with `PIP_NO_CACHE_DIR` set, nor
 * `pip download`/`pip wheel` (which fill a folder on purpose).
 *
 * Fixes, all safe (the same packages get installed): `--no-cache` for `apk add`, `--no-cache-dir`
 * for `pip install`, and `&& rm -rf /var/lib/apt/lists/*` or `&& dnf clean all` appended to the
 * RUN. The apt cleanup is not offered when a later RUN installs with apt without updating first,
 * which the missing lists would break.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-package-cache',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'RUN in the final image that leaves a package-manager cache in its layer: apt lists not removed, `apk add` without `--no-cache`, `pip install` without `--no-cache-dir`, dnf/yum/zypper without `clean all`.',
    startupCost:
      "Every node that pulls the image downloads the cache with it: pip's wheel cache is as large as the packages (about 750 MB for PyTorch alone, several GB for a CUDA stack), dnf and yum metadata 60–200 MB, apt lists about 19 MB for Debian 12 and more with Ubuntu's universe, apk's index a few MB. At 100 Mbit/s each 100 MB is 8 s on every node that starts the pod for the first time.",
    fixable: true,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, edit, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const scripts = finalImageRunScripts(dockerfile);
    scripts.forEach((script) => {
      const later = laterRunsOnTopOf(dockerfile, script);
      const commands = packageCommandsOf(script);
      const findings = [
        aptListsKept(script, commands, later, edit),
        ...apkIndexKept(script, commands, edit),
        ...pipCacheKept(dockerfile, script, commands, edit),
        metadataKept(script, commands, 'dnf', edit),
        metadataKept(script, commands, 'zypper', edit),
      ];
      for (const finding of findings) if (finding) report(finding);
    });
  },
});

/**
 * The RUNs after this one that run on top of its layer: later in its stage, or in any stage built
 * FROM it (shipped or not: a builder stage that relies on the lists would break just the same).
 */
function laterRunsOnTopOf(dockerfile: DockerfileModel, script: RunScript): RunScript[] {
  const own = script.instruction.stage;
  const buildsOn = (stage: BuildStage | undefined): boolean => {
    for (let current = stage, hops = 0; current && hops <= dockerfile.stages.length; current = current.base?.stage, hops++) if (current === own) return true;
    return false;
  };
  return dockerfile.instructions.flatMap((instruction) => {
    if (instruction.span.start <= script.instruction.span.start || !buildsOn(instruction.stage)) return [];
    return readRunScript(dockerfile, instruction) ?? [];
  });
}

/** `apt-get update`, underlined from the program to the action. */
function commandSpan(command: PackageCommand): Span {
  return { start: (programWord(command.command) ?? command.actionWord).span.start, end: command.actionWord.span.end };
}

/** Appends ` && <cleanup>` to the RUN, with `sudo` when the command it cleans up after ran with it. */
function appendFix(script: RunScript, after: PackageCommand, edit: DockerfileEditor, title: string, cleanup: string): Fix[] {
  if (!acceptsAppendedCommand(script)) return [];
  const sudo = after.command.words[0]?.value === 'sudo' ? 'sudo ' : '';
  return [{ title, edits: [edit.replace({ start: script.scriptEnd, end: script.scriptEnd }, ` && ${sudo}${cleanup}`)], safe: true }];
}

/** Inserts the option right after the action word; in the exec form as one more JSON string. */
function insertOptionFix(script: RunScript, command: PackageCommand, edit: DockerfileEditor, option: string): Fix[] {
  const at = command.actionWord.span.end;
  const text = script.form === 'exec' ? `, "${option}"` : ` ${option}`;
  return [{ title: `Add ${option} to ${command.tool} ${command.action}`, edits: [edit.replace({ start: at, end: at }, text)], safe: true }];
}

/** Whether the RUN keeps a folder out of its layer with a cache or tmpfs mount on it or on a folder above it. */
function mountedOutOfLayer(script: RunScript, folder: RegExp): boolean {
  return script.uncommittedPaths.some((path) => folder.test(path.replace(/\/+$/, '')));
}

/** A command after `after` in the script that deletes a path matching `path` (`rm -rf /var/lib/apt/lists/*`, `find /var/cache/apk -delete`). */
function deletesLater(script: RunScript, after: ShellCommand, path: RegExp): boolean {
  return script.commands.some((command) => command.span.start > after.span.start && (command.program === 'rm' || command.program === 'find') && command.args.some((arg) => path.test(arg.value)));
}

const APT_LISTS = /^\/var\/lib\/apt(\/lists)?(\/\*?)?$/;

function aptListsKept(script: RunScript, commands: PackageCommand[], later: RunScript[], edit: DockerfileEditor): DockerfileRuleReport | undefined {
  const update = commands.find((command) => command.manager === 'apt' && command.action === 'update');
  if (!update || mountedOutOfLayer(script, /^\/var\/lib\/apt(\/lists)?$/) || mountedOutOfLayer(script, /^\/var\/lib$/)) return undefined;
  const removed = deletesLater(script, update.command, APT_LISTS) || commands.some((command) => command.manager === 'apt' && command.command.span.start > update.command.span.start && (command.action === 'distclean' || command.action === 'dist-clean'));
  if (removed) return undefined;
  // A later RUN that installs without its own `apt-get update` relies on these lists.
  const reliedOn = later.some((next) => {
    const apt = packageCommandsOf(next).filter((command) => command.manager === 'apt');
    const firstInstall = apt.findIndex(isInstall);
    return firstInstall !== -1 && !apt.slice(0, firstInstall).some((command) => command.action === 'update');
  });
  const tool = `${update.tool} update`;
  const base = `\`${tool}\` downloads the package lists to /var/lib/apt/lists (about 19 MB for Debian 12, more with Ubuntu's universe), and this RUN does not remove them: they stay in its layer, and every node that pulls the image downloads them.`;
  if (reliedOn) {
    return { target: commandSpan(update), message: `${base} A later RUN installs with apt without updating first and needs them: update, install and remove the lists in one RUN.` };
  }
  return {
    target: commandSpan(update),
    message: `${base} Remove them at the end of the same RUN (\`rm -rf /var/lib/apt/lists/*\`); a later RUN cannot take them out of this layer.`,
    fixes: appendFix(script, update, edit, 'Remove the apt lists at the end of this RUN', 'rm -rf /var/lib/apt/lists/*'),
  };
}

function apkIndexKept(script: RunScript, commands: PackageCommand[], edit: DockerfileEditor): DockerfileRuleReport[] {
  if (mountedOutOfLayer(script, /^\/var\/cache\/apk$|^\/var\/cache$|^\/etc\/apk\/cache$/)) return [];
  return commands
    // `--no-network` installs from what is already there: nothing is downloaded, nothing cached.
    .filter((command) => command.manager === 'apk' && (command.action === 'add' || command.action === 'upgrade') && !hasOption(command, '--no-cache', '--no-network'))
    .filter((command) => !deletesLater(script, command.command, /^\/var\/cache\/apk(\/\*?)?$/) && !commands.some((other) => other.manager === 'apk' && other.action === 'cache' && other.command.span.start > command.command.span.start))
    .map((command) => ({
      target: commandSpan(command),
      message: `\`apk ${command.action}\` without \`--no-cache\` keeps the package index in /var/cache/apk (a few MB) in this layer, and every node that pulls the image downloads it. Add \`--no-cache\`, which fetches the index without storing it.`,
      fixes: insertOptionFix(script, command, edit, '--no-cache'),
    }));
}

/** `PIP_NO_CACHE_DIR` or a pip configuration that turns the cache off, set before the RUN in the final image. */
function pipCacheTurnedOff(dockerfile: DockerfileModel, script: RunScript): boolean {
  const before = shippedStages(dockerfile)
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.span.start < script.instruction.span.start);
  return before.some((instruction) => {
    const text = dockerfile.text.slice(instruction.span.start, instruction.span.end);
    if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') return /\bPIP_NO_CACHE_DIR\b/.test(text);
    return instruction.keyword === 'RUN' && /no[-_]cache[-_]dir/i.test(text) && /pip(\.conf|\s+config)/.test(text);
  });
}

function pipCacheKept(dockerfile: DockerfileModel, script: RunScript, commands: PackageCommand[], edit: DockerfileEditor): DockerfileRuleReport[] {
  if (pipCacheTurnedOff(dockerfile, script) || mountedOutOfLayer(script, /(^|\/)\.cache(\/pip)?$|^\/root$|^\/tmp$/)) return [];
  return commands
    .filter((command) => command.manager === 'pip' && command.action === 'install' && !hasOption(command, '--no-cache-dir'))
    .filter((command) => !command.command.words.some((word) => /^PIP_NO_CACHE_DIR=/.test(word.value)))
    .filter((command) => {
      const purged = commands.some((other) => other.manager === 'pip' && other.action === 'cache' && other.command.span.start > command.command.span.start);
      return !purged && !deletesLater(script, command.command, /(^|\/)\.cache(\/pip)?(\/\*?)?$|^\/root\/\.cache/);
    })
    .map((command) => ({
      target: commandSpan(command),
      message: `\`${command.tool} install\` without \`--no-cache-dir\` also keeps every wheel it downloaded in ~/.cache/pip, as large as the packages themselves (about 750 MB for PyTorch alone): they stay in this layer and every node that pulls the image downloads them. Add \`--no-cache-dir\`.`,
      fixes: insertOptionFix(script, command, edit, '--no-cache-dir'),
    }));
}

const DNF_WRITES = new Set(['install', 'groupinstall', 'group', 'reinstall', 'localinstall', 'update', 'upgrade', 'makecache', 'distro-sync', 'swap', 'module']);
const ZYPPER_WRITES = new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'refresh', 'ref', 'source-install', 'si']);

/** dnf, yum and microdnf keep repository metadata; zypper its raw and solver caches. */
function metadataKept(script: RunScript, commands: PackageCommand[], manager: 'dnf' | 'zypper', edit: DockerfileEditor): DockerfileRuleReport | undefined {
  const writes = manager === 'dnf' ? DNF_WRITES : ZYPPER_WRITES;
  const first = commands.find((command) => command.manager === manager && writes.has(command.action));
  if (!first) return undefined;
  const folders = manager === 'dnf' ? /^\/var\/cache(\/(yum|dnf|libdnf5))?$/ : /^\/var\/cache(\/zypp)?$/;
  if (mountedOutOfLayer(script, folders)) return undefined;
  const cleaned = commands.some((command) => command.manager === manager && (command.action === 'clean' || command.action === 'cc') && command.command.span.start > first.command.span.start);
  const deleted = deletesLater(script, first.command, manager === 'dnf' ? /^\/var\/cache\/(yum|dnf|libdnf5)(\/\*?)?$/ : /^\/var\/cache\/zypp(\/\*?)?$/);
  if (cleaned || deleted) return undefined;
  const clean = manager === 'dnf' ? `${first.tool} clean all` : 'zypper clean --all';
  const what =
    manager === 'dnf'
      ? `keeps the repository metadata in /var/cache/${first.tool === 'yum' ? 'yum' : 'dnf'} (60–200 MB is common)`
      : 'keeps the repository metadata and package caches in /var/cache/zypp (tens of MB)';
  return {
    target: commandSpan(first),
    message: `\`${first.tool} ${first.action}\` ${what}, and this RUN does not clean it: it stays in the layer, and every node that pulls the image downloads it. Run \`${clean}\` at the end of the same RUN.`,
    fixes: appendFix(script, first, edit, `Run ${clean} at the end of this RUN`, clean),
  };
}
