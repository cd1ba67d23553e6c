import type { Node } from 'yaml';
import type { ChunkEditor } from '../core/edits';
import { supports } from '../core/kubernetes-version';
import { addStartupProbeEdits, annotatedStartSeconds, containerProbe, EXPECTED_START_ANNOTATION, livenessKillSeconds, planStartupProbe, type ContainerProbe, type StartupProbePlan } from '../core/probes';
import { describeContainer, defineRule } from '../core/rule';
import type { Fix } from '../core/types';
import type { ContainerRef } from '../core/workload';
import { getPair } from '../core/yaml-nodes';

interface Options {
  minDelaySeconds: number;
  expectedStartSeconds: number;
}

const DEFAULT_MIN_DELAY_SECONDS = 10;
export { EXPECTED_START_ANNOTATION };

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
    // Read only for a container the rule reports: most have no long probe delay.
    const expectedStart = () => Math.max(nonNegative(options.expectedStartSeconds) ?? 0, annotatedStartSeconds(workload));
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

      const plan = planStartupProbe({ liveness, readiness, expectedStart: expectedStart() });
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
 * The startup probe and the removed delays as one fix (core/probes.ts writes the edits).
 * Not safe for "fix all": it adds a restart condition the container did not have before, and a
 * readiness endpoint that also checks dependencies would now restart the container while they are down.
 */
function startupProbeFix(edit: ChunkEditor, container: ContainerRef, plan: StartupProbePlan): Fix | undefined {
  const edits = addStartupProbeEdits(edit, container.node, plan);
  if (!edits) return undefined;
  const removed = plan.delayed.map((probe) => probe.field).join(' and ');
  return {
    title: `Add a startupProbe (every ${plan.periodSeconds} s, up to ${plan.budgetSeconds} s) and remove initialDelaySeconds from the ${removed}`,
    edits,
    safe: false,
  };
}
