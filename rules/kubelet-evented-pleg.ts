import { atLeast, type KubernetesVersion } from '../core/kubernetes-version';
import { defineKubeletRule } from '../core/rule';

/**
 * The `EventedPLEG` feature gate turned on. Evented PLEG lets the container runtime's events tell
 * the kubelet about container changes, so that its relist of every pod (each second) can slow to
 * every 300 s. Its goal is less kubelet CPU on busy nodes, not faster pod starts, and it has been
 * alpha (and, in 1.27–1.29, beta but off by default) with a known bug that starts static pods'
 * containers twice (kubernetes/kubernetes#121349). People turn it on after reading that it speeds up
 * startup; the startup gain that shipped is on-demand relisting (`PLEGOnDemandRelist`, 1.36), which
 * needs no setting. Before 1.26 the gate does not exist and the kubelet refuses to start.
 *
 * Sources: the feature-gates reference and the switch-to-evented-pleg task page; KEP-3386;
 * kubernetes/kubernetes#115967, #121349, #122697, #137362, #139262, #140805.
 */

const GATE = 'EventedPLEG';

/** The release that added the gate (website#49344: "introduced in v1.26 rather than v1.25"). */
const GATE_RELEASE = '1.26';

/** What the gate is in a release, and the advice that follows (the docs page of the gate and the pull requests above). */
function stageOf(version: KubernetesVersion): string {
  const release = `${version.major}.${version.minor}`;
  if (!atLeast(version, '1.27')) return `In ${release} it is an alpha feature, off by default`;
  if (!atLeast(version, '1.30')) {
    return `In ${release}.0 it was labelled beta yet left off by default, and it went back to alpha in later ${release} patch releases (kubernetes/kubernetes#122697) because of a critical bug`;
  }
  if (!atLeast(version, '1.37')) return `In ${release} it is an alpha feature, off by default`;
  return `In ${release} it is still behind this gate, off by default`;
}

/** What the gate does in a release: up to 1.36 events stand in for most relists; 1.37 keeps the 1 s relist (#139262). */
function purposeOf(version: KubernetesVersion): string {
  if (atLeast(version, '1.37')) return 'From 1.37 the kubelet relists every pod each second either way, and Evented PLEG only asks for an early relist when a container stops; it does not make pods start faster.';
  return "Evented PLEG lets container-runtime events replace the kubelet's relist of every pod each second (the relist slows to every 300 s) to save kubelet CPU; it does not make pods start faster.";
}

/** Where the startup gain people look for comes from in a release. */
function startupNote(version: KubernetesVersion): string {
  if (atLeast(version, '1.37')) return ' The faster pod start Kubernetes shipped is on-demand relisting (PLEGOnDemandRelist, GA and always on in 1.37), which needs no setting.';
  if (atLeast(version, '1.36')) return ' The faster pod start Kubernetes shipped is on-demand relisting (the PLEGOnDemandRelist gate, beta in 1.36), which needs no EventedPLEG.';
  return '';
}

export default defineKubeletRule({
  meta: {
    id: 'kubelet-evented-pleg',
    stage: 'container-start',
    defaultSeverity: 'warning',
    description: 'A kubelet configuration that turns on the `EventedPLEG` feature gate: an alpha feature meant to save kubelet CPU, not to speed up pod starts, with a known duplicate-container bug (and an unknown gate, which stops the kubelet, before Kubernetes 1.26).',
    startupCost: 'No measured startup gain (its aim is fewer relists: one per pod every 1 s becomes one every 300 s), while static pods can get a second copy of a container that fails on "port in use" (kubernetes/kubernetes#121349); before 1.26 the kubelet exits at start and 100% of the node\'s pods wait.',
    fixable: true,
    options: {},
  },
  check({ config, kubernetesVersion, report }) {
    const gate = config.featureGate(GATE);
    if (!gate?.enabled) return;
    const written = config.get('featureGates')?.flag ? `--feature-gates sets ${GATE}=true` : `featureGates.${GATE} is true`;
    const release = `${kubernetesVersion.major}.${kubernetesVersion.minor}`;
    if (!atLeast(kubernetesVersion, GATE_RELEASE)) {
      report({
        target: gate.span,
        message: `${written}, but Kubernetes ${release} has no such gate (it arrived in 1.26): the kubelet exits at start with "unrecognized feature gate: ${GATE}", so the node never becomes Ready. Remove the entry (setting it to false is rejected the same way).`,
      });
      return;
    }
    const edits = config.setFeatureGate(GATE, false);
    report({
      target: gate.span,
      message:
        `${written}. ${stageOf(kubernetesVersion)}. ${purposeOf(kubernetesVersion)} ` +
        `It can start a static pod's container twice, the copy failing on "port in use" (kubernetes/kubernetes#121349), needs containerd 1.7+ or CRI-O 1.26+ with enable_pod_events, and silently falls back to relisting without them.` +
        `${startupNote(kubernetesVersion)} Set the gate to false.`,
      fixes: edits ? [{ title: `Turn the ${GATE} feature gate off (${GATE}: false)`, edits, safe: true }] : [],
    });
  },
});
