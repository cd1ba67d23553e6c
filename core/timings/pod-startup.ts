/**
 * Everything known about pods' starts from one snapshot (pods, events, nodes): each pod's timeline with
 * its kubelet SLI. Events and node images are indexed once for the whole snapshot, so the work grows
 * linearly with pods and events.
 */
import type { KubeEvent, Node, Pod } from './kube-objects';
import { kubeletSli, type KubeletSli } from './kubelet-sli';
import { NodeImages } from './node-images';
import { PodEventIndex, type PodEvent } from './pod-events';
import { podTimeline, type PodTimeline } from './pod-timeline';

export interface PodStartup extends PodTimeline {
  sli: KubeletSli;
}

export interface StartupSnapshot {
  pods: readonly Pod[];
  /** core/v1 or events.k8s.io/v1 events, or both (the same event twice would be read twice: pass one list). */
  events: readonly KubeEvent[];
  nodes?: readonly Node[];
}

export function podStartup(pod: Pod, events: readonly PodEvent[], node?: Node, nodeImages?: NodeImages): PodStartup {
  const timeline = podTimeline(pod, events, node, nodeImages);
  return { ...timeline, sli: kubeletSli(pod, timeline) };
}

/** The start of every pod of the snapshot, in the order of `snapshot.pods`. */
export function podStartups(snapshot: StartupSnapshot): PodStartup[] {
  const events = new PodEventIndex(snapshot.events);
  const nodes = new Map<string, { node: Node; images: NodeImages }>();
  for (const node of snapshot.nodes ?? []) if (node.metadata.name) nodes.set(node.metadata.name, { node, images: new NodeImages(node) });
  return snapshot.pods.map((pod) => {
    const node = pod.spec?.nodeName ? nodes.get(pod.spec.nodeName) : undefined;
    return podStartup(pod, events.eventsFor(pod), node?.node, node?.images);
  });
}
