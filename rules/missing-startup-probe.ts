import type { Node } from 'yaml';
import { lineEndingOf, type ChunkEditor } from '../core/edits';
import { supports } from '../core/kubernetes-version';
import { containerProbe, entryLines, livenessKillSeconds, probeHandler, type ContainerProbe } from '../core/probes';
import { describeContainer, defineRule } from '../core/rule';
import type { Fix, TextEdit } from '../core/types';
import type { ContainerRef, Workload } from '../core/workload';
import { getMap, getNumber, getPair } from '../core/yaml-nodes';

interface Options {
  minDelaySeconds: number;
  expectedStartSeconds: number;
}

const DEFAULT_MIN_DELAY_SECONDS = 10;
/** The annotation (on the pod template or the object) that tells the fix how long a start may take. */
export const EXPECTED_START_ANNOTATION = 'podstart.dev/expected-start-seconds';
/** The startup probe polls at most this far apart, so that Ready follows the app within seconds. */
const STARTUP_PERIOD_SECONDS = 5;
/**
 * The smallest start budget the fix writes: what a liveness probe with the defaults (3 failures,
 * 10 s apart, the first one at once) already tolerates, and room for a cold node or a busy registry.
 */
const MIN_BUDGET_SECONDS = 30;

/**
 * A liveness or readiness probe that guesses the start time with `initialDelaySeconds` instead of
 * a startup probe measuring it.
 *
 * A liveness delay is a fixed wait before the kubelet checks for hangs. Too short for a slow start
 * (a cold JVM, a cache warm-up, a migration), and the kubelet kills the container before it is up:
 * the restart starts from zero and waits in CrashLoopBackOff (10 s, 20 s, 40 s … up to 5 min
 * between tries). Too long for a fast start, and a hang goes unnoticed for the whole delay.
 *
 * A readiness delay holds Ready back for the whole delay, even when the app is up after two
 * seconds: every rollout and scale-up waits for it.
 *
 * A startup probe polls the start every few seconds, holds the other probes until it succeeds
 * (then the kubelet runs the readiness probe at once), and kills the container only after its own
 * budget, `failureThreshold × periodSeconds`. So Ready comes within one startup period of the app
 * being up, and the budget can be generous without slowing anything.
 */
export default defineRule<Options>({
  meta: {
    id: 'missing-startup-probe',
    stage: 'probes',
    defaultSeverity: 'warning',
    description: 'Container that delays its liveness or readiness probe with a long `initialDelaySeconds` instead of using a startup probe.',
    startupCost:
      'A readiness `initialDelaySeconds: 60` holds Ready back 60 s on every start, even when the app is up in 5 s; a startup probe polling every 5 s makes it Ready within 5 s of being up. A liveness delay shorter than a slow start gets the container killed mid-start, and each retry waits longer in CrashLoopBackOff (10 s, 20 s, 40 s … up to 5 min).',
    fixable: true,
    options: {
      minDelaySeconds: {
        type: 'number',
        default: DEFAULT_MIN_DELAY_SECONDS,
        description: 'Smallest liveness or readiness `initialDelaySeconds` reported, in seconds.',
      },
      expectedStartSeconds: {
        type: 'number',
        default: 0,
        description: `How long a start may take, in seconds, for the budget of the startup probe the fix adds (0: not set). The \`${EXPECTED_START_ANNOTATION}\` annotation sets it per object.`,
      },
    },
  },
  check({ workload, options, kubernetesVersion, edit, report }) {
    // Before 1.20 the startup probe is beta or alpha behind a feature gate; advice to add one could be unusable.
    if (!supports(kubernetesVersion, 'startupProbe')) return;
    const { doc } = workload;
    const minDelay = nonNegative(options.minDelaySeconds) ?? DEFAULT_MIN_DELAY_SECONDS;
    const expectedStart = Math.max(nonNegative(options.expectedStartSeconds) ?? 0, annotatedStartSeconds(workload));
    for (const container of workload.containers) {
      // Init containers run to completion and cannot have probes; ephemeral containers cannot either.
      if (container.kind !== 'container' && container.kind !== 'sidecar') continue;
      // A container without an image is a patch; its base may well define the startup probe.
      if (container.partial || getPair(container.node, 'startupProbe')) continue;
      const liveness = containerProbe(doc, container.node, 'livenessProbe');
      const readiness = containerProbe(doc, container.node, 'readinessProbe');
      const isLong = (probe: ContainerProbe | undefined): probe is ContainerProbe =>
        probe?.delayPair?.value !== undefined && probe.initialDelaySeconds > 0 && probe.initialDelaySeconds >= minDelay;
      // A pod that runs to completion has no steady state to be Ready in: only liveness matters there.
      const readinessIsLong = isLong(readiness) && !workload.runsToCompletion;
      // A liveness delay shorter than one check period (10 s before checks 60 s apart) is not what
      // lets the start through, the spacing of the checks is, and a startup probe would not change that.
      const livenessIsLong = isLong(liveness) && liveness.initialDelaySeconds >= liveness.periodSeconds;
      if (!readinessIsLong && !livenessIsLong) continue;

      const plan = planStartupProbe({ liveness, readiness, expectedStart });
      const fix = startupProbeFix(edit, container, plan);
      const message = readinessIsLong
        ? readinessMessage(container, readiness!, livenessIsLong ? liveness : undefined, plan)
        : livenessMessage(container, liveness!, plan);
      report({ target: (readinessIsLong ? readiness! : liveness!).delayPair!.value as Node, message, fixes: fix ? [fix] : [] });
    }
  },
});

