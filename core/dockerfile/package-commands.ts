/**
 * Package-manager commands in RUN scripts: `apt-get install`, `apk add`, `dnf install`,
 * `zypper in`, `pip install`, with their action word, options and package operands as file spans.
 * The package-cache, install-recommends, debug-tool and build-tool rules all read RUNs through this.
 *
 * Options that take a value (`apt-get -o Dpkg::Options::=--force-confold`, `apk add --virtual
 * .build-deps`, `pip install -r requirements.txt`) are told apart from package names, so that
 * neither is mistaken for the other.
 */
import type { RunScript, ShellCommand, ShellWord } from './run-commands';

export type PackageManager = 'apt' | 'apk' | 'dnf' | 'zypper' | 'pip';

export interface PackageCommand {
  manager: PackageManager;
  /** The program as called: `apt-get`, `apt`, `aptitude`, `apk`, `yum`, `dnf`, `microdnf`, `zypper`, `pip3`, `python3 -m pip`. */
  tool: string;
  command: ShellCommand;
  /** `install`, `update`, `add`, `del`, `purge`, `clean`, `groupinstall`..., as written (`in` for zypper's short form). */
  action: string;
  actionWord: ShellWord;
  /** Option words (`-y`, `--no-cache`, `--virtual`) and their values, in order. */
  options: ShellWord[];
  /** The operands: package names (with any version pin), files, or for `apk --virtual` the packages of the group. */
  operands: ShellWord[];
  /** `apk add --virtual NAME`, `apk add -t NAME`: the name the group can be removed by. */
  virtualName?: string;
}

interface ManagerSyntax {
  manager: PackageManager;
  /** Options whose value is the next word (when not given as `--option=value`). */
  optionsWithValue: Set<string>;
}

const APT: ManagerSyntax = { manager: 'apt', optionsWithValue: new Set(['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture']) };
const APK: ManagerSyntax = {
  manager: 'apk',
  optionsWithValue: new Set(['-X', '--repository', '-t', '--virtual', '-p', '--root', '--arch', '--cache-dir', '--repositories-file', '--keys-dir', '--cache-max-age']),
};
const DNF: ManagerSyntax = {
  manager: 'dnf',
  optionsWithValue: new Set(['-x', '--exclude', '-c', '--config', '--installroot', '--releasever', '--setopt', '--enablerepo', '--disablerepo', '--repo', '--repoid', '-d', '--debuglevel', '-e', '--errorlevel', '--forcearch', '--nodocs=']),
};
const ZYPPER: ManagerSyntax = {
  manager: 'zypper',
  optionsWithValue: new Set(['-t', '--type', '-r', '--repo', '--from', '-R', '--root', '--installroot', '-D', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir']),
};
const PIP: ManagerSyntax = {
  manager: 'pip',
  optionsWithValue: new Set([
    '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target',
    '--prefix', '--root', '--src', '--platform', '--python-version', '--implementation', '--abi', '--upgrade-strategy', '--progress-bar', '--trusted-host',
    '--cache-dir', '--timeout', '--retries', '--proxy', '--cert', '--client-cert', '--log', '--exists-action', '--global-option', '--config-settings',
    '-C', '--only-binary', '--no-binary', '--python', '-d', '--dest', '-w', '--wheel-dir', '--use-feature', '--use-deprecated', '--report', '--root-user-action',
  ]),
};

const SYNTAX_BY_TOOL: Record<string, ManagerSyntax> = {
  'apt-get': APT,
  apt: APT,
  aptitude: APT,
  apk: APK,
  yum: DNF,
  dnf: DNF,
  dnf5: DNF,
  microdnf: DNF,
  tdnf: DNF,
  zypper: ZYPPER,
};

/** `pip`, `pip3`, `pip3.12`. */
const PIP_PROGRAM = /^pip(\d+(\.\d+)?)?$/;
/** `python`, `python3`, `python3.12` (with `-m pip`). */
const PYTHON_PROGRAM = /^python(\d+(\.\d+)?)?$/;

/** The package-manager commands of a RUN, in order. */
export function packageCommandsOf(script: RunScript): PackageCommand[] {
  return script.commands.flatMap((command) => packageCommandOf(command) ?? []);
}

export function packageCommandOf(command: ShellCommand): PackageCommand | undefined {
  const program = command.program;
  if (!program) return undefined;
  if (PIP_PROGRAM.test(program)) return parse(command, program, PIP, command.args);
  if (PYTHON_PROGRAM.test(program)) {
    // `python3 -m pip install ...`, `python -m pip install ...`.
    const moduleIndex = command.args.findIndex((arg) => arg.value === '-m');
    if (moduleIndex === -1 || !PIP_PROGRAM.test(command.args[moduleIndex + 1]?.value ?? '')) return undefined;
    return parse(command, `${program} -m ${command.args[moduleIndex + 1].value}`, PIP, command.args.slice(moduleIndex + 2));
  }
  const syntax = SYNTAX_BY_TOOL[program];
  return syntax ? parse(command, program, syntax, command.args) : undefined;
}

function parse(command: ShellCommand, tool: string, syntax: ManagerSyntax, args: ShellWord[]): PackageCommand | undefined {
  const options: ShellWord[] = [];
  const operands: ShellWord[] = [];
  let actionWord: ShellWord | undefined;
  let virtualName: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word.value.startsWith('-') && word.value.length > 1) {
      options.push(word);
      const name = word.value.includes('=') ? undefined : word.value;
      if (name !== undefined && takesValue(syntax, name) && index + 1 < args.length) {
        const value = args[++index];
        options.push(value);
        if (syntax === APK && (name === '-t' || name === '--virtual')) virtualName = value.value;
      } else if (syntax === APK && word.value.startsWith('--virtual=')) {
        virtualName = word.value.slice('--virtual='.length);
      }
      continue;
    }
    if (!actionWord) actionWord = word;
    else operands.push(word);
  }
  if (!actionWord) return undefined;
  return { manager: syntax.manager, tool, command, action: actionWord.value, actionWord, options, operands, virtualName };
}

