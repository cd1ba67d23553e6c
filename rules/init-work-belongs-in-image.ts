import { describeContainer, defineRule } from '../core/rule';
import { commandOf, commandStatements, commandSubstitutions, containerCommand, excerpt, splitStatements, type ShellStatement, type SimpleCommand } from '../core/shell-commands';

/**
 * Init-container work that gives the same result on every pod start: installing packages,
 * downloading tools, cloning source (done once at image build time), or changing node-wide
 * kernel settings (done once per node by a DaemonSet or the node's bootstrap). Per-pod work
 * (copying config into a volume, chown of a volume, templating config, migrations, fetching
 * model weights to a volume) is what init containers are for, and is not reported.
 */

type Place = 'image' | 'node';

interface Misplaced {
  place: Place;
  command: string;
  /** Plain words for what the command does, for the message. */
  what: string;
}

/** Package managers and the sub-commands that install. */
const INSTALLERS: Record<string, (args: readonly string[]) => boolean> = {
  'apt-get': (args) => args.includes('install'),
  apt: (args) => args.includes('install'),
  aptitude: (args) => args.includes('install'),
  apk: (args) => args.includes('add'),
  yum: (args) => args.includes('install'),
  dnf: (args) => args.includes('install'),
  microdnf: (args) => args.includes('install'),
  tdnf: (args) => args.includes('install'),
  zypper: (args) => args.some((arg) => arg === 'install' || arg === 'in'),
  pip: (args) => args.includes('install'),
  pip3: (args) => args.includes('install'),
  npm: (args) => args.some((arg) => arg === 'install' || arg === 'i' || arg === 'ci'),
  yarn: (args) => args.length === 0 || args.includes('install') || args.includes('add'),
  pnpm: (args) => args.includes('install') || args.includes('add'),
  go: (args) => args[0] === 'install',
  gem: (args) => args.includes('install'),
  bundle: (args) => args.includes('install'),
  cargo: (args) => args.includes('install'),
  conda: (args) => args.includes('install'),
  mamba: (args) => args.includes('install'),
  micromamba: (args) => args.includes('install'),
};

/** `python -m pip install`, `uv pip install`. */
function isModuleInstall(command: SimpleCommand): boolean {
  const { name, args } = command;
  if (/^python[0-9.]*$/.test(name)) return args[0] === '-m' && args[1] === 'pip' && args.includes('install');
  if (name === 'uv') return args[0] === 'pip' && args.includes('install');
  return false;
}

/** Downloads of model weights and data sets are per-pod data, a separate concern (see the rule's doc). */
const DATA_URL = /huggingface\.co|hf\.co\/|\bmodels?\b|weights|checkpoints?|datasets?|\.safetensors|\.gguf|\.onnx|\.pth?\b|\.ckpt/i;
/** What a tool download looks like: an archive or package, a release asset, or a file put on the PATH. */
const ARTIFACT = /\.(tar\.gz|tgz|tar\.xz|txz|tar\.bz2|tar|zip|jar|war|ear|deb|rpm|apk|whl|gem|so|exe|msi|AppImage)(\?|$)|\/releases\/download\/|\/(usr\/local\/|usr\/|opt\/[^/]*\/?)?s?bin\//i;
const UNPACKERS = new Set(['tar', 'unzip', 'gunzip', 'sh', 'bash', 'python', 'python3', 'dpkg', 'rpm', 'install']);

function urls(args: readonly string[]): string[] {
  return args.filter((arg) => /^(https?|ftp):\/\//.test(arg));
}

function outputOf(command: SimpleCommand): string | undefined {
  const { name, args } = command;
  const short = name === 'curl' ? 'o' : 'O';
  const long = name === 'curl' ? '--output' : '--output-document';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === long) return args[i + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
    if (/^-[a-zA-Z]+$/.test(arg) && arg.endsWith(short)) return args[i + 1];
    if (/^-[a-zA-Z]+/.test(arg) && !arg.startsWith('--') && arg.includes(short)) return arg.slice(arg.indexOf(short) + 1);
  }
  return undefined;
}

/** A curl or wget that fetches a tool or an archive (not a page, not config, not model weights). */
function isArtifactDownload(command: SimpleCommand, next: ShellStatement | undefined, piped: boolean, later: readonly ShellStatement[]): boolean {
  if (command.name !== 'curl' && command.name !== 'wget') return false;
  const sources = urls(command.args);
  if (sources.length === 0) return false;
  const output = outputOf(command);
  if ([...sources, output ?? ''].some((text) => DATA_URL.test(text))) return false;
  if (sources.some((url) => ARTIFACT.test(url)) || (output !== undefined && ARTIFACT.test(output))) return true;
  // `curl -L <url> | tar xz`, `curl <url> | sh`: unpacked or run as it arrives.
  const nextCommand = piped && next ? commandOf(next.words) : undefined;
  if (nextCommand && UNPACKERS.has(nextCommand.name)) return true;
  // `curl -o /tools/kubectl <url> && chmod +x /tools/kubectl`: a binary.
  return output !== undefined && later.some((statement) => {
    const other = commandOf(statement.words);
    return other?.name === 'chmod' && other.args.some((arg) => /\+x|^7[0-7][0-7]$/.test(arg)) && other.args.includes(output);
  });
}

