import type { Document, Node } from 'yaml';
import { supports, type KubernetesVersion } from '../core/kubernetes-version';
import { describeContainer, defineRule } from '../core/rule';
import {
  commandOf,
  commandSubstitutions,
  commandStatements,
  containerCommand,
  excerpt,
  isAssignmentOnly,
  splitStatements,
  type ShellStatement,
  type SimpleCommand,
} from '../core/shell-commands';
import type { ContainerRef } from '../core/workload';
import { getNode, getPair, getString } from '../core/yaml-nodes';

/**
 * An init container whose whole job is to wait: `sleep 30`, or a loop polling a Service until
 * it answers. Init containers run one after another before any app container starts, so the
 * wait is added to every start of the pod, and it guards only the start: the app still has to
 * cope with the dependency going away later.
 */

/** Commands that check whether something answers and change nothing. */
const PROBE_PROGRAMS = new Set(['nc', 'ncat', 'netcat', 'nslookup', 'host', 'dig', 'getent', 'pg_isready', 'telnet', 'ping', 'grpc_health_probe']);
/** Programs that do the whole waiting themselves (they poll until their target is up). */
const WAIT_TOOLS = new Set(['wait-for-it', 'wait-for-it.sh', 'wait-for', 'wait-for.sh', 'wait_for.sh', 'wait4x']);
/** Commands that neither wait nor do work: output, tests, loop bookkeeping, text filters. */
const NEUTRAL_PROGRAMS = new Set([
  'echo', 'printf', ':', 'true', 'false', 'exit', 'break', 'continue', 'return', 'set', '[', '[[', 'test', 'let', 'export',
  'date', 'seq', 'expr', 'grep', 'egrep', 'awk', 'cut', 'head', 'tail', 'tr', 'wc', 'sort', 'uniq', 'cat',
]);

type Role = 'neutral' | 'probe' | 'tool' | 'sleep' | 'work';

interface Wait {
  kind: 'sleep' | 'poll' | 'tool';
  /** Total of fixed sleeps (kind 'sleep') or the polling interval (kind 'poll'), in seconds. */
  seconds?: number;
  /** The command that checks the dependency, for the message. */
  check?: string;
}

function durationSeconds(text: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text ?? '');
  if (!match) return undefined;
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

function optionValue(args: readonly string[], short: string, long: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === short || arg === long) return args[i + 1];
    if (arg.startsWith(`${long}=`)) return arg.slice(long.length + 1);
    // Combined short flags: `-qO /tmp/x`, `-sSo out`, `-qO-`.
    const flag = short.slice(1);
    if (/^-[a-zA-Z]+/.test(arg) && !arg.startsWith('--')) {
      const at = arg.indexOf(flag);
      if (at > 0) return at === arg.length - 1 ? args[i + 1] : arg.slice(at + 1);
    }
  }
  return undefined;
}

/** curl or wget used as a check (a GET whose body goes nowhere), not to send or fetch something. */
function isHttpCheck(command: SimpleCommand): boolean {
  const { name, args } = command;
  const toNowhere = (target: string | undefined) => target === undefined || target === '/dev/null' || target === '-';
  if (name === 'curl') {
    const method = optionValue(args, '-X', '--request');
    if (method && !/^(GET|HEAD)$/i.test(method)) return false;
    if (args.some((arg) => /^(-d|-F|-T|--data.*|--form.*|--upload-file|--json)$/.test(arg) || /^--data/.test(arg))) return false;
    return toNowhere(optionValue(args, '-o', '--output')) && !args.includes('-O') && !args.includes('--remote-name');
  }
  if (name === 'wget') {
    if (args.some((arg) => /^--(post|method|body)/.test(arg))) return false;
    return args.includes('--spider') || toNowhere(optionValue(args, '-O', '--output-document'));
  }
  return false;
}

function isDatabasePing(command: SimpleCommand): boolean {
  const joined = command.args.join(' ');
  switch (command.name) {
    case 'mysqladmin':
      return /\b(ping|status)\b/.test(joined);
    case 'redis-cli':
      return /\bping\b/i.test(joined);
    case 'mongo':
    case 'mongosh':
      return /\bping\b|adminCommand/.test(joined);
    case 'psql':
    case 'mysql':
      return /-(c|e)\s+select\s+1\s*;?\s*$/i.test(joined) || /--command[= ]select\s+1\b/i.test(joined);
    default:
      return false;
  }
}

