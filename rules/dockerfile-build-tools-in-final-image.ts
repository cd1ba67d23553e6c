import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileModel } from '../core/dockerfile/model';
import { installedPackages, isInstall, packageCommandOf, packageCommandsOf, packageName, removedLaterInSameRun } from '../core/dockerfile/package-commands';
import { finalImageRunScripts, programWord, type RunScript, type ShellCommand } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule, type DockerfileRuleReport } from '../core/rule';
import { excerpt } from '../core/shell-commands';

/**
 * A build that happens in the final image: compilers and build tools installed there and used
 * there (`apt-get install build-essential` then `make`, `apk add build-base` then `pip install`),
 * or a Node.js app that installs its devDependencies to run its build script and keeps them. The
 * toolchain and the build's leftovers ship to every node; a multi-stage build compiles in a builder
 * stage and copies only the result into a lean final stage.
 *
 * "Used" means a later command in the final image builds something: `make`, `cmake`, a compiler,
 * `./configure`, `go build`, `cargo build`, `mvn`, `gradle`, or an installer that compiles native
 * extensions (`pip install`, `npm ci`, `bundle install`, `gem install`). Tools removed again in the
 * same RUN (`apt-get purge`, `apk del .build-deps`) never reach a layer and are not reported;
 * removed in a later RUN, they still ship. SDK base images (`golang`, `maven`) are
 * dockerfile-fat-base-image's finding. No fix: the split into stages is the author's to make.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

/** Package names (Debian, Alpine, Fedora/RHEL, SUSE) of compilers, build systems and language toolchains. */
const BUILD_PACKAGES = new Set([
  'build-essential', 'build-base', 'gcc', 'g++', 'gcc-c++', 'clang', 'gfortran', 'gcc-gfortran', 'make', 'cmake', 'autoconf', 'automake', 'libtool',
  'ninja-build', 'ninja', 'meson', 'golang', 'golang-go', 'go', 'rustc', 'rust', 'cargo', 'maven', 'gradle', 'ant', '@development-tools', 'development tools',
]);
/** Versioned compiler packages: `gcc-12`, `g++-13`, `clang-17`. */
const VERSIONED_COMPILER = /^(gcc|g\+\+|clang|gfortran)-\d+$/;

/** Programs that compile or build. */
const BUILD_PROGRAMS = new Set(['make', 'gmake', 'cmake', 'ninja', 'meson', 'gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'gfortran', 'configure', 'autoreconf', 'autogen.sh', 'rustc', 'mvn', 'mvnw', 'gradle', 'gradlew', 'ant', 'nvcc']);
/** Programs that build with a subcommand: `go build`, `pip install` (native extensions)... */
const BUILD_SUBCOMMANDS: Record<string, Set<string>> = {
  go: new Set(['build', 'install', 'generate']),
  cargo: new Set(['build', 'install']),
  npm: new Set(['ci', 'install', 'i', 'rebuild']),
  yarn: new Set(['install']),
  pnpm: new Set(['install', 'i']),
  bundle: new Set(['install']),
  gem: new Set(['install']),
  dotnet: new Set(['build', 'publish']),
  poetry: new Set(['install']),
  pipenv: new Set(['install']),
  cpanm: new Set(),
};

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-build-tools-in-final-image',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: 'Compilers and build tools installed and used in the final image (`build-essential` then `make`, `build-base` then `pip install`, devDependencies kept after `npm run build`), where a multi-stage build would ship only the result.',
    startupCost:
      'The toolchain ships to every node with each new image: on Debian 12 `build-essential` is about 310 MB installed (gcc alone about 170 MB), cmake about 90 MB; a Node.js build keeps its devDependencies (TypeScript alone is 23 MB, bundlers and test tools often 100–300 MB). 300 MB is about 100 MB compressed, 8 s at 100 Mbit/s on every node that starts the pod for the first time.',
    fixable: false,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const scripts = finalImageRunScripts(dockerfile);
    const advice = dockerfile.stages.length > 1 ? 'Move the build to a builder stage and copy only its result into the final stage (`COPY --from=build`).' : 'Use a multi-stage build: build in a first stage, and copy only the result into a lean final stage (`COPY --from=build`).';
    for (const script of scripts) {
      for (const install of packageCommandsOf(script).filter(isInstall)) {
        if (install.manager === 'pip') continue;
        const tools = installedPackages(install).filter((operand) => {
          // Group names have spaces: `dnf groupinstall "Development Tools"`.
          const name = BUILD_PACKAGES.has(operand.value.toLowerCase()) ? operand.value.toLowerCase() : packageName(operand);
          return name !== undefined && (BUILD_PACKAGES.has(name) || VERSIONED_COMPILER.test(name)) && !removedLaterInSameRun(script, install, name);
        });
        if (tools.length === 0) continue;
        const use = buildCommandAfter(dockerfile, scripts, install.command);
        if (!use) continue;
        const names = tools.map((operand) => `\`${operand.value}\``);
        const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        report({
          target: tools[0].span,
          message: `${list} ${tools.length === 1 ? 'is' : 'are'} installed in the final image to build in it (\`${describe(use)}\` on line ${line(dockerfile, use)}): the toolchain and the build's leftovers ship to every node with each new image. ${advice}`,
        });
      }
    }
    const devDependencies = devDependenciesKept(dockerfile, scripts, advice);
    if (devDependencies) report(devDependencies);
  },
});

function line(dockerfile: DockerfileModel, command: ShellCommand): number {
  return dockerfile.lines.positionAt(command.span.start).line + 1;
}