/** Kernel settings that are namespaced per pod (net.*, IPC) belong to the pod; the rest are node-wide. */
function isNodeWideSysctl(key: string): boolean {
  if (/^(net\.|kernel\.(shm|msg|sem)|fs\.mqueue\.)/.test(key)) return false;
  return /^(vm|kernel|fs)\./.test(key);
}

function sysctlKeys(args: readonly string[]): string[] {
  return args.filter((arg) => !arg.startsWith('-') && arg.includes('=')).map((arg) => arg.slice(0, arg.indexOf('=')).replace(/\//g, '.'));
}

function misplacedOf(statement: ShellStatement, next: ShellStatement | undefined, later: readonly ShellStatement[]): Misplaced | undefined {
  const command = commandOf(statement.words);
  if (!command) return undefined;
  const { name, args } = command;
  const text = excerpt(statement.text, 100);
  if (INSTALLERS[name]?.(args) || isModuleInstall(command)) return { place: 'image', command: text, what: 'installs packages' };
  if (isArtifactDownload(command, next, statement.separator === '|', later)) return { place: 'image', command: text, what: 'downloads a tool or archive' };
  if (name === 'git' && args.includes('clone') && !urls(args).concat(args).some((arg) => DATA_URL.test(arg))) {
    return { place: 'image', command: text, what: 'clones a repository' };
  }
  if (name === 'sysctl' && sysctlKeys(args).some(isNodeWideSysctl)) return { place: 'node', command: text, what: 'changes a node-wide kernel setting' };
  if (name === 'modprobe' || name === 'insmod') return { place: 'node', command: text, what: 'loads a kernel module' };
  if (name === 'mount' && args.some((arg) => arg === 'bpf' || arg === 'bpffs' || arg === '/sys/fs/bpf')) return { place: 'node', command: text, what: 'mounts the BPF filesystem' };
  // `echo 262144 > /proc/sys/vm/max_map_count`, `echo never > /host-sys/kernel/mm/transparent_hugepage/enabled`
  // (the node's /proc and /sys reach the container through a hostPath or a privileged mount).
  for (const [, path] of statement.text.matchAll(/>\s*(\/\S+)/g)) {
    const procKey = /\/proc\/sys\/(.+)$/.exec(path);
    const nodeWide = procKey ? isNodeWideSysctl(procKey[1].replace(/\//g, '.')) : /(^|\/)(host-?)?sys\/(kernel|module)\//.test(path);
    if (nodeWide) return { place: 'node', command: text, what: 'changes a node-wide kernel setting' };
  }
  return undefined;
}

/** Every misplaced command of a script, including those inside `$(...)`. */
export function misplacedWork(script: string, statements: readonly ShellStatement[] = splitStatements(script)): Misplaced[] {
  const found: Misplaced[] = [];
  statements.forEach((statement, index) => {
    const hit = misplacedOf(statement, statements[index + 1], statements.slice(index + 1));
    if (hit) found.push(hit);
    for (const inner of statement.words.flatMap(commandSubstitutions)) found.push(...misplacedWork(inner));
  });
  return found;
}

/** What repeating the work costs at each start, by what it does. */
function costOf(hit: Misplaced): string {
  if (hit.place === 'node') {
    return 'every pod start repeats a change that lasts for the node, and needs a privileged init container to do it. Set it once per node with a DaemonSet or the node pool\'s bootstrap configuration, and drop this step.';
  }
  const work = hit.what === 'installs packages' ? 'typically 10–60 s of package index downloads and installs (minutes on a slow mirror)' : 'a download every time, seconds to minutes depending on its size and the network';
  return `it repeats on every pod start what a Dockerfile step would do once: ${work}, and the pod cannot start when the source is unreachable. Do it in the image build; the layer is then cached on the node.`;
}

export default defineRule({
  meta: {
    id: 'init-work-belongs-in-image',
    stage: 'init-containers',
    defaultSeverity: 'info',
    description: 'Init container that installs packages, downloads tools, clones source or changes node-wide kernel settings on every pod start.',
    startupCost:
      'Init containers run serially before the app. `apt-get install`, `pip install` or a tool download costs roughly 10–60 s per pod start (minutes on a slow mirror) and fails when the network does; in the image it costs nothing at start because the layer is cached. Node-wide settings (sysctl vm.*, modprobe) need doing once per node, not once per pod.',
    fixable: false,
    options: {},
  },
  check({ workload, report }) {
    for (const container of workload.containers) {
      if (container.kind !== 'initContainer') continue;
      const command = containerCommand(workload.doc, container);
      if (!command) continue;
      let found = misplacedWork(command.script, commandStatements(command));
      // In a DaemonSet, the init container already runs once per node: that is the right place for node settings.
      if (workload.kind === 'DaemonSet') found = found.filter((hit) => hit.place !== 'node');
      if (found.length === 0) continue;
      const [first] = found;
      const more = found.length > 1 ? ` (and ${found.length - 1} more such command${found.length > 2 ? 's' : ''})` : '';
      report({
        target: command.node,
        message: `${describeContainer(container)} ${first.what} with \`${first.command}\`${more}: ${costOf(first)}`,
      });
    }
  },
});
