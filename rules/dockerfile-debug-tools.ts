import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileModel } from '../core/dockerfile/model';
import { installedPackages, isInstall, packageCommandsOf, packageName, removedLaterInSameRun } from '../core/dockerfile/package-commands';
import { finalImageRunScripts, type RunScript } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule } from '../core/rule';

/**
 * Debugging and interactive tools installed in the final image: debuggers and tracers (gdb,
 * strace), editors (vim, nano), packet and network tools (tcpdump, net-tools, ping) and terminal
 * multiplexers. Every node pulls them with each new image, for the rare session that
 * needs them; `kubectl debug` attaches an ephemeral container with any toolbox image to the
 * running pod instead (stable since Kubernetes 1.25), sharing its process namespace with
 * `--target`.
 *
 * Not reported: a tool the Dockerfile itself runs (in a RUN, CMD, ENTRYPOINT or HEALTHCHECK), a
 * package removed again in the same RUN, builder stages, and development Dockerfiles. curl, wget,
 * netcat, procps and iproute2 are not in the default list: entrypoints and health checks often use
 * them; nor are the DNS tools (`dig`, `nslookup`), which wait loops use, nor `less`, which programs
 * such as psql use as their pager. No fix: only the author knows whether a script in the image calls the tool.
 */
interface Options {
  tools: string[];
  skipDevelopmentFiles: boolean;
}

/** Package names (Debian, Alpine, Fedora/RHEL, SUSE) and the programs each provides. */
const PROGRAMS: Record<string, string[]> = {
  strace: ['strace'],
  ltrace: ['ltrace'],
  gdb: ['gdb'],
  gdbserver: ['gdbserver'],
  'gdb-multiarch': ['gdb-multiarch'],
  valgrind: ['valgrind'],
  vim: ['vim', 'vi'],
  'vim-nox': ['vim', 'vi'],
  'vim-enhanced': ['vim', 'vi'],
  neovim: ['nvim'],
  emacs: ['emacs'],
  'emacs-nox': ['emacs'],
  nano: ['nano'],
  tcpdump: ['tcpdump'],
  tshark: ['tshark'],
  htop: ['htop'],
  iotop: ['iotop'],
  iftop: ['iftop'],
  lsof: ['lsof'],
  telnet: ['telnet'],
  nmap: ['nmap'],
  'net-tools': ['netstat', 'ifconfig', 'route', 'arp'],
  'iputils-ping': ['ping'],
  'inetutils-ping': ['ping'],
  iputils: ['ping'],
  traceroute: ['traceroute'],
  mtr: ['mtr'],
  'mtr-tiny': ['mtr'],
  tmux: ['tmux'],
  screen: ['screen'],
  'man-db': ['man'],
};

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-debug-tools',
    stage: 'image-pull',
    defaultSeverity: 'info',
    description: 'Debugging and interactive tools (gdb, strace, vim, tcpdump, net-tools, ping...) installed in the final image, where `kubectl debug` with an ephemeral container would bring them only when needed.',
    startupCost:
      'Each node pulls the tools with every new image for the rare session that needs them: on Debian 12 with their dependencies gdb is about 90 MB installed, vim about 40 MB, tcpdump and lsof about 8 MB each, strace, net-tools and ping 1–2 MB. 130 MB is about 10 s at 100 Mbit/s on every node that starts the pod for the first time.',
    fixable: false,
    options: {
      tools: {
        type: 'string[]',
        default: Object.keys(PROGRAMS),
        description: 'Package names reported when installed in the final image (apt, apk, dnf/yum, zypper names). Add `procps`, `dnsutils` or `curl` if your images should not carry them either.',
      },
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    const tools = new Set(options.tools.map((tool) => tool.toLowerCase()));
    const scripts = finalImageRunScripts(dockerfile);
    for (const script of scripts) {
      for (const install of packageCommandsOf(script).filter(isInstall)) {
        if (install.manager === 'pip') continue;
        const found = installedPackages(install).filter((operand) => {
          const name = packageName(operand);
          return name !== undefined && tools.has(name) && !removedLaterInSameRun(script, install, name) && !usedByDockerfile(dockerfile, scripts, script, PROGRAMS[name] ?? [name]);
        });
        if (found.length === 0) continue;
        const names = found.map((operand) => `\`${packageName(operand)}\``);
        const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
        report({
          target: found[0].span,
          message: `${list} ${found.length === 1 ? 'is a tool' : 'are tools'} for interactive debugging, installed in the final image: every node pulls ${found.length === 1 ? 'it' : 'them'} with each new image for the rare session that needs ${found.length === 1 ? 'it' : 'them'}. Leave ${found.length === 1 ? 'it' : 'them'} out and debug with an ephemeral container when needed: \`kubectl debug -it <pod> --image=<toolbox image> --target=<container>\`.`,
        });
      }
    }
  },
});

/** Whether a RUN after the install, or the CMD, ENTRYPOINT or HEALTHCHECK of the final image, runs one of the programs. */
function usedByDockerfile(dockerfile: DockerfileModel, scripts: RunScript[], installedIn: RunScript, programs: string[]): boolean {
  const wanted = new Set(programs);
  const runs = scripts.some((script) => script.instruction.span.start >= installedIn.instruction.span.start && script.commands.some((command) => command.program !== undefined && wanted.has(command.program)));
  if (runs) return true;
  const word = new RegExp(`(^|[\\s"'/\\[,;&|])(${programs.map((program) => program.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|')})($|[\\s"',\\];&|])`);
  return shippedStages(dockerfile)
    .flatMap((stage) => stage.instructions)
    .some((instruction) => ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword) && word.test(dockerfile.text.slice(instruction.span.start, instruction.span.end)));
}