/** The command as the message quotes it: `pip install --no-cache-dir -r requirements.txt`, shortened. */
function describe(command: ShellCommand): string {
  const program = programWord(command)?.value ?? command.program ?? '';
  return excerpt([program, ...command.args.map((arg) => arg.value)].join(' '), 48);
}

/** The first command at or after `after` (in the final image) that compiles or builds. */
function buildCommandAfter(dockerfile: DockerfileModel, scripts: RunScript[], after: ShellCommand): ShellCommand | undefined {
  for (const script of scripts) {
    for (const command of script.commands) {
      if (command.span.start <= after.span.start || !command.program) continue;
      if (BUILD_PROGRAMS.has(command.program)) return command;
      const subcommands = BUILD_SUBCOMMANDS[command.program];
      if (subcommands && (subcommands.size === 0 || subcommands.has(command.args.find((arg) => !arg.value.startsWith('-'))?.value ?? ''))) return command;
      const pip = packageCommandOf(command);
      if (pip?.manager === 'pip' && (pip.action === 'install' || pip.action === 'wheel')) return command;
      if (/^python[\d.]*$/.test(command.program) && command.args[0]?.value === 'setup.py') return command;
    }
  }
  return undefined;
}

/** `npm ci` (all dependencies, dev included) → `npm run build` → no prune: the devDependencies ship. */
const NODE_INSTALL: Record<string, Set<string>> = { npm: new Set(['ci', 'install', 'i']), yarn: new Set(['install', '']), pnpm: new Set(['install', 'i']) };
const PRODUCTION_ONLY = ['--omit=dev', '--production', '--only=prod', '--only=production', '--prod', '-P'];
const BUILD_SCRIPT = /^(build|compile|bundle)(:|$)/;

function devDependenciesKept(dockerfile: DockerfileModel, scripts: RunScript[], advice: string): DockerfileRuleReport | undefined {
  const commands = scripts.flatMap((script) => script.commands);
  const install = commands.find((command) => {
    const subcommands = command.program && NODE_INSTALL[command.program];
    if (!subcommands) return false;
    const sub = command.args.find((arg) => !arg.value.startsWith('-'))?.value ?? '';
    return subcommands.has(sub) && !command.args.some((arg) => PRODUCTION_ONLY.some((flag) => arg.value === flag || arg.value.startsWith(`${flag}=`) || (flag === '--production' && arg.value === '--production=true')));
  });
  if (!install || productionEnvironmentBefore(dockerfile, install.span.start)) return undefined;
  const build = commands.find((command) => command.span.start > install.span.start && runsBuildScript(command));
  if (!build) return undefined;
  const pruned = commands.some((command) => command.span.start > build.span.start && prunesDevDependencies(command));
  if (pruned) return undefined;
  const program = programWord(install)!;
  const end = (install.args.find((arg) => !arg.value.startsWith('-')) ?? program).span.end;
  return {
    target: { start: program.span.start, end },
    message: `\`${describe(install)}\` installs the devDependencies too, to run \`${describe(build)}\` on line ${line(dockerfile, build)}, and they stay in node_modules of the final image (TypeScript alone is 23 MB; bundlers and test tools are often 100–300 MB) for every node to pull. ${advice} Install with \`--omit=dev\` there, or run \`npm prune --omit=dev\` after the build in the same RUN.`,
  };
}


/** `npm run build`, `yarn build`, `pnpm run build`, `npx tsc`, `ng build`, `next build`, `vite build`, `webpack`. */
function runsBuildScript(command: ShellCommand): boolean {
  const words = command.args.filter((arg) => !arg.value.startsWith('-')).map((arg) => arg.value);
  switch (command.program) {
    case 'npm':
      return (words[0] === 'run' || words[0] === 'run-script') && BUILD_SCRIPT.test(words[1] ?? '');
    case 'yarn':
    case 'pnpm':
      return (words[0] === 'run' ? BUILD_SCRIPT.test(words[1] ?? '') : BUILD_SCRIPT.test(words[0] ?? ''));
    case 'npx':
      return ['tsc', 'webpack', 'vite', 'next', 'ng', 'nest', 'rollup', 'esbuild'].includes(words[0] ?? '');
    case 'tsc':
    case 'webpack':
      return true;
    case 'ng':
    case 'next':
    case 'vite':
    case 'nest':
      return words[0] === 'build';
    default:
      return false;
  }
}

function prunesDevDependencies(command: ShellCommand): boolean {
  const args = command.args.map((arg) => arg.value);
  if (command.program === 'npm' && args[0] === 'prune') return true;
  if (command.program === 'pnpm' && args[0] === 'prune') return true;
  if ((command.program === 'yarn' || command.program === 'npm' || command.program === 'pnpm') && args.some((arg) => PRODUCTION_ONLY.includes(arg))) return true;
  if (command.program === 'yarn' && args[0] === 'workspaces' && args.includes('focus') && args.includes('--production')) return true;
  return command.program === 'rm' && args.some((arg) => /(^|\/)node_modules\/?$/.test(arg));
}

/** `ENV NODE_ENV=production` (or an ARG default) before the install makes npm and yarn skip devDependencies. */
function productionEnvironmentBefore(dockerfile: DockerfileModel, offset: number): boolean {
  return shippedStages(dockerfile)
    .flatMap((stage) => stage.instructions)
    .some((instruction) => instruction.span.start < offset && (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') && /\bNODE_ENV[=\s]+["']?production\b/.test(dockerfile.text.slice(instruction.span.start, instruction.span.end)));
}