/** The command a waiting tool runs once its target is up: `wait-for-it db:5432 -- ./migrate`, `dockerize -wait tcp://db:5432 ./app`. */
function commandAfterWait(command: SimpleCommand): string[] {
  const dashes = command.args.indexOf('--');
  if (dashes !== -1) return command.args.slice(dashes + 1);
  if (command.name !== 'dockerize') return [];
  // dockerize flags take a value (`-wait tcp://db:5432`, `-timeout 60s`); the first bare word starts the command.
  for (let i = 0; i < command.args.length; i++) {
    const arg = command.args[i];
    if (!arg.startsWith('-')) return command.args.slice(i);
    if (!arg.includes('=') && !/^--?(stdout|stderr|no-overwrite)$/.test(arg)) i++;
  }
  return [];
}

function roleOfCommand(command: SimpleCommand, raw: readonly string[]): Role {
  const { name, args } = command;
  if (raw.some((word) => /\/dev\/(tcp|udp)\//.test(word))) return 'probe';
  if (name === 'sleep') return durationSeconds(args[0]) !== undefined || /^\$/.test(args[0] ?? '') ? 'sleep' : 'work';
  if (WAIT_TOOLS.has(name) || (name === 'dockerize' && args.some((arg) => /^--?wait(=|$)/.test(arg)))) {
    const then = commandAfterWait(command);
    const next = commandOf(then);
    return !next || roleOfCommand(next, then) === 'neutral' ? 'tool' : 'work';
  }
  if (name === 'kubectl') {
    const verb = args.find((arg) => !arg.startsWith('-'));
    if (verb === 'wait' || (verb === 'rollout' && args.includes('status'))) return 'tool';
    return verb === 'get' || verb === 'describe' ? 'probe' : 'work';
  }
  if (PROBE_PROGRAMS.has(name) || isHttpCheck(command) || isDatabasePing(command)) return 'probe';
  if (name === 'sed' && !args.some((arg) => /^-[a-zA-Z]*i/.test(arg) || arg.startsWith('--in-place'))) return 'neutral';
  return NEUTRAL_PROGRAMS.has(name) ? 'neutral' : 'work';
}

const PRECEDENCE: readonly Role[] = ['work', 'tool', 'probe', 'sleep', 'neutral'];

/** The role of a statement, counting what its `$(...)` substitutions run, and the command that decided it. */
function roleOf(statement: ShellStatement): { role: Role; text: string } {
  const found: Array<{ role: Role; text: string }> = [];
  for (const inner of statement.words.flatMap(commandSubstitutions)) {
    for (const nested of splitStatements(inner)) found.push(roleOf(nested));
  }
  if (statement.keyword !== 'for' && statement.words.length > 0 && !isAssignmentOnly(statement.words)) {
    const command = commandOf(statement.words);
    if (command) found.push({ role: roleOfCommand(command, statement.words), text: statement.text });
  }
  for (const role of PRECEDENCE) {
    const hit = found.find((candidate) => candidate.role === role);
    if (hit) return hit;
  }
  return { role: 'neutral', text: statement.text };
}

/** `sleep $RETRY_INTERVAL` after `RETRY_INTERVAL=10`: the number, when the script set it plainly. */
function sleepSeconds(statement: ShellStatement, variables: Map<string, string>): number | undefined {
  const arg = commandOf(statement.words)?.args[0];
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(arg ?? '');
  return durationSeconds(variable ? variables.get(variable[1]) : arg);
}

/** The wait a script consists of, or undefined when it does anything else (or waits for no dependency). */
export function waitOf(script: string, statements: readonly ShellStatement[] = splitStatements(script)): Wait | undefined {
  const variables = new Map<string, string>();
  let loop = false;
  let check: string | undefined;
  let tool: string | undefined;
  const sleeps: Array<number | undefined> = [];
  for (const statement of statements) {
    if (statement.keyword === 'for' || statement.keyword === 'until' || statement.keyword === 'while') loop = true;
    if (isAssignmentOnly(statement.words)) {
      for (const word of statement.words) {
        const [name, value] = [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)];
        variables.set(name, value);
      }
    }
    const { role, text } = roleOf(statement);
    if (role === 'work') return undefined;
    if (role === 'tool') tool ??= text;
    if (role === 'probe') check ??= text;
    if (role === 'sleep') sleeps.push(sleepSeconds(statement, variables));
  }
  if (tool) return { kind: 'tool', check: excerpt(tool, 60) };
  if (loop && check) return { kind: 'poll', seconds: sleeps[0], check: excerpt(check, 60) };
  // A loop without a network check waits on something local (a file another DaemonSet writes): not this rule's business.
  if (loop || sleeps.length === 0) return undefined;
  const known = sleeps.every((seconds) => seconds !== undefined);
  return { kind: 'sleep', seconds: known ? sleeps.reduce<number>((sum, seconds) => sum + seconds!, 0) : undefined, check: check && excerpt(check, 60) };
}

function formatSeconds(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Images whose entrypoint only waits (groundnuty/k8s-wait-for runs `wait_for.sh <kind> <selector>`). */
function isWaitImage(image: string | undefined): boolean {
  return /(^|\/)k8s-wait-for(:|@|$)/.test(image ?? '');
}

function advice(wait: Wait, version: KubernetesVersion): string {
  const local = /\b(localhost|127\.0\.0\.1)\b/.test(wait.check ?? '');
  if (local && supports(version, 'sidecarContainers')) {
    return 'What it waits for runs in this pod: make that container a native sidecar (an init container with `restartPolicy: Always` and a startupProbe), and the kubelet starts the app as soon as it is up.';
  }
  return 'Let the app retry its connections and report with a readinessProbe (a startupProbe if its first connection can be slow) instead of gating the whole pod.';
}

function message(container: ContainerRef, wait: Wait, version: KubernetesVersion): string {
  const who = describeContainer(container);
  if (wait.kind === 'sleep') {
    const time = wait.seconds !== undefined ? formatSeconds(wait.seconds) : 'a configured time';
    const then = wait.check ? ` (then checks \`${wait.check}\` once)` : '';
    return `${who} only sleeps ${time}${then}: every start of this pod, including each restart, rollout and scale-up, waits ${time} before any app container starts. ${advice(wait, version)}`;
  }
  const what = wait.kind === 'poll' ? `polls \`${wait.check}\`${wait.seconds !== undefined ? ` every ${formatSeconds(wait.seconds)}` : ''}` : `waits with \`${wait.check}\``;
  const lag = wait.kind === 'poll' && wait.seconds ? ` plus up to ${formatSeconds(wait.seconds)} of polling lag` : '';
  return `${who} only waits for a dependency (it ${what}): no app container starts until it succeeds, so every pod start waits, serially, for the dependency${lag}, and pays for one more container (roughly 0.5–2 s) even when the dependency is already up. ${advice(wait, version)}`;
}

export default defineRule({
  meta: {
    id: 'init-container-only-waits',
    stage: 'init-containers',
    defaultSeverity: 'warning',
    description: 'Init container that only sleeps or polls a dependency (nc -z, nslookup, curl, pg_isready, wait-for-it, kubectl wait) until it answers.',
    startupCost:
      'Init containers run one at a time before any app container: a `sleep 30` adds 30 s to every pod start, and a polling loop adds the time until the dependency answers plus up to one polling interval, serially. Even when the dependency is up, the extra container costs roughly 0.5–2 s (create, start, exit; an image pull on a fresh node), and it protects only the first connection.',
    fixable: false,
    options: {},
  },
  check({ workload, kubernetesVersion, report }) {
    const doc: Document = workload.doc;
    for (const container of workload.containers) {
      if (container.kind !== 'initContainer') continue;
      const command = containerCommand(doc, container);
      if (!command) {
        const imagePair = getPair(container.node, 'image');
        if (!isWaitImage(getString(doc, container.node, 'image')) || !imagePair?.value) continue;
        const args = getNode(doc, container.node, 'args');
        report({
          target: (args ?? imagePair.value) as Node,
          message: message(container, { kind: 'tool', check: `wait_for.sh` }, kubernetesVersion),
        });
        continue;
      }
      const wait = isWaitImage(getString(doc, container.node, 'image')) && !command.viaShell ? { kind: 'tool' as const, check: excerpt(`wait_for.sh ${command.script}`, 60) } : waitOf(command.script, commandStatements(command));
      if (!wait) continue;
      report({ target: command.node, message: message(container, wait, kubernetesVersion) });
    }
  },
});