function nonNegative(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** The larger of the expected-start annotations on the pod template and on the object. */
function annotatedStartSeconds(workload: Workload): number {
  const { doc } = workload;
  const values = [workload.podTemplateMetadata, workload.metadata].map((metadata) => getNumber(doc, getMap(doc, metadata, 'annotations'), EXPECTED_START_ANNOTATION));
  return Math.max(0, ...values.filter((value): value is number => value !== undefined && value >= 0));
}

/** The startup probe the fix writes, and why its numbers are what they are. */
interface StartupProbePlan {
  /** The probe whose handler the startup probe copies: readiness, which says when the app can serve, else liveness. */
  source?: ContainerProbe;
  /** Probes whose `initialDelaySeconds` the fix removes. */
  delayed: ContainerProbe[];
  periodSeconds: number;
  failureThreshold: number;
  /** failureThreshold × periodSeconds: how long a start may take before the kubelet restarts it. */
  budgetSeconds: number;
}

/**
 * The budget is twice the longest start anyone wrote down (the removed delays, the expected-start
 * annotation or option), never less than what the old liveness probe tolerated before killing a
 * start, and at least 30 s. A generous budget costs nothing on a healthy start, because the probe
 * succeeds as soon as the app answers; it only postpones the restart of a start that hangs. A tight
 * one turns a slow start on a busy node into a crash loop, which is what this rule is against.
 */
function planStartupProbe({ liveness, readiness, expectedStart }: { liveness?: ContainerProbe; readiness?: ContainerProbe; expectedStart: number }): StartupProbePlan {
  const delayed = [readiness, liveness].filter((probe): probe is ContainerProbe => probe?.delayPair !== undefined && probe.initialDelaySeconds > 0);
  const source = readiness && probeHandler(readiness) ? readiness : liveness && probeHandler(liveness) ? liveness : undefined;
  const periodSeconds = Math.min(source?.periodSeconds ?? STARTUP_PERIOD_SECONDS, STARTUP_PERIOD_SECONDS);
  const longestStart = Math.max(expectedStart, ...delayed.map((probe) => probe.initialDelaySeconds));
  const wanted = Math.max(2 * longestStart, liveness ? livenessKillSeconds(liveness) : 0, MIN_BUDGET_SECONDS);
  const failureThreshold = Math.ceil(wanted / periodSeconds);
  return { source, delayed, periodSeconds, failureThreshold, budgetSeconds: failureThreshold * periodSeconds };
}

function startupProbeText(plan: StartupProbePlan): string {
  return `a startupProbe that checks every ${plan.periodSeconds} s (failureThreshold ${plan.failureThreshold}: a start may take up to ${plan.budgetSeconds} s)`;
}

function readinessMessage(container: ContainerRef, readiness: ContainerProbe, liveness: ContainerProbe | undefined, plan: StartupProbePlan): string {
  const delay = readiness.initialDelaySeconds;
  const alsoLiveness = liveness ? ` Its livenessProbe's \`initialDelaySeconds: ${liveness.initialDelaySeconds}\` is the same guess, and a start slower than about ${livenessKillSeconds(liveness)} s is killed before it is up.` : '';
  return `${describeContainer(container)} has no startupProbe and its readinessProbe sets \`initialDelaySeconds: ${delay}\`: Ready is held back at least ${delay} s after the container starts, on every start and however soon the app is up, and every rollout and scale-up waits for it.${alsoLiveness} With ${startupProbeText(plan)} instead, the container is Ready within about ${plan.periodSeconds} s of the app being up.`;
}

function livenessMessage(container: ContainerRef, liveness: ContainerProbe, plan: StartupProbePlan): string {
  const delay = liveness.initialDelaySeconds;
  return `${describeContainer(container)} has no startupProbe and its livenessProbe sets \`initialDelaySeconds: ${delay}\`, a fixed guess at the start time: a start slower than about ${livenessKillSeconds(liveness)} s (the delay plus ${liveness.failureThreshold} failed checks ${liveness.periodSeconds} s apart) is killed before it is up, and each retry starts from zero after a longer CrashLoopBackOff wait (10 s, 20 s, 40 s … up to 5 min); a faster start leaves a hang undetected for ${delay} s. With ${startupProbeText(plan)} instead, liveness checks begin as soon as the app is up.`;
}

/**
 * Inserts the startup probe after the probe it copies, with that probe's handler lines exactly as
 * written (they sit at the same depth under `startupProbe:`), and removes the delays it replaces.
 * Not safe for "fix all": it adds a restart condition the container did not have before, and a
 * readiness endpoint that also checks dependencies would now restart the container while they are down.
 */
function startupProbeFix(edit: ChunkEditor, container: ContainerRef, plan: StartupProbePlan): Fix | undefined {
  const { source } = plan;
  const handler = source && probeHandler(source);
  if (!source || !handler || container.node.flow) return undefined;
  if ([source, ...plan.delayed].some((probe) => !probe.editable)) return undefined;
  const handlerLines = entryLines(edit, handler);
  const keyStart = (source.pair.key as Node).range?.[0];
  const handlerStart = (handler.key as Node).range?.[0];
  if (!handlerLines || keyStart === undefined || handlerStart === undefined) return undefined;
  const keyColumn = edit.columnOf(edit.abs(keyStart));
  const childColumn = edit.columnOf(edit.abs(handlerStart));
  if (childColumn <= keyColumn) return undefined;

  // Placed where an entry after the source probe goes; the text is built here so the handler lines keep their own indentation.
  const placement = edit.insertAfterPair(container.node, source.pair, ['startupProbe:']);
  if (!placement) return undefined;
  const eol = lineEndingOf(edit.text);
  const childIndent = ' '.repeat(childColumn);
  const timeout = getPair(source.map, 'timeoutSeconds');
  const timeoutValue = timeout?.value?.range ? edit.text.slice(edit.abs(timeout.value.range[0]), edit.abs(timeout.value.range[1])) : undefined;
  const lines = [
    `${' '.repeat(keyColumn)}startupProbe:`,
    ...handlerLines,
    // A slow endpoint keeps its timeout: at the default 1 s it would fail every check and the start would be killed.
    ...(timeoutValue !== undefined ? [`${childIndent}timeoutSeconds: ${timeoutValue}`] : []),
    `${childIndent}periodSeconds: ${plan.periodSeconds}`,
    `${childIndent}failureThreshold: ${plan.failureThreshold}`,
  ];
  const removals: TextEdit[] = [];
  for (const probe of plan.delayed) {
    // A probe whose only entry is the delay has no handler; removing the line would leave `readinessProbe:` null.
    const removal = probe.map.items.length > 1 ? edit.removePair(probe.map, probe.delayPair!) : undefined;
    if (!removal) return undefined;
    removals.push(removal);
  }
  // At the end of a file without a final newline, the new lines need one before them, unless the
  // removed delay was that last line and the line before it already ends with one.
  const textBefore = removals.find((removal) => removal.end === placement.start)?.start ?? placement.start;
  const needsNewline = placement.start === edit.text.length && textBefore > 0 && edit.text[textBefore - 1] !== '\n';
  const insert: TextEdit = { start: placement.start, end: placement.end, newText: (needsNewline ? eol : '') + lines.join(eol) + eol };
  const removed = plan.delayed.map((probe) => probe.field).join(' and ');
  return {
    title: `Add a startupProbe (every ${plan.periodSeconds} s, up to ${plan.budgetSeconds} s) and remove initialDelaySeconds from the ${removed}`,
    edits: [...removals, insert],
    safe: false,
  };
}
