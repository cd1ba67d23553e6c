import { isScalar, type Node } from 'yaml';
import { acceleratorKind, containerResources, isExtendedResourceName, resourceEntries, type ResourceEntry } from '../core/accelerators';
import { rejectionOf } from '../core/api-rejection';
import type { ChunkEditor } from '../core/edits';
import { describeContainer, defineRule } from '../core/rule';
import type { Fix } from '../core/types';
import type { ContainerRef, Workload } from '../core/workload';

/**
 * Extended resources (`nvidia.com/gpu`, `amd.com/gpu`, `google.com/tpu`, any name with a domain
 * outside kubernetes.io) that the API server refuses: a request without a limit, a request that
 * differs from its limit, or a quantity that is not a whole number. kube-apiserver's
 * validateResourceRequirements allows no overcommit for them ("Limit must be set for non
 * overcommitable resources", "must be equal to nvidia.com/gpu limit of 2") and
 * ValidateResourceQuantityValue only integers ("must be an integer"). A limit alone is fine: the
 * request defaults to it. A Pod is refused at creation; a Deployment, Job or other built-in
 * workload is refused with its pod template; the pods of an operator's object (a PyTorchJob, a
 * RayCluster) are refused each time the operator creates them, so the workload never starts.
 */

function resourceLabel(entry: ResourceEntry): string {
  const kind = acceleratorKind(entry.name);
  return kind ? `\`${entry.name}\` (${kind.vendor})` : `the extended resource \`${entry.name}\``;
}

function isWholeNumber(quantity: number): boolean {
  // Float noise must not turn 3 into 2.9999999999999996.
  return Math.abs(quantity - Math.round(quantity)) < 1e-9;
}

/** The request's source text, so the limit is written the same way (`1`, `"1"`). */
function sourceText(edit: ChunkEditor, node: Node | undefined): string | undefined {
  if (!node?.range || !isScalar(node)) return undefined;
  return edit.text.slice(edit.abs(node.range[0]), edit.abs(node.range[1]));
}

/** Adds a limit equal to each request the container leaves without one. */
function addLimitsFix(workload: Workload, container: ContainerRef, missing: ResourceEntry[], edit: ChunkEditor): Fix | undefined {
  const { resources, requests, requestsPair, limits, limitsPair } = containerResources(workload.doc, container.node);
  const lines = missing.map((entry) => {
    const text = sourceText(edit, entry.value);
    return text === undefined ? undefined : `${entry.name}: ${text}`;
  });
  if (!resources || !requests || !requestsPair || lines.some((line) => line === undefined)) return undefined;
  let insertion;
  if (limits) {
    const last = limits.items[limits.items.length - 1];
    insertion = last ? edit.insertAfterPair(limits, last, lines as string[]) : undefined;
  } else if (!limitsPair) {
    const unit = ' '.repeat(edit.indentUnit(requestsPair, requests));
    insertion = edit.insertAfterPair(resources, requestsPair, ['limits:', ...(lines as string[]).map((line) => unit + line)]);
  }
  if (!insertion) return undefined;
  const what = missing.length === 1 ? `a ${missing[0].name} limit equal to the request` : 'limits equal to the requests';
  return { title: `Add ${what}`, edits: [insertion], safe: true };
}

export default defineRule({
  meta: {
    id: 'extended-resource-request-rejected',
    stage: 'scheduling',
    defaultSeverity: 'error',
    description: 'GPU or other extended resource requested without a limit, with a request different from its limit, or in a non-integer amount: the API server rejects it.',
    startupCost:
      'The pod never starts: the API server rejects a Pod at creation, a Deployment or Job with its pod template, and every pod an operator (PyTorchJob, RayCluster) creates, so the workload waits forever (0 of N pods) until someone reads the error. Extended resources allow no overcommit (request = limit, a limit alone is enough) and whole numbers only (0.5 GPU is rejected).',
    fixable: true,
    options: {},
  },
  check({ workload, edit, report }) {
    const { doc } = workload;
    for (const container of workload.containers) {
      // Ephemeral containers may not set resources at all; other validation reports that.
      if (container.kind === 'ephemeralContainer') continue;
      const { requests, limits } = containerResources(doc, container.node);
      const requestEntries = resourceEntries(doc, requests).filter((entry) => isExtendedResourceName(entry.name));
      const limitEntries = resourceEntries(doc, limits).filter((entry) => isExtendedResourceName(entry.name));
      const limitOf = new Map(limitEntries.map((entry) => [entry.name, entry]));
      const who = describeContainer(container);

      for (const entry of [...requestEntries, ...limitEntries]) {
        if (entry.quantity === undefined || !entry.value || isWholeNumber(entry.quantity)) continue;
        const field = requestEntries.includes(entry) ? 'requests' : 'limits';
        report({
          target: entry.value,
          message: `${who} ${field} ${entry.text} of ${resourceLabel(entry)}: extended resources are counted in whole devices, and ${rejectionOf(workload)} ("must be an integer"). To share a GPU, use what the cluster offers: MIG profiles (\`nvidia.com/mig-1g.10gb\`), time-slicing replicas, or a sharing scheduler's own resources (HAMi \`nvidia.com/gpumem\`, volcano \`volcano.sh/vgpu-memory\`).`,
        });
      }

      const wholeRequests = requestEntries.filter((entry) => entry.quantity !== undefined && isWholeNumber(entry.quantity));
      const missing = wholeRequests.filter((entry) => !limitOf.has(entry.name));
      // Without a `limits` map, each finding offers the same fix that adds the map with every
      // missing limit: one fix per entry would add `limits:` more than once.
      const addLimitsMap = !limits && missing.length > 0 ? addLimitsFix(workload, container, missing, edit) : undefined;
      for (const entry of missing) {
        const fix = limits ? addLimitsFix(workload, container, [entry], edit) : addLimitsMap;
        report({
          target: entry.pair,
          message: `${who} requests ${entry.text} ${resourceLabel(entry)} without a limit: extended resources cannot be overcommitted, and ${rejectionOf(workload)} ("Limit must be set for non overcommitable resources"). Set the limit to ${entry.text}; a limit alone is enough, since the request defaults to it.`,
          fixes: fix ? [fix] : [],
        });
      }

      for (const entry of wholeRequests) {
        const limit = limitOf.get(entry.name);
        if (!limit?.value || limit.quantity === undefined || !entry.value || Math.abs(limit.quantity - entry.quantity!) < 1e-9) continue;
        const text = sourceText(edit, entry.value);
        const replace = text === undefined ? undefined : edit.replaceNode(limit.value, text);
        report({
          target: entry.value,
          message: `${who} requests ${entry.text} ${resourceLabel(entry)} but sets its limit to ${limit.text}: extended resources cannot be overcommitted, so the request must equal the limit, and ${rejectionOf(workload)} ("must be equal to ${entry.name} limit of ${limit.text}"). Decide how many the container needs and set both to that number, or only the limit.`,
          fixes: replace ? [{ title: `Set the ${entry.name} limit to the request (${entry.text})`, edits: [replace], safe: false }] : [],
        });
      }
    }
  },
});