/** Short options may be grouped (`-qy`); only a standalone value option takes the next word. */
function takesValue(syntax: ManagerSyntax, option: string): boolean {
  return syntax.optionsWithValue.has(option);
}

/** Whether one of the command's options is among `names` (`--no-cache`, or `--no-cache=...`). */
export function hasOption(command: PackageCommand, ...names: string[]): boolean {
  return command.options.some((option) => names.some((name) => option.value === name || option.value.startsWith(`${name}=`)));
}

/**
 * The package name of an operand: `curl=7.88.1-10`, `libpq5:amd64`, `python3-dev>=3.11`,
 * `requests[socks]==2.32`, `gcc~=12` → `curl`, `libpq5`, `python3-dev`, `requests`, `gcc`.
 * Undefined for operands that are files, URLs or expansions rather than names.
 */
export function packageName(operand: ShellWord): string | undefined {
  const value = operand.value;
  if (/^[./~]|:\/\/|\$/.test(value) || /\.(deb|rpm|apk|whl|tar\.gz|zip)$/i.test(value)) return undefined;
  const name = /^[A-Za-z0-9@][A-Za-z0-9._+-]*/.exec(value)?.[0];
  return name?.toLowerCase();
}

/** Install actions, by manager: what adds packages. */
const INSTALL_ACTIONS: Record<PackageManager, Set<string>> = {
  apt: new Set(['install']),
  apk: new Set(['add']),
  dnf: new Set(['install', 'groupinstall', 'group', 'reinstall', 'localinstall']),
  zypper: new Set(['install', 'in']),
  pip: new Set(['install']),
};

/** Removal actions, by manager. */
const REMOVE_ACTIONS: Record<PackageManager, Set<string>> = {
  apt: new Set(['remove', 'purge', 'autoremove']),
  apk: new Set(['del']),
  dnf: new Set(['remove', 'erase', 'autoremove', 'groupremove']),
  zypper: new Set(['remove', 'rm']),
  pip: new Set(['uninstall']),
};

/** `apt-get install -s`, `--dry-run`: apt only prints what it would do. */
const SIMULATION = new Set(['-s', '--simulate', '--dry-run', '--just-print', '--no-act', '--recon', '--assume-no']);

export function isInstall(command: PackageCommand): boolean {
  if (command.options.some((option) => SIMULATION.has(option.value))) return false;
  if (command.manager === 'dnf' && command.action === 'group') return command.operands[0]?.value === 'install';
  return INSTALL_ACTIONS[command.manager].has(command.action);
}

export function isRemoval(command: PackageCommand): boolean {
  return REMOVE_ACTIONS[command.manager].has(command.action);
}

/** The packages an install command names (for `dnf group install`, the group names). */
export function installedPackages(command: PackageCommand): ShellWord[] {
  if (command.manager === 'dnf' && command.action === 'group') return command.operands.slice(1);
  return command.operands;
}

/**
 * Whether the RUN removes again, later in the same script, what `install` installed: by name
 * (`apt-get purge -y gcc`, `apk del .build-deps`, `dnf remove gcc`), or with apt's
 * `apt-mark auto` + `apt-get purge --auto-remove` idiom that the official images use to drop every
 * package the RUN installed. Removed in the same RUN, the files never reach a layer.
 */
export function removedLaterInSameRun(script: RunScript, install: PackageCommand, name: string): boolean {
  const commands = packageCommandsOf(script);
  const start = commands.indexOf(install);
  const later = commands.slice(start + 1).filter((command) => command.manager === install.manager && isRemoval(command));
  if (later.some((removal) => removal.operands.some((operand) => packageName(operand) === name || (install.virtualName !== undefined && operand.value === install.virtualName)))) return true;
  if (install.manager !== 'apt') return false;
  const installAt = install.command.span.start;
  const marksAllAuto = script.commands.some((command) => command.span.start > installAt && command.program === 'apt-mark' && command.args.some((arg) => arg.value === 'auto'));
  return marksAllAuto && later.some((removal) => removal.action === 'autoremove' || removal.options.some((option) => option.value === '--auto-remove' || option.value === '--autoremove'));
}
