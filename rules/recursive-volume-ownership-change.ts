import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { supports } from '../core/kubernetes-version';
import { defineRule } from '../core/rule';
import type { Workload } from '../core/workload';
import { getMap, getPair, getSeq, getString, mapItems, scalarText } from '../core/yaml-nodes';

/**
 * `fsGroup` without `fsGroupChangePolicy: OnRootMismatch` on a pod that mounts a persistent
 * volume. The default policy (Always) makes the kubelet walk the whole volume at every mount,
 * chown'ing and chmod'ing each file to the fsGroup, before any container starts. The walk is
 * proportional to the number of files: minutes for millions of them, and a pod that sits in
 * ContainerCreating until it ends. OnRootMismatch skips the walk when the volume's root directory
 * already has the expected owner and permissions, which is the case from the second mount on.
 *
 * Only volumes whose ownership the kubelet manages and that persist between pods are reported:
 * persistentVolumeClaim, generic ephemeral volumes and a StatefulSet's volumeClaimTemplates.
 * Secret, configMap, downwardAPI, projected and emptyDir volumes are written fresh (and small)
 * for each pod, and the policy does not affect them.
 */

interface LargeVolume {
  name: string;
  /** "PersistentVolumeClaim `data`", for the message. */
  label: string;
}

/** Volume names some container (app, init or sidecar) mounts; the kubelet only sets up those. */
function mountedVolumeNames(workload: Workload): Set<string> {
  const names = new Set<string>();
  for (const container of workload.containers) {
    for (const key of ['volumeMounts', 'volumeDevices']) {
      for (const mount of mapItems(workload.doc, getSeq(workload.doc, container.node, key))) {
        const name = getString(workload.doc, mount, 'name');
        if (name) names.add(name);
      }
    }
  }
  return names;
}

function isReadOnly(doc: Document, source: YAMLMap | undefined): boolean {
  // The CSI mounter skips the ownership change for a read-only volume.
  return getString(doc, source, 'readOnly') === 'true';
}

/** Mounted volumes that persist between pods and whose ownership the kubelet changes recursively. */
function largeVolumes(workload: Workload): LargeVolume[] {
  const { doc, podSpec } = workload;
  const mounted = mountedVolumeNames(workload);
  const found: LargeVolume[] = [];
  for (const volume of mapItems(doc, getSeq(doc, podSpec, 'volumes'))) {
    const name = getString(doc, volume, 'name');
    if (!name || !mounted.has(name)) continue;
    const claim = getMap(doc, volume, 'persistentVolumeClaim');
    if (claim && !isReadOnly(doc, claim)) found.push({ name, label: `PersistentVolumeClaim volume \`${name}\`` });
    if (getMap(doc, getMap(doc, volume, 'ephemeral'), 'volumeClaimTemplate')) found.push({ name, label: `ephemeral volume \`${name}\`` });
  }
  if (workload.kind === 'StatefulSet') {
    for (const template of mapItems(doc, getSeq(doc, getMap(doc, workload.root, 'spec'), 'volumeClaimTemplates'))) {
      const name = getString(doc, getMap(doc, template, 'metadata'), 'name');
      if (name && mounted.has(name)) found.push({ name, label: `volumeClaimTemplate \`${name}\`` });
    }
  }
  return found;
}

export default defineRule({
  meta: {
    id: 'recursive-volume-ownership-change',
    stage: 'volumes',
    defaultSeverity: 'warning',
    description: 'Pod sets `fsGroup` without `fsGroupChangePolicy: OnRootMismatch` and mounts a persistent volume.',
    startupCost:
      'With the default policy (Always), the kubelet changes the group and permissions of every file in the volume at every mount, before any container starts: seconds for 10,000 files, many minutes for 1,000,000 or more, and the pod waits in ContainerCreating (kubelet mount timeouts and restarts included). OnRootMismatch skips the walk when the volume root is already right.',
    fixable: true,
    options: {},
  },
  check({ workload, kubernetesVersion, edit, report }) {
    // fsGroupChangePolicy is GA from 1.23 (beta and on by default from 1.20); before that, advice would be unusable.
    if (!supports(kubernetesVersion, 'fsGroupChangePolicy')) return;
    const { doc, podSpec } = workload;
    // Windows pods cannot set fsGroup or its policy.
    if (getString(doc, getMap(doc, podSpec, 'os'), 'name') === 'windows') return;
    const securityContext = getMap(doc, podSpec, 'securityContext');
    const fsGroupPair = getPair(securityContext, 'fsGroup') as Pair<Node, Node> | undefined;
    if (!securityContext || !fsGroupPair?.value || scalarText(doc, fsGroupPair.value) === undefined) return;
    const policyPair = getPair(securityContext, 'fsGroupChangePolicy');
    const policy = scalarText(doc, policyPair?.value);
    if (policy === 'OnRootMismatch') return;
    const volumes = largeVolumes(workload);
    if (volumes.length === 0) return;

    const fix = policyPair?.value
      ? edit.replaceNode(policyPair.value as Node, 'OnRootMismatch')
      : edit.insertAfterPair(securityContext, fsGroupPair, ['fsGroupChangePolicy: OnRootMismatch']);
    const names = volumes.map((volume) => volume.label);
    const mounts = names.length > 2 ? `${names.slice(0, 2).join(', ')} and ${names.length - 2} more` : names.join(' and ');
    const policyText = policy === 'Always' ? '`fsGroupChangePolicy: Always`' : 'no `fsGroupChangePolicy` (so Always)';
    report({
      target: fsGroupPair,
      message: `The pod sets \`fsGroup: ${scalarText(doc, fsGroupPair.value)}\` with ${policyText} and mounts ${mounts}: at every mount the kubelet walks the whole volume and changes the group and permissions of each file before any container starts, minutes for volumes with millions of files (the pod waits in ContainerCreating). Set \`fsGroupChangePolicy: OnRootMismatch\` to skip the walk when the volume root already matches.`,
      fixes: fix ? [{ title: 'Set fsGroupChangePolicy to OnRootMismatch', edits: [fix], safe: true }] : [],
    });
  },
});
