/**
 * A pod's times come from two clocks. The control plane's: metadata.creationTimestamp and the
 * PodScheduled condition (set by the API server when it binds the pod), the scheduler's events. The
 * node's: the kubelet's events, status.startTime, the Initialized/ContainersReady/Ready/
 * PodReadyToStartContainers conditions, and the container runtime's startedAt/finishedAt. Mixing them
 * is only right when the clocks agree.
 *
 * A node cannot act on a pod before the pod is bound to it, so a node time earlier than the binding
 * (or than the creation, for a pod created with spec.nodeName) proves the node clock is behind, by at
 * least the difference. We then move every node time forward by that smallest offset: the clamp is
 * applied to the node's clock, not to each time, so that durations measured on the node (a pull, an
 * init container's run) keep their length. A node clock that is ahead cannot be detected from one pod
 * and is left alone. Both sides are whole seconds, so an offset below a second is still real: floor()
 * keeps the order of the true times.
 */

/** Milliseconds to add to the node's times so that none is before `floor`; 0 when none is. */
export function nodeClockOffset(floor: number, nodeTimes: Iterable<number | undefined>): number {
  let earliest = Infinity;
  for (const time of nodeTimes) if (time !== undefined && time < earliest) earliest = time;
  return earliest < floor ? floor - earliest : 0;
}
