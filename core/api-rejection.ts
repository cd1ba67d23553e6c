/**
 * How to say what the API server refuses when a pod spec fails validation, for rules that report
 * such mistakes: a Pod is refused at creation, a built-in workload together with its pod template,
 * and the pods of an operator's object (a PyTorchJob, a RayCluster) each time the operator
 * creates them, since a custom resource's schema does not validate the pod spec it embeds.
 */
import type { Workload } from './workload';

export function rejectionOf(workload: Workload): string {
  if (workload.kind === 'Pod') return 'the API server rejects the Pod, so it is never created';
  if (workload.podTemplateRole === undefined) return `the API server rejects the ${workload.kind} (its pod template fails validation), so no pod is ever created`;
  return `the API server rejects every pod the ${workload.kind} operator creates from \`${workload.podTemplateRole}\`, so they never start`;
}
