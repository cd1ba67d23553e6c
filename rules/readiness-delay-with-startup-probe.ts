import type { Node } from 'yaml';
import { supports } from '../core/kubernetes-version';
import { containerProbe, type ContainerProbe } from '../core/probes';
import { describeContainer, defineRule } from '../core/rule';
import type { ContainerRef } from '../core/workload';
import { getMap } from '../core/yaml-nodes';

/**
 * An `initialDelaySeconds` on the readiness probe of a container that has a startup probe. The
 * kubelet runs no readiness check until the startup probe has succeeded, so the delay no longer
 * protects anything: the startup probe already waits for the start, however long it takes.
 *
 * What the delay still does is hold the probe back. The Kubernetes documentation says the delay
 * only begins once the startup probe has succeeded, which would add all of it on top of the start;
 * the kubelet's prober (pkg/kubelet/prober) measures it from the container's start, so a readiness
 * delay holds Ready until at least that long after the container starts, whenever the app is up
 * sooner. Either way it costs up to its full length in Ready.
 *
 * A liveness delay after a startup probe is just as pointless, but it costs no startup time (it
 * only postpones hang detection), so this rule, which is about the start, leaves it alone.
 */
export default defineRule({
  meta: {
    id: 'readiness-delay-with-startup-probe',
    stage: 'probes',
    defaultSeverity: 'warning',
    description: 'Readiness probe with `initialDelaySeconds` in a container that already has a startup probe.',
    startupCost:
      'The startup probe already keeps readiness and liveness checks from running until the app is up, so a readiness `initialDelaySeconds: 30` can only hold Ready back, by up to 30 s on every start (the whole 30 s on top of the start, as the Kubernetes documentation describes it).',
    fixable: true,
    options: {},
  },
  check({ workload, kubernetesVersion, edit, report }) {
    // Before 1.20 a cluster may drop startupProbe (alpha or beta behind a gate), and then the delay is the only protection.
    if (!supports(kubernetesVersion, 'startupProbe')) return;
    // A pod that runs to completion has no steady state to be Ready in.
    if (workload.runsToCompletion) return;
    const { doc } = workload;
    for (const container of workload.containers) {
      if (container.kind !== 'container' && container.kind !== 'sidecar') continue;
      if (!getMap(doc, container.node, 'startupProbe')) continue;
      const probe = containerProbe(doc, container.node, 'readinessProbe');
      if (!probe?.delayPair?.value || probe.initialDelaySeconds <= 0) continue;
      // A probe whose only entry is the delay has no handler; removing it would leave the probe null.
      const removal = probe.editable && probe.map.items.length > 1 ? edit.removePair(probe.map, probe.delayPair) : undefined;
      report({
        target: probe.delayPair.value as Node,
        message: message(container, probe),
        fixes: removal ? [{ title: 'Remove initialDelaySeconds from the readinessProbe', edits: [removal], safe: true }] : [],
      });
    }
  },
});

function message(container: ContainerRef, probe: ContainerProbe): string {
  const delay = probe.initialDelaySeconds;
  return `${describeContainer(container)} has a startupProbe, which already keeps its readinessProbe from running until the app is up, so the readinessProbe's \`initialDelaySeconds: ${delay}\` can only hold Ready back: by up to ${delay} s on every start (all ${delay} s on top of the start, as the Kubernetes documentation describes it; the kubelet counts it from the container's start). Remove it.`;
}
